"""Who is told what when ops route a request (SPEC 2.2): approval, rejection, questions, assignment, edits.

Values are told in words (``paid ads``, ``Fri 11 Dec``), people's words quoted and escaped once.
"""

from __future__ import annotations

from datetime import date

from bot.delivery.ports import ChatPort
from bot.platform.i18n import N_
from bot.platform.text import human, quoted
from bot.production.notifications import send_assignment, update_assignment, withdraw_assignment
from bot.requests.changes import Change
from bot.requests.lifecycle import ACTIVE
from bot.requests.notices import FIELD_CHANGES, dm, field_news, field_value, in_thread, titled

#: What the requester reads under an ops question, in its thread: where to answer.
ANSWER_HERE = "Reply here, in this thread, to answer — I'll pass it on to creative ops."


def tell(port: ChatPort, change: Change) -> None:
    """Tell the requester (and the designer, on assignment and edits) what ops changed."""
    request, action, ref = change.request, change.action, change.request.ref
    title, requester = titled(request), request.requester_id
    if action == "approve":
        dm(port, requester, N_("{title} was approved by creative ops."), title=title)
    elif action == "reject":
        note = quoted(change.note or "")
        dm(port, requester, N_("{title} was rejected by creative ops:\n{note}"), title=title, note=note)
        update_assignment(port, request)
    elif action == "ask":
        _ask(port, change)
    elif action == "answer":
        in_thread(port, request, f"<@{requester}> answered:\n{quoted(change.note or '')}")
        dm(port, requester, N_("Thanks — I've passed your answer on to creative ops ({ref})."), ref=ref)
    elif action == "assign":
        _assign(port, change)
    elif action in FIELD_CHANGES:
        news = field_news(action, change.old, change.new, _today(change))
        dm(port, requester, f"Creative ops updated {title}: {news}.")
        if request.assignee_id and request.status in ACTIVE and action in ("due", "priority"):
            dm(port, request.assignee_id, f"Creative ops updated your assignment {title}: {news}.")
        update_assignment(port, request)


def _ask(port: ChatPort, change: Change) -> None:
    """The question in the requester's DM, with a thread under it where their answer goes.

    The question's message is remembered as the request's ``info`` message: a reply in its thread is the
    answer.
    """
    request = change.request
    asked = N_("Creative ops has another question about {title}:\n{note}") if change.old else None
    target = (request.ref or "", "info")
    dm(
        port,
        request.requester_id,
        asked or N_("Creative ops has a question about {title}:\n{note}"),
        target=target,
        title=titled(request),
        note=quoted(change.note or ""),
    )
    port.reply_to(port.open_dm(request.requester_id), target, ANSWER_HERE)


def _assign(port: ChatPort, change: Change) -> None:
    request, title = change.request, titled(change.request)
    designer = request.assignee_id
    assert designer is not None
    if change.previous_assignee == designer:  # the same designer: the work is back with them (it was blocked)
        update_assignment(port, request)
        dm(port, designer, f"{title} is back with you: creative ops set it to assigned again.")
        return
    withdraw_assignment(port, change)
    send_assignment(port, request)
    if change.reassigned:
        dm(
            port,
            request.requester_id,
            N_("{title} is now assigned to {designer} (was {previous})."),
            title=title,
            designer=f"<@{designer}>",
            previous=f"<@{change.previous_assignee}>",
        )
    else:
        dm(port, request.requester_id, N_("{title} is assigned to {designer}."), title=title, designer=f"<@{designer}>")


def unchanged(change: Change) -> str:
    """Why a change that changes nothing was not made, for the person who tried it."""
    request, action = change.request, change.action
    ref = request.ref
    if action in FIELD_CHANGES:
        what, be = FIELD_CHANGES[action], "are" if action == "channels" else "is"
        return f"Nothing changed: the {what} of {ref} {be} already {field_value(action, change.new, _today(change))}."
    if action == "assign":
        return f"Nothing changed: {ref} is already assigned to <@{change.new}>."
    if action == "ask":
        return f"Nothing changed: that question is already waiting for <@{request.requester_id}>'s answer."
    return f"Nothing changed: {ref} is already {human(request.status)}."


def _today(change: Change) -> date:
    return change.today or (change.request.updated_at or change.request.created_at).date()
