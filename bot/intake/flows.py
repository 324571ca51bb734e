"""Intake flows for chat surfaces: message → conversation → reply, submission → triage post."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from handlers.blocks.kit import metadata
from bot.intake.conversation import Conversation, Incoming, Reply, ReplyKind
from bot.delivery.ports import ChatPort
from bot.briefs.questions import format_date
from handlers.blocks.intake import brief_message, form_brief, form_errors, intake_form, text_blocks
from bootstrap import Services
from bot.triage.service import Refused, Triage
from storage.models import Request
from storage.repositories import claim_event

log = logging.getLogger(__name__)

_CANCEL_REQUEST = re.compile(r"^cancel\s+(cr-\d+)\W*$", re.IGNORECASE)
#: After this long without an answer the requester is shown that the bot is working.
WORKING_AFTER_S = 1.0


class _Working:
    """Posts "working on it" if the answer is slow; the answer then replaces that message."""

    def __init__(self, port: ChatPort, channel: str, after_s: float) -> None:
        self.port, self.channel = port, channel
        self.ts: str | None = None
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(after_s, self._post)
        self._timer.daemon = True

    def _post(self) -> None:
        with self._lock:
            if not self._done:
                self.ts = self.port.post(self.channel, ":hourglass_flowing_sand: Working on it…")

    def start(self) -> None:
        """Start counting."""
        self._timer.start()

    def finish(self) -> str | None:
        """Stop the timer; the working message's ts, if one was posted."""
        self._timer.cancel()
        with self._lock:
            self._done = True
            return self.ts


@dataclass
class IntakeFlows:
    """What the Slack handlers call for intake (SPEC 2.1) and the triage post (SPEC 2.2)."""

    services: Services
    working_after_s: float = WORKING_AFTER_S

    @property
    def conversation(self) -> Conversation:
        return self.services.conversation

    def first_delivery(self, key: str) -> bool:
        """True once per Slack delivery key (event id), across retries and instances."""
        with self.services.db.session() as session:
            return claim_event(session, key, self.services.clock.now())

    def message(self, port: ChatPort, user: str, channel: str, text: str, files: list[str] | None = None,
                thread_ts: str | None = None) -> Reply | None:
        """A requester's DM: an answer to an ops question, or the intake conversation."""
        if self._cancelled_request(port, user, channel, text):
            return None
        waiting = self._answered_question(port, user, channel, text, thread_ts)
        if waiting is True:
            return None
        timezone = port.user_timezone(user)
        with self._working(port, channel) as working:
            reply = self.conversation.handle(Incoming(user, channel, text, timezone, files or []))
        if waiting:
            reply.notice = (f"(Creative ops is still waiting for your answer about {waiting} — reply in the "
                            "thread of their question to answer it.)")
        self.deliver(port, channel, reply, replace_ts=working.finish())
        return reply

    def _cancelled_request(self, port: ChatPort, user: str, channel: str, text: str) -> bool:
        """``cancel CR-0001``: the requester withdraws a submitted request (plain ``cancel`` drops the draft)."""
        match = _CANCEL_REQUEST.match(text.strip())
        if not match:
            return False
        try:
            Triage(self.services).perform(port, user, match.group(1).upper(), "cancel")
        except Refused as refusal:
            port.post(channel, str(refusal))
        return True

    def _answered_question(self, port: ChatPort, user: str, channel: str, text: str,
                           thread_ts: str | None) -> bool | str | None:
        """Relay the message to ops if it answers their open question (its thread, or no draft in the way).

        True when relayed; otherwise the ref of a question still waiting (so the reply can say so), or None.
        """
        triage = Triage(self.services)
        has_draft = self.conversation.draft_brief(user, channel) is not None
        request = triage.pending_question(user, channel, thread_ts, has_draft)
        if request is None:
            waiting = None if thread_ts else triage.pending_question(user, channel, None, has_draft=False)
            return waiting.ref if waiting else None
        try:
            triage.perform(port, user, request.ref or "", "answer", note=text)
        except Refused as refusal:
            port.post(channel, str(refusal), thread_ts=thread_ts)
        return True

    def submit(self, port: ChatPort, user: str, conversation_id: str, dm_channel: str,
               message_ts: str | None = None) -> Reply:
        """The Submit button: submit the draft and replace the confirmation message."""
        reply = self.conversation.submit(user, conversation_id, port.user_timezone(user))
        self.deliver(port, dm_channel, reply, replace_ts=message_ts if reply.kind is ReplyKind.SUBMITTED else None)
        return reply

    def deliver(self, port: ChatPort, channel: str, reply: Reply, replace_ts: str | None = None) -> None:
        """Announce a submission to ops, then show the reply in the conversation (saying if ops got it)."""
        if reply.kind is ReplyKind.SUBMITTED and reply.request is not None and not self.announce(port, reply.request):
            reply.notice = "\n".join(filter(None, [reply.notice, "I couldn't post it to creative ops just now; "
                                                    "I'll keep trying — nothing is lost."]))
        text = "\n".join(filter(None, [reply.notice, _fallback_note(reply), reply.text]))
        if reply.kind is ReplyKind.CONFIRM and reply.brief is not None:
            blocks = brief_message(reply.brief, text, channel)
        else:
            blocks = text_blocks(text)
        if replace_ts:
            port.update(channel, replace_ts, text, blocks)
        else:
            port.post(channel, text, blocks)

    def announce(self, port: ChatPort, request: Request) -> bool:
        """Post the triage summary of a new request to the ops channel; False when it had to be queued."""
        triage = Triage(self.services)
        posted = triage.post_triage(port, request) is not None
        triage.publish_home(port, request.requester_id)
        return posted

    def open_form(self, port: ChatPort, trigger_id: str, user: str, conversation_id: str | None = None) -> None:
        """Open the intake modal: empty for a new request, the draft for Edit."""
        brief = self.conversation.draft_brief(user, conversation_id) if conversation_id else None
        data = {"conversation": conversation_id} if conversation_id else {}
        port.open_view(trigger_id, intake_form(self.services.catalog, brief, metadata(data)))

    def form_errors(self, port: ChatPort, user: str, values: dict) -> dict[str, str]:
        """Validation errors of a submitted form (empty when it can be accepted)."""
        today = self.conversation.today(port.user_timezone(user))
        return form_errors(form_brief(values), self.services.catalog, today)

    def form_submitted(self, port: ChatPort, user: str, values: dict, conversation_id: str | None,
                       view_id: str) -> Reply:
        """An accepted form: Edit goes back to the conversation; a new request is submitted at once."""
        brief = form_brief(values)
        timezone = port.user_timezone(user)
        dm = port.open_dm(user)
        if conversation_id:
            reply = self.conversation.replace_draft(user, conversation_id, brief, timezone)
            self.deliver(port, dm, reply)
            return reply
        key = f"form:{view_id}"
        self.conversation.replace_draft(user, key, brief, timezone)
        reply = self.conversation.submit(user, key, timezone)
        if reply.kind is ReplyKind.SUBMITTED and reply.request is not None and reply.request.rush:
            reply.notice = (f"Heads-up: {format_date(reply.request.deadline)} is sooner than the standard lead time,"
                            " so it is flagged as a rush." if reply.request.deadline else None)
        self.deliver(port, dm, reply)
        return reply

    @contextmanager
    def _working(self, port: ChatPort, channel: str) -> Iterator[_Working]:
        working = _Working(port, channel, self.working_after_s)
        working.start()
        try:
            yield working
        finally:
            working.finish()


def _fallback_note(reply: Reply) -> str | None:
    if not reply.fallback_reason:
        return None
    return "_(The AI assistant is unavailable right now, so I used my built-in rules.)_"
