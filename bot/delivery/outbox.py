"""Nothing lost: a post Slack did not take is kept in the outbox and retried until sent or given up.

``ReliablePort`` wraps the port every flow uses: posts that fail are queued (the caller gets None), calls
that only refresh what is already shown (updates, ephemerals, Home) are logged and skipped, and a posted
message with a target is remembered on its request. A permanent refusal (the channel does not exist, the
app is not in it…) is not queued: no retry can help, so ops are told at once. ``deliver_due`` is the
scheduler's retry job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.delivery.cards import Card, card_from_json
from bot.delivery.once import claimed
from bot.delivery.ports import ChatPort, DeliveryFailed, Posted, Target
from bot.platform.clock import Clock
from bot.platform.text import clamp_chat, defused
from storage.models import OutboxMessage
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SLACK_REFUSED = "slack_refused"
_HINTS = {
    "not_in_channel": "Invite the app to that channel.",
    "channel_not_found": "The channel does not exist, or the app cannot see it (invite it to private channels).",
    "is_archived": "The channel is archived.",
    "channel_is_archived": "The channel is archived.",
    "cannot_dm_bot": "That user is a bot; it cannot get DMs.",
    "invalid_blocks": "The message was malformed: this is a bug in creative-intake, please report it.",
}
_FIELDS = {
    "triage": ("triage_channel", "triage_ts"),
    "info": ("info_channel", "info_ts"),
    "assignment": ("assignment_channel", "assignment_ts"),
}


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes between tries, at most 30."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 30))


@dataclass
class ReliablePort:
    """A ChatPort that never loses a post and never lets a cosmetic failure break a flow."""

    inner: ChatPort
    uow: UnitOfWorkFactory
    clock: Clock
    ops_channel: str | None = None

    def post(
        self,
        channel: str,
        text: str,
        card: Card | None = None,
        thread_ts: str | None = None,
        target: Target | None = None,
    ) -> Posted | None:
        try:
            posted = self.inner.post(channel, text, card, thread_ts)
        except DeliveryFailed as failure:
            self._refused(channel, text, card, thread_ts, target, failure)
            return None
        if target and posted:
            with self.uow() as u:
                _remember(u, target, posted)
        return posted

    def update(self, channel: str, ts: str, text: str, card: Card | None = None) -> None:
        self._best_effort(self.inner.update, channel, ts, text, card)

    def delete(self, channel: str, ts: str) -> None:
        self._best_effort(self.inner.delete, channel, ts)

    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        self._best_effort(self.inner.ephemeral, channel, user, text, thread_ts)

    def open_dm(self, user: str) -> str:
        try:
            return self.inner.open_dm(user)
        except DeliveryFailed:
            return user  # chat.postMessage to a user id posts in the app's DM with them

    def user_timezone(self, user: str) -> str:
        return self.inner.user_timezone(user)

    def known_timezone(self, user: str) -> str:
        return self.inner.known_timezone(user)

    def open_form(self, trigger_id: str, form: Card) -> None:
        self._best_effort(self.inner.open_form, trigger_id, form)

    def permalink(self, channel: str, ts: str) -> str | None:
        return self.inner.permalink(channel, ts)

    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        try:
            self.inner.upload_file(channel, filename, content, title, comment)
        except DeliveryFailed as failure:
            self._refused(channel, f"{title}\n{comment}\n(the chart could not be uploaded)", None, None, None, failure)

    def publish_home(self, user: str, home: Card) -> None:
        self._best_effort(self.inner.publish_home, user, home)

    def _best_effort(self, call: Callable[..., None], *args: Any) -> None:
        with suppress(DeliveryFailed):  # logged by the port with method and error; the next refresh shows the state
            call(*args)

    def _refused(
        self,
        channel: str,
        text: str,
        card: Card | None,
        thread_ts: str | None,
        target: Target | None,
        failure: DeliveryFailed,
    ) -> None:
        """A post Slack did not take: queued for retries, or, when no retry can help, told to ops now."""
        if failure.permanent:
            log.error(
                "slack post refused", extra={"channel": channel, "error": failure.error, "method": failure.method}
            )
            tell_ops_refused(self.inner, self.uow, self.clock, self.ops_channel, channel, failure.error, text)
            return
        now = self.clock.now()
        message = OutboxMessage(
            channel=channel,
            text=text,
            card=card.to_json() if card else None,
            thread_ts=thread_ts,
            purpose=f"{target[0]}:{target[1]}" if target else "",
            attempts=1,
            last_error=failure.error[:200],
            next_attempt_at=now + backoff(1),
            created_at=now,
        )
        with self.uow() as u:
            u.outbox.add(message)
        log.warning(
            "slack post queued",
            extra={"channel": channel, "error": failure.error, "ref": target[0] if target else None},
        )


def deliver_due(uow: UnitOfWorkFactory, port: ChatPort, clock: Clock, alert_channel: str | None) -> tuple[int, int]:
    """Retry every queued post that is due; returns (sent, given up). Several schedulers never double-send."""
    sent = 0
    abandoned: list[OutboxMessage] = []
    now = clock.now()
    with uow() as u:
        for message in u.outbox.due(now):
            card = card_from_json(message.card) if message.card else None
            try:
                posted = port.post(message.channel, message.text, card, message.thread_ts)
            except DeliveryFailed as failure:
                message.attempts += 1
                message.last_error = failure.error[:200]
                if message.attempts >= MAX_ATTEMPTS or failure.permanent:
                    message.status = "given_up"
                    abandoned.append(message)
                else:
                    message.next_attempt_at = now + backoff(message.attempts)
            else:
                message.status = "sent"
                sent += 1
                if message.purpose and posted:
                    ref, _, kind = message.purpose.partition(":")
                    _remember(u, (ref, kind), posted)
            u.outbox.save(message)
    if abandoned:
        _alert(port, uow, alert_channel, abandoned)
    return sent, len(abandoned)


def _remember(u: UnitOfWork, target: Target, posted: Posted) -> None:
    """Store where a request's message (triage, question, assignment) was posted: Slack's conversation id."""
    request = u.requests.by_ref(target[0], lock=True)
    if request is not None:
        channel_field, ts_field = _FIELDS[target[1]]
        setattr(request, channel_field, posted.channel)
        setattr(request, ts_field, posted.ts)
        u.requests.save(request)


def tell_ops_refused(
    port: ChatPort,
    uow: UnitOfWorkFactory,
    clock: Clock,
    ops_channel: str | None,
    channel: str,
    error: str,
    text: str,
) -> None:
    """Tell ops that Slack refused a post for good, once an hour per channel and error.

    In the ops channel; when that channel is the one refused, in a DM to each ops manager.
    """
    now = clock.now()
    if not claimed(uow, SLACK_REFUSED, f"{channel}:{error}"[:64], now.strftime("%Y-%m-%dT%H"), now):
        return
    where = f"<#{channel}>" if channel[:1] in ("C", "G") else f"the DM with {defused(channel)}"
    alert = (
        f":warning: Slack refused a message to {where} ({error}), so it was not sent. {_HINTS.get(error, '')}\n"
        f"It said: “{clamp_chat(defused(text), 300)}”"
    )
    for recipient in _ops_recipients(uow, ops_channel, {channel}):
        with suppress(DeliveryFailed):  # logged by the port; nowhere else to tell
            port.post(recipient, alert)


def _ops_recipients(uow: UnitOfWorkFactory, ops_channel: str | None, failing: set[str]) -> list[str]:
    """Where ops hear of delivery problems: their channel, or each ops manager when that channel is failing."""
    if ops_channel and ops_channel not in failing:
        return [ops_channel]
    with uow() as u:
        return [m.slack_id for m in u.team.all() if m.is_ops]


def _alert(port: ChatPort, uow: UnitOfWorkFactory, channel: str | None, messages: list[OutboxMessage]) -> None:
    """Log every abandoned post and tell ops once for all of them."""
    for message in messages:
        log.error(
            "slack post given up",
            extra={"channel": message.channel, "error": message.last_error, "attempts": message.attempts},
        )
    lines = [f"• to {m.channel} ({m.last_error}): “{clamp_chat(defused(m.text), 200)}”" for m in messages]
    alert = f":warning: I gave up delivering {len(lines)} message(s):\n" + "\n".join(lines[:20])
    for recipient in _ops_recipients(uow, channel, {m.channel for m in messages}):
        with suppress(DeliveryFailed):  # logged by the port; nowhere else to tell
            port.post(recipient, alert)
