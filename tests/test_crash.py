"""Nothing lost after the ack (issue 10): the real processes killed with SIGKILL, Slack and the database down.

The app runs as it does in production: ``run --http`` (acks) and ``worker`` (the work) as separate processes,
or ``run`` with its embedded worker process; on the test database (SQLite, and PostgreSQL when configured),
against a fake Slack and a fake OpenAI in this process. Every wait polls with a deadline.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from fakes.openai_server import FakeOpenAI
from fakes.slack_api import Call, FakeSlackAPI
from fakes.tcp_proxy import TcpProxy
from slack_requests import HttpResult, block_actions, event_callback, message_event, send_event, send_interaction
from support import OPS, SCRIPT
from support import eventually as polled

from storage.db import Database
from storage.repositories import Outbox, Requests

T = TypeVar("T")
SECRET = "crash-test-secret"
COMPLETE = (
    "need a 30s youtube pre-roll, 16:9, due in 3 weeks. Goal: drive sign-ups for the spring launch. "
    "Audience: marketing managers in DACH"
)
WORKING = "Working on it"


def eventually(check: Callable[[], T], what: str = "condition") -> T:
    """Poll with the deadline processes need (they start, die and take over in seconds)."""
    return polled(check, 30.0, what)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """The fakes, the database URL the app uses, and the processes running."""

    slack: FakeSlackAPI
    llm: FakeOpenAI
    database_url: str
    workdir: Path
    processes: list[subprocess.Popen[bytes]]
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, llm: bool) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        env.update(
            SLACK_BOT_TOKEN="xoxb-crash",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=self.slack.base_url,
            OPS_CHANNEL_ID=OPS,
            DATABASE_URL=self.database_url,
            WORKER_LEASE_S="1",
            WORKER_THREADS="2",
        )
        if llm:
            env.update(OPENAI_API_KEY="sk-crash", OPENAI_BASE_URL=self.llm.base_url, OPENAI_TIMEOUT_S="30")
        return env

    def start(self, *argv: str, llm: bool = False) -> subprocess.Popen[bytes]:
        """Start ``creative-intake argv…`` in its own process group (so a kill takes its children too)."""
        log = (self.workdir / f"{argv[0]}-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [str(SCRIPT), *argv],
            env=self.env(llm),
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def web(self, *, workers: int = 0, llm: bool = False) -> subprocess.Popen[bytes]:
        """``run --http`` (with ``workers`` embedded worker processes), once it answers /healthz."""
        self.port = self.port or free_port()
        argv = ["run", "--http", "--port", str(self.port), "--no-scheduler", "--workers", str(workers)]
        process = self.start(*argv, llm=llm)
        eventually(lambda: self._healthy(process), what="the web process answering /healthz")
        return process

    def worker(self, *, llm: bool = False) -> subprocess.Popen[bytes]:
        process = self.start("worker", llm=llm)
        log = self.workdir / f"worker-{len(self.processes) - 1}.log"
        eventually(lambda: "worker started" in log.read_text(errors="replace"), what="the worker starting")
        return process

    def _healthy(self, process: subprocess.Popen[bytes]) -> bool:
        if process.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in self.workdir.glob("*.log"))
            raise AssertionError(f"the web process exited:\n{logs}")
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def dm(self, text: str, user: str) -> HttpResult:
        return send_event(self.url, SECRET, event_callback(message_event(text, user=user, channel=f"D{user}")))

    def posts(self, channel: str, *, real: bool = True) -> list[Call]:
        """The bot's posts Slack took in ``channel`` (without the passing "Working on it…" ones)."""
        return [
            c
            for c in self.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == channel)
            if c.ok and not (real and WORKING in c.params.get("text", ""))
        ]


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and everything it started."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@contextmanager
def stack(db: Database, tmp_path: Path, database_url: str | None = None) -> Iterator[Stack]:
    with FakeSlackAPI() as slack, FakeOpenAI() as llm:
        running = Stack(slack, llm, database_url or db.url, tmp_path, [])
        try:
            yield running
        finally:
            for process in running.processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in running.processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    kill(process)


def answered_once(app: Stack, users: list[str]) -> None:
    """Every user got exactly one real answer, and stays at one."""
    eventually(lambda: all(app.posts(f"D{u}") for u in users), what="an answer to every message")
    app.slack.quiesce(quiet=1.5, timeout=30)
    assert {u: len(app.posts(f"D{u}")) for u in users} == dict.fromkeys(users, 1)


def refused_posts(db: Database, channel: str) -> list[Any]:
    """Outbox rows for ``channel`` that Slack refused at least once."""
    with db.session() as session:
        return [m for m in Outbox(session).all() if m.channel == channel and m.last_error]


def request_row(db: Database, ref: str) -> Any:
    with db.session() as session:
        return Requests(session).by_ref(ref)


def test_a_worker_killed_during_the_llm_call_answers_once_when_another_takes_over(db: Database, tmp_path: Path) -> None:
    with stack(db, tmp_path) as app:
        app.llm.base_latency_s = 2.0
        app.web(llm=True)
        first = app.worker(llm=True)
        assert app.dm("need an instagram carousel for the webinar", "U1").status == 200
        eventually(lambda: app.llm.requests, what="the LLM call")
        kill(first)
        assert app.posts("DU1") == []
        app.worker(llm=True)
        answered_once(app, ["U1"])
        assert len(app.llm.requests) == 2  # the work was done again, its answer sent once


def test_a_worker_killed_while_slack_takes_the_triage_post_never_posts_it_twice(db: Database, tmp_path: Path) -> None:
    with stack(db, tmp_path) as app:
        app.web()
        first = app.worker()
        app.dm(COMPLETE, "U1")
        eventually(lambda: app.posts("DU1"), what="the brief to confirm")
        app.slack.set_latency(3.0, "chat.postMessage")  # Slack takes the post, the answer is slow to come
        assert app.dm("submit", "U1").status == 200
        triage = eventually(lambda: app.posts(OPS), what="the triage post reaching Slack")
        kill(first)  # before the worker heard Slack's answer: no ts recorded
        app.slack.set_latency(0.0, "chat.postMessage")
        app.worker()
        eventually(lambda: (request_row(db, "CR-0001").triage_ts or "") == triage[0].response["ts"], what="the ts")
        eventually(lambda: [c for c in app.posts("DU1") if c.params["text"].startswith("Submitted as CR-0001")])
        app.slack.quiesce(quiet=1.5, timeout=30)
        assert len(app.posts(OPS)) == 1
        assert len([c for c in app.posts("DU1") if "Submitted as CR-0001" in c.params["text"]]) == 1


def test_the_app_killed_right_after_its_acks_answers_everything_once_after_a_restart(
    db: Database, tmp_path: Path
) -> None:
    users = [f"U{n}" for n in range(1, 6)]
    with stack(db, tmp_path) as app:
        app.slack.set_latency(0.5)  # Slack is slow: the work is still in hand when the app dies
        web = app.web(workers=1)
        for user in users:
            assert app.dm("need a banner set for the summer sale, google display", user).status == 200
        kill(web)  # the web process, its worker process and the work they had
        app.slack.set_latency(0.0)
        app.web(workers=1)
        answered_once(app, users)


def test_slack_refusing_connections_for_a_while_loses_and_repeats_nothing(db: Database, tmp_path: Path) -> None:
    with stack(db, tmp_path) as app:
        app.web()
        app.worker()
        app.dm(COMPLETE, "U1")
        eventually(lambda: app.posts("DU1"), what="the brief to confirm")
        confirm = app.posts("DU1")[0]
        app.slack.refuse_connections()
        assert app.dm("need a one-pager for the sales team about pricing", "U2").status == 200
        click = block_actions("intake_submit", user_id="U1", channel_id="DU1", value="DU1")
        click["container"] = {"type": "message", "message_ts": confirm.response["ts"], "channel_id": "DU1"}
        click["message"] = {"ts": confirm.response["ts"]}
        assert send_interaction(app.url, SECRET, click).status == 200
        eventually(lambda: refused_posts(db, OPS), what="Slack refusing the triage post")
        app.slack.restore()
        eventually(lambda: app.posts(OPS), what="the triage post")
        eventually(lambda: app.posts("DU2"), what="the answer to U2")
        app.slack.quiesce(quiet=1.5, timeout=60)
        assert len(app.posts(OPS)) == 1 and len(app.posts("DU2")) == 1
        told = [
            c
            for c in app.slack.calls("chat.update") + app.slack.calls("chat.postMessage")
            if c.ok and "Submitted as CR-0001" in c.params.get("text", "")
        ]
        assert len(told) == 1


@contextmanager
def database_down(db: Database, proxy: TcpProxy | None) -> Iterator[None]:
    """The database refuses the app: PostgreSQL behind a proxy that refuses connections, SQLite locked."""
    if proxy is not None:
        proxy.refuse()
        try:
            yield
        finally:
            proxy.restore()
        return
    path = db.url.removeprefix("sqlite:///")
    lock = sqlite3.connect(path, timeout=10, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        lock.execute("ROLLBACK")
        lock.close()


def test_with_the_database_refusing_an_event_is_refused_then_answered_once_when_slack_retries(
    db: Database, tmp_path: Path
) -> None:
    proxy, url = None, None
    if db.dialect == "postgresql":
        parts = urlsplit(db.url)
        proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432)).start()
        url = db.url.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{proxy.port}")
    try:
        with stack(db, tmp_path, url) as app:
            app.web()
            app.worker()
            payload = event_callback(message_event("need an email newsletter for March", user="U1", channel="DU1"))
            with database_down(db, proxy):
                refused = send_event(app.url, SECRET, payload)
                assert refused.status >= 500  # never a silent 200: Slack will send it again
            retried = send_event(app.url, SECRET, payload, retry_num=1, retry_reason="http_error")
            assert retried.status == 200
            again = send_event(app.url, SECRET, payload, retry_num=2, retry_reason="http_error")
            assert again.status == 200  # a retry of one stored is acknowledged and dropped
            answered_once(app, ["U1"])
    finally:
        if proxy is not None:
            proxy.stop()
