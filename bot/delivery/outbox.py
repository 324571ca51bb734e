"""The transactional outbox: every call to Slack that a state change causes is a row written with the change.

``OutboxPort`` is the port every flow uses: a post, update, deletion, ephemeral or Home publish is stored in
the unit of work in progress (so, in a worker, in the same transaction as the state change and the inbox
item's done-mark), never sent from inside it. ``Dispatcher`` sends the rows: it leases one row in a short
transaction, calls Slack with no transaction open, and records the outcome in another short one. Rows of one
conversation go out in order. A post carries its row's key in its metadata: when a dispatcher died between
Slack's answer and the record, the next one finds the message by that key instead of posting it again.
A permanent refusal (the channel does not exist, the app is not in it…) is not retried: ops are told at once.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta

from bot.delivery.cards import Card, card_from_json
from bot.delivery.leases import Leases
from bot.delivery.once import claimed
from bot.delivery.ports import DeliveryFailed, Message, Posted, Sender, Target
from bot.platform.clock import Clock
from bot.platform.text import clamp_chat, defused
from storage.models import OutboxMessage
from storage.repositories import GIVEN_UP, SENT, SUPERSEDED
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
SLACK_REFUSED = "slack_refused"
#: The ``purpose`` of an update that must reach its reader even if the message is gone: posted anew then.
OR_POST = "or_post"
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
    """1, 2, 4 … seconds between tries, at most 10 minutes (20 tries span about two hours)."""
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), 600))


@dataclass
class OutboxPort:
    """A ChatPort whose calls that show something are rows of the outbox; reads go straight to Slack."""

    inner: Sender
    uow: UnitOfWorkFactory
    clock: Clock
    #: For reads made while work holds its transaction (a DM's id, a permalink): one quick try, no retries.
    reads: Sender | None = None
    #: Called once what was queued is committed (this process's dispatchers look at once).
    on_queued: Callable[[], None] | None = None

    def post(
        self,
        channel: str,
        text: str,
        card: Card | None = None,
        thread_ts: str | None = None,
        target: Target | None = None,
    ) -> Posted | None:
        self._queue("post", channel, text, card, thread_ts=thread_ts, purpose=_purpose(target))
        return None

    def update(self, channel: str, ts: str, text: str, card: Card | None = None, target: Target | None = None) -> None:
        self._queue("update", channel, text, card, ts=ts or None, purpose=_purpose(target))

    def replace_or_post(self, channel: str, ts: str, text: str, card: Card | None = None) -> None:
        """Replace a message in place; if it can no longer be updated, post it anew (it must be read)."""
        self._queue("update", channel, text, card, ts=ts, purpose=OR_POST)

    def reply_to(self, channel: str, target: Target, text: str) -> None:
        self._queue("reply", channel, text, purpose=_purpose(target))  # after that message: the same channel

    def delete(self, channel: str, ts: str) -> None:
        self._queue("delete", channel, "", ts=ts)

    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        self._queue("ephemeral", channel, text, thread_ts=thread_ts, user=user)

    def publish_home(self, user: str, home: Card) -> None:
        self._queue("home", user, "", home, user=user)

    def signal(self, channel: str, text: str) -> Posted | None:
        return self.inner.signal(channel, text)

    def open_dm(self, user: str) -> str:
        try:
            return (self.reads or self.inner).open_dm(user)
        except DeliveryFailed:
            return user  # chat.postMessage to a user id posts in the app's DM with them

    def user_timezone(self, user: str) -> str:
        return self.inner.user_timezone(user)

    def known_timezone(self, user: str) -> str:
        return self.inner.known_timezone(user)

    def user_locale(self, user: str) -> str | None:
        return self.inner.user_locale(user)

    def known_locale(self, user: str) -> str | None:
        return self.inner.known_locale(user)

    def open_form(self, trigger_id: str, form: Card) -> None:
        with suppress(DeliveryFailed):  # logged by the port; the click can be repeated
            self.inner.open_form(trigger_id, form)

    def permalink(self, channel: str, ts: str) -> str | None:
        return (self.reads or self.inner).permalink(channel, ts)

    def message(self, channel: str, ts: str) -> Message | None:
        return (self.reads or self.inner).message(channel, ts)

    def channel_name(self, channel: str) -> str | None:
        return (self.reads or self.inner).channel_name(channel)

    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        """Files are not kept in the outbox: uploaded now, and when Slack refuses, the text is queued instead."""
        try:
            self.inner.upload_file(channel, filename, content, title, comment)
        except DeliveryFailed:
            self.post(channel, f"{title}\n{comment}\n(the chart could not be uploaded)")

    def _queue(
        self,
        method: str,
        channel: str,
        text: str,
        card: Card | None = None,
        *,
        thread_ts: str | None = None,
        ts: str | None = None,
        user: str | None = None,
        purpose: str = "",
    ) -> None:
        now = self.clock.now()
        row = OutboxMessage(
            key=uuid.uuid4().hex,
            method=method,
            channel=channel,
            ts=ts,
            user=user,
            text=text,
            card=card.to_json() if card else None,
            thread_ts=thread_ts,
            purpose=purpose,
            next_attempt_at=now,
            created_at=now,
        )
        with self.uow() as u:
            u.outbox.add(row)
        if self.on_queued is not None:
            self.uow.after_commit(self.on_queued)


def _purpose(target: Target | None) -> str:
    return f"{target[0]}:{target[1]}" if target else ""


@dataclass
class Dispatcher:
    """Sends the outbox: one row at a time, no transaction open while Slack is called."""

    uow: UnitOfWorkFactory
    sender: Sender
    clock: Clock
    ops_channel: str | None
    leases: Leases = field(default_factory=Leases)

    def run_one(self) -> str | None:
        """Send the oldest due row; what became of it (sent, retry, given_up, superseded), None when none was due."""
        for row, lease in self.leases.take(self.uow, self.clock, "outbox", lambda u: u.outbox):
            return self._send_leased(row, lease)
        return None

    def _send_leased(self, row: OutboxMessage, lease: str) -> str:
        try:
            return self._dispatch(row, lease)
        finally:
            self.leases.release("outbox", row.id)

    def drain(self) -> Counter[str]:
        """Send every due row (the command line and tests); how many ended each way."""
        outcomes: Counter[str] = Counter()
        while (outcome := self.run_one()) is not None:
            outcomes[outcome] += 1
        return outcomes

    def _dispatch(self, row: OutboxMessage, lease: str) -> str:
        if row.method == "home" and self._superseded(row):
            return self._record(row, lease, SUPERSEDED)
        itself = row.method != "reply"  # the request's message itself, not a reply in its thread
        if not itself:
            with self.uow.read() as u:
                where = _where(u, row.purpose)
            if where is None:  # the message it replies to was never posted
                return self._record(row, lease, SUPERSEDED)
            row.channel, row.thread_ts, row.method = where[0], where[1], "post"
        try:
            posted = self._send(row)
        except DeliveryFailed as failure:
            return self._failed(row, lease, failure)
        return self._record(row, lease, SENT, posted, itself)

    def _send(self, row: OutboxMessage) -> Posted | None:
        """The one call a row stands for; where a post went."""
        card = card_from_json(row.card) if row.card else None
        if row.method == "post":
            return self._post(row, card)
        if row.method == "update":
            return self._update(row, card)
        if row.method == "delete":
            try:
                self.sender.delete(row.channel, row.ts or "")
            except DeliveryFailed as failure:
                if failure.error != "message_not_found":  # gone already: done
                    raise
        elif row.method == "ephemeral":
            self.sender.ephemeral(row.channel, row.user or "", row.text, row.thread_ts)
        elif row.method == "home":
            assert card is not None
            self.sender.publish_home(row.user or row.channel, card)
        return None

    def _post(self, row: OutboxMessage, card: Card | None) -> Posted:
        key = row.key or ""
        if row.attempts > 1:  # tried before: it may have been posted with no record of it
            with suppress(DeliveryFailed):  # no way to look: post (at least once beats never)
                found = self.sender.find_keyed(row.channel, key, row.thread_ts)
                if found is not None:
                    log.info("outbox post found already posted", extra={"channel": row.channel, "row": row.id})
                    return found
        return self.sender.post_keyed(row.channel, row.text, card, row.thread_ts, key)

    def _update(self, row: OutboxMessage, card: Card | None) -> Posted | None:
        channel, ts = row.channel, row.ts
        if not ts and row.purpose:  # a request's message whose ts was not known when the change was made
            with self.uow.read() as u:
                channel, ts = _where(u, row.purpose) or (channel, None)
                waiting = not ts and u.outbox.post_pending(row.purpose)
            if waiting:  # its post is on its way (in another conversation's queue): after it
                raise DeliveryFailed("chat.update", "message_not_posted_yet", permanent=False)
            if not ts:
                return self._post(row, card)  # it was never posted (given up): show the current state now
        if row.purpose == OR_POST:
            self.sender.replace_or_post(channel, ts or "", row.text, card)
        else:
            self.sender.update(channel, ts or "", row.text, card)
        return None

    def _superseded(self, row: OutboxMessage) -> bool:
        with self.uow.read() as u:
            return u.outbox.newer_pending(row)

    def _record(
        self, row: OutboxMessage, lease: str, status: str, posted: Posted | None = None, itself: bool = False
    ) -> str:
        """Record how the row ended; for a request's message ``itself``, where Slack put it."""
        with self.uow() as u:
            if not u.outbox.record(row.id or 0, lease, status, self.clock.now(), posted):
                log.warning("outbox lease lost", extra={"row": row.id})
                return status
            if posted is not None and itself and row.purpose and row.purpose != OR_POST:
                _remember(u, row.purpose, posted)
        return status

    def _failed(self, row: OutboxMessage, lease: str, failure: DeliveryFailed) -> str:
        give_up = failure.permanent or row.attempts >= MAX_ATTEMPTS
        with self.uow() as u:
            current = u.outbox.leased(row.id or 0, lease)
            if current is None:
                return "lease_lost"
            current.last_error, current.lease, current.lease_until = failure.error[:200], None, None
            if give_up:
                current.status = GIVEN_UP
            else:
                current.next_attempt_at = self.clock.now() + backoff(current.attempts)
            u.outbox.save(current)
        if not give_up:
            log.warning(
                "slack call queued for retry",
                extra={"channel": row.channel, "method": row.method, "error": failure.error, "attempts": row.attempts},
            )
            return "retry"
        log.error(
            "slack call given up",
            extra={"channel": row.channel, "method": row.method, "error": failure.error, "attempts": row.attempts},
        )
        if row.method == "post" or row.purpose == OR_POST:  # what was only a refresh is shown by the next one
            tell_ops_refused(self.sender, self.uow, self.clock, self.ops_channel, row.channel, failure.error, row.text)
        return GIVEN_UP


def _where(u: UnitOfWork, purpose: str) -> tuple[str, str] | None:
    """Where a request's message (``CR-0001:triage``) was posted, if it was."""
    ref, _, kind = purpose.partition(":")
    request = u.requests.by_ref(ref)
    if request is None or kind not in _FIELDS:
        return None
    channel_field, ts_field = _FIELDS[kind]
    channel, ts = getattr(request, channel_field), getattr(request, ts_field)
    return (channel, ts) if channel and ts else None


def _remember(u: UnitOfWork, purpose: str, posted: Posted) -> None:
    """Store where a request's message (triage, question, assignment) was posted: Slack's conversation id."""
    ref, _, kind = purpose.partition(":")
    request = u.requests.by_ref(ref, lock=True)
    if request is not None and kind in _FIELDS:
        channel_field, ts_field = _FIELDS[kind]
        setattr(request, channel_field, posted.channel)
        setattr(request, ts_field, posted.ts)
        u.requests.save(request)


def tell_ops_refused(
    port: Sender,
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
    for recipient in ops_recipients(uow, ops_channel, {channel}):
        with suppress(DeliveryFailed):  # logged by the port; nowhere else to tell
            port.post(recipient, alert)


def ops_recipients(uow: UnitOfWorkFactory, ops_channel: str | None, failing: set[str]) -> list[str]:
    """Where ops hear of delivery problems: their channel, or each ops manager when that channel is failing."""
    if ops_channel and ops_channel not in failing:
        return [ops_channel]
    with uow.read() as u:
        return [m.slack_id for m in u.team.all() if m.is_ops]
