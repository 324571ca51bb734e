"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from sqlalchemy import text

from bot.briefs.catalog import Catalog, load_catalog
from bot.platform.clock import FixedClock
from storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_TABLES = ("audit_events", "requests", "drafts", "team_members", "processed_events")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Database | None]:
    """The PostgreSQL test database, rebuilt from migrations once per run."""
    if not PG_URL:
        yield None
        return
    db = Database(PG_URL)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.upgrade()
    yield db
    db.dispose()


def _truncate(db: Database) -> None:
    """Empty every application table and restart identities, keeping the migrated schema."""
    tables = [name for name in db.table_names() if name != "alembic_version"]
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path, pg_database: Database | None) -> Iterator[Database]:
    """A migrated, empty database on each configured backend."""
    if request.param == "postgresql":
        assert pg_database is not None
        _truncate(pg_database)
        yield pg_database
        return
    database = Database(f"sqlite:///{tmp_path / 'test.db'}")
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2 March 2026, 10:00 UTC."""
    return FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    """A recording fake Slack Web API on 127.0.0.1."""
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The built-in catalog."""
    return load_catalog()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's .env or real credentials."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "OPS_CHANNEL_ID",
                 "DATABASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "TEAM_FILE", "CATALOG_FILE",
                 "TIMEZONE", "DIGEST_TIME", "PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
