"""Who is told what when ops route a request (SPEC 2.2): approval, rejection, questions, assignment, edits."""

from __future__ import annotations

from bot.delivery.ports import ChatPort
from bot.platform.text import quoted, words
from bot.production.notifications import send_assignment
from bot.requests.changes import Change
from bot.requests.notices import dm, in_thread, titled
from bot.triage.card import FIELD_CHANGES


def tell(port: ChatPort, change: Change) -> None:
    """Tell the requester (and the designer, on assignment) what ops changed."""
    request, action, ref = change.request, change.action, change.request.ref
    title, requester = titled(request), request.requester_id
    if action == "approve":
        dm(port, requester, f"{title} was approved by creative ops.")
    elif action == "reject":
        dm(port, requester, f"{title} was rejected by creative ops:\n{quoted(change.note or '')}")
    elif action == "ask":
        dm(
            port,
            requester,
            f"Creative ops has a question about {title}:\n{quoted(change.note or '')}\nReply in this thread to answer.",
            target=(ref or "", "info"),
        )
    elif action == "answer":
        in_thread(port, request, f"<@{requester}> answered:\n{quoted(change.note or '')}")
        dm(port, requester, f"Thanks — I've passed your answer on to creative ops ({ref}).")
    elif action == "assign":
        send_assignment(port, request)
        dm(port, requester, f"{title} is assigned to <@{request.assignee_id}>.")
    elif action in FIELD_CHANGES:
        dm(
            port,
            requester,
            f"Creative ops changed the {FIELD_CHANGES[action]} of {title}: {words(change.old or 'none')} → "
            f"{words(change.new or 'none')}.",
        )
