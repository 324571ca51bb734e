"""Helpers shared by tests outside the Slack surface."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from fakes.slack_api import FakeSlackAPI

from bot.platform.clock import FixedClock
from bot.platform.logs import configure_logging
from bootstrap import build_services
from bot.services import Services
from bot.platform.settings import load_settings
from bot.requests.lifecycle import format_ref
from storage.db import Database
from storage.models import Request
from storage.repositories import Requests

TOKEN, OPS = "xoxb-test", "C0OPS"


def slack_services(db: Database, clock: FixedClock, fake: FakeSlackAPI, **overrides: Any) -> Services:
    """Services wired to a fake Slack and the test database; settings may be overridden."""
    settings = load_settings(**{"slack_bot_token": TOKEN, "slack_api_url": fake.base_url, "ops_channel_id": OPS,
                                "database_url": db.url, **overrides})
    return build_services(settings, clock, db=db)


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


def add_requests(db: Database, at: datetime, *statuses: str) -> None:
    """Insert one video request per status."""
    with db.session() as session:
        for number, status in enumerate(statuses):
            Requests(session).add(Request(status=status, requester_id=f"U{number}", conversation_id="D1",
                                          title="Video", request_type="video", classified_by="rules",
                                          created_at=at, updated_at=at), format_ref)
