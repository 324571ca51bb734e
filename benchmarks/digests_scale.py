"""Digests at scale: compose every designer digest and the ops digest for a large team and queue.

Usage: .venv/bin/python benchmarks/digests_scale.py [--designers 200] [--requests 1000 5000]

For each queue size, on a temporary SQLite file: the time to compose and render all digests (the ``digest
--dry-run`` path: snapshot, composition, Block Kit and text) and the number of SQL statements it ran,
counted with a ``before_cursor_execute`` listener. The count must not grow with the number of requests.
A second line shows the sending path with claims (one INSERT per recipient, never per request) against
an in-memory chat port. Target: < 5 s for 200 designers and 5,000 open requests.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bootstrap import build_services
from bot.digests.runs import Outcome, Result
from bot.platform.calendar import local_date
from bot.platform.clock import FixedClock
from bot.platform.settings import load_settings
from bot.requests.lifecycle import ACTIVE, Status, format_ref
from storage.db import Database
from storage.models import Request, Send, TeamMember

NOW = datetime(2026, 3, 4, 23, 0, tzinfo=UTC)
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Singapore"]
TYPES = ["social_graphic", "video", "email", "landing_page", "display_ad", "print", "presentation", "copywriting"]
STATUSES = {
    Status.SUBMITTED: 10,
    Status.NEEDS_INFO: 5,
    Status.APPROVED: 5,
    Status.ASSIGNED: 20,
    Status.IN_PROGRESS: 45,
    Status.BLOCKED: 5,
    Status.REVISION_REQUESTED: 10,
}


class CountingPort:
    """A chat port that only counts posts."""

    def __init__(self) -> None:
        self.posts = 0

    def post(self, channel: str, text: str, card: Any = None, thread_ts: str | None = None) -> str:
        self.posts += 1
        return f"{self.posts}.0"


def fill(db: Database, designers: int, requests: int, seed: int = 1) -> None:
    """A roster of ``designers``, ``requests`` open requests and yesterday's digest sends."""
    rng = random.Random(seed)
    team = [
        TeamMember(
            slack_id=f"U{n:06d}",
            name=f"Designer {n}",
            is_designer=True,
            skills=TYPES,
            capacity_points=rng.choice([16, 20, 24]),
            timezone=rng.choice(ZONES),
        )
        for n in range(designers)
    ]
    statuses, weights = list(STATUSES), list(STATUSES.values())
    rows = []
    for _ in range(requests):
        status = rng.choices(statuses, weights)[0]
        submitted = NOW - timedelta(days=rng.uniform(0, 30))
        due = submitted.date() + timedelta(days=rng.randint(3, 25))
        assignee = rng.choice(team).slack_id if status in ACTIVE else None
        rows.append(
            Request(
                status=status,
                requester_id=f"UR{rng.randint(1, 400):05d}",
                conversation_id="bench",
                title=f"Request {rng.randint(1, 10**6)}",
                request_type=rng.choice(TYPES),
                channels=["social"],
                brief={},
                deadline=due,
                due_date=due,
                classified_by="rules",
                assignee_id=assignee,
                assigned_at=submitted + timedelta(hours=2) if assignee else None,
                info_asked_at=submitted + timedelta(hours=3) if status == Status.NEEDS_INFO else None,
                created_at=submitted,
                updated_at=submitted,
                submitted_at=submitted,
            )
        )
    yesterday = NOW - timedelta(days=1)
    sends = [
        Send(
            kind="designer_digest",
            recipient=m.slack_id,
            period=local_date(yesterday, m.timezone).isoformat(),
            at=yesterday,
        )
        for m in team
    ]
    with db.session() as session:
        session.add_all([*team, *rows, *sends])
        session.flush()
        for row in rows:
            assert row.id is not None
            row.ref = format_ref(row.id)


def measure(run: Callable[[], list[Outcome]], db: Database) -> tuple[float, int, list[Outcome]]:
    """Seconds and SQL statements of one call."""
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        outcomes = run()
        elapsed = time.perf_counter() - started
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return elapsed, statements, outcomes


def bench(designers: int, requests: int, workdir: Path) -> None:
    db = Database(f"sqlite:///{workdir / f'scale-{requests}.db'}")
    db.upgrade()
    fill(db, designers, requests)
    settings = load_settings(database_url=db.url, ops_channel_id="C0OPS", timezone="Europe/Berlin")
    services = build_services(settings, FixedClock(NOW), db=db)
    seconds, statements, outcomes = measure(lambda: services.digests.run(None, NOW, scheduled=False, dry_run=True), db)
    composed = sum(1 for o in outcomes if o.result is Result.PREVIEW)
    print(
        f"{designers} designers, {requests:>5} open requests: {composed} digests composed and rendered in "
        f"{seconds:.2f} s with {statements} SQL statements"
    )
    port = CountingPort()
    seconds, statements, outcomes = measure(lambda: services.digests.run(port, NOW, scheduled=False), db)  # type: ignore[arg-type]
    sent = sum(1 for o in outcomes if o.result is Result.SENT)
    print(
        f"{'':>31}sending with claims: {sent} digests in {seconds:.2f} s with {statements} SQL statements "
        f"({port.posts} posts)"
    )
    db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designers", type=int, default=200)
    parser.add_argument("--requests", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        for count in args.requests:
            bench(args.designers, count, Path(workdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
