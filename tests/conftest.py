"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is set),
the fixed clock, the fake Slack, the catalog, the services and the conversation.

The tree mirrors the code: tests/bot/<package>/, tests/handlers/, tests/storage/ and tests/fakes/, with the
tests that span the whole app (the CLI, security, bad input, properties, several instances) at the top.
Builders live in support.py. The helpers next to this file (``support``, ``slack_requests``, the ``fakes``
package) are imported as top-level modules from any depth: this directory is put on ``sys.path`` below.
Test directories have no ``__init__.py`` (pytest's default "prepend" import mode), so every test file's
basename must be unique across the tree; pytest refuses to collect a duplicate.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.analysis.analyzer import Analyzer
from bot.analysis.rules.engine import RulesEngine
from bot.briefs.catalog import Catalog, load_catalog
from bot.delivery.outbox import OutboxPort
from bot.intake.conversation import Conversation
from bot.platform.clock import FixedClock
from bot.services import Services
from storage.db import Database

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from fakes.slack_api import FakeSlackAPI  # noqa: E402
from support import NOW, chat, make_services  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


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
    return FixedClock(NOW)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    """A recording fake Slack Web API on 127.0.0.1."""
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The built-in catalog."""
    return load_catalog()


@pytest.fixture
def service_settings() -> dict[str, Any]:
    """Settings the ``services`` fixture overrides; a module overrides this fixture to change them."""
    return {}


@pytest.fixture
def services(db: Database, clock: FixedClock, fake_slack: FakeSlackAPI, service_settings: dict[str, Any]) -> Services:
    """The app's services on the test database, wired to the fake Slack."""
    return make_services(db, clock, fake_slack, **service_settings)


@pytest.fixture
def port(services: Services) -> OutboxPort:
    """The services' port to Slack, as the scheduler uses it: failed posts kept in the outbox."""
    return chat(services)


@pytest.fixture
def convo(db: Database, catalog: Catalog, clock: FixedClock) -> Conversation:
    """The intake conversation with the rules engine, on the test database."""
    return Conversation(db.uow, Analyzer(catalog=catalog, rules=RulesEngine()), catalog, clock)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's .env or real credentials."""
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "OPS_CHANNEL_ID",
        "DATABASE_URL",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "OPENAI_REASONING_EFFORT",
        "OPENAI_MAX_COMPLETION_TOKENS",
        "OPENAI_TIMEOUT_S",
        "TEAM_FILE",
        "CATALOG_FILE",
        "TIMEZONE",
        "DIGEST_TIME",
        "PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
