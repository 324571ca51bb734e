"""The Bolt app: every listener module registered, duplicate deliveries dropped before any listener runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler,
)

from bot.alerts import watch_llm
from bot.intake import IntakeFlows
from bot.outbox import ReliablePort
from bot.triage import Triage
from bot.services import Services
from handlers import actions, commands, events, home, messages, shortcuts, views
from handlers.context import HandlerContext
from handlers.slack_port import TimezoneCache, WebClientPort

log = logging.getLogger(__name__)
LISTENER_MODULES = (messages, events, home, commands, shortcuts, actions, views)


def web_client(services: Services) -> WebClient:
    """A WebClient for SLACK_API_URL that retries rate limits, 5xx and connection errors."""
    settings = services.settings
    assert settings.slack_bot_token is not None
    return WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url,
                     retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2),
                                     ServerErrorRetryHandler(max_retry_count=2),
                                     ConnectionErrorRetryHandler(max_retry_count=2)])


def direct_port(services: Services) -> WebClientPort:
    """A ChatPort straight to Slack, outside any Slack request (the outbox's own retries use it)."""
    return WebClientPort(web_client(services), TimezoneCache(services.clock, services.settings.timezone))


def scheduler_port(services: Services) -> ReliablePort:
    """The ChatPort for background jobs: failed posts are kept in the outbox."""
    return ReliablePort(direct_port(services), services.db, services.clock, services.settings.ops_channel_id)


def create_app(services: Services, *, socket_mode: bool = False, executor: Executor | None = None) -> App:
    """The configured Bolt app (signature verification on in HTTP mode); ``executor`` runs listeners."""
    settings = services.settings
    settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    if not socket_mode:
        settings.require("SLACK_SIGNING_SECRET")
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = App(client=web_client(services), signing_secret=secret, request_verification_enabled=not socket_mode,
              logger=logging.getLogger("slack_bolt"), listener_executor=executor)
    ctx = HandlerContext(intake=IntakeFlows(services), triage=Triage(services),
                         timezones=TimezoneCache(services.clock, settings.timezone))
    app.middleware(once_per_delivery(ctx.intake.first_delivery))
    watch_llm(services, scheduler_port(services))
    for module in LISTENER_MODULES:
        module.register(app, ctx)
    return app


def once_per_delivery(first_delivery: Callable[[str], bool]) -> Callable[..., Any]:
    """Global middleware: a retried or duplicated event id is acknowledged and dropped."""

    def middleware(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002
        event_id = body.get("event_id")
        if event_id and not first_delivery(str(event_id)):
            log.info("duplicate delivery dropped", extra={"event_id": event_id})
            return BoltResponse(status=200, body="")
        next()
        return None

    return middleware
