"""App Home: published when a user opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from handlers.context import HandlerContext
from handlers.envelope import slack_id

KIND = "home"


def work(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """Publish the user's Home."""
    ctx.services.homes.publish(ctx.chat, payload["user"])


WORK = {KIND: work}


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to app_home_opened."""

    @app.event("app_home_opened")
    def on_open(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        user, event_id = slack_id(event, "user"), body.get("event_id")
        if event.get("tab", "home") == "home" and user:
            ctx.accept(body, KIND, f"home:{event_id}" if isinstance(event_id, str) and event_id else "", user)
        ack()
