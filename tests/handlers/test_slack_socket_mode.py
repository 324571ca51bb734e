"""Socket Mode (SPEC 6.2 `run` with SLACK_APP_TOKEN): the same app over a WebSocket instead of HTTP."""

from __future__ import annotations

from fakes.slack_api import FakeSlackAPI
from fakes.socket_mode import FakeSocketMode
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_harness import running
from slack_requests import event_callback, message_event
from support import make_services

from bot.platform.clock import FixedClock
from storage.db import Database


def test_a_dm_over_socket_mode_is_acked_and_answered(db: Database, clock: FixedClock) -> None:
    socket_mode = FakeSocketMode()
    with FakeSlackAPI() as fake:
        fake.socket_mode_url = socket_mode.url
        services = make_services(db, clock, fake, slack_bot_token="xoxb-socket", slack_app_token="xapp-socket")
        with running(services, socket_mode=True) as app:
            handler = SocketModeHandler(app, "xapp-socket")
            try:
                handler.connect()
                socket_mode.wait_connected()
                payload = event_callback(message_event("need an email newsletter", user="U1", channel="DU1"))
                socket_mode.send(
                    {
                        "envelope_id": "env-1",
                        "type": "events_api",
                        "accepts_response_payload": False,
                        "retry_attempt": 0,
                        "retry_reason": "",
                        "payload": payload,
                    }
                )
                assert socket_mode.next_received()["envelope_id"] == "env-1"
                reply = fake.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DU1", timeout=10)[0]
                assert "email" in reply.params["text"]
                opened = fake.calls("apps.connections.open")
                assert opened and opened[0].headers["authorization"] == "Bearer xapp-socket"
            finally:
                handler.close()
                socket_mode.close()
