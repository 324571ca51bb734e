"""Block Kit builders that never exceed Slack's limits: long text is cut with an ellipsis."""

from __future__ import annotations

import json
from typing import Any

from bot.platform.text import ELLIPSIS, clamp, clamp_chat

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_MODAL_TITLE = 24
MAX_METADATA = 3000
MAX_CONTEXT_ELEMENTS = 10
MAX_INPUT_VALUE = 3000
MAX_MESSAGE_TEXT = 4000


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": clamp(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": clamp_chat(text, limit) or " "}


def header(text: str) -> Block:
    """A header block."""
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def section(text: str, accessory: Block | None = None) -> Block:
    """A section of mrkdwn text."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    return block


def field_sections(pairs: list[tuple[str, str]]) -> list[Block]:
    """``*label*\\nvalue`` fields, ten to a section, each within the field limit."""
    fields = [mrkdwn(f"*{label}*\n{value}", MAX_FIELD_TEXT) for label, value in pairs]
    return [{"type": "section", "fields": fields[i : i + MAX_FIELDS]} for i in range(0, len(fields), MAX_FIELDS)]


def context(*texts: str) -> Block:
    """A context block of mrkdwn elements."""
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:MAX_CONTEXT_ELEMENTS]]}


def divider() -> Block:
    """A divider."""
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> Block:
    """A button; ``style`` is primary or danger."""
    element: Block = {"type": "button", "text": plain(text, MAX_BUTTON_TEXT), "action_id": action_id}
    if value:
        element["value"] = clamp(value, MAX_VALUE)
    if style:
        element["style"] = style
    return element


def actions(block_id: str, *elements: Block) -> Block:
    """An actions block."""
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def fit_message(blocks: list[Block]) -> list[Block]:
    """At most 50 blocks: the rest is replaced by a note (action blocks are kept at the end)."""
    if len(blocks) <= MAX_MESSAGE_BLOCKS:
        return blocks
    tail = [b for b in blocks if b.get("type") == "actions"]
    body = [b for b in blocks if b.get("type") != "actions"][: MAX_MESSAGE_BLOCKS - len(tail) - 1]
    return [*body, context(f"{ELLIPSIS} shortened to fit in Slack"), *tail]


def metadata(data: dict[str, Any]) -> str:
    """View private_metadata as JSON; refuses to exceed Slack's limit rather than cut JSON."""
    text = json.dumps(data, separators=(",", ":"))
    if len(text) > MAX_METADATA:
        raise ValueError("private_metadata over 3,000 characters")
    return text


def modal(
    callback_id: str, title: str, blocks: list[Block], private_metadata: str = "", submit: str = "Submit"
) -> Block:
    """A modal view within Slack's limits."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_MODAL_TITLE),
        "submit": plain(submit, MAX_MODAL_TITLE),
        "close": plain("Cancel", MAX_MODAL_TITLE),
        "private_metadata": private_metadata,
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }
