"""Designer and ops digests (SPEC 2.4): contents, timing across time zones, exactly once, Block Kit limits, CLI."""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import FakeSlackAPI
from slack_sdk import WebClient
from sqlmodel import select
from support import OPS, SCRIPT, TOKEN, add_designer, add_request, at, chat, make_services

from bot.delivery.outbox import OutboxPort
from bot.digests.compose import (
    DESIGNER_DIGEST,
    OPS_DIGEST,
    Snapshot,
    designer_digest,
    load_snapshot,
    ops_digest,
)
from bot.digests.runs import Result
from bot.digests.text import designer_text, ops_text
from bot.platform.clock import FixedClock
from bot.services import Services
from handlers.blocks.digests import designer_blocks, ops_blocks
from handlers.blocks.kit import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from handlers.slack_port import TimezoneCache, WebClientPort
from storage.db import Database
from storage.models import OutboxMessage, Send

BERLIN, LA = "UBERLIN1", "ULOSANG1"
MONDAY_8AM = at(2, 8)


def work(
    db: Database,
    title: str = "Spring banners",
    *,
    status: str = "assigned",
    assignee: str | None = None,
    due: date | None = None,
    request_type: str = "social_graphic",
    submitted_at: datetime = MONDAY_8AM,
    **columns: Any,
) -> str:
    """Store a social graphic request from UREQ1 (assigned an hour after submission when it has an
    assignee, due on ``due``); returns its reference."""
    if assignee and "assigned_at" not in columns:
        columns["assigned_at"] = submitted_at + timedelta(hours=1)
    return add_request(
        db,
        when=submitted_at,
        status=status,
        conversation_id="DREQ1",
        title=title,
        request_type=request_type,
        channels=["social"],
        due_date=due,
        deadline=due,
        assignee_id=assignee,
        **columns,
    )


def dms(fake_slack: FakeSlackAPI) -> Counter[str]:
    """Posts per channel."""
    return Counter(call.params["channel"] for call in fake_slack.calls("chat.postMessage"))


def sends(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as session:
        return sorted((s.kind, s.recipient, s.period) for s in session.exec(select(Send)).all())


# ---------------------------------------------------------------------- timing


def test_berlin_and_los_angeles_designers_each_get_theirs_at_their_own_nine(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    add_designer(services.db, LA, timezone="America/Los_Angeles")
    work(services.db, "Berlin work", assignee=BERLIN, due=date(2026, 3, 20))
    work(services.db, "LA work", assignee=LA, due=date(2026, 3, 20))

    def tick(now: datetime) -> Counter[str]:
        clock.set(now)
        services.digests.run(port, clock.now())
        return dms(fake_slack)

    assert tick(at(2, 7, 55)) == Counter()
    assert tick(at(2, 8, 0)) == Counter({BERLIN: 1})  # 09:00 in Berlin, midnight in LA
    assert tick(at(2, 9, 0)) == Counter({BERLIN: 1, OPS: 1})  # the ops digest at 09:00 UTC
    assert tick(at(2, 16, 55)) == Counter({BERLIN: 1, OPS: 1})
    assert tick(at(2, 17, 0)) == Counter({BERLIN: 1, OPS: 1, LA: 1})  # 09:00 in Los Angeles
    assert tick(at(2, 23, 0)) == Counter({BERLIN: 1, OPS: 1, LA: 1})  # nobody twice the same local date
    for hour in (8, 9, 17, 23):
        assert tick(at(7, hour)) == Counter({BERLIN: 1, OPS: 1, LA: 1})  # Saturday: none
    assert tick(at(9, 16, 0)) == Counter({BERLIN: 2, OPS: 2, LA: 2})  # Monday 9 March, LA on summer time
    assert sends(services.db) == [
        (DESIGNER_DIGEST, BERLIN, "2026-03-02"),
        (DESIGNER_DIGEST, BERLIN, "2026-03-09"),
        (DESIGNER_DIGEST, LA, "2026-03-02"),
        (DESIGNER_DIGEST, LA, "2026-03-09"),
        (OPS_DIGEST, OPS, "2026-03-02"),
        (OPS_DIGEST, OPS, "2026-03-09"),
    ]


def test_after_downtime_today_is_caught_up_and_past_days_are_not_replayed(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI
) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    work(services.db, assignee=BERLIN, due=date(2026, 3, 20))

    outcomes = services.digests.run(port, at(4, 14, 0))  # down since Monday morning: first tick Wednesday
    assert [(o.recipient, o.period, o.result) for o in outcomes] == [
        (BERLIN, "2026-03-04", Result.SENT),
        (OPS, "2026-03-04", Result.SENT),
    ]
    services.digests.run(port, at(5, 10, 0))
    assert dms(fake_slack) == Counter({BERLIN: 2, OPS: 2})
    assert [period for kind, _, period in sends(services.db) if kind == DESIGNER_DIGEST] == ["2026-03-04", "2026-03-05"]


def test_nothing_assigned_means_no_message_and_no_claim(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI
) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    work(services.db, status="closed", assignee=BERLIN, due=date(2026, 3, 1))
    work(services.db, status="delivered", assignee=BERLIN, due=date(2026, 3, 1))

    outcomes = services.digests.run(port, at(2, 10))
    assert [(o.recipient, o.result) for o in outcomes] == [(BERLIN, Result.NOTHING_ASSIGNED), (OPS, Result.SENT)]
    assert dms(fake_slack) == Counter({OPS: 1})
    assert sends(services.db) == [(OPS_DIGEST, OPS, "2026-03-02")]


def test_the_digest_command_path_ignores_the_hour_but_not_the_date(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI
) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    work(services.db, assignee=BERLIN, due=date(2026, 3, 20))
    saturday_night = at(7, 3)

    first = services.digests.run(port, saturday_night, scheduled=False)
    second = services.digests.run(port, saturday_night + timedelta(hours=2), scheduled=False)
    assert [o.result for o in first] == [Result.SENT, Result.SENT]
    assert [o.result for o in second] == [Result.ALREADY_SENT, Result.ALREADY_SENT]
    assert dms(fake_slack) == Counter({BERLIN: 1, OPS: 1})
    assert services.digests.run(port, at(9, 8)) and dms(fake_slack) == Counter({BERLIN: 2, OPS: 1})


# ---------------------------------------------------------------------- exactly once


@pytest.mark.parametrize("blind", [False, True], ids=["snapshot", "claims-only"])
def test_exactly_once_under_two_concurrent_digest_runs(
    db: Database, clock: FixedClock, fake_slack: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch, blind: bool
) -> None:
    """Two "instances" (their own engine, Slack client and thread) tick at the same instants.

    ``claims-only``: both runs ignore what their snapshot says was sent, so every recipient is decided by
    the database's unique claim alone.
    """
    if blind:
        monkeypatch.setattr(Snapshot, "last_send", lambda self, kind, recipient: None)
    zones = ["Europe/Berlin", "America/Los_Angeles", "Europe/London", "Asia/Kolkata", "UTC", "America/New_York"]
    designers = [f"UDES{n:04d}" for n in range(len(zones))]
    for designer, zone in zip(designers, zones, strict=True):
        add_designer(db, designer, timezone=zone)
        work(db, assignee=designer, due=date(2026, 3, 20))
    other = Database(db.url)
    instances = [make_services(db, clock, fake_slack), make_services(other, clock, fake_slack)]
    ports = [chat(instance) for instance in instances]
    ticks = [at(day, 18) for day in (2, 3, 4)]  # Mon–Wed 18:00 UTC: past 09:00 on a working day in every zone
    try:
        for now in ticks:
            barrier = threading.Barrier(2)
            results: list[Any] = []

            def run(
                index: int, now: datetime = now, barrier: threading.Barrier = barrier, results: list[Any] = results
            ) -> None:
                barrier.wait(timeout=10)
                results.append(instances[index].digests.run(ports[index], now))

            threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            assert len(results) == 2
    finally:
        other.dispose()
    assert dms(fake_slack) == Counter({**{d: len(ticks) for d in designers}, OPS: len(ticks)})
    assert len(sends(db)) == (len(designers) + 1) * len(ticks)


def test_a_post_slack_refuses_is_kept_in_the_outbox_and_never_claimed_twice(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI
) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    work(services.db, assignee=BERLIN, due=date(2026, 3, 20))
    fake_slack.fail_next("chat.postMessage", status=503, times=3)

    first = services.digests.run(port, at(2, 10))
    assert [o.result for o in first] == [Result.SENT, Result.SENT]
    with services.db.session() as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert [(m.channel, m.status, m.attempts) for m in rows] == [(BERLIN, "pending", 1), (OPS, "sent", 1)]
    second = services.digests.run(port, at(2, 10, 5))
    assert [o.result for o in second] == [Result.ALREADY_SENT, Result.ALREADY_SENT]


def test_with_a_port_straight_to_slack_a_failed_post_is_logged_and_sent_next_tick(
    services: Services, fake_slack: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    work(services.db, assignee=BERLIN, due=date(2026, 3, 20))
    plain = WebClientPort(
        WebClient(token=TOKEN, base_url=fake_slack.base_url), TimezoneCache(services.clock, "UTC"), services.catalog
    )
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")

    with caplog.at_level(logging.ERROR, logger="bot.delivery.once"):
        first = services.digests.run(plain, at(2, 10))
    assert [o.result for o in first] == [Result.FAILED, Result.SENT] and "digest post failed" in caplog.text
    # the claim went with the failed post: the next tick sends it
    assert [o.result for o in services.digests.run(plain, at(2, 11))] == [Result.SENT, Result.ALREADY_SENT]
    assert len(fake_slack.calls("chat.postMessage")) == 3


# ---------------------------------------------------------------------- contents


def test_designer_digest_orders_by_due_date_and_flags_overdue_at_risk_and_new(services: Services) -> None:
    db = services.db
    add_designer(db, BERLIN, timezone="Europe/Berlin", name="Dana", capacity_points=20)
    add_designer(db, LA, timezone="America/Los_Angeles")
    with db.session() as session:
        session.add(Send(kind=DESIGNER_DIGEST, recipient=BERLIN, period="2026-02-27", at=at(1, 8) - timedelta(days=2)))
    old = at(1, 8) - timedelta(days=5)  # assigned before the last digest
    refs = {
        "none": work(db, "No date", assignee=BERLIN, due=None, status="blocked", assigned_at=old),
        "far": work(db, "Far", assignee=BERLIN, due=date(2026, 3, 20), status="in_progress", assigned_at=old),
        "risk2": work(
            db, "In two days", assignee=BERLIN, due=date(2026, 3, 4), request_type="video", priority="urgent"
        ),
        "today": work(
            db, "Due today", assignee=BERLIN, due=date(2026, 3, 2), status="revision_requested", assigned_at=old
        ),
        "late": work(db, "Late <one>", assignee=BERLIN, due=date(2026, 2, 27), assigned_at=old),
        "later": work(db, "Three days out", assignee=BERLIN, due=date(2026, 3, 5)),
    }
    work(db, "Not an active one", assignee=BERLIN, due=date(2026, 2, 1), status="delivered")
    work(db, "Someone else's", assignee=LA, due=date(2026, 2, 1))

    snapshot = load_snapshot(db.uow, services.catalog)
    digest = designer_digest(snapshot, next(d for d in snapshot.designers if d.slack_id == BERLIN), date(2026, 3, 2))
    assert digest is not None
    assert [e.ref for e in digest.entries] == [refs[k] for k in ("late", "today", "risk2", "later", "far", "none")]
    assert [(e.overdue, e.at_risk) for e in digest.entries] == [
        (True, False),
        (False, True),
        (False, True),
        (False, False),
        (False, False),
        (False, False),
    ]
    assert [e.ref for e in digest.entries if e.new] == [refs["risk2"], refs["later"]]
    assert digest.load.describe() == "18/20 pts"  # 5 social graphics at 2 pts and a video at 8

    text = designer_text(digest)
    assert text.splitlines()[0] == (
        "Digest for Dana (UBERLIN1), Mon 2 Mar 2026: 6 active requests, 1 overdue, "
        "2 at risk, 2 new since your last digest. Load 18/20 pts."
    )
    assert f"[OVERDUE] {refs['late']} Late <one> — due Fri 27 Feb 2026 · assigned" in text
    assert f"[AT RISK, NEW] {refs['risk2']} In two days — due Wed 4 Mar 2026 · assigned · urgent priority" in text
    blocks = designer_blocks(digest)
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "Late &lt;one&gt;" in body and ":red_circle:" in body and "`new`" in body


def test_a_designer_without_a_previous_digest_sees_everything_as_new(services: Services) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    work(services.db, assignee=BERLIN, due=date(2026, 3, 20))
    snapshot = load_snapshot(services.uow, services.catalog)
    digest = designer_digest(snapshot, snapshot.designers[0], date(2026, 3, 2))
    assert digest is not None and digest.count("new") == 1


def test_new_since_the_last_digest_counts_from_the_previous_send(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI
) -> None:
    add_designer(services.db, BERLIN, timezone="Europe/Berlin")
    work(services.db, "Before", assignee=BERLIN, due=date(2026, 3, 20), assigned_at=at(2, 7))
    services.digests.run(port, at(2, 8))
    after = work(services.db, "After", assignee=BERLIN, due=date(2026, 3, 20), assigned_at=at(2, 12))
    services.digests.run(port, at(3, 8))

    tuesday = fake_slack.calls("chat.postMessage", lambda c: c.params["channel"] == BERLIN)[-1]
    body = "\n".join(b["text"]["text"] for b in tuesday.params["blocks"] if b["type"] == "section")
    assert [line for line in body.splitlines() if "`new`" in line] == [
        f":white_circle: *{after}* After — due Fri 20 Mar 2026 · assigned `new`"
    ]
    assert tuesday.params["text"].startswith("Your requests for Tue 3 Mar 2026: 2 active requests, 1 new")


def test_ops_digest_lists_triage_stale_questions_unassigned_overdue_and_load(services: Services) -> None:
    db = services.db
    add_designer(db, BERLIN, timezone="Europe/Berlin", name="Dana", capacity_points=20)
    add_designer(db, LA, timezone="America/Los_Angeles", name="Luis", capacity_points=10)
    waiting = work(db, "Waiting three days", status="submitted", submitted_at=at(1, 12) - timedelta(days=4))
    fresh = work(db, "Fresh", status="submitted", submitted_at=at(2, 7))
    stale = work(db, "Stale question", status="needs_info", info_asked_at=at(1, 9) - timedelta(days=4))
    work(db, "Recent question", status="needs_info", info_asked_at=at(1, 9) - timedelta(days=3))
    approved = work(db, "Approved", status="approved", due=date(2026, 3, 10))
    late = work(db, "Late video", assignee=BERLIN, due=date(2026, 2, 27), request_type="video", status="in_progress")
    work(db, "Delivered late", assignee=BERLIN, due=date(2026, 2, 20), status="delivered")
    work(db, "Closed", assignee=LA, due=date(2026, 2, 20), status="closed")

    digest = ops_digest(load_snapshot(db.uow, services.catalog), at(2, 9), "UTC", date(2026, 3, 2))
    assert [(e.ref, e.age) for e in digest.awaiting_triage] == [(waiting, 3), (fresh, 0)]
    assert [(e.ref, e.age) for e in digest.stale_info] == [(stale, 3)]  # asked Wed 25 Feb; Thu 26 is only 2
    assert [e.ref for e in digest.unassigned] == [approved]
    assert [(e.ref, e.assignee) for e in digest.overdue] == [(late, "Dana")]
    assert [(row.name, row.load.describe(), row.active, row.overdue) for row in digest.loads] == [
        ("Dana", "8/20 pts", 1, 1),
        ("Luis", "0/10 pts", 0, 0),
    ]

    text = ops_text(digest)
    assert text.splitlines()[0] == (
        "Ops digest, Mon 2 Mar 2026: 2 awaiting triage, 1 waiting on requesters, 1 approved but unassigned, 1 overdue."
    )
    assert f"- {waiting} Waiting three days — waiting 3 working days" in text
    assert f"- {fresh} Fresh — waiting today" in text
    assert f"- {stale} Stale question — asked 3 working days ago" in text
    assert f"- {late} Late video — due Fri 27 Feb 2026 · in progress · Dana" in text
    assert "- Dana — 8/20 pts · 1 active · 1 overdue" in text
    assert [b["text"]["text"] for b in ops_blocks(digest) if b["type"] == "header"] == [
        "Creative ops digest for Mon 2 Mar 2026"
    ]


def test_big_digests_stay_within_block_kit_limits_and_slack_accepts_them(
    services: Services, port: OutboxPort, fake_slack: FakeSlackAPI
) -> None:
    db = services.db
    for n in range(60):
        add_designer(db, f"UDES{n:04d}", name=f"Designer with a rather long name number {n}")
    for n in range(120):
        work(db, "A very long title " * 11, assignee="UDES0000", due=date(2026, 3, 1) + timedelta(days=n % 9))
    for n in range(300):
        work(db, f"Queued {n} " + "x" * 150, status="submitted", due=date(2026, 2, 1))

    outcomes = services.digests.run(port, at(2, 10))
    assert {(o.recipient, o.result) for o in outcomes if o.result is not Result.NOTHING_ASSIGNED} == {
        ("UDES0000", Result.SENT),
        (OPS, Result.SENT),
    }
    for call in fake_slack.calls("chat.postMessage"):
        blocks = call.params["blocks"]
        assert len(blocks) <= MAX_MESSAGE_BLOCKS
        assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks if b["type"] == "section")
        assert any("…and " in b["text"]["text"] for b in blocks if b["type"] == "section")
    ops = fake_slack.calls("chat.postMessage", lambda c: c.params["channel"] == OPS)[0]
    body = "\n".join(b["text"]["text"] for b in ops.params["blocks"] if b["type"] == "section")
    assert "…and 275 more" in body and "…and 35 more" in body  # 300 queued and overdue; 60 designers in the table


# ---------------------------------------------------------------------- the digest command


def cli(db: Database, fake_slack: FakeSlackAPI, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env |= {
        "DATABASE_URL": db.url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": fake_slack.base_url,
        "OPS_CHANNEL_ID": OPS,
    }
    return subprocess.run([str(SCRIPT), "digest", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def test_digest_dry_run_prints_and_sends_nothing(db: Database, fake_slack: FakeSlackAPI, tmp_path: Path) -> None:
    add_designer(db, BERLIN, timezone="Europe/Berlin", name="Dana")
    add_designer(db, LA, timezone="America/Los_Angeles", name="Luis")
    ref = work(db, "Spring banners", assignee=BERLIN, due=date(2026, 3, 20))

    result = cli(db, fake_slack, "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Digest for Dana (UBERLIN1)" in result.stdout and f"{ref} Spring banners" in result.stdout
    assert "designer digest for ULOSANG1: nothing assigned" in result.stdout
    assert "Ops digest, " in result.stdout and "dry run: nothing was sent or claimed" in result.stdout
    assert fake_slack.calls() == [] and sends(db) == []


def test_digest_sends_now_and_a_second_run_the_same_day_sends_nothing(
    db: Database, fake_slack: FakeSlackAPI, tmp_path: Path
) -> None:
    add_designer(db, BERLIN, timezone="UTC", name="Dana")
    add_designer(db, LA, timezone="UTC", name="Luis")
    work(db, assignee=BERLIN, due=date(2026, 3, 20))
    work(db, assignee=LA, due=date(2026, 3, 20))

    only_dana = cli(db, fake_slack, "--designer", BERLIN, cwd=tmp_path)
    assert only_dana.returncode == 0, only_dana.stderr
    assert dms(fake_slack) == Counter({BERLIN: 1})
    everyone = cli(db, fake_slack, cwd=tmp_path)
    assert dms(fake_slack) == Counter({BERLIN: 1, LA: 1, OPS: 1})
    assert "designer digest for UBERLIN1: already sent for" in everyone.stdout
    assert "designer digest sent to ULOSANG1" in everyone.stdout and f"ops digest sent to {OPS}" in everyone.stdout
    again = cli(db, fake_slack, "--ops", cwd=tmp_path)
    assert again.returncode == 0 and f"ops digest for {OPS}: already sent for" in again.stdout
    assert dms(fake_slack) == Counter({BERLIN: 1, LA: 1, OPS: 1})


def test_digest_for_an_unknown_designer_is_a_usage_error(
    db: Database, fake_slack: FakeSlackAPI, tmp_path: Path
) -> None:
    result = cli(db, fake_slack, "--designer", "UNOBODY1", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "creative-intake: UNOBODY1 is not a designer in the roster"
    assert fake_slack.calls() == []
