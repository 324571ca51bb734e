"""A brief as a person reads it: its derived title, labelled lines, plain text and a one-line summary."""

from __future__ import annotations

from datetime import date

from bot.briefs.model import FIELD_LABELS, FIELD_NAMES, Brief
from bot.platform.text import format_date, human, words

MAX_TITLE = 80


def derive_title(brief: Brief) -> str | None:
    """A short title from what the brief says (SPEC: derived, never asked for)."""
    if not brief.request_type:
        return None
    kind = human(brief.request_type).capitalize()
    subject = brief.campaign or brief.objective or ", ".join(brief.platforms or brief.channels)
    title = f"{kind}: {subject}" if subject else kind
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def format_value(field: str, value: object) -> str:
    """A field value as a person reads it."""
    if isinstance(value, list):
        return ", ".join(human(str(v)) if field == "channels" else str(v) for v in value)
    if isinstance(value, date):
        return format_date(value)
    if field == "request_type" and isinstance(value, str):
        return human(value)
    return str(value)


def brief_lines(brief: Brief) -> list[tuple[str, str]]:
    """(label, value) for every field the brief holds, in SPEC order."""
    return [(FIELD_LABELS[name], format_value(name, brief.get(name))) for name in FIELD_NAMES if brief.has(name)]


def brief_text(brief: Brief) -> str:
    """The whole brief as plain text."""
    return "\n".join(f"{label}: {value}" for label, value in brief_lines(brief))


def understood(brief: Brief) -> str:
    """A one-line summary of what the bot has understood so far."""
    parts: list[str] = []
    if brief.request_type:
        parts.append(format_value("request_type", brief.request_type))
    if brief.channels:
        parts.append("for " + format_value("channels", brief.channels))
    if brief.platforms:
        parts.append("on " + words(", ".join(brief.platforms)))
    if brief.deadline:
        parts.append("due " + format_date(brief.deadline))
    return " ".join(parts)
