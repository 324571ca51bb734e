"""The export streams (issue 10, item 7): keyset batches of requests, each with its history and comments in one
query apiece, written as they come; memory does not grow with the number of requests, the text is the same."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import timedelta

from support import NOW, counting, request_row

from bot.reporting.export import export_rows, iter_rows, to_csv, to_json, write_csv, write_json
from bot.requests.lifecycle import format_ref
from storage.db import Database
from storage.models import AuditEvent, Comment


class NullSink:
    """A text stream that keeps nothing but how much was written."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def fill(db: Database, count: int, *, objective: str = "launch", first: int = 0) -> list[int]:
    """``count`` requests, each with two audit events, every third with a comment; their ids."""
    with db.session() as s:
        rows = [
            request_row(
                when=NOW - timedelta(minutes=n),
                title=f"Video {first + n}",
                brief={"title": f"Video {first + n}", "objective": objective, "markets": ["DE", "FR"]},
                duplicate_refs=["CR-0001"] if n % 5 == 0 else [],
            )
            for n in range(count)
        ]
        s.add_all(rows)
        s.flush()
        ids = [r.id or 0 for r in rows]
        for n, request_id in enumerate(ids):
            rows[n].ref = format_ref(request_id)
            s.add(AuditEvent(request_id=request_id, actor="U1", action="status", old="draft", new="submitted", at=NOW))
            s.add(AuditEvent(request_id=request_id, actor="U0OPS", action="approve", at=NOW + timedelta(hours=n)))
            if n % 3 == 0:
                s.add(Comment(request_id=request_id, author="U0OPS", text=f"note, “{n}”\nline", at=NOW))
    return ids


def test_batches_give_the_same_rows_as_one_read(db: Database) -> None:
    fill(db, 7)
    whole = list(iter_rows(db.uow, batch=1000))
    assert [r["ref"] for r in whole] == [format_ref(n) for n in range(1, 8)]
    for batch in (1, 2, 3, 7, 8):
        assert list(iter_rows(db.uow, batch=batch)) == whole
    assert export_rows(db.uow) == whole
    assert [len(r["history"]) for r in whole] == [2] * 7
    assert [len(r["comments"]) for r in whole] == [1, 0, 0, 1, 0, 0, 1]
    assert whole[3]["comments"][0]["text"] == "note, “3”\nline"


def test_the_streamed_text_is_the_text_of_the_whole_export(db: Database) -> None:
    fill(db, 5)
    rows = export_rows(db.uow)
    out = io.StringIO()
    write_json(iter_rows(db.uow, batch=2), out)
    assert out.getvalue() == json.dumps(rows, ensure_ascii=False, indent=2) == to_json(rows)
    out = io.StringIO()
    write_csv(iter_rows(db.uow, batch=2), out)
    assert out.getvalue() == to_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [p["ref"] for p in parsed] == [r["ref"] for r in rows]
    assert json.loads(parsed[0]["comments"])[0]["text"] == "note, “0”\nline"


def test_an_empty_export_is_an_empty_array_and_a_header(db: Database) -> None:
    out = io.StringIO()
    write_json(iter_rows(db.uow), out)
    assert out.getvalue() == "[]" == json.dumps([], indent=2)
    out = io.StringIO()
    write_csv(iter_rows(db.uow), out)
    assert out.getvalue().count("\n") == 1 and out.getvalue().startswith("ref,status,")


def statements(db: Database, batch: int) -> int:
    with counting(db) as seen:
        write_csv(iter_rows(db.uow, batch=batch), NullSink())
    return len(seen)


def test_each_batch_costs_the_same_few_queries(db: Database) -> None:
    fill(db, 10)
    one_batch = statements(db, batch=10)  # a full batch, then the empty page that ends the export
    fill(db, 10, first=10)
    two_batches = statements(db, batch=10)
    fill(db, 10, first=20)
    three_batches = statements(db, batch=10)
    per_batch = two_batches - one_batch
    assert three_batches - two_batches == per_batch
    assert per_batch <= 4  # requests, their events, their comments (and BEGIN on SQLite)


def peak_bytes(db: Database, batch: int) -> int:
    sink = NullSink()
    tracemalloc.start()
    try:
        write_json(iter_rows(db.uow, batch=batch), sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.chars > 0
    return peak


def test_memory_does_not_grow_with_the_number_of_requests(db: Database) -> None:
    objective = "Drive sign-ups for the spring launch across every market we sell in. " * 20  # ~1.4 kB a request
    fill(db, 100, objective=objective)
    peak_bytes(db, batch=25)  # warm-up: compiled statements and caches
    small = peak_bytes(db, batch=25)
    fill(db, 400, objective=objective, first=100)
    large = peak_bytes(db, batch=25)
    # Five times the requests: a whole-table read would need about five times the memory; batches need the same.
    assert large < small * 1.5, (small, large)
    whole = len(json.dumps(export_rows(db.uow)))
    assert large < whole, (large, whole)
