"""The dialogue benchmark (issue 13 item 9): scripted multi-turn intake conversations, played in-process.

Usage: .venv/bin/python benchmarks/dialogues.py [--set dev|heldout|heldout2|heldout3|all] [--engine rules|llm]
       [--verbose] [--json]

Each dialogue of ``data/dialogues/<set>.yml`` (the schema is in dev.yml's header) is played through the
real ``Conversation`` on its own SQLite database, with the clock at 10:00 of the dialogue's day in its time
zone. Its turns are the requester's messages; a pool of answers is given one key at a time, when the bot's
question (``draft.expecting``, or the pending rush or duplicate choice) is about that key. Once the script is
spent the requester says ``submit`` at the confirm step, accepts a day the bot offers, clicks Keep or It's
new, repeats an answer the bot asks for again, and says "not sure" to anything else (counted as
unscripted). A dialogue stops when submitted, dropped, or at ``min_turns + CAP_SLACK`` messages.

Figures per set: completion (every deliverable submitted within the cap), turns to Submit over the minimum
(mean ratio, completed dialogues), re-asks of given facts (the bot asks for a field the requester had stated
or the draft had held), identical consecutive replies, corrections honoured, final type / channels exact /
deadline / key fields (substrings, case-insensitive), rush and duplicate detection, linked requests.
The benchmark measures; it is not a test, and the engine is never tuned on the held-out set.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bootstrap import build_analyzer
from bot.briefs.catalog import load_catalog
from bot.briefs.model import FIELD_NAMES, Brief
from bot.intake.answers import Choice
from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming, Reply, ReplyKind
from bot.platform.clock import FixedClock
from bot.platform.settings import load_settings
from bot.requests.lifecycle import Status
from storage.db import Database
from storage.models import Draft, Request

DATA = Path(__file__).parent / "data" / "dialogues"
SETS = ("dev", "heldout", "heldout2", "heldout3")
#: Messages a dialogue may take beyond its minimum before it counts as not completed.
CAP_SLACK = 6
REQUESTER, DM = "U1", "D1"
#: What the bot can be asking besides a field: the two yes/no choices and the confirm step.
CHOICE_KEYS = ("rush", "duplicate")
CONFIRM = "confirm"
#: Buttons for the scripted choice words.
BUTTONS = {"keep": Choice.KEEP, "move": Choice.MOVE, "new": Choice.NEW_WORK, "same": Choice.DUPLICATE}
#: Answers that state nothing (the benchmark's own reading, in the five languages): not a given fact.
UNSURE = re.compile(
    r"^\W*(not sure|no idea|idk|n/?a|no s[eé]|ni idea|je ne sais pas|wei(ß|ss) (ich )?nicht|keine ahnung"
    r"|n[aã]o sei)\W*$",
    re.IGNORECASE,
)
GOLD_KEYS = {"request_type", "channels", "deadline", "fields", "rush", "duplicate"}
RATES = (
    "completion",
    "reask_rate",
    "dialogues_with_reask",
    "identical_rate",
    "corrections",
    "type",
    "channels_exact",
    "deadline",
    "fields",
    "rush",
    "duplicate",
    "linked",
)


# ------------------------------------------------------------------------------------------ the data


def load(name: str) -> list[dict[str, Any]]:
    """The dialogues of one set (an empty file is an empty set)."""
    loaded = yaml.safe_load((DATA / f"{name}.yml").read_text(encoding="utf-8"))
    return list(loaded or [])


def problems(dialogues: list[dict[str, Any]]) -> list[str]:
    """What is wrong with a set's schema: missing keys, unknown fields, duplicate ids."""
    found: list[str] = []
    seen: set[str] = set()
    for d in dialogues:
        name = d.get("id", "?")
        if name in seen:
            found.append(f"{name}: duplicate id")
        seen.add(name)
        for key in ("id", "lang", "today", "tz", "turns", "gold", "min_turns"):
            if key not in d:
                found.append(f"{name}: no {key}")
        if not d.get("turns"):
            found.append(f"{name}: no turns")
        gold = d.get("gold") or {}
        found += [f"{name}: gold has no {key}" for key in sorted(GOLD_KEYS - set(gold))]
        named = set(gold.get("fields") or {}) | {c["field"] for c in gold.get("corrections") or []}
        for turn in d.get("turns") or []:
            if isinstance(turn, dict):
                named |= set(turn.get("gives") or []) | (set(turn.get("answers") or {}) - set(CHOICE_KEYS))
        found += [f"{name}: unknown field {f}" for f in sorted(named - set(FIELD_NAMES))]
    return found


# ------------------------------------------------------------------------------------------ playing


@dataclass
class Outcome:
    """One dialogue played: what happened, and each gold check's verdict."""

    dialogue: dict[str, Any]
    transcript: list[str] = field(default_factory=list)
    messages: int = 0
    submitted: list[Request] = field(default_factory=list)
    questions: int = 0
    reasks: list[str] = field(default_factory=list)
    replies: int = 0
    identical: int = 0
    unscripted: int = 0
    flagged_duplicate: bool = False
    brief: Brief = field(default_factory=Brief)
    rush: bool = False
    checks: dict[str, bool] = field(default_factory=dict)
    field_checks: dict[str, bool] = field(default_factory=dict)
    correction_checks: list[bool] = field(default_factory=list)

    @property
    def gold(self) -> dict[str, Any]:
        gold: dict[str, Any] = self.dialogue["gold"]
        return gold

    @property
    def completed(self) -> bool:
        return len(self.submitted) == 1 + len(self.gold.get("linked") or [])

    @property
    def failed(self) -> list[str]:
        """The checks that failed, named."""
        out = [] if self.completed else ["completion"]
        out += [name for name, ok in self.checks.items() if not ok]
        out += [f"field {name}" for name, ok in self.field_checks.items() if not ok]
        out += ["correction"] * self.correction_checks.count(False)
        out += ["re-ask " + ", ".join(self.reasks)] if self.reasks else []
        out += [f"{self.identical} identical replies"] if self.identical else []
        return out


class Player:
    """Plays one dialogue's script against the conversation, answering what the bot asks."""

    def __init__(self, convo: Conversation, db: Database, dialogue: dict[str, Any]) -> None:
        self.convo, self.db, self.tz = convo, db, dialogue["tz"]
        self.turns: deque[Any] = deque(dialogue["turns"])
        self.pool: dict[str, Any] = {}
        self.answered: dict[str, str] = {}
        self.given: set[str] = set()
        self.out = Outcome(dialogue)
        self.cap = int(dialogue["min_turns"]) + CAP_SLACK

    def play(self) -> Outcome:
        reply: Reply | None = None
        previous = None
        while self.out.messages < self.cap:
            text, button = self._message(self._asking(reply))
            self.out.transcript.append(f"  requester: {text if button is None else f'[button {button}]'}")
            reply = self.convo.handle(Incoming(REQUESTER, DM, text, self.tz, choice=button))
            self.out.messages += 1
            self.out.replies += 1
            self.out.transcript.append("  bot: " + reply.text.replace("\n", "\n       "))
            self.out.identical += int(reply.text == previous)
            previous = reply.text
            if reply.kind in (ReplyKind.SUBMITTED, ReplyKind.CANCELLED):
                break
            self._observe(reply)
        self._finish(reply)
        return self.out

    def _draft(self) -> Draft | None:
        with self.db.uow.read() as u:
            return u.drafts.get(REQUESTER, DM)

    def _asking(self, reply: Reply | None) -> str | None:
        """What the bot's last reply asks for: a field, a choice, the confirm step, or nothing."""
        if reply is None:
            return None
        if reply.kind is ReplyKind.CONFIRM:
            return CONFIRM
        draft = self._draft()
        if draft is None:
            return None
        for key in CHOICE_KEYS:
            if draft.pending.get(f"{key}_question"):
                return key
        return draft.expecting

    def _observe(self, reply: Reply) -> None:
        """Count the question and whether it re-asks a given fact; remember what the draft holds."""
        draft = self._draft()
        if draft is not None:
            held = Brief.model_validate(draft.brief)
            self.given |= {name for name in FIELD_NAMES if name != "title" and held.has(name)}
        if reply.kind is not ReplyKind.QUESTION:
            return
        self.out.questions += 1
        asking = self._asking(reply)
        if reply.choices:
            self.out.flagged_duplicate |= asking == "duplicate"
        offered = draft is not None and draft.pending.get("suggested_deadline")
        if asking in self.given and not offered:
            self.out.reasks.append(asking)

    def _message(self, asking: str | None) -> tuple[str, str | None]:
        """The requester's next message (text, button): the script's, else the requester's obvious reply."""
        while True:
            if asking in self.pool:
                return self._answer(asking, str(self.pool.pop(asking)))
            if not self.turns:
                break
            turn = self.turns.popleft()
            if isinstance(turn, dict) and "answers" in turn:
                self.pool.update(turn["answers"])
                continue
            if isinstance(turn, dict):
                self.given |= set(turn.get("gives") or [])
                return str(turn["say"]), None
            return str(turn), None
        return self._unscripted(asking)

    def _answer(self, key: str, value: str) -> tuple[str, str | None]:
        self.answered[key] = value
        if not UNSURE.match(value):
            self.given.add(key)
        if key in CHOICE_KEYS and value in BUTTONS:
            return value, BUTTONS[value]
        return value, None

    def _unscripted(self, asking: str | None) -> tuple[str, str | None]:
        if asking == CONFIRM:
            return "submit", None
        self.out.unscripted += 1
        if asking == "rush":
            return "keep", Choice.KEEP
        if asking == "duplicate":
            return "new", Choice.NEW_WORK
        draft = self._draft()
        if asking == "deadline" and draft is not None and draft.pending.get("suggested_deadline"):
            return "yes", None
        if asking in self.answered:
            return self.answered[asking], None
        return "not sure", None

    def _finish(self, reply: Reply | None) -> None:
        """The final brief (the submitted one of the gold type, else the draft's) against the gold."""
        with self.db.uow.read() as u:
            self.out.submitted = list(reversed(u.requests.for_requester(REQUESTER, list(Status))))
        gold = self.out.gold
        main = next((r for r in self.out.submitted if r.request_type == gold["request_type"]), None)
        main = main or (self.out.submitted[0] if self.out.submitted else None)
        draft = self._draft()
        if main is not None:
            self.out.brief, self.out.rush = Brief.model_validate(main.brief), main.rush
        elif draft is not None:
            self.out.brief = Brief.model_validate(draft.brief)
            self.out.rush = bool(reply and reply.assessment and reply.assessment.rush)
        grade(self.out)
        brief = self.out.brief
        shown = {name: brief.get(name) for name in ("request_type", "channels", "deadline", *gold["fields"])}
        self.out.transcript.append(f"  final brief (rush {self.out.rush}): {shown}")


def grade(out: Outcome) -> None:
    """Each gold check's verdict on the final brief."""
    gold, brief = out.gold, out.brief
    out.checks = {
        "type": brief.request_type == gold["request_type"],
        "channels": set(brief.channels) == set(gold["channels"]),
        "deadline": brief.deadline == _day(gold["deadline"]),
        "rush": out.rush == bool(gold["rush"]),
        "duplicate": out.flagged_duplicate == bool(gold["duplicate"]),
    }
    if gold.get("linked"):
        out.checks["linked"] = out.completed
    out.field_checks = {name: want.casefold() in _text(brief.get(name)) for name, want in gold["fields"].items()}
    out.correction_checks = [_holds(brief, c) for c in gold.get("corrections") or []]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)).casefold()
    return "" if value is None else str(value).casefold()


def _holds(brief: Brief, correction: dict[str, Any]) -> bool:
    value = brief.get(correction["field"])
    if "is" in correction:
        want = correction["is"]
        return bool(value == _day(want)) if isinstance(value, date) else _text(value) == _text(want)
    has = correction.get("has")
    lacks = correction.get("lacks")
    return (has is None or str(has).casefold() in _text(value)) and (
        lacks is None or str(lacks).casefold() not in _text(value)
    )


def _seed(convo: Conversation, seed: dict[str, Any], requester: str, tz: str) -> None:
    """A request someone else submitted earlier, entered through the same conversation."""
    reply = convo.handle(Incoming(requester, "DSEED", str(seed["text"]), tz))
    for _ in range(12):  # each open field answered "you decide" (objective and audience are asked twice)
        if reply.kind is ReplyKind.SUBMITTED:
            return
        words, button = ("submit", None) if reply.kind is ReplyKind.CONFIRM else ("you decide", None)
        if reply.choices:
            words, button = "", Choice.KEEP if "keep" in reply.text else Choice.NEW_WORK
        reply = convo.handle(Incoming(requester, "DSEED", words, tz, choice=button))
    if reply.kind is ReplyKind.SUBMITTED:  # on the last answer
        return
    raise ValueError(f"seed not submitted: {seed['text']!r}: {reply.text}")


def play(dialogue: dict[str, Any], engine: str = "rules") -> Outcome:
    """One dialogue on a fresh database: the seeds first, then the script."""
    catalog = load_catalog()
    tz = dialogue["tz"]
    at = datetime.combine(_day(dialogue["today"]), time(10), ZoneInfo(tz))
    clock = FixedClock(at)
    analyzer = build_analyzer(load_settings(), catalog, engine, clock)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/dialogue.db")
        try:
            db.upgrade()
            convo = Conversation(db.uow, analyzer, catalog, clock)
            for n, seed in enumerate(dialogue.get("seed") or []):
                clock.set(at - timedelta(days=int(seed.get("days_ago", 0))))
                _seed(convo, seed, f"USEED{n}", tz)
            clock.set(at)
            return Player(convo, db, dialogue).play()
        finally:
            db.dispose()


# ------------------------------------------------------------------------------------------ figures


def _share(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    """A set's figures: rates in [0, 1] (None when nothing to measure), the mean turn ratio, counts."""
    done = [o for o in outcomes if o.completed]
    questions = sum(o.questions for o in outcomes)
    replies = sum(o.replies for o in outcomes)
    rates: dict[str, float | None] = {
        "completion": _share([o.completed for o in outcomes]),
        "reask_rate": sum(len(o.reasks) for o in outcomes) / questions if questions else None,
        "dialogues_with_reask": _share([bool(o.reasks) for o in outcomes]),
        "identical_rate": sum(o.identical for o in outcomes) / replies if replies else None,
        "corrections": _share([ok for o in outcomes for ok in o.correction_checks]),
        "type": _share([o.checks["type"] for o in outcomes]),
        "channels_exact": _share([o.checks["channels"] for o in outcomes]),
        "deadline": _share([o.checks["deadline"] for o in outcomes]),
        "fields": _share([ok for o in outcomes for ok in o.field_checks.values()]),
        "rush": _share([o.checks["rush"] for o in outcomes]),
        "duplicate": _share([o.checks["duplicate"] for o in outcomes]),
        "linked": _share([o.checks["linked"] for o in outcomes if "linked" in o.checks]),
    }
    ratios = [o.messages / int(o.dialogue["min_turns"]) for o in done]
    return {
        "dialogues": len(outcomes),
        "rates": rates,
        "turn_ratio": statistics.mean(ratios) if ratios else None,
        "unscripted_answers": sum(o.unscripted for o in outcomes),
        "by_language": {
            lang: _share([o.completed for o in outcomes if o.dialogue["lang"] == lang])
            for lang in sorted({o.dialogue["lang"] for o in outcomes})
        },
    }


def _cell(value: float | None, percent: bool = True) -> str:
    if value is None:
        return "—"
    return f"{value:.0%}" if percent else f"{value:.2f}"


def table(results: dict[str, dict[str, Any]]) -> str:
    """The figures of each set side by side."""
    names = list(results)
    rows = [("dialogues", [str(results[n]["dialogues"]) for n in names])]
    rows += [(rate, [_cell(results[n]["rates"][rate]) for n in names]) for rate in RATES]
    rows.append(("turns / minimum (mean)", [_cell(results[n]["turn_ratio"], percent=False) for n in names]))
    rows.append(("unscripted answers", [str(results[n]["unscripted_answers"]) for n in names]))
    langs = sorted({lang for n in names for lang in results[n]["by_language"]})
    rows += [(f"completion {lang}", [_cell(results[n]["by_language"].get(lang)) for n in names]) for lang in langs]
    width = max(len(label) for label, _ in rows) + 2
    lines = ["".ljust(width) + "".join(n.rjust(10) for n in names)]
    lines += [label.ljust(width) + "".join(c.rjust(10) for c in cells) for label, cells in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=[*SETS, "all"], default="dev")
    parser.add_argument("--engine", choices=["rules", "llm"], default="rules")
    parser.add_argument("--verbose", action="store_true", help="print the transcript of each failing dialogue")
    parser.add_argument("--json", action="store_true", help="machine-readable figures")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    failures: dict[str, dict[str, list[str]]] = {}
    for name in SETS if args.set == "all" else (args.set,):
        dialogues = load(name)
        if wrong := problems(dialogues):
            print("\n".join(wrong), file=sys.stderr)
            return 2
        outcomes = [play(d, args.engine) for d in dialogues]
        results[name] = figures(outcomes)
        failures[name] = {o.dialogue["id"]: o.failed for o in outcomes if o.failed}
        if args.verbose and not args.json:
            for o in outcomes:
                if o.failed:
                    print(f"\n== {o.dialogue['id']} ({name}): {'; '.join(o.failed)}")
                    print("\n".join(o.transcript))
    if args.json:
        print(json.dumps({"engine": args.engine, "sets": results, "failures": failures}, indent=2))
    else:
        print(f"\nDialogue benchmark, {args.engine} engine\n")
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
