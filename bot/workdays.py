"""Business-day arithmetic (Mon–Fri) for lead times, rush flags and nudges."""

from __future__ import annotations

from datetime import date, timedelta


def is_workday(day: date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def add_workdays(start: date, days: int) -> date:
    """The date ``days`` business days after ``start``."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def workdays_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return count
