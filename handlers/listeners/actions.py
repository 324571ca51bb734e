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

from bot.delivery.cards import Notice
from bot.delivery.ports import DeliveryFailed
from bot.requests.forms import ActionForm
from bot.requests.roles import Refused
from handlers.blocks.ids import (
    ACTION_EDIT,
    ACTION_NEW_REQUEST,
    ACTION_SUBMIT,
    CHOICES,
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
from handlers.blocks.intake import choice_label
from handlers.context import HandlerContext
from handlers.envelope import MAX_CONVERSATION, MAX_ID, action_key, ignored, slack_id, text_at

log = logging.getLogger(__name__)
SUBMIT, CHANGE, CHOICE = "submit", "change", "choice"
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


def _refuse(ctx: HandlerContext, body: dict[str, Any], refusal: Refused) -> None:
    user = slack_id(body, "user", "id")
    channel = slack_id(body, "channel", "id") or ctx.chat.open_dm(user)
    ctx.chat.ephemeral(channel, user, str(refusal))


def work_submit(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """The Submit button of a brief."""
    body = payload["body"]
    action, user, channel = body["actions"][0], payload["user"], slack_id(body, "channel", "id")
    conversation = slack_id(action, "value", limit=MAX_CONVERSATION) or channel
    ctx.services.intake.submit(ctx.chat, user, conversation, channel, slack_id(body, "message", "ts") or None)


def work_change(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """A button or select that changes a request at once."""
    body = payload["body"]
    action_id = text_at(body["actions"][0], "action_id")
    try:
        if action_id in DIRECT:
            ref = slack_id(body["actions"][0], "value")
            ctx.services.triage.perform(ctx.chat, payload["user"], ref, DIRECT[action_id])
        else:
            name, read = SELECTS[action_id]
            action = body["actions"][0]
            ref = text_at(action, "block_id", limit=MAX_ID + 8).partition(":")[2]  # ``triage:CR-0001``
            ctx.services.triage.perform(ctx.chat, payload["user"], ref, name, value=read(action) or None)
    except Refused as refusal:
        _refuse(ctx, body, refusal)


def work_choice(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """A choice button of the intake: the question loses its buttons (showing the choice), the answer follows."""
    body = payload["body"]
    action, user, channel = body["actions"][0], payload["user"], slack_id(body, "channel", "id")
    action_id = text_at(action, "action_id")
    conversation = slack_id(action, "value", limit=MAX_CONVERSATION) or channel
    question_ts, question = slack_id(body, "message", "ts"), text_at(body, "message", "text", limit=3000)
    if question_ts and question:
        with suppress(DeliveryFailed):  # the buttons stay; a second click is answered as no longer open
            shown = f"{question}\n→ *{choice_label(action_id, body.get('message'))}*"
            ctx.chat.update(channel, question_ts, shown, Notice(text=shown))
    ctx.services.intake.choose(ctx.chat, user, conversation, channel, CHOICES[action_id])


WORK = {SUBMIT: work_submit, CHANGE: work_change, CHOICE: work_choice}


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to every button and select: the ones that change something are stored for the workers."""
    services, quick = ctx.services, ctx.quick

    def accept(ack: Ack, body: dict[str, Any], action: Any, kind: str, listener: str, in_channel: bool) -> None:
        user, channel = slack_id(body, "user", "id"), slack_id(body, "channel", "id")
        if not user or (in_channel and not channel):
            ignored(listener, "channel.id" if user else "user.id")
        else:
            ctx.accept(body, kind, action_key(body, action), user)
        ack()

    @app.action(ACTION_SUBMIT)
    def on_submit(ack: Ack, body: dict[str, Any], action: Any) -> None:
        accept(ack, body, action, SUBMIT, "intake_submit", in_channel=True)

    def on_choice(ack: Ack, body: dict[str, Any], action: Any) -> None:
        accept(ack, body, action, CHOICE, "intake_choice", in_channel=True)

    for action_id in CHOICES:
        app.action(action_id)(on_choice)

    def on_change(ack: Ack, body: dict[str, Any], action: Any) -> None:
        accept(ack, body, action, CHANGE, "triage_action", in_channel=False)

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
            _refuse(ctx, body, refusal)
            return
        with suppress(DeliveryFailed):  # logged by the port; the click can be repeated
            quick.open_form(trigger, ActionForm(action=name, ref=ref))

    for action_id in (*DIRECT, *SELECTS):
        app.action(action_id)(on_change)
    for action_id in WITH_FORM:
        app.action(action_id)(on_form_button)
