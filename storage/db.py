"""Engine, sessions and migrations for any SQLAlchemy URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, create_engine

from storage.repositories import Requests
from storage.uow import UnitOfWork

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


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


class Database:
    """One engine per process; sessions are short-lived units of work."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise DatabaseError("invalid setting DATABASE_URL: not a database URL") from None
        self.dialect = parsed.get_backend_name()
        # hide_parameters: an error (logged, or raised to a caller that logs it) never carries a brief's text
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
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

    def upgrade(self) -> None:
        """Apply every pending migration."""
        try:
            with self.engine.begin() as connection:
                config = alembic_config(self.url)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            raise DatabaseError(f"database {self.safe_url}: {exc.__class__.__name__}: {_first_line(exc)}") from None

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
