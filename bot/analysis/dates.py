"""Deadline expressions in requester text (English, Spanish, German, French), resolved to dates.

``today`` is always the requester's local date; callers resolve time zones.

Conventions (documented because several are ambiguous in real chat):

- Numeric dates: ``2026-03-25`` (ISO, also with / or .); ``25.03.2026`` / ``25.03.`` are day.month; slashed dates are
  US month/day (``3/13``, ``4/5`` = 5 April) unless the first number is over 12 (``13/3`` = 13 March).
  ``24/7``, ``1/2 page`` and ``18/1 format`` are not dates.
- A date without a year (``March 27``, ``27 mars``, ``the 12th``) is its next occurrence on or after
  today; a date with a year is returned as stated, even in the past (the conversation warns).
- A bare weekday (``Friday``, ``by Fri``, ``bis Freitag``) is its next occurrence after today (never
  today). ``this Friday`` is this week's Friday (today included) or else the next one. ``next Friday``,
  ``Friday next week``, ``nächsten Freitag``, ``vendredi prochain`` are the Friday of the following
  calendar week (weeks start on Monday). ``Monday 9th`` / ``Thursday the 12th`` use the day of month.
- ``end of (the) week`` / ``EOW`` / ``this week``: this week's Friday (the coming Friday at weekends);
  ``end of next week`` and ``next week``: next week's Friday; ``by/before next week`` and
  ``early next week``: next week's Monday.
- ``end of (the) month`` / ``EOM``: last day of this month; ``end of April``: last day of April;
  ``mid-April``: 15 April; ``end of Q2``: 30 June; ``end of (the) year``: 31 December.
- ``in 10 days``, ``in 3 weeks``, ``2 weeks from now``, ``within a fortnight``, ``in 2 months``: calendar
  arithmetic; ``in 2 business/working days``: Monday–Friday business days.
- ``today``/``EOD``, ``tomorrow``, ``the day after tomorrow`` and their es/de/fr equivalents.
- Not dates: ``ASAP``, ``no rush``, ``next month``, ``sometime in spring``, ``last Friday``; impossible
  dates (``31 February``, ``Feb 31st``) are ignored, never re-read as another date.
- Several dates: the one introduced by the strongest deadline cue wins (``deadline``, ``due``,
  ``needed by``, ``ETA``, ``bis``, ``para el``, ``pour le``… beat a plain ``by``/``before``/``launch``,
  which beat no cue); among equals, the earliest date.
- The long tail after an explicit cue ("due sept. the third") goes to ``dateparser``, on that short
  window only, restricted to en/es/de/fr and never for bare numbers or durations.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.platform.calendar import add_workdays

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "„": '"', "«": '"',
                         "»": '"', "–": "-", "\u00a0": " ", "\u202f": " "})


def fold(text: str) -> str:
    """Lower-case, accent-free, quote-normalised text of exactly the same length (spans map back)."""
    out = []
    for char in text.translate(_QUOTES):
        low = char.lower()
        char = low if len(low) == 1 else char
        bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(bare if len(bare) == 1 else char)
    return "".join(out)


# --- vocabulary (folded) -------------------------------------------------------------------------

def _numbered(groups: tuple[str, ...], start: int) -> dict[str, int]:
    """Folded name -> number, from space-separated synonyms per number."""
    return {fold(name): number for number, names in enumerate(groups, start=start) for name in names.split()}


_MONTHS = _numbered((
    "january jan januar jänner janner enero ene janvier janv",
    "february feb februar febrero fevrier fevr",
    "march mar marz maerz marzo mars",
    "april apr abril avril avr",
    "may mai mayo",
    "june jun juni junio juin",
    "july jul juli julio juillet juil",
    "august aug agosto aout",
    "september sep sept septiembre setiembre septembre",
    "october oct oktober okt octubre octobre",
    "november nov noviembre novembre",
    "december dec dezember dez diciembre dic decembre"), start=1)
_WEEKDAYS = _numbered((
    "monday montag lunes lundi", "tuesday dienstag martes mardi",
    "wednesday mittwoch miercoles mercredi", "thursday donnerstag jueves jeudi",
    "friday freitag viernes vendredi", "saturday samstag sabado samedi",
    "sunday sonntag domingo dimanche"), start=0)
#: Abbreviations that are also ordinary words; accepted only right after a cue ("by wed").
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
                 "sat": 5, "sun": 6}

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "a couple of": 2,
    "ein": 1, "eine": 1, "einer": 1, "einem": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10,
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
}
_UNITS = {
    "day": "day", "days": "day", "tag": "day", "tage": "day", "tagen": "day", "dia": "day",
    "dias": "day", "jour": "day", "jours": "day",
    "week": "week", "weeks": "week", "wk": "week", "wks": "week", "woche": "week", "wochen": "week",
    "semana": "week", "semanas": "week", "semaine": "week", "semaines": "week",
    "fortnight": "fortnight",
    "month": "month", "months": "month", "monat": "month", "monate": "month", "monaten": "month",
    "mes": "month", "meses": "month", "mois": "month",
    "werktag": "bday", "werktage": "bday", "werktagen": "bday", "arbeitstag": "bday",
    "arbeitstage": "bday", "arbeitstagen": "bday",
}


def _alternation(words: Any) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH = rf"(?P<month>{_alternation(_MONTHS)})\.?"
_WEEKDAY = rf"(?P<weekday>{_alternation(_WEEKDAYS)})"
_DAY = r"(?P<day>[0-3]?\d)"
_ORD = r"(?:st|nd|rd|th|er|eme|e|o|º|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUM = rf"(?P<num>\d{{1,3}}|{_alternation(_NUMBER_WORDS)})"
_UNIT = rf"(?P<unit>{_alternation(_UNITS)})"
_BUSINESS = r"(?P<business>business |working |work |biz |habiles |laborables |ouvres |ouvrables )?"
_BUSINESS_AFTER = r"(?:\s+(?P<business2>habiles|laborables|ouvres|ouvrables))?"
_NEXT = r"(?:next|nachsten|nachste|nachster|nachstes|proximo|proxima|prochain|prochaine)"
_THIS = r"(?:this|this coming|coming|diesen|dieser|diese|este|esta|ce|cette)"
_URL = re.compile(r"<?(?:https?://|www\.)\S+", re.I)


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
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


# --- patterns: (regex, resolver(match, today) -> date | None), tried in order; matches never overlap

Resolver = Callable[[re.Match[str], date], date | None]


def _r_iso(m: re.Match[str], today: date) -> date | None:
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))


def _r_day_month(m: re.Match[str], today: date) -> date | None:
    month, day = _MONTHS[m["month"]], int(m["day"])
    if m["year"]:
        return _safe_date(int(m["year"]), month, day)
    return _roll(month, day, today)


def _r_mid_month(m: re.Match[str], today: date) -> date | None:
    return _roll(_MONTHS[m["month"]], 15, today)


def _r_end_of_named_month(m: re.Match[str], today: date) -> date | None:
    month = _MONTHS[m["month"]]
    year = today.year if month >= today.month else today.year + 1
    return _month_end(year, month)


def _r_day_next_month(m: re.Match[str], today: date) -> date | None:
    ahead = _add_months(today.replace(day=1), 1)
    return _safe_date(ahead.year, ahead.month, int(m["day"]))


def _r_weekday_day(m: re.Match[str], today: date) -> date | None:
    return _next_day_of_month(int(m["day"]), today)


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


def _r_today(m: re.Match[str], today: date) -> date | None:
    return today


def _r_after_tomorrow(m: re.Match[str], today: date) -> date | None:
    return today + timedelta(days=2)


def _r_tomorrow(m: re.Match[str], today: date) -> date | None:
    return today + timedelta(days=1)


def _r_end_next_week(m: re.Match[str], today: date) -> date | None:
    return _week_start(today, 1) + timedelta(days=4)


def _r_start_next_week(m: re.Match[str], today: date) -> date | None:
    return _week_start(today, 1)


def _r_mid_next_week(m: re.Match[str], today: date) -> date | None:
    return _week_start(today, 1) + timedelta(days=2)


def _r_end_of_week(m: re.Match[str], today: date) -> date | None:
    return _this_friday(today)


def _r_end_of_month(m: re.Match[str], today: date) -> date | None:
    return _month_end(today.year, today.month)


def _r_end_next_month(m: re.Match[str], today: date) -> date | None:
    ahead = _add_months(today.replace(day=1), 1)
    return _month_end(ahead.year, ahead.month)


def _r_end_of_year(m: re.Match[str], today: date) -> date | None:
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
    unit = _UNITS[m["unit"]]
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
    return _WEEKDAYS[name] if name in _WEEKDAYS else _WEEKDAY_ABBR[name]


_CUE_BEFORE = r"(?:by|due|until|till|til|before|on|deadline:?|eta:?)"
_ABBR = rf"(?P<weekday>{_alternation(_WEEKDAY_ABBR)})\.?"
_NOT_ORDINAL_NOUN = (r"(?!\s+(?:anniversary|edition|birthday|floor|place|time|times|century|row|grade|year|"
                     r"version|round|attempt|slide|page|item|episode|issue|annual|street|st|avenue|draft|"
                     r"party|position|rank|gen|generation|percentile|element|step|week|quarter|half)\b)")
_NOT_MEASURE = r"(?!\s*(?:x\b|%|[:.,]?\d|k\b|px|cm|mm|copies|flyers|slides|pages))"
_NOT_HOLIDAY = r"(?<!black )(?<!cyber )(?<!good )"
#: "last Friday", "letzten Freitag", "vendredi dernier", "el viernes pasado" are past days, not deadlines.
_NOT_PAST_BEFORE = r"(?<!last )(?<!past )(?<!letzten )(?<!letzter )"
_NOT_PAST_AFTER = r"(?!\s+(?:dernier|pasado)\b)"

_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [(re.compile(p), r) for p, r in (
    (r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])", _r_iso),
    (rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}{_ORD}\s*(?:of\s+|de\s+|-\s*)?{_MONTH}\b"
     rf"(?:,?\s*(?:de\s+)?{_YEAR}\b)?", _r_day_month),
    (rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+(?:the\s+)?{_DAY}(?:st|nd|rd|th)?\b(?:,?\s*{_YEAR}\b)?"
     rf"{_NOT_MEASURE}", _r_day_month),
    (rf"\b(?:mid|middle of|mitte|mediados de|mi)[- ]?{_MONTH}\b", _r_mid_month),
    (rf"\b(?:end of|ende|fin de|finales de|fin)\s+{_MONTH}\b", _r_end_of_named_month),
    (rf"\b{_WEEKDAY},?\s+(?:the\s+)?{_DAY}(?:(?:st|nd|rd|th|\.)(?!\d)|(?=\s*(?:[,;!?)]|\.(?!\d)|$)))",
     _r_weekday_day),
    (rf"\b(?:the\s+)?{_DAY}(?:st|nd|rd|th)?\s+of next month\b", _r_day_next_month),
    (r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?:(?P<y>(?:19|20)?\d\d)\b)?(?![\d])", _r_dotted),
    (r"(?<![\d/])(?!24/7\b)(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?:/(?P<y>(?:19|20)?\d\d))?(?![\d/])"
     r"(?!\s*(?:page|format|split|view|scale|of)\b)", _r_slashed),
    (rf"\b(?:in|within|dentro de|en|dans|sous|d'ici|innerhalb von|innerhalb)\s+{_NUM}\s+{_BUSINESS}"
     rf"{_UNIT}{_BUSINESS_AFTER}(?:'s)?\b", _r_offset),
    (rf"\b{_NUM}\s+{_BUSINESS}{_UNIT}{_BUSINESS_AFTER}\s+(?:from (?:now|today)|out)\b", _r_offset),
    (r"\b(?:the\s+)?day after tomorrow\b|\bubermorgen\b|\bpasado manana\b|\bapres[- ]demain\b",
     _r_after_tomorrow),
    (r"\b(?:today|tonight|eod|end of (?:the )?day|cob|close of business|heute|hoy|aujourd'?hui)\b"
     rf"(?!\s+(?:{_alternation(_WEEKDAYS)}|tomorrow))", _r_today),
    (r"\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|demain)\b|(?<!guten )(?<!am )\bmorgen\b"
     r"|(?<!la )(?<!las )\bmanana\b", _r_tomorrow),
    (rf"\b(?:el\s+|le\s+)?{_NEXT}\s+{_WEEKDAY}\b", _r_next_weekday),
    (rf"\b{_WEEKDAY}\s+(?:next week|{_NEXT}|que viene)\b", _r_next_weekday),
    (rf"\b{_THIS}\s+{_WEEKDAY}\b", _r_this_weekday),
    (r"\b(?:end of (?:the )?next week|ende (?:der )?nachste[nr]? woche|fin de la semaine prochaine"
     r"|(?:fin|finales) de la (?:proxima semana|semana que viene))\b", _r_end_next_week),
    (rf"\b(?:(?:early|beginning of|start of|by|before|bis|vor|avant|antes de)\s+(?:the\s+)?{_NEXT} week"
     r"|anfang (?:der )?nachste[nr]? woche|debut de la semaine prochaine)\b", _r_start_next_week),
    (rf"\b(?:mid[- ]?{_NEXT} week|mitte (?:der )?nachste[nr]? woche)\b", _r_mid_next_week),
    (rf"\b(?:{_NEXT} week|nachste[nr]? woche|la semaine prochaine|semaine prochaine|la proxima semana"
     r"|la semana que viene)\b", _r_end_next_week),
    (r"\b(?:end of (?:the |this )?week|eow|ende (?:der|dieser) woche|fin de (?:la )?semaine"
     r"|this week|diese woche|cette semaine|esta semana)\b", _r_end_of_week),
    (r"\b(?:end of (?:the )?next month|ende (?:des )?nachsten monats|fin du mois prochain"
     r"|fin del mes que viene|fin del proximo mes)\b", _r_end_next_month),
    (r"\b(?:end of (?:the |this )?month|eom|month[- ]end|ende (?:des|dieses) monats|monatsende"
     r"|fin (?:de|del) mes|finales de mes|fin du mois|fin de mois)\b", _r_end_of_month),
    (r"\b(?:end of (?:the |this )?year|eoy|year[- ]end|jahresende|ende des jahres|fin de ano"
     r"|fin d'annee|fin de l'annee)\b", _r_end_of_year),
    (r"\b(?:end of (?:the )?q(?P<q>[1-4])|q(?P<q2>[1-4])[- ]end|end of (?:the |this )?quarter|eoq)\b",
     _r_quarter),
    (rf"{_NOT_HOLIDAY}{_NOT_PAST_BEFORE}\b{_WEEKDAY}\b{_NOT_PAST_AFTER}", _r_weekday),
    (rf"\b{_CUE_BEFORE}\s+(?P<date>{_ABBR})(?![a-z])", _r_weekday),
    (rf"\b(?:the\s+)?{_DAY}(?:st|nd|rd|th)\b{_NOT_ORDINAL_NOUN}", _r_ordinal),
    (rf"\b(?:pour|avant|d'ici|jusqu'au|para|antes del|hasta|bis zum|bis|am)\s+(?:le\s+|el\s+)?"
     rf"(?P<date>{_DAY}(?:\.|er|e)?)(?![\d.,:/x%])"
     r"(?!\s*(?:h\b|uhr|am|pm|copies|flyers|dias|jours|tage|slides))", _r_ordinal),
)]

# --- cue strength --------------------------------------------------------------------------------

_STRONG_BEFORE = re.compile(
    r"(?:\b(?:deadline|due(?: date)?|eta|no later than|latest|fallig|spatestens|abgabe|bis(?: zum| spatestens)?"
    r"|para(?: el)?|fecha (?:limite|de entrega)|entrega|pour(?: le)?|d'ici(?: le)?|echeance|date limite"
    r"|go(?:es)? live|live on)\b[\s:,-]*(?:is\s+|on\s+|by\s+|the\s+|el\s+|le\s+|am\s+)*"
    r"|\bneed(?:ed|s)?\b[^.!?\n]{0,40}\b(?:by|on|for|before|until)\s+(?:the\s+)?"
    r"|\b(?:go(?:es)?|send|sent|ship|ships|goes) (?:out|live)\s+(?:on\s+|by\s+)?)$")
_MEDIUM_BEFORE = re.compile(
    r"\b(?:by|before|until|till|til|antes(?: de| del)?|avant(?: le)?|hasta(?: el)?|vor|launch\w*(?: on)?"
    r"|release\w*(?: on)?|on|for)\s+(?:the\s+)?$")
_STRONG_AFTER = re.compile(r"^\s*(?:is\s+)?(?:the\s+)?(?:deadline|at the latest|latest|max)\b")
_CLAUSE_BREAK = re.compile(r"[.!?;\n]")


def _cue_strength(folded: str, start: int, end: int) -> int:
    """2 for a deadline cue (due, deadline, needed by, bis…), 1 for by/before/launch…, 0 otherwise."""
    window = folded[max(0, start - 60):start]
    window = _CLAUSE_BREAK.split(window)[-1]
    if _STRONG_BEFORE.search(window) or _STRONG_AFTER.match(folded[end:end + 20]):
        return 2
    return 1 if _MEDIUM_BEFORE.search(window) else 0


# --- public API ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateMention:
    """One date expression found in a text: where, what it resolves to, and how strongly it is a deadline."""

    start: int
    end: int
    value: date
    strength: int


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date expression in ``text`` (links ignored), in order of appearance."""
    folded = _mask(fold(text), [m.span() for m in _URL.finditer(text)])
    working = folded
    found: list[DateMention] = []
    for pattern, resolve in _PATTERNS:
        spans = []
        for match in pattern.finditer(working):
            spans.append(match.span())  # an impossible date ("Feb 31st") is consumed too, never re-read as "the 31st"
            value = resolve(match, today)
            if value is None:
                continue
            start, end = match.span("date") if "date" in pattern.groupindex else match.span()
            found.append(DateMention(start, end, value, _cue_strength(folded, start, end)))
        working = _mask(working, spans)
    return sorted(found, key=lambda d: d.start)


def find_deadline(text: str, today: date) -> date | None:
    """The deadline a text states, or None (``ASAP`` and vague phrases are not dates)."""
    mentions = find_dates(text, today)
    if not mentions:
        return _long_tail(fold(text), today)
    best = max(d.strength for d in mentions)
    return min(d.value for d in mentions if d.strength == best)


def parse_date(text: str, today: date) -> date | None:
    """A date from a bare answer or an ops command ("the 12th", "next Friday"); same rules as deadlines."""
    return find_deadline(text, today)


# --- long tail: dateparser on the short window after an explicit deadline cue --------------------

_TAIL_CUE = re.compile(r"\b(?:deadline|due|by|until|before|bis|para el|pour le|avant le|antes del)\b[:\s]+"
                       r"(?P<window>[^.!?;,\n]{3,40})")
_TAIL_REJECT = re.compile(r"^\W*(?:\d+\s*(?:s|sec\w*|min\w*|h|hours?|x\b)|asap|next (?:month|year)|"
                          r"this (?:month|year)|[\d\s.,:/x%-]+$)")
_TAIL_HINT = re.compile(r"\d|\b(?:first|second|third|fourth|fifth|last|fortnight|"
                        rf"{_alternation(_MONTHS)})\b")
_DATEPARSER_SETTINGS = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False,
                        "TIMEZONE": "UTC", "REQUIRE_PARTS": ["day", "month"],
                        "PARSERS": ["absolute-time", "relative-time"]}


def _long_tail(folded: str, today: date) -> date | None:
    """Ask dateparser about the few words after a deadline cue, when they look like a date at all."""
    for match in _TAIL_CUE.finditer(folded):
        window = " ".join(match["window"].split()[:4])
        if _TAIL_REJECT.match(window) or not _TAIL_HINT.search(window):
            continue
        import dateparser  # slow to import and to run: only ever for this long tail

        settings = dict(_DATEPARSER_SETTINGS, RELATIVE_BASE=datetime(today.year, today.month, today.day))
        parsed = dateparser.parse(window, languages=["en", "es", "de", "fr"], settings=settings)
        if parsed is not None and today <= parsed.date() <= today + timedelta(days=730):
            return date(parsed.year, parsed.month, parsed.day)
    return None
