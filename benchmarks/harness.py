"""What the load benchmarks share: the fakes in their own process, the app's processes, sending, figures.

``ack_latency.py`` and ``crash_restart.py`` import it (``python benchmarks/…`` puts this folder on the path).
The fake Slack Web API and the fake OpenAI endpoint run in a separate process (a ``multiprocessing``
manager), so that their work does not compete for the GIL with the threads that send events and time the
acks. ``Call.at`` is ``time.monotonic()``, which is system-wide on Linux: comparable across processes.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import get_context
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Any, NamedTuple
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
for _path in (str(ROOT / "tests"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from fakes.openai_server import Behaviour, FakeOpenAI, empty, full_answer, reply  # noqa: E402
from fakes.slack_api import FakeSlackAPI  # noqa: E402
from slack_requests import event_callback, message_event, signed_headers  # noqa: E402

APP = ROOT / ".venv" / "bin" / "creative-intake"
SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench-token"
OPS = "C0OPS"
WORKING = "Working on it"
#: A brief the conversation finds complete (the fake model proposes all of it), then ``submit``.
COMPLETE = (
    "need a 30s youtube pre-roll, 16:9, due in 3 weeks. Goal: drive sign-ups for the spring launch. "
    "Audience: marketing managers in DACH"
)
#: Databases these scripts may drop and create; never any other (``test``, ``helper_test``…).
BENCH_PREFIX = "creative_bench"


# ---------------------------------------------------------------------- the fakes, in their own process


class Post(NamedTuple):
    """A ``chat.postMessage`` or ``chat.update`` the fake Slack received (``at``: monotonic seconds)."""

    method: str
    channel: str
    text: str
    at: float
    ok: bool

    @property
    def real(self) -> bool:
        """An answer, not the passing "Working on it…" placeholder."""
        return self.ok and WORKING not in self.text


def brief_answer(body: dict[str, Any]) -> Behaviour:
    """The fake model's answer: the whole brief for ``COMPLETE``, an empty proposal for anything else."""
    messages = body.get("messages") or [{}]
    if "pre-roll" not in str(messages[-1].get("content") or ""):
        return empty()
    return reply(
        full_answer(
            request_type="video",
            channels=["paid_ads", "video_platforms"],
            objective="drive sign-ups for the spring launch",
            audience="marketing managers in DACH",
            deadline=(date.today() + timedelta(days=21)).isoformat(),
            platforms=["youtube"],
            formats=["16:9"],
            duration="30s",
            markets=["DACH"],
        )
    )


class FakesHost:
    """Both fakes, living in the manager's process; only small answers cross the process boundary."""

    def __init__(self, llm_latency_s: float) -> None:
        self.slack = FakeSlackAPI().start()
        self.llm = FakeOpenAI(base_latency_s=llm_latency_s).start()
        self.llm.responder = brief_answer

    def urls(self) -> tuple[str, str]:
        """The Slack Web API base URL and the OpenAI base URL."""
        return self.slack.base_url, self.llm.base_url

    def refuse(self) -> None:
        """A Slack outage: connections refused until ``restore``."""
        self.slack.refuse_connections()

    def restore(self) -> None:
        """The end of the outage."""
        self.slack.restore()

    def posts(self, start: int) -> tuple[int, list[Post]]:
        """Posts and updates among the calls from index ``start`` on; the index to ask from next time."""
        calls = self.slack.calls()
        found = [
            Post(c.method, str(c.params.get("channel") or ""), str(c.params.get("text") or ""), c.at, c.ok)
            for c in calls[start:]
            if c.method in ("chat.postMessage", "chat.update")
        ]
        return len(calls), found

    def wait_answer(self, channel: str, timeout: float) -> bool:
        """Wait until a real answer (a successful post, not "Working on it…") to ``channel`` arrives."""

        def answer(call: Any) -> bool:
            return bool(call.ok and call.params.get("channel") == channel and WORKING not in call.params.get("text"))

        try:
            self.slack.wait_for("chat.postMessage", answer, timeout=timeout)
        except AssertionError:
            return False
        return True

    def leftover_placeholders(self) -> list[str]:
        """Channels where a "Working on it…" placeholder was posted and is still there (never deleted)."""
        left = []
        for call in self.slack.calls("chat.postMessage"):
            if not (call.ok and WORKING in str(call.params.get("text") or "") and isinstance(call.response, dict)):
                continue
            if self.slack.message(str(call.response["channel"]), str(call.response["ts"])) is not None:
                left.append(str(call.response["channel"]))
        return left

    def last_call_at(self) -> float:
        """When the fake Slack last received a call (0 when none)."""
        calls = self.slack.calls()
        return calls[-1].at if calls else 0.0

    def llm_requests(self) -> int:
        """How many requests the fake model received."""
        return len(self.llm.requests)

    def stop(self) -> None:
        """Stop both servers."""
        self.llm.stop()
        self.slack.stop()


class _Manager(BaseManager):
    pass


_Manager.register("FakesHost", FakesHost)


@dataclass
class Fakes:
    """A proxy to the fakes' process, and every post seen so far (``refresh`` reads the new ones)."""

    manager: BaseManager
    host: Any
    slack_url: str
    llm_url: str
    seen: list[Post] = field(default_factory=list)
    _next: int = 0

    def refresh(self) -> list[Post]:
        """Every post and update the fake Slack received so far (call it from one thread)."""
        self._next, new = self.host.posts(self._next)
        self.seen.extend(new)
        return self.seen

    def quiesce(self, quiet: float, timeout: float) -> bool:
        """Wait until the fake Slack has had no call for ``quiet`` seconds; False if calls still come at ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.monotonic() - self.host.last_call_at() >= quiet:
                return True
            time.sleep(0.2)
        return False

    def close(self) -> None:
        """Stop the fakes and their process."""
        try:
            self.host.stop()
        finally:
            self.manager.shutdown()


def start_fakes(llm_latency_s: float) -> Fakes:
    """The fakes in a fresh (spawned) process."""
    manager = _Manager(ctx=get_context("spawn"))
    manager.start()
    host = manager.FakesHost(llm_latency_s)  # type: ignore[attr-defined]
    slack_url, llm_url = host.urls()
    return Fakes(manager, host, slack_url, llm_url)


# ---------------------------------------------------------------------- the app's processes


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(fakes: Fakes, database_url: str, **extra: str) -> dict[str, str]:
    """The app's whole environment: nothing inherited but PATH, HOME and LANG, so no developer setting leaks."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fakes.slack_url,
        OPS_CHANNEL_ID=OPS,
        OPENAI_API_KEY="sk-bench",
        OPENAI_BASE_URL=fakes.llm_url,
        DATABASE_URL=database_url,
    )
    env.update(extra)
    return env


@dataclass
class Proc:
    """A process started in its own session (so a kill of its group takes its children), and its log."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group (the process and every child it started)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM the process (it stops its own children), then SIGKILL whatever is left of the group."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)


def start(argv: Sequence[str], env: dict[str, str], workdir: Path, name: str) -> Proc:
    """Start ``argv`` in a new session, stdout and stderr to ``workdir/name.log``."""
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        popen = subprocess.Popen(
            list(argv), env=env, cwd=workdir, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Proc(name, popen, log)


def wait_healthy(proc: Proc, url: str, timeout: float = 60) -> None:
    """Poll ``GET /healthz`` until it answers 200; fail if the process exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited ({proc.popen.returncode}):\n{tail(proc.log)}")
        try:
            with urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (URLError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url}/healthz not healthy after {timeout}s:\n{tail(proc.log)}")


def wait_listening(proc: Proc, port: int, timeout: float = 60) -> None:
    """Poll until ``port`` accepts connections; fail if the process exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited ({proc.popen.returncode}):\n{tail(proc.log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{proc.name} not listening on {port} after {timeout}s")


def wait_logged(proc: Proc, text: str, timeout: float = 60) -> None:
    """Poll the process's log until it contains ``text``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in proc.log.read_text(errors="replace"):
            return
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited ({proc.popen.returncode}):\n{tail(proc.log)}")
        time.sleep(0.05)
    raise RuntimeError(f"{proc.name}: {text!r} not logged after {timeout}s")


def tail(log: Path, chars: int = 2000) -> str:
    """The end of a log file."""
    return log.read_text(errors="replace")[-chars:] if log.exists() else ""


def problem_lines(logs: Sequence[Path], limit: int = 12) -> list[tuple[str, int]]:
    """Distinct warning and error lines of the logs (the first 200 characters), with how often each came."""
    counts: dict[str, int] = {}
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if _is_problem(line):
                key = _message_of(line)
                counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])[:limit]


def _is_problem(line: str) -> bool:
    lowered = line.lower()
    return any(f'"level": "{lvl}"' in lowered or f" {lvl.upper()} " in line for lvl in ("warning", "error")) or (
        "Traceback" in line
    )


def _message_of(line: str) -> str:
    """A JSON log line's level and message (with its error field, if any); any other line as it is."""
    try:
        record = json.loads(line)
    except ValueError:
        return line[:200]
    if not isinstance(record, dict):
        return line[:200]
    parts = [str(record.get("level", "")), str(record.get("message") or record.get("msg") or "")]
    parts += [f"{k}={record[k]}" for k in ("error", "kind", "method", "worker") if k in record]
    return " ".join(parts)[:200]


# ---------------------------------------------------------------------- databases


def sqlite_url(workdir: Path, name: str = "bench") -> str:
    """A SQLite file in the temporary folder."""
    return f"sqlite:///{workdir / f'{name}.db'}"


def _bench_database(url: str, suffix: str = "") -> tuple[Any, str]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = (parsed.database or "") + suffix
    if not name.startswith(BENCH_PREFIX):
        raise SystemExit(f"--db: the database name must start with {BENCH_PREFIX} (it is dropped and recreated)")
    return parsed, name


def _admin(parsed: Any) -> str:
    return str(parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False))


def fresh_postgres(url: str, suffix: str = "") -> str:
    """Drop and create the benchmark's own database (its name ``creative_bench…`` + ``suffix``); its URL."""
    import psycopg
    from psycopg import sql

    parsed, name = _bench_database(url, suffix)
    with psycopg.connect(_admin(parsed), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return str(parsed.set(database=name).render_as_string(hide_password=False))


def drop_postgres(url: str) -> None:
    """Drop a database that ``fresh_postgres`` made."""
    import psycopg
    from psycopg import sql

    parsed, name = _bench_database(url)
    with psycopg.connect(_admin(parsed), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def shown(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    return str(make_url(url).render_as_string(hide_password=True))


# ---------------------------------------------------------------------- sending


@dataclass(frozen=True)
class Answer:
    """One HTTP answer to a delivery (status 0: refused, reset or timed out) and when it was sent / came."""

    status: int
    sent: float
    received: float

    @property
    def ms(self) -> float:
        return (self.received - self.sent) * 1000


def dm_payload(user: str, text: str) -> dict[str, Any]:
    """A ``message.im`` event from ``user`` in its DM ``D<user>`` (a fresh event id and ts)."""
    return event_callback(message_event(text, user=user, channel=f"D{user}"), event_id="Ev" + uuid.uuid4().hex[:12])


def deliver(url: str, payload: dict[str, Any], retry_num: int | None = None, timeout: float = 10.0) -> Answer:
    """POST one signed event (with Slack's retry headers when ``retry_num`` is given); never raises."""
    body = json.dumps(payload).encode()
    headers = signed_headers(SECRET, body, "application/json")
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    request = Request(url + "/slack/events", data=body, headers=headers, method="POST")
    sent = time.monotonic()
    try:
        with urlopen(request, timeout=timeout) as response:
            response.read()
            status = int(response.status)
    except HTTPError as error:
        status = int(error.code)
        error.close()
    except OSError:  # refused, reset or timed out
        status = 0
    return Answer(status, sent, time.monotonic())


# ---------------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100); infinity stands for "never happened"."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set size) of a live process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def descendants(pid: int) -> list[tuple[int, list[str]]]:
    """Every live descendant of ``pid`` with its command line, parents first."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop(0)
        for child, ppid in sorted(parents.items()):
            if ppid == parent:
                found.append(child)
                frontier.append(child)
    result = []
    for child in found:
        try:
            argv = Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        result.append((child, [a for a in argv if a]))
    return result


def machine() -> str:
    """CPUs and load average, for the record."""
    one, five, fifteen = os.getloadavg()
    return f"nproc {os.cpu_count()}, load average {one:.2f} {five:.2f} {fifteen:.2f}"
