"""``export --format csv|json``: every request with its fields, status, engine proposal, ops override, history and
ops' comments."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.briefs.model import FIELD_NAMES
from storage.models import AuditEvent, Comment, Request
from storage.uow import UnitOfWorkFactory

_COLUMNS = (
    "ref",
    "status",
    "requester_id",
    "title",
    "request_type",
    "channels",
    "classified_by",
    "proposed_type",
    "proposed_channels",
    "overridden",
    "priority",
    "deadline",
    "due_date",
    "rush",
    "assignee_id",
    "revision_count",
    "complete_at_submit",
    "duplicate_refs",
    "delivery_link",
    "created_at",
    "submitted_at",
    "delivered_at",
    "closed_at",
)


def _row(request: Request, events: list[AuditEvent], comments: list[Comment]) -> dict[str, Any]:
    data = request.model_dump(mode="json")
    row: dict[str, Any] = {name: data.get(name) for name in _COLUMNS if name != "overridden"}
    row["overridden"] = (request.proposed_type, sorted(request.proposed_channels)) != (
        request.request_type,
        sorted(request.channels),
    )
    row["brief"] = {
        name: request.brief.get(name) for name in FIELD_NAMES if request.brief.get(name) not in (None, "", [])
    }
    row["history"] = [
        {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "old": e.old, "new": e.new} for e in events
    ]
    row["comments"] = [{"author": c.author, "at": c.at.isoformat(), "text": c.text} for c in comments]
    return row


def export_rows(uow: UnitOfWorkFactory) -> list[dict[str, Any]]:
    """Every request as a JSON-ready dict (three queries in all, however many requests there are)."""
    with uow() as u:
        requests = list(u.requests.all())
        history: dict[int, list[AuditEvent]] = {}
        for event in u.audit.all():
            history.setdefault(event.request_id, []).append(event)
        comments: dict[int, list[Comment]] = {}
        for comment in u.comments.all():
            comments.setdefault(comment.request_id, []).append(comment)
    return [_row(r, history.get(r.id or 0, []), comments.get(r.id or 0, [])) for r in requests]


def to_json(rows: list[dict[str, Any]]) -> str:
    """The export as a JSON array."""
    return json.dumps(rows, ensure_ascii=False, indent=2)


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One line per request; lists joined with ``;``, the brief, history and comments as JSON cells."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*_COLUMNS, *(f"brief.{n}" for n in FIELD_NAMES), "history", "comments"])
    writer.writeheader()
    for row in rows:
        flat = {k: ";".join(v) if isinstance(v, list) else v for k, v in row.items() if k in _COLUMNS}
        flat.update(
            {f"brief.{k}": ";".join(map(str, v)) if isinstance(v, list) else v for k, v in row["brief"].items()}
        )
        flat["history"] = json.dumps(row["history"], ensure_ascii=False)
        flat["comments"] = json.dumps(row.get("comments", []), ensure_ascii=False)
        writer.writerow(flat)
    return out.getvalue()
