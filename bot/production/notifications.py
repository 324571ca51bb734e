"""Who is told what when work moves (SPEC 2.3): the designer's assignment, progress, delivery and acceptance."""

from __future__ import annotations

from bot.delivery.ports import ChatPort
from bot.platform.text import human, quoted, words
from bot.production.cards import AssignmentCard, DeliveryCard
from bot.requests.changes import Change
from bot.requests.notices import dm, in_thread, titled
from storage.models import Request

PRODUCTION_ACTIONS = frozenset({"start", "block", "deliver", "request_changes", "cancel", "accept"})


def send_assignment(port: ChatPort, request: Request) -> None:
    """The designer's assignment DM, linked to the triage thread."""
    assert request.assignee_id is not None
    link = None
    if request.triage_channel and request.triage_ts:
        link = port.permalink(request.triage_channel, request.triage_ts)
    dm(
        port,
        request.assignee_id,
        f"You have a new assignment: {request.ref} {words(request.title)}",
        AssignmentCard.of(request, link),
        target=(request.ref or "", "assignment"),
    )


def _update_assignment(port: ChatPort, request: Request) -> None:
    if request.assignment_channel and request.assignment_ts:
        port.update(
            request.assignment_channel,
            request.assignment_ts,
            f"{request.ref} {words(request.title)} ({human(request.status)})",
            AssignmentCard.of(request, None),
        )


def tell(port: ChatPort, change: Change) -> None:
    """Tell whoever a production change concerns, and show it on the assignment DM."""
    request, action, ref = change.request, change.action, change.request.ref
    title, requester = titled(request), request.requester_id
    if action == "start":
        dm(port, requester, f"{title} is in progress with <@{request.assignee_id}>.")
    elif action == "block":
        in_thread(port, request, f"<@{change.actor}> is blocked on {ref}:\n{quoted(change.note or '')}")
    elif action == "deliver":
        link = words(request.delivery_link or "")
        dm(port, requester, f"{title} is delivered: {link}", DeliveryCard.of(request))
        in_thread(port, request, f"<@{change.actor}> delivered {ref}: {link}")
    elif action == "request_changes":
        dm(
            port,
            request.assignee_id or requester,
            f"<@{requester}> asked for changes to {title} (revision {request.revision_count}):\n"
            f"{quoted(change.note or '')}",
        )
        in_thread(port, request, f"<@{requester}> asked for changes (revision {request.revision_count}).")
    elif action == "cancel":
        if request.assignee_id:
            dm(port, request.assignee_id, f"<@{requester}> cancelled {title}; no more work is needed.")
        in_thread(port, request, f"<@{requester}> cancelled {ref}.")
        dm(port, requester, f"{title} is cancelled.")
    elif action == "accept":
        if request.assignee_id:
            dm(port, request.assignee_id, f"<@{requester}> accepted {title}. It is closed — thank you!")
        in_thread(port, request, f"<@{requester}> accepted the delivery; {ref} is closed.")
    if action in ("start", "block", "deliver", "request_changes"):
        _update_assignment(port, request)
