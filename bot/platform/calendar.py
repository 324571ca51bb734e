"""Working days (Mon–Fri), local dates and times of day: the calendar every rule is written against.

A digest is due for a recipient at ``now`` when their local date is a working day and their local time
is at or past DIGEST_TIME; the period it is claimed under is that local date. So the first tick after
downtime catches up the same day, and a past day is never replayed: only today's date is ever due.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


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


REPORT_WEEKDAY = 0  # Monday


def parse_time(hhmm: str) -> time:
    """``09:00`` as a time of day (settings have validated the format)."""
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def local(now: datetime, tz: str) -> datetime:
    """``now`` on the wall clock of ``tz``."""
    return now.astimezone(ZoneInfo(tz))


def local_date(now: datetime, tz: str) -> date:
    """The calendar date in ``tz`` at ``now``."""
    return local(now, tz).date()


def digest_day(now: datetime, tz: str, at: time) -> date | None:
    """The local date whose digest is due at ``now`` in ``tz`` (a working day, at or past ``at``), else None."""
    wall = local(now, tz)
    if not is_workday(wall.date()) or wall.time() < at:
        return None
    return wall.date()


def week_key(day: date) -> str:
    """ISO week of ``day``, e.g. ``2026-W10``: the period of a weekly report."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def report_week(now: datetime, tz: str, at: time) -> str | None:
    """The ISO week whose report is due at ``now``: on Mondays in ``tz`` at or past ``at``, else None."""
    wall = local(now, tz)
    if wall.weekday() != REPORT_WEEKDAY or wall.time() < at:
        return None
    return week_key(wall.date())


def age_in_workdays(since: datetime, now: datetime, tz: str) -> int:
    """Working days from the local date of ``since`` to the local date of ``now`` (0 the same day)."""
    return workdays_between(local_date(since, tz), local_date(now, tz))


def one_workday_passed(since: datetime, now: datetime, tz: str) -> bool:
    """Whether the same wall-clock time on the next working day after ``since`` has been reached in ``tz``.

    A question asked on Friday at 15:00 is one working day old on Monday at 15:00.
    """
    asked = local(since, tz)
    deadline = datetime.combine(add_workdays(asked.date(), 1), asked.timetz())
    return local(now, tz) >= deadline
