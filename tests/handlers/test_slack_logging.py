"""Every line logged while a Slack delivery is handled carries its event id, the workers' lines included."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_harness import BOT_TOKEN, SECRET, serving
from slack_requests import app_mention_event
from support import json_logs

from bot.platform.clock import FixedClock
from storage.db import Database

log = logging.getLogger("creative.test.listener")


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """Root logging as JSON lines into a buffer for the test."""
    with json_logs("INFO", [SECRET, BOT_TOKEN]) as buffer:
        yield buffer


def logged(buffer: io.StringIO, message: str, timeout: float = 5.0) -> dict[str, Any]:
    """The first JSON line with ``message``, waiting for it up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        for line in buffer.getvalue().splitlines():
            record = json.loads(line)
            if record["message"] == message:
                return record
        if time.monotonic() > deadline:
            raise AssertionError(f"no line {message!r} within {timeout}s:\n{buffer.getvalue()}")
        time.sleep(0.02)


def test_the_workers_lines_carry_the_event_id_of_the_delivery_they_work_on(
    stream: io.StringIO, db: Database, clock: FixedClock
) -> None:
    with serving(db, clock) as slack:
        result = slack.event(app_mention_event("<@UBOT> hi", user="U1", channel="C1"), event_id="EvLOG1")
        assert result.status == 200
        done = logged(stream, "inbox item done")
    assert (done["event_id"], done["kind"]) == ("EvLOG1", "message")
    assert done["delivery"].startswith("message:C1:")
    assert BOT_TOKEN not in stream.getvalue()
