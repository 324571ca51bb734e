"""The global shortcut "New creative request" opens the intake form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from handlers.blocks.ids import SHORTCUT_NEW_REQUEST
from handlers.context import HandlerContext


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to the shortcut."""

    @app.shortcut(SHORTCUT_NEW_REQUEST)
    def on_shortcut(ack: Ack, shortcut: dict[str, Any]) -> None:
        ack()
        ctx.services.intake.open_form(ctx.chat, shortcut["trigger_id"], shortcut["user"]["id"])
