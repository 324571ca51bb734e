"""Once-only sends (digests, nudges, the weekly report, alerts): claimed in the database with their posts.

The claim and the outbox rows of the post commit in one transaction, so two ticks, two instances or a tick
and a command racing for the same key produce one post, and a crash leaves neither.
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
    FAILED = "failed"
    ALREADY_SENT = "already sent"


def claimed(uow: UnitOfWorkFactory, kind: str, recipient: str, period: str, at: datetime) -> bool:
    """Claim the one send of ``kind`` to ``recipient`` for ``period``; False when it was claimed before."""
    with uow() as u:
        return u.sends.claim(kind, recipient, period, at)


def send_once(
    uow: UnitOfWorkFactory, claim: Callable[[], bool], post: Callable[[], Any], what: str, **fields: Any
) -> Sent:
    """``post`` once if ``claim`` wins: the claim and the post (outbox rows) commit together, or neither does
    (and the next tick tries again)."""
    try:
        with uow.transaction():
            if not claim():
                return Sent.ALREADY_SENT
            post()
    except DeliveryFailed as failure:  # a call that could not be queued (a file upload): tried again next tick
        log.error(f"{what} failed", extra={**fields, "error": failure.error})
        return Sent.FAILED
    log.info(f"{what} sent", extra=fields)
    return Sent.SENT
