"""How names and dates read to a person: one place for labels and date formats."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def human(name: str) -> str:
    """An internal name as words: ``paid_ads`` → ``paid ads``."""
    return name.replace("_", " ")


def human_list(names: Iterable[str]) -> str:
    """Names as words, comma-separated."""
    return ", ".join(human(name) for name in names)


def format_date(day: date) -> str:
    """``Mon 23 Mar 2026``."""
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


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
