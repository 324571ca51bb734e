"""The one door from the domain to the chat platform: the composition root passes an implementation in."""

from __future__ import annotations

from typing import NamedTuple, Protocol

from bot.delivery.cards import Card

#: Where to remember a posted message: (request ref, "triage" | "info" | "assignment").
Target = tuple[str, str]


class Posted(NamedTuple):
    """Where a message went: the conversation Slack put it in (a DM's id for a post to a user) and its ts."""

    channel: str
    ts: str


class Message(NamedTuple):
    """A message someone else wrote: its author and its text as the platform sends it."""

    author: str
    text: str
    #: The ts of its thread's parent when it is a reply in a thread.
    thread_ts: str | None = None


class DeliveryFailed(Exception):
    """The platform did not take a call even after retries; ``permanent`` when retrying cannot help."""

    def __init__(self, method: str, error: str, permanent: bool) -> None:
        super().__init__(f"{method}: {error}")
        self.method, self.error, self.permanent = method, error, permanent


class ChatPort(Protocol):
    """What the domain needs from Slack; ``text`` is the notification, ``card`` what the message shows."""

    def post(
        self,
        channel: str,
        text: str,
        card: Card | None = None,
        thread_ts: str | None = None,
        target: Target | None = None,
    ) -> Posted | None:
        """Post a message; where it went, or None when it was not posted (see bot/delivery/outbox.py).

        With ``target``, the message's channel and ts are stored on that request once it is posted.
        """

    def update(self, channel: str, ts: str, text: str, card: Card | None = None, target: Target | None = None) -> None:
        """Replace a message in place; with ``target`` and no ``ts``, that request's message once it is posted."""

    def replace_or_post(self, channel: str, ts: str, text: str, card: Card | None = None) -> None:
        """Replace a message in place, or post it anew when it can no longer be updated (it must be read)."""

    def signal(self, channel: str, text: str) -> Posted | None:
        """Post a passing message at once, outside any queue (a progress indicator); None when it failed."""

    def reply_to(self, channel: str, target: Target, text: str) -> None:
        """A reply in the thread of a request's message (``target``, posted to ``channel``) once it is posted."""

    def delete(self, channel: str, ts: str) -> None:
        """Remove a message the bot posted."""

    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        """A message only ``user`` sees."""

    def open_dm(self, user: str) -> str:
        """The DM channel id with ``user``."""

    def user_timezone(self, user: str) -> str:
        """The user's IANA time zone from their profile (a fallback when unknown)."""

    def known_timezone(self, user: str) -> str:
        """The user's time zone if already known, else the fallback; never calls the platform (for acks)."""

    def user_locale(self, user: str) -> str | None:
        """The user's locale from their profile ("de-DE"), None when the platform does not say."""

    def known_locale(self, user: str) -> str | None:
        """The user's locale if already known, else None; never calls the platform (inside a transaction)."""

    def open_form(self, trigger_id: str, form: Card) -> None:
        """Open a form (a modal)."""

    def permalink(self, channel: str, ts: str) -> str | None:
        """A link to a message (None when the platform cannot give one)."""

    def message(self, channel: str, ts: str) -> Message | None:
        """A message of a conversation the bot is in, a reply in a thread too (None when it cannot be read)."""

    def channel_name(self, channel: str) -> str | None:
        """A channel's name, without ``#`` (None when the platform cannot say)."""

    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        """Share a file (e.g. a chart) in a channel."""

    def publish_home(self, user: str, home: Card) -> None:
        """Publish a user's home tab."""


class Sender(ChatPort, Protocol):
    """The port straight to the platform that the outbox dispatcher sends through."""

    def post_keyed(self, channel: str, text: str, card: Card | None, thread_ts: str | None, key: str) -> Posted:
        """Post a message carrying ``key`` (in its metadata), so that it can be found again."""

    def find_keyed(self, channel: str, key: str, thread_ts: str | None) -> Posted | None:
        """A recent message posted with ``key`` in ``channel`` (or the thread), if any."""
