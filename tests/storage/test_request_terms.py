"""The term index behind duplicate detection and the keyset pages behind the export (issue 10, item 7)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Table, insert, inspect, text
from sqlmodel import select
from support import NOW, counting, request_row

from bot.briefs.duplicates import search_terms
from bot.briefs.model import Brief
from bot.requests.lifecycle import format_ref
from storage.db import Database, alembic_config
from storage.models import TERM_MAX, AuditEvent, Comment, Request, RequestTerm

SINCE = NOW - timedelta(days=90)


def add(db: Database, terms: list[str], *, request_type: str = "video", days_ago: float = 1) -> int:
    """A request created ``days_ago`` with ``terms`` indexed; returns its id."""
    when = NOW - timedelta(days=days_ago)
    with db.uow() as u:
        request = u.requests.add(request_row(when=when, request_type=request_type), format_ref)
        u.requests.index_terms(request, terms)
        assert request.id is not None
        return request.id


def found(db: Database, terms: list[str], limit: int = 50, per_term: int = 100) -> list[int]:
    with db.uow() as u:
        return [int(r.ref[3:]) for r in u.requests.sharing_terms(terms, SINCE, limit, per_term)]


def stored_terms(db: Database, request_id: int) -> list[str]:
    with db.session() as s:
        rows = s.exec(select(RequestTerm).where(RequestTerm.request_id == request_id)).all()
        return sorted(r.term for r in rows)


def test_the_search_returns_requests_of_any_type_sharing_terms_in_the_window_newest_first(db: Database) -> None:
    older = add(db, ["spring", "launch", "video"], days_ago=30)
    email = add(db, ["spring", "launch"], request_type="email", days_ago=5)
    newer = add(db, ["spring", "launch"], days_ago=2)
    add(db, ["spring", "launch"], days_ago=91)
    add(db, ["autumn", "sale"])
    assert found(db, ["spring", "launch", "teaser"]) == [newer, email, older]
    assert found(db, ["autumn", "winter"]) != []
    assert found(db, ["nothing"]) == [] and found(db, []) == []


def test_the_search_reads_at_most_limit_requests_those_sharing_the_most_terms(db: Database) -> None:
    best = add(db, ["a1", "b1", "c1"], days_ago=50)
    good = add(db, ["a1", "b1"], days_ago=40)
    for day in range(5):
        add(db, ["a1"], days_ago=day + 1)
    assert found(db, ["a1", "b1", "c1"], limit=2) == [good, best]
    assert len(found(db, ["a1", "b1", "c1"], limit=4)) == 4


def test_a_term_counts_for_its_newest_requests_only(db: Database) -> None:
    old_match = add(db, ["common", "rare", "rarer"], days_ago=60)
    newer = [add(db, ["common"], days_ago=day + 1) for day in range(4)]
    assert found(db, ["common"], per_term=3) == newer[:3]
    assert found(db, ["common", "rare", "rarer"], per_term=3) == [*newer[:3], old_match]
    assert found(db, ["common", "rare", "rarer"], per_term=3, limit=1) == [old_match]


def test_the_search_is_one_statement(db: Database) -> None:
    for day in range(20):
        add(db, ["spring", "launch", f"w{day}"], days_ago=day + 1)
    with db.uow() as u, counting(db) as statements:
        assert len(u.requests.sharing_terms(["spring", "launch"], SINCE, 10, 100)) == 10
    assert len([s for s in statements if "request_terms" in s]) == 1
    assert [s for s in statements if "request_terms" not in s and not s.startswith("BEGIN")] == []


def test_indexing_again_replaces_the_terms_and_long_words_are_cut(db: Database) -> None:
    request_id = add(db, ["spring", "launch"])
    with db.uow() as u:
        request = u.requests.by_ref(format_ref(request_id))
        assert request is not None
        u.requests.index_terms(request, ["autumn", "x" * 100])
    assert stored_terms(db, request_id) == ["autumn", "x" * TERM_MAX]
    assert found(db, ["x" * 100]) == [request_id]
    assert found(db, ["spring"]) == []


def test_pages_cover_every_request_once_and_their_history_in_one_query_each(db: Database) -> None:
    ids = [add(db, []) for _ in range(5)]
    with db.uow() as u:
        for request_id in ids:
            u.audit.record(request_id, "U1", "status", NOW, old="draft", new="submitted")
        u.comments.add(Comment(request_id=ids[3], author="U0OPS", text="hi", at=NOW))
    with db.uow() as u:
        pages = [list(u.requests.page(0, 2)), list(u.requests.page(ids[1], 2)), list(u.requests.page(ids[3], 2))]
        assert [[r.id for r in p] for p in pages] == [ids[:2], ids[2:4], ids[4:]]
        assert list(u.requests.page(ids[4], 2)) == []
        events: list[AuditEvent] = list(u.audit.for_requests(ids[2:4]))
        assert [e.request_id for e in events] == ids[2:4]
        assert [c.request_id for c in u.comments.for_requests(ids[2:4])] == [ids[3]]
        assert list(u.audit.for_requests([])) == [] and list(u.comments.for_requests([])) == []


BRIEFS: list[dict[str, Any]] = [
    {"title": "Video: Spring launch teaser", "objective": "Drive sign-ups for the spring launch", "audience": "DACH"},
    {"title": "Email", "objective": "The new need for a ÜBERSICHT_über café", "campaign": "Q2 " + "long" * 30},
    {},
    {"title": None, "objective": "and the for"},
]


def table_values(table: Table, row: Request) -> dict[str, Any]:
    """A model row's column values, as a Core insert takes them."""
    return {c.name: getattr(row, c.name) for c in table.columns if c.name != "id"}


def test_the_migrations_index_existing_requests_with_the_terms_the_domain_searches_of_any_type(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(db.url)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    with db.engine.begin() as connection:  # rows as the schema of 0004 holds them (later columns left out)
        table = Request.__table__
        columns = {c["name"] for c in inspect(connection).get_columns("requests")}
        rows = [request_row(brief=brief, request_type=f"type{n}") for n, brief in enumerate(BRIEFS)]
        values = [{k: v for k, v in table_values(table, r).items() if k in columns} for r in rows]
        ids = [connection.execute(insert(table).values(v).returning(table.c.id)).scalar_one() for v in values]
    assert db.upgrade().applied[:3] == ("0005", "0006", "0007")
    for request_id, brief in zip(ids, BRIEFS, strict=True):
        expected = sorted(t[:TERM_MAX] for t in search_terms(Brief.model_validate(brief)))
        assert stored_terms(db, request_id) == expected
    with db.uow() as u:
        assert [r.request_type for r in u.requests.sharing_terms(["spring", "launch"], SINCE, 10, 100)] == ["type0"]
    with db.session() as s:
        assert s.connection().execute(text("SELECT count(*) FROM request_terms")).scalar_one() > 5
    db.dispose()
