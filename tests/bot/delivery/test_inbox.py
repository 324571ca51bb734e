"""The durable inbox: stored once, taken in order per person, done with its work or not at all, retaken when a
worker dies, given up after its last attempt with the person told."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import timedelta
from typing import Any

from fakes.slack_api import FakeSlackAPI
from support import OPS, chat, make_services

from bot.delivery.inbox import MAX_ATTEMPTS, InboxConsumer, new_item
from bot.delivery.leases import Leases
from bot.platform.clock import FixedClock
from bot.services import Services
from handlers.app import gave_up, handler_context
from storage.db import Database
from storage.models import InboxItem, TeamMember
from storage.repositories import DONE, FAILED, PENDING


def put(db: Database, clock: FixedClock, key: str, queue: str, **payload: Any) -> None:
    with db.uow() as u:
        assert u.inbox.put(new_item(key, "note", queue, payload, clock))


def consumer(services: Services, work: Any, gave_up: list[InboxItem] | None = None) -> InboxConsumer:
    told = gave_up if gave_up is not None else []
    return InboxConsumer(services.uow, services.clock, {"note": work}, told.append, Leases(timedelta(seconds=15)))


def statuses(db: Database) -> dict[str, str]:
    with db.uow() as u:
        return {i.key: i.status for i in u.inbox.all()}


def test_one_persons_items_are_worked_on_in_order_and_never_two_at_once(services: Services) -> None:
    db, clock = services.db, services.clock
    assert isinstance(clock, FixedClock)
    for key, queue in [("a1", "UA"), ("b1", "UB"), ("a2", "UA"), ("b2", "UB"), ("a3", "UA")]:
        put(db, clock, key, queue)
    with db.uow() as u:
        first, second, third = (
            [item.key for item in u.inbox.claim_many(clock.now(), lease, clock.now() + timedelta(seconds=15), 1)]
            for lease in ("lease-1", "lease-2", "lease-3")
        )
    assert (first, second, third) == (["a1"], ["b1"], [])  # a2 waits for a1


def test_a_batch_claim_takes_one_item_per_person_and_a_repeated_delivery_is_stored_once(services: Services) -> None:
    db, clock = services.db, services.clock
    assert isinstance(clock, FixedClock)
    for key, queue in [("a1", "UA"), ("a2", "UA"), ("b1", "UB"), ("c1", "UC")]:
        put(db, clock, key, queue)
    with db.uow() as u:
        assert not u.inbox.put(new_item("a1", "note", "UA", {}, clock))  # Slack's retry of a stored delivery
    taken = consumer(services, lambda item: None).take(16)
    assert sorted(item.key for item, _ in taken) == ["a1", "b1", "c1"]  # a2 waits for a1
    assert len({lease for _, lease in taken}) == 1  # one claim, one transaction
    assert consumer(services, lambda item: None).take(16) == []  # all leased or waiting


def test_work_and_its_done_mark_commit_together_or_not_at_all(services: Services) -> None:
    db, clock = services.db, services.clock
    assert isinstance(clock, FixedClock)
    put(db, clock, "ok", "UA", name="Dana")
    put(db, clock, "boom", "UB", name="Lee")

    def work(item: InboxItem) -> None:
        with services.uow() as u:
            u.team.upsert(TeamMember(slack_id=item.queue, name=item.payload["name"]))
        if item.key == "boom":
            raise RuntimeError("the work failed after its write")

    worker = consumer(services, work)
    assert worker.run_one() and worker.run_one() and not worker.run_one()
    assert statuses(db) == {"ok": DONE, "boom": PENDING}
    with db.uow() as u:
        assert [m.slack_id for m in u.team.all()] == ["UA"]  # the failed work's write was rolled back
        (boom,) = [i for i in u.inbox.all() if i.key == "boom"]
    assert boom.attempts == 1 and boom.next_attempt_at == clock.now() + timedelta(seconds=1)
    assert "RuntimeError" in (boom.last_error or "")


def test_an_item_whose_worker_died_is_taken_again_when_its_lease_expires(services: Services) -> None:
    db, clock = services.db, services.clock
    assert isinstance(clock, FixedClock)
    put(db, clock, "e1", "UA")
    with db.uow() as u:  # a worker took it, then died
        assert u.inbox.claim_many(clock.now(), "dead", clock.now() + timedelta(seconds=15), 1) != []
    done: list[str] = []
    worker = consumer(services, lambda item: done.append(item.key))
    assert worker.run_one() is False  # leased
    clock.advance(timedelta(seconds=16))
    assert worker.run_one() is True and done == ["e1"]
    assert statuses(db) == {"e1": DONE}


def test_a_worker_never_takes_again_an_item_it_is_working_on_when_its_lease_lapsed(services: Services) -> None:
    db, clock = services.db, services.clock
    assert isinstance(clock, FixedClock)
    put(db, clock, "slow", "UA")
    worker = consumer(services, lambda item: None)
    [(item, _)] = worker.take(1)  # a thread works on it; the heartbeat stalls past the lease
    clock.advance(timedelta(seconds=16))
    assert worker.take(1) == []  # not this process's second thread
    assert [i.key for i, _ in consumer(services, lambda item: None).take(1)] == ["slow"]  # another process may


def test_a_worker_whose_lease_was_taken_over_does_not_commit_its_work(services: Services) -> None:
    db, clock = services.db, services.clock
    assert isinstance(clock, FixedClock)
    put(db, clock, "slow", "UA")

    def work(item: InboxItem) -> None:
        with services.uow() as u:
            u.team.upsert(TeamMember(slack_id="USLOW", name="slow"))
            row = u.inbox.all()[0]
            row.lease = "another-worker"  # as if its lease had expired and another worker had taken the item
            u.inbox.save(row)

    assert consumer(services, work).run_one()
    with db.uow() as u:
        assert u.team.all() == []  # the done-mark found the item taken: the work was rolled back
        (item,) = u.inbox.all()
    assert item.status == PENDING


def test_after_its_last_attempt_the_person_is_told_and_ops_alerted(db: Database, clock: FixedClock) -> None:
    with FakeSlackAPI() as fake:
        services = make_services(db, clock, fake)
        ctx = dataclasses.replace(handler_context(services), chat=chat(services))
        put(db, clock, "doomed", "U1", user="U1")
        worker = InboxConsumer(
            services.uow, clock, {"note": lambda item: 1 / 0}, lambda item: gave_up(ctx, item), Leases()
        )
        for _ in range(MAX_ATTEMPTS):
            assert worker.run_one()
            clock.advance(timedelta(minutes=1))
        assert statuses(db) == {"doomed": FAILED}
        assert worker.run_one() is False
        posts = Counter(c.params["channel"] for c in fake.calls("chat.postMessage") if c.ok)
        assert posts == {"DU1": 1, OPS: 1}
        told = fake.calls("chat.postMessage", lambda c: c.params["channel"] == "DU1")[0].params["text"]
        assert "couldn't handle" in told and "nothing changed" in told
