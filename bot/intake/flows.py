"""Intake flows for chat surfaces: message → conversation → reply, submission → triage post."""

from __future__ import annotations

import re

from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.delivery.cards import Notice
from bot.delivery.ports import ChatPort
from bot.intake.cards import BriefCard, ChoiceCard, IntakeForm
from bot.intake.conversation import Conversation, ReadAhead
from bot.intake.form import form_errors
from bot.intake.messages import Incoming, Reply, ReplyKind, Source
from bot.intake.progress import working
from bot.platform.i18n import speaking, t
from bot.platform.text import format_date
from bot.requests.home import Homes
from bot.requests.notices import language_of
from bot.requests.roles import Refused
from bot.triage.card import TriageCards
from bot.triage.service import Triage, question_waiting
from storage.models import Request

_CANCEL_REQUEST = re.compile(r"^cancel\s+(cr-\d+)\W*$", re.IGNORECASE)
#: After this long without an answer the requester is shown that the bot is working: above a model's usual
#: p99 for one extraction, so a normal answer costs one message, not three (post, answer, delete).
WORKING_AFTER_S = 2.5


class IntakeFlows:
    """What the chat surfaces call for intake (SPEC 2.1) and the triage post (SPEC 2.2)."""

    def __init__(
        self,
        conversation: Conversation,
        triage: Triage,
        cards: TriageCards,
        homes: Homes,
        catalog: Catalog,
        working_after_s: float = WORKING_AFTER_S,
    ) -> None:
        self.conversation, self.triage, self.cards, self.homes = conversation, triage, cards, homes
        self.catalog, self.working_after_s = catalog, working_after_s

    def message(
        self,
        port: ChatPort,
        user: str,
        channel: str,
        text: str,
        files: list[str] | None = None,
        thread_ts: str | None = None,
        source: Source | None = None,
    ) -> Reply | None:
        """A requester's DM (or a message captured for them, ``source``): an answer to an ops question, or the
        intake conversation."""
        waiting, ahead = None, None
        if source is None:  # a captured message is the draft's content, never a command or an answer to ops
            if self.cancelled_request(port, user, channel, text):
                return None
            with self.conversation.uow.read() as u:  # one read for the ops question and the draft
                question, ahead = question_waiting(u, user, channel, thread_ts), ReadAhead(u.drafts.get(user, channel))
            waiting = self._answered_question(port, user, channel, text, thread_ts, question, ahead)
            if waiting is True:
                return None
        timezone, language = port.user_timezone(user), language_of(port, user)
        with working(port, channel, self.working_after_s, language, text) as indicator:
            incoming = Incoming(user, channel, text, timezone, files or [], source=source, language=language)
            reply = self.conversation.handle(incoming, ahead)
            if waiting:
                with speaking(reply.language):
                    reply.notice = t(
                        "(Creative ops is still waiting for your answer about {ref} — reply in the thread of their "
                        "question to answer it.)",
                        ref=waiting,
                    )
            self.deliver(port, channel, reply)
            indicator.finish()
        return reply

    def cancelled_request(self, port: ChatPort, user: str, channel: str, text: str) -> bool:
        """``cancel CR-0001``: the requester withdraws a submitted request (plain ``cancel`` drops the draft);
        True when ``text`` was that command (done, or refused in ``channel``)."""
        match = _CANCEL_REQUEST.match(text.strip())
        if not match:
            return False
        try:
            self.triage.perform(port, user, match.group(1).upper(), "cancel")
        except Refused as refusal:
            port.post(channel, str(refusal))
        return True

    def _answered_question(
        self,
        port: ChatPort,
        user: str,
        channel: str,
        text: str,
        thread_ts: str | None,
        request: Request | None,
        ahead: ReadAhead,
    ) -> bool | str | None:
        """Relay the message to ops if it answers their open question ``request`` (its thread, or no draft in
        the way).

        True when relayed; otherwise the ref of a question still waiting (so the reply can say so), or None.
        """
        if request is None:
            return None
        if not thread_ts and ahead.draft is not None:
            return request.ref  # the message is for the draft: the question is only recalled
        try:
            self.triage.perform(port, user, request.ref or "", "answer", note=text)
        except Refused as refusal:
            port.post(channel, str(refusal), thread_ts=thread_ts)
        return True

    def submit(
        self, port: ChatPort, user: str, conversation_id: str, dm_channel: str, message_ts: str | None = None
    ) -> Reply:
        """The Submit button: submit the draft and replace the confirmation message."""
        reply = self.conversation.submit(user, conversation_id, port.user_timezone(user), language_of(port, user))
        self.deliver(port, dm_channel, reply, replace_ts=message_ts if reply.kind is ReplyKind.SUBMITTED else None)
        return reply

    def choose(self, port: ChatPort, user: str, conversation_id: str, dm_channel: str, picked: str) -> Reply:
        """A button of a yes/no question (Keep as rush, Move to earliest, It's new, Same request)."""
        timezone, language = port.user_timezone(user), language_of(port, user)
        incoming = Incoming(user, conversation_id, "", timezone, choice=picked, language=language)
        reply = self.conversation.handle(incoming)
        self.deliver(port, dm_channel, reply)
        return reply

    def deliver(self, port: ChatPort, channel: str, reply: Reply, replace_ts: str | None = None) -> None:
        """Announce a submission to ops, then show the reply in the conversation."""
        if reply.kind is ReplyKind.SUBMITTED and reply.request is not None:
            self.announce(port, [reply.request, *reply.linked_requests])
        with speaking(reply.language):
            text = "\n".join(filter(None, [reply.notice, fallback_note(reply), reply.text]))
        card: BriefCard | ChoiceCard | Notice
        if reply.kind is ReplyKind.CONFIRM and reply.brief is not None:
            card = BriefCard(
                intro=text, brief=reply.brief, linked=reply.linked, conversation_id=channel, language=reply.language
            )
        elif reply.choices:
            card = ChoiceCard(text=text, conversation_id=channel, actions=reply.choices, language=reply.language)
        else:
            card = Notice(text=text)
        if replace_ts:
            port.replace_or_post(channel, replace_ts, text, card)
        else:
            port.post(channel, text, card)

    def announce(self, port: ChatPort, requests: list[Request]) -> None:
        """Post the triage summary of each new request (linked ones together) to the ops channel and refresh the
        requester's Home."""
        for request in requests:
            self.cards.post(port, request)
        self.homes.publish(port, requests[0].requester_id)

    def open_form(self, port: ChatPort, trigger_id: str, user: str, conversation_id: str | None = None) -> None:
        """Open the intake form: empty for a new request, the draft for Edit."""
        brief = self.conversation.draft_brief(user, conversation_id) if conversation_id else None
        port.open_form(trigger_id, IntakeForm(brief=brief or Brief(), conversation_id=conversation_id))

    def form_errors(self, port: ChatPort, user: str, brief: Brief) -> dict[str, str]:
        """Validation errors of a submitted form, by field (empty when it can be accepted)."""
        return form_errors(brief, self.catalog, self.conversation.today(port.user_timezone(user)))

    def form_submitted(
        self, port: ChatPort, user: str, brief: Brief, conversation_id: str | None, view_id: str
    ) -> Reply:
        """An accepted form: Edit goes back to the conversation; a new request is submitted at once."""
        timezone, language = port.user_timezone(user), language_of(port, user)
        dm = port.open_dm(user)
        if conversation_id:
            reply = self.conversation.replace_draft(user, conversation_id, brief, timezone, language)
            self.deliver(port, dm, reply)
            return reply
        key = f"form:{view_id}"
        self.conversation.replace_draft(user, key, brief, timezone, language)
        reply = self.conversation.submit(user, key, timezone, language)
        if reply.kind is ReplyKind.SUBMITTED and reply.request is not None and reply.request.rush:
            with speaking(reply.language):
                reply.notice = (
                    t(
                        "Heads-up: {day} is sooner than the standard lead time, so it is flagged as a rush.",
                        day=format_date(reply.request.deadline),
                    )
                    if reply.request.deadline
                    else None
                )
        self.deliver(port, dm, reply)
        return reply


def fallback_note(reply: Reply) -> str | None:
    """The line that tells the requester the rules engine answered because the LLM was unavailable."""
    if not reply.fallback_reason:
        return None
    return t("_(The AI assistant is unavailable right now, so I used my built-in rules.)_")
