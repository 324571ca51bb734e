"""GET /metrics on the real app over HTTP: Prometheus text, request counts from the database, ack timings."""

from __future__ import annotations

from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_harness import SlackHarness
from slack_requests import HttpResult
from support import add_request

METRIC_NAMES = (
    "creative_intake_requests",
    "creative_intake_database_up",
    "creative_intake_llm_calls",
    "creative_intake_llm_latency_seconds",
    "creative_intake_llm_prompt_tokens",
    "creative_intake_llm_completion_tokens",
    "creative_intake_rules_fallbacks",
    "creative_intake_slack_api_errors",
    "creative_intake_slack_events",
    "creative_intake_http_request_duration_seconds",
)


def get(url: str) -> HttpResult:
    """GET ``url``; the answer with lower-cased header names."""
    with urlopen(url, timeout=10) as response:
        headers = {name.lower(): value for name, value in response.headers.items()}
        return HttpResult(response.status, response.read().decode(), headers)


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """GET /metrics, parsed as Prometheus text: every sample by name and sorted labels."""
    result = get(url + "/metrics")
    assert result.status == 200
    assert result.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(result.body)
        for s in family.samples
    }


def test_metrics_are_prometheus_text_with_every_family(slack: SlackHarness) -> None:
    body = get(slack.url + "/metrics").body

    families = {family.name for family in text_string_to_metric_families(body)}
    for name in METRIC_NAMES:
        assert f"# TYPE {name}" in body
    assert {"creative_intake_requests", "creative_intake_llm_calls"} <= families


def test_requests_by_status_reflects_the_database(slack: SlackHarness) -> None:
    assert scrape(slack.url)[("creative_intake_requests", (("status", "submitted"),))] == 0

    for status in ("submitted", "submitted", "assigned"):
        add_request(slack.services.db, status=status)

    got = scrape(slack.url)
    assert got[("creative_intake_requests", (("status", "submitted"),))] == 2
    assert got[("creative_intake_requests", (("status", "assigned"),))] == 1
    assert got[("creative_intake_database_up", ())] == 1


def test_a_dm_is_timed_as_an_ack_and_counted_as_an_analysis(slack: SlackHarness) -> None:
    assert slack.dm("need a 30s youtube pre-roll").status == 200
    slack.next_post("DU1")

    got = scrape(slack.url)
    assert (
        got[("creative_intake_http_request_duration_seconds_count", (("code", "200"), ("path", "/slack/events")))] == 1
    )
    assert got[("creative_intake_analyses_total", (("engine", "rules"),))] == 1


def test_unknown_paths_are_timed_under_other(slack: SlackHarness) -> None:
    with pytest.raises(HTTPError, match="404"):
        get(slack.url + "/nope")

    got = scrape(slack.url)
    assert got[("creative_intake_http_request_duration_seconds_count", (("code", "404"), ("path", "other")))] == 1
