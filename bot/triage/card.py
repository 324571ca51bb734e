"""The triage message (SPEC 2.2) as data: the request, how it was classified, and what ops can do."""

from __future__ import annotations

import logging
from datetime import date, datetime

from bot.briefs.assessment import assess
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.delivery.cards import Action, Card
from bot.delivery.ports import ChatPort, Posted
from bot.platform.text import clamp_chat, human, words
from bot.requests.lifecycle import ACTIVE, OPEN, QUEUE, TERMINAL, UNDELIVERED, allows
from bot.requests.notices import FIELD_CHANGES, field_change
from bot.team.workload import loads, suggest_assignee
from storage.models import AuditEvent, Comment, Request
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

#: How long a comment or a question may be in a history line.
HISTORY_QUOTE = 200


def triage_actions(status: str) -> list[Action]:
    """The controls a triage message offers in ``status``: only what the lifecycle allows from there.

    Approve and Request info while ops decide (submitted, needs info); Reject until the work is assigned
    (submitted, needs info, approved) — later ``reject`` stays a thread command; Assign whenever assigning is
    legal (before the work starts, to reassign it, or to unblock it); Priority while the work is open and not
    yet delivered; nothing once it is closed, rejected or cancelled.
    """
    if status in TERMINAL:
        return []
    chosen = [
        (Action.APPROVE, allows("approve", status)),
        (Action.REQUEST_INFO, allows("ask", status)),
        (Action.REJECT, allows("reject", status) and status in QUEUE),
        (Action.ASSIGN, allows("assign", status)),
        (Action.PRIORITY, status in UNDELIVERED),
    ]
    return [action for action, shown in chosen if shown]


class TriageCard(Card):
    """What ops see of a request in the ops channel: the request as it is now."""

    kind = "triage"
    ref: str
    title: str
    requester_id: str
    status: str
    request_type: str
    classified_by: str
    channels: list[str]
    #: The requester's deadline, and the due date ops set (the one that counts).
    deadline: date | None
    due_date: date | None = None
    rush: bool
    lead_time_days: int
    priority: str
    missing_fields: list[str]
    #: Fields recorded as "to be agreed": present, but still open for ops.
    to_agree: list[str] = []
    duplicate_refs: list[str]
    #: The other requests asked for in the same message (SPEC 2.7).
    linked_refs: list[str] = []
    suggested_assignee: str | None
    suggested_load: str | None
    assignee_id: str | None
    assignee_load: str | None = None
    revision_count: int = 0
    brief: Brief
    history: list[str]
    actions: list[Action] = []


def _when(at: datetime) -> str:
    return f"{at.day} {at:%b %H:%M} UTC"


def _said(text: str | None) -> str:
    return f"“{clamp_chat(words(' '.join((text or '').split())), HISTORY_QUOTE)}”"


def describe(event: AuditEvent) -> str:
    """One audit event as a history line: ``<@U0OPS1> moved the due date to Fri 11 Dec (was Wed 2 Dec) · …``."""
    who, today = f"<@{event.actor}>", event.at.date()
    if event.action in FIELD_CHANGES:
        what = field_change(event.action, event.old, event.new, today)
    elif event.action == "ask":
        what = f"asked for information: {_said(event.new)}" if event.new else "asked for information"
    elif event.action == "assign":
        designer = event.new if event.new and event.new[:1] in "UW" else None  # older events hold statuses
        if designer is None:
            what = "assigned it"
        elif event.old and event.old != designer and event.old[:1] in "UW":
            what = f"reassigned it from <@{event.old}> to <@{designer}>"
        else:
            what = f"assigned it to <@{designer}>"
    else:
        what = _SENTENCES.get(event.action, f"did {human(event.action)}")
    return f"{who} {what} · {_when(event.at)}"


def describe_comment(comment: Comment) -> str:
    """A comment in ops' thread as a history line."""
    return f"<@{comment.author}> commented: {_said(comment.text)} · {_when(comment.at)}"


_SENTENCES = {
    "status": "submitted it",
    "approve": "approved it",
    "answer": "answered the question",
    "start": "started work",
    "block": "reported it blocked",
    "deliver": "delivered it",
    "request_changes": "asked for changes",
    "accept": "accepted the delivery",
    "reject": "rejected it",
    "cancel": "cancelled it",
}


def history(events: list[AuditEvent], comments: list[Comment]) -> list[str]:
    """The request's history, oldest first: every change but the submission, and ops' comments."""
    lines = [(e.at, 0, e.id or 0, describe(e)) for e in events if e.action != "status"]
    lines += [(c.at, 1, c.id or 0, describe_comment(c)) for c in comments]
    return [line for *_, line in sorted(lines)]


class TriageCards:
    """Builds, posts and refreshes triage messages."""

    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, ops_channel: str | None) -> None:
        self.uow, self.catalog, self.ops_channel = uow, catalog, ops_channel

    def card(self, request: Request) -> TriageCard:
        """The triage card of ``request`` as it is now, with the current assignee (or suggestion) and history."""
        with self.uow() as u:
            designers = [m for m in u.team.all() if m.is_designer]
            counts = u.requests.assigned_counts(sorted(ACTIVE))
            events = list(u.audit.for_request(request.id)) if request.id else []
            comments = list(u.comments.for_request(request.id)) if request.id else []
            linked = [r.ref for r in u.requests.in_group(request.group_ref) if r.ref and r.id != request.id]
        current = loads(designers, counts, self.catalog)
        suggestion = (
            None if request.assignee_id else suggest_assignee(request.request_type, designers, current, self.catalog)
        )
        brief = Brief.model_validate(request.brief)
        verdict = assess(brief, self.catalog, (request.submitted_at or request.created_at).date())
        assignee_load = current.get(request.assignee_id) if request.assignee_id else None
        return TriageCard(
            ref=request.ref or "",
            title=request.title,
            requester_id=request.requester_id,
            status=request.status,
            request_type=request.request_type,
            classified_by=request.classified_by,
            channels=request.channels,
            deadline=request.deadline,
            due_date=request.due_date or request.deadline,
            rush=request.rush,
            lead_time_days=self.catalog.lead_time(request.request_type),
            priority=request.priority,
            missing_fields=verdict.missing_fields,
            to_agree=verdict.to_agree,
            duplicate_refs=request.duplicate_refs,
            linked_refs=linked,
            suggested_assignee=suggestion.designer if suggestion else None,
            suggested_load=suggestion.describe() if suggestion else None,
            assignee_id=request.assignee_id,
            assignee_load=assignee_load.describe() if assignee_load else None,
            revision_count=request.revision_count,
            brief=brief,
            history=history(events, comments),
            actions=triage_actions(request.status),
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

    def repair(self, port: ChatPort, before: datetime, since: datetime) -> list[str]:
        """Post the triage message of every open request submitted before ``before`` that has none, with none
        queued since ``since`` (a post given up is tried again then); returns their refs."""
        with self.uow() as u:
            missing = [
                r
                for r in u.requests.without_triage_post(sorted(OPEN), before)
                if not u.outbox.queued_for(f"{r.ref}:triage", since)
            ]
        for request in missing:
            log.warning("triage message missing: posting it", extra={"ref": request.ref})
            self.post(port, request)
        return [r.ref or "" for r in missing]

    def refresh(self, port: ChatPort, request: Request) -> None:
        """Show the request's current state in its triage message (chat.update; when its post is still on its
        way, once it is posted)."""
        text = f"{request.ref}: {words(request.title)} ({human(request.status)})"
        if request.triage_channel and request.triage_ts:
            port.update(request.triage_channel, request.triage_ts, text, self.card(request))
        elif self.ops_channel:
            port.update(self.ops_channel, "", text, self.card(request), target=(request.ref or "", "triage"))
