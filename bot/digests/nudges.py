"""Nudges (SPEC 2.4): a requester who has not answered an ops question for one working day gets one reminder.

Working days are the ops team's (TIMEZONE). Exactly once per question: ``info_nudged`` is flipped by a
conditional UPDATE that only one instance can win, before the DM is posted. Designers' overdue requests
are flagged in their daily digest, which is their once-a-day reminder.
"""

from __future__ import annotations

from datetime import datetime

from bot.delivery.once import Sent, send_once
from bot.delivery.ports import ChatPort
from bot.platform.calendar import local_date, one_workday_passed
from bot.platform.clock import Clock
from bot.platform.text import clamp, format_date, words
from bot.requests.lifecycle import Status
from storage.models import Request
from storage.uow import UnitOfWorkFactory


class Nudges:
    """Reminders to requesters who owe ops an answer."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, timezone: str) -> None:
        self.uow, self.clock, self.timezone = uow, clock, timezone

    def due(self, now: datetime) -> list[Request]:
        """Requests whose open ops question has waited one working day without a reminder."""
        with self.uow() as u:
            waiting = u.requests.awaiting_nudge(Status.NEEDS_INFO)
        return [r for r in waiting if r.info_asked_at and one_workday_passed(r.info_asked_at, now, self.timezone)]

    def _claim(self, request: Request) -> bool:
        with self.uow() as u:
            return u.requests.mark_nudged(request)

    def text(self, request: Request) -> str:
        """The reminder, naming the request and when the question was asked."""
        asked = format_date(local_date(request.info_asked_at, self.timezone)) if request.info_asked_at else "recently"
        return (
            f"Reminder: creative ops asked you a question about *{request.ref}* {words(clamp(request.title, 80))} "
            f"on {asked} and is waiting for your answer. Reply here to answer it; the request is on hold "
            "until then."
        )

    def send_due(self, port: ChatPort, now: datetime | None = None) -> int:
        """Remind every requester whose answer is one working day late; returns how many were reminded."""
        now = now or self.clock.now()
        return sum(self._send(port, request) is Sent.SENT for request in self.due(now))

    def _send(self, port: ChatPort, request: Request) -> Sent:
        channel = request.info_channel or request.requester_id
        return send_once(
            self.uow,
            lambda: self._claim(request),
            lambda: port.post(channel, self.text(request)),
            "nudge post",
            ref=request.ref,
        )
