"""``/creative-request [text]``: starts the conversation in DM with the text, or opens the form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from handlers.context import HandlerContext

COMMAND = "/creative-request"


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to the slash command."""

    def ack_fast(ack: Ack, command: dict[str, Any]) -> None:
        if command.get("text", "").strip():
            ack("Let's build your brief — I've sent you a DM.")
        else:
            ack()

    def on_command(command: dict[str, Any]) -> None:
        port, intake = ctx.chat, ctx.services.intake
        user, text = command["user_id"], command.get("text", "").strip()
        if not text:
            intake.open_form(port, command["trigger_id"], user)
            return
        intake.message(port, user, port.open_dm(user), text)

    app.command(COMMAND)(ack=ack_fast, lazy=[on_command])
