"""The HTTP surface: signature checks, health."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from slack_harness import SlackHarness, serving
from slack_requests import event_callback, message_event, send_event, url_verification
from sqlalchemy import text

from bot.platform.clock import FixedClock
from storage.db import Database


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


def test_healthz_says_503_instead_of_waiting_on_a_locked_database(tmp_path: Path, clock: FixedClock) -> None:
    db = Database(f"sqlite:///{tmp_path / 'locked.db'}")  # SQLite's write lock (a hung PostgreSQL: test_timeouts)
    db.upgrade()
    with serving(db, clock) as slack, db.engine.connect() as holder:
        holder.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: another writer holds the lock
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(slack.url + "/healthz", timeout=5)
        assert answer.value.code == 503
        assert json.loads(answer.value.read()) == {"ok": False, "database": False}
    db.dispose()
