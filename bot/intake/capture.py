"""Capture from channels (SPEC 2.6): a message elsewhere becomes a draft in the DM of the person who asked.

The message's text starts the intake conversation (SPEC 2.1) in their DM, its permalink is an asset and its
author is noted. The same message turned into a request twice by the same person gives what the first time
made: the draft carries the message's key, a submitted request its permalink.
"""

from __future__ import annotations

from bot.delivery.ports import ChatPort
from bot.intake.conversation import Conversation
from bot.intake.flows import IntakeFlows
from bot.intake.messages import ReplyKind, Source
from bot.platform.i18n import N_, speaking, t
from bot.platform.text import human, words
from bot.requests.lifecycle import Status
from bot.requests.notices import language_of
from storage.uow import UnitOfWorkFactory

#: The note in the source message's thread when a reaction started a draft; no brief content.
PREPARING_NOTE = ":art: A creative request is being prepared from this message (in a DM with the person who asked)."
UNREADABLE = N_(
    "I couldn't read that message, so no draft was started. Use the message shortcut "
    "“Turn into creative request” on it instead, or tell me here what you need."
)


def _link(permalink: str) -> str:
    """A permalink without its query (Slack adds ``?thread_ts=…`` to replies' links, not every time)."""
    return permalink.partition("?")[0]


class Captures:
    """Turns messages into drafts, once per person and message."""

    def __init__(self, uow: UnitOfWorkFactory, conversation: Conversation, flows: IntakeFlows) -> None:
        self.uow, self.conversation, self.flows = uow, conversation, flows

    def capture(self, port: ChatPort, user: str, source: Source, text: str, *, note_in_thread: bool) -> None:
        """Start a draft in ``user``'s DM from ``text`` (the message as typed), or say what it already gave.

        ``note_in_thread``: a reaction started it, so the message's thread gets one note once a draft is started.
        """
        dm = port.open_dm(user)
        with speaking(language_of(port, user)):
            already = self._already(user, dm, source)
        if already is not None:
            port.post(dm, already)
            return
        reply = self.flows.message(port, user, dm, text, source=source)
        started = reply is not None and reply.kind in (ReplyKind.QUESTION, ReplyKind.CONFIRM)
        if started and note_in_thread:
            port.post(source.channel, PREPARING_NOTE, thread_ts=source.thread_ts or source.ts)

    def unreadable(self, port: ChatPort, user: str) -> None:
        """The message could not be read (deleted, or in a conversation the bot is not in): the person is told."""
        with speaking(language_of(port, user)):
            port.post(port.open_dm(user), t(UNREADABLE))

    def _already(self, user: str, dm: str, source: Source) -> str | None:
        """What to tell ``user`` instead of starting a draft: the draft or request the message gave, or the
        draft in progress that a new one would overwrite; None when a draft can be started."""
        draft = self.conversation.live_draft(user, dm)
        if draft is not None:
            title = words(str(draft.brief.get("title") or "untitled"))
            if draft.pending.get("source") == source.key:
                return t(
                    "You already have a draft from that message: “{title}”. Let's go on with it here.", title=title
                )
            return t(
                "You have a draft in progress here already: “{title}”. Finish it (`submit`) or `cancel` it, "
                "then turn that message into a request again.",
                title=title,
            )
        if source.permalink is None:
            return None
        link = _link(source.permalink)
        with self.uow.read() as u:
            for request in u.requests.for_requester(user, list(Status)):
                if any(_link(str(asset)) == link for asset in request.brief.get("assets") or []):
                    named = f"{request.ref} “{words(request.title)}” — {human(request.status)}"
                    return t("You already have a request from that message: {request}.", request=named)
        return None
