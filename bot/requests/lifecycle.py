"""The request lifecycle (SPEC 5): statuses, which action moves which status where, and the reference format."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.platform.i18n import N_, t
from bot.platform.text import human


class Status(StrEnum):
    """Every status a request can have."""

    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DELIVERED = "delivered"
    REVISION_REQUESTED = "revision_requested"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


#: Every status as words, marked for translation (``status_words`` says them in the current language).
STATUS_WORDS: dict[str, str] = {
    Status.SUBMITTED: N_("submitted"),
    Status.NEEDS_INFO: N_("needs info"),
    Status.APPROVED: N_("approved"),
    Status.ASSIGNED: N_("assigned"),
    Status.IN_PROGRESS: N_("in progress"),
    Status.BLOCKED: N_("blocked"),
    Status.DELIVERED: N_("delivered"),
    Status.REVISION_REQUESTED: N_("revision requested"),
    Status.CLOSED: N_("closed"),
    Status.REJECTED: N_("rejected"),
    Status.CANCELLED: N_("cancelled"),
}


def status_words(status: str) -> str:
    """A status as words in the current language: ``needs_info`` → ``needs info``, ``falta información``."""
    return t(STATUS_WORDS.get(status, human(status)))


TERMINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})
OPEN = frozenset(Status) - TERMINAL
#: Statuses in which designers are working on it (count against capacity).
ACTIVE = frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.BLOCKED, Status.REVISION_REQUESTED})
#: Statuses that wait on ops: the triage queue.
QUEUE = frozenset({Status.SUBMITTED, Status.NEEDS_INFO, Status.APPROVED})
#: Open work that is not done yet (delivered work waits only on the requester's acceptance).
UNDELIVERED = OPEN - {Status.DELIVERED}
_REF = re.compile(r"^cr-\d+$", re.IGNORECASE)

_S = Status
TRANSITIONS: dict[str, dict[Status, Status]] = {
    "approve": {_S.SUBMITTED: _S.APPROVED, _S.NEEDS_INFO: _S.APPROVED},
    "ask": {_S.SUBMITTED: _S.NEEDS_INFO, _S.NEEDS_INFO: _S.NEEDS_INFO},
    "answer": {_S.NEEDS_INFO: _S.SUBMITTED},
    "assign": {
        _S.SUBMITTED: _S.ASSIGNED,
        _S.NEEDS_INFO: _S.ASSIGNED,
        _S.APPROVED: _S.ASSIGNED,
        _S.ASSIGNED: _S.ASSIGNED,
        _S.BLOCKED: _S.ASSIGNED,
    },
    "start": {_S.ASSIGNED: _S.IN_PROGRESS, _S.BLOCKED: _S.IN_PROGRESS, _S.REVISION_REQUESTED: _S.IN_PROGRESS},
    "block": {_S.ASSIGNED: _S.BLOCKED, _S.IN_PROGRESS: _S.BLOCKED, _S.REVISION_REQUESTED: _S.BLOCKED},
    "deliver": {_S.IN_PROGRESS: _S.DELIVERED, _S.BLOCKED: _S.DELIVERED, _S.REVISION_REQUESTED: _S.DELIVERED},
    "request_changes": {_S.DELIVERED: _S.REVISION_REQUESTED},
    "accept": {_S.DELIVERED: _S.CLOSED},
    "reject": dict.fromkeys(OPEN, _S.REJECTED),
    "cancel": dict.fromkeys(OPEN, _S.CANCELLED),
}

_VERBS = {
    "approve": "approved",
    "ask": "asked for information on",
    "answer": "answered",
    "assign": "assigned",
    "start": "started",
    "block": "blocked",
    "deliver": "delivered",
    "request_changes": "asked for changes to",
    "accept": "accepted",
    "reject": "rejected",
    "cancel": "cancelled",
}


class IllegalTransition(Exception):
    """An action that the request's current status does not allow; the message says why."""


def next_status(current: str, action: str) -> Status:
    """The status ``action`` leads to from ``current``, or IllegalTransition with a readable reason."""
    status = Status(current)
    target = TRANSITIONS[action].get(status)
    if target is None:
        allowed = ", ".join(human(s.value) for s in TRANSITIONS[action]) or "no status"
        raise IllegalTransition(
            f"It can't be {_VERBS[action]} while it is {human(status.value)} (only when {allowed})."
        )
    return target


def allows(action: str, status: str) -> bool:
    """Whether ``action`` is a legal transition from ``status`` (False for an unknown status or action)."""
    moves = TRANSITIONS.get(action, {})
    return any(status == s.value for s in moves)


def verb(action: str) -> str:
    """Past-tense wording of an action, for messages and history."""
    return _VERBS[action]


def format_ref(request_id: int) -> str:
    """``CR-0001`` for id 1; wider ids keep all their digits."""
    return f"CR-{request_id:04d}"


def normal_ref(text: str) -> str | None:
    """``cr-12`` as ``CR-12``; None when ``text`` is not a reference."""
    text = text.strip()
    return text.upper() if _REF.match(text) else None
