"""Button clicks: Submit and Edit on a brief, New request."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.render import ACTION_EDIT, ACTION_NEW_REQUEST, ACTION_SUBMIT
from handlers.context import HandlerContext


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to intake buttons."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_submit(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        channel = body["channel"]["id"]
        ctx.intake.submit(ctx.port(client), body["user"]["id"], action.get("value") or channel, channel,
                          body.get("message", {}).get("ts"))

    @app.action(ACTION_EDIT)
    def on_edit(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.intake.open_form(ctx.port(client), body["trigger_id"], body["user"]["id"],
                             action.get("value") or body["channel"]["id"])

    @app.action(ACTION_NEW_REQUEST)
    def on_new_request(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx.intake.open_form(ctx.port(client), body["trigger_id"], body["user"]["id"])

    app.action(ACTION_SUBMIT)(ack=ack_fast, lazy=[on_submit])
