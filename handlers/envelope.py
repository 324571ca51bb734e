"""Reading Slack's envelopes: what kind of delivery a payload is, its fields checked, its text as typed."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from bot.platform.metrics import label

log = logging.getLogger(__name__)
#: Slack's user, channel and message ids, and request refs, fit in this many characters (their columns' width).
MAX_ID = 32
#: A conversation id (a DM channel, or ``form:`` + a view id) fits in this many (``drafts.conversation_id``).
MAX_CONVERSATION = 64
_LEADING_MENTION = re.compile(r"^\s*<@[UWB][A-Z0-9]+>\s*[:,]?\s*")
#: Slack's markup in message text: <@U…>, <#C…|name>, <!here>, <!subteam^S…|@team>, <url|label>.
_TOKEN = re.compile(r"<([^<>\s][^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_SPECIAL = {"here", "channel", "everyone"}


def delivery_kind(body: Mapping[str, Any]) -> str:
    """What a Slack delivery is: the event type of an Events API callback (``message``, ``app_mention``…),
    ``slash_command`` for a command, else the payload type (``block_actions``, ``view_submission``…)."""
    if body.get("type") == "event_callback":
        event = body.get("event")
        return label(event.get("type") if isinstance(event, Mapping) else "event")
    if "command" in body:
        return "slash_command"
    return label(body.get("type") or "unknown")


def _plain(token: re.Match[str]) -> str:
    """One Slack markup token as plain text; mentions stay tokens so that rendering can defuse them."""
    body, _, label = token.group(1).partition("|")
    if body.startswith("@"):
        return f"<{body}>"
    if body.startswith("#"):
        return f"#{label or body[1:]}"
    if body.startswith("!"):
        name = body[1:].split("^", 1)[0]
        return f"<!{name}>" if name in _SPECIAL else label or f"@{name}"
    url = _decode(body)
    label = _decode(label)
    if not label or label == url:
        return url
    if url.removeprefix("mailto:") == label or url.split("://", 1)[-1].rstrip("/") == label.rstrip("/"):
        return label  # Slack linked what was typed: keep it as typed
    return f"{label} ({url})"


def _decode(text: str) -> str:
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def slack_text(raw: str) -> str:
    """Message text as typed: links and channels as plain text, ``&amp;``/``&lt;``/``&gt;`` decoded once.

    User mentions and ``<!here>``/``<!channel>``/``<!everyone>`` stay as Slack tokens in the stored text;
    rendering shows requester text with them defused (``bot.platform.text.words``).
    """
    out, last = [], 0
    for token in _TOKEN.finditer(raw or ""):
        out += [_decode(raw[last : token.start()]), _plain(token)]
        last = token.end()
    out.append(_decode((raw or "")[last:]))
    return "".join(out)


def strip_mention(text: str) -> str:
    """Text without a leading ``<@U…>`` mention (and the ``:`` or ``,`` after it)."""
    return _LEADING_MENTION.sub("", text or "", count=1).strip()


def dig(data: Any, *path: str) -> Any:
    """The value at ``path`` in nested objects, or None where a key is missing or a step is not an object."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def text_at(data: Any, *path: str, limit: int | None = None) -> str:
    """The string at ``path``; "" when it is missing, not a string, or longer than ``limit``."""
    value = dig(data, *path)
    if not isinstance(value, str) or (limit is not None and len(value) > limit):
        return ""
    return value


def slack_id(data: Any, *path: str, limit: int = MAX_ID) -> str:
    """A Slack id (user, channel, message ts) or ref at ``path``: a short string without spaces, else ""."""
    value = text_at(data, *path, limit=limit)
    return value if value and not any(c.isspace() for c in value) else ""


def ignored(listener: str, field: str) -> None:
    """Log a payload refused for a missing or malformed field (a forgery or a Slack change; never a traceback)."""
    log.warning("malformed slack payload ignored", extra={"listener": listener, "field": field})


def action_key(body: Any, action: Any) -> str:
    """The idempotency key of a click: who pressed what, when (Slack's ``action_ts``); "" when it cannot say."""
    user, action_id, at = slack_id(body, "user", "id"), text_at(action, "action_id"), text_at(action, "action_ts")
    return f"action:{user}:{action_id}:{at}" if user and action_id and at else ""


def view_key(body: Any, view: Any) -> str:
    """The idempotency key of a modal submission: the view and the state it was submitted in."""
    user, view_id, view_hash = slack_id(body, "user", "id"), text_at(view, "id"), text_at(view, "hash")
    return f"view:{user}:{view_id}:{view_hash}" if user and view_id else ""
