"""Bounded growth: once-per-event claims are deleted when Slack can no longer retry them (issue 11, item 10)."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import select
from support import NOW, chat

from bot.jobs import CLAIM_RETENTION, build_scheduler, prune_claims
from bot.platform.clock import FixedClock
from bot.services import Services
from storage.db import Database
from storage.models import ProcessedEvent
from storage.repositories import Deliveries


def claim(db: Database, event_id: str, minutes_ago: int) -> None:
    with db.uow() as u:
        assert u.deliveries.claim(event_id, NOW - timedelta(minutes=minutes_ago))


def claimed(db: Database) -> list[str]:
    with db.session() as session:
        return sorted(session.exec(select(ProcessedEvent.event_id)).all())


def test_prune_deletes_the_claims_before_the_cutoff_and_counts_them(db: Database) -> None:
    for event_id, minutes_ago in [("EvOLD1", 180), ("EvOLD2", 61), ("EvEDGE", 60), ("EvNEW", 1)]:
        claim(db, event_id, minutes_ago)

    with db.session() as session:
        assert Deliveries(session).prune(NOW - timedelta(minutes=60)) == 2

    assert claimed(db) == ["EvEDGE", "EvNEW"]
    with db.session() as session:
        assert Deliveries(session).prune(NOW - timedelta(minutes=60)) == 0


def test_a_pruned_claim_could_be_claimed_again_but_a_kept_one_cannot(db: Database) -> None:
    claim(db, "EvGONE", 120)
    claim(db, "EvKEPT", 5)
    with db.uow() as u:
        u.deliveries.prune(NOW - CLAIM_RETENTION)
    with db.uow() as u:
        assert u.deliveries.claim("EvKEPT", NOW) is False  # a retry within the hour is still a duplicate
        assert u.deliveries.claim("EvGONE", NOW) is True


def test_the_job_keeps_one_hour_of_claims(db: Database, clock: FixedClock, services: Services) -> None:
    claim(db, "EvHOUR", 59)
    claim(db, "EvSTALE", 61)

    assert prune_claims(services.uow, clock) == 1
    assert claimed(db) == ["EvHOUR"]
    clock.advance(timedelta(minutes=2))
    assert prune_claims(services.uow, clock) == 1
    assert claimed(db) == []


def test_the_scheduler_prunes_every_15_minutes(services: Services) -> None:
    jobs = {job.id: job for job in build_scheduler(services, chat(services)).get_jobs()}
    prune = jobs["prune_claims"]
    assert isinstance(prune.trigger, IntervalTrigger) and prune.trigger.interval == timedelta(minutes=15)
    assert (prune.func, prune.args) == (prune_claims, (services.uow, services.clock))


def test_an_over_long_event_id_is_claimed_by_its_first_128_characters(db: Database) -> None:
    long_id = "Ev" + "x" * 500
    with db.uow() as u:
        assert u.deliveries.claim(long_id, NOW) is True
        assert u.deliveries.claim(long_id, NOW) is False
    assert claimed(db) == [long_id[:128]]
