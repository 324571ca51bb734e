"""Once-only sends (digests, nudges, the weekly report, alerts): claimed in the database, then posted.

The claim is committed before anything is posted, so two ticks, two instances or a tick and a command
racing for the same key produce one post; a post that then fails is logged and the claim stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.delivery.ports import DeliveryFailed
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


class Sent(StrEnum):
    """What happened to one once-only send."""

    SENT = "sent"
    QUEUED = "queued for retry"
    FAILED = "failed"
    ALREADY_SENT = "already sent"


def claimed(uow: UnitOfWorkFactory, kind: str, recipient: str, period: str, at: datetime) -> bool:
    """Claim the one send of ``kind`` to ``recipient`` for ``period``; False when it was claimed before."""
    with uow() as u:
        return u.sends.claim(kind, recipient, period, at)


def send_once(claim: Callable[[], bool], post: Callable[[], Any], what: str, **fields: Any) -> Sent:
    """``post`` once if ``claim`` wins; a truthy result is sent, a falsy one queued for retry."""
    if not claim():
        return Sent.ALREADY_SENT
    try:
        result = post()
    except DeliveryFailed as failure:  # the claim stands: at most once
        log.error(f"{what} failed", extra={**fields, "error": failure.error})
        return Sent.FAILED
    log.info(f"{what} sent" if result else f"{what} queued", extra=fields)
    return Sent.SENT if result else Sent.QUEUED


def first_delivery(uow: UnitOfWorkFactory, key: str, at: datetime) -> bool:
    """True once per delivery key (a Slack event id), across retries and instances."""
    with uow() as u:
        return u.deliveries.claim(key, at)
