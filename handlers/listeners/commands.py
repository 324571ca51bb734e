"""``/creative-request [text]``: starts the conversation in DM with the text, or opens the form.

The form is opened before the ack returns: the trigger id expires 3 s after the command, so it cannot wait
for a busy listener pool.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.delivery.ports import DeliveryFailed
from handlers.context import HandlerContext
from handlers.envelope import ignored, slack_id, slack_text, text_at

COMMAND = "/creative-request"
KIND = "command"
FORM_FAILED = "I couldn't open the form just now — please try again, or send me a DM with what you need."


def _text(command: Any) -> str:
    """The command's text as typed (Slack escapes it like message text)."""
    return slack_text(text_at(command, "text")).strip()


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to the slash command."""
    quick = ctx.quick

    def form_opened(command: Any, user: str) -> bool:
        trigger = text_at(command, "trigger_id", limit=255)
        if not trigger:
            ignored("command", "trigger_id")
            return False
        try:
            ctx.services.intake.open_form(quick, trigger, user)
        except DeliveryFailed:
            return False  # logged by the port
        return True

    @app.command(COMMAND)
    def on_command(ack: Ack, body: dict[str, Any], command: Any) -> None:
        user = slack_id(command, "user_id")
        if not user:
            ignored("command", "user_id")
            ack()
        elif _text(command):
            trigger = text_at(command, "trigger_id", limit=255)
            ctx.accept(body, KIND, f"command:{trigger}" if trigger else "", user)
            ack("Let's build your brief — I've sent you a DM.")
        elif form_opened(command, user):
            ack()
        else:
            ack(FORM_FAILED)


def work(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """The command's text starts the conversation in the user's DM."""
    user, port = payload["user"], ctx.chat
    dm = port.open_dm(user)  # before anything is stored: no transaction waits on Slack
    ctx.services.intake.message(port, user, dm, _text(payload["body"]))


WORK = {KIND: work}
