"""Signed Slack requests into a Bolt app over real HTTP, and a threaded WSGI server to host it.

    with serve_wsgi(SlackRequestHandler(app)) as url:
        result = send_event(url, SECRET, event_callback(message_event("hi", user="U1", channel="D1")))
        assert result.status == 200

Requests are signed like Slack signs them (``v0=`` + HMAC-SHA256 of ``v0:{timestamp}:{body}``
with the signing secret). Pass another ``secret`` to forge a bad signature and ``timestamp`` to
send a stale one. Payload builders produce the shapes Slack sends (trimmed to what apps read).
Only the standard library is used.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

EVENTS_PATH = "/slack/events"
TEAM_ID = "T1"
APP_ID = "A1"
BOT_USER_ID = "UBOT"
_serial = itertools.count(1)


class HttpResult(NamedTuple):
    """An HTTP answer: status, decoded body and headers (names lower-cased)."""

    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


# ---------------------------------------------------------------------- signing and sending


def sign(secret: str, timestamp: int | str, body: str | bytes) -> str:
    """Slack's v0 request signature: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    base = f"v0:{timestamp}:".encode() + raw
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, content_type: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends with a request: content type, timestamp and signature."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(secret, ts, body),
    }


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = 10.0) -> HttpResult:
    """POST ``body`` and return the answer, whatever its status (no exception on 4xx/5xx)."""
    request = Request(url, data=body, headers=headers, method="POST")
    try:
        with urlopen(request, timeout=timeout) as response:
            return HttpResult(response.status, response.read().decode("utf-8"), _lower(response.headers.items()))
    except HTTPError as error:
        with error:
            return HttpResult(error.code, error.read().decode("utf-8"), _lower(error.headers.items()))


def send_event(
    base_url: str,
    secret: str,
    payload: dict[str, Any],
    *,
    retry_num: int | None = None,
    retry_reason: str | None = None,
    timestamp: int | None = None,
    path: str = EVENTS_PATH,
) -> HttpResult:
    """POST an Events API payload as JSON, signed; with Slack's retry headers when given."""
    body = json.dumps(payload).encode("utf-8")
    headers = signed_headers(secret, body, "application/json", timestamp=timestamp)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
    if retry_reason is not None:
        headers["X-Slack-Retry-Reason"] = retry_reason
    return post(base_url + path, body, headers)


def send_interaction(
    base_url: str,
    secret: str,
    payload: dict[str, Any],
    *,
    timestamp: int | None = None,
    path: str = EVENTS_PATH,
) -> HttpResult:
    """POST an interactivity payload (block_actions, view_submission, shortcut…) as ``payload=<json>``."""
    return send_form(base_url, secret, {"payload": json.dumps(payload)}, timestamp=timestamp, path=path)


def send_command(
    base_url: str,
    secret: str,
    *,
    command: str = "/creative-request",
    text: str = "",
    user_id: str = "U1",
    channel_id: str = "D1",
    trigger_id: str | None = None,
    response_url: str = "https://hooks.slack.com/commands/T1/1/unreachable",
    team_id: str = TEAM_ID,
    timestamp: int | None = None,
    path: str = EVENTS_PATH,
) -> HttpResult:
    """POST a slash command, form-encoded with the fields Slack sends.

    Pass ``response_url=fake_slack.hook_url()`` when the handler calls ``respond()``.
    """
    fields = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": team_id.lower(),
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else channel_id.lower(),
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(team_id),
    }
    return send_form(base_url, secret, fields, timestamp=timestamp, path=path)


def send_form(
    base_url: str,
    secret: str,
    fields: dict[str, str],
    *,
    timestamp: int | None = None,
    path: str = EVENTS_PATH,
) -> HttpResult:
    """POST form-encoded ``fields``, signed."""
    body = urlencode(fields).encode("utf-8")
    headers = signed_headers(secret, body, "application/x-www-form-urlencoded", timestamp=timestamp)
    return post(base_url + path, body, headers)


# ---------------------------------------------------------------------- payload builders


def new_ts() -> str:
    """A unique message timestamp in Slack's ``seconds.micros`` form."""
    return f"{int(time.time())}.{next(_serial) % 1_000_000:06d}"


def new_trigger_id(team_id: str = TEAM_ID) -> str:
    """A unique, Slack-shaped trigger id."""
    return f"{next(_serial)}.{team_id}.{uuid.uuid4().hex}"


def event_callback(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> dict[str, Any]:
    """The Events API envelope around ``event`` (a fresh ``event_id`` unless given)."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or "Ev" + uuid.uuid4().hex[:12].upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team_id, "user_id": BOT_USER_ID, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def url_verification(challenge: str = "challenge-token") -> dict[str, Any]:
    """The handshake Slack sends when the Request URL is configured."""
    return {"token": "legacy-verification-token", "challenge": challenge, "type": "url_verification"}


def message_event(
    text: str,
    *,
    user: str = "U1",
    channel: str = "D1",
    channel_type: str = "im",
    ts: str | None = None,
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ``message`` event (a DM by default); ``extra`` adds fields such as ``files``."""
    ts = ts or new_ts()
    event = {
        "type": "message",
        "user": user,
        "text": text,
        "channel": channel,
        "channel_type": channel_type,
        "ts": ts,
        "event_ts": ts,
        "team": TEAM_ID,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def app_mention_event(
    text: str, *, user: str = "U1", channel: str = "C1", ts: str | None = None, thread_ts: str | None = None
) -> dict[str, Any]:
    """An ``app_mention`` event (``text`` should contain ``<@UBOT>`` as Slack's does)."""
    event = message_event(text, user=user, channel=channel, channel_type="channel", ts=ts, thread_ts=thread_ts)
    event["type"] = "app_mention"
    del event["channel_type"]
    return event


def _user(user_id: str, team_id: str) -> dict[str, str]:
    """The ``user`` object of interactivity payloads."""
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}


def block_actions(
    action_id: str,
    *,
    user_id: str = "U1",
    channel_id: str | None = "C1",
    message_ts: str | None = None,
    value: str | None = None,
    selected_user: str | None = None,
    selected_option: str | None = None,
    block_id: str = "actions",
    trigger_id: str | None = None,
    container: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str = "https://hooks.slack.com/actions/T1/1/unreachable",
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A ``block_actions`` payload for one action: a button (``value``), a users_select
    (``selected_user``) or a static_select (``selected_option``, the option's value).

    From a message by default (``message_ts`` defaults to a fresh ts; ``message`` overrides the
    message object); from a view when ``view`` is given. ``container`` overrides the derived one.
    """
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "action_ts": new_ts()}
    if selected_user is not None:
        action.update(type="users_select", selected_user=selected_user)
    elif selected_option is not None:
        option = {"text": {"type": "plain_text", "text": selected_option}, "value": selected_option}
        action.update(type="static_select", selected_option=option)
    else:
        action.update(type="button", value=value or "", text={"type": "plain_text", "text": action_id})
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id or new_trigger_id(team_id),
        "team": {"id": team_id, "domain": team_id.lower()},
        "is_enterprise_install": False,
        "response_url": response_url,
        "actions": [action],
    }
    if view is not None:
        payload["view"] = view
        payload["container"] = container or {"type": "view", "view_id": view.get("id", "V1")}
        return payload
    ts = message_ts or (message or {}).get("ts") or new_ts()
    payload["container"] = container or {
        "type": "message",
        "message_ts": ts,
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    payload["channel"] = {"id": channel_id, "name": str(channel_id).lower()}
    payload["message"] = message or {"type": "message", "ts": ts, "user": BOT_USER_ID, "text": "", "blocks": []}
    return payload


def view_submission(
    callback_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    user_id: str = "U1",
    private_metadata: str = "",
    view_id: str = "V1",
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A ``view_submission`` payload; ``values`` is ``state.values`` exactly as Slack shapes it:
    ``{block_id: {action_id: {"type": "plain_text_input", "value": "…"}}}``.
    """
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": team_id.lower()},
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": new_trigger_id(team_id),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "title": {"type": "plain_text", "text": "Form"},
            "blocks": [],
            "state": {"values": values},
            "hash": f"{next(_serial)}.hash",
            "root_view_id": view_id,
            "app_id": APP_ID,
            "bot_id": "BBOT",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }


def shortcut(
    callback_id: str, *, user_id: str = "U1", trigger_id: str | None = None, team_id: str = TEAM_ID
) -> dict[str, Any]:
    """A global shortcut payload."""
    return {
        "type": "shortcut",
        "callback_id": callback_id,
        "trigger_id": trigger_id or new_trigger_id(team_id),
        "action_ts": new_ts(),
        "user": _user(user_id, team_id),
        "team": {"id": team_id, "domain": team_id.lower()},
        "token": "legacy-verification-token",
        "is_enterprise_install": False,
    }


def message_shortcut(
    callback_id: str,
    message: dict[str, Any],
    *,
    user_id: str = "U1",
    channel_id: str = "C1",
    channel_name: str = "general",
    team_id: str = TEAM_ID,
    response_url: str = "https://hooks.slack.com/app/T1/1/unreachable",
) -> dict[str, Any]:
    """A message shortcut payload (``message_action``) on ``message`` (with ``text``, ``user``, ``ts``)."""
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": new_trigger_id(team_id),
        "action_ts": new_ts(),
        "message_ts": message.get("ts"),
        "message": {"type": "message", **message},
        "channel": {"id": channel_id, "name": channel_name},
        "user": _user(user_id, team_id),
        "team": {"id": team_id, "domain": team_id.lower()},
        "response_url": response_url,
        "token": "legacy-verification-token",
        "is_enterprise_install": False,
    }


def reaction_added_event(
    reaction: str, *, user: str = "U1", channel: str = "C1", ts: str, item_user: str = "U0AUTHOR"
) -> dict[str, Any]:
    """A ``reaction_added`` event: ``user`` reacted with ``reaction`` to the message ``ts`` of ``channel``."""
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item_user": item_user,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": new_ts(),
    }


# ---------------------------------------------------------------------- hosting a WSGI app


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request, so concurrent requests are served concurrently."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """No access log lines in test output."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature of the base class)
        """Discard."""


@contextmanager
def serve_wsgi(wsgi_app: WSGIApplication) -> Iterator[str]:
    """Serve ``wsgi_app`` on an ephemeral port of 127.0.0.1; yield ``http://127.0.0.1:PORT``."""
    server = make_server("127.0.0.1", 0, wsgi_app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="wsgi-under-test", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _lower(items: Any) -> dict[str, str]:
    """Header pairs as a dict with lower-cased names."""
    return {name.lower(): value for name, value in items}
