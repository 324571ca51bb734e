"""What one DM costs the database: connection checkouts (sessions) and SQL statements per message, end to end.

Usage: .venv/bin/python benchmarks/dm_cost.py [--db postgresql+psycopg://postgres@127.0.0.1:5432/creative_cost]
       [--conversations 20]

The real Bolt app in this process over HTTP (signed ``message.im`` events, as Slack sends them), its workers
in this process, a fake Slack Web API, the rules engine. Each conversation is four DMs from its own requester
(a first ask, two answers, ``submit``); each DM is sent once its previous reply arrived, so every figure is
the whole of one message's work: the inbox insert before the ack, the worker's claim and its transaction, the
conversation, the outbox rows and their dispatch to Slack. Counted on the app's engine (pool checkouts, and
``before_cursor_execute``, which includes ``BEGIN``): per DM, all DMs and the answers alone (the submissions
write a request, its terms, a triage post and two Home publishes, and are shown apart).

Without ``--db`` a temporary SQLite database is used; a PostgreSQL database named in ``--db`` is DROPPED AND
CREATED. It measures the checkout it sits in; it uses ``tests/support.running(poll_s=…)``, so for a checkout
older than that parameter take the script of commit ``820e924`` (which carried its own copy of that runner).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]  # the checkout measured: the one this script is in
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import psycopg  # noqa: E402
from fakes.slack_api import FakeSlackAPI  # noqa: E402
from slack_requests import event_callback, message_event, send_event, serve_wsgi  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from support import NOW, eventually, make_services, running  # noqa: E402

from bot.platform.clock import FixedClock  # noqa: E402
from handlers.server import wsgi_app  # noqa: E402
from storage.db import Database  # noqa: E402

SECRET = "bench-signing-secret"
IDLE_S = 3.0
#: The workers are woken by the work stored in this process; their idle polls for work stored by other processes
#: would be counted as the messages' cost, so they poll only this rarely.
IDLE_POLL_S = 60.0
TURNS = [
    "need a 30s youtube pre-roll for the spring launch, due in 4 weeks",
    "16:9",
    "goal: drive sign-ups for the spring launch. audience: marketing managers in DACH",
    "submit",
]


#: What each thread does for a message, by the thread's name.
ROLES = {"inbox-claimer": "claim", "outbox": "dispatch", "inbox": "handling"}
PARTS = ("ack", "claim", "handling", "dispatch")


def role() -> str:
    """The part of a message's work this thread does: the ack (the web server's threads), the claim, its
    handling (a consumer thread: the conversation, its outbox rows and the done-mark), or the dispatch."""
    name = threading.current_thread().name
    for prefix, part in ROLES.items():
        if name.startswith(prefix):
            return part
    return "ack"


@dataclass
class Counts:
    """Checkouts and statements seen on one engine while counting, by part."""

    checkouts: Counter[str] = field(default_factory=Counter)
    statements: Counter[str] = field(default_factory=Counter)
    per_message: list[tuple[str, Counter[str], Counter[str]]] = field(default_factory=list)
    idle: tuple[float, float] = (0.0, 0.0)


@contextmanager
def counted(db: Database) -> Iterator[Counts]:
    counts = Counts()

    def checkout(*_: Any) -> None:
        counts.checkouts[role()] += 1

    def statement(*_: Any) -> None:
        counts.statements[role()] += 1

    event.listen(db.engine.pool, "checkout", checkout)
    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        yield counts
    finally:
        event.remove(db.engine.pool, "checkout", checkout)
        event.remove(db.engine, "before_cursor_execute", statement)


def _replies(fake: FakeSlackAPI, channel: str) -> int:
    sent = fake.calls("chat.postMessage", lambda c: c.params.get("channel") in (channel, channel.lstrip("D")))
    return len(sent) + len(fake.calls("chat.update", lambda c: c.params.get("channel") == channel))


def _settled(url: str) -> Callable[[], bool]:
    """True once no inbox item or outbox row is pending: the message's work (and its dispatch) is over. Read on
    an engine of its own, so that the check is not counted."""
    watcher = Database(url)

    def done() -> bool:
        with watcher.engine.connect() as conn:
            pending = conn.exec_driver_sql(
                "SELECT (SELECT count(*) FROM inbox WHERE status = 'pending')"
                " + (SELECT count(*) FROM outbox WHERE status = 'pending')"
            ).scalar_one()
        return pending == 0

    return done


def run(db: Database, conversations: int) -> Counts:
    with FakeSlackAPI() as fake:
        services = make_services(db, FixedClock(NOW), fake, slack_bot_token="xoxb-bench", slack_signing_secret=SECRET)
        settled = _settled(db.url)
        with (
            running(services, poll_s=IDLE_POLL_S) as app,
            serve_wsgi(wsgi_app(app, services)) as url,
            counted(db) as counts,
        ):
            for n in range(conversations):
                user, channel = f"UCOST{n:03d}", f"DCOST{n:03d}"
                for turn, text in enumerate(TURNS):
                    before = (counts.checkouts.copy(), counts.statements.copy(), _replies(fake, channel))
                    send_event(url, SECRET, event_callback(message_event(text, user=user, channel=channel)))
                    eventually(lambda c=channel, b=before[2]: _replies(fake, c) > b, 10, "a reply")
                    eventually(settled, 10, "the work settled")
                    kind = "submit" if turn == len(TURNS) - 1 else "answer"
                    counts.per_message.append((kind, counts.checkouts - before[0], counts.statements - before[1]))
            idle = (counts.checkouts.total(), counts.statements.total())
            time.sleep(IDLE_S)  # measuring the idle polls: a span of time, nothing waited for
            counts.idle = (
                (counts.checkouts.total() - idle[0]) / IDLE_S,
                (counts.statements.total() - idle[1]) / IDLE_S,
            )
        return counts


def report(counts: Counts) -> None:
    print(f"{'':<22}" + "".join(f"{part:>18}" for part in (*PARTS, "all")))
    for label, kinds in (("every DM", {"answer", "submit"}), ("answers", {"answer"}), ("submit", {"submit"})):
        rows = [(c, s) for kind, c, s in counts.per_message if kind in kinds]
        cells = []
        for part in (*PARTS, None):
            checkouts = statistics.fmean(c[part] if part else c.total() for c, _ in rows)
            statements = statistics.fmean(s[part] if part else s.total() for _, s in rows)
            cells.append(f"{checkouts:5.1f} / {statements:5.1f}")
        print(f"{label + f' ({len(rows)})':<22}" + "".join(f"{cell:>18}" for cell in cells))
    print("(sessions / statements per DM: pool checkouts / SQL statements, BEGIN included)")
    print(f"idle (workers polling, no messages): {counts.idle[0]:.1f} sessions/s, {counts.idle[1]:.1f} statements/s")


def fresh_postgres(url: str) -> str:
    """Drop and create the database of ``url``; the URL."""
    parsed = make_url(url)
    if parsed.database in (None, "test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop database {parsed.database!r}")
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')
    return url


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.node()} · {os.cpu_count()} CPUs · load {load}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL URL (dropped and created); default: a temporary SQLite file")
    parser.add_argument("--conversations", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_postgres(args.db) if args.db else f"sqlite:///{Path(tmp) / 'cost.db'}"
        db = Database(url)
        db.upgrade()
        print(f"# DM cost, {db.dialect}, {args.conversations} conversations of {len(TURNS)} DMs")
        print(f"machine: {machine()}")
        report(run(db, args.conversations))
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
