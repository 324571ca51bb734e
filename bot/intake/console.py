"""The intake conversation in a terminal: the same engine, storage and catalog as Slack."""

from __future__ import annotations

from typing import TextIO

from bot.briefs.summary import brief_text
from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming, Reply, ReplyKind
from bot.platform.text import unescape

CONSOLE_USER = "console"


def render(reply: Reply) -> str:
    """A reply as terminal text."""
    parts = [reply.notice] if reply.notice else []
    if reply.fallback_reason:
        parts.append(f"(the LLM was unavailable — {reply.fallback_reason}; used the rules engine)")
    parts.append(reply.text)
    text = unescape("\n".join(parts))
    if reply.kind is ReplyKind.CONFIRM and reply.brief is not None:
        text += "\n" + brief_text(reply.brief)
    return text


def run_console(
    conversation: Conversation, stdin: TextIO, stdout: TextIO, timezone: str, user: str = CONSOLE_USER
) -> int:
    """Read messages line by line until end of input; print each reply."""
    stdout.write("Describe the creative work you need (type `help` for commands, Ctrl-D to quit).\n")
    while True:
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            return 0
        if not line.strip():
            continue
        reply = conversation.handle(
            Incoming(requester_id=user, conversation_id=user, text=line.rstrip("\n"), timezone=timezone)
        )
        stdout.write(render(reply) + "\n")
