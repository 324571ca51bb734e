"""Modal submissions: the intake form, and the text forms of triage and production, validated before closing."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App

from bot.requests.roles import Refused
from handlers.blocks.ids import FORM_VIEWS, VIEW_DELIVERED, VIEW_INTAKE
from handlers.blocks.intake import form_brief
from handlers.blocks.production import modal_value
from handlers.context import HandlerContext

#: Text forms: callback id → lifecycle action. The text goes in as the action's note.
TEXT_FORMS: dict[str, str] = {view_id: action for action, view_id in FORM_VIEWS.items()}


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _inputs(view: dict[str, Any]) -> tuple[str | None, str | None]:
    """(note, value) of a text form: the delivery form has a link (value) and a note."""
    values = view["state"]["values"]
    if view["callback_id"] == VIEW_DELIVERED:
        return modal_value(values, "note") or None, modal_value(values, "link")
    return modal_value(values, "text"), None


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to form submissions."""
    port, services = ctx.chat, ctx.services

    def validate_intake(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        errors = services.intake.form_errors(port, body["user"]["id"], form_brief(view["state"]["values"]))
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def on_intake(body: dict[str, Any], view: dict[str, Any]) -> None:
        user, brief = body["user"]["id"], form_brief(view["state"]["values"])
        if services.intake.form_errors(port, user, brief):
            return
        services.intake.form_submitted(port, user, brief, _metadata(view).get("conversation"), view["id"])

    def problem(user: str, view: dict[str, Any]) -> dict[str, str]:
        """Form errors: an empty field, or a change this user may not make now."""
        note, value = _inputs(view)
        field = "link" if view["callback_id"] == VIEW_DELIVERED else "text"
        if not (value if field == "link" else note):
            return {field: "Please fill this in."}
        try:
            services.changes.check(user, _metadata(view).get("ref", ""), TEXT_FORMS[view["callback_id"]])
        except Refused as refusal:
            return {field: str(refusal)[:150]}
        return {}

    def validate_text(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        errors = problem(body["user"]["id"], view)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def on_text(body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        if problem(user, view):
            return
        note, value = _inputs(view)
        try:
            services.triage.perform(
                port, user, _metadata(view).get("ref", ""), TEXT_FORMS[view["callback_id"]], note=note, value=value
            )
        except Refused as refusal:
            port.post(port.open_dm(user), str(refusal))

    app.view(VIEW_INTAKE)(ack=validate_intake, lazy=[on_intake])
    for callback_id in TEXT_FORMS:
        app.view(callback_id)(ack=validate_text, lazy=[on_text])
