"""Request type and channels from cues in the lexicon."""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.date_words import fold
from bot.analysis.rules.lexicon import lexicon, words

_ADAPT = words(r"adapt\w*|anpass\w*|version(?:s|es)? (?:for|para|pour|fur)")


@dataclass(frozen=True)
class Classification:
    """A request type, and whether a deliverable was named (a cue of weight 3 or more)."""

    request_type: str | None
    named: bool


def classify(folded: str, markets: list[str]) -> Classification:
    """The best request type (None below a score of 2); ties go to the type named first."""
    lex = lexicon()
    scores: dict[str, tuple[int, int]] = {}
    strongest: dict[str, int] = {}
    for name, rules in lex.types.items():
        hits = [(weight, m.start()) for weight, p in rules if (m := p.search(folded))]
        scores[name] = (sum(w for w, _ in hits), -min((at for _, at in hits), default=0))
        strongest[name] = max((w for w, _ in hits), default=0)
    if markets and _ADAPT.search(folded):
        scores["localization"] = (scores["localization"][0] + 6, scores["localization"][1])
        strongest["localization"] = 6
    best = max(scores, key=lambda name: scores[name])
    score = scores[best][0]
    if score < 2:
        return Classification(None, False)
    named = strongest[best] >= 3
    if best == "social_graphic" and lex.paid.search(folded) and not lex.organic.search(folded):
        best = "display_ad"
    return Classification(best, named)


def _strongest(folded: str, least: int, skip: tuple[str, ...] = ()) -> str | None:
    """The type whose cues in the text weigh most, if they weigh ``least`` or more."""
    scores = {
        name: sum(w for w, p in rules if p.search(folded))
        for name, rules in lexicon().types.items()
        if name not in skip
    }
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= least else None


def leaning(folded: str) -> str | None:
    """The type a few words lean to, however weakly ("square for the posts" → social_graphic); None for none."""
    return _strongest(folded, 1)


def _adapted_type(folded: str) -> str | None:
    """The type of the work a localization adapts ("banners localized" → display_ad)."""
    return _strongest(folded, 3, skip=("localization", "copywriting"))


def usual_channels(request_type: str) -> list[str]:
    """Where work of a type usually runs: what an unsure answer about the channels records."""
    lex = lexicon()
    return lex.type_channels.get(request_type) or lex.usual_channels.get(request_type, [])


def infer_channels(folded: str, request_type: str | None, implied: bool, usage: str | None) -> list[str]:
    """Channels from cues (limited by the type where the lexicon says so), the type and the usage."""
    lex = lexicon()
    found = [
        name
        for name, cues in lex.channels.items()
        if any(c.pattern.search(folded) and (c.types is None or request_type in c.types) for c in cues)
    ]
    if (
        "social" in found
        and "paid_ads" in found
        and not lex.organic.search(folded)
        and request_type != "social_graphic"
    ):
        found.remove("social")
    if implied and request_type:
        found = [*lex.type_channels.get(request_type, []), *found]
    if implied and request_type == "localization" and (adapted := _adapted_type(folded)):
        found = [*lex.type_channels.get(adapted, []), *found]
    if usage:
        usage_folded = fold(usage)
        found += [name for name, cues in lex.channels.items() if any(c.pattern.search(usage_folded) for c in cues)]
    return list(dict.fromkeys(found))
