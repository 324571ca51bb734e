"""What goes into the conversation and what comes out: a requester's message and the bot's reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.briefs.assessment import Assessment
from bot.briefs.model import Brief
from bot.delivery.cards import Action
from bot.platform.i18n import ENGLISH
from storage.models import Request


class ReplyKind(StrEnum):
    """What the reply is, so each surface can render it."""

    QUESTION = "question"
    CONFIRM = "confirm"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"
    HELP = "help"
    STATUS = "status"


@dataclass(frozen=True)
class Source:
    """A message from elsewhere turned into a request (SPEC 2.6): where it is, who wrote it, its link."""

    channel: str
    ts: str
    #: Who wrote it ("" for a message of an app or a workflow).
    author: str
    permalink: str | None = None
    channel_name: str | None = None
    #: Its thread's parent when it is a reply in a thread.
    thread_ts: str | None = None

    @property
    def key(self) -> str:
        """What identifies the message: its channel and ts."""
        return f"{self.channel}:{self.ts}"

    @property
    def note(self) -> str:
        """The line of the brief's notes that says where it came from (the author a mention, shown defused)."""
        by = f" by <@{self.author}>" if self.author else ""
        where = f" in #{self.channel_name}" if self.channel_name else ""
        return f"From a message{by}{where}."


@dataclass
class Incoming:
    """A requester's message."""

    requester_id: str
    conversation_id: str
    text: str
    timezone: str = "UTC"
    files: list[str] = field(default_factory=list)
    #: A button's answer to the open yes/no question (``answers.Choice``), instead of text.
    choice: str | None = None
    #: The message this one was captured from, when it starts a draft from elsewhere.
    source: Source | None = None
    #: The requester's language from their chat locale (``i18n.LANGUAGES``); None: read from what they write.
    language: str | None = None


@dataclass
class Reply:
    """The bot's answer; ``brief`` is set when the whole brief is shown, ``request`` on submission."""

    kind: ReplyKind
    text: str
    brief: Brief | None = None
    request: Request | None = None
    assessment: Assessment | None = None
    notice: str | None = None
    engine: str | None = None
    fallback_reason: str | None = None
    #: The yes/no question's buttons (SPEC 6.5), when the reply asks one.
    choices: list[Action] = field(default_factory=list)
    #: Linked requests (SPEC 2.7): the other briefs shown with ``brief``, the other requests submitted with it.
    linked: list[Brief] = field(default_factory=list)
    linked_requests: list[Request] = field(default_factory=list)
    #: The language the reply is written in, for the cards that show it.
    language: str = ENGLISH
