"""Several pieces of work in one ask ("a 30s video and 3 Instagram posts"): one brief part each (SPEC 2.7)."""

from __future__ import annotations

import re

from bot.analysis.contract import AnalysisContext
from bot.analysis.date_words import fold
from bot.analysis.rules.classify import classify
from bot.analysis.rules.engine import analyse
from bot.analysis.rules.fields import extract_quantity
from bot.analysis.rules.message import prepare
from bot.briefs.model import Brief

#: Where one deliverable's words end and the next one's may begin: list punctuation and "and" in five languages.
_SEPARATOR = re.compile(
    r"[,;\n•]|\s(?:and|&|\+|plus|as well as|along with|together with|also|y|und|sowie|et|ainsi que|e)\s", re.I
)
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


def _parts(text: str) -> list[tuple[str, str]]:
    """(type, words) of each deliverable named, in order; words without a type belong to the one before."""
    found: dict[str, list[str]] = {}
    last: str | None = None
    for piece in _SEPARATOR.split(prepare(text).body):
        folded = fold(piece)
        named = classify(folded, [])
        if named.request_type and (named.named or extract_quantity(folded) is not None):
            last = named.request_type
        if last is not None:
            found.setdefault(last, []).append(piece)
    return [(kind, ", ".join(pieces)) for kind, pieces in found.items()]


def deliverables(text: str, ctx: AnalysisContext, least: int = 2) -> list[Brief]:
    """The deliverables of different types a message names, each with its own fields; [] below ``least``."""
    parts = _parts(text)
    if len(parts) < least:
        return []
    blank = AnalysisContext(today=ctx.today, timezone=ctx.timezone, catalog=ctx.catalog, draft=Brief())
    briefs = []
    for kind, words in parts:
        update, _ = analyse(words, blank)
        own = {name: update[name] for name in OWN_FIELDS if name in update}
        briefs.append(Brief.model_validate({**own, "request_type": kind}))
    return briefs
