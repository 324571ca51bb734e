"""How a requester's short message reads: a command, or an answer to the bot's open yes/no question."""

from __future__ import annotations

import re
from typing import Any

HELP_TEXT = (
    "Tell me what you need in your own words — for example “a 30s YouTube pre-roll for the spring launch, "
    "due March 20”. I'll ask for anything missing, then show you the brief to submit.\n"
    "Commands: `submit` (or `yes`) when the brief is complete, `cancel` to drop the draft, "
    "`start over` to begin again, `status` for your open requests, `cancel CR-0001` to withdraw a submitted "
    "request, `help` for this message."
)

COMMANDS = {
    "help": "help",
    "?": "help",
    "status": "status",
    "cancel": "cancel",
    "start over": "start over",
    "restart": "start over",
    "submit": "submit",
    "yes": "yes",
    "y": "yes",
    "yep": "yes",
    "ok": "yes",
}
_YES = {
    "yes",
    "y",
    "yep",
    "yeah",
    "new",
    "it's new",
    "its new",
    "new work",
    "yes, new",
    "yes new",
    "sí",
    "si",
    "ja",
    "oui",
}
_NO = {"no", "n", "nope", "duplicate", "same", "it's the same", "same one", "no, same", "nein", "non"}
_KEEP = {"keep", "keep it", "rush", "keep rush", "keep the date", "keep as rush", "yes keep", "keep date"}
_MOVE = {"move", "move it", "move to standard", "standard", "earliest", "use the earliest", "ok move", "move date"}


def normal(text: str) -> str:
    return re.sub(r"[\s!.]+$", "", text.strip()).lower()


def pending_answer(pending: dict[str, Any], said: str) -> str | None:
    """How a message answers the open duplicate or rush question: new_work, duplicate, keep, move, or None."""
    if pending.get("duplicate_question"):
        if said in _YES:
            return "new_work"
        if said in _NO:
            return "duplicate"
    if pending.get("rush_question"):
        if said in _KEEP or (said in _YES and said != "new"):
            return "keep"
        if said in _MOVE:
            return "move"
    return None
