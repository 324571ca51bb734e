"""App Home: published when a user opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from handlers.context import HandlerContext


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to app_home_opened."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_open(body: dict[str, Any], event: dict[str, Any]) -> None:
        user = event.get("user")
        if event.get("tab", "home") == "home" and isinstance(user, str) and ctx.first(body, body.get("event_id")):
            ctx.services.homes.publish(ctx.chat, user)

    app.event("app_home_opened")(ack=ack_fast, lazy=[on_open])
