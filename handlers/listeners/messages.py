"""Human messages, whichever events carry them: a DM, a reply in a triage thread, an @mention elsewhere.

Slack sends a mention in a channel the bot is in twice (``message.channels`` and ``app_mention``), and a
mention in the bot's DM twice too. Both events are routed here by where the message is, not by which event
brought it, and the message (channel and ts) is the inbox key: each human message gives exactly one action.
Messages from bots, edits, deletions and joins are ignored and store nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from slack_bolt import Ack, App

from handlers.context import HandlerContext
from handlers.envelope import slack_id, slack_text, strip_mention

#: Message subtypes that carry human content; edits, deletions, joins and bot posts are ignored.
HANDLED_SUBTYPES = {None, "file_share", "thread_broadcast"}
MENTION_NOTE = "I've sent you a DM so we can put the brief together there."
KIND = "message"


class Route(StrEnum):
    """What a human message is for."""

    DM = "dm"
    TRIAGE_THREAD = "triage_thread"
    MENTION = "mention"


def _human(event: dict[str, Any]) -> bool:
    return (
        event.get("subtype") in HANDLED_SUBTYPES
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and bool(slack_id(event, "user"))  # a forged or oversized id is refused, never stored
        and bool(slack_id(event, "channel"))
    )


def route(event: dict[str, Any], ops_channel: str | None, mention: bool) -> Route | None:
    """Where a message goes: the DM conversation, the triage thread it replies in, or (a mention) a new DM."""
    if not _human(event):
        return None
    channel, thread_ts = event["channel"], event.get("thread_ts")
    if event.get("channel_type") == "im" or channel.startswith("D"):
        return Route.DM
    if channel == ops_channel and isinstance(thread_ts, str) and thread_ts and thread_ts != event.get("ts"):
        return Route.TRIAGE_THREAD
    return Route.MENTION if mention else None


def work(ctx: HandlerContext, payload: dict[str, Any]) -> None:
    """One human message, as routed when it was acknowledged."""
    services, event, where = ctx.services, payload["body"]["event"], Route(payload["route"])
    user, channel = event["user"], event["channel"]
    raw = event.get("text")
    text = strip_mention(slack_text(raw if isinstance(raw, str) else ""))
    if where is Route.DM:
        files = [f["permalink"] for f in event.get("files") or [] if isinstance(f, dict) and f.get("permalink")]
        thread_ts = event.get("thread_ts")
        services.intake.message(
            ctx.chat, user, channel, text, files, thread_ts=thread_ts if isinstance(thread_ts, str) else None
        )
    elif where is Route.TRIAGE_THREAD:
        services.triage.thread_reply(ctx.chat, user, channel, event["thread_ts"], text)
    else:
        dm = ctx.chat.open_dm(user)  # before anything is stored: no transaction waits on Slack
        ctx.chat.ephemeral(channel, user, MENTION_NOTE, thread_ts=event.get("thread_ts"))
        services.intake.message(ctx.chat, user, dm, text or "help")


WORK = {KIND: work}


def register(app: App, ctx: HandlerContext) -> None:
    """Listen to messages and app mentions: each human one is stored for the workers, then acknowledged."""

    def accept(ack: Ack, body: dict[str, Any], event: dict[str, Any], mention: bool) -> None:
        where = route(event, ctx.ops_channel, mention)
        if where is not None:
            key = f"message:{event['channel']}:{event.get('ts') or body.get('event_id')}"
            ctx.accept(body, KIND, key, event["user"], route=where.value)
        ack()

    @app.event("message")
    def on_message(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        accept(ack, body, event, mention=False)

    @app.event("app_mention")
    def on_mention(ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        accept(ack, body, event, mention=True)
