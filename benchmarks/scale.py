"""Data growth: the app's hot paths at 1k / 10k / 100k requests on PostgreSQL, with SQL statement counts.

Usage: .venv/bin/python benchmarks/scale.py [--db postgresql+psycopg://postgres@127.0.0.1:5432/creative_scale]
       [--sizes 1000 10000 100000] [--runs 5] [--keep]

The database named in ``--db`` is DROPPED AND CREATED by this script (and dropped again at the end unless
``--keep``); never point it at a database you use. For each size the schema is rebuilt: migrated to 0004,
filled by COPY with requests submitted at a constant rate (``--per-day``, default 30: a busy team; the smallest
table then holds a month, so the week a report reads and the work in progress are as at 100k), so a larger table is a
longer history, as it is for a team that uses the app for years (a realistic mix of types, statuses along their
lifecycle, audit events, some comments), then migrated to the head, which backfills the duplicate term index
(0005) as it would on a production database. Then, each the median of ``--runs`` runs, with the
SQL statements of one run (a ``before_cursor_execute`` listener on the engine):

- intake: one requester message through ``services.conversation.handle`` (rules engine; a full brief, so the
  duplicate check runs), and the duplicate check alone (the index lookup and the scoring);
- submission (``services.intake.submit``: the request, its terms, the triage card and the requester's Home,
  against a recording chat port), a triage command (``services.triage.perform`` approve);
- the ops question a requester's thread reply answers (``by_info_message``), with the plan's first line;
- Home (``services.homes.view``) of an ops manager and of a designer; digests composed and rendered
  (``digest --dry-run``); the weekly report's figures;
- export (``write_csv(iter_rows(...))`` into a null sink) with its tracemalloc peak, and ``creative-intake
  export --format csv`` as a child process with its wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bootstrap import build_services
from bot.briefs.duplicates import (
    CANDIDATES,
    TERM_POSTINGS,
    WINDOW_DAYS,
    Candidate,
    find_duplicates,
    search_terms,
)
from bot.briefs.model import Brief
from bot.delivery.ports import Posted
from bot.intake.messages import Incoming, ReplyKind
from bot.platform.calendar import add_workdays
from bot.platform.clock import FixedClock
from bot.platform.settings import load_settings
from bot.reporting.export import iter_rows, write_csv
from bot.requests.lifecycle import format_ref
from bot.services import Services
from bot.team.roster import DesignerEntry, Roster, sync_roster
from storage.db import Database, Timeouts, alembic_config
from storage.models import Request

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday
PER_DAY = 30
OPS_MANAGERS = ["U0OPS01", "U0OPS02", "U0OPS03"]
REQUESTERS = [f"U0REQ{n:03d}" for n in range(1, 301)]
#: request type: (weight, channel sets, things made)
TYPES: dict[str, tuple[int, list[list[str]], list[str]]] = {
    "social_graphic": (30, [["social"], ["social", "paid_ads"]], ["carousel", "story set", "post series"]),
    "display_ad": (12, [["paid_ads"], ["paid_ads", "web"]], ["banner set", "retargeting ads"]),
    "video": (10, [["video_platforms", "paid_ads"], ["social", "video_platforms"]], ["teaser video", "pre-roll"]),
    "email": (12, [["email"]], ["newsletter", "nurture email"]),
    "landing_page": (6, [["web"], ["web", "paid_ads"]], ["landing page", "microsite"]),
    "print": (7, [["print"], ["print", "events"]], ["flyer", "booth poster", "brochure"]),
    "presentation": (8, [["internal"], ["events"]], ["pitch deck", "keynote slides"]),
    "copywriting": (5, [["web"], ["email"]], ["product copy", "blog headlines"]),
    "localization": (6, [["social"], ["web"]], ["DE/FR adaptation", "LATAM versions"]),
    "brand_asset": (3, [["internal"], ["web"]], ["icon set", "illustration"]),
    "other": (1, [["internal"]], ["photo retouch"]),
}
PRODUCTS = [
    "Atlas", "Nimbus", "Orbit", "Pulse", "Quartz", "Ridge", "Sierra", "Tango", "Umbra", "Vertex", "Willow",
    "Zephyr", "Beacon", "Cobalt", "Delta", "Ember", "Fjord", "Garnet", "Harbor", "Indigo", "Juniper", "Kestrel",
    "Lumen", "Meridian", "Nova", "Onyx", "Prism", "Quill", "Rover", "Solstice",
]  # fmt: skip
CAMPAIGNS = [
    "spring launch", "summer sale", "webinar series", "partner summit", "hiring push", "customer stories",
    "black friday", "trade fair", "brand refresh", "back to school", "year in review", "loyalty program",
    "product tour", "holiday gifting", "developer week",
]  # fmt: skip
GOALS = [
    "drive sign-ups for", "announce", "grow awareness of", "win back lapsed buyers of", "explain pricing of",
    "collect leads for", "celebrate", "support sales of", "boost trials of", "recruit attendees for",
]  # fmt: skip
AUDIENCES = [
    "marketing managers in DACH", "small business owners", "existing customers", "developers in the US",
    "students", "enterprise IT buyers", "partners and resellers", "new hires", "press and analysts",
    "frequent travellers", "parents in France", "retail store staff",
]  # fmt: skip
MARKETS = ["DE", "FR", "UK", "US", "ES", "IT", "NL", "JP"]
LEAD_DAYS = {"video": 15, "landing_page": 10, "print": 10, "localization": 7, "presentation": 5}


# ---------------------------------------------------------------------- filling


def _designers(rng: random.Random) -> list[DesignerEntry]:
    kinds = list(TYPES)
    return [
        DesignerEntry(
            slack_id=f"U0DES{n:03d}",
            name=f"Designer {n}",
            skills=rng.sample(kinds, 3),
            capacity_points=rng.choice([16, 20, 24]),
            timezone=rng.choice(["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Singapore"]),
        )
        for n in range(1, 41)
    ]


@dataclass
class Filled:
    requests: int
    events: int
    comments: int
    seconds: float


def _brief(rng: random.Random, kind: str, channels: list[str], deadline: date) -> dict[str, Any]:
    product, campaign = rng.choice(PRODUCTS), rng.choice(CAMPAIGNS)
    thing = rng.choice(TYPES[kind][2])
    title = f"{kind.replace('_', ' ').capitalize()}: {thing} for {product} {campaign}"
    brief: dict[str, Any] = {
        "title": title,
        "request_type": kind,
        "channels": channels,
        "deadline": deadline.isoformat(),
        "objective": f"{rng.choice(GOALS)} {product} during the {campaign} in {rng.choice(MARKETS)}",
        "audience": rng.choice(AUDIENCES),
        "campaign": f"{product} {campaign}",
        "markets": rng.sample(MARKETS, rng.randint(1, 3)),
    }
    if rng.random() < 0.5:
        brief["key_message"] = f"{product} makes {campaign} easy"
    return brief


def _lifecycle(rng: random.Random, row: dict[str, Any], designers: list[DesignerEntry], lead: int) -> list[tuple]:
    """Move a request as far along as its age allows; returns its audit events (actor, action, old, new, at)."""
    submitted: datetime = row["submitted_at"]
    events: list[tuple] = [(row["requester_id"], "status", "draft", "submitted", submitted)]
    ops = rng.choice(OPS_MANAGERS)
    roll = rng.random()
    if roll < 0.04:
        at = submitted + timedelta(hours=rng.randint(2, 30))
        row.update(status="rejected", closed_at=at, updated_at=at)
        return [*events, (ops, "reject", "submitted", "rejected", at)]
    if roll < 0.07:
        at = submitted + timedelta(days=rng.randint(1, 4))
        row.update(status="cancelled", closed_at=at, updated_at=at)
        return [*events, (row["requester_id"], "cancel", "submitted", "cancelled", at)]
    triaged = submitted + timedelta(hours=rng.randint(1, 20))
    if triaged > NOW:
        return events
    if NOW - triaged < timedelta(days=7) and rng.random() < 0.25:
        if rng.random() < 0.5:
            row.update(status="needs_info", info_asked_at=triaged, updated_at=triaged, complete_at_submit=False)
            return [*events, (ops, "ask", None, "Which markets?", triaged)]
        row.update(status="approved", updated_at=triaged)
        return [*events, (ops, "approve", "submitted", "approved", triaged)]
    kind = row["request_type"]
    designer = rng.choice([d for d in designers if kind in d.skills] or designers)
    row.update(assignee_id=designer.slack_id, assigned_at=triaged, updated_at=triaged)
    events += [(ops, "approve", "submitted", "approved", triaged), (ops, "assign", None, designer.slack_id, triaged)]
    delivered = triaged + timedelta(days=lead * rng.uniform(0.5, 1.3), hours=rng.randint(0, 8))
    if delivered > NOW:
        row["status"] = rng.choices(["assigned", "in_progress", "blocked"], [3, 6, 1])[0]
        return events
    started = triaged + timedelta(hours=rng.randint(1, 12))
    events.append((designer.slack_id, "start", "assigned", "in_progress", started))
    row.update(delivered_at=delivered, delivery_link="https://drive.example.com/work", updated_at=delivered)
    row["revision_count"] = rng.choices([0, 1, 2], [6, 3, 1])[0]
    events.append((designer.slack_id, "deliver", "in_progress", "delivered", delivered))
    closed = delivered + timedelta(days=rng.randint(1, 3))
    if closed < NOW:
        row.update(status="closed", closed_at=closed, updated_at=closed)
        events.append((row["requester_id"], "accept", "delivered", "closed", closed))
    else:
        row["status"] = "delivered"
    return events


_COLUMNS = [c.name for c in Request.__table__.columns]  # type: ignore[attr-defined]
_JSON = {"channels", "brief", "proposed_channels", "duplicate_refs"}


def fill(conninfo: str, size: int, per_day: int, designers: list[DesignerEntry], seed: int = 11) -> Filled:
    """``size`` requests submitted ``per_day`` over the days before NOW, with their audit events and comments, by
    COPY (ids 1…size, references from them)."""
    rng = random.Random(seed)
    started = time.perf_counter()
    names = list(TYPES)
    weights = [TYPES[n][0] for n in names]
    times = sorted(NOW - timedelta(seconds=rng.uniform(0, size / per_day * 86400)) for _ in range(size))
    requests: list[list[Any]] = []
    events: list[tuple[Any, ...]] = []
    comments: list[tuple[Any, ...]] = []
    for request_id, submitted in enumerate(times, start=1):
        kind = rng.choices(names, weights)[0]
        channels = rng.choice(TYPES[kind][1])
        lead = LEAD_DAYS.get(kind, 3)
        deadline = add_workdays(submitted.date(), max(1, lead + rng.randint(-2, 6)))
        overridden = rng.random() < 0.12
        brief = _brief(rng, kind, channels, deadline)
        created = submitted - timedelta(minutes=rng.randint(2, 90))
        row: dict[str, Any] = dict.fromkeys(_COLUMNS)
        row.update(
            id=request_id,
            ref=format_ref(request_id),
            status="submitted",
            requester_id=rng.choice(REQUESTERS),
            conversation_id=f"D{request_id}",
            title=brief["title"][:200],
            request_type=kind,
            channels=channels,
            brief=brief,
            deadline=deadline,
            rush=rng.random() < 0.1,
            priority=rng.choices(["low", "normal", "high", "urgent"], [1, 6, 2, 1])[0],
            due_date=deadline,
            classified_by="ops" if overridden else rng.choice(["rules", "llm"]),
            proposed_type="other" if overridden else kind,
            proposed_channels=channels,
            duplicate_refs=[format_ref(rng.randint(1, request_id))] if rng.random() < 0.03 else [],
            complete_at_submit=True,
            revision_count=0,
            info_nudged=False,
            created_at=created,
            updated_at=submitted,
            submitted_at=submitted,
            triage_channel="C0OPS",
            triage_ts=f"{submitted.timestamp():.6f}",
        )
        trail = _lifecycle(rng, row, designers, lead)
        requests.append([json.dumps(v) if k in _JSON else v for k, v in row.items()])
        events += [(request_id, actor, action, old, new, at) for actor, action, old, new, at in trail]
        if rng.random() < 0.15:
            for n in range(rng.randint(1, 2)):
                words = f"Comment {n} on {row['ref']}: please check the {rng.choice(CAMPAIGNS)} guidelines"
                comments.append((request_id, rng.choice(OPS_MANAGERS), words, submitted))
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'requests'")
        present = {name for (name,) in cur.fetchall()}  # the columns of the revision filled (later ones: defaults)
        kept = [n for n, name in enumerate(_COLUMNS) if name in present]
        requests = [[row[n] for n in kept] for row in requests]
        for sql, rows in (
            (f"COPY requests ({', '.join(_COLUMNS[n] for n in kept)}) FROM STDIN", requests),
            ("COPY audit_events (request_id, actor, action, old, new, at) FROM STDIN", events),
            ("COPY comments (request_id, author, text, at) FROM STDIN", comments),
        ):
            with cur.copy(sql) as copy:
                for values in rows:
                    copy.write_row(values)
        for table in ("requests", "audit_events", "comments"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return Filled(size, len(events), len(comments), time.perf_counter() - started)


# ---------------------------------------------------------------------- measuring


class RecordingPort:
    """A chat port that records every call and answers as Slack would (any method the domain calls)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._ts = 0

    def _posted(self, channel: str) -> Posted:
        self._ts += 1
        return Posted(channel if not channel.startswith("U") else "D" + channel, f"1700000000.{self._ts:06d}")

    def post(self, channel: str, text: str, card: Any = None, thread_ts: str | None = None, **kw: Any) -> Posted:
        self.calls.append("post")
        return self._posted(channel)

    def signal(self, channel: str, text: str) -> Posted:
        self.calls.append("signal")
        return self._posted(channel)

    def open_dm(self, user: str) -> str:
        return "D" + user

    def user_timezone(self, user: str) -> str:
        return "UTC"

    def known_timezone(self, user: str) -> str:
        return "UTC"

    def user_locale(self, user: str) -> str | None:
        return None

    def known_locale(self, user: str) -> str | None:
        return None

    def permalink(self, channel: str, ts: str) -> str | None:
        return None

    def __getattr__(self, name: str) -> Callable[..., None]:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append(name)

        return record


class NullSink:
    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


@dataclass
class Figure:
    name: str
    seconds: float
    statements: int
    note: str = ""


@contextmanager
def counting(db: Database) -> Iterator[list[int]]:
    seen = [0]

    def count(*_: Any) -> None:
        seen[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def measure(db: Database, runs: int, prepare: Callable[[int], Any], run: Callable[[Any], Any]) -> tuple[float, int]:
    """The median seconds of ``runs`` calls of ``run`` (each on what ``prepare`` made for it, untimed) and the
    statements of the last one."""
    seconds, statements = [], 0
    for n in range(runs):
        subject = prepare(n)
        with counting(db) as seen:
            started = time.perf_counter()
            run(subject)
            seconds.append(time.perf_counter() - started)
        statements = seen[0]
    return statistics.median(seconds), statements


#: ``creative-intake export --format csv`` in a fresh interpreter, then its peak RSS in kB (VmHWM: this process
#: image's high-water mark; a child's ru_maxrss would include the forked copy of this big parent).
EXPORT_CHILD = """
import sys
import app
code = app.main(["export", "--format", "csv"])
sys.stdout.flush()
hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")]
print(hwm[0], file=sys.stderr)
sys.exit(code)
"""
INTAKE_TEXT = (
    "need a 30s youtube pre-roll for Atlas spring launch, 16:9, due in 4 weeks. Goal: drive sign-ups for Atlas "
    "during the spring launch in DE. Audience: marketing managers in DACH"
)


def bench(services: Services, size: int, runs: int, export_runs: int, url: str) -> list[Figure]:
    db, figures = services.db, []
    port = RecordingPort()
    serial = iter(range(10**6))

    def say(user: str, text_: str) -> Any:
        return services.conversation.handle(Incoming(user, "D" + user, text_, "UTC"))

    seconds, statements = measure(db, runs, lambda n: f"UBI{size}{next(serial)}", lambda u: say(u, INTAKE_TEXT))
    figures.append(Figure("intake message (rules, duplicate check)", seconds, statements))

    brief = Brief(
        request_type="video",
        title="Video: pre-roll for Atlas spring launch",
        objective="drive sign-ups for Atlas during the spring launch in DE",
        audience="marketing managers in DACH",
    )

    def check(_: Any) -> list[Candidate]:
        since = NOW - timedelta(days=WINDOW_DAYS)
        with services.uow() as u:
            found = u.requests.sharing_terms(search_terms(brief), since, CANDIDATES, TERM_POSTINGS)
            candidates = [Candidate.stored(r.ref, r.title, r.status, r.brief) for r in found]
        return find_duplicates(brief, candidates)

    seconds, statements = measure(db, runs, lambda n: None, check)
    figures.append(Figure("duplicate check alone", seconds, statements, f"{len(check(None))} named"))

    def confirmed(n: int) -> str:
        user = f"USU{size}{next(serial)}"
        reply = say(user, INTAKE_TEXT)
        if reply.kind is ReplyKind.QUESTION and "similar" in reply.text:
            reply = say(user, "yes")
        assert reply.kind is ReplyKind.CONFIRM, reply.text
        return user

    submitted: list[str] = []

    def submit(user: str) -> None:
        reply = services.intake.submit(port, user, "D" + user, "D" + user)
        assert reply.kind is ReplyKind.SUBMITTED, reply.text
        submitted.append(reply.request.ref)

    seconds, statements = measure(db, runs, confirmed, submit)
    figures.append(Figure("submission (request, terms, triage card, Home)", seconds, statements))

    refs = iter(submitted)
    seconds, statements = measure(
        db, runs, lambda n: next(refs), lambda ref: services.triage.perform(port, OPS_MANAGERS[0], ref, "approve")
    )
    figures.append(Figure("triage command (approve)", seconds, statements))

    def question_of_reply(_: Any) -> Any:
        with services.uow.read() as u:
            return u.requests.by_info_message("DU0REQ001", "1764669600.000100")

    seconds, statements = measure(db, runs, lambda n: None, question_of_reply)
    with db.engine.connect() as conn:
        plan = (
            conn.execute(
                text("EXPLAIN SELECT id FROM requests WHERE info_ts = :ts AND info_channel = :channel"),
                {"ts": "1764669600.000100", "channel": "DU0REQ001"},
            )
            .scalars()
            .first()
            or ""
        )
    figures.append(Figure("a thread reply's ops question found", seconds, statements, plan.split("  (")[0]))

    for who, user in (("ops manager", OPS_MANAGERS[0]), ("designer", "U0DES001")):
        home = services.homes.view(user)
        shown = sum(len(s.entries) for s in home.sections)
        seconds, statements = measure(db, runs, lambda n, u=user: u, services.homes.view)
        figures.append(Figure(f"Home view ({who})", seconds, statements, f"{shown} entries"))

    outcomes = services.digests.run(None, NOW, scheduled=False, dry_run=True)
    seconds, statements = measure(
        db, runs, lambda n: None, lambda _: services.digests.run(None, NOW, scheduled=False, dry_run=True)
    )
    figures.append(Figure("digests composed (dry run)", seconds, statements, f"{len(outcomes)} digests"))

    window = services.report.window(NOW)
    seconds, statements = measure(db, runs, lambda n: window, services.report.figures)
    with services.uow.read() as u:
        read = len(u.requests.reported(window.start, window.end))
    figures.append(Figure("weekly report figures", seconds, statements, f"{read} requests of the week read"))

    def export(sink: NullSink) -> None:
        write_csv(iter_rows(services.uow), sink)

    seconds, statements = measure(db, export_runs, lambda n: NullSink(), export)
    tracemalloc.start()  # one more run, traced (tracing slows it down, so it is not timed)
    try:
        export(NullSink())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    note = f"tracemalloc peak {peak / 2**20:.1f} MB"
    figures.append(Figure("export csv (in process, into a null sink)", seconds, statements, note))

    cli_seconds, rss = [], []
    for _ in range(export_runs):
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", EXPORT_CHILD],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "DATABASE_URL": url},
            cwd=ROOT,
            text=True,
            check=True,
        )
        cli_seconds.append(time.perf_counter() - started)
        rss.append(int(child.stderr.strip().splitlines()[-1]))
    note = f"peak RSS {max(rss) / 1024:.0f} MB (the whole process: interpreter, imports, migrations check)"
    figures.append(Figure("creative-intake export --format csv", statistics.median(cli_seconds), -1, note))
    return figures


# ---------------------------------------------------------------------- the run


def _conninfo(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def recreate(url: str, *, drop_only: bool = False) -> None:
    name = make_url(url).database
    if not name or name in ("test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop database {name!r}")
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def migrate(db: Database, revision: str) -> float:
    config = alembic_config(db.url)
    started = time.perf_counter()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return time.perf_counter() - started


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    cpu = platform.processor() or platform.machine()
    return f"{platform.node()} · {platform.system()} {platform.release()} · {os.cpu_count()} CPUs ({cpu}) · load {load}"


def run_size(
    url: str, size: int, per_day: int, runs: int, export_runs: int, designers: list[DesignerEntry]
) -> list[Figure]:
    recreate(url)
    slow = Database(url, Timeouts(connect=5, statement=600, pool=5))  # filling and migrating take longer
    migrate(slow, "0004")
    filled = fill(_conninfo(url), size, per_day, designers)
    backfill = migrate(slow, "head")
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load: statistics and visibility maps
    with slow.engine.begin() as conn:
        terms = conn.execute(text("SELECT count(*) FROM request_terms")).scalar_one()
        open_count = conn.execute(text("SELECT count(*) FROM requests WHERE closed_at IS NULL")).scalar_one()
    slow.dispose()
    db = Database(url)  # the app's own timeouts
    settings = load_settings(database_url=url, ops_channel_id="C0OPS", timezone="Europe/Berlin")
    services = build_services(settings, FixedClock(NOW), db=db)
    sync_roster(services.uow, Roster(ops_managers=OPS_MANAGERS, designers=designers))
    print(
        f"\n## {size:,} requests ({open_count:,} open), {filled.events:,} audit events, {filled.comments:,} comments; "
        f"filled by COPY in {filled.seconds:.1f} s; migration 0005 indexed {terms:,} terms in {backfill:.1f} s"
    )
    figures = bench(services, size, runs, export_runs, url)
    print(f"{'':<48} {'median':>10} {'SQL statements':>15}")
    for f in figures:
        ms = f"{f.seconds * 1000:,.1f} ms"
        print(f"{f.name:<48} {ms:>10} {f.statements if f.statements >= 0 else '-':>15}  {f.note}")
    print(f"machine: {machine()}")
    db.dispose()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgresql+psycopg://postgres@127.0.0.1:5432/creative_scale")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--per-day", type=int, default=PER_DAY, help="requests submitted per day")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database of the last size")
    args = parser.parse_args(argv)
    if not args.db.startswith("postgresql"):
        raise SystemExit("--db must be a PostgreSQL URL")
    designers = _designers(random.Random(5))
    with psycopg.connect(_conninfo(args.db, "postgres")) as conn:
        version = conn.execute("SHOW server_version").fetchone()
    server = version[0] if version else "?"
    print(f"# creative-intake at scale, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL {server}")
    print(f"machine: {machine()}")
    print(
        f"runs: median of {args.runs} (export: {args.export_runs}); {args.per_day} requests a day; "
        f"'now' is {NOW:%a %d %b %Y %H:%M} UTC"
    )
    results: dict[int, list[Figure]] = {}
    try:
        for size in args.sizes:
            results[size] = run_size(args.db, size, args.per_day, args.runs, args.export_runs, designers)
    finally:
        if not args.keep:
            recreate(args.db, drop_only=True)
    growth(results)
    return 0


def growth(results: dict[int, list[Figure]]) -> None:
    """Each figure at the largest size against the smallest: time and statements (target: within 1.5×)."""
    if len(results) < 2:
        return
    small, large = min(results), max(results)
    print(f"\n## growth from {small:,} to {large:,} requests (time ×, statements)")
    for first, last in zip(results[small], results[large], strict=True):
        ratio = last.seconds / first.seconds if first.seconds else float("nan")
        counts = f"{first.statements} → {last.statements}" if first.statements >= 0 else "-"
        print(f"{first.name:<48} {ratio:>6.2f}×  {counts}")


if __name__ == "__main__":
    sys.exit(main())
