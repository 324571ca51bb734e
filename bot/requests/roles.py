"""Who may do what to a request (SPEC 7): ops route, the assigned designer reports progress, the requester answers."""

from __future__ import annotations

from storage.models import Request
from storage.uow import UnitOfWork

OPS, DESIGNER, REQUESTER = "ops", "designer", "requester"

ROLES: dict[str, str] = {
    "approve": OPS,
    "reject": OPS,
    "ask": OPS,
    "assign": OPS,
    "priority": OPS,
    "due": OPS,
    "type": OPS,
    "channels": OPS,
    "comment": OPS,
    "start": DESIGNER,
    "block": DESIGNER,
    "deliver": DESIGNER,
    "answer": REQUESTER,
    "request_changes": REQUESTER,
    "accept": REQUESTER,
    "cancel": REQUESTER,
}


class Refused(Exception):
    """Nothing changed; the message says why and is shown only to the person who tried."""


def authorize(u: UnitOfWork, actor: str, request: Request, action: str) -> None:
    """Raise Refused unless ``actor`` holds the role ``action`` needs on ``request``."""
    role = ROLES[action]
    if role == OPS:
        member = u.team.get(actor)
        if not (member and member.is_ops):
            raise Refused("Only creative-ops managers can change a request's routing; nothing changed.")
    elif role == DESIGNER and actor != request.assignee_id:
        who = f"<@{request.assignee_id}>" if request.assignee_id else "nobody yet"
        raise Refused(f"Only the assigned designer ({who}) reports progress on {request.ref}; nothing changed.")
    elif role == REQUESTER and actor != request.requester_id:
        raise Refused(f"Only the requester (<@{request.requester_id}>) can do that for {request.ref}; nothing changed.")
