"""Sending digests exactly once per recipient and local date (SPEC 2.4, 7).

Each send is claimed in the ``sends`` table (unique kind, recipient, period) before anything is posted
(see bot/delivery/once.py). A post Slack does not take after its claim is left to the port: the
scheduler's port queues it in the outbox for retries.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.briefs.catalog import Catalog
from bot.delivery.cards import Card
from bot.delivery.once import claimed, send_once
from bot.delivery.ports import ChatPort
from bot.digests.compose import (
    DESIGNER_DIGEST,
    OPS_DIGEST,
    DesignerDigestCard,
    OpsDigestCard,
    Snapshot,
    designer_digest,
    load_snapshot,
    ops_digest,
)
from bot.digests.text import designer_notification, designer_text, ops_notification, ops_text
from bot.platform.calendar import digest_day, local_date, parse_time
from bot.platform.clock import Clock
from storage.uow import UnitOfWorkFactory


class Result(StrEnum):
    """What happened to one recipient's digest."""

    SENT = "sent"
    FAILED = "failed"
    ALREADY_SENT = "already sent"
    NOTHING_ASSIGNED = "nothing assigned"
    PREVIEW = "preview"


@dataclass(frozen=True)
class Outcome:
    """One recipient's digest for one local date; ``text`` is the rendering (for previews)."""

    kind: str
    recipient: str
    period: str
    result: Result
    text: str = ""


@dataclass(frozen=True)
class _Message:
    """A digest to send: ``notification`` is the message's text, ``text`` the plain rendering."""

    kind: str
    recipient: str
    day: date
    notification: str
    card: Card
    text: str


class Digests:
    """The designer and ops digests due at an instant."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        catalog: Catalog,
        timezone: str,
        digest_time: str,
        ops_channel: str | None,
    ) -> None:
        self.uow, self.clock, self.catalog, self.timezone = uow, clock, catalog, timezone
        self.at, self.ops_channel = parse_time(digest_time), ops_channel

    def run(
        self,
        port: ChatPort | None,
        now: datetime,
        *,
        designers: Collection[str] | None = None,
        ops: bool = True,
        scheduled: bool = True,
        dry_run: bool = False,
    ) -> list[Outcome]:
        """Send the digests due at ``now``; returns an outcome per recipient considered.

        ``scheduled``: only recipients whose working day and DIGEST_TIME have come (the scheduler's rule);
        otherwise today's local date for everyone (the ``digest`` command). ``designers`` limits the
        designers (None: all); ``ops`` includes the ops digest. ``dry_run`` renders and claims nothing.
        """

        def day_in(tz: str) -> date | None:
            return digest_day(now, tz, self.at) if scheduled else local_date(now, tz)

        snapshot = load_snapshot(self.uow, self.catalog)
        outcomes: list[Outcome] = []
        for designer in snapshot.designers:
            day = day_in(designer.timezone)
            if day is None or (designers is not None and designer.slack_id not in designers):
                continue
            digest = designer_digest(snapshot, designer, day)
            if digest is None:
                outcomes.append(Outcome(DESIGNER_DIGEST, designer.slack_id, day.isoformat(), Result.NOTHING_ASSIGNED))
                continue
            message = _Message(
                DESIGNER_DIGEST,
                designer.slack_id,
                day,
                designer_notification(digest),
                DesignerDigestCard(digest=digest),
                designer_text(digest),
            )
            outcomes.append(self._deliver(port, snapshot, message, now, dry_run))
        day = day_in(self.timezone)
        if ops and day is not None:
            queue = ops_digest(snapshot, now, self.timezone, day)
            message = _Message(
                OPS_DIGEST,
                self.ops_channel or "",
                day,
                ops_notification(queue),
                OpsDigestCard(digest=queue),
                ops_text(queue),
            )
            outcomes.append(self._deliver(port, snapshot, message, now, dry_run))
        return outcomes

    def send_due(self, port: ChatPort) -> list[Outcome]:
        """The scheduler's tick: every digest due now that has not been sent for its local date."""
        return self.run(port, self.clock.now())

    def _deliver(
        self, port: ChatPort | None, snapshot: Snapshot, message: _Message, now: datetime, dry_run: bool
    ) -> Outcome:
        """Claim, then post (or only render for a dry run)."""
        period = message.day.isoformat()
        last = snapshot.last_send(message.kind, message.recipient)
        if last is not None and last.period == period:
            return Outcome(message.kind, message.recipient, period, Result.ALREADY_SENT)
        if dry_run:
            return Outcome(message.kind, message.recipient, period, Result.PREVIEW, message.text)
        assert port is not None, "a port is needed to send"
        sent = send_once(
            self.uow,
            lambda: claimed(self.uow, message.kind, message.recipient, period, now),
            lambda: port.post(message.recipient, message.notification, message.card),
            "digest post",
            kind=message.kind,
            recipient=message.recipient,
            period=period,
        )
        return Outcome(message.kind, message.recipient, period, Result(sent.value))
