"""Serving the app: HTTP (a WSGI app under gunicorn) or Socket Mode."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.services import Services

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App, services: Services) -> WSGIApp:
    """``POST /slack/events`` to Bolt, ``GET /healthz`` with database reachability."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST":
            return slack(environ, start_response)
        if path == "/healthz" and method == "GET":
            healthy = services.db.ping()
            return _json(start_response, 200 if healthy else 503, {"ok": healthy, "database": healthy})
        return _json(start_response, 404, {"error": "not found"})

    return application


def _json(start_response: Callable[..., Any], status: int, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                          ("Content-Length", str(len(payload)))])
    return [payload]


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


def serve_http(app: App, services: Services, port: int, threads: int = 16) -> None:
    """Serve HTTP mode under gunicorn until stopped."""
    options = {"bind": f"0.0.0.0:{port}", "workers": 1, "worker_class": "gthread", "threads": threads,
               "timeout": 60, "accesslog": None, "errorlog": "-", "loglevel": "warning"}
    log.info("serving HTTP", extra={"port": port})
    _Gunicorn(wsgi_app(app, services), options).run()


def serve_socket_mode(app: App, app_token: str) -> None:
    """Connect over Socket Mode until stopped."""
    SocketModeHandler(app, app_token).start()
