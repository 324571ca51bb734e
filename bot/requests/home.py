"""App Home (SPEC 2.5) as data: requesters see their open and recently ended requests, designers their
assignments, ops the queue."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel

from bot.delivery.cards import Card
from bot.delivery.ports import ChatPort
from bot.platform.clock import Clock
from bot.requests.lifecycle import ACTIVE, OPEN, QUEUE, TERMINAL
from storage.growth import Listing
from storage.models import Request
from storage.uow import UnitOfWorkFactory

#: Requesters see what was closed, rejected or cancelled this recently (SPEC 2.5).
RECENTLY_ENDED = timedelta(days=30)
#: A section lists at most this many requests, then says how many more there are.
SHOWN = 25


class HomeEntry(BaseModel):
    """One request as a Home line."""

    ref: str
    title: str
    status: str
    priority: str
    due_date: date | None = None


class HomeSection(BaseModel):
    """A titled list (its first entries, and how many more it holds); ``empty`` is shown when it has none."""

    title: str
    entries: list[HomeEntry]
    empty: str
    more: int = 0

    @classmethod
    def of(cls, title: str, empty: str, listing: Listing) -> HomeSection:
        """The section listing ``listing``'s requests."""
        entries = [_entry(r) for r in listing.requests]
        return cls(title=title, empty=empty, entries=entries, more=listing.total - len(entries))


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
        """The Home tab of ``user``: what they asked for, what they work on, and the queue if they are ops; each
        list read only as far as it is shown (a Home costs the same however many requests are stored), in the
        transaction in progress (a Home published for a change shows that change)."""
        since = self.clock.now() - RECENTLY_ENDED
        with self.uow.current() as u:
            member = u.team.get(user)
            asked = u.requests.listing(sorted(OPEN), SHOWN, requester_id=user)
            sections = [HomeSection.of("Your requests", "No open requests.", asked)]
            ended = u.requests.listing(sorted(TERMINAL), SHOWN, "changed", requester_id=user, changed_since=since)
            if ended.total:
                sections.append(HomeSection.of("Ended in the last 30 days", "", ended))
            if member and member.is_designer:
                work = u.requests.listing(sorted(ACTIVE), SHOWN, "due", assignee_id=user)
                sections.append(HomeSection.of("Your assignments", "Nothing assigned to you.", work))
            if member and member.is_ops:
                queue = u.requests.listing(sorted(QUEUE), SHOWN)
                sections.append(HomeSection.of("Triage queue", "The queue is empty.", queue))
        return HomeView(sections=sections)

    def publish(self, port: ChatPort, user: str) -> None:
        """Publish ``user``'s Home tab as it is now."""
        port.publish_home(user, self.view(user))
