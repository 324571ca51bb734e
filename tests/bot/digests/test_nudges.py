"""Nudges (SPEC 2.4): one reminder to a requester whose answer to ops is one working day late."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from fakes.slack_api import FakeSlackAPI
from support import add_request, at, chat, make_services, stored

from bot.delivery.outbox import OutboxPort
from bot.platform.clock import FixedClock
from bot.services import Services
from storage.db import Database
from storage.repositories import Requests

FRIDAY_3PM = at(27, 15, month=2)


def ask(
    db: Database,
    asked_at: datetime | None = FRIDAY_3PM,
    status: str = "needs_info",
    requester: str = "UREQ1",
    **columns: Any,
) -> str:
    """A display ad request with an open ops question in the requester's DM; returns its reference."""
    return add_request(
        db,
        when=FRIDAY_3PM,
        status=status,
        requester_id=requester,
        title="Spring <banners>",
        request_type="display_ad",
        channels=["paid_ads"],
        info_channel=f"D{requester}",
        info_ts="1700000000.000100",
        info_asked_at=asked_at,
        **columns,
    )


def test_a_question_unanswered_for_one_working_day_gets_one_reminder(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI
) -> None:
    ref = ask(services.db)  # asked on Friday at 15:00: one working day later is Monday at 15:00

    assert services.nudges.send_due(port, at(28, 15, month=2)) == 0  # Saturday
    assert services.nudges.send_due(port, at(2, 14, 59)) == 0
    assert services.nudges.send_due(port, at(2, 15, 0)) == 1
    assert services.nudges.send_due(port, at(2, 15, 15)) == 0
    assert services.nudges.send_due(port, at(5, 9, 0)) == 0

    [call] = fake_slack.calls("chat.postMessage")
    assert call.params["channel"] == "DUREQ1"
    assert call.params["text"] == (
        f"Reminder: creative ops asked you a question about *{ref}* Spring &lt;banners&gt; "
        "on Fri 27 Feb 2026 and is waiting for your answer. Reply here to answer it; "
        "the request is on hold until then."
    )
    assert stored(services.db, ref).info_nudged


def test_answered_or_closed_requests_and_unasked_ones_are_not_nudged(services: Services) -> None:
    ask(services.db, status="submitted")
    ask(services.db, status="cancelled")
    ask(services.db, info_nudged=True)
    ask(services.db, asked_at=None)
    assert services.nudges.due(at(4, 9)) == []


def test_a_new_question_gets_its_own_reminder(services: Services, port: OutboxPort, fake_slack: FakeSlackAPI) -> None:
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
    services = make_services(db, clock, timezone="America/Los_Angeles")
    ask(db, asked_at=at(28, 4, month=2))
    assert services.nudges.due(at(3, 3, 59)) == []
    assert len(services.nudges.due(at(3, 4))) == 1


def test_two_concurrent_nudge_runs_send_one_reminder_each(services: Services, fake_slack: FakeSlackAPI) -> None:
    refs = [ask(services.db, requester=f"UREQ{n}") for n in range(5)]
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def tick() -> None:
        barrier.wait(timeout=10)
        counts.append(services.nudges.send_due(chat(services), at(2, 16)))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(counts) == len(refs)
    assert sorted(c.params["channel"] for c in fake_slack.calls("chat.postMessage")) == [f"DUREQ{n}" for n in range(5)]
