"""The deadline resolver: formats, relative expressions, conventions and what is not a date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis.dates import find_dates, find_deadline, fold, parse_date, vague_deadline, weekend_note

MONDAY = date(2026, 3, 2)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.03.2026", date(2026, 3, 25)),
        ("2026-03-25", date(2026, 3, 25)),
        ("Deadline: 27.03.", date(2026, 3, 27)),
        ("due 3/13", date(2026, 3, 13)),  # US month/day
        ("13/3", date(2026, 3, 13)),  # first number over 12: day/month
        ("4/5", date(2026, 4, 5)),  # ambiguous: US month/day
        ("25/03/2026", date(2026, 3, 25)),
        ("March 27", date(2026, 3, 27)),
        ("27 March", date(2026, 3, 27)),
        ("Mar 27th", date(2026, 3, 27)),
        ("by the 24th of March", date(2026, 3, 24)),
        ("March 17-19", date(2026, 3, 17)),
        ("nov 20, 2026", date(2026, 11, 20)),
        ("deadline sept 3rd 2026", date(2026, 9, 3)),
        ("2026.03.25", date(2026, 3, 25)),
        ("13 de marzo", date(2026, 3, 13)),
        ("13 de marzo de 2027", date(2027, 3, 13)),
        ("bis zum 10. April", date(2026, 4, 10)),
        ("le 12 mars", date(2026, 3, 12)),
        ("pour le 1er avril", date(2026, 4, 1)),
        ("15 avril", date(2026, 4, 15)),
        ("3. März", date(2026, 3, 3)),
    ],
)
def test_absolute_dates(text: str, expected: date) -> None:
    assert find_deadline(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 3, 2)),
        ("EOD", date(2026, 3, 2)),
        ("tomorrow", date(2026, 3, 3)),
        ("the day after tomorrow", date(2026, 3, 4)),
        ("mañana", date(2026, 3, 3)),
        ("bis morgen", date(2026, 3, 3)),
        ("demain", date(2026, 3, 3)),
        ("end of month", date(2026, 3, 31)),
        ("Ende des Monats", date(2026, 3, 31)),
        ("fin du mois", date(2026, 3, 31)),
        ("end of April", date(2026, 4, 30)),
        ("end of next month", date(2026, 4, 30)),
        ("end of the week", date(2026, 3, 6)),
        ("EOW", date(2026, 3, 6)),
        ("end of next week", date(2026, 3, 13)),
        ("next week", date(2026, 3, 13)),
        ("by next week", date(2026, 3, 9)),
        ("early next week", date(2026, 3, 9)),
        ("in 3 weeks", date(2026, 3, 23)),
        ("in 10 days", date(2026, 3, 12)),
        ("in two weeks", date(2026, 3, 16)),
        ("2 weeks from today", date(2026, 3, 16)),
        ("within a fortnight", date(2026, 3, 16)),
        ("in 2 months", date(2026, 5, 2)),
        ("in 2 business days", date(2026, 3, 4)),
        ("within 5 working days", date(2026, 3, 9)),
        ("in zwei Wochen", date(2026, 3, 16)),
        ("en dos semanas", date(2026, 3, 16)),
        ("dans 3 semaines", date(2026, 3, 23)),
        ("mid-April", date(2026, 4, 15)),
        ("end of Q2", date(2026, 6, 30)),
        ("the 12th", date(2026, 3, 12)),
        ("the 1st", date(2026, 4, 1)),  # next occurrence
        ("by the 3rd of next month", date(2026, 4, 3)),
    ],
)
def test_relative_dates(text: str, expected: date) -> None:
    assert find_deadline(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("by Friday", MONDAY, date(2026, 3, 6)),
        ("by fri", MONDAY, date(2026, 3, 6)),
        ("Friday", date(2026, 3, 6), date(2026, 3, 13)),  # a bare weekday is never today
        ("this Friday", date(2026, 3, 6), date(2026, 3, 6)),
        ("this Monday", date(2026, 3, 4), date(2026, 3, 9)),  # already past this week
        ("next Tuesday", MONDAY, date(2026, 3, 10)),  # the following calendar week
        ("next Friday", date(2026, 3, 4), date(2026, 3, 13)),
        ("Wednesday next week", MONDAY, date(2026, 3, 11)),
        ("nächsten Freitag", MONDAY, date(2026, 3, 13)),
        ("vendredi prochain", MONDAY, date(2026, 3, 13)),
        ("el próximo viernes", MONDAY, date(2026, 3, 13)),
        ("antes del viernes", MONDAY, date(2026, 3, 6)),
        ("Monday 9th", date(2026, 3, 5), date(2026, 3, 9)),  # the day of month decides
        ("Thursday 12th", MONDAY, date(2026, 3, 12)),
        ("friday the 19th then", date(2026, 5, 12), date(2026, 6, 19)),  # the next 19th that is a Friday
        ("everything by sat june 20", date(2026, 5, 12), date(2026, 6, 20)),  # the weekday qualifies the date
        ("uy el 15 es sábado, mejor el 20 entonces", date(2026, 8, 3), date(2026, 8, 20)),  # said of the 15th
        ("the 15th is a Saturday, make it the 14th", date(2026, 8, 3), date(2026, 8, 14)),
        ("plutôt le 20", date(2026, 8, 3), date(2026, 8, 20)),
        ("the deadline is friday", MONDAY, date(2026, 3, 6)),  # a weekday said of the deadline is one
        ("o dia 15 é sábado, melhor dia 14", date(2026, 8, 3), date(2026, 8, 14)),
        ("end of the week", date(2026, 3, 7), date(2026, 3, 13)),  # on a Saturday
    ],
)
def test_weekday_conventions(text: str, today: date, expected: date) -> None:
    assert find_deadline(text, today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ASAP",
        "asap pls",
        "no rush",
        "sometime next month",
        "whenever you can",
        "31 February",
        "31.02.2026",
        "30/02",
        "500 flyers",
        "30s",
        "a 30s spot",
        "1080x1080",
        "16:9 and 4:5",
        "24/7 support",
        "1/2 page ad",
        "18/1 format",
        "Black Friday deal",
        "approved by Jane",
        "A4, 20 copies",
        "version 2",
        "",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_deadline(text, MONDAY) is None


def test_yearless_dates_roll_forward_and_dated_ones_stay() -> None:
    assert find_deadline("March 1", MONDAY) == date(2027, 3, 1)
    assert find_deadline("by 2/27", MONDAY) == date(2027, 2, 27)
    assert find_deadline("2025-12-01", MONDAY) == date(2025, 12, 1)
    assert find_deadline("29 February", MONDAY) == date(2028, 2, 29)


def test_year_end_rollover() -> None:
    today = date(2026, 12, 28)
    assert find_deadline("January 5", today) == date(2027, 1, 5)
    assert find_deadline("end of next week", today) == date(2027, 1, 8)
    assert find_deadline("in 2 weeks", today) == date(2027, 1, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'll send the copy tomorrow. due 3/25", date(2026, 3, 25)),
        ("I can share copy by Thursday. Need the email by March 25.", date(2026, 3, 25)),
        ("launch is April 10, need the assets by March 27", date(2026, 3, 27)),
        ("webinar on 19 March, pour le 12 mars svp", date(2026, 3, 12)),
        ("Friday is the deadline, the event is on the 20th", date(2026, 3, 6)),
        ("the show is March 20, the launch March 17", date(2026, 3, 17)),  # no cue: the earliest
        ("Needs to go out Monday, it's for next week", date(2026, 3, 9)),
    ],
)
def test_the_strongest_deadline_cue_wins(text: str, expected: date) -> None:
    assert find_deadline(text, MONDAY) == expected


def test_links_are_not_dates() -> None:
    assert find_deadline("see https://acme.com/2026-03-25/spring and www.acme.com/3/13", MONDAY) is None


def test_long_tail_goes_to_dateparser_only_after_a_cue() -> None:
    assert find_deadline("due 25/Mar/2026", MONDAY) == date(2026, 3, 25)
    assert find_deadline("25/Mar/2026", MONDAY) is None


def test_find_dates_reports_spans_and_strength() -> None:
    text = "copy tomorrow, deadline Friday"
    mentions = find_dates(text, MONDAY)
    assert [(text[m.start : m.end], m.value, m.strength) for m in mentions] == [
        ("tomorrow", date(2026, 3, 3), 0),
        ("Friday", date(2026, 3, 6), 2),
    ]


def test_parse_date_reads_bare_answers() -> None:
    assert parse_date("the 12th", MONDAY) == date(2026, 3, 12)
    assert parse_date("next friday pls", MONDAY) == date(2026, 3, 13)


@pytest.mark.parametrize("text", ["Präsentation", "İstanbul", "ﬁnal", "MAÑANA", "Ça", "straße", "“quoted”"])
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 1)))
def test_never_crashes(text: str, today: date) -> None:
    result = find_deadline(text, today)
    assert result is None or isinstance(result, date)
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 janvier", date(2027, 1, 15)),
        ("15. Januar", date(2027, 1, 15)),
        ("15 de enero", date(2027, 1, 15)),
        ("15 de janeiro", date(2027, 1, 15)),
        ("até 20 de março", date(2026, 3, 20)),
        ("prazo: 3 de abril", date(2026, 4, 3)),
        ("para sexta-feira", date(2026, 3, 6)),
        ("amanhã", date(2026, 3, 3)),
        ("mid January", date(2027, 1, 15)),
        ("before the 15th", date(2026, 3, 15)),
        ("EOW", date(2026, 3, 6)),
        ("nxt fri", date(2026, 3, 13)),
        ("fim do mês", date(2026, 3, 31)),
        ("próxima semana", date(2026, 3, 13)),
    ],
)
def test_five_languages_and_spoken_dates(text: str, expected: date) -> None:
    assert find_deadline(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "kind", "suggestion"),
    [
        ("asap", "asap", None),
        ("o mais rápido possível", "asap", None),
        ("urgent, as soon as possible", "asap", None),
        ("whenever", "flexible", None),
        ("Q2", "period", date(2026, 4, 1)),
        ("in Q1", "period", date(2026, 3, 31)),
        ("next month", "period", date(2026, 4, 1)),
        ("el mes que viene", "period", date(2026, 4, 1)),
        ("no próximo mês", "period", date(2026, 4, 1)),
        ("sometime in April", "period", date(2026, 4, 1)),
    ],
)
def test_vague_deadlines(text: str, kind: str, suggestion: date | None) -> None:
    assert find_deadline(text, MONDAY) is None
    note = vague_deadline(text, MONDAY)
    assert note is not None and (note.kind, note.suggestion) == (kind, suggestion)


@pytest.mark.parametrize(
    ("deadline", "friday"),
    [(date(2026, 3, 7), date(2026, 3, 6)), (date(2026, 3, 8), date(2026, 3, 6)), (date(2026, 3, 6), None)],
)
def test_weekend_deadlines_offer_the_friday_before(deadline: date, friday: date | None) -> None:
    note = weekend_note(deadline)
    assert (note.suggestion if note else None) == friday


@pytest.mark.parametrize("text", ["the 15th", "Friday", "in 2 weeks", "a nice poster", "no deadline"])
def test_no_vague_note_for_dates_or_other_text(text: str) -> None:
    assert vague_deadline(text, MONDAY) is None
