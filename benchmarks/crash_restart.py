"""Nothing lost, nothing doubled: the real processes SIGKILLed and restarted under load, and a Slack outage.

Usage: .venv/bin/python benchmarks/crash_restart.py [--seconds 30] [--rate 10] [--outage-seconds 60]
       [--db postgresql+psycopg://postgres@127.0.0.1:5432/creative_bench] [--only kill|outage] [--logs DIR]

The app runs as in production: ``creative-intake run --http --no-scheduler --workers 0`` (acks only) and
``--workers`` separate ``creative-intake worker`` processes (``WORKER_LEASE_S=2``: a killed worker's item is
taken again 2 s later), each in its own process group; the fake Slack and a fake OpenAI (800 ms per call) in
a separate process (benchmarks/harness.py). Each phase gets a fresh database: a temporary SQLite file, or with
``--db`` PostgreSQL databases named ``creative_bench…_kill`` / ``…_outage``, dropped and created first and
dropped at the end.

Messages arrive at ``--rate`` per second, each from a distinct user (one message per user), except
``--submits`` users who send a complete brief, wait for the bot's answer (the brief to confirm) and send
``submit``: each of those must give exactly one triage post in the ops channel and one "Submitted as CR-…".
A delivery that does not get a 200 (refused, reset, a 5xx, no answer within Slack's 3 s) is retried as Slack
does, the same payload with ``X-Slack-Retry-Num`` 1, 2, 3…, at most ``len(RETRY_DELAYS_S)`` times.

(a) kill: every 2–5 s (at random) a worker process group is SIGKILLed and a new worker started; once, midway,
    the web process is SIGKILLed right after it acked a message and started again on the same port.
(b) outage: the fake Slack refuses connections for ``--outage-seconds`` while messages keep arriving; how long
    after Slack is back the last answer arrives.

At the end of each phase (a bounded wait, then no Slack call for 5 s): messages sent and acknowledged, users
answered, lost (no answer; a "Sorry — I couldn't handle…" counts as lost), duplicated (more than one answer
to one message, more than one triage post or "Submitted as" per submission). Target: 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import harness as h

#: Pauses before Slack's retries of a delivery that got no 200 (Slack: at once, 1 min, 5 min; compressed).
RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
#: Slack gives up waiting for an ack after 3 s (and retries).
ACK_TIMEOUT_S = 3.0
TEXTS = (
    "need an instagram carousel for the webinar next week",
    "banner set for the summer sale, google display",
    "we need a one-pager for the sales team about the new pricing",
    "can we get a newsletter header for the March issue?",
)
SUBMITTED = re.compile(r"Submitted as (CR-\d+)")
TRIAGE = re.compile(r"^New request (CR-\d+)")
SORRY = "Sorry — I couldn't handle"


@dataclass
class Sent:
    """What was delivered of one user's messages: deliveries made, retries among them, whether all got a 200."""

    user: str
    submit: bool
    deliveries: int = 0
    retries: int = 0
    acked: bool = True
    confirm_seen: bool = True


@dataclass
class Stack:
    """The app's processes for one phase: a web process and workers, each in its own process group."""

    fakes: h.Fakes
    workdir: Path
    env: dict[str, str]
    phase: str
    port: int = field(default_factory=h.free_port)
    web: h.Proc | None = None
    workers: list[h.Proc] = field(default_factory=list)
    started: list[h.Proc] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_web(self) -> None:
        """``run --http --no-scheduler --workers 0`` on this stack's port, once healthy."""
        argv = [str(h.APP), "run", "--http", "--port", str(self.port), "--no-scheduler", "--workers", "0"]
        web = h.start(argv, self.env, self.workdir, f"{self.phase}-web-{len(self.started)}")
        self.started.append(web)
        h.wait_healthy(web, self.url)
        self.web = web

    def start_worker(self, wait: bool = True) -> h.Proc:
        """A ``worker`` process (waits for it to say it started, unless ``wait`` is False)."""
        worker = h.start([str(h.APP), "worker"], self.env, self.workdir, f"{self.phase}-worker-{len(self.started)}")
        with self.lock:
            self.started.append(worker)
            self.workers.append(worker)
        if wait:
            h.wait_logged(worker, "worker started")
        return worker

    def kill_a_worker(self, rng: random.Random) -> None:
        """SIGKILL one worker's process group, then start another in its place."""
        with self.lock:
            victim = rng.choice(self.workers)
            self.workers.remove(victim)
        victim.kill()
        self.start_worker(wait=False)

    def restart_web(self) -> float:
        """SIGKILL the web process group and start it again; seconds it was away."""
        assert self.web is not None
        down = time.monotonic()
        self.web.kill()
        self.start_web()
        return time.monotonic() - down

    def stop(self) -> None:
        """Stop every process still running."""
        for proc in self.started:
            proc.stop()


# ---------------------------------------------------------------------- sending


def deliver_as_slack(url: str, user: str, text: str, sent: Sent, after_ack: Callable[[], None] | None = None) -> None:
    """One message, retried as Slack retries until a 200; ``after_ack`` runs right after the first 200."""
    payload = h.dm_payload(user, text)
    for retry in range(len(RETRY_DELAYS_S) + 1):
        answer = h.deliver(url, payload, retry_num=retry or None, timeout=ACK_TIMEOUT_S)
        sent.deliveries += 1
        sent.retries += retry > 0
        if answer.status == 200:
            if after_ack is not None:
                after_ack()
            return
        if retry < len(RETRY_DELAYS_S):
            time.sleep(RETRY_DELAYS_S[retry])
    sent.acked = False


def submitter(stack: Stack, user: str, sent: Sent, confirm_wait: float) -> None:
    """A complete brief, the bot's confirmation awaited (bounded), then ``submit``."""
    deliver_as_slack(stack.url, user, h.COMPLETE, sent)
    sent.confirm_seen = stack.fakes.host.wait_answer(f"D{user}", confirm_wait)
    deliver_as_slack(stack.url, user, "submit", sent)


def send_load(
    stack: Stack,
    rate: float,
    seconds: float,
    submits: int,
    confirm_wait: float,
    after_ack: Callable[[int], Callable[[], None] | None] = lambda _: None,
    label: str = "",
) -> tuple[list[Sent], list[Future[None]]]:
    """Open-loop: message i due at start + i / rate, from user i; every ``n``-th user a submitter."""
    count = int(rate * seconds)
    every = max(1, count // max(1, submits)) if submits else 0
    sents: list[Sent] = []
    futures: list[Future[None]] = []
    pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="slack")
    start = time.monotonic()
    for i in range(count):
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        is_submit = bool(every) and i % every == every // 2 and sum(s.submit for s in sents) < submits
        user = f"U{label}{'S' if is_submit else 'M'}{i:05d}"
        sent = Sent(user, is_submit)
        sents.append(sent)
        if is_submit:
            futures.append(pool.submit(submitter, stack, user, sent, confirm_wait))
        else:
            futures.append(pool.submit(deliver_as_slack, stack.url, user, TEXTS[i % len(TEXTS)], sent, after_ack(i)))
    pool.shutdown(wait=False)
    return sents, futures


# ---------------------------------------------------------------------- figures


@dataclass
class Outcome:
    """What each user got."""

    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    sorry: list[str] = field(default_factory=list)
    answered: int = 0
    last_answer_at: float = 0.0
    #: What a lost or duplicated user got.
    detail: dict[str, str] = field(default_factory=dict)


def outcome(posts: Sequence[h.Post], sents: Sequence[Sent], since: float) -> Outcome:
    """Lost and duplicated answers, per user (a submitter: confirm, "Submitted as" and triage post once each);
    only posts from ``since`` on count (each phase has its own database, so its own CR-0001)."""
    by_channel: dict[str, list[h.Post]] = {}
    for post in posts:
        if post.real and post.at >= since:
            by_channel.setdefault(post.channel, []).append(post)
    triage: dict[str, int] = {}
    for post in by_channel.get(h.OPS, []):
        match = TRIAGE.match(post.text)
        if match and post.method == "chat.postMessage":
            triage[match.group(1)] = triage.get(match.group(1), 0) + 1
    result = Outcome()
    for sent in sents:
        mine = by_channel.get(f"D{sent.user}", [])
        answers = [p for p in mine if p.method == "chat.postMessage"]
        if any(SORRY in p.text for p in answers):
            result.sorry.append(sent.user)
        answers = [p for p in answers if SORRY not in p.text]
        result.last_answer_at = max([result.last_answer_at, *(p.at for p in answers)])
        if not sent.submit:
            counts = [len(answers)]
        else:
            refs = {m.group(1) for p in mine if (m := SUBMITTED.search(p.text))}
            submitted = sum(bool(SUBMITTED.search(p.text)) for p in mine)
            confirms = sum(not SUBMITTED.search(p.text) for p in answers)  # the brief to confirm
            counts = [confirms, submitted, *(triage.get(ref, 0) for ref in refs or {""})]
        if min(counts) == 0:
            result.lost.append(sent.user)
        elif max(counts) > 1:
            result.duplicated.append(sent.user)
        else:
            result.answered += 1
        if min(counts) == 0 or max(counts) > 1:
            what = ("answers",) if not sent.submit else ("confirmations", "'Submitted as'", "triage posts")
            result.detail[sent.user] = ", ".join(f"{n} {w}" for n, w in zip(counts, what, strict=False))
    return result


def settle(fakes: h.Fakes, sents: Sequence[Sent], since: float, timeout: float) -> Outcome:
    """Wait (bounded) until nobody is missing an answer, then until Slack has been quiet for 5 s."""
    deadline, report = time.monotonic() + timeout, time.monotonic() + 15
    result = outcome(fakes.refresh(), sents, since)
    while result.lost and time.monotonic() < deadline:
        if time.monotonic() >= report:
            print(f"  … still waiting for {len(result.lost)} users", flush=True)
            report = time.monotonic() + 15
        time.sleep(1.0)
        result = outcome(fakes.refresh(), sents, since)
    if not fakes.quiesce(quiet=5.0, timeout=60):
        print("  (Slack calls still arriving 60 s after the wait)")
    return outcome(fakes.refresh(), sents, since)


def report(name: str, sents: Sequence[Sent], result: Outcome, stack: Stack) -> bool:
    """Print one phase's figures; whether it met the target (0 lost, 0 duplicated)."""
    messages = sum(2 if s.submit else 1 for s in sents)
    submitters = sum(s.submit for s in sents)
    deliveries, retried = sum(s.deliveries for s in sents), sum(s.retries for s in sents)
    unacked = [s.user for s in sents if not s.acked]
    no_confirm = [s.user for s in sents if not s.confirm_seen]
    print(
        f"{name}: users {len(sents)} ({submitters} submitting a brief), messages sent {messages}, "
        f"HTTP deliveries {deliveries} ({retried} of them Slack-style retries), never acknowledged {len(unacked)}"
    )
    print(
        f"{name}: answered {result.answered}, lost {len(result.lost)}, duplicated {len(result.duplicated)}"
        f"{f', told sorry {len(result.sorry)}' if result.sorry else ''}"
        f"{f', submitters whose confirmation did not come in time {len(no_confirm)}' if no_confirm else ''}"
    )
    for label, users in (("lost", result.lost), ("duplicated", result.duplicated), ("unacked", unacked)):
        if users:
            shown = [f"{u} ({result.detail[u]})" if u in result.detail else u for u in users[:10]]
            print(f"  {label}: {', '.join(shown)}{' …' if len(users) > 10 else ''}")
    left = [c for c in stack.fakes.host.leftover_placeholders() if c.startswith(f"DU{stack.phase[0].upper()}")]
    if left:
        more = " …" if len(left) > 5 else ""
        print(f"  “Working on it…” placeholders never deleted: {len(left)} ({', '.join(left[:5])}{more})")
    for line, count in h.problem_lines([p.log for p in stack.started]):
        print(f"  log ×{count}: {line}")
    met = not result.lost and not result.duplicated
    print(f"  [{'met' if met else 'MISSED'}] {name}: 0 lost, 0 duplicated")
    return met


# ---------------------------------------------------------------------- phases


def database(args: argparse.Namespace, workdir: Path, phase: str) -> str:
    """A fresh database for one phase."""
    return h.fresh_postgres(args.db, f"_{phase}") if args.db else h.sqlite_url(workdir, phase)


def phase_kill(args: argparse.Namespace, fakes: h.Fakes, workdir: Path) -> bool:
    """(a) Workers SIGKILLed every few seconds and replaced; the web process SIGKILLed once after an ack."""
    url = database(args, workdir, "kill")
    stack = Stack(fakes, workdir, h.app_env(fakes, url, WORKER_LEASE_S="2"), "kill")
    rng = random.Random(args.seed)
    print(
        f"(a) kill: {args.rate:g} messages/s for {args.seconds:g} s, {args.workers} worker processes, "
        f"database {h.shown(url)}; {h.machine()}",
        flush=True,
    )
    since = time.monotonic()
    try:
        stack.start_web()
        for _ in range(args.workers):
            stack.start_worker()
        stop = threading.Event()
        kills: list[float] = []
        web_down: list[float] = []

        def killer() -> None:
            while not stop.wait(rng.uniform(2.0, 5.0)):
                stack.kill_a_worker(rng)
                kills.append(time.monotonic())

        midway = int(args.rate * args.seconds / 2)

        def after_ack(i: int) -> Callable[[], None] | None:
            return (lambda: web_down.append(stack.restart_web())) if i == midway else None

        chaos = threading.Thread(target=killer, name="killer", daemon=True)
        chaos.start()
        sents, futures = send_load(stack, args.rate, args.seconds, args.submits, 60, after_ack, label="K")
        stop.set()
        chaos.join()
        for future in futures:
            future.result(timeout=120)
        print(
            f"  {len(kills)} worker SIGKILLs (each replaced at once); web SIGKILLed once right after an ack, "
            f"back after {web_down[0] if web_down else float('nan'):.1f} s; {h.machine()}",
            flush=True,
        )
        result = settle(fakes, sents, since, args.settle)
        return report("(a) kill", sents, result, stack)
    finally:
        stack.stop()
        if args.db:
            h.drop_postgres(url)


def phase_outage(args: argparse.Namespace, fakes: h.Fakes, workdir: Path) -> bool:
    """(b) The fake Slack refuses connections for ``--outage-seconds`` while messages keep arriving."""
    url = database(args, workdir, "outage")
    stack = Stack(fakes, workdir, h.app_env(fakes, url, WORKER_LEASE_S="2"), "outage")
    lead, trail = 5.0, 5.0
    seconds = lead + args.outage_seconds + trail
    print(
        f"(b) outage: {args.rate:g} messages/s for {seconds:g} s, Slack refusing connections from "
        f"{lead:g} s for {args.outage_seconds:g} s, database {h.shown(url)}; {h.machine()}",
        flush=True,
    )
    since = time.monotonic()
    try:
        stack.start_web()
        for _ in range(args.workers):
            stack.start_worker()
        restored: list[float] = []

        def outage() -> None:
            time.sleep(lead)
            fakes.host.refuse()
            time.sleep(args.outage_seconds)
            fakes.host.restore()
            restored.append(time.monotonic())

        switch = threading.Thread(target=outage, name="outage", daemon=True)
        switch.start()
        confirm_wait = args.outage_seconds + 120
        sents, futures = send_load(stack, args.rate, seconds, args.submits, confirm_wait, label="O")
        switch.join()
        for future in futures:
            future.result(timeout=confirm_wait + 120)
        result = settle(fakes, sents, since, args.settle)
        met = report("(b) outage", sents, result, stack)
        if restored and result.last_answer_at:
            back = result.last_answer_at - restored[0]
            print(f"(b) outage: the last answer arrived {back:.1f} s after Slack was back")
        return met
    finally:
        stack.stop()
        if args.db:
            h.drop_postgres(url)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="load duration of (a) (default 30)")
    parser.add_argument("--rate", type=float, default=10, help="messages per second (default 10)")
    parser.add_argument("--submits", type=int, default=10, help="users who submit a brief, per phase (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--outage-seconds", type=float, default=60, help="Slack outage of (b) (default 60)")
    parser.add_argument("--llm-latency", type=float, default=0.8, help="fake OpenAI latency, seconds (default 0.8)")
    parser.add_argument("--settle", type=float, default=180, help="longest wait for answers at the end (default 180)")
    parser.add_argument("--seed", type=int, default=10, help="seed of the kill times (default 10)")
    parser.add_argument("--only", choices=("kill", "outage"), help="run one phase")
    parser.add_argument("--db", help="a PostgreSQL URL whose database is named creative_bench… (default: SQLite)")
    parser.add_argument("--logs", type=Path, help="keep the processes' logs (and SQLite files) in this folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the phases; exit 1 when a target is missed."""
    args = parse_args(argv)
    print(f"machine at start: {h.machine()}", flush=True)
    verdicts = []
    fakes = h.start_fakes(args.llm_latency)
    try:
        with tempfile.TemporaryDirectory(prefix="crash-bench-") as tmp:
            workdir = args.logs or Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            if args.only in (None, "kill"):
                verdicts.append(phase_kill(args, fakes, workdir))
            if args.only in (None, "outage"):
                verdicts.append(phase_outage(args, fakes, workdir))
    finally:
        fakes.close()
    print(f"machine at end: {h.machine()}")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
