"""Bounded growth: inbox items done a day ago and outbox rows sent a week ago are deleted; pending ones never."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger
from support import NOW, chat

from bot.delivery.inbox import new_item
from bot.jobs import SENT_RETENTION, build_scheduler, prune
from bot.platform.clock import FixedClock
from bot.services import Services
from storage.db import Database
from storage.models import OutboxMessage
from storage.repositories import DONE, SENT


def item(db: Database, key: str, hours_ago: float | None) -> None:
    """An inbox item, done ``hours_ago`` (None: still pending)."""
    row = new_item(key, "message", "U1", {}, FixedClock(NOW))
    if hours_ago is not None:
        row.status, row.done_at = DONE, NOW - timedelta(hours=hours_ago)
    with db.uow() as u:
        assert u.inbox.put(row)


def keys(db: Database) -> list[str]:
    with db.uow() as u:
        return sorted(i.key for i in u.inbox.all())


def test_items_done_a_day_ago_are_deleted_and_pending_ones_kept(db: Database, clock: FixedClock) -> None:
    for key, hours in [("old", 25), ("edge", 23.9), ("new", 1), ("pending", None)]:
        item(db, key, hours)
    assert prune(db.uow, clock) == 1
    assert keys(db) == ["edge", "new", "pending"]
    assert prune(db.uow, clock) == 0


def test_a_pruned_key_can_be_stored_again_but_a_kept_one_cannot(db: Database, clock: FixedClock) -> None:
    item(db, "EvGONE", 30)
    item(db, "EvKEPT", 2)
    prune(db.uow, clock)
    with db.uow() as u:
        assert u.inbox.put(new_item("EvKEPT", "message", "U1", {}, clock)) is False  # still a duplicate
        assert u.inbox.put(new_item("EvGONE", "message", "U1", {}, clock)) is True


def test_outbox_rows_sent_a_week_ago_are_deleted_and_pending_ones_kept(db: Database, clock: FixedClock) -> None:
    def row(text: str, sent_days_ago: int | None) -> OutboxMessage:
        created = NOW - timedelta(days=sent_days_ago or 0)
        message = OutboxMessage(channel="C1", text=text, next_attempt_at=created, created_at=created)
        if sent_days_ago is not None:
            message.status, message.sent_at = SENT, created
        return message

    with db.uow() as u:
        for message in (row("old", 8), row("recent", 6), row("pending", None)):
            u.outbox.add(message)
    assert prune(db.uow, clock) == 1
    with db.uow() as u:
        assert sorted(m.text for m in u.outbox.all()) == ["pending", "recent"]
    clock.advance(SENT_RETENTION)
    assert prune(db.uow, clock) == 1


def test_the_scheduler_prunes_every_15_minutes(services: Services) -> None:
    jobs = {job.id: job for job in build_scheduler(services, chat(services)).get_jobs()}
    job = jobs["prune"]
    assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(minutes=15)
    assert (job.func, job.args) == (prune, (services.uow, services.clock))
