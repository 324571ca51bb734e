"""Worker threads: inbox consumers (they may wait on an LLM), outbox dispatchers, and the lease heartbeat.

One claimer per process leases inbox items, and only while a consumer thread is free to take one, so the
database sees one poll per process however many threads wait on an LLM (and no herd of claims for each item).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.delivery.inbox import InboxConsumer
from bot.delivery.outbox import Dispatcher
from bot.platform.clock import Clock
from storage.models import InboxItem
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
#: How often an idle worker looks for work another process stored (work stored here wakes it at once).
POLL_S = 0.05
#: At most this many items are claimed in one transaction (when as many consumer threads are free).
CLAIM_BATCH = 16
#: How long a worker waits after the database failed before it tries again.
DATABASE_RETRY_S = 1.0


@dataclass
class Workers:
    """``threads`` inbox consumers and ``dispatchers`` outbox dispatchers in this process."""

    consumer: InboxConsumer
    dispatcher: Dispatcher
    uow: UnitOfWorkFactory
    clock: Clock
    threads: int = 8
    dispatchers: int = 2
    poll_s: float = POLL_S
    _stop: threading.Event = field(default_factory=threading.Event)
    _inbox: threading.Event = field(default_factory=threading.Event)
    _outbox: threading.Event = field(default_factory=threading.Event)
    _running: list[threading.Thread] = field(default_factory=list)
    #: Items claimed, waiting for a consumer thread (never more than there are free threads).
    _claimed: queue.Queue[tuple[InboxItem, str]] = field(default_factory=queue.Queue)
    _free: threading.Semaphore = field(init=False)

    def start(self) -> Workers:
        """Start every thread (daemons: they stop with the process)."""
        self._free = threading.Semaphore(self.threads)
        loops: list[tuple[str, Callable[[], bool], threading.Event]] = [
            ("inbox-claimer", self._claim, self._inbox),
            *((f"outbox-{n}", self._dispatch, self._outbox) for n in range(self.dispatchers)),
        ]
        for name, step, wake in loops:
            self._thread(name, self._loop, name, step, wake)
        for n in range(self.threads):
            self._thread(f"inbox-{n}", self._consume)
        self._thread("leases", self._heartbeat)
        return self

    def _thread(self, name: str, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._running.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop taking work; wait up to ``timeout`` for the work in hand."""
        self._stop.set()
        self._inbox.set()
        self._outbox.set()
        for thread in self._running:
            thread.join(timeout)

    def wake(self) -> None:
        """Work was stored in this process: look now."""
        self._inbox.set()

    def wake_outbox(self) -> None:
        """Calls to Slack were queued in this process: send them now."""
        self._outbox.set()

    def _claim(self) -> bool:
        """Lease due items for the free consumer threads (up to ``CLAIM_BATCH`` at once); False when that took
        every due item (fewer than there were free threads), so the loop waits to be woken instead of looking
        again at once."""
        if not self._free.acquire(timeout=self.poll_s):
            return True  # every thread is busy: look again (the loop does not wait)
        free = 1
        while free < CLAIM_BATCH and self._free.acquire(blocking=False):
            free += 1
        try:
            taken = self.consumer.take(free)
        except BaseException:
            self._release(free)
            raise
        self._release(free - len(taken))
        for item in taken:
            self._claimed.put(item)
        return len(taken) == free

    def _release(self, slots: int) -> None:
        for _ in range(slots):
            self._free.release()

    def _consume(self) -> None:
        while not self._stop.is_set():
            try:
                taken = self._claimed.get(timeout=self.poll_s)
            except queue.Empty:
                continue
            try:
                self.consumer.work_on(*taken)
            finally:
                self._free.release()
            self._outbox.set()  # the work's calls to Slack are committed

    def _dispatch(self) -> bool:
        return self.dispatcher.run_one() is not None

    def _loop(self, name: str, step: Callable[[], bool], wake: threading.Event) -> None:
        failing = False
        while not self._stop.is_set():
            try:
                did = step()
            except Exception as exc:  # noqa: BLE001 (the database is down or refusing: wait, then look again)
                if not failing:
                    log.error("worker step failed; waiting", extra={"worker": name, "error": type(exc).__name__})
                failing = True
                self._stop.wait(DATABASE_RETRY_S)
                continue
            if failing:
                log.info("worker steps again", extra={"worker": name})
                failing = False
            if not did:
                wake.wait(self.poll_s)
                wake.clear()

    def _heartbeat(self) -> None:
        every = self.consumer.leases.duration.total_seconds() / 3
        while not self._stop.wait(every):
            try:
                self.consumer.leases.renew(self.uow, self.clock)
                if self.dispatcher.leases is not self.consumer.leases:
                    self.dispatcher.leases.renew(self.uow, self.clock)
            except Exception as exc:  # noqa: BLE001 (renewed next beat; a lease lost is handled where it is used)
                log.warning("lease renewal failed", extra={"error": type(exc).__name__})
