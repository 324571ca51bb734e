"""Who is told what when work moves (SPEC 2.3): the designer's assignment, progress, delivery and acceptance."""

from __future__ import annotations

from bot.delivery.ports import ChatPort
from bot.platform.i18n import N_
from bot.platform.text import human, quoted, words
from bot.production.cards import AssignmentCard, DeliveryCard
from bot.requests.changes import Change
from bot.requests.notices import dm, in_thread, known_language_of, titled
from storage.models import Request

PRODUCTION_ACTIONS = frozenset({"start", "block", "deliver", "request_changes", "cancel", "accept"})


def triage_link(port: ChatPort, request: Request) -> str | None:
    """The permalink of the request's triage thread (None when there is none or Slack cannot give one)."""
    if request.triage_channel and request.triage_ts:
        return port.permalink(request.triage_channel, request.triage_ts)
    return None


def send_assignment(port: ChatPort, request: Request) -> None:
    """The designer's assignment DM, linked to the triage thread."""
    assert request.assignee_id is not None
    dm(
        port,
        request.assignee_id,
        f"You have a new assignment: {request.ref} {words(request.title)}",
        AssignmentCard.of(request, triage_link(port, request)),
        target=(request.ref or "", "assignment"),
    )


def update_assignment(port: ChatPort, request: Request) -> None:
    """Show the request as it is now on its designer's assignment DM (its link to the triage thread kept; when
    the DM is still on its way, once it is posted)."""
    text = f"{request.ref} {words(request.title)} ({human(request.status)})"
    if request.assignment_channel and request.assignment_ts:
        card = AssignmentCard.of(request, triage_link(port, request))
        port.update(request.assignment_channel, request.assignment_ts, text, card)
    elif request.assignee_id:
        card = AssignmentCard.of(request, triage_link(port, request))
        port.update(port.open_dm(request.assignee_id), "", text, card, target=(request.ref or "", "assignment"))


def withdraw_assignment(port: ChatPort, change: Change) -> None:
    """On reassignment: the previous designer's DM shows who has the work now (no buttons), and they are told."""
    request, previous = change.request, change.previous_assignee
    if not (change.reassigned and previous):
        return
    if change.previous_assignment:
        channel, ts = change.previous_assignment
        port.update(
            channel,
            ts,
            f"{request.ref} {words(request.title)} (reassigned to <@{request.assignee_id}>)",
            AssignmentCard.of(request, triage_link(port, request), reassigned_to=request.assignee_id),
        )
    dm(port, previous, f"{titled(request)} is now assigned to <@{request.assignee_id}>; it is off your list.")


def tell(port: ChatPort, change: Change) -> None:
    """Tell whoever a production change concerns, and show it on the assignment DM."""
    request, action, ref = change.request, change.action, change.request.ref
    title, requester = titled(request), request.requester_id
    if action == "start":
        designer = f"<@{request.assignee_id}>"
        dm(port, requester, N_("{title} is in progress with {designer}."), title=title, designer=designer)
    elif action == "block":
        in_thread(port, request, f"<@{change.actor}> is blocked on {ref}:\n{quoted(change.note or '')}")
    elif action == "deliver":
        link = words(request.delivery_link or "")
        card = DeliveryCard.of(request, known_language_of(port, requester))
        dm(port, requester, N_("{title} is delivered: {link}"), card, title=title, link=link)
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
        dm(port, requester, N_("{title} is cancelled."), title=title)
    elif action == "accept":
        if request.assignee_id:
            dm(port, request.assignee_id, f"<@{requester}> accepted {title}. It is closed — thank you!")
        in_thread(port, request, f"<@{requester}> accepted the delivery; {ref} is closed.")
    update_assignment(port, request)
