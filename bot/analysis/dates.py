"""Deadline expressions in requester text (English, Spanish, German, French), resolved to dates.

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

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.analysis.date_patterns import PATTERNS
from bot.analysis.date_words import MONTHS, alternation, fold

# --- cue strength --------------------------------------------------------------------------------

_STRONG_BEFORE = re.compile(
    r"(?:\b(?:deadline|due(?: date)?|eta|no later than|latest|fallig|spatestens|abgabe|bis(?: zum| spatestens)?"
    r"|para(?: el)?|fecha (?:limite|de entrega)|entrega|pour(?: le)?|d'ici(?: le)?|echeance|date limite"
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
