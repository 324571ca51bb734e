"""Suggested priority from the deadline and the type's lead time."""

from __future__ import annotations

from datetime import date

from bot.platform.calendar import workdays_between

PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")


def suggest_priority(deadline: date | None, today: date, rush: bool) -> str:
    """``urgent`` for a rush due within 2 business days, ``high`` for other rushes, else ``normal``."""
    if deadline is None or not rush:
        return "normal"
    return "urgent" if workdays_between(today, deadline) <= 2 else "high"
