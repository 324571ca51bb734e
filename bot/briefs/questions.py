"""The bot's questions for missing fields, and the plain-text brief."""

from __future__ import annotations

from datetime import date

from bot.briefs.model import FIELD_LABELS, FIELD_NAMES, Brief
from bot.briefs.catalog import Catalog

_QUESTIONS: dict[str, str] = {
    "deadline": "When do you need it by?",
    "objective": "What should this work achieve (the goal or call to action)?",
    "audience": "Who is it for (the audience)?",
    "channels": "Where will it run — social, paid ads, email, web, video platforms, print, events or internal?",
    "platforms": "Which platforms (e.g. Instagram, LinkedIn, TikTok, Meta ads, Google ads)?",
    "formats": "Which formats or sizes (e.g. 1080x1080, 9:16, A4)?",
    "duration": "How long should the video be?",
    "copy": "Do you have the copy, or should we write it?",
    "url": "Which URL or page is this for?",
    "quantity": "How many do you need printed?",
    "slide_count": "Roughly how many slides?",
    "source_asset": "Which existing asset should we adapt (a link)?",
    "markets": "Which markets or languages?",
    "usage": "Where and how will it be used?",
}
#: Asked together because they are answered together.
_PAIRS: dict[frozenset[str], str] = {
    frozenset({"objective", "audience"}): "What should this achieve, and who is it for?",
}


def question_for(field: str, catalog: Catalog) -> str:
    """The question that asks for one field."""
    if field == "request_type":
        kinds = ", ".join(name.replace("_", " ") for name in catalog.type_names if name != "other")
        return f"What kind of creative do you need ({kinds})?"
    return _QUESTIONS.get(field, f"What is the {FIELD_LABELS.get(field, field).lower()}?")


def next_question(missing: list[str], catalog: Catalog) -> tuple[str, str]:
    """The most important missing field and its question (two fields at most, asked together)."""
    first = missing[0]
    if len(missing) > 1:
        paired = _PAIRS.get(frozenset(missing[:2]))
        if paired:
            return first, paired
    return first, question_for(first, catalog)


def format_date(day: date) -> str:
    """``Mon 23 Mar 2026``."""
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


def format_value(field: str, value: object) -> str:
    """A field value as a person reads it."""
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") if field in {"channels"} else str(v) for v in value)
    if isinstance(value, date):
        return format_date(value)
    if field == "request_type" and isinstance(value, str):
        return value.replace("_", " ")
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
        parts.append("on " + ", ".join(brief.platforms))
    if brief.deadline:
        parts.append("due " + format_date(brief.deadline))
    return " ".join(parts)
