"""Misspelt deciding words ("vidoe", "sldies", "instagarm") corrected by fuzzy matching with rapidfuzz.

Only words of five letters or more are looked at, only against the lexicon's ``typo_targets`` with the same
first letter, at most one edit (two from eight letters; a swap of neighbours is one edit), and never a word
the date vocabulary or ``not_typos`` knows, nor one two targets are equally close to.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.analysis.date_words import MONTHS, NUMBER_WORDS, WEEKDAYS, fold
from bot.analysis.rules.lexicon import lexicon

_WORD = re.compile(r"(?<![\w@#/.-])[^\W\d_]{5,}(?![\w/.-])")


@lru_cache(maxsize=1)
def _targets() -> dict[str, tuple[str, ...]]:
    """Targets by first letter."""
    by_letter: dict[str, list[str]] = {}
    for word in lexicon().typo_targets:
        by_letter.setdefault(word[0], []).append(word)
    return {letter: tuple(found) for letter, found in by_letter.items()}


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    lex = lexicon()
    return lex.not_typos | set(lex.typo_targets) | set(MONTHS) | set(WEEKDAYS) | set(NUMBER_WORDS)


def meant(word: str) -> str | None:
    """The target a misspelt folded word stands for, or None."""
    if word in _known():
        return None
    limit = 2 if len(word) >= 8 else 1
    hits = process.extract(word, _targets().get(word[0], ()), scorer=OSA.distance, score_cutoff=limit, limit=2)
    if not hits or (len(hits) == 2 and hits[0][1] == hits[1][1]):
        return None
    return str(hits[0][0])


def _same_case(original: str, word: str) -> str:
    if original.isupper():
        return word.upper()
    return word.capitalize() if original[0].isupper() else word


def corrected(text: str) -> str:
    """The text with each misspelt deciding word replaced by the word meant, in the same case."""

    def fix(m: re.Match[str]) -> str:
        target = meant(fold(m.group()))
        return _same_case(m.group(), target) if target else m.group()

    return _WORD.sub(fix, text)
