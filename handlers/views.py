"""Modal submissions: the intake form, validated before Slack closes it."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.render import VIEW_INTAKE
from handlers.context import HandlerContext


def _conversation(view: dict[str, Any]) -> str | None:
    try:
        return json.loads(view.get("private_metadata") or "{}").get("conversation")
    except ValueError:
        return None


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to form submissions."""

    def validate(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        errors = ctx.intake.form_errors(ctx.port(client), body["user"]["id"], view["state"]["values"])
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def on_submit(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        port, user, values = ctx.port(client), body["user"]["id"], view["state"]["values"]
        if ctx.intake.form_errors(port, user, values):
            return
        ctx.intake.form_submitted(port, user, values, _conversation(view), view["id"])

    app.view(VIEW_INTAKE)(ack=validate, lazy=[on_submit])
