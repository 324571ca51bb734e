"""``export --format csv|json``: every request with its fields, status, engine proposal, ops override, history and
ops' comments."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

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
    "group_ref",
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


#: Requests read per unit of work: three queries a batch (requests, their events, their comments).
BATCH = 500


def iter_rows(uow: UnitOfWorkFactory, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Every request as a JSON-ready dict, oldest first, read ``batch`` requests at a time (keyset pages, each in
    its own short read-only session, which on SQLite never takes the write lock), so memory stays bounded however
    many requests there are."""
    after = 0
    while True:
        with uow.read() as u:
            requests = list(u.requests.page(after, batch))
            ids = [r.id or 0 for r in requests]
            history: dict[int, list[AuditEvent]] = {}
            comments: dict[int, list[Comment]] = {}
            if requests:
                for event in u.audit.for_requests(ids):
                    history.setdefault(event.request_id, []).append(event)
                for comment in u.comments.for_requests(ids):
                    comments.setdefault(comment.request_id, []).append(comment)
            rows = [_row(r, history.get(r.id or 0, []), comments.get(r.id or 0, [])) for r in requests]
        yield from rows  # the transaction is over while the rows are written
        if len(requests) < batch:
            return
        after = ids[-1]


def export_rows(uow: UnitOfWorkFactory) -> list[dict[str, Any]]:
    """Every request as a JSON-ready dict (three queries per batch of requests)."""
    return list(iter_rows(uow))


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """The export as a JSON array, written one request at a time (the same text as ``to_json``)."""
    first = True
    for row in rows:
        text = json.dumps(row, ensure_ascii=False, indent=2)
        out.write(("[\n" if first else ",\n") + "\n".join("  " + line for line in text.split("\n")))
        first = False
    out.write("[]" if first else "\n]")


def to_json(rows: list[dict[str, Any]]) -> str:
    """The export as a JSON array."""
    out = io.StringIO()
    write_json(rows, out)
    return out.getvalue()


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One line per request, written as it comes; lists joined with ``;``, the brief, history and comments as
    JSON cells."""
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


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One line per request; lists joined with ``;``, the brief, history and comments as JSON cells."""
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue()
