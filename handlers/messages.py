"""Message events: a requester's DM is the intake conversation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.context import HandlerContext

#: Message subtypes that carry requester content; edits, deletions, joins and bot posts are ignored.
HANDLED_SUBTYPES = {None, "file_share"}


def is_requester_dm(event: dict[str, Any]) -> bool:
    """A human's new message (or file share) in a DM with the bot."""
    return (event.get("channel_type") == "im" and event.get("subtype") in HANDLED_SUBTYPES
            and not event.get("bot_id") and bool(event.get("user")))


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to messages."""

    def ack_fast(ack: Ack) -> None:
        ack()

    def on_message(event: dict[str, Any], client: WebClient) -> None:
        if not is_requester_dm(event):
            return
        files = [f["permalink"] for f in event.get("files", []) if f.get("permalink")]
        ctx.intake.message(ctx.port(client), event["user"], event["channel"], event.get("text") or "", files)

    app.event("message")(ack=ack_fast, lazy=[on_message])
