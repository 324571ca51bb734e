"""Sending digests exactly once per recipient and local date (SPEC 2.4, 7).

Each send is claimed in the ``sends`` table (unique kind, recipient, period) in its own committed
transaction before anything is posted: two ticks, two instances or a tick and the ``digest`` command
racing for the same recipient and date produce one post. A post Slack does not take after its claim is
left to the port: the scheduler's port queues it in the outbox for retries; a plain port's failure is
logged, and the claim stands (never twice).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from handlers.blocks.kit import Block
from bot.digests.compose import (
    DESIGNER_DIGEST, OPS_DIGEST, Snapshot, designer_blocks, designer_digest, designer_summary, designer_text,
    load_snapshot, ops_blocks, ops_digest, ops_summary, ops_text,
)
from bot.delivery.ports import ChatPort, DeliveryFailed
from bot.briefs.questions import format_date
from bot.platform.calendar import digest_day, local_date, parse_time
from bootstrap import Services
from storage.repositories import claim_send

log = logging.getLogger(__name__)


class Result(StrEnum):
    """What happened to one recipient's digest."""

    SENT = "sent"
    QUEUED = "queued for retry"
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
    """A rendered digest: ``notification`` is the message's text, ``text`` the plain rendering."""

    kind: str
    recipient: str
    day: date
    notification: str
    blocks: list[Block]
    text: str


def run_digests(services: Services, port: ChatPort | None, now: datetime, *,
                designers: Collection[str] | None = None, ops: bool = True, scheduled: bool = True,
                dry_run: bool = False) -> list[Outcome]:
    """Send the digests due at ``now``; returns an outcome per recipient considered.

    ``scheduled``: only recipients whose working day and DIGEST_TIME have come (the scheduler's rule);
    otherwise today's local date for everyone (the ``digest`` command). ``designers`` limits the
    designers (None: all); ``ops`` includes the ops digest. ``dry_run`` renders and claims nothing.
    """
    settings = services.settings
    at = parse_time(settings.digest_time)

    def day_in(tz: str) -> date | None:
        return digest_day(now, tz, at) if scheduled else local_date(now, tz)

    snapshot = load_snapshot(services.db, services.catalog)
    outcomes: list[Outcome] = []
    for designer in snapshot.designers:
        day = day_in(designer.timezone)
        if day is None or (designers is not None and designer.slack_id not in designers):
            continue
        digest = designer_digest(snapshot, designer, day)
        if digest is None:
            outcomes.append(Outcome(DESIGNER_DIGEST, designer.slack_id, day.isoformat(), Result.NOTHING_ASSIGNED))
            continue
        message = _Message(DESIGNER_DIGEST, designer.slack_id, day,
                           f"Your requests for {format_date(day)}: {designer_summary(digest)}",
                           designer_blocks(digest), designer_text(digest))
        outcomes.append(_deliver(services, port, snapshot, message, now, dry_run))
    day = day_in(settings.timezone)
    if ops and day is not None:
        queue = ops_digest(snapshot, now, settings.timezone, day)
        message = _Message(OPS_DIGEST, settings.ops_channel_id or "", day,
                           f"Creative ops digest for {format_date(day)}: {ops_summary(queue)}",
                           ops_blocks(queue), ops_text(queue))
        outcomes.append(_deliver(services, port, snapshot, message, now, dry_run))
    return outcomes


def send_due_digests(services: Services, port: ChatPort, now: datetime) -> list[Outcome]:
    """The scheduler's tick: every digest due at ``now`` that has not been sent for its local date."""
    return run_digests(services, port, now)


def _deliver(services: Services, port: ChatPort | None, snapshot: Snapshot, message: _Message, now: datetime,
             dry_run: bool) -> Outcome:
    """Claim, then post (or only render for a dry run)."""
    period = message.day.isoformat()
    last = snapshot.last_send(message.kind, message.recipient)
    if last is not None and last.period == period:
        return Outcome(message.kind, message.recipient, period, Result.ALREADY_SENT)
    if dry_run:
        return Outcome(message.kind, message.recipient, period, Result.PREVIEW, message.text)
    assert port is not None, "a port is needed to send"
    with services.db.session() as session:
        claimed = claim_send(session, message.kind, message.recipient, period, now)
    if not claimed:
        return Outcome(message.kind, message.recipient, period, Result.ALREADY_SENT)
    try:
        ts = port.post(message.recipient, message.notification, message.blocks)
    except DeliveryFailed as failure:  # the claim stands: at most once
        log.error("digest post failed", extra={"kind": message.kind, "recipient": message.recipient,
                                               "period": period, "error": failure.error})
        return Outcome(message.kind, message.recipient, period, Result.FAILED)
    result = Result.SENT if ts else Result.QUEUED
    log.info("digest sent" if ts else "digest queued", extra={"kind": message.kind, "recipient": message.recipient,
                                                              "period": period})
    return Outcome(message.kind, message.recipient, period, result)
