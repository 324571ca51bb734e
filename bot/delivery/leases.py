"""Leases on inbox items and outbox rows: held while a worker has one, renewed while it lives, expired when it dies."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from bot.platform.clock import Clock
from storage.uow import UnitOfWork, UnitOfWorkFactory


class Row(Protocol):
    """A leasable row."""

    id: int | None


R = TypeVar("R", bound=Row)


class Queue(Protocol[R]):
    """A table of leasable rows (the inbox, the outbox)."""

    def due_any(self, now: datetime) -> bool:
        """Whether any row is due."""

    def claim_many(self, now: datetime, lease: str, until: datetime, limit: int, held: Collection[int]) -> list[R]:
        """Lease the next rows that may be taken, at most ``limit``, none of ``held``."""


#: How long a lease lasts unless renewed; a dead worker's items are taken again this long after it died.
LEASE = timedelta(seconds=15)


@dataclass
class Leases:
    """The leases this process holds, so a heartbeat can renew them all."""

    duration: timedelta = LEASE
    _held: dict[tuple[str, int], str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hold(self, table: str, row_id: int, lease: str) -> None:
        """Remember a lease taken."""
        with self._lock:
            self._held[(table, row_id)] = lease

    def take(
        self, uow: UnitOfWorkFactory, clock: Clock, table: str, queue: Callable[[UnitOfWork], Queue[R]], limit: int = 1
    ) -> list[tuple[R, str]]:
        """Lease the next rows of ``queue``, at most ``limit``, in one short transaction (looking first, without
        the write lock, whether any is due); each row and its lease, held until ``release``. A row this process
        holds is never taken again by it (its lease may lapse when the heartbeat stalls: the work is in hand)."""
        now = clock.now()
        with uow.read() as u:
            if not queue(u).due_any(now):
                return []
        lease = uuid.uuid4().hex[:16]
        with self._lock:
            held = [row_id for (held_table, row_id) in self._held if held_table == table]
        with uow() as u:
            rows = queue(u).claim_many(now, lease, now + self.duration, limit, held)
        for row in rows:
            self.hold(table, row.id or 0, lease)
        return [(row, lease) for row in rows]

    def release(self, table: str, row_id: int | None) -> None:
        """Forget a lease (its row is done, or handed back)."""
        with self._lock:
            self._held.pop((table, row_id or 0), None)

    def renew(self, uow: UnitOfWorkFactory, clock: Clock) -> int:
        """Extend every lease held by ``duration`` from now; returns how many rows were renewed."""
        with self._lock:
            held = dict(self._held)
        if not held:
            return 0
        until = clock.now() + self.duration
        with uow() as u:
            return u.inbox.renew(
                [lease for (table, _), lease in held.items() if table == "inbox"], until
            ) + u.outbox.renew([lease for (table, _), lease in held.items() if table == "outbox"], until)
