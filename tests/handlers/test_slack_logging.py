"""Every line logged while a Slack delivery is handled carries its event id, lazy listeners' lines included."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fakes.slack_api import FakeSlackAPI
from slack_bolt import Ack, App
from slack_harness import BOT_TOKEN, SECRET
from slack_requests import app_mention_event, event_callback, send_event, serve_wsgi
from slack_sdk import WebClient
from support import json_logs

from bot.platform.logs import ContextExecutor
from handlers.server import wsgi_app

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


def test_ack_and_lazy_listener_lines_carry_the_event_id(stream: io.StringIO) -> None:
    executor = ContextExecutor(max_workers=2)
    with FakeSlackAPI() as fake:
        app = App(
            client=WebClient(token=BOT_TOKEN, base_url=fake.base_url), signing_secret=SECRET, listener_executor=executor
        )

        def ack_mention(ack: Ack) -> None:
            log.info("acked")
            ack()

        def work(body: dict[str, Any]) -> None:
            log.info("lazy work", extra={"ref": "CR-0007"})

        app.event("app_mention")(ack=ack_mention, lazy=[work])
        with serve_wsgi(wsgi_app(app, services=None)) as url:  # type: ignore[arg-type]
            result = send_event(url, SECRET, event_callback(app_mention_event("<@UBOT> hi"), event_id="EvLOG1"))
            assert result.status == 200
            acked, lazy = logged(stream, "acked"), logged(stream, "lazy work")
    executor.shutdown(wait=True)

    assert acked["event_id"] == "EvLOG1"
    assert (lazy["event_id"], lazy["ref"]) == ("EvLOG1", "CR-0007")
    assert BOT_TOKEN not in stream.getvalue()
