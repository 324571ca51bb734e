"""The Bolt app: every listener module registered; acks inline, work on a context-carrying thread pool."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App

from bot.platform.logs import ContextExecutor
from bot.services import Services
from handlers.context import HandlerContext
from handlers.listeners import actions, commands, home, messages, shortcuts, views
from handlers.slack_port import WebClientPort, quick_port, web_client

log = logging.getLogger(__name__)
LISTENER_MODULES = (messages, home, commands, shortcuts, actions, views)
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
    assert services.chat is not None
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = App(
        client=web_client(settings),
        signing_secret=secret,
        request_verification_enabled=not socket_mode,
        logger=logging.getLogger("slack_bolt"),
        process_before_response=True,
        listener_executor=executor or ContextExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
    )
    inner = services.chat.inner
    quick = quick_port(inner) if isinstance(inner, WebClientPort) else inner
    ctx = HandlerContext(services, services.chat, quick)
    for module in LISTENER_MODULES:
        module.register(app, ctx)
    return app
