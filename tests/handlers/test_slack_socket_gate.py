"""Socket Mode checks payloads like HTTP mode: what Bolt would crash on is acknowledged and logged, not dispatched."""

from __future__ import annotations

from typing import Any

import pytest
from fakes.slack_api import FakeSlackAPI
from fakes.socket_mode import FakeSocketMode
from slack_harness import running
from slack_requests import event_callback, message_event
from support import make_services

from bot.platform.clock import FixedClock
from handlers.server import CheckedSocketModeHandler
from storage.db import Database


def envelope(envelope_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"envelope_id": envelope_id, "type": "events_api", "accepts_response_payload": False, "payload": payload}


def test_a_malformed_payload_is_acked_and_the_next_one_handled(
    db: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    socket_mode = FakeSocketMode()
    with FakeSlackAPI() as fake:
        fake.socket_mode_url = socket_mode.url
        services = make_services(db, clock, fake, slack_bot_token="xoxb-socket", slack_app_token="xapp-socket")
        with running(services, socket_mode=True) as app:
            handler = CheckedSocketModeHandler(app, "xapp-socket")
            try:
                handler.connect()
                socket_mode.wait_connected()
                socket_mode.send(envelope("env-bad", {"type": "event_callback", "event": "not an object"}))
                assert socket_mode.next_received()["envelope_id"] == "env-bad"
                good = event_callback(message_event("need an email newsletter", user="U1", channel="DU1"))
                socket_mode.send(envelope("env-good", good))
                assert socket_mode.next_received()["envelope_id"] == "env-good"
                fake.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DU1", timeout=10)
            finally:
                handler.close()
                socket_mode.close()
    refusals = [r for r in caplog.records if r.getMessage() == "malformed slack payload refused"]
    assert [getattr(r, "problem", None) for r in refusals] == ["event is not dict"]
    assert not [r for r in caplog.records if r.exc_info]
