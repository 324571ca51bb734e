"""Deadline expressions in requester text (English, Spanish, German, French, Portuguese), resolved to dates.

``today`` is always the requester's local date; callers resolve time zones. The vocabulary lives in
``date_words``, the patterns and their resolvers in ``date_patterns``.

Conventions (documented because several are ambiguous in real chat):

- Numeric dates: ``2026-03-25`` (ISO, also with / or .); ``25.03.2026`` / ``25.03.`` are day.month; slashed dates are
  US month/day (``3/13``, ``4/5`` = 5 April) unless the first number is over 12 (``13/3`` = 13 March).
  ``24/7``, ``1/2 page`` and ``18/1 format`` are not dates.
- A date without a year (``March 27``, ``27 mars``, ``the 12th``) is its next occurrence on or after
  today; a date with a year is returned as stated, even in the past (the conversation warns).
- A bare weekday (``Friday``, ``by Fri``, ``bis Freitag``) is its next occurrence after today (never
  today). ``this Friday`` is this week's Friday (today included) or else the next one. ``next Friday``,
  ``Friday next week``, ``nächsten Freitag``, ``vendredi prochain`` are the Friday of the following
  calendar week (weeks start on Monday). ``Monday 9th`` / ``Friday the 19th``: the next such day of month
  that falls on that weekday (within a year; else the next such day), and ``sat june 20`` is 20 June. A
  weekday said of a date (``the 15th is a Saturday``, ``el 15 es sábado``) is no date.
- ``end of (the) week`` / ``EOW`` / ``this week``: this week's Friday (the coming Friday at weekends);
  ``end of next week`` and ``next week``: next week's Friday; ``by/before next week`` and
  ``early next week``: next week's Monday.
- ``end of (the) month`` / ``EOM``: last day of this month; ``end of April``: last day of April;
  ``mid-April``: 15 April; ``end of Q2``: 30 June; ``end of (the) year``: 31 December.
- ``in 10 days``, ``in 3 weeks``, ``2 weeks from now``, ``within a fortnight``, ``in 2 months``: calendar
  arithmetic; ``in 2 business/working days``: Monday–Friday business days.
- ``today``/``EOD``, ``tomorrow``, ``the day after tomorrow`` and their es/de/fr equivalents.
- Not dates: ``ASAP``, ``no rush``, ``next month``, ``sometime in spring``, ``last Friday``; impossible
  dates (``31 February``, ``Feb 31st``) are ignored, never re-read as another date. ``vague_deadline``
  names the first three kinds (asap, flexible, a period such as ``Q2``, ``next month`` or ``in May``, with
  the period's first working day as a suggestion, or its last when it has begun) so the conversation can
  offer a day; ``weekend_note`` offers the Friday before a deadline that falls on a weekend.
- Several dates: the one introduced by the strongest deadline cue wins (``deadline``, ``due``,
  ``needed by``, ``ETA``, ``bis``, ``para el``, ``pour le``… beat a plain ``by``/``before``/``launch``,
  which beat no cue); among equals, the earliest date.
- The long tail after an explicit cue ("due sept. the third") goes to ``dateparser``, on that short
  window only, restricted to en/es/de/fr and never for bare numbers or durations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel

from bot.analysis.date_patterns import PATTERNS
from bot.analysis.date_words import MONTH, MONTHS, alternation, fold
from bot.platform.calendar import is_workday

# --- cue strength --------------------------------------------------------------------------------

_STRONG_BEFORE = re.compile(
    r"(?:\b(?:deadline|due(?: date)?|eta|no later than|latest|fallig|spatestens|abgabe|bis(?: zum| spatestens)?"
    r"|para(?: el| o dia)?|fecha (?:limite|de entrega)|entrega|prazo|ate(?: o dia| dia)?|pour(?: le)?|d'ici(?: le)?"
    r"|echeance|date limite"
    r"|go(?:es)? live|live on)\b[\s:,-]*(?:is\s+|on\s+|by\s+|the\s+|el\s+|le\s+|am\s+)*"
    r"|\bneed(?:ed|s)?\b[^.!?\n]{0,40}\b(?:by|on|for|before|until)\s+(?:the\s+)?"
    r"|\b(?:go(?:es)?|send|sent|ship|ships|goes) (?:out|live)\s+(?:on\s+|by\s+)?)$"
)
_MEDIUM_BEFORE = re.compile(
    r"\b(?:by|before|until|till|til|antes(?: de| del)?|avant(?: le)?|hasta(?: el)?|vor|launch\w*(?: on)?"
    r"|release\w*(?: on)?|on|for)\s+(?:the\s+)?$"
)
_STRONG_AFTER = re.compile(r"^\s*(?:is\s+)?(?:the\s+)?(?:deadline|at the latest|latest|max)\b")
_CLAUSE_BREAK = re.compile(r"[.!?;\n]")


def _cue_strength(folded: str, start: int, end: int) -> int:
    """2 for a deadline cue (due, deadline, needed by, bis…), 1 for by/before/launch…, 0 otherwise."""
    window = folded[max(0, start - 60) : start]
    window = _CLAUSE_BREAK.split(window)[-1]
    if _STRONG_BEFORE.search(window) or _STRONG_AFTER.match(folded[end : end + 20]):
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


_URL = re.compile(r"<?(?:https?://|www\.)\S+", re.I)


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
    for pattern, resolve in PATTERNS:
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

_TAIL_CUE = re.compile(
    r"\b(?:deadline|due|by|until|before|bis|para el|pour le|avant le|antes del)\b[:\s]+"
    r"(?P<window>[^.!?;,\n]{3,40})"
)
_TAIL_REJECT = re.compile(
    r"^\W*(?:\d+\s*(?:s|sec\w*|min\w*|h|hours?|x\b)|asap|next (?:month|year)|"
    r"this (?:month|year)|[\d\s.,:/x%-]+$)"
)
_TAIL_HINT = re.compile(
    r"\d|\b(?:first|second|third|fourth|fifth|last|fortnight|"
    rf"{alternation(MONTHS)})\b"
)
_DATEPARSER_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "TIMEZONE": "UTC",
    "REQUIRE_PARTS": ["day", "month"],
    "PARSERS": ["absolute-time", "relative-time"],
}


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


# --- what is said instead of a day: asap, whenever, a period; a deadline on a weekend --------------


class DeadlineNote(BaseModel):
    """Something said about the deadline that is not a working day: what kind, the words, a day to offer."""

    kind: Literal["asap", "flexible", "period", "weekend"]
    said: str = ""
    suggestion: date | None = None


_ASAP = re.compile(
    r"\b(?:asap|a\.s\.a\.p|as soon as possible|urgent(?:ly)?|right away|lo antes posible|cuanto antes"
    r"|lo mas pronto posible|urgente|so schnell wie moglich|schnellstmoglich|sofort|dringend|des que possible"
    r"|au plus vite|le plus vite possible|o mais rapido possivel|o quanto antes|assim que possivel"
    r"|(?:the )?earliest(?: possible)?(?: date| day)?|as early as possible|as soon as you can|fruhestmoglich"
    r"|so fruh wie moglich|lo antes que pued\w+|la fecha mas temprana|le plus tot possible|au plus tot"
    r"|o mais cedo possivel|o mais rapido que puder\w*)\b"
)
_FLEXIBLE = re.compile(
    r"\b(?:whenever|no rush|no hurry|not urgent|any ?time|sin prisa|cuando sea|keine eile|wann immer"
    r"|pas presse|pas d'urgence|sem pressa|quando der)\b"
)
_PERIOD = re.compile(
    r"\bq(?P<q>[1-4])\b"
    r"|\b(?P<next>next month|nachste[nr]? monat|(?:le )?mois prochain|el mes que viene|(?:el )?proximo mes"
    r"|mes que vem)\b"
    rf"|\b(?:in|during|im|en|au mois d'|em|no mes de)\s+{MONTH}\b(?!\s*\d)"
)


def _first_workday(day: date, step: int) -> date:
    while not is_workday(day):
        day += timedelta(days=step)
    return day


def _period(match: re.Match[str], today: date) -> tuple[date, date]:
    """First and last day of the quarter, next month or named month a match names (the next one to come)."""
    if match["q"]:
        first = date(today.year, int(match["q"]) * 3 - 2, 1)
        months = 3
    elif match["next"]:
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        months = 1
    else:
        first = date(today.year, MONTHS[match["month"]], 1)
        months = 1
    if _months_later(first, months) <= today:
        first = first.replace(year=first.year + 1)
    return first, _months_later(first, months) - timedelta(days=1)


def _months_later(first: date, months: int) -> date:
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, 1)


def vague_deadline(text: str, today: date) -> DeadlineNote | None:
    """What a text says instead of a day (asap, whenever, a period), or None."""
    folded = fold(text)
    if m := _ASAP.search(folded):
        return DeadlineNote(kind="asap", said=text[m.start() : m.end()])
    if m := _FLEXIBLE.search(folded):
        return DeadlineNote(kind="flexible", said=text[m.start() : m.end()])
    if m := _PERIOD.search(folded):
        first, last = _period(m, today)
        day = _first_workday(first, 1) if first > today else _first_workday(last, -1)
        return DeadlineNote(kind="period", said=text[m.start() : m.end()], suggestion=day)
    return None


def weekend_note(deadline: date) -> DeadlineNote | None:
    """A deadline on a Saturday or Sunday, with the Friday before to offer."""
    if is_workday(deadline):
        return None
    return DeadlineNote(kind="weekend", suggestion=_first_workday(deadline, -1))
