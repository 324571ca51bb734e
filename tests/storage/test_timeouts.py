"""Database timeouts and a health probe in bounded time (SPEC 7: a hung database never blocks the app)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from storage.db import Database, Timeouts
from storage.health import HealthProbe


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word: a hung database server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def test_a_hung_postgresql_reads_as_down_within_the_probes_wait() -> None:
    with silent_server() as port:
        db = Database(f"postgresql://postgres@127.0.0.1:{port}/test", Timeouts(connect=1, statement=1, pool=1))
        probe = HealthProbe(db.ping, wait=0.5)
        assert probe.healthy() is False  # answered after 0.5 s, while the connection attempt still hangs
        assert probe.healthy() is False  # and a second caller does not start a second stuck probe
        db.dispose()


def test_a_locked_sqlite_reads_as_down_instead_of_waiting_for_the_lock(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    db.upgrade()
    probe = HealthProbe(db.ping, ttl=0.0, wait=0.3)
    assert probe.healthy() is True
    with db.engine.connect() as holder:  # another writer holds the write lock (BEGIN IMMEDIATE)
        holder.execute(text("SELECT 1"))
        assert probe.healthy() is False
    db.dispose()


def test_a_probe_that_fails_reads_as_down_and_an_answer_is_cached_for_its_ttl() -> None:
    answers = iter([True, False])
    probe = HealthProbe(lambda: next(answers), ttl=3600, wait=5)
    assert probe.healthy() is True
    assert probe.healthy() is True  # cached: the second answer is not asked for within the ttl

    def broken() -> bool:
        raise RuntimeError("driver bug")

    assert HealthProbe(broken).healthy() is False


def test_every_session_carries_the_timeouts(db: Database) -> None:
    with db.engine.connect() as connection:
        if db.dialect == "postgresql":  # the fixture's database uses the default Timeouts
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "2500ms"
            assert connection.execute(text("SHOW lock_timeout")).scalar() == "2500ms"
        else:  # SQLite: a writer waits this long for the write lock
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 2500
