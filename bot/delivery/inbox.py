"""The durable inbox: what Slack got a 200 for is stored first, then worked on until done or given up.

A worker leases the oldest due item of a queue (one person's deliveries go one at a time, in order), runs its
work inside one transaction, and marks it done in that transaction: the state change, the calls to Slack it
causes (outbox rows) and the done-mark commit together, or none of them does and the item is taken again.
An item whose worker died is taken again when its lease expires. A failing item is retried with backoff;
after its last attempt the person who asked is told, and ops are alerted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.delivery.leases import Leases
from bot.platform.clock import Clock
from bot.platform.logs import log_context
from storage.db import transient
from storage.models import InboxItem
from storage.repositories import FAILED, LeaseLost
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
#: Items carry Slack's payload: the key that stops Slack's retries is kept a day, then the item is deleted.
RETENTION = timedelta(days=1)

#: The work of one kind of item: reads its payload, changes state, queues its calls to Slack.
Work = Callable[[InboxItem], None]


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4, 8 … seconds before an item is tried again."""
    return timedelta(seconds=2 ** max(attempts - 1, 0))


def new_item(key: str, kind: str, queue: str, payload: dict[str, Any], clock: Clock) -> InboxItem:
    """An inbox item due now."""
    now = clock.now()
    return InboxItem(key=key, kind=kind, queue=queue, payload=payload, next_attempt_at=now, created_at=now)


@dataclass
class InboxConsumer:
    """Takes items from the inbox and does their work, exactly once."""

    uow: UnitOfWorkFactory
    clock: Clock
    work: dict[str, Work]
    #: Told when an item is given up: the person who asked is told that it did not go through, ops are alerted.
    on_give_up: Callable[[InboxItem], None]
    leases: Leases = field(default_factory=Leases)

    def run_one(self) -> bool:
        """Work on the oldest due item; False when none was due."""
        for item, lease in self.take():
            self.work_on(item, lease)
            return True
        return False

    def take(self, limit: int = 1) -> list[tuple[InboxItem, str]]:
        """Lease the oldest due items, at most ``limit`` (none behind another of its queue): each with its lease."""
        return self.leases.take(self.uow, self.clock, "inbox", lambda u: u.inbox, limit)

    def work_on(self, item: InboxItem, lease: str) -> None:
        """Do a leased item's work (or record its failure), then let go of its lease."""
        try:
            with log_context(delivery=item.key, event_id=item.payload.get("event_id")):
                self._do(item, lease)
        finally:
            self.leases.release("inbox", item.id)

    def _do(self, item: InboxItem, lease: str) -> None:
        work = self.work.get(item.kind)
        try:
            with self.uow.transaction() as u:
                if work is not None:
                    work(item)
                u.inbox.finish(item.id or 0, lease, self.clock.now())
        except LeaseLost:
            log.warning("inbox lease lost: another worker has the item", extra={"item": item.id, "kind": item.kind})
        except Exception as exc:  # noqa: BLE001 (any failure of the work is retried, then told)
            self._failed(item, lease, exc)
        else:
            if work is None:
                log.error("inbox item of no known kind dropped", extra={"item": item.id, "kind": item.kind})
            else:
                log.info("inbox item done", extra={"kind": item.kind, "attempts": item.attempts})

    def _failed(self, item: InboxItem, lease: str, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {str(exc)[:150]}"
        busy = transient(exc)  # the database, not the work: tried again without counting
        give_up = item.attempts >= MAX_ATTEMPTS and not busy
        log.error(
            "inbox item failed" if give_up else "inbox item failed; will retry",
            extra={"item": item.id, "kind": item.kind, "attempts": item.attempts, "error": type(exc).__name__},
            exc_info=not busy,
        )
        with self.uow() as u:
            current = u.inbox.leased(item.id or 0, lease)
            if current is None:
                return
            current.last_error, current.lease, current.lease_until = error[:200], None, None
            current.attempts -= 1 if busy else 0
            if give_up:
                current.status = FAILED
            else:
                current.next_attempt_at = self.clock.now() + retry_after(current.attempts)
            u.inbox.save(current)
        if give_up:
            self.on_give_up(current)
