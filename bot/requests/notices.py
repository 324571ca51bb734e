"""How a change is told: a DM to a person, a line in the request's triage thread, and the words for its values.

Every notification and history line names values as people read them (``paid ads``, ``Fri 11 Dec``), never
as they are stored (``paid_ads``, ``2026-12-11``).
"""

from __future__ import annotations

from datetime import date

from bot.delivery.cards import Card
from bot.delivery.ports import ChatPort, Posted, Target
from bot.platform.i18n import speaking, t
from bot.platform.language import from_locale
from bot.platform.text import human, human_list, short_date, words
from storage.models import Request

#: Ops' edits that change one field rather than the status, and how people name that field.
FIELD_CHANGES: dict[str, str] = {"priority": "priority", "due": "due date", "type": "type", "channels": "channels"}


def language_of(port: ChatPort, user: str) -> str | None:
    """The language of the user's chat locale, if the bot speaks it (may ask the platform: not in a transaction)."""
    return from_locale(port.user_locale(user))


def known_language_of(port: ChatPort, user: str) -> str | None:
    """The language of the user's chat locale as far as it is known; never asks the platform."""
    return from_locale(port.known_locale(user))


def dm(
    port: ChatPort,
    user: str,
    text: str,
    card: Card | None = None,
    target: Target | None = None,
    **values: object,
) -> Posted | None:
    """A direct message to ``user`` in their language (``text`` a msgid filled with ``values``); where it went,
    or None when it was queued."""
    with speaking(known_language_of(port, user)):
        return port.post(port.open_dm(user), t(text, **values), card, target=target)


def in_thread(port: ChatPort, request: Request, text: str) -> None:
    """A reply under the request's triage message, when it has one."""
    if request.triage_channel and request.triage_ts:
        port.post(request.triage_channel, text, thread_ts=request.triage_ts)


def titled(request: Request) -> str:
    """``CR-0001 “Title”``, as notifications name a request."""
    return f"{request.ref} “{words(request.title)}”"


def stored_date(value: str | None) -> date | None:
    """A date as the audit trail stores it (``2026-12-11``); None when there is none or it is not one."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def field_value(action: str, value: str | None, today: date) -> str:
    """A field's stored value (as the audit trail keeps it) in words: ``Fri 11 Dec``, ``social, paid ads``."""
    if not value:
        return "none"
    if action == "due":
        day = stored_date(value)
        return short_date(day, today) if day else words(value)
    if action == "channels":
        return words(human_list(part.strip() for part in value.split(",") if part.strip()))
    return words(human(value))


def field_change(action: str, old: str | None, new: str | None, today: date) -> str:
    """What an edit did, as a sentence without a subject: ``moved the due date to Fri 11 Dec (was Wed 2 Dec)``."""
    verb = {"due": "moved", "priority": "set", "type": "changed", "channels": "changed"}.get(action, "changed")
    was = f" (was {field_value(action, old, today)})" if old else ""
    return f"{verb} the {FIELD_CHANGES.get(action, human(action))} to {field_value(action, new, today)}{was}"


def field_news(action: str, old: str | None, new: str | None, today: date) -> str:
    """The same as news: ``Due date moved to Fri 11 Dec (was Wed 2 Dec)``."""
    what = FIELD_CHANGES.get(action, human(action))
    verb = {"due": "moved", "priority": "set"}.get(action, "changed")
    was = f" (was {field_value(action, old, today)})" if old else ""
    return f"{what.capitalize()} {verb} to {field_value(action, new, today)}{was}"
