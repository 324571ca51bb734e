"""Showing that the bot is working when an answer is slow.

Slack notifies for new messages, not for edits: the answer is posted as a new message (so the requester's
notification carries it) and the placeholder is deleted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bot.delivery.ports import ChatPort, Posted
from bot.platform.i18n import N_, speaking, t
from bot.platform.language import detect

WORKING_TEXT = N_(":hourglass_flowing_sand: Working on it…")


class Working:
    """Posts "working on it" if the answer is slow (in ``language``, else in the language of what was ``said``);
    the answer then replaces that message."""

    def __init__(self, port: ChatPort, channel: str, after_s: float, language: str | None, said: str) -> None:
        self.port, self.channel, self.language, self.said = port, channel, language, said
        self.posted: Posted | None = None
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(after_s, self._post)
        self._timer.daemon = True

    def _post(self) -> None:
        with self._lock:
            if not self._done:
                with speaking(self.language or detect(self.said)):
                    self.posted = self.port.signal(self.channel, t(WORKING_TEXT))

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
def working(port: ChatPort, channel: str, after_s: float, language: str | None, said: str) -> Iterator[Working]:
    """A ``Working`` that starts counting now and stops when the block ends."""
    indicator = Working(port, channel, after_s, language, said)
    indicator.start()
    try:
        yield indicator
    finally:
        indicator.finish()
