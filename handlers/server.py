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
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.platform.logs import log_context
from bot.platform.metrics import CONTENT_TYPE, Metrics
from bot.services import Services

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App, services: Services, metrics: Metrics | None = None) -> WSGIApp:
    """``POST /slack/events`` to Bolt, ``GET /healthz`` with database reachability, ``GET /metrics``.

    ``metrics`` defaults to ``services.metrics`` when the services have one; without any, ``/metrics``
    answers 404. Every request's answer time is recorded (for ``/slack/events``, the ack time).
    """
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    metrics = metrics or getattr(services, "metrics", None)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST":
            with log_context(**_delivery_fields(environ)):
                try:
                    return slack(environ, start_response)
                except ValueError:  # a signed but malformed body (bad JSON or form payload)
                    log.warning("malformed slack payload refused")
                    return _json(start_response, 400, {"error": "malformed payload"})
        if path == HEALTH_PATH and method == "GET":
            healthy = services.db.ping()
            return _json(start_response, 200 if healthy else 503, {"ok": healthy, "database": healthy})
        if path == METRICS_PATH and method == "GET" and metrics is not None:
            return _body(start_response, 200, CONTENT_TYPE, metrics.render())
        return _json(start_response, 404, {"error": "not found"})

    return route if metrics is None else _timed(route, metrics)


def _delivery_fields(environ: dict[str, Any]) -> dict[str, Any]:
    """The ``event_id`` of an Events API delivery, for every line logged while it is handled (and, with a
    context-copying listener executor, by its lazy listeners). The body is read once and put back for Bolt."""
    if not str(environ.get("CONTENT_TYPE", "")).startswith("application/json"):
        return {}
    try:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:  # a bad Content-Length: Bolt answers it
        return {}
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        payload = json.loads(body)
    except ValueError:
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


def serve_socket_mode(app: App, app_token: str) -> None:
    """Connect over Socket Mode until stopped."""
    SocketModeHandler(app, app_token).start()  # type: ignore[no-untyped-call]
