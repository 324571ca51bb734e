"""Builders shared by the whole suite: instants, services, request and designer rows, logging capture.

Every test builds these the same way, through here:

- ``at(day, hour, minute)`` is an instant in March 2026, UTC (``month=`` for another month of 2026);
- ``make_services(db, clock, fake, **settings)`` wires the app's services to the test database and, when
  given, a fake Slack (the ``services`` fixture in conftest.py is ``make_services(db, clock, fake_slack)``);
- ``request_row(**columns)`` is an unsaved request with sensible defaults, ``add_request(db, **columns)``
  stores one through the repositories (references from ``format_ref``) and returns its reference;
  ``add_indexed(db, briefs)`` stores requests with these briefs and indexes them for duplicate detection;
- ``designer_row`` and ``add_designer`` do the same for roster entries.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from fakes.slack_api import FakeSlackAPI
from slack_bolt import App
from sqlalchemy import event

from bootstrap import build_services
from bot.briefs.duplicates import search_terms
from bot.briefs.model import Brief
from bot.delivery.outbox import Dispatcher, OutboxPort
from bot.platform.clock import FixedClock
from bot.platform.logs import configure_logging
from bot.platform.settings import load_settings
from bot.requests.lifecycle import format_ref
from bot.services import Services
from handlers.app import build_workers, create_app, handler_context
from storage.db import Database
from storage.models import Request, TeamMember
from storage.repositories import Requests, Team

#: The repository root, and the installed command line script.
ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
SCRIPT = Path(sys.executable).with_name("creative-intake")
TOKEN, OPS = "xoxb-test", "C0OPS"


def at(day: int, hour: int, minute: int = 0, *, month: int = 3) -> datetime:
    """An instant in March 2026 (or ``month`` of 2026), UTC; 2 March 2026 is a Monday."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


#: The ``clock`` fixture's instant: Monday 2 March 2026, 10:00 UTC.
NOW = at(2, 10)


# ---------------------------------------------------------------------- services


def make_services(db: Database, clock: FixedClock, fake: FakeSlackAPI | None = None, **overrides: Any) -> Services:
    """Services on the test database; wired to the ``fake`` Slack when given. Settings may be overridden.

    With ``fake``: a bot token (``TOKEN``), the fake's API URL and the ops channel ``OPS``. Without it the
    services have no Slack at all (``services.chat`` is None).
    """
    slack = {"slack_bot_token": TOKEN, "slack_api_url": fake.base_url, "ops_channel_id": OPS} if fake else {}
    settings = load_settings(**{**slack, "database_url": db.url, **overrides})
    return build_services(settings, clock, db=db)


def chat(services: Services) -> OutboxPort:
    """The services' port to Slack (they must have been built with a fake Slack), sending what it queues at once
    (when no transaction is open; ``send(services)`` sends the rest): for tests that run no workers."""
    assert services.chat is not None
    port = services.chat
    return OutboxPort(port.inner, port.uow, port.clock, on_queued=lambda: send(services))


def send(services: Services) -> Counter[str]:
    """Send every outbox row due now, as a worker would; how many ended each way."""
    assert services.chat is not None
    return Dispatcher(services.uow, services.chat.inner, services.clock, services.settings.ops_channel_id).drain()


# ---------------------------------------------------------------------- rows


def request_row(*, when: datetime = NOW, **columns: Any) -> Request:
    """An unsaved request: a submitted video brief from UREQ1, classified by the rules engine.

    ``when`` is its created, updated and submitted time, each of which ``columns`` may still set on its
    own (``submitted_at=None`` for one never submitted); any other column may be given as well.
    """
    values: dict[str, Any] = {
        "status": "submitted",
        "requester_id": "UREQ1",
        "conversation_id": "D1",
        "title": "Video: launch",
        "request_type": "video",
        "channels": ["video_platforms"],
        "brief": {},
        "classified_by": "rules",
        "created_at": when,
        "updated_at": when,
        "submitted_at": when,
    }
    return Request(**{**values, **columns})


def add_request(db: Database, *, when: datetime = NOW, **columns: Any) -> str:
    """Store ``request_row(when=when, **columns)`` through the repositories; returns its reference."""
    with db.session() as session:
        return Requests(session).add(request_row(when=when, **columns), format_ref).ref or ""


def add_indexed(db: Database, briefs: list[dict[str, Any]], *, days_ago: float = 1, **columns: Any) -> list[str]:
    """Requests with these briefs, created ``days_ago``, indexed as a submission indexes them; their refs."""
    refs = []
    with db.uow() as u:
        for brief in briefs:
            row = request_row(
                when=NOW - timedelta(days=days_ago),
                title=brief.get("title") or "x",
                request_type=brief.get("request_type") or "video",
                brief=brief,
                **columns,
            )
            request = u.requests.add(row, format_ref)
            u.requests.index_terms(request, search_terms(Brief.model_validate(brief)))
            refs.append(request.ref or "")
    return refs


def stored(db: Database, ref: str) -> Request:
    """The request ``ref`` as stored now."""
    with db.session() as session:
        request = Requests(session).by_ref(ref)
        assert request is not None, f"no request {ref}"
        return request


def designer_row(slack_id: str, **columns: Any) -> TeamMember:
    """An unsaved designer: video skills, 20 points of capacity, in UTC; any column may be overridden."""
    values: dict[str, Any] = {"is_designer": True, "skills": ["video"], "capacity_points": 20, "timezone": "UTC"}
    return TeamMember(**{**values, "slack_id": slack_id, **columns})


def add_designer(db: Database, slack_id: str, **columns: Any) -> None:
    """Store ``designer_row(slack_id, **columns)`` in the roster."""
    with db.session() as session:
        Team(session).upsert(designer_row(slack_id, **columns))


# ---------------------------------------------------------------------- logging


@contextmanager
def json_logs(level: str, secrets: Iterable[str]) -> Iterator[io.StringIO]:
    """Root logging as redacted JSON lines into a buffer; the previous handlers and level restored after."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    buffer = io.StringIO()
    configure_logging(level, list(secrets), stream=buffer)
    try:
        yield buffer
    finally:
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)


@contextmanager
def running(services: Services, *, socket_mode: bool = False, poll_s: float | None = None) -> Iterator[App]:
    """The Bolt app with its workers running in this process (woken at once when work is stored; ``poll_s``:
    how often they also look for work stored elsewhere)."""
    ctx = handler_context(services)
    workers = build_workers(ctx, threads=4)
    if poll_s is not None:
        workers.poll_s = poll_s
    app = create_app(services, socket_mode=socket_mode, context=dataclasses.replace(ctx, wake=workers.wake))
    workers.start()
    try:
        yield app
    finally:
        workers.stop()


def eventually(check: Callable[[], T], timeout: float = 5.0, what: str = "condition") -> T:
    """Poll ``check`` until it returns a truthy value, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout}s (last value: {value!r})")
        time.sleep(0.02)


#: One complete video ask, and the brief of a request that looks like it (duplicate tests).
COMPLETE_VIDEO = (
    "need a 30s youtube pre-roll, 16:9, due in 3 weeks. Goal: drive sign-ups for the spring launch. "
    "Audience: marketing managers in DACH"
)
SIMILAR = {
    "request_type": "video",
    "title": "Drive sign-ups for the spring launch — YouTube video 30s",
    "objective": "drive sign-ups for the spring launch",
    "audience": "marketing managers in DACH",
}


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """The SQL statements this thread runs on ``db`` inside the block (other threads' are not counted)."""
    here, seen = threading.get_ident(), []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if threading.get_ident() == here:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
