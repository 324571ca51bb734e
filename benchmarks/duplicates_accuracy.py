"""Accuracy of duplicate detection on hand-labelled pairs (SPEC 2.1: possible duplicates).

Usage: .venv/bin/python benchmarks/duplicates_accuracy.py [--verbose]

Scores every (existing request, new ask) pair of ``benchmarks/data/duplicate_pairs_heldout.yml`` (written with
the dev pairs, never looked at while tuning) and ``duplicate_pairs_dev.yml`` (the threshold was chosen on it),
and prints precision, recall and F1 of ``bot.briefs.duplicates`` and, for comparison, of the scorer it replaced
(Jaccard overlap of title/objective/campaign/audience words, same type only, 0.5). ``--verbose`` lists misses.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.briefs.duplicates import THRESHOLD, Candidate, find_duplicates, search_terms
from bot.briefs.model import Brief

DATA = Path(__file__).parent / "data"
SETS = {"held-out": DATA / "duplicate_pairs_heldout.yml", "dev": DATA / "duplicate_pairs_dev.yml"}
_OLD_THRESHOLD = 0.5


@dataclass(frozen=True)
class Pair:
    """A labelled pair: is ``new`` the same work as ``old``?"""

    id: str
    duplicate: bool
    why: str
    old: Brief
    new: Brief


def load(path: Path) -> list[Pair]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Pair(p["id"], bool(p["dup"]), p["why"], Brief.model_validate(p["old"]), Brief.model_validate(p["new"]))
        for p in data["pairs"]
    ]


def current(pair: Pair) -> bool:
    """The scorer of ``bot.briefs.duplicates``, as the intake calls it."""
    return bool(find_duplicates(pair.new, [Candidate("CR-1", pair.old.title or "", "submitted", pair.old)]))


def previous(pair: Pair) -> bool:
    """The scorer replaced: Jaccard overlap of the indexed words, candidates of the same type only."""
    if pair.old.request_type != pair.new.request_type:
        return False
    a, b = set(search_terms(pair.old)), set(search_terms(pair.new))
    return bool(a and b) and len(a & b) / len(a | b) >= _OLD_THRESHOLD


def figures(pairs: list[Pair], said: list[bool]) -> tuple[float, float, float]:
    tp = sum(1 for p, s in zip(pairs, said, strict=True) if s and p.duplicate)
    fp = sum(1 for p, s in zip(pairs, said, strict=True) if s and not p.duplicate)
    fn = sum(1 for p, s in zip(pairs, said, strict=True) if not s and p.duplicate)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list the pairs each scorer gets wrong")
    args = parser.parse_args()
    print(f"threshold {THRESHOLD}")
    print(f"{'set':<9} {'pairs':>5} {'dups':>4}  {'scorer':<8} {'precision':>9} {'recall':>6} {'F1':>5}")
    for name, path in SETS.items():
        pairs = load(path)
        for label, scorer in (("current", current), ("previous", previous)):
            said = [scorer(p) for p in pairs]
            precision, recall, f1 = figures(pairs, said)
            dups = sum(p.duplicate for p in pairs)
            print(f"{name:<9} {len(pairs):>5} {dups:>4}  {label:<8} {precision:>9.3f} {recall:>6.3f} {f1:>5.3f}")
            if args.verbose:
                for p, s in zip(pairs, said, strict=True):
                    if s != p.duplicate:
                        print(f"    {'false duplicate' if s else 'missed'}: {p.id} ({p.why})")


if __name__ == "__main__":
    main()
