"""Message events: a requester's DM (intake, or an answer to ops), and replies in triage threads."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.context import HandlerContext

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
    return (event.get("channel") == channel and bool(thread_ts) and thread_ts != event.get("ts")
            and _human(event))


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to messages."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_message(event: dict[str, Any], client: WebClient) -> None:
        port = ctx.port(client)
        if is_requester_dm(event):
            files = [f["permalink"] for f in event.get("files", []) if f.get("permalink")]
            ctx.intake.message(port, event["user"], event["channel"], event.get("text") or "", files,
                               thread_ts=event.get("thread_ts"))
        elif is_thread_reply(event, ctx.ops_channel):
            ctx.triage.thread_reply(port, event["user"], event["channel"], event["thread_ts"],
                                    event.get("text") or "")

    app.event("message")(ack=ack_fast, lazy=[ctx.once(on_message)])
