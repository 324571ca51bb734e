"""App Home (SPEC 2.5) as data: requesters see their open and recently ended requests, designers their
assignments, ops the queue."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel

from bot.delivery.cards import Card
from bot.delivery.ports import ChatPort
from bot.platform.clock import Clock
from bot.requests.lifecycle import ACTIVE, OPEN, QUEUE, TERMINAL
from storage.models import Request
from storage.uow import UnitOfWorkFactory

#: Requesters see what was closed, rejected or cancelled this recently (SPEC 2.5).
RECENTLY_ENDED = timedelta(days=30)


class HomeEntry(BaseModel):
    """One request as a Home line."""

    ref: str
    title: str
    status: str
    priority: str
    due_date: date | None = None


class HomeSection(BaseModel):
    """A titled list; ``empty`` is shown when it has no entries."""

    title: str
    entries: list[HomeEntry]
    empty: str


class HomeView(Card):
    """A user's Home tab: an invitation with a New request button, then their sections."""

    kind = "home"
    intro: str = "Ask for creative work by messaging me, or use the button."
    sections: list[HomeSection]


def _entry(request: Request) -> HomeEntry:
    return HomeEntry(
        ref=request.ref or "",
        title=request.title,
        status=request.status,
        priority=request.priority,
        due_date=request.due_date,
    )


class Homes:
    """Builds and publishes Home tabs."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    def view(self, user: str) -> HomeView:
        """The Home tab of ``user``: what they asked for, what they work on, and the queue if they are ops."""
        since = self.clock.now() - RECENTLY_ENDED
        with self.uow() as u:
            member = u.team.get(user)
            open_requests = list(u.requests.with_status(sorted(OPEN)))
            ended = list(u.requests.ended_since(user, sorted(TERMINAL), since))
        sections = [
            HomeSection(
                title="Your requests",
                empty="No open requests.",
                entries=[_entry(r) for r in open_requests if r.requester_id == user],
            )
        ]
        if ended:
            sections.append(
                HomeSection(title="Ended in the last 30 days", empty="", entries=[_entry(r) for r in ended])
            )
        if member and member.is_designer:
            work = sorted(
                (r for r in open_requests if r.assignee_id == user and r.status in ACTIVE),
                key=lambda r: (r.due_date is None, r.due_date),
            )
            sections.append(
                HomeSection(
                    title="Your assignments", empty="Nothing assigned to you.", entries=[_entry(r) for r in work]
                )
            )
        if member and member.is_ops:
            sections.append(
                HomeSection(
                    title="Triage queue",
                    empty="The queue is empty.",
                    entries=[_entry(r) for r in open_requests if r.status in QUEUE],
                )
            )
        return HomeView(sections=sections)

    def publish(self, port: ChatPort, user: str) -> None:
        """Publish ``user``'s Home tab as it is now."""
        port.publish_home(user, self.view(user))
