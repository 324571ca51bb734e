"""Nothing lost: a post Slack did not take is kept in the outbox and retried until sent or given up.

``ReliablePort`` wraps the port every flow uses: posts that fail are queued (the caller gets None), calls
that only refresh what is already shown (updates, ephemerals, Home) are logged and skipped, and a posted
message with a target is remembered on its request. ``deliver_due`` is the scheduler's retry job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from bot.platform.clock import Clock
from bot.delivery.ports import Blocks, ChatPort, DeliveryFailed, Target
from storage.db import Database
from storage.models import OutboxMessage
from storage.repositories import Outbox, Requests

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
_FIELDS = {"triage": ("triage_channel", "triage_ts"), "info": ("info_channel", "info_ts"),
           "assignment": ("assignment_channel", "assignment_ts"), "delivery": ("delivery_channel", "delivery_ts")}


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes between tries, at most 30."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 30))


def remember(db: Database, target: Target, channel: str, ts: str) -> None:
    """Store where a request's message (triage, question, assignment, delivery) was posted."""
    with db.session() as session:
        _remember_in(session, target, channel, ts)


@dataclass
class ReliablePort:
    """A ChatPort that never loses a post and never lets a cosmetic failure break a flow."""

    inner: ChatPort
    db: Database
    clock: Clock
    alert_channel: str | None = None

    def post(self, channel: str, text: str, blocks: Blocks | None = None, thread_ts: str | None = None,
             target: Target | None = None) -> str | None:
        try:
            ts = self.inner.post(channel, text, blocks, thread_ts)
        except DeliveryFailed as failure:
            self._enqueue(channel, text, blocks, thread_ts, target, failure)
            return None
        if target and ts:
            remember(self.db, target, channel, ts)
        return ts

    def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        self._best_effort(self.inner.update, channel, ts, text, blocks)

    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        self._best_effort(self.inner.ephemeral, channel, user, text, thread_ts)

    def open_dm(self, user: str) -> str:
        try:
            return self.inner.open_dm(user)
        except DeliveryFailed:
            return user  # chat.postMessage to a user id posts in the app's DM with them

    def user_timezone(self, user: str) -> str:
        return self.inner.user_timezone(user)

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        self._best_effort(self.inner.open_view, trigger_id, view)

    def permalink(self, channel: str, ts: str) -> str | None:
        return self.inner.permalink(channel, ts)

    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        try:
            self.inner.upload_file(channel, filename, content, title, comment)
        except DeliveryFailed as failure:
            self._enqueue(channel, f"{title}\n{comment}\n(the chart could not be uploaded)", None, None, None,
                          failure)

    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        self._best_effort(self.inner.publish_home, user, view)

    def _best_effort(self, call: Any, *args: Any) -> None:
        try:
            call(*args)
        except DeliveryFailed:
            pass  # already logged by the port with method and error; the next refresh shows the state

    def _enqueue(self, channel: str, text: str, blocks: Blocks | None, thread_ts: str | None,
                 target: Target | None, failure: DeliveryFailed) -> None:
        now = self.clock.now()
        message = OutboxMessage(channel=channel, text=text, blocks=blocks or [], thread_ts=thread_ts,
                                purpose=f"{target[0]}:{target[1]}" if target else "", attempts=1,
                                last_error=failure.error[:200], next_attempt_at=now + backoff(1), created_at=now)
        with self.db.session() as session:
            Outbox(session).add(message)
        log.warning("slack post queued", extra={"channel": channel, "error": failure.error,
                                                "ref": target[0] if target else None})


def deliver_due(db: Database, port: ChatPort, clock: Clock, alert_channel: str | None) -> tuple[int, int]:
    """Retry every queued post that is due; returns (sent, given up). Several schedulers never double-send."""
    sent = 0
    abandoned: list[OutboxMessage] = []
    now = clock.now()
    with db.session() as session:
        for message in Outbox(session).due(now):
            try:
                ts = port.post(message.channel, message.text, message.blocks or None, message.thread_ts)
            except DeliveryFailed as failure:
                message.attempts += 1
                message.last_error = failure.error[:200]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = "given_up"
                    abandoned.append(message)
                else:
                    message.next_attempt_at = now + backoff(message.attempts)
            else:
                message.status = "sent"
                sent += 1
                if message.purpose and ts:
                    ref, _, kind = message.purpose.partition(":")
                    _remember_in(session, (ref, kind), message.channel, ts)
            session.add(message)
    if abandoned:
        _alert(port, alert_channel, abandoned)
    return sent, len(abandoned)


def _remember_in(session: Session, target: Target, channel: str, ts: str) -> None:
    request = Requests(session).by_ref(target[0], lock=True)
    if request is not None:
        channel_field, ts_field = _FIELDS[target[1]]
        setattr(request, channel_field, channel)
        setattr(request, ts_field, ts)
        session.add(request)


def _alert(port: ChatPort, channel: str | None, messages: list[OutboxMessage]) -> None:
    """Log every abandoned post and tell the ops channel once for all of them."""
    for message in messages:
        log.error("slack post given up", extra={"channel": message.channel, "error": message.last_error,
                                                "attempts": message.attempts})
    lines = [f"• to <#{m.channel}> ({m.last_error}): “{m.text[:200]}”" for m in messages if m.channel != channel]
    if channel and lines:
        try:
            port.post(channel, f":warning: I gave up delivering {len(lines)} message(s) after {MAX_ATTEMPTS} "
                      "attempts:\n" + "\n".join(lines[:20]))
        except DeliveryFailed:
            pass  # logged by the port; nowhere else to tell
