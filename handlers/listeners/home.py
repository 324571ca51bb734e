"""App Home: published when a user opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.context import HandlerContext


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to app_home_opened."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_open(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            ctx.triage.publish_home(ctx.port(client), event["user"])

    app.event("app_home_opened")(ack=ack_fast, lazy=[ctx.once(on_open)])
