"""A health probe that answers in bounded time: a hung database makes it say "down", never makes it wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class HealthProbe:
    """``ping`` run at most once per ``ttl`` seconds, in its own thread; callers wait at most ``wait`` for it.

    A probe still running after ``wait`` (the database hangs) reads as down, and the next caller does not start
    a second one: however many requests ask, one thread at most is stuck on the database.
    """

    def __init__(self, ping: Callable[[], bool], ttl: float = 1.0, wait: float = 1.0) -> None:
        self.ping, self.ttl, self.wait = ping, ttl, wait
        self._lock = threading.Lock()
        self._healthy = False
        self._checked = float("-inf")
        self._done = threading.Event()
        self._done.set()

    def healthy(self) -> bool:
        """Whether the database answered its last probe, started now if the last one is older than ``ttl``."""
        with self._lock:
            if time.monotonic() - self._checked < self.ttl:
                return self._healthy
            if self._done.is_set():
                self._done = threading.Event()
                threading.Thread(target=self._probe, args=(self._done,), name="health-probe", daemon=True).start()
            done = self._done
        if not done.wait(self.wait):
            return False
        with self._lock:
            return self._healthy

    def _probe(self, done: threading.Event) -> None:
        try:
            healthy = self.ping()
        except Exception:  # a probe says down; it never raises into a server thread
            healthy = False
        with self._lock:
            self._healthy, self._checked = healthy, time.monotonic()
        done.set()
