"""Thread commands of ops managers (SPEC 2.2): ``approve``, ``reject <reason>``, ``assign <@U…>`` …"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMANDS: dict[str, str] = {
    "approve": "approve the request",
    "reject <reason>": "reject it; the requester is told why",
    "ask <question>": "ask the requester; their answer comes back here",
    "assign <@designer>": "assign a designer (approves it too)",
    "priority low|normal|high|urgent": "set the priority",
    "due <date>": "set the due date (e.g. `due March 12`, `due next Friday`)",
    "type <request_type>": "reclassify the type",
    "channels <a, b>": "reclassify the channels",
    "status": "show the current state",
    "help": "this list",
}
_NAMES = {spec.split()[0] for spec in COMMANDS}
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class OpsCommand:
    """A parsed command: its name and the rest of the line."""

    name: str
    argument: str

    def mentioned_user(self) -> str | None:
        """The first ``<@U…>`` in the argument."""
        match = _USER.search(self.argument)
        return match.group(1) if match else None


def parse(text: str) -> OpsCommand | None:
    """The command a thread reply gives, or None when it is a comment (case-insensitive)."""
    body = (text or "").strip()
    word, _, rest = body.partition(" ")
    name = word.lower().rstrip(":")
    if name not in _NAMES:
        return None
    return OpsCommand(name, rest.strip())


def help_text() -> str:
    """The command list, for ``help``."""
    return "Reply in this thread with:\n" + "\n".join(f"• `{spec}` — {what}" for spec, what in COMMANDS.items())
