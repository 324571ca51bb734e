"""App Home (SPEC 2.5): requesters see their requests, designers their assignments, ops the queue."""

from __future__ import annotations

from typing import Any

from handlers.blocks.kit import MAX_VIEW_BLOCKS, Block, button, context, divider, escape, header, section
from bot.requests.lifecycle import ACTIVE, OPEN
from bot.briefs.questions import format_date
from handlers.blocks.intake import ACTION_NEW_REQUEST
from storage.db import Database
from storage.models import Request
from storage.repositories import Requests, Team

_PER_SECTION = 25


def _line(request: Request) -> str:
    due = f" · due {format_date(request.due_date)}" if request.due_date else ""
    return (f"*{request.ref}* {escape(request.title)} — {request.status.replace('_', ' ')}"
            f" · {request.priority}{due}")


def _section(title: str, requests: list[Request], empty: str) -> list[Block]:
    blocks: list[Block] = [header(title)]
    if not requests:
        return [*blocks, context(empty)]
    blocks += [section(_line(r)) for r in requests[:_PER_SECTION]]
    if len(requests) > _PER_SECTION:
        blocks.append(context(f"…and {len(requests) - _PER_SECTION} more"))
    return blocks


def home_view(db: Database, user: str) -> dict[str, Any]:
    """The Home tab of ``user``: what they asked for, what they work on, and the queue if they are ops."""
    with db.session() as session:
        member = Team(session).get(user)
        open_requests = list(Requests(session).with_status(sorted(OPEN)))
    mine = [r for r in open_requests if r.requester_id == user]
    blocks: list[Block] = [section("Ask for creative work by messaging me, or use the button.",
                                   accessory=button("New request", ACTION_NEW_REQUEST, style="primary")),
                           *_section("Your requests", mine, "No open requests.")]
    if member and member.is_designer:
        work = sorted((r for r in open_requests if r.assignee_id == user and r.status in ACTIVE),
                      key=lambda r: (r.due_date is None, r.due_date))
        blocks += [divider(), *_section("Your assignments", work, "Nothing assigned to you.")]
    if member and member.is_ops:
        queue = [r for r in open_requests if r.status in ("submitted", "needs_info", "approved")]
        blocks += [divider(), *_section("Triage queue", queue, "The queue is empty.")]
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
