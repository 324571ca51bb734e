"""The one door from the domain to Slack: handlers pass an implementation in, tests may pass their own."""

from __future__ import annotations

from typing import Any, Protocol

Blocks = list[dict[str, Any]]
#: Where to remember a posted message: (request ref, "triage" | "info" | "assignment" | "delivery").
Target = tuple[str, str]


class DeliveryFailed(Exception):
    """Slack did not take a call even after the client's retries; ``permanent`` when retrying cannot help."""

    def __init__(self, method: str, error: str, permanent: bool) -> None:
        super().__init__(f"{method}: {error}")
        self.method, self.error, self.permanent = method, error, permanent


class ChatPort(Protocol):
    """What the domain needs from Slack."""

    def post(self, channel: str, text: str, blocks: Blocks | None = None, thread_ts: str | None = None,
             target: Target | None = None) -> str | None:
        """Post a message; its ts, or None when it was queued to be retried (see bot/outbox.py).

        With ``target``, the message's channel and ts are stored on that request once it is posted.
        """

    def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        """Replace a message in place."""

    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        """A message only ``user`` sees."""

    def open_dm(self, user: str) -> str:
        """The DM channel id with ``user``."""

    def user_timezone(self, user: str) -> str:
        """The user's IANA time zone from their Slack profile (a fallback when unknown)."""

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        """Open a modal."""

    def permalink(self, channel: str, ts: str) -> str | None:
        """A link to a message (None when Slack cannot give one)."""

    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        """Share a file (e.g. a chart) in a channel."""

    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        """Publish a user's App Home tab."""
