"""The triage message (SPEC 2.2) as data: the request, how it was classified, and what ops can do."""

from __future__ import annotations

from datetime import date

from bot.briefs.assessment import assess
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.delivery.cards import Action, Card
from bot.delivery.ports import ChatPort, Posted
from bot.platform.text import human, words
from bot.requests.lifecycle import ACTIVE, TRANSITIONS, verb
from bot.team.workload import loads, suggest_assignee
from storage.models import AuditEvent, Request
from storage.uow import UnitOfWorkFactory

#: Ops actions that change one field rather than the status, and how people read that field.
FIELD_CHANGES: dict[str, str] = {"priority": "priority", "due": "due date", "type": "type", "channels": "channels"}
TRIAGE_ACTIONS = [Action.APPROVE, Action.REQUEST_INFO, Action.REJECT, Action.ASSIGN, Action.PRIORITY]


class TriageCard(Card):
    """What ops see of a request in the ops channel."""

    kind = "triage"
    ref: str
    title: str
    requester_id: str
    status: str
    request_type: str
    classified_by: str
    channels: list[str]
    deadline: date | None
    rush: bool
    lead_time_days: int
    priority: str
    missing_fields: list[str]
    duplicate_refs: list[str]
    suggested_assignee: str | None
    suggested_load: str | None
    assignee_id: str | None
    brief: Brief
    history: list[str]
    actions: list[Action] = TRIAGE_ACTIONS


def describe(event: AuditEvent) -> str:
    """One audit event as a history line."""
    if event.action in TRANSITIONS:
        what = verb(event.action).capitalize()
    else:
        what = f"{FIELD_CHANGES.get(event.action, event.action).capitalize()} {event.old or 'none'} → {event.new}"
    return f"{what} by <@{event.actor}> · {event.at:%d %b %H:%M} UTC"


class TriageCards:
    """Builds, posts and refreshes triage messages."""

    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, ops_channel: str | None) -> None:
        self.uow, self.catalog, self.ops_channel = uow, catalog, ops_channel

    def card(self, request: Request) -> TriageCard:
        """The triage card of ``request`` as it is now, with the current suggestion and history."""
        with self.uow() as u:
            designers = [m for m in u.team.all() if m.is_designer]
            active = u.requests.with_status(sorted(ACTIVE))
            events = u.audit.for_request(request.id) if request.id else []
        suggestion = suggest_assignee(
            request.request_type, designers, loads(designers, active, self.catalog), self.catalog
        )
        brief = Brief.model_validate(request.brief)
        verdict = assess(brief, self.catalog, (request.submitted_at or request.created_at).date())
        return TriageCard(
            ref=request.ref or "",
            title=request.title,
            requester_id=request.requester_id,
            status=request.status,
            request_type=request.request_type,
            classified_by=request.classified_by,
            channels=request.channels,
            deadline=request.deadline,
            rush=request.rush,
            lead_time_days=self.catalog.lead_time(request.request_type),
            priority=request.priority,
            missing_fields=verdict.missing_fields,
            duplicate_refs=request.duplicate_refs,
            suggested_assignee=suggestion.designer if suggestion else None,
            suggested_load=suggestion.describe() if suggestion else None,
            assignee_id=request.assignee_id,
            brief=brief,
            history=[describe(e) for e in events if e.action != "status"],
        )

    def post(self, port: ChatPort, request: Request) -> Posted | None:
        """Post a new request's triage message to the ops channel; where it went, or None when it was queued."""
        assert self.ops_channel, "OPS_CHANNEL_ID is required to run the Slack app"
        posted = port.post(
            self.ops_channel,
            f"New request {request.ref}: {words(request.title)}",
            self.card(request),
            target=(request.ref or "", "triage"),
        )
        if posted:
            request.triage_channel, request.triage_ts = posted
        return posted

    def refresh(self, port: ChatPort, request: Request) -> None:
        """Show the request's current state in its triage message (chat.update)."""
        if request.triage_channel and request.triage_ts:
            port.update(
                request.triage_channel,
                request.triage_ts,
                f"{request.ref}: {words(request.title)} ({human(request.status)})",
                self.card(request),
            )
