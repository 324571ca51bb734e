"""Engine, sessions and migrations for any SQLAlchemy URL."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as SQLTimeoutError
from sqlmodel import Session, create_engine

from storage.models import check_lengths
from storage.repositories import Requests
from storage.uow import UnitOfWork

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The PostgreSQL advisory lock that serializes migrations across processes (any constant of our own).
MIGRATION_LOCK = 0x6372_6561_7469_7665
#: Migrations (and the wait for another process's) may take longer than a statement on the ack path.
MIGRATION_TIMEOUT_MS = 10 * 60 * 1000
log = logging.getLogger(__name__)


def transient(exc: BaseException) -> bool:
    """Whether a failure is the database being busy or away (locked, timed out, refusing), not the work's."""
    return isinstance(exc, OperationalError | SQLTimeoutError)


class Migrated(NamedTuple):
    """What ``Database.upgrade`` did: the revisions applied, oldest first, and the revision now current."""

    applied: tuple[str, ...]
    current: str | None


class DatabaseError(Exception):
    """The database URL is unusable or the database cannot be reached."""


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.new, *session.dirty):
        check_lengths(row)


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
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


#: The execution option of read-only sessions: on SQLite they begin without taking the write lock.
READ_ONLY = "creative_intake_read_only"


def _sqlite_begin(connection: Any) -> None:
    """SQLite takes the write lock at BEGIN, so read-then-write transactions cannot interleave; a read-only
    session begins deferred and never waits for (or holds) that lock."""
    deferred = connection.get_execution_options().get(READ_ONLY)
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


class _Transaction:
    """The transaction a worker holds for one piece of work, and what to do once it is committed."""

    def __init__(self, db: Database, session: Session) -> None:
        self.db, self.session = db, session
        self.after: list[Callable[[], None]] = []


#: The transaction in progress in this context: every unit of work opened inside joins it.
_AMBIENT: ContextVar[_Transaction | None] = ContextVar("creative_intake_transaction", default=None)


def in_transaction() -> bool:
    """Whether this context is inside ``Database.transaction()``."""
    return _AMBIENT.get() is not None


class Units:
    """What the domain opens units of work with.

    ``uow()`` is a transaction of its own, or, inside ``uow.transaction()``, a savepoint in that one (so a piece
    of work, its state changes, the calls to Slack they cause and its done-mark commit together or not at all).
    ``uow.read()`` is always a short read-only session of its own: for reads before a slow call (an LLM, Slack),
    which must not hold the transaction (on SQLite, the write lock) while they wait.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self) -> AbstractContextManager[UnitOfWork]:
        return self.db.unit()

    def read(self) -> AbstractContextManager[UnitOfWork]:
        """A read-only unit of work outside any transaction in progress."""
        return self.db.read_unit()

    def current(self) -> AbstractContextManager[UnitOfWork]:
        """A read in the transaction in progress (seeing its changes), or read-only of its own when there is none."""
        return self.db.unit() if in_transaction() else self.db.read_unit()

    def transaction(self) -> AbstractContextManager[UnitOfWork]:
        """One transaction that every ``uow()`` opened in this thread joins until the block ends."""
        return self.db.transaction()

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the transaction in progress is committed (now, when there is none)."""
        ambient = _AMBIENT.get()
        if ambient is None:
            action()
        elif action not in ambient.after:
            ambient.after.append(action)


class Timeouts(NamedTuple):
    """How long any database call may wait, in seconds: connecting, one statement (or a lock), a pooled connection.

    The defaults keep a hung or refusing database from holding anything near Slack's 3 s ack window.
    SQLite has no statement timeout: a writer waits for the write lock up to ``statement`` (no transaction
    holds that lock across a call to Slack or an LLM, so the wait is short unless the database is stuck).
    """

    connect: float = 2.0
    statement: float = 2.5
    pool: float = 2.0


DEFAULT_TIMEOUTS = Timeouts()


class Database:
    """One engine per process; sessions are short-lived units of work."""

    def __init__(self, url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS, pool_size: int = 10) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise DatabaseError("invalid setting DATABASE_URL: not a database URL") from None
        self.dialect = parsed.get_backend_name()
        # hide_parameters: an error (logged, or raised to a caller that logs it) never carries a brief's text.
        # No pre-ping (a round trip per session, on the ack path too): a connection found dead fails that one
        # call, which is retried (the inbox) or answered 500 (Slack retries), and the pool is then renewed.
        kwargs: dict[str, Any] = {"hide_parameters": True, "pool_timeout": timeouts.pool}
        if parsed.database not in (None, "", ":memory:"):  # a worker thread may hold its transaction and a read
            kwargs.update(pool_size=pool_size, max_overflow=pool_size)  # session at once (not SQLite in memory)
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": timeouts.statement}
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
            event.listen(self.engine, "begin", _sqlite_begin)
        self.uow = Units(self)
        self._reader = self.engine.execution_options(**{READ_ONLY: True})

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
    def unit(self) -> Iterator[UnitOfWork]:
        """A unit of work: the repositories over one transaction, committed when the block ends (a savepoint of
        the transaction in progress, if any)."""
        ambient = _AMBIENT.get()
        if ambient is not None and ambient.db is self:
            with ambient.session.begin_nested():
                yield UnitOfWork(ambient.session)
            return
        with self.session() as session:
            yield UnitOfWork(session)

    @contextmanager
    def read_unit(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work of its own (closed at the end, which ends its transaction; what it read
        stays readable)."""
        with Session(self._reader, expire_on_commit=False) as session:
            yield UnitOfWork(session)

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """The transaction of one piece of work: units of work opened in this context join it (and so does a
        transaction opened inside, as a savepoint)."""
        if _AMBIENT.get() is not None:
            with self.unit() as joined:
                yield joined
            return
        ambient = None
        with self.session() as session:
            ambient = _Transaction(self, session)
            token = _AMBIENT.set(ambient)
            try:
                yield UnitOfWork(session)
            finally:
                _AMBIENT.reset(token)
        for action in ambient.after:  # committed
            action()

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
                if self.dialect == "postgresql":  # instances starting together migrate one after another
                    connection.execute(text(f"SET LOCAL statement_timeout = {MIGRATION_TIMEOUT_MS}"))
                    connection.execute(text(f"SET LOCAL lock_timeout = {MIGRATION_TIMEOUT_MS}"))
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
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
