"""Events other than messages: an @mention anywhere moves the conversation to DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from handlers.context import HandlerContext
from handlers.envelope import strip_mention


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to app mentions."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_mention(event: dict[str, Any]) -> None:
        port, user = ctx.chat, event["user"]
        dm = port.open_dm(user)
        port.ephemeral(
            event["channel"],
            user,
            "I've sent you a DM so we can put the brief together there.",
            thread_ts=event.get("thread_ts"),
        )
        ctx.services.intake.message(port, user, dm, strip_mention(event.get("text") or "") or "help")

    app.event("app_mention")(ack=ack_fast, lazy=[ctx.once(on_mention)])
