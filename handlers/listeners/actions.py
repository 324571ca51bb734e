"""Button and select clicks: intake (Submit, Edit, New request), triage, production and delivery."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot.requests.forms import ActionForm
from bot.requests.roles import Refused
from handlers.blocks.ids import (
    ACTION_EDIT,
    ACTION_NEW_REQUEST,
    ACTION_SUBMIT,
    DELIVERY_ACCEPT,
    DELIVERY_CHANGES,
    PROD_BLOCKED,
    PROD_DELIVERED,
    PROD_START,
    TRIAGE_APPROVE,
    TRIAGE_ASSIGN,
    TRIAGE_PRIORITY,
    TRIAGE_REJECT,
    TRIAGE_REQUEST_INFO,
)
from handlers.context import HandlerContext

#: Buttons that change the request at once: action id → lifecycle action.
DIRECT: dict[str, str] = {TRIAGE_APPROVE: "approve", PROD_START: "start", DELIVERY_ACCEPT: "accept"}
#: Buttons that ask for text in a form first: action id → lifecycle action.
WITH_FORM: dict[str, str] = {
    TRIAGE_REQUEST_INFO: "ask",
    TRIAGE_REJECT: "reject",
    PROD_BLOCKED: "block",
    PROD_DELIVERED: "deliver",
    DELIVERY_CHANGES: "request_changes",
}
#: Selects on the triage message: action id → (action, how to read the chosen value).
SELECTS: dict[str, tuple[str, Callable[[dict[str, Any]], str | None]]] = {
    TRIAGE_ASSIGN: ("assign", lambda action: action.get("selected_user")),
    TRIAGE_PRIORITY: ("priority", lambda action: (action.get("selected_option") or {}).get("value")),
}


def _ref_of_block(action: dict[str, Any]) -> str:
    """Selects carry the request ref in their block id, ``triage:CR-0001``."""
    return str(action.get("block_id", "")).partition(":")[2]


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to every button and select."""
    port, services = ctx.chat, ctx.services

    def ack_fast(ack: Ack) -> None:
        ack()

    def refuse(body: dict[str, Any], refusal: Refused) -> None:
        channel = (body.get("channel") or {}).get("id") or port.open_dm(body["user"]["id"])
        port.ephemeral(channel, body["user"]["id"], str(refusal))

    def on_submit(body: dict[str, Any], action: dict[str, Any]) -> None:
        channel = body["channel"]["id"]
        services.intake.submit(
            port, body["user"]["id"], action.get("value") or channel, channel, body.get("message", {}).get("ts")
        )

    @app.action(ACTION_EDIT)
    def on_edit(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.intake.open_form(
            port, body["trigger_id"], body["user"]["id"], action.get("value") or body["channel"]["id"]
        )

    @app.action(ACTION_NEW_REQUEST)
    def on_new_request(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        services.intake.open_form(port, body["trigger_id"], body["user"]["id"])

    def on_direct(body: dict[str, Any], action: dict[str, Any]) -> None:
        try:
            services.triage.perform(port, body["user"]["id"], action.get("value", ""), DIRECT[action["action_id"]])
        except Refused as refusal:
            refuse(body, refusal)

    def on_form_button(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        name, ref = WITH_FORM[action["action_id"]], action.get("value", "")
        try:
            services.changes.check(body["user"]["id"], ref, name)
        except Refused as refusal:
            refuse(body, refusal)
            return
        port.open_form(body["trigger_id"], ActionForm(action=name, ref=ref))

    def on_select(body: dict[str, Any], action: dict[str, Any]) -> None:
        name, read = SELECTS[action["action_id"]]
        try:
            services.triage.perform(port, body["user"]["id"], _ref_of_block(action), name, value=read(action))
        except Refused as refusal:
            refuse(body, refusal)

    app.action(ACTION_SUBMIT)(ack=ack_fast, lazy=[on_submit])
    for action_id in DIRECT:
        app.action(action_id)(ack=ack_fast, lazy=[on_direct])
    for action_id in WITH_FORM:
        app.action(action_id)(on_form_button)
    for action_id in SELECTS:
        app.action(action_id)(ack=ack_fast, lazy=[on_select])
