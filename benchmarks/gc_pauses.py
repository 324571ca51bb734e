"""Garbage-collection pauses of a worker's work, with and without ``freeze_start_up()``.

Usage: .venv/bin/python benchmarks/gc_pauses.py [--messages 600]

Each configuration runs in a fresh interpreter: the language detector warmed up (as ``worker`` does), the
services built on a temporary SQLite database, then ``--messages`` requester DMs through the conversation
engine (rules engine; new conversations and answers). ``gc.callbacks`` time every collection; printed: the
full (generation 2) collections and their longest pause, the longest pause of any collection, the total time
in the collector, the messages' wall time, and what one full collection (``gc.collect()``) then costs: the
pause every full collection makes, whatever triggers it (under load, many).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import gc, json, sys, tempfile, time
from datetime import UTC, datetime
from pathlib import Path
from bootstrap import build_services
from bot.intake.messages import Incoming
from bot.platform.clock import FixedClock
from bot.platform.language import warm_up
from bot.platform.memory import freeze_start_up
from bot.platform.settings import load_settings
from storage.db import Database

mode, messages = sys.argv[1], int(sys.argv[2])
warm_up()
tmp = tempfile.mkdtemp()
db = Database(f"sqlite:///{Path(tmp) / 'gc.db'}")
db.upgrade()
services = build_services(load_settings(database_url=db.url), FixedClock(datetime(2026, 12, 2, 10, tzinfo=UTC)), db=db)
turns = [
    "need a 30s youtube pre-roll for the spring launch, due in 4 weeks",
    "16:9",
    "goal: drive sign-ups for the spring launch. audience: marketing managers in DACH",
]
services.conversation.handle(Incoming("UWARM", "DWARM", turns[0], "UTC"))
if mode == "freeze":
    freeze_start_up()
pauses, started = [], {}
def timed(phase, info):
    if phase == "start":
        started["at"] = time.perf_counter()
    else:
        pauses.append((info["generation"], time.perf_counter() - started["at"]))
gc.callbacks.append(timed)
began = time.perf_counter()
for n in range(messages):
    user = f"UGC{n // len(turns):04d}"
    services.conversation.handle(Incoming(user, "D" + user, turns[n % len(turns)], "UTC"))
wall = time.perf_counter() - began
gc.callbacks.remove(timed)
forced = time.perf_counter()
gc.collect()
forced = time.perf_counter() - forced
full = [s for g, s in pauses if g == 2]
print(json.dumps({
    "collections": len(pauses), "full": len(full), "full_max_ms": max(full, default=0) * 1000,
    "max_ms": max((s for _, s in pauses), default=0) * 1000, "total_ms": sum(s for _, s in pauses) * 1000,
    "wall_s": wall, "forced_ms": forced * 1000, "tracked": len(gc.get_objects()), "frozen": gc.get_freeze_count(),
}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=600)
    args = parser.parse_args(argv)
    print(f"# GC pauses over {args.messages} DMs (rules engine, SQLite), one fresh interpreter per row")
    heads = f"{'collections':>12}{'full':>6}{'full max':>10}{'any max':>10}{'in GC':>8}{'wall':>7}{'a full one':>11}"
    heads += f"{'tracked':>10}"
    print(f"{'':<28}{heads}")
    for mode, label in (("default", "CPython defaults"), ("freeze", "freeze_start_up()")):
        child = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(args.messages)], cwd=ROOT, capture_output=True, text=True
        )
        if child.returncode:
            print(child.stderr, file=sys.stderr)
            return 1
        r = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{label:<28}{r['collections']:>12}{r['full']:>6}{r['full_max_ms']:>8.1f}ms{r['max_ms']:>8.1f}ms"
            f"{r['total_ms']:>6.0f}ms{r['wall_s']:>6.1f}s{r['forced_ms']:>9.1f}ms{r['tracked']:>10,}"
            f"  (frozen {r['frozen']:,})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
