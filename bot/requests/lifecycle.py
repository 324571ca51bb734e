"""The request lifecycle (SPEC 5): which action moves which status where; everything else is refused."""

from __future__ import annotations

from enum import StrEnum


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


TERMINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})
OPEN = frozenset(Status) - TERMINAL
#: Statuses in which designers are working on it (count against capacity).
ACTIVE = frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.BLOCKED, Status.REVISION_REQUESTED})

_S = Status
TRANSITIONS: dict[str, dict[Status, Status]] = {
    "approve": {_S.SUBMITTED: _S.APPROVED, _S.NEEDS_INFO: _S.APPROVED},
    "ask": {_S.SUBMITTED: _S.NEEDS_INFO, _S.NEEDS_INFO: _S.NEEDS_INFO},
    "answer": {_S.NEEDS_INFO: _S.SUBMITTED},
    "assign": {_S.SUBMITTED: _S.ASSIGNED, _S.NEEDS_INFO: _S.ASSIGNED, _S.APPROVED: _S.ASSIGNED,
               _S.ASSIGNED: _S.ASSIGNED, _S.BLOCKED: _S.ASSIGNED},
    "start": {_S.ASSIGNED: _S.IN_PROGRESS, _S.BLOCKED: _S.IN_PROGRESS, _S.REVISION_REQUESTED: _S.IN_PROGRESS},
    "block": {_S.ASSIGNED: _S.BLOCKED, _S.IN_PROGRESS: _S.BLOCKED, _S.REVISION_REQUESTED: _S.BLOCKED},
    "deliver": {_S.IN_PROGRESS: _S.DELIVERED, _S.BLOCKED: _S.DELIVERED, _S.REVISION_REQUESTED: _S.DELIVERED},
    "request_changes": {_S.DELIVERED: _S.REVISION_REQUESTED},
    "accept": {_S.DELIVERED: _S.CLOSED},
    "reject": {status: _S.REJECTED for status in OPEN},
    "cancel": {status: _S.CANCELLED for status in OPEN},
}

_VERBS = {"approve": "approved", "ask": "asked for information on", "answer": "answered",
          "assign": "assigned", "start": "started", "block": "blocked", "deliver": "delivered",
          "request_changes": "asked for changes to", "accept": "accepted", "reject": "rejected",
          "cancel": "cancelled"}


class IllegalTransition(Exception):
    """An action that the request's current status does not allow; the message says why."""


def next_status(current: str, action: str) -> Status:
    """The status ``action`` leads to from ``current``, or IllegalTransition with a readable reason."""
    status = Status(current)
    target = TRANSITIONS[action].get(status)
    if target is None:
        allowed = ", ".join(s.value.replace("_", " ") for s in TRANSITIONS[action]) or "no status"
        raise IllegalTransition(f"It can't be {_VERBS[action]} while it is {status.value.replace('_', ' ')} "
                                f"(only when {allowed}).")
    return target


def verb(action: str) -> str:
    """Past-tense wording of an action, for messages and history."""
    return _VERBS[action]
