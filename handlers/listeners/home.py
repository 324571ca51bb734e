"""App Home: published when a user opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from handlers.context import HandlerContext


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to app_home_opened."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_open(event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            ctx.services.homes.publish(ctx.chat, event["user"])

    app.event("app_home_opened")(ack=ack_fast, lazy=[ctx.once(on_open)])
