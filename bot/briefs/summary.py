"""A brief as a person reads it: its derived title, labelled lines, plain text and a one-line summary."""

from __future__ import annotations

import re
from datetime import date

from bot.briefs.model import FIELD_NAMES, Brief, field_label
from bot.platform.i18n import N_, t
from bot.platform.text import clamp, format_date, human, platform_name, words

MAX_TITLE = 80


#: What one deliverable of a type is called in a title; a type missing here reads as its words.
_DELIVERABLE = {
    "social_graphic": "social posts",
    "video": "video",
    "email": "email",
    "landing_page": "landing page",
    "display_ad": "display ads",
    "print": "print",
    "presentation": "deck",
    "copywriting": "copy",
    "localization": "localisation",
    "brand_asset": "brand asset",
    "other": "request",
}
#: The default catalog's types and channels as words, marked for translation (``kind_words`` translates them;
#: the names of a catalog of one's own read as they are).
CATALOG_WORDS = (
    *(N_("social graphic"), N_("video"), N_("email"), N_("landing page"), N_("display ad"), N_("print")),
    *(N_("presentation"), N_("copywriting"), N_("localization"), N_("brand asset"), N_("other")),
    *(N_("social"), N_("paid ads"), N_("web"), N_("video platforms"), N_("events"), N_("internal")),
)
#: Recorded in place of an answer: never a title's subject.
_NO_SUBJECT = frozenset({"to be agreed", "designer's choice", "not decided yet"})
_SUBJECT_WORDS = 6
_LEADING = re.compile(r"^(?:to|so that|in order to|um|para|pour|pra)\s+", re.IGNORECASE)


def _subject(brief: Brief) -> str | None:
    """The campaign, or the first words of the objective: what the work is about."""
    if brief.campaign:
        return brief.campaign
    if not brief.objective or brief.objective.lower() in _NO_SUBJECT:
        return None
    text = _LEADING.sub("", brief.objective.strip())
    cut = text.split()
    short = " ".join(cut[:_SUBJECT_WORDS]).rstrip(",.;:") + ("…" if len(cut) > _SUBJECT_WORDS else "")
    return short[:1].upper() + short[1:]


def deliverable(brief: Brief, capital: bool = True) -> str:
    """The work itself in a few words: "YouTube video 30s", "3 Instagram posts", "Email" (or "email")."""
    kind = brief.request_type or "other"
    noun = _DELIVERABLE.get(kind, human(kind))
    where = " & ".join(platform_name(p) for p in brief.platforms[:2])
    if kind == "social_graphic" and where:
        noun = "posts"
    parts = [where, noun]
    if brief.quantity and brief.quantity.isdigit() and kind in ("social_graphic", "display_ad"):
        parts.insert(0, brief.quantity)
    if kind == "video" and brief.duration:
        parts.append(brief.duration)
    if kind == "print" and brief.formats:
        parts.insert(0, brief.formats[0])
    if kind == "localization" and brief.markets:
        parts.append("for " + ", ".join(brief.markets[:3]))
    text = " ".join(p for p in parts if p)
    return text[:1].upper() + text[1:] if capital and not where else text


def derive_title(brief: Brief) -> str | None:
    """A short title from the campaign or subject and the deliverable ("Spring sale — YouTube video 30s")."""
    if not brief.request_type:
        return None
    subject, work = _subject(brief), deliverable(brief)
    title = f"{subject} — {work}" if subject else work
    return clamp(title, MAX_TITLE)


def kind_words(name: str) -> str:
    """A type or channel as words in the current language: ``paid_ads`` → ``paid ads``, ``anuncios de pago``."""
    return t(human(name))


def titled(brief: Brief) -> Brief:
    """The brief with its title derived again from what it now holds."""
    return brief.model_copy(update={"title": derive_title(brief)})


def format_value(field: str, value: object) -> str:
    """A field value as a person reads it."""
    if isinstance(value, list):
        if field == "platforms":
            return ", ".join(platform_name(str(v)) for v in value)
        return ", ".join(kind_words(str(v)) if field == "channels" else str(v) for v in value)
    if isinstance(value, date):
        return format_date(value)
    if field == "request_type" and isinstance(value, str):
        return kind_words(value)
    return str(value)


def brief_lines(brief: Brief) -> list[tuple[str, str]]:
    """(label, value) for every field the brief holds, in SPEC order, labels in the current language."""
    return [(field_label(name), format_value(name, brief.get(name))) for name in FIELD_NAMES if brief.has(name)]


def brief_text(brief: Brief) -> str:
    """The whole brief as plain text."""
    return "\n".join(f"{label}: {value}" for label, value in brief_lines(brief))


def understood(brief: Brief) -> str:
    """A one-line summary of what the bot has understood so far, no word said twice ("print for events")."""
    parts: list[str] = []
    kind = format_value("request_type", brief.request_type) if brief.request_type else ""
    if kind:
        parts.append(kind)
    said = set(kind.split())
    channels = [c for c in brief.channels if not said & set(kind_words(c).split())]
    if channels:
        parts.append(t("for {channels}", channels=format_value("channels", channels)))
    if brief.platforms:
        parts.append(t("on {platforms}", platforms=words(format_value("platforms", brief.platforms))))
    if brief.deadline:
        parts.append(t("due {day}", day=format_date(brief.deadline)))
    return " ".join(parts)
