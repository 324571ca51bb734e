"""Nudges (SPEC 2.4): one reminder to a requester whose answer to ops is one working day late."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from fakes.slack_api import FakeSlackAPI
from support import slack_services

from bot.platform.clock import FixedClock
from bot.delivery.outbox import ReliablePort
from bootstrap import build_services
from bot.services import Services
from bot.platform.settings import load_settings
from bot.requests.lifecycle import format_ref
from storage.db import Database
from storage.models import Request
from storage.repositories import Requests

FRIDAY_3PM = datetime(2026, 2, 27, 15, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in March 2026, UTC (2 March is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def services(db: Database, clock: FixedClock, fake_slack: FakeSlackAPI) -> Services:
    return slack_services(db, clock, fake_slack)


@pytest.fixture
def port(services: Services) -> ReliablePort:
    return port_of(services)


def port_of(services: Services) -> ReliablePort:
    """The services' port to Slack."""
    assert services.chat is not None
    return services.chat


def ask(db: Database, asked_at: datetime | None = FRIDAY_3PM, status: str = "needs_info", requester: str = "UREQ1",
        **fields: Any) -> str:
    """A request with an open ops question; returns its reference."""
    request = Request(status=status, requester_id=requester, conversation_id="D1", title="Spring <banners>",
                      request_type="display_ad", channels=["paid_ads"], brief={}, classified_by="rules",
                      info_channel=f"D{requester}", info_ts="1700000000.000100", info_asked_at=asked_at,
                      created_at=FRIDAY_3PM, updated_at=FRIDAY_3PM, submitted_at=FRIDAY_3PM, **fields)
    with db.session() as session:
        return Requests(session).add(request, format_ref).ref or ""


def stored(db: Database, ref: str) -> Request:
    with db.session() as session:
        request = Requests(session).by_ref(ref)
        assert request is not None
        return request


def test_a_question_unanswered_for_one_working_day_gets_one_reminder(
        services: Services, port: ReliablePort, fake_slack: FakeSlackAPI) -> None:
    ref = ask(services.db)  # asked on Friday at 15:00: one working day later is Monday at 15:00

    assert services.nudges.send_due(port, datetime(2026, 2, 28, 15, 0, tzinfo=UTC)) == 0  # Saturday
    assert services.nudges.send_due(port, at(2, 14, 59)) == 0
    assert services.nudges.send_due(port, at(2, 15, 0)) == 1
    assert services.nudges.send_due(port, at(2, 15, 15)) == 0
    assert services.nudges.send_due(port, at(5, 9, 0)) == 0

    [call] = fake_slack.calls("chat.postMessage")
    assert call.params["channel"] == "DUREQ1"
    assert call.params["text"] == (f"Reminder: creative ops asked you a question about *{ref}* Spring &lt;banners&gt; "
                                   "on Fri 27 Feb 2026 and is waiting for your answer. Reply here to answer it; "
                                   "the request is on hold until then.")
    assert stored(services.db, ref).info_nudged


def test_answered_or_closed_requests_and_unasked_ones_are_not_nudged(services: Services) -> None:
    ask(services.db, status="submitted")
    ask(services.db, status="cancelled")
    ask(services.db, info_nudged=True)
    ask(services.db, asked_at=None)
    assert services.nudges.due(at(4, 9)) == []


def test_a_new_question_gets_its_own_reminder(services: Services, port: ReliablePort, fake_slack: FakeSlackAPI) -> None:
    ref = ask(services.db)
    services.nudges.send_due(port, at(2, 15))
    with services.db.session() as session:  # ops asks again on Tuesday (bot/triage resets the flag)
        request = Requests(session).by_ref(ref)
        assert request is not None
        request.info_asked_at, request.info_nudged = at(3, 11), False
        session.add(request)

    assert services.nudges.send_due(port, at(4, 10, 59)) == 0
    assert services.nudges.send_due(port, at(4, 11)) == 1
    assert len(fake_slack.calls("chat.postMessage")) == 2


def test_working_days_are_the_ops_teams(db: Database, clock: FixedClock, fake_slack: FakeSlackAPI) -> None:
    """Asked Friday 20:00 in Los Angeles (Saturday 04:00 UTC): due Monday 20:00 there, not Monday 04:00 UTC."""
    settings = load_settings(database_url=db.url, timezone="America/Los_Angeles")
    services = build_services(settings, clock, db=db)
    ask(db, asked_at=datetime(2026, 2, 28, 4, 0, tzinfo=UTC))
    assert services.nudges.due(datetime(2026, 3, 3, 3, 59, tzinfo=UTC)) == []
    assert len(services.nudges.due(datetime(2026, 3, 3, 4, 0, tzinfo=UTC))) == 1


def test_two_concurrent_nudge_runs_send_one_reminder_each(
        services: Services, fake_slack: FakeSlackAPI) -> None:
    refs = [ask(services.db, requester=f"UREQ{n}") for n in range(5)]
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def tick() -> None:
        barrier.wait(timeout=10)
        counts.append(services.nudges.send_due(port_of(services), at(2, 16)))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(counts) == len(refs)
    assert sorted(c.params["channel"] for c in fake_slack.calls("chat.postMessage")) == [f"DUREQ{n}" for n in range(5)]
