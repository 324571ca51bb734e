"""Text folding and the folded date vocabulary (en, es, de, fr, pt): months, weekdays, numbers, units, regex parts."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, accent-free, quote-normalised text of exactly the same length (spans map back); a message is
    folded by many readers, so the last few thousand texts are remembered."""
    if text.isascii():
        return text.lower()
    return "".join(map(_folded, text))


@cache
def _folded(char: str) -> str:
    """One character folded: one character."""
    char = char.translate(_QUOTES)
    low = char.lower()
    char = low if len(low) == 1 else char
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if len(bare) == 1 else char


def _numbered(groups: tuple[str, ...], start: int) -> dict[str, int]:
    """Folded name -> number, from space-separated synonyms per number."""
    return {fold(name): number for number, names in enumerate(groups, start=start) for name in names.split()}


MONTHS = _numbered(
    (
        "january jan januar jänner janner enero ene janvier janv janeiro",
        "february feb februar febrero fevrier fevr fevereiro",
        "march mar marz maerz marzo mars marco",
        "april apr abril avril avr",
        "may mai mayo maio",
        "june jun juni junio juin junho",
        "july jul juli julio juillet juil julho",
        "august aug agosto aout",
        "september sep sept septiembre setiembre septembre setembro",
        "october oct oktober okt octubre octobre outubro",
        "november nov noviembre novembre",
        "december dec dezember dez diciembre dic decembre dezembro",
    ),
    start=1,
)
WEEKDAYS = _numbered(
    (
        "monday montag lunes lundi segunda-feira",
        "tuesday dienstag martes mardi terca-feira terca",
        "wednesday mittwoch miercoles mercredi quarta-feira",
        "thursday donnerstag jueves jeudi quinta-feira",
        "friday freitag viernes vendredi sexta-feira sexta",
        "saturday samstag sabado samedi",
        "sunday sonntag domingo dimanche",
    ),
    start=0,
)
#: Abbreviations that are also ordinary words; accepted only right after a cue ("by wed").
WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple of": 2,
    "a couple of": 2,
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "einem": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "funf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "un": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "uma": 1,
    "duas": 2,
    "quatro": 4,
}
UNITS = {
    "day": "day",
    "days": "day",
    "tag": "day",
    "tage": "day",
    "tagen": "day",
    "dia": "day",
    "dias": "day",
    "jour": "day",
    "jours": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "woche": "week",
    "wochen": "week",
    "semana": "week",
    "semanas": "week",
    "semaine": "week",
    "semaines": "week",
    "fortnight": "fortnight",
    "month": "month",
    "months": "month",
    "monat": "month",
    "monate": "month",
    "monaten": "month",
    "mes": "month",
    "meses": "month",
    "mois": "month",
    "werktag": "bday",
    "werktage": "bday",
    "werktagen": "bday",
    "arbeitstag": "bday",
    "arbeitstage": "bday",
    "arbeitstagen": "bday",
}


def alternation(words: Any) -> str:
    """A regex alternation of the words, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


MONTH = rf"(?P<month>{alternation(MONTHS)})\.?"
WEEKDAY = rf"(?P<weekday>{alternation(WEEKDAYS)})"
DAY = r"(?P<day>[0-3]?\d)"
ORD = r"(?:st|nd|rd|th|er|eme|e|o|º|\.)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
NUM = rf"(?P<num>\d{{1,3}}|{alternation(NUMBER_WORDS)})"
UNIT = rf"(?P<unit>{alternation(UNITS)})"
BUSINESS = r"(?P<business>business |working |work |biz |habiles |laborables |ouvres |ouvrables )?"
BUSINESS_AFTER = r"(?:\s+(?P<business2>habiles|laborables|ouvres|ouvrables))?"
NEXT = r"(?:next|nxt|nachsten|nachste|nachster|nachstes|proximo|proxima|prochain|prochaine)"
THIS = r"(?:this|this coming|coming|diesen|dieser|diese|este|esta|ce|cette)"
