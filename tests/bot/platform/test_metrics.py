"""Metrics: what each recording method counts, the status gauge from the database, isolated registries."""

from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from support import add_request

from bot.analysis.contract import Usage
from bot.platform.metrics import Metrics, label
from bot.requests.lifecycle import Status
from handlers.envelope import delivery_kind
from storage.db import Database


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the rendered exposition, keyed by name and sorted labels."""
    text = metrics.render().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_a_successful_llm_call_counts_latency_and_tokens() -> None:
    metrics = Metrics()
    metrics.record_llm(Usage(engine="llm", model="m", latency_ms=820.0, prompt_tokens=900, completion_tokens=60), None)

    got = samples(metrics)
    assert got[("creative_intake_llm_calls_total", (("outcome", "ok"),))] == 1
    assert got[("creative_intake_analyses_total", (("engine", "llm"),))] == 1
    assert got[("creative_intake_llm_latency_seconds_sum", ())] == 0.82
    assert got[("creative_intake_llm_latency_seconds_bucket", (("le", "1.0"),))] == 1
    assert got[("creative_intake_llm_prompt_tokens_total", ())] == 900
    assert got[("creative_intake_llm_completion_tokens_total", ())] == 60


def test_fallbacks_count_by_reason_and_a_skipped_call_is_not_a_call() -> None:
    metrics = Metrics()
    metrics.record_llm(Usage(engine="rules"), "llm timeout")
    metrics.record_llm(Usage(engine="rules"), "llm circuit_open")
    metrics.record_llm(Usage(engine="rules"), None)  # no LLM configured: an analysis, no call, no fallback

    got = samples(metrics)
    assert got[("creative_intake_rules_fallbacks_total", (("reason", "timeout"),))] == 1
    assert got[("creative_intake_rules_fallbacks_total", (("reason", "circuit_open"),))] == 1
    assert got[("creative_intake_llm_calls_total", (("outcome", "timeout"),))] == 1
    assert ("creative_intake_llm_calls_total", (("outcome", "circuit_open"),)) not in got
    assert got[("creative_intake_analyses_total", (("engine", "rules"),))] == 3
    assert got[("creative_intake_llm_latency_seconds_count", ())] == 0


def test_slack_errors_and_events_are_labelled_and_bounded() -> None:
    metrics = Metrics()
    metrics.record_slack_error("chat.postMessage", "ratelimited")
    metrics.record_slack_error("users.info", None)
    metrics.record_event(delivery_kind({"type": "event_callback", "event": {"type": "message"}}))
    metrics.record_event(delivery_kind({"type": "block_actions"}))
    metrics.record_duplicate(delivery_kind({"command": "/creative-request"}))

    got = samples(metrics)
    assert (
        got[("creative_intake_slack_api_errors_total", (("error", "ratelimited"), ("method", "chat.postMessage")))] == 1
    )
    assert got[("creative_intake_slack_api_errors_total", (("error", "unknown"), ("method", "users.info")))] == 1
    assert got[("creative_intake_slack_events_total", (("type", "message"),))] == 1
    assert got[("creative_intake_slack_events_total", (("type", "block_actions"),))] == 1
    assert got[("creative_intake_slack_duplicate_deliveries_total", (("type", "slash_command"),))] == 1
    assert label("weird value / with spaces" * 5) == ("weird_value_with_spaces" * 5)[:48]
    assert label("") == "unknown"


def test_count_by_status_groups_in_the_database(db: Database) -> None:
    for status in ("submitted", "submitted", "approved", "custom_status"):
        add_request(db, status=status)

    assert db.status_counts() == {"submitted": 2, "approved": 1, "custom_status": 1}


def test_requests_gauge_reports_every_status_from_the_database(db: Database) -> None:
    metrics = Metrics(db.status_counts, tuple(Status))
    for status in ("submitted", "submitted", "delivered"):
        add_request(db, status=status)

    got = samples(metrics)
    assert got[("creative_intake_requests", (("status", "submitted"),))] == 2
    assert got[("creative_intake_requests", (("status", "delivered"),))] == 1
    assert got[("creative_intake_requests", (("status", "closed"),))] == 0
    assert got[("creative_intake_database_up", ())] == 1


def test_an_unreachable_database_reports_down_without_failing_the_scrape(tmp_path: Path) -> None:
    metrics = Metrics(Database(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}").status_counts, tuple(Status))

    got = samples(metrics)
    assert got[("creative_intake_database_up", ())] == 0
    assert not any(name == "creative_intake_requests" for name, _ in got)


def test_registries_are_independent() -> None:
    first, second = Metrics(), Metrics()
    first.record_event("message")

    assert samples(first)[("creative_intake_slack_events_total", (("type", "message"),))] == 1
    assert ("creative_intake_slack_events_total", (("type", "message"),)) not in samples(second)
