"""Serving the app: HTTP (a WSGI app under gunicorn) or Socket Mode."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest
from slack_sdk.socket_mode.builtin.client import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.platform.logs import log_context
from bot.platform.metrics import CONTENT_TYPE, Metrics
from bot.services import Services
from storage.health import HealthProbe

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}
#: Slack's payloads nest a dozen levels at most (rich text in a message in a view); deeper is not Slack.
MAX_PAYLOAD_DEPTH = 64

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App, services: Services, metrics: Metrics | None = None) -> WSGIApp:
    """``POST /slack/events`` to Bolt, ``GET /healthz`` with database reachability, ``GET /metrics``.

    ``metrics`` defaults to ``services.metrics`` when the services have one; without any, ``/metrics``
    answers 404. Every request's answer time is recorded (for ``/slack/events``, the ack time).
    """
    metrics = metrics or getattr(services, "metrics", None)
    health = HealthProbe(lambda: services.db.ping())

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST":
            with log_context(**_delivery_fields(environ)):
                return _slack_events(app, environ, start_response)
        if path == HEALTH_PATH and method == "GET":
            healthy = health.healthy()  # within a second, whatever the database does
            return _json(start_response, 200 if healthy else 503, {"ok": healthy, "database": healthy})
        if path == METRICS_PATH and method == "GET" and metrics is not None:
            return _body(start_response, 200, CONTENT_TYPE, metrics.render())
        return _json(start_response, 404, {"error": "not found"})

    return route if metrics is None else _timed(route, metrics)


def _slack_events(app: App, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """One delivery to Bolt; a body that is not a Slack payload (bad JSON, a form without one, too deep, the
    wrong types where Bolt reads) is answered 400 with a warning, before any listener sees it."""
    http = WsgiHttpRequest(environ)
    try:
        request = BoltRequest(body=http.get_body(), query=http.query_string, headers=http.get_headers())
        problem = payload_problem(request.body)
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as exc:  # Bolt's parsing
        problem = f"unreadable ({type(exc).__name__})"
    if problem:
        log.warning("malformed slack payload refused", extra={"problem": problem})
        return _json(start_response, 400, {"error": "malformed payload"})
    answer = app.dispatch(request)
    response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
    start_response(response.status, response.get_headers())
    return response.get_body()


#: Where Bolt's middleware and matchers read a payload without checking types: (path, the types allowed).
_SHAPE: tuple[tuple[tuple[str, ...], tuple[type, ...]], ...] = (
    (("type",), (str,)),
    (("command",), (str,)),
    (("callback_id",), (str,)),
    (("event",), (dict,)),
    (("event", "type"), (str,)),
    (("event", "subtype"), (str, type(None))),
    (("event", "message"), (dict, type(None))),
    (("event", "previous_message"), (dict, type(None))),
    (("view",), (dict,)),
    (("view", "type"), (str,)),
    (("view", "callback_id"), (str,)),
    (("actions",), (list,)),
    (("authorizations",), (list,)),
)


#: Slack's ids (users, conversations, messages) are a dozen characters; longer is not Slack, and would not fit the
#: columns they are stored in (32 characters, storage/models.py).
MAX_SLACK_ID = 32
_IDS = (
    ("user_id",),
    ("channel_id",),
    ("user", "id"),
    ("channel", "id"),
    ("container", "channel_id"),
    ("container", "message_ts"),
    ("message", "ts"),
    ("event", "user"),
    ("event", "channel"),
    ("event", "ts"),
    ("event", "thread_ts"),
)
#: Payload types whose listeners Bolt matches on a top-level callback_id it reads unchecked.
_WITH_CALLBACK_ID = frozenset(
    {
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "workflow_step_edit",
    }
)


def payload_problem(body: Any) -> str | None:
    """Why a parsed body cannot be a Slack payload, or None: Bolt's middleware and matchers read the keys of
    ``_SHAPE`` without checking their types, so a forged or garbled payload would crash them (a 500)."""
    if not isinstance(body, dict):
        return "not an object"
    if _depth(body) > MAX_PAYLOAD_DEPTH:
        return "nested too deep"
    for path, types in _SHAPE:
        parent = _at(body, path[:-1])
        if isinstance(parent, dict) and path[-1] in parent and not isinstance(parent[path[-1]], types):
            return f"{'.'.join(path)} is not {' or '.join(t.__name__ for t in types)}"
    for path in _IDS:
        value = _at(body, path)
        if isinstance(value, str) and len(value) > MAX_SLACK_ID:
            return f"{'.'.join(path)} is not a Slack id"
    kind, actions = body.get("type"), body.get("actions") or []
    if kind in _WITH_CALLBACK_ID and "callback_id" not in body:
        return "no callback_id"
    if kind in ("view_submission", "view_closed") and "type" not in (body.get("view") or {"type": None}):
        return "a view without a type"
    if kind in ("block_actions", "interactive_message") and not actions:
        return "no actions"
    for item in (*actions, *(body.get("authorizations") or [])):
        if not isinstance(item, dict):
            return "an action or authorization is not an object"
    for action in actions if kind == "block_actions" else []:
        if not isinstance(action.get("action_id"), str) or not isinstance(action.get("block_id", ""), str):
            return "an action without a string action_id"
    return None


def _at(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path``, or None where a key is missing or a step is not an object."""
    value: Any = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _depth(value: Any) -> int:
    """How deep objects and arrays nest in ``value`` (iteratively: a deep value cannot exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_PAYLOAD_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _delivery_fields(environ: dict[str, Any]) -> dict[str, Any]:
    """The ``event_id`` of an Events API delivery, for every line logged while it is acknowledged (the workers
    log it with the work, from the inbox item). The body is read once and put back for Bolt."""
    if not str(environ.get("CONTENT_TYPE", "")).startswith("application/json"):
        return {}
    try:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:  # a bad Content-Length: Bolt answers it
        return {}
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # refused as malformed next
        return {}
    event_id = payload.get("event_id") if isinstance(payload, dict) else None
    return {"event_id": str(event_id)[:64]} if event_id else {}


def _timed(route: WSGIApp, metrics: Metrics) -> WSGIApp:
    """``route`` with each answer's status and duration recorded (and logged at debug level)."""
    known = {EVENTS_PATH, HEALTH_PATH, METRICS_PATH}

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started, status = time.perf_counter(), [500]

        def recording_start_response(status_line: str, *args: Any) -> Any:
            status[0] = int(status_line.split(" ", 1)[0])
            return start_response(status_line, *args)

        try:
            return route(environ, recording_start_response)
        finally:
            path = environ.get("PATH_INFO", "")
            seconds = time.perf_counter() - started
            metrics.record_http(path if path in known else "other", status[0], seconds)
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "http request",
                    extra={
                        "method": environ.get("REQUEST_METHOD"),
                        "path": path,
                        "status": status[0],
                        "latency_ms": round(seconds * 1000, 1),
                    },
                )

    return application


def _json(start_response: Callable[..., Any], status: int, body: dict[str, Any]) -> list[bytes]:
    return _body(start_response, status, "application/json", json.dumps(body).encode())


def _body(start_response: Callable[..., Any], status: int, content_type: str, payload: bytes) -> list[bytes]:
    start_response(
        f"{status} {_REASONS[status]}", [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
    )
    return [payload]


class _RootLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's own lines (worker boots, timeouts, crashes) go through the root logger's handlers,
    so they are JSON lines and redacted like every other line once logging is configured."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.propagate = True


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn with the app object in hand (one process, threads for concurrency)."""

    def __init__(self, application: WSGIApp, options: dict[str, Any]) -> None:
        self.application, self.options = application, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self.application


def run_gunicorn(application: WSGIApp, port: int, threads: int = 16) -> None:
    """Serve any WSGI app with HTTP mode's gunicorn configuration (one gthread worker) until stopped."""
    options = {
        "bind": f"0.0.0.0:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 60,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "logger_class": _RootLogger,
    }
    _Gunicorn(application, options).run()


def serve_http(app: App, services: Services, port: int, threads: int = 16) -> None:
    """Serve HTTP mode under gunicorn until stopped."""
    log.info("serving HTTP", extra={"port": port})
    run_gunicorn(wsgi_app(app, services), port, threads)


class CheckedSocketModeHandler(SocketModeHandler):
    """Socket Mode with HTTP mode's payload check: what Bolt would crash on is acknowledged (a retry would not
    help) and logged, never dispatched."""

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        problem = payload_problem(req.payload)
        if problem:
            log.warning("malformed slack payload refused", extra={"problem": problem})
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        super().handle(client, req)


def serve_socket_mode(app: App, app_token: str) -> None:
    """Connect over Socket Mode until stopped."""
    CheckedSocketModeHandler(app, app_token).start()  # type: ignore[no-untyped-call]
