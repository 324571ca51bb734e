"""Date patterns and their resolvers: each regex with the function that turns its match into a date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.analysis.date_words import (
    BUSINESS,
    BUSINESS_AFTER,
    DAY,
    MONTH,
    MONTHS,
    NEXT,
    NUM,
    NUMBER_WORDS,
    ORD,
    THIS,
    UNIT,
    UNITS,
    WEEKDAY,
    WEEKDAY_ABBR,
    WEEKDAYS,
    YEAR,
    alternation,
)
from bot.platform.calendar import add_workdays

# --- resolution helpers --------------------------------------------------------------------------


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _roll(month: int, day: int, today: date) -> date | None:
    """The next occurrence of month/day on or after today (None when the day never exists)."""
    for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        if candidate is None and not (month == 2 and day == 29):
            return None
    return None


def _next_day_of_month(day: int, today: date) -> date | None:
    """The next date on or after today whose day of month is ``day``."""
    year, month = today.year, today.month
    for _ in range(13):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _week_start(today: date, weeks_ahead: int = 0) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def _this_friday(today: date) -> date:
    friday = _week_start(today) + timedelta(days=4)
    return friday if friday >= today else friday + timedelta(weeks=1)


def _next_weekday(weekday: int, today: date) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


# --- patterns: (regex, resolver(match, today) -> date | None), tried in order; matches never overlap

Resolver = Callable[[re.Match[str], date], date | None]


def _r_iso(m: re.Match[str], _today: date) -> date | None:
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))


def _r_day_month(m: re.Match[str], today: date) -> date | None:
    month, day = MONTHS[m["month"]], int(m["day"])
    if m["year"]:
        return _safe_date(int(m["year"]), month, day)
    return _roll(month, day, today)


def _r_mid_month(m: re.Match[str], today: date) -> date | None:
    return _roll(MONTHS[m["month"]], 15, today)


def _r_end_of_named_month(m: re.Match[str], today: date) -> date | None:
    month = MONTHS[m["month"]]
    year = today.year if month >= today.month else today.year + 1
    return _month_end(year, month)


def _r_day_next_month(m: re.Match[str], today: date) -> date | None:
    ahead = _add_months(today.replace(day=1), 1)
    return _safe_date(ahead.year, ahead.month, int(m["day"]))


def _r_weekday_day(m: re.Match[str], today: date) -> date | None:
    """``Friday the 19th``: the next 19th that is a Friday (within a year), else the next 19th."""
    day, weekday = int(m["day"]), _weekday_of(m)
    first = candidate = _next_day_of_month(day, today)
    for _ in range(12):
        if candidate is None or candidate.weekday() == weekday:
            return candidate or first
        candidate = _next_day_of_month(day, candidate + timedelta(days=1))
    return first


def _r_dotted(m: re.Match[str], today: date) -> date | None:
    day, month = int(m["d"]), int(m["m"])
    if m["y"]:
        year = int(m["y"])
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    return _roll(month, day, today)


def _r_slashed(m: re.Match[str], today: date) -> date | None:
    first, second = int(m["a"]), int(m["b"])
    month, day = (second, first) if first > 12 else (first, second)
    if m["y"]:
        year = int(m["y"])
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    return _roll(month, day, today)


def _r_today(_m: re.Match[str], today: date) -> date | None:
    return today


def _r_after_tomorrow(_m: re.Match[str], today: date) -> date | None:
    return today + timedelta(days=2)


def _r_tomorrow(_m: re.Match[str], today: date) -> date | None:
    return today + timedelta(days=1)


def _r_end_next_week(_m: re.Match[str], today: date) -> date | None:
    return _week_start(today, 1) + timedelta(days=4)


def _r_start_next_week(_m: re.Match[str], today: date) -> date | None:
    return _week_start(today, 1)


def _r_mid_next_week(_m: re.Match[str], today: date) -> date | None:
    return _week_start(today, 1) + timedelta(days=2)


def _r_end_of_week(_m: re.Match[str], today: date) -> date | None:
    return _this_friday(today)


def _r_end_of_month(_m: re.Match[str], today: date) -> date | None:
    return _month_end(today.year, today.month)


def _r_end_next_month(_m: re.Match[str], today: date) -> date | None:
    ahead = _add_months(today.replace(day=1), 1)
    return _month_end(ahead.year, ahead.month)


def _r_end_of_year(_m: re.Match[str], today: date) -> date | None:
    return date(today.year, 12, 31)


def _r_quarter(m: re.Match[str], today: date) -> date | None:
    named = m["q"] or m["q2"]
    quarter = int(named) if named else (today.month - 1) // 3 + 1
    end = _month_end(today.year, quarter * 3)
    return end if end >= today else _month_end(today.year + 1, quarter * 3)


def _r_offset(m: re.Match[str], today: date) -> date | None:
    amount = _number(m["num"]) if m["num"] else 1
    if amount is None or amount > 400:
        return None
    unit = UNITS[m["unit"]]
    if unit == "bday" or m["business"] or m.groupdict().get("business2"):
        days = amount * {"day": 1, "bday": 1, "week": 5, "fortnight": 10, "month": 21}[unit]
        return add_workdays(today, days)
    if unit == "month":
        return _add_months(today, amount)
    return today + timedelta(days=amount * {"day": 1, "week": 7, "fortnight": 14}[unit])


def _r_next_weekday(m: re.Match[str], today: date) -> date | None:
    return _week_start(today, 1) + timedelta(days=_weekday_of(m))


def _r_this_weekday(m: re.Match[str], today: date) -> date | None:
    candidate = _week_start(today) + timedelta(days=_weekday_of(m))
    return candidate if candidate >= today else _next_weekday(_weekday_of(m), today)


def _r_weekday(m: re.Match[str], today: date) -> date | None:
    return _next_weekday(_weekday_of(m), today)


def _r_ordinal(m: re.Match[str], today: date) -> date | None:
    return _next_day_of_month(int(m["day"]), today)


def _weekday_of(m: re.Match[str]) -> int:
    name = m["weekday"]
    return WEEKDAYS[name] if name in WEEKDAYS else WEEKDAY_ABBR[name]


_CUE_BEFORE = r"(?:by|due|until|till|til|before|on|deadline:?|eta:?)"
_ABBR = rf"(?P<weekday>{alternation(WEEKDAY_ABBR)})\.?"
_NOT_ORDINAL_NOUN = (
    r"(?!\s+(?:anniversary|edition|birthday|floor|place|time|times|century|row|grade|year|"
    r"version|round|attempt|slide|page|item|episode|issue|annual|street|st|avenue|draft|"
    r"party|position|rank|gen|generation|percentile|element|step|week|quarter|half)\b)"
)
_NOT_MEASURE = r"(?!\s*(?:x\b|%|[:.,]?\d|k\b|px|cm|mm|copies|flyers|slides|pages))"
_NOT_HOLIDAY = r"(?<!black )(?<!cyber )(?<!good )"
#: "last Friday", "letzten Freitag", "vendredi dernier", "el viernes pasado" are past days, not deadlines.
_NOT_PAST_BEFORE = r"(?<!last )(?<!past )(?<!letzten )(?<!letzter )"
#: "the 15th is a Saturday", "el 15 es sábado", "der 15. ist ein Samstag": a weekday said of a date is no date.
_NOT_SAID_OF = (
    r"(?<!\d es )(?<!\d cae en )(?<!\d is a )(?<!\dth is a )(?<!\dst is a )(?<!\dnd is a )(?<!\drd is a )"
    r"(?<!\d\. ist ein )(?<!\d ist ein )(?<!\d est un )(?<!\d e )(?<!\d cai num )(?<!\d cai no )(?<!\d e um )"
)
#: A weekday, named in full or abbreviated, before the date it qualifies ("sat june 20").
_ANY_WEEKDAY = rf"(?:{alternation(WEEKDAYS)}|{alternation(WEEKDAY_ABBR)}\.?)"
_NOT_PAST_AFTER = r"(?!\s+(?:dernier|pasado)\b)"

PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(p), r)
    for p, r in (
        (r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])", _r_iso),
        (
            rf"\b(?:{_ANY_WEEKDAY},?\s+)?(?:the\s+)?{DAY}{ORD}\s*(?:of\s+|de\s+|-\s*)?{MONTH}\b"
            rf"(?:,?\s*(?:de\s+)?{YEAR}\b)?",
            _r_day_month,
        ),
        (
            rf"\b(?:{_ANY_WEEKDAY},?\s+)?{MONTH}\s+(?:the\s+)?{DAY}(?:st|nd|rd|th)?\b(?:,?\s*{YEAR}\b)?"
            rf"{_NOT_MEASURE}",
            _r_day_month,
        ),
        (rf"\b(?:mid|middle of|mitte|mediados de|mi)[- ]?{MONTH}\b", _r_mid_month),
        (rf"\b(?:end of|ende|fin de|finales de|fin)\s+{MONTH}\b", _r_end_of_named_month),
        (
            rf"\b{WEEKDAY},?\s+(?:the\s+)?{DAY}(?:(?:st|nd|rd|th|\.)(?!\d)|(?=\s*(?:[,;!?)]|\.(?!\d)|$)))",
            _r_weekday_day,
        ),
        (rf"\b(?:the\s+)?{DAY}(?:st|nd|rd|th)?\s+of next month\b", _r_day_next_month),
        (r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?:(?P<y>(?:19|20)?\d\d)\b)?(?![\d])", _r_dotted),
        (
            r"(?<![\d/])(?!24/7\b)(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?:/(?P<y>(?:19|20)?\d\d))?(?![\d/])"
            r"(?!\s*(?:page|format|split|view|scale|of)\b)",
            _r_slashed,
        ),
        (
            rf"\b(?:in|within|dentro de|en|dans|sous|d'ici|innerhalb von|innerhalb)\s+{NUM}\s+{BUSINESS}"
            rf"{UNIT}{BUSINESS_AFTER}(?:'s)?\b",
            _r_offset,
        ),
        (rf"\b{NUM}\s+{BUSINESS}{UNIT}{BUSINESS_AFTER}\s+(?:from (?:now|today)|out)\b", _r_offset),
        (
            r"\b(?:the\s+)?day after tomorrow\b|\bubermorgen\b|\bpasado manana\b|\bapres[- ]demain\b"
            r"|\bdepois de amanha\b",
            _r_after_tomorrow,
        ),
        (
            r"\b(?:today|tonight|eod|end of (?:the )?day|cob|close of business|heute|hoy|aujourd'?hui|hoje)\b"
            rf"(?!\s+(?:{alternation(WEEKDAYS)}|tomorrow))",
            _r_today,
        ),
        (
            r"\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|demain|amanha)\b|(?<!guten )(?<!am )\bmorgen\b"
            r"|(?<!la )(?<!las )\bmanana\b",
            _r_tomorrow,
        ),
        (rf"\b(?:el\s+|le\s+)?{NEXT}\s+{WEEKDAY}\b", _r_next_weekday),
        (rf"\b{NEXT}\s+{_ABBR}(?![a-z])", _r_next_weekday),
        (rf"\b{WEEKDAY}\s+(?:next week|{NEXT}|que viene)\b", _r_next_weekday),
        (rf"\b{THIS}\s+{WEEKDAY}\b", _r_this_weekday),
        (
            r"\b(?:end of (?:the )?next week|ende (?:der )?nachste[nr]? woche|fin de la semaine prochaine"
            r"|(?:fin|finales) de la (?:proxima semana|semana que viene))\b",
            _r_end_next_week,
        ),
        (
            rf"\b(?:(?:early|beginning of|start of|by|before|bis|vor|avant|antes de)\s+(?:the\s+)?{NEXT} week"
            r"|anfang (?:der )?nachste[nr]? woche|debut de la semaine prochaine)\b",
            _r_start_next_week,
        ),
        (rf"\b(?:mid[- ]?{NEXT} week|mitte (?:der )?nachste[nr]? woche)\b", _r_mid_next_week),
        (
            rf"\b(?:{NEXT} week|nachste[nr]? woche|la semaine prochaine|semaine prochaine|(?:la )?proxima semana"
            r"|la semana que viene|semana que vem)\b",
            _r_end_next_week,
        ),
        (
            r"\b(?:end of (?:the |this )?week|eow|ende (?:der|dieser) woche|fin de (?:la )?semaine"
            r"|this week|diese woche|cette semaine|esta semana|fim da semana)\b",
            _r_end_of_week,
        ),
        (
            r"\b(?:end of (?:the )?next month|ende (?:des )?nachsten monats|fin du mois prochain"
            r"|fin del mes que viene|fin del proximo mes)\b",
            _r_end_next_month,
        ),
        (
            r"\b(?:end of (?:the |this )?month|eom|month[- ]end|ende (?:des|dieses) monats|monatsende"
            r"|fin (?:de|del) mes|finales de mes|fin du mois|fin de mois|fim do mes|final do mes)\b",
            _r_end_of_month,
        ),
        (
            r"\b(?:end of (?:the |this )?year|eoy|year[- ]end|jahresende|ende des jahres|fin de ano"
            r"|fin d'annee|fin de l'annee)\b",
            _r_end_of_year,
        ),
        (r"\b(?:end of (?:the )?q(?P<q>[1-4])|q(?P<q2>[1-4])[- ]end|end of (?:the |this )?quarter|eoq)\b", _r_quarter),
        (rf"{_NOT_HOLIDAY}{_NOT_PAST_BEFORE}{_NOT_SAID_OF}\b{WEEKDAY}\b{_NOT_PAST_AFTER}", _r_weekday),
        (rf"\b{_CUE_BEFORE}\s+(?P<date>{_ABBR})(?![a-z])", _r_weekday),
        (rf"\b(?:the\s+)?{DAY}(?:st|nd|rd|th)\b{_NOT_ORDINAL_NOUN}", _r_ordinal),
        (
            rf"\b(?:pour|avant|d'ici|jusqu'au|para|antes del|hasta|bis zum|bis|am|zum|mejor|plutot|melhor|lieber)"
            r"\s+(?:le\s+|el\s+|o\s+|dia\s+|den\s+|am\s+)?"
            rf"(?P<date>{DAY}(?:\.|er|e)?)(?![\d.,:/x%])"
            r"(?!\s*(?:h\b|uhr|am|pm|copies|flyers|dias|jours|tage|slides))",
            _r_ordinal,
        ),
        (  # "mejor el 27", "mach den 12.", "muda para dia 16": a day alone at the end of what is said
            rf"\b(?:el|le|den|dia|o dia)\s+(?P<date>{DAY})(?:\.|er|e)?(?=\s*(?:[,.!?;)]|$))",
            _r_ordinal,
        ),
    )
]
