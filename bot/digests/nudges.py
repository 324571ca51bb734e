"""Nudges (SPEC 2.4): a requester who has not answered an ops question for one working day gets one reminder.

Working days are the ops team's (TIMEZONE). Exactly once per question: ``info_nudged`` is flipped by a
conditional UPDATE that only one instance can win, before the DM is posted. Designers' overdue requests
are flagged in their daily digest (bot.digests.compose), which is their once-a-day reminder.
"""

from __future__ import annotations

import logging
from datetime import datetime


from handlers.blocks.kit import clamp, escape
from bot.delivery.ports import ChatPort, DeliveryFailed
from bot.briefs.questions import format_date
from bot.platform.calendar import local_date, one_workday_passed
from bootstrap import Services
from storage.models import Request
from storage.repositories import Requests

log = logging.getLogger(__name__)


def due_nudges(services: Services, now: datetime) -> list[Request]:
    """Requests whose open ops question has waited one working day without a reminder."""
    with services.db.session() as session:
        waiting = Requests(session).awaiting_nudge()
    tz = services.settings.timezone
    return [r for r in waiting if r.info_asked_at and one_workday_passed(r.info_asked_at, now, tz)]


def claim_nudge(services: Services, request: Request) -> bool:
    """Mark the request nudged for its current question; False when someone else did, or it changed."""
    with services.db.session() as session:
        return Requests(session).mark_nudged(request)


def nudge_text(request: Request, tz: str) -> str:
    """The reminder, naming the request and when the question was asked."""
    asked = format_date(local_date(request.info_asked_at, tz)) if request.info_asked_at else "recently"
    return (f"Reminder: creative ops asked you a question about *{request.ref}* {escape(clamp(request.title, 80))} "
            f"on {asked} and is waiting for your answer. Reply here to answer it; the request is on hold until then.")


def send_due_nudges(services: Services, port: ChatPort, now: datetime) -> int:
    """Remind every requester whose answer is one working day late; returns how many were reminded."""
    sent = 0
    for request in due_nudges(services, now):
        if not claim_nudge(services, request):
            continue
        try:
            port.post(request.info_channel or request.requester_id, nudge_text(request, services.settings.timezone))
        except DeliveryFailed as failure:  # the claim stands: at most once
            log.error("nudge post failed", extra={"ref": request.ref, "error": failure.error})
            continue
        log.info("requester nudged", extra={"ref": request.ref})
        sent += 1
    return sent
