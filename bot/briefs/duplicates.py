"""Possible duplicates (SPEC 2.1): requests of the last 90 days asking for the same work, whoever asked.

A pair is scored by what was asked: the words of the ask (title, objective, notes, platforms), the deliverable
(type, channels, platforms, formats) and the dates. A named campaign or market that differs, a localisation of
the other's asset, or another edition number in the title is never the same work. Measured on
``benchmarks/data/duplicate_pairs_*.yml`` by ``benchmarks/duplicates_accuracy.py``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from bot.briefs.model import Brief
from bot.briefs.summary import deliverable
from bot.platform.text import human

WINDOW_DAYS = 90
#: How many requests a check reads at most: those sharing the most terms with the brief (the scoring picks among them).
CANDIDATES = 50
#: How many of its newest requests (in the window, of any type) a term is looked up in, at most: the cost bound.
TERM_POSTINGS = 500
#: Chosen on the 96 dev pairs for precision first: at 0.57 precision 0.950, recall 0.950 (38 of the 40 duplicates,
#: 2 false ones); 0.58 gives 0.949 / 0.925, 0.56 gives 0.929 / 0.975 (a third false one), 0.60 0.944 / 0.850.
THRESHOLD = 0.57
#: Deadlines this close are the same timing; at ``_FAR_DAYS`` apart the score is gone (another edition, a re-run).
_NEAR_DAYS, _FAR_DAYS = 7, 35
#: Of the score, the part the words carry whatever the deliverable (the rest is scaled by the deliverable's match).
_WORDS_ALONE = 0.4
#: Two campaign names at least this similar (rapidfuzz token-set ratio, 0–100) are one campaign.
_SAME_CAMPAIGN = 80
_LOCALISATION = "localization"
_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
_EDITION = re.compile(r"(?<![\w:])#?(\d+)(?![\w:])")
_SIZE = re.compile(r"(\d+)\s*x\s*(\d+)")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "our",
        "new",
        "need",
        "needs",
        "please",
        "this",
        "that",
        "from",
        "into",
        "your",
        "about",
        "want",
    ]
)


@dataclass(frozen=True)
class Candidate:
    """An existing request, as far as duplicate detection cares."""

    ref: str
    title: str
    status: str
    brief: Brief

    @classmethod
    def stored(cls, ref: str, title: str, status: str, brief: dict[str, Any]) -> Candidate:
        """A candidate from a request's stored columns."""
        return cls(ref, title, status, Brief.model_validate(brief))


def _words(text: str) -> set[str]:
    return {w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in _STOP}


def search_terms(brief: Brief) -> list[str]:
    """The content words a brief is found by (title, objective, campaign, audience): what is indexed for a request,
    and what a check looks up (migration 0005 backfilled the same words)."""
    return sorted(_words(" ".join(filter(None, [brief.title, brief.objective, brief.campaign, brief.audience]))))


def _fold(words: Iterable[str]) -> set[str]:
    """Words with a plural ``s`` dropped ("banners" and "banner" are one word)."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words}


@lru_cache(maxsize=32)
def _type_words(request_type: str) -> frozenset[str]:
    """The words a title holds because of the type ("display ads"): the classification, not what was asked."""
    return frozenset(_fold(_words(f"{human(request_type)} {deliverable(Brief(request_type=request_type))}")))


def _asked(brief: Brief) -> str:
    """What the requester asked for, in words: the title without the type's name, objective, notes, platforms."""
    title = _fold(_words(brief.title or "")) - _type_words(brief.request_type or "other")
    rest = _fold(_words(" ".join(filter(None, [brief.objective, brief.notes, human(" ".join(brief.platforms))]))))
    return " ".join(sorted(title | rest))


def _text_similarity(a: str, b: str) -> float:
    """Token-set and token-sort ratios averaged (0–1): the first forgives a shorter ask, the second does not."""
    if not a or not b:
        return 0.0
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 200


def _overlap(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def _sizes(formats: list[str]) -> str:
    """Formats as comparable tokens, a pixel size with its aspect ratio too (1080x1920 is 9:16)."""
    tokens = []
    for text in formats:
        tokens.append(text.lower().replace(" ", ""))
        if size := _SIZE.search(text):
            width, height = int(size.group(1)), int(size.group(2))
            gcd = math.gcd(width, height) or 1
            if max(width, height) // gcd <= 21:
                tokens.append(f"{width // gcd}:{height // gcd}")
    return " ".join(tokens)


def _deliverable_match(a: Brief, b: Brief) -> float:
    """How alike the two deliverables are (0–1): the type, and channels, platforms and formats when both have them
    (an unknown is no mismatch)."""
    parts = [float(a.request_type == b.request_type)]
    if a.channels and b.channels:
        parts.append(_overlap(a.channels, b.channels))
    if a.platforms and b.platforms:
        parts.append(_overlap(a.platforms, b.platforms))
    if a.formats and b.formats:
        parts.append(fuzz.token_set_ratio(_sizes(a.formats), _sizes(b.formats)) / 100)
    return sum(parts) / len(parts)


def _timing(a: date | None, b: date | None) -> float:
    """1 for deadlines within a week (or one unknown), falling to 0 at five weeks apart."""
    days = abs((a - b).days) if a and b else 0
    return 1.0 if days <= _NEAR_DAYS else max(0.0, (_FAR_DAYS - days) / (_FAR_DAYS - _NEAR_DAYS))


def _other_work(a: Brief, b: Brief) -> bool:
    """Named facts that make it other work whatever the words: campaign, markets, localisation, edition."""
    if a.campaign and b.campaign:
        names = [" ".join(sorted(_words(c))) or c.lower() for c in (a.campaign, b.campaign)]
        if fuzz.token_set_ratio(*names) < _SAME_CAMPAIGN:
            return True
    if a.markets and b.markets and not {m.lower() for m in a.markets} & {m.lower() for m in b.markets}:
        return True
    if a.request_type != b.request_type and _LOCALISATION in (a.request_type, b.request_type):
        return True
    editions = [set(_EDITION.findall(brief.title or "")) for brief in (a, b)]
    return bool(editions[0] and editions[1] and not editions[0] & editions[1])


def similarity(a: Brief, b: Brief) -> float:
    """How likely ``b`` asks for the same work as ``a`` (0–1; ``THRESHOLD`` and above: a possible duplicate)."""
    if _other_work(a, b):
        return 0.0
    words = _text_similarity(_asked(a), _asked(b))
    match = _WORDS_ALONE + (1 - _WORDS_ALONE) * _deliverable_match(a, b)
    return words * match * _timing(a.deadline, b.deadline)


def find_duplicates(brief: Brief, candidates: Iterable[Candidate], limit: int = 2) -> list[Candidate]:
    """The candidates asking for the same work as ``brief``, most similar first (of any type: the words decide)."""
    scored = [(similarity(c.brief, brief), c) for c in candidates]
    return [c for score, c in sorted(scored, key=lambda sc: -sc[0]) if score >= THRESHOLD][:limit]
