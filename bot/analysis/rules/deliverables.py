"""Several pieces of work in one ask ("a 30s video and 3 Instagram posts"): one brief part each (SPEC 2.7)."""

from __future__ import annotations

import re

from bot.analysis.contract import AnalysisContext
from bot.analysis.date_words import fold
from bot.analysis.rules.classify import classify, leaning
from bot.analysis.rules.clauses import extract_objective
from bot.analysis.rules.engine import analyse
from bot.analysis.rules.fields import extract_quantity
from bot.analysis.rules.message import prepare
from bot.briefs.model import Brief

#: Where one deliverable's words end and the next one's may begin: list punctuation and "and" in five languages.
_SEPARATOR = re.compile(
    r"[,;\n•]|\s(?:and|&|\+|plus|as well as|along with|together with|also|y|und|sowie|et|ainsi que|e)\s", re.I
)
#: Words after which a list names where the work is used, not more work ("used on slides and t-shirts").
_USED_ON = re.compile(
    r"\b(?:used|use|usage|shown|displayed|printed|placed|appear\w*|go(?:es)?|run)\s+(?:on|in|for|across|at)\b"
    r"|\bfor use\b|\bse usara\b|\bwird\s+(?:auf|in|fur)\b|\bsera utilise"
)
_SENTENCE_END = re.compile(r"[.!?]")
_NOT = re.compile(r"\s*(?:not|no|nicht|kein\w*|pas|sin|sem|nao|ni|rather than|instead of|statt|en vez de|au lieu de)\b")
#: What a deliverable's own words say; the rest (objective, audience, deadline…) is shared by the group.
OWN_FIELDS = (
    "request_type",
    "channels",
    "platforms",
    "formats",
    "duration",
    "url",
    "quantity",
    "slide_count",
    "source_asset",
    "markets",
    "usage",
)


def pieces(text: str) -> list[str]:
    """A message cut where one deliverable's words may end ("9:16 for the video", "square for the posts")."""
    return [piece for piece in _SEPARATOR.split(prepare(text).body) if piece.strip()]


def piece_type(piece: str) -> str | None:
    """The request type a piece of a message speaks of, if any."""
    return classify(fold(piece), []).request_type


def own_fields(text: str, ctx: AnalysisContext) -> Brief:
    """The deliverable's own fields a text states (formats, duration, platforms…), read as a message of its own."""
    blank = AnalysisContext(today=ctx.today, timezone=ctx.timezone, catalog=ctx.catalog, draft=Brief())
    update, _ = analyse(text, blank)
    return Brief.model_validate({name: update[name] for name in OWN_FIELDS if name in update})


def _parts(text: str) -> list[tuple[str, str]]:
    """(type, words) of each deliverable named, in order; words without a type belong to the one before."""
    found: dict[str, list[str]] = {}
    last: str | None = None
    where = False  # inside "used on slides and t-shirts": surfaces, not deliverables
    purpose = fold(extract_objective(prepare(text)) or "")
    for piece in pieces(text):
        folded = fold(piece)
        cue = _USED_ON.search(folded)
        refused = _NOT.match(folded)  # "…, not an email": no deliverable
        said = folded[: cue.start()] if cue else folded
        said = said.replace(purpose, " ") if purpose else said  # "we want them to try a video visit": the goal
        named = classify(said, []) if not (where or refused) else None
        if named and named.request_type and (named.named or extract_quantity(folded) is not None):
            last = named.request_type
        if last is not None:  # a piece that names no work goes to the one it leans to, else to the one before
            owner = leaning(folded) if not where else None
            found.setdefault(owner if owner in found else last, []).append(piece)
        where = (where or cue is not None) and not _SENTENCE_END.search(folded)
    return [(kind, ", ".join(pieces)) for kind, pieces in found.items()]


def deliverables(text: str, ctx: AnalysisContext, least: int = 2) -> list[Brief]:
    """The deliverables of different types a message names, each with its own fields; [] below ``least``."""
    parts = _parts(text)
    if len(parts) < least:
        return []
    return [own_fields(words, ctx).model_copy(update={"request_type": kind}) for kind, words in parts]
