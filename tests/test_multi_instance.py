"""Several instances as one (hardening issue): three web workers on one database, every event delivered twice."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fakes.slack_api import Call, FakeSlackAPI
from slack_requests import HttpResult, event_callback, message_event, send_event
from support import OPS, SCRIPT

from bot.intake.progress import WORKING_TEXT
from storage.db import Database
from storage.repositories import Requests

SECRET = "multi-instance-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"worker exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not become healthy")


@pytest.fixture
def workers(db: Database, tmp_path: Path) -> Iterator[tuple[list[str], FakeSlackAPI]]:
    """Three `run --http --no-scheduler` processes sharing the test database and a fake Slack."""
    with FakeSlackAPI() as fake:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        env.update(
            SLACK_BOT_TOKEN="xoxb-multi",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=fake.base_url,
            OPS_CHANNEL_ID=OPS,
            DATABASE_URL=db.url,
        )
        ports = [_free_port() for _ in range(3)]
        processes = [
            subprocess.Popen(
                [str(SCRIPT), "run", "--http", "--port", str(port), "--no-scheduler"],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for port in ports
        ]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for url, process in zip(urls, processes, strict=True):
                _wait_healthy(url, process)
            yield urls, fake
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


def _twice(first: str, second: str, text: str, event_id: str) -> list[HttpResult]:
    """Deliver one event to two workers at once, the second as Slack's retry."""
    payload = event_callback(message_event(text, user="U1", channel="DU1"), event_id=event_id)
    with ThreadPoolExecutor(max_workers=2) as pool:
        a = pool.submit(send_event, first, SECRET, payload)
        b = pool.submit(send_event, second, SECRET, payload, retry_num=1, retry_reason="http_timeout")
        return [a.result(), b.result()]


def test_three_workers_deliver_each_event_exactly_once(workers: tuple[list[str], FakeSlackAPI], db: Database) -> None:
    (a, b, c), fake = workers
    text = (
        "need a 30s youtube pre-roll, 16:9, due in 3 weeks. Goal: drive sign-ups for the spring launch. "
        "Audience: marketing managers in DACH"
    )
    assert [r.status for r in _twice(a, b, text, "EvMULTI1")] == [200, 200]
    fake.wait_for("chat.postMessage", lambda call: call.params.get("channel") == "DU1", timeout=15)
    assert [r.status for r in _twice(b, c, "submit", "EvMULTI2")] == [200, 200]
    fake.wait_for("chat.postMessage", lambda call: call.params.get("channel") == OPS, timeout=15)
    fake.quiesce(quiet=0.5, timeout=15)

    with db.session() as session:
        requests = list(Requests(session).all())
    assert [r.ref for r in requests] == ["CR-0001"]
    assert len(fake.calls("chat.postMessage", predicate=lambda call: call.params.get("channel") == OPS)) == 1
    replies = fake.calls("chat.postMessage", predicate=lambda call: call.params.get("channel") == "DU1")
    assert len(replies) == 2
    assert replies[1].params["text"].startswith("Submitted as CR-0001")


def test_concurrent_submissions_get_unique_references(workers: tuple[list[str], FakeSlackAPI], db: Database) -> None:
    urls, fake = workers
    text = "need an email newsletter in 4 weeks, goal: renewals, audience: customers, copy attached"
    users = [f"U{n:03d}" for n in range(12)]

    def converse(index: int) -> None:
        user, url = users[index], urls[index % 3]
        send_event(url, SECRET, event_callback(message_event(text, user=user, channel=f"D{user}")))

        def answered(call: Call) -> bool:  # the reply itself, not "Working on it…"
            return call.params.get("channel") == f"D{user}" and call.params["text"] != WORKING_TEXT

        fake.wait_for("chat.postMessage", answered, timeout=20)
        send_event(url, SECRET, event_callback(message_event("submit", user=user, channel=f"D{user}")))

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(converse, range(12)))
    fake.wait_for("chat.postMessage", lambda call: call.params.get("channel") == OPS, count=12, timeout=60)
    with db.session() as session:
        refs = [r.ref for r in Requests(session).all()]
    assert len(refs) == 12 and len(set(refs)) == 12
