"""The HTTP surface: signature checks, health."""

from __future__ import annotations

import json
import time
import urllib.request

from slack_harness import SlackHarness
from slack_requests import event_callback, message_event, send_event, url_verification


def test_a_bad_signature_is_refused(slack: SlackHarness) -> None:
    result = send_event(slack.url, "wrong-secret", event_callback(message_event("hi", channel="DU1")))
    assert result.status == 401
    slack.fake.quiesce(quiet=0.2)
    assert slack.fake.calls("chat.postMessage") == []


def test_a_stale_timestamp_is_refused(slack: SlackHarness) -> None:
    from slack_harness import SECRET

    stale = int(time.time()) - 10 * 60
    result = send_event(slack.url, SECRET, event_callback(message_event("hi", channel="DU1")), timestamp=stale)
    assert result.status == 401


def test_url_verification_echoes_the_challenge(slack: SlackHarness) -> None:
    from slack_harness import SECRET

    result = send_event(slack.url, SECRET, url_verification("abc123"))
    assert result.status == 200 and result.json()["challenge"] == "abc123"


def test_healthz_reports_the_database(slack: SlackHarness) -> None:
    with urllib.request.urlopen(slack.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"ok": True, "database": True}
