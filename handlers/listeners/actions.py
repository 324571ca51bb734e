"""Button and select clicks: intake (Submit, Edit, New request), triage, production and delivery.

Also what every interactive listener shares: reading a payload whatever its shape (a missing key or a value
of another type reads as absent, and the click is refused with a warning), and the port for calls made
before the ack (one try, a short timeout: a trigger id expires 3 s after the click).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from slack_bolt import Ack, App

from bot.delivery.ports import DeliveryFailed
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
from handlers.envelope import MAX_CONVERSATION, MAX_ID, action_key, ignored, slack_id, text_at

log = logging.getLogger(__name__)
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
SELECTS: dict[str, tuple[str, Callable[[Any], str]]] = {
    TRIAGE_ASSIGN: ("assign", lambda action: slack_id(action, "selected_user")),
    TRIAGE_PRIORITY: ("priority", lambda action: text_at(action, "selected_option", "value", limit=MAX_ID)),
}


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to every button and select."""
    port, services = ctx.chat, ctx.services
    quick = ctx.quick

    def ack_fast(ack: Ack) -> None:
        ack()

    def refuse(body: dict[str, Any], refusal: Refused) -> None:
        user = slack_id(body, "user", "id")
        channel = slack_id(body, "channel", "id") or port.open_dm(user)
        port.ephemeral(channel, user, str(refusal))

    def once(body: dict[str, Any], action: Any) -> bool:
        """False for a click already handled (Slack's retry or a second delivery of the same click)."""
        key = action_key(body, action)
        return not key or ctx.first(body, key)

    def on_submit(body: dict[str, Any], action: Any) -> None:
        user, channel = slack_id(body, "user", "id"), slack_id(body, "channel", "id")
        if not once(body, action):
            return
        if not (user and channel):
            ignored("intake_submit", "user.id" if not user else "channel.id")
            return
        conversation = slack_id(action, "value", limit=MAX_CONVERSATION) or channel
        services.intake.submit(port, user, conversation, channel, slack_id(body, "message", "ts") or None)

    def open_intake(listener: str, body: dict[str, Any], conversation: str | None = None) -> None:
        """The intake form, opened before the ack returns (the trigger id expires in 3 s)."""
        trigger, user = text_at(body, "trigger_id", limit=255), slack_id(body, "user", "id")
        if not (trigger and user):
            ignored(listener, "trigger_id" if not trigger else "user.id")
            return
        with suppress(DeliveryFailed):  # logged by the port; the click can be repeated
            services.intake.open_form(quick, trigger, user, conversation)

    @app.action(ACTION_EDIT)
    def on_edit(ack: Ack, body: dict[str, Any], action: Any) -> None:
        ack()
        conversation = slack_id(action, "value", limit=MAX_CONVERSATION) or slack_id(body, "channel", "id")
        open_intake("intake_edit", body, conversation or None)

    @app.action(ACTION_NEW_REQUEST)
    def on_new_request(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        open_intake("new_request", body)

    def on_direct(body: dict[str, Any], action: Any) -> None:
        user, name = slack_id(body, "user", "id"), DIRECT.get(text_at(action, "action_id"))
        if not once(body, action):
            return
        if not (user and name):
            ignored("direct_action", "user.id")
            return
        try:
            services.triage.perform(port, user, slack_id(action, "value"), name)
        except Refused as refusal:
            refuse(body, refusal)

    def on_form_button(ack: Ack, body: dict[str, Any], action: Any) -> None:
        ack()
        name, ref = WITH_FORM.get(text_at(action, "action_id")), slack_id(action, "value")
        user, trigger = slack_id(body, "user", "id"), text_at(body, "trigger_id", limit=255)
        if not (name and user and trigger):
            ignored("form_button", "trigger_id" if user else "user.id")
            return
        try:
            services.changes.check(user, ref, name)
        except Refused as refusal:
            refuse(body, refusal)
            return
        with suppress(DeliveryFailed):  # logged by the port; the click can be repeated
            quick.open_form(trigger, ActionForm(action=name, ref=ref))

    def on_select(body: dict[str, Any], action: Any) -> None:
        user, chosen = slack_id(body, "user", "id"), SELECTS.get(text_at(action, "action_id"))
        if not once(body, action):
            return
        if not (user and chosen):
            ignored("triage_select", "user.id")
            return
        name, read = chosen
        ref = text_at(action, "block_id", limit=MAX_ID + 8).partition(":")[2]  # ``triage:CR-0001``
        try:
            services.triage.perform(port, user, ref, name, value=read(action) or None)
        except Refused as refusal:
            refuse(body, refusal)

    app.action(ACTION_SUBMIT)(ack=ack_fast, lazy=[on_submit])
    for action_id in DIRECT:
        app.action(action_id)(ack=ack_fast, lazy=[on_direct])
    for action_id in WITH_FORM:
        app.action(action_id)(on_form_button)
    for action_id in SELECTS:
        app.action(action_id)(ack=ack_fast, lazy=[on_select])
