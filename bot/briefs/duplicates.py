"""Possible duplicates: similar requests of the last 90 days."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.briefs.model import Brief

WINDOW_DAYS = 90
#: How many requests a check reads at most: those sharing the most terms with the brief (the scoring picks among them).
CANDIDATES = 50
#: How many of its newest requests (of the type, in the window) a term is looked up in, at most: the cost bound.
TERM_POSTINGS = 500
_THRESHOLD = 0.5
_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
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
    request_type: str
    text: str


def _words(text: str) -> set[str]:
    return {w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in _STOP}


def brief_words(brief: Brief) -> str:
    """The text of a brief that identifies the work."""
    return " ".join(filter(None, [brief.title, brief.objective, brief.campaign, brief.audience]))


def search_terms(brief: Brief) -> list[str]:
    """The content words a brief is found by: what is indexed for a request, and what a check looks up."""
    return sorted(_words(brief_words(brief)))


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of content words."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def find_duplicates(brief: Brief, candidates: Iterable[Candidate], limit: int = 2) -> list[Candidate]:
    """Candidates of the same type whose text is similar enough, most similar first."""
    text = brief_words(brief)
    scored = [(similarity(text, c.text), c) for c in candidates if c.request_type == brief.request_type]
    return [c for score, c in sorted(scored, key=lambda sc: -sc[0]) if score >= _THRESHOLD][:limit]
