"""Helpers shared by tests outside the Slack surface."""

from __future__ import annotations

from typing import Any

from fakes.slack_api import FakeSlackAPI

from bot.clock import FixedClock
from bot.services import Services, build_services
from bot.settings import load_settings
from storage.db import Database

TOKEN, OPS = "xoxb-test", "C0OPS"


def slack_services(db: Database, clock: FixedClock, fake: FakeSlackAPI, **overrides: Any) -> Services:
    """Services wired to a fake Slack and the test database; settings may be overridden."""
    settings = load_settings(**{"slack_bot_token": TOKEN, "slack_api_url": fake.base_url, "ops_channel_id": OPS,
                                "database_url": db.url, **overrides})
    return build_services(settings, clock, db=db)
