"""A circuit breaker for the LLM: after repeated failures, skip it for a cool-down period.

Closed: calls go through; ``failure_threshold`` consecutive failures within ``window`` open it.
Open: calls are refused (the analyzer goes straight to the rules engine) until ``cooldown`` has passed.
Half-open: one trial call is let through; success closes the breaker, failure keeps it open for
another cool-down. ``on_open`` is called once per outage (closed → open), never for a failed trial,
so whoever is told about it (the ops channel) hears once. Time comes only from the injected Clock.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from bot.platform.clock import Clock

log = logging.getLogger(__name__)


class BreakerState(StrEnum):
    """Where the breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Thread-safe closed → open → half-open breaker; ask ``allow()`` before a call, then record its outcome."""

    def __init__(
        self,
        clock: Clock,
        failure_threshold: int = 5,
        window: timedelta = timedelta(minutes=2),
        cooldown: timedelta = timedelta(minutes=5),
        on_open: Callable[[str], None] | None = None,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.clock = clock
        self.failure_threshold = failure_threshold
        self.window = window
        self.cooldown = cooldown
        self.on_open = on_open
        self._lock = threading.Lock()
        self._failures: deque[datetime] = deque()
        self._opened_at: datetime | None = None
        self._trial_started: datetime | None = None
        self._opened_count = 0
        self._short_circuited_count = 0

    @property
    def state(self) -> BreakerState:
        """Closed, open, or half-open (the cool-down has passed: the next call is a trial)."""
        with self._lock:
            return self._state(self.clock.now())

    @property
    def opened_count(self) -> int:
        """How many times the breaker opened (outages; a failed trial does not count again)."""
        return self._opened_count

    @property
    def short_circuited_count(self) -> int:
        """How many calls were refused while open."""
        return self._short_circuited_count

    def allow(self) -> bool:
        """Whether a call may go ahead now; a refusal is counted as short-circuited."""
        with self._lock:
            now = self.clock.now()
            state = self._state(now)
            if state is BreakerState.CLOSED:
                return True
            trial_running = self._trial_started is not None and now - self._trial_started < self.cooldown
            if state is BreakerState.HALF_OPEN and not trial_running:
                self._trial_started = now
                return True
            self._short_circuited_count += 1
            return False

    def record_success(self) -> None:
        """A call succeeded: the breaker closes and forgets earlier failures."""
        with self._lock:
            if self._opened_at is not None:
                log.info("llm circuit closed")
            self._failures.clear()
            self._opened_at = self._trial_started = None

    def record_failure(self, reason: str) -> None:
        """A call failed: a failed trial re-opens; enough recent failures open a closed breaker.

        A straggler that started before the breaker opened and fails while it is open changes nothing.
        """
        now = self.clock.now()
        with self._lock:
            if self._opened_at is not None:
                if self._state(now) is BreakerState.HALF_OPEN:
                    self._opened_at, self._trial_started = now, None
                return
            self._failures.append(now)
            while now - self._failures[0] > self.window:
                self._failures.popleft()
            if len(self._failures) < self.failure_threshold:
                return
            message = (
                f"{len(self._failures)} LLM failures within {_minutes(self.window)} (last: {reason}); "
                f"using the rules engine for {_minutes(self.cooldown)}"
            )
            self._failures.clear()
            self._opened_at = now
            self._opened_count += 1
        log.warning("llm circuit open", extra={"reason": reason, "cooldown_s": self.cooldown.total_seconds()})
        self._notify(message)

    def _state(self, now: datetime) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        return BreakerState.HALF_OPEN if now - self._opened_at >= self.cooldown else BreakerState.OPEN

    def _notify(self, message: str) -> None:
        """Call ``on_open`` outside the lock; a failing listener never breaks analysis."""
        if self.on_open is None:
            return
        try:
            self.on_open(message)
        except Exception:
            log.exception("llm circuit on_open listener failed")


def _minutes(delta: timedelta) -> str:
    """``2 min``, or seconds when shorter than a minute."""
    seconds = delta.total_seconds()
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"
