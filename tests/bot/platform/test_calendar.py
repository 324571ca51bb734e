"""When digests, the weekly report and nudges are due: pure timing rules across time zones (SPEC 2.4)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from support import at

from bot.platform.calendar import (
    age_in_workdays,
    digest_day,
    local_date,
    one_workday_passed,
    parse_time,
    report_week,
    week_key,
)

NINE = time(9, 0)
BERLIN, LA = "Europe/Berlin", "America/Los_Angeles"


def test_parse_time() -> None:
    assert parse_time("09:00") == NINE and parse_time("17:45") == time(17, 45)


@pytest.mark.parametrize(
    ("now", "berlin", "la"),
    [
        (at(2, 7, 59), None, None),  # Mon: Berlin 08:59, LA Sun 23:59
        (at(2, 8, 0), date(2026, 3, 2), None),  # Berlin 09:00; LA 00:00
        (at(2, 16, 59), date(2026, 3, 2), None),  # LA 08:59
        (at(2, 17, 0), date(2026, 3, 2), date(2026, 3, 2)),  # LA 09:00
        (at(7, 8, 0), None, None),  # Saturday everywhere
        (at(7, 17, 0), None, None),
        (at(7, 1, 0), None, date(2026, 3, 6)),  # Sat 01:00 UTC is still Friday 17:00 in LA
        (at(9, 6, 0), None, None),  # Mon: Berlin 07:00; LA Sun 23:00 (DST from Mar 8)
        (at(9, 16, 0), date(2026, 3, 9), date(2026, 3, 9)),  # LA on PDT: 09:00 is 16:00 UTC
    ],
)
def test_a_digest_is_due_at_the_recipients_own_digest_time_on_local_working_days(
    now: datetime, berlin: date | None, la: date | None
) -> None:
    assert digest_day(now, BERLIN, NINE) == berlin
    assert digest_day(now, LA, NINE) == la


def test_summer_time_moves_the_utc_instant_not_the_local_time() -> None:
    assert digest_day(at(30, 6, 59), BERLIN, NINE) is None  # CEST since 29 March: 08:59
    assert digest_day(at(30, 7, 0), BERLIN, NINE) == date(2026, 3, 30)


def test_after_downtime_only_todays_date_is_ever_due() -> None:
    """Down from Monday morning to Wednesday afternoon: the first tick is due for Wednesday, never Mon or Tue."""
    assert digest_day(at(4, 15, 0), BERLIN, NINE) == date(2026, 3, 4)
    assert digest_day(at(4, 23, 59), BERLIN, NINE) is None  # already Thursday 00:59 in Berlin, before 09:00


def test_local_date() -> None:
    assert local_date(at(7, 1, 0), LA) == date(2026, 3, 6)


def test_the_report_is_due_on_mondays_from_digest_time_in_its_zone() -> None:
    assert report_week(at(2, 8, 59), "UTC", NINE) is None
    assert report_week(at(2, 9, 0), "UTC", NINE) == "2026-W10"
    assert report_week(at(2, 23, 0), "UTC", NINE) == "2026-W10"
    assert report_week(at(3, 9, 0), "UTC", NINE) is None  # Tuesday: last week's is not replayed
    assert report_week(at(2, 8, 0), BERLIN, NINE) == "2026-W10"
    assert report_week(at(2, 23, 30), BERLIN, NINE) is None  # Tuesday 00:30 in Berlin


def test_week_key_is_the_iso_week() -> None:
    assert week_key(date(2026, 1, 1)) == "2026-W01"
    assert week_key(date(2027, 1, 1)) == "2026-W53"


def test_one_working_day_skips_the_weekend() -> None:
    friday = at(6, 15, 0)
    assert not one_workday_passed(friday, at(9, 14, 59), "UTC")
    assert one_workday_passed(friday, at(9, 15, 0), "UTC")
    monday = at(2, 10, 0)
    assert not one_workday_passed(monday, at(3, 9, 59), "UTC")
    assert one_workday_passed(monday, at(3, 10, 0), "UTC")
    saturday = at(7, 10, 0)
    assert not one_workday_passed(saturday, at(9, 9, 0), "UTC")
    assert one_workday_passed(saturday, at(9, 10, 0), "UTC")


def test_one_working_day_is_counted_on_the_zones_calendar() -> None:
    """Friday 20:00 in LA is Saturday in UTC: one working day later is Monday 20:00 in LA."""
    asked = at(7, 4)
    assert not one_workday_passed(asked, at(10, 2, 59), LA)
    assert one_workday_passed(asked, at(10, 3), LA)


def test_age_in_working_days() -> None:
    assert age_in_workdays(at(2, 10), at(2, 18), "UTC") == 0
    assert age_in_workdays(at(6, 10), at(9, 8), "UTC") == 1
    assert age_in_workdays(at(2, 10), at(9, 8), "UTC") == 5
