"""Worker threads: inbox consumers (they may wait on an LLM), outbox dispatchers, and the lease heartbeat."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.delivery.inbox import InboxConsumer
from bot.delivery.outbox import Dispatcher
from bot.platform.clock import Clock
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
#: How often an idle worker looks for work another process stored (work stored here wakes it at once).
POLL_S = 0.05
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

    def start(self) -> Workers:
        """Start every thread (daemons: they stop with the process)."""
        loops: list[tuple[str, Callable[[], bool], threading.Event]] = [
            *((f"inbox-{n}", self._consume, self._inbox) for n in range(self.threads)),
            *((f"outbox-{n}", self._dispatch, self._outbox) for n in range(self.dispatchers)),
        ]
        for name, step, wake in loops:
            thread = threading.Thread(target=self._loop, args=(name, step, wake), name=name, daemon=True)
            thread.start()
            self._running.append(thread)
        heartbeat = threading.Thread(target=self._heartbeat, name="leases", daemon=True)
        heartbeat.start()
        self._running.append(heartbeat)
        return self

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

    def _consume(self) -> bool:
        did = self.consumer.run_one()
        if did:
            self._outbox.set()  # the work's calls to Slack are committed
        return did

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
