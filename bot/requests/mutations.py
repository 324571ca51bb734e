"""What each action changes on a request beyond its status: validated field edits, one function per action.

Each returns (old, new) of the value it sets; when they are equal (and the status stays), the change is a
no-op, so a function must then leave the request exactly as it found it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from bot.analysis.contract import Extraction
from bot.analysis.dates import parse_date
from bot.analysis.merge import apply
from bot.briefs.assessment import assess
from bot.briefs.catalog import Catalog
from bot.briefs.duplicates import search_terms
from bot.briefs.model import Brief
from bot.briefs.priority import PRIORITIES
from bot.platform.text import format_date
from bot.requests.lifecycle import Status
from bot.requests.roles import Refused
from storage.models import DELIVERY_LINK_MAX, DELIVERY_NOTE_MAX, Comment, Request
from storage.uow import UnitOfWork

_URL = re.compile(r"^<?(https?://[^\s|>]+)(?:\|[^>]*)?>?$")
#: The longest delivery link and note a request stores (longer ones are refused, never cut or lost).
MAX_DELIVERY_LINK, MAX_DELIVERY_NOTE = DELIVERY_LINK_MAX, DELIVERY_NOTE_MAX
#: (old, new) as the audit trail stores them; None when the action has no value of its own.
Values = tuple[str | None, str | None]


@dataclass
class Edit:
    """One action's inputs, inside the change's transaction."""

    u: UnitOfWork
    request: Request
    actor: str
    note: str | None
    value: str | None
    now: datetime
    today: date
    catalog: Catalog
    extraction: Extraction | None
    #: The status before the change (the request's status may not be set to the new one yet).
    old_status: str = ""


def _require(text: str | None, what: str) -> str:
    if not text or not text.strip():
        raise Refused(f"Please give {what}; nothing changed.")
    return text.strip()


def _nothing(_e: Edit) -> Values:
    return None, None


def _ask(e: Edit) -> Values:
    """The question is the value: the same question again while it waits for its answer changes nothing."""
    question = _require(e.note, "the question")
    waiting = _open_question(e) if e.old_status == Status.NEEDS_INFO else None
    if question == waiting:
        return waiting, question
    e.request.info_asked_at, e.request.info_nudged, e.request.complete_at_submit = e.now, False, False
    return waiting, question


def _open_question(e: Edit) -> str | None:
    """The question the requester has not answered yet: the latest ``ask`` in the audit trail."""
    assert e.request.id is not None
    asks = [event for event in e.u.audit.for_request(e.request.id) if event.action == "ask"]
    return asks[-1].new if asks else None


def _answer(e: Edit) -> Values:
    text = _require(e.note, "an answer")
    assert e.extraction is not None
    _merge_answer(e, text, e.extraction)
    e.request.info_channel = e.request.info_ts = None
    return None, None


def _merge_answer(e: Edit, text: str, extraction: Extraction) -> None:
    """The requester's answer updates the brief; ops' routing (type, channels) stays as it is."""
    request = e.request
    brief = Brief.model_validate(request.brief)
    updated = apply(brief, extraction, e.catalog).model_copy(
        update={
            "request_type": brief.request_type,
            "channels": brief.channels,
            "title": brief.title,
            "notes": "\n".join(filter(None, [brief.notes, f"Answer to ops: {text}"])),
        }
    )
    request.brief = updated.model_dump(mode="json")
    if search_terms(updated) != search_terms(brief):  # what the request is found by as a possible duplicate
        e.u.requests.index_terms(request, search_terms(updated))
    if updated.deadline and updated.deadline != request.deadline:
        if request.due_date in (None, request.deadline):  # a due date ops set stays theirs
            request.due_date = updated.deadline
        request.deadline = updated.deadline
        request.rush = rush_of(request, e.catalog)


def rush_of(request: Request, catalog: Catalog) -> bool:
    """Whether the due date (ops' when they set one, else the requester's deadline) is sooner than the type's
    lead time allows, counted from the day the request came in."""
    due = request.due_date or request.deadline
    brief = Brief.model_validate(request.brief).model_copy(
        update={"deadline": due, "request_type": request.request_type}
    )
    return assess(brief, catalog, (request.submitted_at or request.created_at).date()).rush


def _assign(e: Edit) -> Values:
    designer = _require(e.value, "a designer")
    member = e.u.team.get(designer)
    if not (member and member.is_designer):
        raise Refused(f"<@{designer}> is not a designer in the roster (TEAM_FILE); nothing changed.")
    old = e.request.assignee_id
    if designer != old:
        e.request.assignee_id, e.request.assigned_at = designer, e.now
    return old, designer


def _priority(e: Edit) -> Values:
    level = _require(e.value, "a priority").lower()
    if level not in PRIORITIES:
        raise Refused(f"Priority must be one of {', '.join(PRIORITIES)}; nothing changed.")
    old = e.request.priority
    if level != old:
        e.request.priority = level
    return old, level


def _due(e: Edit) -> Values:
    day = parse_date(_require(e.value, "a date"), e.today)
    if day is None:
        raise Refused(f"I couldn't read a date in “{e.value}”; nothing changed.")
    if day < e.today:
        raise Refused(f"{format_date(day)} is in the past; nothing changed.")
    old = e.request.due_date.isoformat() if e.request.due_date else None
    if day.isoformat() != old:
        e.request.due_date = day
        e.request.rush = rush_of(e.request, e.catalog)
    return old, day.isoformat()


def _retype(e: Edit) -> Values:
    kind = _require(e.value, "a request type").lower().replace(" ", "_")
    if kind not in e.catalog.request_types:
        raise Refused(f"Unknown type; use one of {', '.join(e.catalog.type_names)}.")
    old = e.request.request_type
    if kind != old:
        e.request.request_type, e.request.classified_by = kind, "ops"
        e.request.brief = {**e.request.brief, "request_type": kind}
        e.request.rush = rush_of(e.request, e.catalog)  # another type, another lead time
    return old, kind


def _rechannel(e: Edit) -> Values:
    names = channel_names(_require(e.value, "channels"), e.catalog)
    unknown = [c for c in names if c not in e.catalog.channels]
    if unknown or not names:
        raise Refused(f"Unknown channel {', '.join(unknown) or '(none)'}; use {', '.join(e.catalog.channel_names)}.")
    old = ", ".join(e.request.channels)
    if set(names) == set(e.request.channels):
        return old, old  # the same channels, in whatever order
    e.request.channels, e.request.classified_by = names, "ops"
    e.request.brief = {**e.request.brief, "channels": names}
    return old, ", ".join(names)


def channel_names(text: str, catalog: Catalog) -> list[str]:
    """``social, paid ads`` or ``social email``: commas and "and" separate; spaces join or separate."""

    def name(part: str) -> str:
        return re.sub(r"\s+", "_", part.strip().lower())

    parts = [p for p in re.split(r"\s*(?:,|;|&|\band\b)\s*", text) if p.strip()]
    if len(parts) == 1 and name(parts[0]) not in catalog.channels:
        parts = parts[0].split()
    return list(dict.fromkeys(name(p) for p in parts))


def _deliver(e: Edit) -> Values:
    match = _URL.match(_require(e.value, "the delivery link"))
    if not match:
        raise Refused("The delivery link must start with http:// or https://; nothing changed.")
    if len(match.group(1)) > MAX_DELIVERY_LINK:
        raise Refused(link_too_long(len(match.group(1))) + "; nothing changed.")
    if len((e.note or "").strip()) > MAX_DELIVERY_NOTE:
        raise Refused(f"The note is over {MAX_DELIVERY_NOTE:,} characters; please shorten it; nothing changed.")
    e.request.delivery_link, e.request.delivery_note = match.group(1), (e.note or "").strip() or None
    e.request.delivered_at = e.now
    return None, e.request.delivery_link


def link_too_long(length: int) -> str:
    """Why a delivery link of ``length`` characters is refused (short enough for a form error)."""
    return (
        f"This link is {length:,} characters, over the {MAX_DELIVERY_LINK:,} that fit: "
        "please share a shorter one (a share link, not a signed download URL)"
    )


def _request_changes(e: Edit) -> Values:
    _require(e.note, "what should change")
    e.request.revision_count += 1
    return None, None


def _accept(e: Edit) -> Values:
    e.request.closed_at = e.now
    return None, None


def _with_reason(what: str) -> Callable[[Edit], Values]:
    def check(e: Edit) -> Values:
        _require(e.note, what)
        return None, None

    return check


def _comment(e: Edit) -> Values:
    assert e.request.id is not None
    text = _require(e.note, "a comment")
    e.u.comments.add(Comment(request_id=e.request.id, author=e.actor, text=text, at=e.now))
    return None, text


_MUTATIONS: dict[str, Callable[[Edit], Values]] = {
    "ask": _ask,
    "answer": _answer,
    "assign": _assign,
    "priority": _priority,
    "due": _due,
    "type": _retype,
    "channels": _rechannel,
    "deliver": _deliver,
    "request_changes": _request_changes,
    "accept": _accept,
    "block": _with_reason("what is blocking you"),
    "reject": _with_reason("a reason"),
    "comment": _comment,
}


def mutation(action: str) -> Callable[[Edit], Values]:
    """The field changes of ``action`` beyond its status transition (none for plain transitions)."""
    return _MUTATIONS.get(action, _nothing)
