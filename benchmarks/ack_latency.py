"""Ack latency, time to first reply and memory under load: ``run --http`` against a bare Bolt app.

Usage: .venv/bin/python benchmarks/ack_latency.py [--seconds 60] [--rate 50] [--db postgresql://…/creative_bench]

A fake Slack Web API and a fake OpenAI endpoint (800 ms per call) run in this process; the real app runs as
a subprocess, ``creative-intake run --http --no-scheduler``, on a temporary SQLite file (or, with ``--db``,
on a PostgreSQL database named ``creative_bench…`` that is dropped and recreated). Signed ``message.im``
events, each from a new user (a new conversation) with a new event id, are sent open-loop at ``--rate`` per
second for ``--seconds`` by a bounded pool of sender threads. Per event: the ack time (HTTP answer received)
and the time until the fake Slack receives the bot's first ``chat.postMessage`` to that user's DM channel.
Then the same load against a bare Bolt app that only acks, served by the same gunicorn configuration
(``handlers.server.run_gunicorn``), for the ratio of p50 ack times. Last, the peak RSS (VmHWM) of our
gunicorn worker and master. Loopback only; every wait is bounded.

Targets (hardening issue): p99 ack < 100 ms, zero non-200, p50 ack ours / bare ≤ 2, worker peak RSS < 250 MB.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.openai_server import FakeOpenAI  # noqa: E402
from fakes.slack_api import FakeSlackAPI  # noqa: E402
from slack_requests import event_callback, message_event, send_event  # noqa: E402

SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench-token"
OPS = "C0OPS"
APP = ROOT / ".venv" / "bin" / "creative-intake"
TEXTS = (
    "need a 30s youtube pre-roll for the spring launch, 16:9",
    "can we get an instagram carousel for the webinar next week?",
    "banner set for the summer sale, google display, due in 3 weeks",
    "we need a one-pager for the sales team about the new pricing",
)
_users = itertools.count(1)


@dataclass
class Sample:
    """One event sent: when it was due, sent and answered (monotonic seconds), and the HTTP status."""

    user: str
    scheduled: float
    sent: float
    answered: float
    status: int

    @property
    def ack_ms(self) -> float:
        """Time from sending the request to receiving the HTTP answer."""
        return (self.answered - self.sent) * 1000


@dataclass
class Server:
    """A server subprocess (a gunicorn master) and its base URL."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path


# ---------------------------------------------------------------------- servers


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env(slack: FakeSlackAPI, openai: FakeOpenAI, database_url: str) -> dict[str, str]:
    """The app's whole environment: nothing inherited but PATH, so no developer setting leaks in."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.base_url,
        "OPS_CHANNEL_ID": OPS,
        "OPENAI_API_KEY": "sk-bench",
        "OPENAI_BASE_URL": openai.base_url,
        "DATABASE_URL": database_url,
    }


@contextmanager
def serve(argv: Sequence[str], env: dict[str, str], port: int, workdir: Path, name: str) -> Iterator[Server]:
    """Start a server subprocess (stderr to a log file), wait until it listens, stop it (SIGTERM) at the end."""
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(list(argv), env=env, cwd=workdir, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, process, timeout=60)
        yield Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll until ``port`` accepts connections; fail if the process exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server not listening on {port} after {timeout}s")


def wait_healthy(url: str, timeout: float = 30) -> None:
    """Poll ``GET /healthz`` until it answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url}/healthz not healthy after {timeout}s")


def fresh_postgres(url: str) -> str:
    """Drop and recreate the benchmark's own PostgreSQL database; its name must start with creative_bench."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database or ""
    if not database.startswith("creative_bench"):
        raise SystemExit("--db: the database name must start with creative_bench (it is dropped and recreated)")
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        name = sql.Identifier(database)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return url


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


def send_one(url: str, user: str, text: str, scheduled: float) -> Sample:
    """Send one signed DM event from ``user`` (channel ``D<user>``, fresh event id) and time its answer."""
    payload = event_callback(message_event(text, user=user, channel=f"D{user}"))
    sent = time.monotonic()
    try:
        status = send_event(url, SECRET, payload).status
    except OSError:  # refused, reset or timed out: counted as a non-200
        status = 0
    return Sample(user, scheduled, sent, time.monotonic(), status)


def run_load(url: str, rate: float, count: int, senders: int, label: str) -> list[Sample]:
    """Open-loop load: event i is due at start + i / rate, whatever the earlier answers; returns every sample."""
    start = time.monotonic() + 0.2
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="sender") as pool:
        futures = []
        for i in range(count):
            due = start + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            user = f"U{label}{next(_users):06d}"
            futures.append(pool.submit(send_one, url, user, TEXTS[i % len(TEXTS)], due))
        return [future.result() for future in futures]


def first_replies(slack: FakeSlackAPI, samples: Sequence[Sample], timeout: float) -> dict[str, float]:
    """For each sample's user, when the fake Slack received the first post to its DM; waits up to ``timeout``."""
    channels = {f"D{s.user}": s.user for s in samples}
    deadline, report = time.monotonic() + timeout, time.monotonic() + 10
    while True:
        firsts: dict[str, float] = {}
        for call in slack.calls("chat.postMessage"):
            channel = call.params.get("channel")
            if channel in channels and channels[channel] not in firsts:
                firsts[channels[channel]] = call.at
        now = time.monotonic()
        if len(firsts) == len(channels) or now >= deadline:
            return firsts
        if now >= report:
            print(f"  … first replies {len(firsts)}/{len(channels)}", flush=True)
            report = now + 10
        time.sleep(0.5)


# ---------------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100); infinity stands for "never happened"."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def memory(pid: int) -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0])
    return fields


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (the gunicorn worker of a master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def summarise(name: str, samples: Sequence[Sample]) -> dict[str, float]:
    """Print and return the ack figures of one run."""
    acks = [s.ack_ms for s in samples]
    lag = max((s.sent - s.scheduled) * 1000 for s in samples)
    non_200 = sum(s.status != 200 for s in samples)
    figures = {"p50": percentile(acks, 50), "p99": percentile(acks, 99), "max": max(acks), "non_200": non_200}
    print(
        f"{name}: {len(samples)} events, non-200 {non_200}, ack p50 {figures['p50']:.1f} ms, "
        f"p99 {figures['p99']:.1f} ms, max {figures['max']:.1f} ms (worst send lag {lag:.1f} ms)"
    )
    return figures


def summarise_replies(samples: Sequence[Sample], firsts: dict[str, float], timeout: float) -> None:
    """Print time to first reply; events with no reply within the wait count as infinitely late."""
    delays = [(firsts[s.user] - s.sent) if s.user in firsts else float("inf") for s in samples]
    missing = sum(d == float("inf") for d in delays)
    p50, p99 = percentile(delays, 50), percentile(delays, 99)
    print(
        f"ours: first reply p50 {p50:.2f} s, p99 {p99:.2f} s, max {max(delays):.2f} s; "
        f"{missing} of {len(samples)} without a reply within {timeout:.0f} s of the last send"
    )


def error_lines(log: Path, limit: int = 5) -> list[str]:
    """The distinct warning/error lines of a server log (first ``limit``), for the investigation."""
    seen: dict[str, None] = {}
    for line in log.read_text(errors="replace").splitlines():
        if any(level in line for level in ("WARNING", "ERROR", "CRITICAL", '"level": "warning"', '"level": "error"')):
            seen.setdefault(line[:240])
    return list(seen)[:limit]


# ---------------------------------------------------------------------- runs


def run_ours(args: argparse.Namespace, slack: FakeSlackAPI, openai: FakeOpenAI, workdir: Path) -> float:
    """Load our app; print acks, first replies, memory and log warnings; return the p50 ack (ms)."""
    database_url = fresh_postgres(args.db) if args.db else f"sqlite:///{workdir / 'bench.db'}"
    port = free_port()
    argv = [str(APP), "run", "--http", "--port", str(port), "--no-scheduler"]
    with serve(argv, base_env(slack, openai, database_url), port, workdir, "ours") as server:
        wait_healthy(server.url)
        warm = run_load(server.url, args.rate, args.warmup, args.senders, label="W")
        first_replies(slack, warm, timeout=30)
        samples = run_load(server.url, args.rate, int(args.rate * args.seconds), args.senders, label="L")
        figures = summarise(f"ours ({database_url.split(':')[0]})", samples)
        firsts = first_replies(slack, samples, timeout=args.reply_timeout)
        summarise_replies(samples, firsts, args.reply_timeout)
        workers = children(server.process.pid)
        for label, pid in [("master", server.process.pid), *(("worker", w) for w in workers)]:
            mem = memory(pid)
            print(
                f"ours {label} pid {pid}: peak RSS (VmHWM) {mem['VmHWM'] / 1024:.1f} MB, "
                f"RSS now {mem['VmRSS'] / 1024:.1f} MB"
            )
        for line in error_lines(server.log):
            print(f"  log: {line}")
    return figures["p50"]


def run_bare(args: argparse.Namespace, slack: FakeSlackAPI, openai: FakeOpenAI, workdir: Path) -> float:
    """The same load against the ack-only Bolt app; return its p50 ack (ms)."""
    port = free_port()
    argv = [sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(port)]
    env = base_env(slack, openai, "sqlite://") | {"PYTHONPATH": str(ROOT)}
    with serve(argv, env, port, workdir, "bare") as server:
        run_load(server.url, args.rate, args.warmup, args.senders, label="V")
        samples = run_load(server.url, args.rate, int(args.rate * args.seconds), args.senders, label="B")
        return summarise("bare Bolt", samples)["p50"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="load duration per app (default 60)")
    parser.add_argument("--rate", type=float, default=50, help="events per second (default 50)")
    parser.add_argument("--senders", type=int, default=64, help="sender threads (default 64)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured events sent first (default 10)")
    parser.add_argument("--llm-latency", type=float, default=0.8, help="fake OpenAI latency, seconds")
    parser.add_argument(
        "--reply-timeout",
        type=float,
        default=120,
        help="how long to wait for first replies after the last send (default 120 s)",
    )
    parser.add_argument("--db", help="a PostgreSQL URL whose database is named creative_bench… (default: SQLite)")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run both loads and print the figures."""
    args = parse_args(argv)
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return 0
    print(
        f"load: {args.rate:g} events/s for {args.seconds:g} s, {args.senders} senders, "
        f"fake LLM {args.llm_latency:g} s; {os.cpu_count()} CPUs",
        flush=True,
    )
    with (
        FakeSlackAPI() as slack,
        FakeOpenAI(base_latency_s=args.llm_latency) as openai,
        tempfile.TemporaryDirectory(prefix="ack-bench-") as tmp,
    ):
        ours = run_ours(args, slack, openai, Path(tmp))
        bare = run_bare(args, slack, openai, Path(tmp))
    print(f"p50 ack ratio ours / bare: {ours / bare:.2f} (target ≤ 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
