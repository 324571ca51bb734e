"""Engine, sessions and migrations for any SQLAlchemy URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, create_engine

from storage.repositories import Requests
from storage.uow import UnitOfWork

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


class Migrated(NamedTuple):
    """What ``Database.upgrade`` did: the revisions applied, oldest first, and the revision now current."""

    applied: tuple[str, ...]
    current: str | None


class DatabaseError(Exception):
    """The database URL is unusable or the database cannot be reached."""


class ValueTooLong(ValueError):
    """A text is longer than its column: refused before the database sees it, on every backend alike.

    PostgreSQL would refuse it too, SQLite would store it; the callers check what people type before it gets
    here, so this is the backstop that makes a missed check fail the same way (and loudly) everywhere.
    """


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.new, *session.dirty):
        table: Any = getattr(type(row), "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            length = getattr(column.type, "length", None)
            value = getattr(row, column.key, None)
            if length and isinstance(value, str) and len(value) > length:
                raise ValueTooLong(f"{table.name}.{column.name}: {len(value)} characters, at most {length}")


def normalize_url(url: str) -> str:
    """Plain ``postgresql://`` URLs use the psycopg 3 driver this project installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly, below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    """SQLite takes the write lock at BEGIN, so read-then-write transactions cannot interleave."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Timeouts(NamedTuple):
    """How long any database call may wait, in seconds: connecting, one statement (or a lock), a pooled connection.

    The defaults keep a hung or refusing database from holding anything near Slack's 3 s ack window.
    SQLite has no statement timeout: a writer waits for the write lock up to ``statement``, at least 10 s
    (under load a short wait there fails writes that would have gone through).
    """

    connect: float = 2.0
    statement: float = 2.5
    pool: float = 2.0


DEFAULT_TIMEOUTS = Timeouts()


class Database:
    """One engine per process; sessions are short-lived units of work."""

    def __init__(self, url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise DatabaseError("invalid setting DATABASE_URL: not a database URL") from None
        self.dialect = parsed.get_backend_name()
        # hide_parameters: an error (logged, or raised to a caller that logs it) never carries a brief's text
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True, "pool_timeout": timeouts.pool}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": max(timeouts.statement, 10)}
        elif self.dialect == "postgresql":
            wait_ms = round(timeouts.statement * 1000)
            kwargs["connect_args"] = {
                "connect_timeout": max(1, round(timeouts.connect)),
                "options": f"-c statement_timeout={wait_ms} -c lock_timeout={wait_ms}",
            }
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except (ArgumentError, ModuleNotFoundError) as exc:
            raise DatabaseError(f"invalid setting DATABASE_URL: {exc}") from None
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin_immediate)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def uow(self) -> Iterator[UnitOfWork]:
        """A unit of work: the repositories over one transaction, committed when the block ends."""
        with self.session() as session:
            yield UnitOfWork(session)

    def status_counts(self) -> dict[str, int] | None:
        """Requests per status, or None when the database cannot answer (monitoring never fails on it)."""
        try:
            with self.session() as session:
                return Requests(session).count_by_status()
        except SQLAlchemyError as exc:
            log.warning("status count failed", extra={"error": type(exc).__name__})
            return None

    def upgrade(self) -> Migrated:
        """Apply every pending migration; says which were applied and the revision the database is now at."""
        config = alembic_config(self.url)
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                before = MigrationContext.configure(connection).get_current_revision()
                command.upgrade(config, "head")
                after = MigrationContext.configure(connection).get_current_revision()
        except SQLAlchemyError as exc:
            raise DatabaseError(f"database {self.safe_url}: {exc.__class__.__name__}: {_first_line(exc)}") from None
        if after is None or after == before:
            return Migrated((), after)
        script = ScriptDirectory.from_config(config)
        applied = [revision.revision for revision in script.iterate_revisions(after, before)]
        return Migrated(tuple(reversed(applied)), after)

    def ping(self) -> bool:
        """Whether the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def table_names(self) -> list[str]:
        """The tables that exist in the database."""
        return inspect(self.engine).get_table_names()

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def url_password(url: str) -> str | None:
    """The password in a database URL (so logs can redact it), or None."""
    try:
        return make_url(normalize_url(url)).password
    except ArgumentError:
        return None


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else ""


def alembic_config(url: str) -> Config:
    """An Alembic configuration for this project's migrations, without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
