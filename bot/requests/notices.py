"""The two ways a change is told: a DM to a person, a line in the request's triage thread."""

from __future__ import annotations

from bot.delivery.cards import Card
from bot.delivery.ports import ChatPort, Target
from bot.platform.text import words
from storage.models import Request


def dm(port: ChatPort, user: str, text: str, card: Card | None = None, target: Target | None = None) -> None:
    """A direct message to ``user``."""
    port.post(port.open_dm(user), text, card, target=target)


def in_thread(port: ChatPort, request: Request, text: str) -> None:
    """A reply under the request's triage message, when it has one."""
    if request.triage_channel and request.triage_ts:
        port.post(request.triage_channel, text, thread_ts=request.triage_ts)


def titled(request: Request) -> str:
    """``CR-0001 “Title”``, as notifications name a request."""
    return f"{request.ref} “{words(request.title)}”"
