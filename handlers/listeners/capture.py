"""Capture from channels (SPEC 2.6): the message shortcut "Turn into creative request" and the intake reaction.

Both are stored for the workers before the ack. The shortcut carries the message; the reaction only names it,
so its work reads it (``conversations.history``, or ``conversations.replies`` for a reply in a thread). A Slack
retry is the same inbox key and is dropped; a second use by the same person is a new delivery, answered by the
domain with the draft or request the first one made. Reactions in DMs and with other emoji are ignored.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.intake.messages import Source
from handlers.blocks.ids import SHORTCUT_MESSAGE_TO_REQUEST
from handlers.context import HandlerContext
from handlers.envelope import MAX_CONVERSATION, MAX_ID, dig, ignored, slack_id, slack_text, text_at

SHORTCUT, REACTION = "capture_shortcut", "capture_reaction"
#: Slack's longest message text, with room for its escaping: anything longer is not a message.
MAX_TEXT = 120_000


def _source(ctx: HandlerContext, channel: str, ts: str, author: str, thread_ts: str | None, name: str = "") -> Source:
    """The message with its permalink and (outside DMs) its channel's name, asked of Slack unless ``name``."""
    name = "" if channel.startswith("D") else name or ctx.chat.channel_name(channel) or ""
    return Source(channel, ts, author, ctx.chat.permalink(channel, ts), name or None, thread_ts)


def work_shortcut(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """The message shortcut: the message is in the payload."""
    body = payload["body"]
    channel, ts = slack_id(body, "channel", "id"), slack_id(body, "message", "ts")
    thread_ts = slack_id(body, "message", "thread_ts") or None
    name = slack_id(body, "channel", "name", limit=MAX_CONVERSATION)
    source = _source(ctx, channel, ts, slack_id(body, "message", "user"), thread_ts, name)
    text = slack_text(text_at(body, "message", "text"))
    ctx.services.captures.capture(ctx.chat, payload["user"], source, text, note_in_thread=False)


def work_reaction(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """The intake reaction: the message is read from Slack, and its thread gets a note once a draft is started."""
    event, user, captures = payload["body"]["event"], payload["user"], ctx.services.captures
    channel, ts = event["item"]["channel"], event["item"]["ts"]
    message = ctx.chat.message(channel, ts)
    if message is None:
        captures.unreadable(ctx.chat, user)
        return
    source = _source(ctx, channel, ts, message.author, message.thread_ts)
    captures.capture(ctx.chat, user, source, slack_text(message.text), note_in_thread=True)


WORK = {SHORTCUT: work_shortcut, REACTION: work_reaction}


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to the message shortcut and to reactions: each use is stored for the workers, then acknowledged."""

    @app.shortcut(SHORTCUT_MESSAGE_TO_REQUEST)
    def on_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        user, channel = slack_id(body, "user", "id"), slack_id(body, "channel", "id")
        ts, text = slack_id(body, "message", "ts"), dig(body, "message", "text")
        readable = isinstance(text, str) and len(text) <= MAX_TEXT
        fields = {"user.id": bool(user), "channel.id": bool(channel), "message.ts": bool(ts), "message.text": readable}
        missing = next((name for name, present in fields.items() if not present), None)
        if missing is not None:
            ignored("message_shortcut", missing)
        else:
            used_at = text_at(body, "action_ts", limit=MAX_ID) or text_at(body, "trigger_id", limit=255)
            ctx.accept(body, SHORTCUT, f"capture:{user}:{channel}:{ts}:{used_at}", user)
        ack()

    @app.event("reaction_added")
    def on_reaction(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        user, channel = slack_id(event, "user"), slack_id(event, "item", "channel")
        ts, kind = slack_id(event, "item", "ts"), text_at(event, "item", "type", limit=MAX_ID)
        wanted = text_at(event, "reaction", limit=MAX_ID * 4) == ctx.services.settings.intake_reaction
        if wanted and kind == "message" and not channel.startswith("D"):
            if user and channel and ts:
                key = f"capture:{body.get('event_id') or f'{user}:{channel}:{ts}'}"
                ctx.accept(body, REACTION, key, user)
            else:
                ignored("reaction", "user" if not user else "item")
        ack()
