"""The global shortcut "New creative request" opens the intake form."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from slack_bolt import Ack, App

from bot.delivery.ports import DeliveryFailed
from handlers.blocks.ids import SHORTCUT_NEW_REQUEST
from handlers.context import HandlerContext
from handlers.envelope import ignored, slack_id, text_at


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to the shortcut."""
    quick = ctx.quick

    @app.shortcut(SHORTCUT_NEW_REQUEST)
    def on_shortcut(ack: Ack, shortcut: Any) -> None:
        ack()
        trigger, user = text_at(shortcut, "trigger_id", limit=255), slack_id(shortcut, "user", "id")
        if not (trigger and user):
            ignored("shortcut", "trigger_id" if not trigger else "user.id")
            return
        with suppress(DeliveryFailed):  # logged by the port; the shortcut can be used again
            ctx.services.intake.open_form(quick, trigger, user)
