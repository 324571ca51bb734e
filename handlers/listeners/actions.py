"""Button and select clicks: intake (Submit, Edit, New request), triage, production and delivery."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.blocks.intake import (
    ACTION_EDIT, ACTION_NEW_REQUEST, ACTION_SUBMIT, TRIAGE_APPROVE, TRIAGE_ASSIGN, TRIAGE_PRIORITY, TRIAGE_REJECT,
    TRIAGE_REQUEST_INFO,
)
from handlers.blocks.production import (
    DELIVERY_ACCEPT, DELIVERY_CHANGES, PROD_BLOCKED, PROD_DELIVERED, PROD_START, VIEW_ASK, VIEW_BLOCKED, VIEW_CHANGES,
    VIEW_REJECT, delivered_modal, text_modal,
)
from bot.triage.service import Refused
from handlers.context import HandlerContext

#: Buttons that change the request at once: action id → lifecycle action.
DIRECT: dict[str, str] = {TRIAGE_APPROVE: "approve", PROD_START: "start", DELIVERY_ACCEPT: "accept"}
#: Buttons that ask for text first: action id → (action, the modal for a ref).
WITH_FORM: dict[str, tuple[str, Callable[[str], dict[str, Any]]]] = {
    TRIAGE_REQUEST_INFO: ("ask", lambda ref: text_modal(VIEW_ASK, ref)),
    TRIAGE_REJECT: ("reject", lambda ref: text_modal(VIEW_REJECT, ref)),
    PROD_BLOCKED: ("block", lambda ref: text_modal(VIEW_BLOCKED, ref)),
    PROD_DELIVERED: ("deliver", delivered_modal),
    DELIVERY_CHANGES: ("request_changes", lambda ref: text_modal(VIEW_CHANGES, ref)),
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

    def ack_fast(ack: Ack) -> None:
        ack()

    def refuse(client: WebClient, body: dict[str, Any], refusal: Refused) -> None:
        channel = (body.get("channel") or {}).get("id") or ctx.port(client).open_dm(body["user"]["id"])
        ctx.port(client).ephemeral(channel, body["user"]["id"], str(refusal))

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

    def on_direct(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        try:
            ctx.triage.perform(ctx.port(client), body["user"]["id"], action.get("value", ""),
                               DIRECT[action["action_id"]])
        except Refused as refusal:
            refuse(client, body, refusal)

    def on_form_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        name, form = WITH_FORM[action["action_id"]]
        ref = action.get("value", "")
        try:
            ctx.triage.actions.check(body["user"]["id"], ref, name)
        except Refused as refusal:
            refuse(client, body, refusal)
            return
        ctx.port(client).open_view(body["trigger_id"], form(ref))

    def on_select(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        name, read = SELECTS[action["action_id"]]
        try:
            ctx.triage.perform(ctx.port(client), body["user"]["id"], _ref_of_block(action), name,
                               value=read(action))
        except Refused as refusal:
            refuse(client, body, refusal)

    app.action(ACTION_SUBMIT)(ack=ack_fast, lazy=[on_submit])
    for action_id in DIRECT:
        app.action(action_id)(ack=ack_fast, lazy=[on_direct])
    for action_id in WITH_FORM:
        app.action(action_id)(on_form_button)
    for action_id in SELECTS:
        app.action(action_id)(ack=ack_fast, lazy=[on_select])
