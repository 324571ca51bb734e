"""The Bolt app and its workers: every listener module registered; acks store work, workers do it.

An ack stores what needs work in the inbox and answers Slack (``process_before_response``: nothing runs in
the background of the web process). Workers take the work from the inbox (in this process or in others,
``creative-intake worker``), and send what it causes to Slack through the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.delivery.inbox import InboxConsumer, Work
from bot.delivery.leases import Leases
from bot.delivery.outbox import Dispatcher, ops_recipients
from bot.delivery.workers import Workers
from bot.platform.text import defused
from bot.services import Services
from handlers.context import HandlerContext
from handlers.listeners import actions, capture, commands, home, messages, shortcuts, views
from handlers.slack_port import WebClientPort, quick_port, web_client
from storage.models import InboxItem

log = logging.getLogger(__name__)
LISTENER_MODULES = (messages, home, commands, shortcuts, capture, actions, views)
WORKING_ON = {
    messages.KIND: "your message",
    home.KIND: "your Home tab",
    commands.KIND: "your /creative-request",
    actions.SUBMIT: "your submission",
    actions.CHANGE: "your click",
    actions.CHOICE: "your choice",
    views.INTAKE: "your form",
    views.TEXT: "your form",
    capture.SHORTCUT: "your “Turn into creative request”",
    capture.REACTION: "your reaction",
}


def handler_context(services: Services, wake: Callable[[], None] | None = None) -> HandlerContext:
    """What the listeners and their work share; ``wake`` tells this process's workers that work was stored."""
    settings = services.settings
    settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    assert services.chat is not None
    inner = services.chat.inner
    quick = quick_port(inner) if isinstance(inner, WebClientPort) else inner
    if wake is None:
        return HandlerContext(services, services.chat, quick)
    return HandlerContext(services, services.chat, quick, wake)


def create_app(services: Services, *, socket_mode: bool = False, context: HandlerContext | None = None) -> App:
    """The configured Bolt app (signature verification on in HTTP mode)."""
    settings = services.settings
    if not socket_mode:
        settings.require("SLACK_SIGNING_SECRET")
    ctx = context or handler_context(services)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = App(
        client=web_client(settings),
        signing_secret=secret,
        request_verification_enabled=not socket_mode,
        logger=logging.getLogger("slack_bolt"),
        process_before_response=True,
    )
    for module in LISTENER_MODULES:
        module.register(app, ctx)
    return app


def work_table(ctx: HandlerContext) -> dict[str, Work]:
    """Each inbox kind's work, as the listener modules define it."""
    table: dict[str, Work] = {}
    for module in LISTENER_MODULES:
        for kind, work in getattr(module, "WORK", {}).items():
            table[kind] = _bound(ctx, work)
    return table


def _bound(ctx: HandlerContext, work: Callable[[HandlerContext, dict[str, Any]], None]) -> Work:
    def run(item: InboxItem) -> None:
        work(ctx, item.payload)

    return run


def build_workers(ctx: HandlerContext, threads: int, dispatchers: int = 2, leases: Leases | None = None) -> Workers:
    """The workers of this process (not started): inbox consumers and outbox dispatchers."""
    services = ctx.services
    leases = leases or Leases()
    consumer = InboxConsumer(services.uow, services.clock, work_table(ctx), lambda item: gave_up(ctx, item), leases)
    dispatcher = Dispatcher(services.uow, ctx.chat.inner, services.clock, ctx.ops_channel, leases)
    workers = Workers(consumer, dispatcher, services.uow, services.clock, threads=threads, dispatchers=dispatchers)
    ctx.chat.on_queued = workers.wake_outbox
    return workers


def gave_up(ctx: HandlerContext, item: InboxItem) -> None:
    """An item failed its last attempt: the person who asked is told it did not go through, ops are alerted."""
    user, what = str(item.payload.get("user") or ""), WORKING_ON.get(item.kind, "your request")
    port = ctx.chat
    if user and item.kind != home.KIND:
        port.post(
            port.open_dm(user),
            f"Sorry — I couldn't handle {what} because of a problem on my side, so nothing changed. "
            "Please try again in a few minutes; creative ops have been told.",
        )
    alert = (
        f":warning: I gave up on {what.replace('your ', 'a ')} from {defused(user) or 'someone'} after "
        f"{item.attempts} attempts ({(item.last_error or 'unknown error').split(':')[0]}); they have been told."
    )
    for recipient in ops_recipients(ctx.services.uow, ctx.ops_channel, set()):
        port.post(recipient, alert)
