"""How names and dates read to a person: one place for labels and date formats."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from babel.dates import format_skeleton

from bot.platform.i18n import ENGLISH, current

#: Mentions a person's words may carry: <@U…>, <!here>, <!channel>, <!everyone>.
_MENTION = re.compile(r"<(@[UWB][A-Z0-9]+|![a-z]+)(?:\|[^<>]*)?>")


def human(name: str) -> str:
    """An internal name as words: ``paid_ads`` → ``paid ads``."""
    return name.replace("_", " ")


#: Platforms as people write them; any other id reads as its words.
PLATFORM_NAMES = {
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "x": "X",
    "pinterest": "Pinterest",
    "snapchat": "Snapchat",
    "threads": "Threads",
    "xing": "XING",
    "vimeo": "Vimeo",
    "spotify": "Spotify",
    "apple_podcasts": "Apple Podcasts",
    "meta_ads": "Meta ads",
    "google_ads": "Google Ads",
    "linkedin_ads": "LinkedIn ads",
    "tiktok_ads": "TikTok ads",
}


def platform_name(name: str) -> str:
    """A platform id as people write it: ``google_ads`` → ``Google Ads``."""
    return PLATFORM_NAMES.get(name.lower(), human(name))


def human_list(names: Iterable[str]) -> str:
    """Names as words, comma-separated."""
    return ", ".join(human(name) for name in names)


def format_date(day: date) -> str:
    """``Mon 23 Mar 2026``; in the current language, as it writes a date (``Mo., 23. März 2026``)."""
    if current() != ENGLISH:
        return format_skeleton("yMMMEd", day, locale=current())
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


def short_date(day: date, today: date) -> str:
    """``Fri 11 Dec`` in ``today``'s year, ``Fri 11 Dec 2027`` in any other (the cards' format, year dropped)."""
    if day.year != today.year:
        return format_date(day)
    if current() != ENGLISH:
        return format_skeleton("MMMEd", day, locale=current())
    return format_date(day).removesuffix(f" {day.year}")


def plural(count: int, noun: str) -> str:
    """``1 request``, ``2 requests``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


ELLIPSIS = "…"


def clamp(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def escape(text: str) -> str:
    """Chat-text escaping of someone's words (&, <, >), so they cannot ping or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Chat text as a terminal shows it: ``escape`` undone."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def defused(text: str) -> str:
    """Chat text with its mentions as plain words, so that showing it again pings nobody."""
    return _MENTION.sub(lambda m: m.group(1).replace("!", "@", 1), text)


def words(text: str) -> str:
    """Someone's words inside a bot message: mentions shown as plain words (they never ping), escaped once."""
    return escape(defused(text))


def clamp_chat(text: str, limit: int) -> str:
    """Chat text cut like ``clamp``, never inside an entity (``&amp;``) or a ``<…>`` token."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp, semi = cut.rfind("&"), cut.rfind(";")
    if amp > semi and len(cut) - amp < len("&amp;"):
        cut = cut[:amp]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    return cut.rstrip() + ELLIPSIS


def quoted(text: str) -> str:
    """Someone's words as a block quote, line by line."""
    return "\n".join(f">{line}" for line in words(text).splitlines() or [""])
