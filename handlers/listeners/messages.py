"""Message events: a requester's DM (intake, or an answer to ops), and replies in triage threads."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from handlers.context import HandlerContext
from handlers.envelope import strip_mention

#: Message subtypes that carry human content; edits, deletions, joins and bot posts are ignored.
HANDLED_SUBTYPES = {None, "file_share", "thread_broadcast"}


def _human(event: dict[str, Any]) -> bool:
    return event.get("subtype") in HANDLED_SUBTYPES and not event.get("bot_id") and bool(event.get("user"))


def is_requester_dm(event: dict[str, Any]) -> bool:
    """A human's new message (or file share) in a DM with the bot."""
    return event.get("channel_type") == "im" and _human(event)


def is_thread_reply(event: dict[str, Any], channel: str | None) -> bool:
    """A human's reply in a thread of ``channel`` (Slack sends no message_replied subtype for these)."""
    thread_ts = event.get("thread_ts")
    return event.get("channel") == channel and bool(thread_ts) and thread_ts != event.get("ts") and _human(event)


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to messages."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_message(event: dict[str, Any]) -> None:
        text = strip_mention(event.get("text") or "")
        if is_requester_dm(event):
            files = [f["permalink"] for f in event.get("files", []) if f.get("permalink")]
            ctx.services.intake.message(
                ctx.chat, event["user"], event["channel"], text, files, thread_ts=event.get("thread_ts")
            )
        elif is_thread_reply(event, ctx.ops_channel):
            ctx.services.triage.thread_reply(ctx.chat, event["user"], event["channel"], event["thread_ts"], text)

    app.event("message")(ack=ack_fast, lazy=[ctx.once(on_message)])
