"""The Bolt app: every listener module registered; acks inline, work on a context-carrying thread pool."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler,
)

from bot.delivery.alerts import watch_llm
from bot.intake.flows import IntakeFlows
from bot.platform.logs import ContextExecutor
from bot.delivery.outbox import ReliablePort
from bot.triage.service import Triage
from bootstrap import Services
from handlers.listeners import actions, commands, events, home, messages, shortcuts, views
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
    return WebClientPort(web_client(services), TimezoneCache(services.clock, services.settings.timezone),
                         services.metrics.record_slack_error)


def scheduler_port(services: Services) -> ReliablePort:
    """The ChatPort for background jobs: failed posts are kept in the outbox."""
    return ReliablePort(direct_port(services), services.db, services.clock, services.settings.ops_channel_id)


#: Background listener threads: each message may hold one for a whole LLM call.
LISTENER_THREADS = 64


def create_app(services: Services, *, socket_mode: bool = False, executor: Executor | None = None) -> App:
    """The configured Bolt app (signature verification on in HTTP mode); ``executor`` runs lazy listeners.

    Acks run inline (``process_before_response``), so a busy listener pool never delays one; the slow work
    runs in lazy listeners, each event claimed in the database as their first step.
    """
    settings = services.settings
    settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    if not socket_mode:
        settings.require("SLACK_SIGNING_SECRET")
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = App(client=web_client(services), signing_secret=secret, request_verification_enabled=not socket_mode,
              logger=logging.getLogger("slack_bolt"), process_before_response=True,
              listener_executor=executor or ContextExecutor(max_workers=LISTENER_THREADS,
                                                            thread_name_prefix="listener"))
    ctx = HandlerContext(intake=IntakeFlows(services), triage=Triage(services),
                         timezones=TimezoneCache(services.clock, settings.timezone))
    watch_llm(services, scheduler_port(services))
    for module in LISTENER_MODULES:
        module.register(app, ctx)
    return app
