"""Showing that the bot is working when an answer is slow.

Slack notifies for new messages, not for edits: the answer is posted as a new message (so the requester's
notification carries it) and the placeholder is deleted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bot.delivery.ports import ChatPort, Posted

WORKING_TEXT = ":hourglass_flowing_sand: Working on it…"


class Working:
    """Posts "working on it" if the answer is slow; the answer then replaces that message."""

    def __init__(self, port: ChatPort, channel: str, after_s: float) -> None:
        self.port, self.channel = port, channel
        self.posted: Posted | None = None
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(after_s, self._post)
        self._timer.daemon = True

    def _post(self) -> None:
        with self._lock:
            if not self._done:
                self.posted = self.port.signal(self.channel, WORKING_TEXT)

    def start(self) -> None:
        """Start counting."""
        self._timer.start()

    def finish(self) -> None:
        """Stop the timer and remove the placeholder, if one was posted."""
        self._timer.cancel()
        with self._lock:
            self._done = True
            posted, self.posted = self.posted, None
        if posted is not None:
            self.port.delete(posted.channel, posted.ts)


@contextmanager
def working(port: ChatPort, channel: str, after_s: float) -> Iterator[Working]:
    """A ``Working`` that starts counting now and stops when the block ends."""
    indicator = Working(port, channel, after_s)
    indicator.start()
    try:
        yield indicator
    finally:
        indicator.finish()
