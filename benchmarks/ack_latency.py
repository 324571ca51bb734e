"""Ack latency, time to first reply and memory under load: ``run --http --workers 2`` against a bare Bolt app.

Usage: .venv/bin/python benchmarks/ack_latency.py [--seconds 60] [--rate 50] [--worker-threads 64]
       [--db postgresql+psycopg://postgres@127.0.0.1:5432/creative_bench]

Ours is the production layout: ``creative-intake run --http --no-scheduler --workers 2`` (the web process only
stores each delivery in the inbox and acks; two worker child processes, ``WORKER_THREADS`` threads each, do
the work and send the outbox). The fake Slack Web API and a fake OpenAI (``--llm-latency``, 800 ms per call)
run in a separate process (benchmarks/harness.py). The database is a temporary SQLite file, or with ``--db``
a PostgreSQL database named ``creative_bench…`` that is dropped and created first and dropped at the end.

Signed ``message.im`` events, each from a new user (a new conversation) with a new event id, are sent
open-loop at ``--rate`` per second for ``--seconds`` by a pool of sender threads. Per event: the ack time
(HTTP answer received) and the first reply, the time until the fake Slack receives the first
``chat.postMessage`` to that user's DM that is not the "Working on it…" placeholder. After the last send the
script waits at most ``--reply-timeout`` for stragglers; events still without a reply are "unanswered". Then
the peak RSS (VmHWM) of the web processes (``run``, the gunicorn master, and its gunicorn worker) and of each
worker process. Then the same load against a bare Bolt app that only acks, served by the same gunicorn
configuration (``handlers.server.run_gunicorn``). Loopback only; every wait is bounded.

Targets (issue 10): p99 ack ≤ 3× bare and < 20 ms, p50 ack ≤ 1.5× bare, zero non-200, first-reply p99 < 1.5 s.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import harness as h

TEXTS = (
    "need a 30s youtube pre-roll for the spring launch, 16:9",
    "can we get an instagram carousel for the webinar next week?",
    "banner set for the summer sale, google display, due in 3 weeks",
    "we need a one-pager for the sales team about the new pricing",
)
_users = itertools.count(1)


@dataclass(frozen=True)
class Sample:
    """One event: its user, when it was due (monotonic seconds), and its HTTP answer."""

    user: str
    due: float
    answer: h.Answer


@dataclass(frozen=True)
class Acks:
    """The ack figures of one run, in milliseconds."""

    p50: float
    p90: float
    p99: float
    max: float
    non_200: int


# ---------------------------------------------------------------------- bare Bolt app (run as a subprocess)


def serve_bare(port: int) -> None:
    """A Bolt app that only acks messages, under HTTP mode's gunicorn configuration (blocks)."""
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    from handlers.server import EVENTS_PATH, run_gunicorn

    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    def ack_only(ack: Ack) -> None:
        ack()

    app.event("message")(ack_only)
    run_gunicorn(SlackRequestHandler(app, path=EVENTS_PATH), port)


# ---------------------------------------------------------------------- load


def send_one(url: str, user: str, text: str, due: float) -> Sample:
    """Send one DM event from ``user`` and time its ack."""
    return Sample(user, due, h.deliver(url, h.dm_payload(user, text)))


def run_load(url: str, rate: float, count: int, senders: int, label: str) -> list[Sample]:
    """Open-loop load: event i is due at start + i / rate, whatever the earlier answers; every sample."""
    start = time.monotonic() + 0.2
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="sender") as pool:
        futures = []
        for i in range(count):
            due = start + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            user = f"U{label}{next(_users):06d}"
            futures.append(pool.submit(send_one, url, user, TEXTS[i % len(TEXTS)], due))
        return [future.result() for future in futures]


def first_replies(fakes: h.Fakes, samples: Sequence[Sample], timeout: float) -> dict[str, float]:
    """Per user, when the fake Slack received the first real post to its DM; waits up to ``timeout``."""
    channels = {f"D{s.user}": s.user for s in samples}
    deadline, report = time.monotonic() + timeout, time.monotonic() + 10
    firsts: dict[str, float] = {}
    read = 0
    while True:
        posts = fakes.refresh()
        for post in posts[read:]:
            user = channels.get(post.channel)
            if user and user not in firsts and post.method == "chat.postMessage" and post.real:
                firsts[user] = post.at
        read = len(posts)
        now = time.monotonic()
        if len(firsts) == len(channels) or now >= deadline:
            return firsts
        if now >= report:
            print(f"  … first replies {len(firsts)}/{len(channels)}", flush=True)
            report = now + 10
        time.sleep(0.5)


# ---------------------------------------------------------------------- figures


def ack_figures(name: str, samples: Sequence[Sample]) -> Acks:
    """Print and return the ack figures of one run."""
    acks = [s.answer.ms for s in samples]
    lag = max((s.answer.sent - s.due) * 1000 for s in samples)
    figures = Acks(
        p50=h.percentile(acks, 50),
        p90=h.percentile(acks, 90),
        p99=h.percentile(acks, 99),
        max=max(acks),
        non_200=sum(s.answer.status != 200 for s in samples),
    )
    statuses = Counter("no answer" if s.answer.status == 0 else str(s.answer.status) for s in samples)
    del statuses["200"]
    print(
        f"{name}: {len(samples)} events, ack p50 {figures.p50:.1f} ms, p90 {figures.p90:.1f} ms, "
        f"p99 {figures.p99:.1f} ms, max {figures.max:.1f} ms; non-200: {figures.non_200} {dict(statuses) or ''}; "
        f"acks over Slack's 3 s: {sum(a > 3000 for a in acks)} (worst send lag {lag:.1f} ms)",
        flush=True,
    )
    return figures


def reply_figures(samples: Sequence[Sample], firsts: dict[str, float], waited: float) -> tuple[float, int]:
    """Print the time to first reply; return its p99 (s) and how many events got none."""
    delays = [(firsts[s.user] - s.answer.sent) if s.user in firsts else float("inf") for s in samples]
    unanswered = sum(d == float("inf") for d in delays)
    p50, p99 = h.percentile(delays, 50), h.percentile(delays, 99)
    print(
        f"ours: first reply p50 {p50:.2f} s, p99 {p99:.2f} s, max {max(delays):.2f} s; "
        f"unanswered at the end: {unanswered} of {len(samples)} (waited up to {waited:.0f} s after the last send)",
        flush=True,
    )
    return p99, unanswered


def print_memory(web: h.Proc) -> None:
    """Peak RSS of the web processes (master and gunicorn worker) and of each worker process."""
    print(f"ours web process (run, gunicorn master) pid {web.pid}: peak RSS {h.peak_rss_mb(web.pid):.1f} MB")
    for pid, argv in h.descendants(web.pid):
        role = "worker process" if "worker" in argv else "web process (gunicorn worker)"
        print(f"ours {role} pid {pid}: peak RSS {h.peak_rss_mb(pid):.1f} MB")


# ---------------------------------------------------------------------- runs


def run_ours(args: argparse.Namespace, fakes: h.Fakes, workdir: Path) -> tuple[Acks, float, int]:
    """Load our app; print acks, first replies, memory and log warnings; the ack figures, first-reply p99 and
    how many events went unanswered."""
    database_url = h.fresh_postgres(args.db) if args.db else h.sqlite_url(workdir)
    port = h.free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [str(h.APP), "run", "--http", "--port", str(port), "--no-scheduler", "--workers", str(args.workers)]
    env = h.app_env(fakes, database_url, WORKER_THREADS=str(args.worker_threads))
    print(
        f"ours: run --http --no-scheduler --workers {args.workers}, WORKER_THREADS={args.worker_threads}, "
        f"database {h.shown(database_url)}",
        flush=True,
    )
    web = h.start(argv, env, workdir, "ours")
    try:
        h.wait_healthy(web, url)
        deadline = time.monotonic() + 60
        while web.log.read_text(errors="replace").count("worker started") < args.workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker processes did not start:\n{h.tail(web.log)}")
            time.sleep(0.1)
        warm = run_load(url, args.rate, args.warmup, args.senders, label="W")
        first_replies(fakes, warm, timeout=30)
        print(f"  machine before ours: {h.machine()}", flush=True)
        samples = run_load(url, args.rate, int(args.rate * args.seconds), args.senders, label="L")
        print(f"  machine after ours: {h.machine()}", flush=True)
        acks = ack_figures("ours", samples)
        firsts = first_replies(fakes, samples, timeout=args.reply_timeout)
        p99, unanswered = reply_figures(samples, firsts, args.reply_timeout)
        print_memory(web)
    finally:
        web.stop()
        if args.db:
            h.drop_postgres(database_url)
    for line, count in h.problem_lines([web.log]):
        print(f"  log ×{count}: {line}")
    return acks, p99, unanswered


def run_bare(args: argparse.Namespace, fakes: h.Fakes, workdir: Path) -> Acks:
    """The same load against the ack-only Bolt app."""
    port = h.free_port()
    argv = [sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(port)]
    env = h.app_env(fakes, "sqlite://") | {"PYTHONPATH": str(h.ROOT)}
    bare = h.start(argv, env, workdir, "bare")
    try:
        h.wait_listening(bare, port)
        url = f"http://127.0.0.1:{port}"
        run_load(url, args.rate, args.warmup, args.senders, label="V")
        print(f"  machine before bare: {h.machine()}", flush=True)
        samples = run_load(url, args.rate, int(args.rate * args.seconds), args.senders, label="B")
        print(f"  machine after bare: {h.machine()}", flush=True)
        return ack_figures("bare Bolt", samples)
    finally:
        bare.stop()


def check(name: str, ok: bool, figures: str) -> bool:
    """Print one target's verdict."""
    print(f"  [{'met' if ok else 'MISSED'}] {name}: {figures}")
    return ok


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="load duration per app (default 60)")
    parser.add_argument("--rate", type=float, default=50, help="events per second (default 50)")
    parser.add_argument("--senders", type=int, default=128, help="sender threads (default 128)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured events sent first (default 20)")
    parser.add_argument("--llm-latency", type=float, default=0.8, help="fake OpenAI latency, seconds (default 0.8)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of run (default 2)")
    parser.add_argument("--worker-threads", type=int, default=64, help="WORKER_THREADS (default 64)")
    parser.add_argument(
        "--reply-timeout", type=float, default=60, help="longest wait for replies after the last send (default 60 s)"
    )
    parser.add_argument("--db", help="a PostgreSQL URL whose database is named creative_bench… (default: SQLite)")
    parser.add_argument("--logs", type=Path, help="keep the processes' logs (and the SQLite file) in this folder")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run both loads, print the figures and the verdicts; exit 1 when a target is missed."""
    args = parse_args(argv)
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return 0
    print(
        f"load: {args.rate:g} message.im events/s from distinct users for {args.seconds:g} s, "
        f"{args.senders} senders, fake LLM {args.llm_latency:g} s per call",
        flush=True,
    )
    print(f"machine at start: {h.machine()}", flush=True)
    fakes = h.start_fakes(args.llm_latency)
    try:
        with tempfile.TemporaryDirectory(prefix="ack-bench-") as tmp:
            workdir = args.logs or Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            ours, reply_p99, unanswered = run_ours(args, fakes, workdir)
            bare = run_bare(args, fakes, workdir)
    finally:
        fakes.close()
    print(f"machine at end: {h.machine()}")
    print("targets:")
    verdicts = [
        check("p99 ack ≤ 3× bare", ours.p99 <= 3 * bare.p99, f"{ours.p99:.1f} ms vs 3 × {bare.p99:.1f} ms"),
        check("p99 ack < 20 ms", ours.p99 < 20, f"{ours.p99:.1f} ms"),
        check("p50 ack ≤ 1.5× bare", ours.p50 <= 1.5 * bare.p50, f"{ours.p50:.1f} ms vs 1.5 × {bare.p50:.1f} ms"),
        check("zero non-200", ours.non_200 == 0 and bare.non_200 == 0, f"ours {ours.non_200}, bare {bare.non_200}"),
        check("first-reply p99 < 1.5 s", reply_p99 < 1.5, f"{reply_p99:.2f} s ({unanswered} unanswered)"),
    ]
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
