"""Modal submissions: the intake form, and the text forms of triage and production, validated before closing.

The ack validates without calling Slack (the user's time zone as known, else the fallback) and stores only
a submission it accepted for the workers, so the two never disagree. Payloads of any other shape are refused
with a warning.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack, App

from bot.briefs.model import Brief
from bot.intake.form import form_errors
from bot.platform.calendar import local_date
from bot.requests.mutations import MAX_DELIVERY_LINK, MAX_DELIVERY_NOTE, link_too_long
from bot.requests.roles import Refused
from handlers.blocks.ids import FORM_VIEWS, VIEW_DELIVERED, VIEW_INTAKE
from handlers.blocks.intake import form_brief
from handlers.blocks.kit import MAX_INPUT_VALUE
from handlers.blocks.production import modal_value
from handlers.context import HandlerContext
from handlers.envelope import MAX_CONVERSATION, dig, ignored, slack_id, text_at, view_key

#: Text forms: callback id → lifecycle action. The text goes in as the action's note.
TEXT_FORMS: dict[str, str] = {view_id: action for action, view_id in FORM_VIEWS.items()}
INTAKE, TEXT = "intake_form", "text_form"
#: What the text forms' input takes (their ``max_length``).
MAX_FORM_TEXT = 3000


def _metadata(view: Any) -> dict[str, Any]:
    raw = text_at(view, "private_metadata", limit=MAX_INPUT_VALUE)
    try:
        data = json.loads(raw or "{}")
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _inputs(view: Any) -> tuple[str | None, str | None]:
    """(note, value) of a text form: the delivery form has a link (value) and a note."""
    values = dig(view, "state", "values")
    if text_at(view, "callback_id") == VIEW_DELIVERED:
        return modal_value(values, "note") or None, modal_value(values, "link")
    return modal_value(values, "text"), None


def _view_id(view: Any) -> str:
    """The view's id; a new request's draft is keyed ``form:<view id>`` (so it must fit that column)."""
    return slack_id(view, "id", limit=MAX_CONVERSATION - len("form:"))


def _clean_state(values: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """The intake modal's ``state.values`` reduced to what its inputs send, each of the type they send it in."""
    clean: dict[str, dict[str, dict[str, Any]]] = {}
    for block_id, block in values.items() if isinstance(values, dict) else ():
        element = dig(block, "value")
        if not isinstance(element, dict):
            continue
        kept: dict[str, Any] = {}
        if isinstance(element.get("value"), str):
            kept["value"] = element["value"]
        if option := text_at(element, "selected_option", "value"):
            kept["selected_option"] = {"value": option}
        options = element.get("selected_options")
        if isinstance(options, list):
            kept["selected_options"] = [{"value": v} for o in options if (v := text_at(o, "value"))]
        if _is_date(chosen := text_at(element, "selected_date", limit=10)):
            kept["selected_date"] = chosen
        clean[str(block_id)] = {"value": kept}
    return clean


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _too_long(values: dict[str, dict[str, dict[str, Any]]]) -> dict[str, str]:
    """Inputs longer than the form lets anyone type (only a forged payload has them)."""
    return {
        block_id: f"At most {MAX_INPUT_VALUE:,} characters, please."
        for block_id, block in values.items()
        if len(block["value"].get("value") or "") > MAX_INPUT_VALUE
    }


def intake_brief(view: Any) -> tuple[Brief | None, dict[str, str]]:
    """The submitted brief and its errors by field; no brief for a payload no intake modal sends."""
    values = _clean_state(dig(view, "state", "values"))
    long = _too_long(values)
    if long:
        return None, long
    try:
        return form_brief(values), {}
    except ValueError:  # pydantic's ValidationError: values no input of the form sends
        return None, {}


def work_intake(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """An accepted intake form: back to the conversation (Edit), or a new request submitted."""
    view = payload["body"]["view"]
    brief, _ = intake_brief(view)
    assert brief is not None  # the ack stored only a submission with a brief
    conversation = slack_id(_metadata(view), "conversation", limit=MAX_CONVERSATION) or None
    ctx.services.intake.form_submitted(ctx.chat, payload["user"], brief, conversation, _view_id(view))


def work_text(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """An accepted text form: the change it asks for, with its text as the note."""
    user, view = payload["user"], payload["body"]["view"]
    note, value = _inputs(view)
    port = ctx.chat
    try:
        action = TEXT_FORMS[text_at(view, "callback_id")]
        ctx.services.triage.perform(port, user, slack_id(_metadata(view), "ref"), action, note=note, value=value)
    except Refused as refusal:
        port.post(port.open_dm(user), str(refusal))


WORK = {INTAKE: work_intake, TEXT: work_text}


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to form submissions: each accepted one is stored for the workers, then the modal closes."""
    port, services = ctx.chat, ctx.services

    @app.view(VIEW_INTAKE)
    def on_intake(ack: Ack, body: dict[str, Any], view: Any) -> None:
        user, view_id = slack_id(body, "user", "id"), _view_id(view)
        brief, errors = intake_brief(view)
        if not (user and view_id) or (brief is None and not errors):
            ignored("intake_form", "user.id" if not user else "view.id" if not view_id else "state.values")
            ack()
            return
        if brief is not None:
            today = local_date(services.clock.now(), port.known_timezone(user))  # never a Slack call in an ack
            errors = form_errors(brief, services.catalog, today)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ctx.accept(body, INTAKE, view_key(body, view), user)
        ack()

    def problem(user: str, view: Any) -> dict[str, str]:
        """Form errors: an empty or over-long field, or a change this user may not make now."""
        note, value = _inputs(view)
        delivered = text_at(view, "callback_id") == VIEW_DELIVERED
        field = "link" if delivered else "text"
        if not (value if delivered else note):
            return {field: "Please fill this in."}
        if delivered and value and len(value) > MAX_DELIVERY_LINK:
            return {"link": link_too_long(len(value)) + "."}
        if note and len(note) > (MAX_DELIVERY_NOTE if delivered else MAX_FORM_TEXT):
            return {"note" if delivered else "text": "This is too long; please shorten it."}
        try:
            services.changes.check(user, slack_id(_metadata(view), "ref"), TEXT_FORMS[text_at(view, "callback_id")])
        except Refused as refusal:
            return {field: str(refusal)[:150]}
        return {}

    def on_text(ack: Ack, body: dict[str, Any], view: Any) -> None:
        user = slack_id(body, "user", "id")
        if not user:
            ignored("text_form", "user.id")
            ack()
            return
        errors = problem(user, view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ctx.accept(body, TEXT, view_key(body, view), user)
        ack()

    for callback_id in TEXT_FORMS:
        app.view(callback_id)(on_text)
