"""Storage on every backend: UTC round trips, references under concurrency, exactly-once claims, migrations."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import SQLModel
from support import request_row

from bot.delivery.inbox import new_item
from bot.platform.clock import FixedClock
from bot.requests.lifecycle import format_ref
from storage.db import Database, DatabaseError, normalize_url
from storage.models import Draft
from storage.repositories import Audit, Drafts, Inbox, Requests

#: The clock's instant with microseconds, which every backend must keep.
NOW = datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=UTC)


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_timestamps_round_trip_as_aware_utc(db: Database) -> None:
    berlin = timezone(timedelta(hours=1))
    at = datetime(2026, 3, 2, 11, 0, 0, 654321, tzinfo=berlin)
    with db.session() as s:
        ref = Requests(s).add(request_row(when=NOW, created_at=at, updated_at=at), format_ref).ref
    with db.session() as s:
        stored = Requests(s).by_ref(ref or "")
    assert stored is not None
    assert stored.created_at == at
    assert stored.created_at.tzinfo == UTC
    assert stored.created_at.isoformat() == "2026-03-02T10:00:00.654321+00:00"


def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive"), db.session() as s:
        Requests(s).add(request_row(when=NOW, created_at=datetime(2026, 3, 2, 10, 0)), format_ref)


def test_references_are_sequential_and_formatted(db: Database) -> None:
    with db.session() as s:
        refs = [Requests(s).add(request_row(when=NOW), format_ref).ref for _ in range(3)]
    assert refs == ["CR-0001", "CR-0002", "CR-0003"]
    assert format_ref(12345) == "CR-12345"


def test_references_stay_unique_under_concurrent_inserts(db: Database) -> None:
    def insert(_: int) -> str:
        with db.session() as s:
            return Requests(s).add(request_row(when=NOW), format_ref).ref or ""

    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = list(pool.map(insert, range(40)))
    assert len(set(refs)) == 40
    assert all(ref.startswith("CR-") for ref in refs)


def test_a_delivery_is_stored_once_even_concurrently(db: Database) -> None:
    def put(key: str) -> bool:
        with db.session() as s:
            return Inbox(s).put(new_item(key, "message", "U1", {}, FixedClock(NOW)))

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(put, ["Ev123"] * 12))
    assert results.count(True) == 1
    assert put("Ev124") is True


def test_one_draft_per_requester_conversation(db: Database) -> None:
    with db.session() as s:
        Drafts(s).save(Draft(requester_id="U1", conversation_id="D1", created_at=NOW, updated_at=NOW))
    with pytest.raises(IntegrityError), db.session() as s:
        Drafts(s).save(Draft(requester_id="U1", conversation_id="D1", created_at=NOW, updated_at=NOW))
    with db.session() as s:
        Drafts(s).save(Draft(requester_id="U1", conversation_id="D2", created_at=NOW, updated_at=NOW))
        assert Drafts(s).get("U1", "D2") is not None


def test_audit_events_are_kept_in_order(db: Database) -> None:
    with db.session() as s:
        request = Requests(s).add(request_row(when=NOW), format_ref)
        assert request.id is not None
        Audit(s).record(request.id, "U1", "status", NOW, old="draft", new="submitted")
        Audit(s).record(request.id, "U0OPS", "status", NOW + timedelta(minutes=1), old="submitted", new="approved")
    with db.session() as s:
        events = Audit(s).for_request(request.id)
    assert [(e.old, e.new) for e in events] == [("draft", "submitted"), ("submitted", "approved")]
    assert events[1].at == NOW + timedelta(minutes=1)


def test_postgres_urls_use_psycopg3() -> None:
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_bad_database_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="DATABASE_URL"):
        Database("not a url")
