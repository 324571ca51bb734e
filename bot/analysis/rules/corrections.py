"""Corrections, cleared and not-yet-known fields, and a reply taken as the answer the bot expected."""

from __future__ import annotations

import re
from typing import Any

from bot.analysis.contract import AnalysisContext
from bot.analysis.date_words import fold
from bot.analysis.plausibility import plausible
from bot.analysis.rules.classify import classify, infer_channels
from bot.analysis.rules.fields import count_in, named
from bot.analysis.rules.lexicon import lexicon
from bot.analysis.rules.message import Message, trim
from bot.briefs.model import LIST_FIELDS

ADDITIVE = re.compile(r"\b(?:also|too|as well|plus|add|additionally|another|auch|tambien|tambem|aussi|ademas)\b")
#: A message that corrects what was said: its values replace the draft's, and it is never a bare answer.
CORRECTION = re.compile(
    r"\b(?:instead|actually|change|make it|switch|replace|rather|not|correction|wrong|sorry|oops|my bad"
    r"|nicht|statt|anstatt|sondern|eigentlich|lieber|doch|en lugar|en vez|no es|perdon|mejor|plutot|au lieu|pas"
    r"|en fait|em vez|ao inves|nao|na verdade|desculpa|melhor)\b|,\s*(?:no|non)\s+(?=\w)"
)
_CLEAR_DEADLINE = re.compile(
    r"\bno (?:hard |fixed |real |specific )?(?:deadline|due date)\b|\bwithout (?:a )?deadline"
    r"|\bkeine? (?:deadline|frist|abgabetermin)\b|\bsin (?:fecha(?: limite)?|deadline)\b"
    r"|\bpas de (?:deadline|date limite)\b"
)
_CLEAR_FIELD = re.compile(
    r"\b(?:remove|drop|delete|clear|forget|scrap|no longer need)\s+(?:the\s+)?(?P<f>deadline"
    r"|due date|budget|approver|url|link|campaign|notes?|copy|assets|formats?|platforms?"
    r"|markets?|audience|objective|usage)\b"
)
_FIELD_ALIASES = {
    "due date": "deadline",
    "link": "url",
    "note": "notes",
    "format": "formats",
    "platform": "platforms",
    "market": "markets",
}
#: Fields whose presence shows that a message says more than a bare answer to the bot's question.
SUBSTANTIVE = ("platforms", "formats", "deadline", "duration", "url", "quantity", "slide_count", "copy", "source_asset")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\by\b|\bet\b|&|\+|/)\s*")


_NOT_YET = re.compile(
    r"\b(?:not sure (?:about|of) (?:the |a )?|(?:don'?t|do not) (?:have|know) (?:the |a |any )?"
    r"|no (?:idea (?:about|of) (?:the )?)?)(?P<f>url|link|budget|approver|campaign|usage|quantity"
    r"|audience|objective|goal)\b(?: yet)?|\b(?P<g>url|link|budget|approver|campaign|usage|quantity"
    r"|audience|objective|goal)\s+(?:is\s+)?(?:tbd|tbc|unknown|not decided|undecided)\b"
)
_NOT_YET_ALIASES = {"link": "url", "goal": "objective"}


def not_yet_known(folded: str) -> dict[str, str]:
    """Fields the requester says they do not have yet ("not sure about the url yet"): answered (SPEC 4)."""
    names = [m["f"] or m["g"] for m in _NOT_YET.finditer(folded)]
    return {_NOT_YET_ALIASES.get(name, name): "not decided yet" for name in names}


def cleared_fields(folded: str, update: dict[str, Any]) -> list[str]:
    """Fields the message removes ("no deadline", "remove the budget") and does not set again."""
    names = ["deadline"] if _CLEAR_DEADLINE.search(folded) else []
    names += [_FIELD_ALIASES.get(m["f"], m["f"]) for m in _CLEAR_FIELD.finditer(folded)]
    return [name for name in dict.fromkeys(names) if name not in update]


def _implausible(field: str, message: Message) -> bool:
    """A bare reply that cannot be a value of the field (the policy's check: no answer, thanks, a question, a date
    for a text field, no count for a count)."""
    return not plausible(field, trim(message.body))


def _items(text: str) -> list[str]:
    return [trim(part) for part in _SPLIT.split(text) if trim(part)]


def _nearest(item: str) -> list[str]:
    """The closest catalog channel for an answer that names none ("SMS" → email), else the words as said."""
    return [name for name, p in lexicon().nearest_channels.items() if p.search(item)][:1] or [item]


def answer_expected(field: str, message: Message, ctx: AnalysisContext) -> Any:
    """The message taken as the answer to the field the bot asked for, or None."""
    lex = lexicon()
    if field == "deadline" or _implausible(field, message):
        return None  # a date was looked for already; anything else is not one
    if field == "request_type":
        given = fold(message.body).strip().replace(" ", "_")
        if given in ctx.catalog.request_types:
            return given
        return classify(message.folded, []).request_type or "other"
    if field in LIST_FIELDS:
        items = _items(message.body) if field != "assets" else message.links
        if field == "channels":
            return [c for item in items for c in infer_channels(fold(item), None, False, None) or _nearest(fold(item))]
        if field == "platforms":
            return [(named(lex.platforms, fold(item), set()) or [fold(item).replace(" ", "_")])[0] for item in items]
        if field == "formats":  # a size, a ratio or a named format ("square", "A4"); "euh, c'est compliqué" is none
            sized = any(re.search(r"\d", item) or named(lex.formats, fold(item), set()) for item in items)
            return items if sized else None
        return items
    if field in ("url", "source_asset") and message.links:
        return message.links[0]
    if field in ("quantity", "slide_count") and (count := count_in(message.folded)):
        return count
    value = trim(message.body)
    return value[:300] if value else None
