"""The global shortcut "New creative request" opens the intake form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.blocks.intake import SHORTCUT_NEW_REQUEST
from handlers.context import HandlerContext


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to the shortcut."""

    @app.shortcut(SHORTCUT_NEW_REQUEST)
    def on_shortcut(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.intake.open_form(ctx.port(client), shortcut["trigger_id"], shortcut["user"]["id"])
