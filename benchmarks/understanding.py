"""How well the rules engine understands single brief fields, as requesters phrase them (dev set).

Usage: .venv/bin/python benchmarks/understanding.py [--verbose] [--json] [--data FILE]

Each case of ``data/understanding_dev.yml`` is one requester message, analysed against a draft that already has
the case's ``draft_type`` and with the field the bot just asked for (``expecting``), then merged onto that draft
the way the intake does. Every gold field is then compared with the merged brief:

- ``objective`` / ``audience`` / ``usage`` / ``campaign``: the gold text is a substring of the value (case- and
  accent-insensitive); ``null`` gold means the field must stay empty (true for any field);
- ``copy``: ``provided`` / ``needed`` / ``none`` compare with the class of the value (a "no copy"-style value is
  none, a "copy needed"-style value is needed, anything else names who provides it or is the text: provided);
  any other gold is a substring of the value;
- ``quantity`` / ``slide_count``: the same number (spaces and thousands separators ignored); ``duration``: the
  same number of seconds ("30s" = "30 sec", "1 min" = "60s");
- ``formats`` / ``platforms`` / ``markets`` / ``channels``: the same set (formats through a few synonyms:
  square = 1:1, story / vertical = 9:16, landscape = 16:9, "A4 portrait" = A4, DIN lang = DL);
- ``deadline``: the same ISO date; ``request_type``: the same catalog id.

Prints accuracy (hits / cases with that field in gold) per field, per language and overall, and the share of
cases with every gold field right. ``--verbose`` lists each miss; ``--json`` prints the figures as JSON instead.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.analysis.contract import AnalysisContext
from bot.analysis.merge import apply
from bot.analysis.rules.engine import RulesEngine
from bot.briefs.catalog import Catalog, load_catalog
from bot.briefs.model import Brief

DATA = Path(__file__).parent / "data" / "understanding_dev.yml"
SUBSTRING_FIELDS = frozenset({"objective", "audience", "usage", "campaign", "title", "notes", "url", "approver"})
SET_FIELDS = frozenset({"formats", "platforms", "markets", "channels", "assets"})
COUNT_FIELDS = frozenset({"quantity", "slide_count"})
COPY_CLASSES = frozenset({"provided", "needed", "none"})

_NO_COPY = re.compile(
    r"\bno (copy|text|caption)|\bwithout (copy|text)|\bimage only|\bnone\b|^n/?a$|\bsin (texto|copy)|"
    r"\bkein(en)? text|\bohne text|\bpas de (texte|copy|wording)|\bsans (texte|copy)|\bsem (texto|copy)|"
    r"\bno copy\b|copy not needed|not needed"
)
_COPY_NEEDED = re.compile(
    r"copy needed|\bneeded\b|to be written|\bwrit|\bdraft\b|escrib|redact|schreib|rédig|\bécri|escrev|com vocês|"
    r"handle the copy"
)
_FORMAT_SYNONYMS = {
    "square": "1:1",
    "quadratisch": "1:1",
    "cuadrado": "1:1",
    "carré": "1:1",
    "quadrado": "1:1",
    "story": "9:16",
    "stories": "9:16",
    "vertical": "9:16",
    "hochformat": "9:16",
    "portrait9:16": "9:16",
    "landscape": "16:9",
    "horizontal": "16:9",
    "querformat": "16:9",
    "dinlang": "dl",
    "din-lang": "dl",
}
_PAPER = re.compile(
    r"^(?:din)?(a\d|b\d|dl)(?:portrait|landscape|hochkant|quer|querformat|paysage|vertical|horizontal|"
    r"retrato|paisagem|apaisado)?$"
)
_UNIT_SECONDS = {"s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "seg": 1, "segundos": 1, "segundo": 1}
_UNIT_SECONDS |= {"sek": 1, "sekunden": 1, "secondes": 1, "seconde": 1}
_UNIT_SECONDS |= {"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "minuto": 60, "minutos": 60}
_UNIT_SECONDS |= {"minuten": 60}


def fold(text: str) -> str:
    """Lower case without accents, for lenient text comparison."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def copy_class(value: str) -> str:
    """The class of a copy value: none, needed or provided."""
    folded = value.casefold().strip()
    if _NO_COPY.search(folded):
        return "none"
    if _COPY_NEEDED.search(folded):
        return "needed"
    return "provided"


def seconds(value: str) -> str:
    """A duration as a number of seconds when it reads as one ("30 sec" → "30"), else folded."""
    text = fold(value).replace(",", ".")
    if match := re.fullmatch(r"(\d+):(\d{2})", text):
        return str(int(match[1]) * 60 + int(match[2]))
    total, found = 0.0, False
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([a-z.]+)?", text):
        factor = _UNIT_SECONDS.get((unit or "s").rstrip("."), None)
        if factor is None:
            return text
        total, found = total + float(number) * factor, True
    return str(round(total)) if found else text


def count(value: str) -> str:
    """A count without spaces or thousands separators."""
    text = fold(value).replace(" ", "")
    return re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", text)


def format_token(value: str) -> str:
    """One format, reduced through the synonyms."""
    text = fold(value).replace(" ", "").replace("×", "x")
    text = _FORMAT_SYNONYMS.get(text, text)
    if match := _PAPER.match(text):
        return match[1]
    return text


def normalise_set(name: str, values: list[str]) -> set[str]:
    """A list field as a comparable set."""
    if name == "formats":
        return {format_token(str(v)) for v in values}
    return {fold(str(v)) for v in values}


@dataclass
class Check:
    """One gold field of one case and what the engine made of it."""

    case: dict[str, Any]
    name: str
    expected: Any
    got: Any
    hit: bool


def judge(name: str, expected: Any, brief: Brief) -> tuple[bool, Any]:
    """Whether the brief's value for a field matches its gold, and the value as shown in a miss."""
    got = brief.get(name)
    if isinstance(got, date):
        got = got.isoformat()
    if expected is None:
        return not brief.has(name), got
    if not brief.has(name):
        return False, got
    if name in SET_FIELDS:
        return normalise_set(name, got) == normalise_set(name, list(expected)), got
    if name == "copy":
        if expected in COPY_CLASSES:
            shown = f"{copy_class(str(got))} ({got!r})"
            return copy_class(str(got)) == expected, shown
        return fold(str(expected)) in fold(str(got)), got
    if name in SUBSTRING_FIELDS:
        return fold(str(expected)) in fold(str(got)), got
    if name in COUNT_FIELDS:
        return count(str(got)) == count(str(expected)), got
    if name == "duration":
        return seconds(str(got)) == seconds(str(expected)), got
    if name == "deadline":
        return str(got) == str(expected), got
    return fold(str(got)) == fold(str(expected)), got


def run_case(engine: RulesEngine, catalog: Catalog, today: date, timezone: str, case: dict[str, Any]) -> list[Check]:
    """Analyse one case against its draft and judge every gold field."""
    draft = Brief(request_type=case.get("draft_type"))
    ctx = AnalysisContext(today, timezone, catalog, draft=draft, expecting=case.get("expecting"))
    extraction = engine.extract(case["text"], ctx)
    brief = apply(draft, extraction, catalog)
    checks = []
    for name, expected in case["gold"].items():
        if isinstance(expected, date):
            expected = expected.isoformat()
        hit, got = judge(name, expected, brief)
        checks.append(Check(case=case, name=name, expected=expected, got=got, hit=hit))
    return checks


def ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def figures(checks: list[Check]) -> dict[str, Any]:
    """Per-field, per-language and overall accuracy."""
    by_field: dict[str, list[bool]] = defaultdict(list)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    by_case: dict[str, list[bool]] = defaultdict(list)
    negatives: list[bool] = []
    for check in checks:
        by_field[check.name].append(check.hit)
        by_lang[str(check.case["lang"])].append(check.hit)
        by_case[str(check.case["id"])].append(check.hit)
        if check.expected is None:
            negatives.append(check.hit)

    def block(groups: dict[str, list[bool]]) -> dict[str, dict[str, Any]]:
        return {
            key: {"hits": sum(v), "n": len(v), "accuracy": round(ratio(sum(v), len(v)), 3)}
            for key, v in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
        }

    all_hits = [check.hit for check in checks]
    cases_right = sum(all(v) for v in by_case.values())
    return {
        "fields": block(by_field),
        "languages": block(by_lang),
        "negatives": {
            "hits": sum(negatives),
            "n": len(negatives),
            "accuracy": round(ratio(sum(negatives), len(negatives)), 3),
        },
        "overall": {
            "hits": sum(all_hits),
            "n": len(all_hits),
            "accuracy": round(ratio(sum(all_hits), len(all_hits)), 3),
        },
        "cases": {"all_right": cases_right, "n": len(by_case), "accuracy": round(ratio(cases_right, len(by_case)), 3)},
    }


def print_figures(result: dict[str, Any]) -> None:
    def row(label: str, entry: dict[str, Any]) -> None:
        print(f"  {label:<14} {entry['accuracy']:.3f}  ({entry['hits']}/{entry['n']})")

    print("per field")
    for name, entry in result["fields"].items():
        row(name, entry)
    print("per language")
    for lang, entry in result["languages"].items():
        row(lang, entry)
    print("overall")
    row("fields", result["overall"])
    row("null gold", result["negatives"])
    cases = result["cases"]
    print(f"  {'cases':<14} {cases['accuracy']:.3f}  ({cases['all_right']}/{cases['n']} with every field right)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="labelled YAML file")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--json", action="store_true", help="print the figures (and misses with --verbose) as JSON")
    args = parser.parse_args(argv)

    data = yaml.safe_load(args.data.read_text(encoding="utf-8"))
    today = data["today"] if isinstance(data["today"], date) else date.fromisoformat(str(data["today"]))
    timezone = str(data.get("timezone", "UTC"))
    catalog, engine = load_catalog(), RulesEngine()
    checks = [check for case in data["cases"] for check in run_case(engine, catalog, today, timezone, case)]
    result = figures(checks)
    misses = [check for check in checks if not check.hit]
    if args.json:
        if args.verbose:
            result["misses"] = [
                {"id": m.case["id"], "text": m.case["text"], "field": m.name, "expected": m.expected, "got": m.got}
                for m in misses
            ]
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"understanding dev set: {len(data['cases'])} cases, today {today.isoformat()}")
    print_figures(result)
    if args.verbose:
        print(f"\nmisses ({len(misses)}):")
        for m in misses:
            print(f"- {m.case['id']} [{m.name}] {m.case['text']!r}: expected {m.expected!r}, got {m.got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
