"""LLM economy over 20 scripted intake conversations (SPEC 7: one LLM call per requester message at most).

Usage: .venv/bin/python benchmarks/llm_economy.py [--verbose] [--check]

Runs the real ``Conversation`` (temporary SQLite database, migrated) with the real ``LLMEngine`` pointed at
the local FakeOpenAI server, and prints LLM calls per requester message (target <= 1.0) and prompt tokens
per call (target <= 2,000; mean, p95 and max, as the fake counts them from what it received: about four
characters a token, the response schema included).

The fake answers plausibly: its responder reads the request it received (today, the field last asked for,
the draft and the delimited requester text), runs the offline rules engine on that text against that draft,
and returns the merged brief as the model's JSON. So the conversations progress as they would with a
model that extracts what the rules engine extracts; the figures measure what is sent, not model quality.
Commands (``submit``, ``yes``, ``keep``, ``move``, ``status``, ``help``, ``cancel``) must cost no call.
Exit code 0, unless ``--check`` is given and a target is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.openai_server import Behaviour, FakeOpenAI, prompt_tokens, reply  # noqa: E402

from bot.analysis.analyzer import Analyzer  # noqa: E402
from bot.analysis.contract import AnalysisContext  # noqa: E402
from bot.analysis.llm import LLMEngine  # noqa: E402
from bot.analysis.llm_schema import PROPOSED_FIELDS, schema_key  # noqa: E402
from bot.analysis.merge import apply  # noqa: E402
from bot.analysis.rules.engine import RulesEngine  # noqa: E402
from bot.briefs.catalog import Catalog, load_catalog  # noqa: E402
from bot.briefs.model import Brief  # noqa: E402
from bot.intake.conversation import Conversation  # noqa: E402
from bot.intake.messages import Incoming, ReplyKind  # noqa: E402
from bot.platform.clock import FixedClock  # noqa: E402
from storage.db import Database  # noqa: E402

TARGETS = {"calls_per_message": 1.0, "prompt_tokens_per_call": 2000}
COMMANDS = {"submit", "yes", "keep", "move", "no", "status", "help", "cancel", "start over"}
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday morning

#: Twenty intake conversations: every request type, corrections, bare answers, rush and duplicate questions,
#: commands mid-way, a cancel and a restart. Each is one requester's messages in order.
SCRIPTS: list[list[str]] = [
    [
        "Hi! I need a 30s YouTube pre-roll for the spring launch, 16:9, due in 4 weeks",
        "Goal: drive pre-orders of the new running shoe. Audience: runners aged 25-40 in Germany",
        "submit",
    ],
    [
        "need an instagram carousel for the summer sale",
        "by March 20",
        "to drive traffic to the sale page, for young parents in the UK",
        "copy: we have it",
        "actually make it square, 1080x1080",
        "status",
        "yes",
    ],
    [
        "Can you design our April newsletter? It's to announce the new loyalty programme to existing customers.",
        "April 10",
        "copy needed, please write it",
        "submit",
        "status",
    ],
    [
        "We need a landing page for the webinar on data privacy, url will be example.com/privacy-webinar",
        "due April 24",
        "Goal: get 300 registrations. Audience: IT managers in mid-size companies",
        "copy comes from Lena in product marketing",
        "help",
        "submit",
    ],
    [
        "display ads for google ads and meta ads, 300x250 and 728x90, for the spring campaign, due March 4",
        "keep",
        "Goal: retarget site visitors to drive sign-ups. Audience: trial users who didn't convert",
        "submit",
    ],
    [
        "500 A5 flyers for the trade show booth in Berlin, to promote the new app to retail buyers, due March 30",
        "submit",
    ],
    [
        "I need a sales deck, about 15 slides, to pitch the enterprise plan to CFOs, by March 27",
        "actually make it 20 slides",
        "submit",
    ],
    [
        "copywriting only: three headlines and a short blurb for the product page to explain the new pricing, "
        "for small business owners, due March 13",
        "submit",
    ],
    [
        "Please adapt the spring launch video for France and Spain, source: https://drive.google.com/file/d/abc123",
        "due April 17",
        "to launch the campaign in those markets, for French and Spanish speaking customers",
        "web and social",
        "submit",
    ],
    [
        "We need a new icon set for the mobile app",
        "due April 30",
        "to make the app feel consistent with the rebrand, for our app users",
        "web",
        "in the app's navigation and onboarding screens",
        "yes",
    ],
    [
        "need an infographic about our sustainability report for LinkedIn, due March 25",
        "to show our CO2 reduction to investors and journalists",
        "submit",
    ],
    [
        "need a 15s tiktok video to announce the summer collection for gen z shoppers, due March 5",
        "move",
        "9:16",
        "submit",
    ],
    [
        "need an email newsletter",
        "cancel",
        "start over",
        "need an email to invite customers to the spring event, due March 19, for existing customers in Austria, "
        "copy: we have it",
        "submit",
    ],
    [
        "we need posters for the office about the new security policy, A3, 40 copies, for all employees, "
        "to remind people to lock their screens, due March 16",
        "submit",
    ],
    [
        "Hi! I need a 30s YouTube pre-roll for the spring launch, 16:9, due in 4 weeks",
        "Goal: drive pre-orders of the new running shoe. Audience: runners aged 25-40 in Germany",
        "yes",
        "submit",
    ],
    [
        "linkedin post for the hiring campaign, to attract senior engineers, due March 18",
        "actually it's for LinkedIn and Instagram, not only LinkedIn",
        "1200x627",
        "copy tbd",
        "submit",
    ],
    [
        "we need a roll-up banner for the conference booth, 85x200cm, 2 pieces, due March 24",
        "to present our new platform to conference visitors",
        "status",
        "submit",
    ],
    [
        "email newsletter to drive sign-ups for the spring launch, for marketing managers in DACH, "
        "copy: we have it, due April 30",
        "make the deadline April 28",
        "submit",
    ],
    [
        "I need a short animated GIF for our email signature to promote the webinar, due March 20",
        "move",
        "for prospects and customers who get our emails",
        "about 5 seconds, looping",
        "600x200",
        "submit",
    ],
    [
        "need a video for the all-hands meeting to celebrate Q1 wins, 2 minutes, for all employees, due March 26",
        "16:9",
        "submit",
    ],
]

_REQUEST = re.compile(r"<request>\n(?P<text>.*)\n</request>", re.S)
_TODAY = re.compile(r"^Today: (?P<day>\d{4}-\d{2}-\d{2})", re.M)
_ZONE = re.compile(r"^Time zone: (?P<zone>.+)$", re.M)
_EXPECTING = re.compile(r"^Last asked for: (?P<field>\w+)$", re.M)
_DRAFT = re.compile(r"^Draft: (?P<draft>\{.*\})$", re.M)
_FIELD_BY_KEY = {schema_key(name): name for name in PROPOSED_FIELDS}


def rules_responder(catalog: Catalog) -> Any:
    """A FakeOpenAI responder that answers as the rules engine would, from the request it received."""
    rules = RulesEngine()

    def respond(body: dict[str, Any]) -> Behaviour:
        prompt = body["messages"][-1]["content"]
        draft = {_FIELD_BY_KEY[key]: value for key, value in json.loads(_DRAFT.search(prompt)["draft"]).items()}
        expecting = _EXPECTING.search(prompt)
        ctx = AnalysisContext(
            today=date.fromisoformat(_TODAY.search(prompt)["day"]),
            timezone=_ZONE.search(prompt)["zone"].strip(),
            catalog=catalog,
            draft=Brief.model_validate(draft),
            expecting=_FIELD_BY_KEY.get(expecting["field"]) if expecting else None,
        )
        extraction = rules.extract(_REQUEST.search(prompt)["text"], ctx)
        brief = apply(ctx.draft, extraction, catalog).model_dump(mode="json")
        answer = {schema_key(name): brief[name] for name in PROPOSED_FIELDS}
        answer["cleared"] = [schema_key(name) for name in extraction.cleared]
        return reply(answer)

    return respond


@dataclass
class Tally:
    """What the run cost and achieved."""

    conversations: int = 0
    messages: int = 0
    submitted: int = 0
    fallbacks: int = 0
    command_calls: int = 0
    transcript: list[str] = field(default_factory=list)


def run(server: FakeOpenAI, catalog: Catalog, db: Database) -> Tally:
    """Play every script through one conversation engine; each script is its own requester."""
    llm = LLMEngine(api_key="sk-benchmark", model="fake-model", base_url=server.base_url, timeout_s=5.0)
    convo = Conversation(db.uow, Analyzer(catalog=catalog, rules=RulesEngine(), llm=llm), catalog, FixedClock(NOW))
    tally = Tally(conversations=len(SCRIPTS))
    for number, script in enumerate(SCRIPTS, start=1):
        user = f"U{number:02d}"
        for text in script:
            calls = len(server.requests)
            answer = convo.handle(Incoming(user, f"D{user}", text, "Europe/Berlin"))
            tally.messages += 1
            tally.command_calls += (len(server.requests) - calls) * (text in COMMANDS)
            tally.submitted += answer.kind is ReplyKind.SUBMITTED
            tally.fallbacks += answer.fallback_reason is not None
            tally.transcript.append(
                f"{user} [{len(server.requests) - calls} call] {text[:70]!r}\n"
                f"    -> {answer.kind}: {' / '.join(answer.text.splitlines())[:160]}"
            )
    return tally


def percentile(values: list[int], share: float) -> int:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every message, its LLM calls and the reply")
    parser.add_argument("--check", action="store_true", help="exit non-zero when a target is missed")
    args = parser.parse_args(argv)

    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI() as server:
        db = Database(f"sqlite:///{Path(tmp) / 'economy.db'}")
        db.upgrade()
        server.responder = rules_responder(catalog)
        tally = run(server, catalog, db)
        db.dispose()
    tokens = [prompt_tokens(request.body) for request in server.requests]
    calls_per_message = len(tokens) / tally.messages
    mean_tokens = statistics.fmean(tokens) if tokens else 0.0

    if args.verbose:
        print("\n".join(tally.transcript), end="\n\n")
    print(f"conversations            {tally.conversations}")
    print(f"requester messages       {tally.messages}")
    print(f"LLM calls                {len(tokens)}")
    print(f"calls per message        {calls_per_message:.2f}  (target <= {TARGETS['calls_per_message']})")
    print(
        f"prompt tokens per call   mean {mean_tokens:.0f}  p95 {percentile(tokens, 0.95) if tokens else 0}  "
        f"max {max(tokens, default=0)}  (target <= {TARGETS['prompt_tokens_per_call']})"
    )
    print(f"LLM calls on commands    {tally.command_calls}")
    print(f"fallbacks to rules       {tally.fallbacks}")
    print(f"completions submitted    {tally.submitted}")
    missed = (
        calls_per_message > TARGETS["calls_per_message"]
        or tally.command_calls
        or max(tokens, default=0) > TARGETS["prompt_tokens_per_call"]
    )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
