"""What production shows: the designer's assignment and the requester's delivery."""

from __future__ import annotations

from datetime import date

from bot.briefs.model import Brief
from bot.delivery.cards import Action, Card
from bot.platform.i18n import ENGLISH, supported
from bot.requests.lifecycle import ACTIVE, allows
from storage.models import Request


def assignment_actions(status: str) -> list[Action]:
    """The designer's buttons in ``status``: while the work is active, Start and Blocked when the lifecycle
    allows them from there, and Delivered (its form says so when it is too early); none once it is delivered,
    closed, rejected or cancelled."""
    if status not in ACTIVE:
        return []
    chosen = [(Action.START, allows("start", status)), (Action.BLOCKED, allows("block", status))]
    return [action for action, shown in chosen if shown] + [Action.DELIVERED]


class AssignmentCard(Card):
    """The designer's assignment DM: the brief, due date, priority, status, the triage link, and the buttons."""

    kind = "assignment"
    ref: str
    title: str
    due_date: date | None
    priority: str
    status: str
    triage_link: str | None
    brief: Brief
    #: Set on the DM of a designer the work was taken from: who has it now (the DM then offers nothing).
    reassigned_to: str | None = None
    actions: list[Action] = [Action.START, Action.BLOCKED, Action.DELIVERED]

    @classmethod
    def of(cls, request: Request, triage_link: str | None, reassigned_to: str | None = None) -> AssignmentCard:
        """The card for ``request`` as it is now (as its previous designer sees it, with ``reassigned_to``)."""
        return cls(
            ref=request.ref or "",
            title=request.title,
            due_date=request.due_date or request.deadline,
            priority=request.priority,
            status=request.status,
            triage_link=triage_link,
            brief=Brief.model_validate(request.brief),
            reassigned_to=reassigned_to,
            actions=[] if reassigned_to else assignment_actions(request.status),
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
    #: The requester's language: the card's words and button labels (the action ids stay).
    language: str = ENGLISH

    @classmethod
    def of(cls, request: Request, language: str | None = None) -> DeliveryCard:
        """The card for a delivered ``request``, in the requester's ``language``."""
        return cls(
            ref=request.ref or "",
            title=request.title,
            link=request.delivery_link or "",
            note=request.delivery_note,
            revision_count=request.revision_count,
            language=supported(language) or ENGLISH,
        )
