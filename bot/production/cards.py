"""What production shows: the designer's assignment and the requester's delivery."""

from __future__ import annotations

from datetime import date

from bot.briefs.model import Brief
from bot.delivery.cards import Action, Card
from storage.models import Request


class AssignmentCard(Card):
    """The designer's assignment DM with Start, Blocked and Delivered."""

    kind = "assignment"
    ref: str
    title: str
    due_date: date | None
    priority: str
    status: str
    triage_link: str | None
    brief: Brief
    actions: list[Action] = [Action.START, Action.BLOCKED, Action.DELIVERED]

    @classmethod
    def of(cls, request: Request, triage_link: str | None) -> AssignmentCard:
        """The card for ``request`` as it is now."""
        return cls(
            ref=request.ref or "",
            title=request.title,
            due_date=request.due_date,
            priority=request.priority,
            status=request.status,
            triage_link=triage_link,
            brief=Brief.model_validate(request.brief),
        )


class DeliveryCard(Card):
    """The requester's delivery DM with Accept and Request changes."""

    kind = "delivery"
    ref: str
    title: str
    link: str
    note: str | None
    revision_count: int
    actions: list[Action] = [Action.ACCEPT, Action.REQUEST_CHANGES]

    @classmethod
    def of(cls, request: Request) -> DeliveryCard:
        """The card for a delivered ``request``."""
        return cls(
            ref=request.ref or "",
            title=request.title,
            link=request.delivery_link or "",
            note=request.delivery_note,
            revision_count=request.revision_count,
        )
