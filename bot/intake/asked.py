"""Questions the requester asks the bot (SPEC 2.1): lead times, what is still missing, how it works —
answered from the catalog and the draft, without an engine call."""

from __future__ import annotations

import re
from datetime import date

from bot.analysis.date_words import fold
from bot.analysis.rules.classify import classify
from bot.briefs.assessment import assess
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief, field_word
from bot.briefs.summary import kind_words
from bot.platform.calendar import add_workdays
from bot.platform.i18n import t
from bot.platform.text import format_date

_LEAD_TIME = re.compile(
    r"\b(?:how long|how much time|how many (?:business |working )?days|lead ?time|how (?:soon|fast|quickly)"
    r"|cuanto (?:tiempo|tarda|tardan|se tarda)|wie lange|wie schnell|combien de temps|quel delai|en combien"
    r"|quanto tempo|qual o prazo|prazo)\b"
)
_MISSING = re.compile(
    r"\b(?:what(?:'s| is| else)? (?:is )?(?:still )?(?:missing|left|needed)|what else do you need"
    r"|what do you (?:still )?need|anything else|que (?:mas )?(?:falta|necesitas)|was fehlt|was brauchst du"
    r"|qu'est-ce qui manque|que manque|de quoi as-tu besoin|o que falta|do que (?:mais )?precisa)\b"
)
_HOW = re.compile(
    r"\b(?:how does (?:this|it) work|what can you do|how do i use|who are you|what are you|como funciona"
    r"|que puedes hacer|wie funktioniert|was kannst du|comment (?:ca|cela) marche|comment ca fonctionne"
    r"|que sais-tu faire|o que voce faz)\b"
)
_QUESTION = re.compile(r"\?\s*$|^\s*(?:how|what|which|why|when|can|do|does|is|cuanto|wie|was|combien|quanto)\b")


def _lead_times(folded: str, brief: Brief, catalog: Catalog, today: date) -> str:
    named = classify(folded, []).request_type
    kind = named if named and named != "other" else brief.request_type
    if kind in catalog.request_types:
        days = catalog.lead_time(kind)
        earliest = format_date(add_workdays(today, days))
        return t(
            "A {kind} takes {days} business days as standard, so the earliest standard date is {earliest}. "
            "A sooner date is possible as a rush.",
            kind=kind_words(kind),
            days=days,
            earliest=earliest,
        )
    times = ", ".join(f"{kind_words(n)} {k.lead_time_days}" for n, k in catalog.request_types.items() if n != "other")
    return t("Standard lead times in business days: {times}.", times=times)


def _missing(brief: Brief, catalog: Catalog, today: date) -> str:
    verdict = assess(brief, catalog, today)
    if not brief.request_type:
        return t("I still need to know what kind of creative it is, then its details.")
    if not verdict.missing_fields:
        return t("Nothing — the brief is complete.")
    return t("Still missing: {fields}.", fields=", ".join(field_word(f) for f in verdict.missing_fields))


def answer(text: str, brief: Brief, catalog: Catalog, today: date) -> str | None:
    """The answer to a question the requester asks, or None when the message is not one of these questions."""
    folded = fold(text.strip())
    if not _QUESTION.search(folded) or len(folded) > 160:
        return None
    if _LEAD_TIME.search(folded):
        return _lead_times(folded, brief, catalog, today)
    if _MISSING.search(folded):
        return _missing(brief, catalog, today)
    if _HOW.search(folded):
        return t(
            "I turn what you tell me into a brief for creative ops: say what you need in your own words, I ask "
            "for what is missing, then you check the brief and submit it."
        )
    return None
