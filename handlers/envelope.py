"""Reading Slack's envelopes: what kind of delivery a payload is, and text without the bot's mention."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.platform.metrics import label

_LEADING_MENTION = re.compile(r"^\s*<@[UWB][A-Z0-9]+(?:\|[^>]*)?>\s*[:,]?\s*")


def delivery_kind(body: Mapping[str, Any]) -> str:
    """What a Slack delivery is: the event type of an Events API callback (``message``, ``app_mention``…),
    ``slash_command`` for a command, else the payload type (``block_actions``, ``view_submission``…)."""
    if body.get("type") == "event_callback":
        event = body.get("event")
        return label(event.get("type") if isinstance(event, Mapping) else "event")
    if "command" in body:
        return "slash_command"
    return label(body.get("type") or "unknown")


def strip_mention(text: str) -> str:
    """Text without a leading ``<@U…>`` mention (and the ``:`` or ``,`` after it)."""
    return _LEADING_MENTION.sub("", text or "", count=1).strip()
