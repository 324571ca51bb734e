"""Whether a proposed value can be a value of its field (SPEC 2.1: "a date is never an objective; "n/a" is never
split into formats"), checked whichever engine proposed it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.analysis.date_words import NUMBER_WORDS, fold
from bot.analysis.dates import find_dates, vague_deadline
from bot.analysis.non_answers import YES_NO, non_answer
from bot.briefs.model import LIST_FIELDS, Brief

#: Values the conversation records for an answer that gives none (SPEC 2.1, section 4): always plausible.
RECORDED = frozenset({"designer's choice", "to be agreed", "not decided yet", "copy needed"})
_COUNT = re.compile(rf"\d|\b(?:{'|'.join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True))})\b")
_LINKISH = re.compile(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$")
_WORDS = re.compile(r"[^\W_]+")
#: Thanks and acknowledgements: a reply, never a value ("cool thx", "merci beaucoup", "valeu!").
_COURTESY = re.compile(
    r"(?:(?:ok|okay|cool|great|perfect|super|nice|awesome|vale|genial|perfecto|prima|toll|parfait|top|beleza|otimo)"
    r"[ ,!]*)?(?:thanks?(?: a lot| so much)?|thank you|thx|ty|cheers|gracias|muchas gracias|danke(?: schon| dir)?"
    r"|vielen dank|merci(?: beaucoup)?|obrigad[oa]|valeu|cool|great|perfect|awesome|nice|super|genial|perfecto|prima"
    r"|toll|parfait|top|beleza|otimo)[ !.]*"
)
_COUNTED = frozenset({"quantity", "slide_count", "duration"})
_TEXT = frozenset({"objective", "audience", "usage", "campaign", "approver", "budget"})
#: A reference day for spotting date-only values (the day itself does not matter).
_ANY_DAY = date(2026, 1, 5)


def _only_a_date(text: str) -> bool:
    """Whether the text says nothing but a date, give or take two words ("jan 15", "next Friday", "asap", "Q2",
    "mach den 12.", "make it the 12th")."""
    mentions = find_dates(text, _ANY_DAY)
    vague = vague_deadline(text, _ANY_DAY)
    if not (mentions or vague):
        return False
    rest = text
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        rest = rest[: m.start] + " " + rest[m.end :]
    if vague and vague.said:
        rest = fold(rest).replace(fold(vague.said), " ")
    return len(_WORDS.findall(rest)) <= 2


def plausible(field: str, value: str) -> bool:
    """Whether one value (a list item, for lists) can be a value of ``field``."""
    text = value.strip()
    if fold(text) in RECORDED:
        return True
    if (
        (len(text) < 2 and not text.isdigit())
        or text.rstrip(" !.").endswith("?")
        or non_answer(text)
        or fold(text).strip(" .!") in YES_NO
        or _COURTESY.fullmatch(fold(text).strip(" .!"))
    ):
        return False
    if field in _COUNTED:
        return bool(_COUNT.search(fold(text)))
    if field == "url":
        return bool(_LINKISH.match(text))
    if field in _TEXT or field in ("platforms", "formats", "markets"):
        return not _only_a_date(text)
    return True


def _items(update: dict[str, Any]) -> dict[str, set[str]]:
    """The folded values of each list field, to spot one value given to two fields."""
    return {name: {fold(str(v)) for v in update.get(name) or []} for name in ("platforms", "formats", "markets")}


def plausible_update(update: Brief) -> Brief:
    """The update without the values that cannot belong to their field, nor a text field's value that is all
    another field's (a bare "1080x1080" is the formats, not the copy too)."""
    data: dict[str, Any] = update.model_dump(mode="json")
    lists = _items(data)
    for name, value in update.known().items():
        if name in ("deadline", "request_type", "channels", "title", "assets", "notes"):
            continue
        if name in LIST_FIELDS:
            data[name] = [v for v in value if plausible(name, str(v))]
        elif not plausible(name, str(value)) or any(fold(str(value)) in vals for vals in lists.values()):
            data[name] = None
    return Brief.model_validate(data)
