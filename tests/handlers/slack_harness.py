"""The real Bolt app over real HTTP, against a recording fake Slack Web API: fixture and helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from fakes.slack_api import Call, FakeSlackAPI
from slack_requests import (
    HttpResult,
    app_mention_event,
    block_actions,
    event_callback,
    message_event,
    message_shortcut,
    reaction_added_event,
    send_command,
    send_event,
    send_interaction,
    serve_wsgi,
    shortcut,
    view_submission,
)
from support import COMPLETE_VIDEO, OPS, eventually, make_services, running
from support import stored as stored_in

from bot.platform.clock import FixedClock
from bot.services import Services
from handlers.server import wsgi_app
from storage.db import Database
from storage.models import Request
from storage.repositories import PENDING, Inbox, Outbox

T = TypeVar("T")
SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token-123"


@dataclass
class SlackHarness:
    """Drives the app as Slack would and reads what it sent back."""

    url: str
    fake: FakeSlackAPI
    services: Services

    def event(self, event: dict[str, Any], *, event_id: str | None = None, **kw: Any) -> HttpResult:
        return send_event(self.url, SECRET, event_callback(event, event_id=event_id), **kw)

    def dm(self, text: str, user: str = "U1", **extra: Any) -> HttpResult:
        return self.event(message_event(text, user=user, channel=f"D{user}", **extra))

    def mention(self, text: str, user: str = "U1", channel: str = "C1") -> HttpResult:
        return self.event(app_mention_event(f"<@UBOT> {text}", user=user, channel=channel))

    def click(self, action_id: str, **kw: Any) -> HttpResult:
        return send_interaction(self.url, SECRET, block_actions(action_id, **kw))

    def submit_view(self, callback_id: str, values: dict[str, Any], **kw: Any) -> HttpResult:
        return send_interaction(self.url, SECRET, view_submission(callback_id, values, **kw))

    def shortcut(self, callback_id: str, **kw: Any) -> HttpResult:
        return send_interaction(self.url, SECRET, shortcut(callback_id, **kw))

    def message_shortcut(self, callback_id: str, message: dict[str, Any], **kw: Any) -> HttpResult:
        return send_interaction(self.url, SECRET, message_shortcut(callback_id, message, **kw))

    def react(self, reaction: str, ts: str, *, event_id: str | None = None, **kw: Any) -> HttpResult:
        return self.event(reaction_added_event(reaction, ts=ts, **kw), event_id=event_id)

    def command(self, text: str, **kw: Any) -> HttpResult:
        return send_command(self.url, SECRET, text=text, **kw)

    def posts(self, channel: str) -> list[Call]:
        return self.fake.calls("chat.postMessage", predicate=lambda c: c.params.get("channel") == channel)

    def next_post(self, channel: str, count: int = 1) -> Call:
        """Wait until ``channel`` has received ``count`` posts in all; the last of them."""
        return self.fake.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel, count=count)[-1]


@contextmanager
def serving(db: Database, clock: FixedClock, **overrides: Any) -> Iterator[SlackHarness]:
    """The app served on 127.0.0.1, wired to a fake Slack and the test database; settings may be overridden."""
    with FakeSlackAPI() as fake:
        settings = {"slack_bot_token": BOT_TOKEN, "slack_signing_secret": SECRET, **overrides}
        services = make_services(db, clock, fake, **settings)
        with running(services) as app, serve_wsgi(wsgi_app(app, services)) as url:
            yield SlackHarness(url=url, fake=fake, services=services)


@pytest.fixture
def slack(db: Database, clock: FixedClock) -> Iterator[SlackHarness]:
    """The app with the rules engine."""
    with serving(db, clock) as harness:
        yield harness


def button_labels(blocks: list[dict[str, Any]]) -> list[str]:
    """The labels of every button in ``blocks``."""
    return [
        e["text"]["text"]
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
        if e.get("type") == "button"
    ]


def block_text(blocks: list[dict[str, Any]]) -> str:
    """All visible text of ``blocks``, for substring assertions."""
    parts: list[str] = []
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key]["text"])
        parts += [f["text"] for f in block.get("fields", [])]
        parts += [e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(parts)


OPS_MANAGER = "U0OPS1"
DESIGNER = "U0DES1"
OTHER_DESIGNER = "U0DES2"
REQUESTER = "U1"


def with_roster(slack: SlackHarness) -> None:
    """An ops manager and two video designers (Berlin, Los Angeles)."""
    from bot.team.roster import DesignerEntry, Roster, sync_roster

    sync_roster(
        slack.services.uow,
        Roster(
            ops_managers=[OPS_MANAGER],
            designers=[
                DesignerEntry(
                    slack_id=DESIGNER,
                    name="Dana",
                    skills=["video", "social_graphic"],
                    capacity_points=20,
                    timezone="Europe/Berlin",
                ),
                DesignerEntry(
                    slack_id=OTHER_DESIGNER,
                    name="Lee",
                    skills=["video"],
                    capacity_points=10,
                    timezone="America/Los_Angeles",
                ),
            ],
        ),
    )


def submitted(slack: SlackHarness, user: str = REQUESTER, text: str = COMPLETE_VIDEO) -> tuple[str, str]:
    """Submit a complete request through the DM; returns its ref and the triage message ts."""
    before = len(slack.posts(OPS))
    slack.dm(text, user=user)
    slack.next_post(f"D{user}", count=len(slack.posts(f"D{user}")) + 1)
    slack.dm("submit", user=user)
    triage = slack.next_post(OPS, count=before + 1)
    ref = triage.params["text"].split()[2].rstrip(":")
    eventually(lambda: stored(slack, ref).triage_ts)
    eventually(lambda: any(c.params["text"].startswith(f"Submitted as {ref}") for c in slack.posts(f"D{user}")))
    return ref, triage.response["ts"]


def stored(slack: SlackHarness, ref: str) -> Request:
    """The request row as stored now."""
    return stored_in(slack.services.db, ref)


def updates_of(slack: SlackHarness, ts: str) -> list[Call]:
    """chat.update calls on one message."""
    return slack.fake.calls("chat.update", predicate=lambda c: c.params.get("ts") == ts)


def thread(slack: SlackHarness, text: str, thread_ts: str, user: str = OPS_MANAGER) -> HttpResult:
    """A reply in the ops channel thread of ``thread_ts``."""
    return slack.event(message_event(text, user=user, channel=OPS, channel_type="channel", thread_ts=thread_ts))


def settled(slack: SlackHarness, timeout: float = 10.0) -> None:
    """Wait until the workers have done every due inbox item and sent every due outbox row."""
    now = slack.services.clock.now()

    def idle() -> bool:
        with slack.services.db.session() as s:
            items = [(i.queue, i) for i in Inbox(s).all()]
            rows = [(m.channel, m) for m in Outbox(s).all()]
        return not (_takeable(items, now) or _takeable(rows, now))

    eventually(idle, timeout)


def _takeable(rows: list[tuple[str, Any]], now: Any) -> list[Any]:
    """The pending rows a worker would take now: due, and first of their queue."""
    blocked: set[str] = set()
    takeable = []
    for queue, row in rows:  # oldest first
        if row.status != PENDING:
            continue
        if queue not in blocked and row.next_attempt_at <= now:
            takeable.append(row)
        blocked.add(queue)
    return takeable


def retry_outbox(slack: SlackHarness, minutes: int = 31) -> tuple[int, int]:
    """Move the clock on and let the workers send every outbox row due then: (sent, given up) by that."""
    clock = slack.services.clock
    assert isinstance(clock, FixedClock)
    settled(slack)
    before = _statuses(slack)
    clock.advance(timedelta(minutes=minutes))
    settled(slack)
    after = _statuses(slack)
    return after.get("sent", 0) - before.get("sent", 0), after.get("given_up", 0) - before.get("given_up", 0)


def _statuses(slack: SlackHarness) -> dict[str, int]:
    with slack.services.db.session() as s:
        return Outbox(s).counts()


def outbox(slack: SlackHarness) -> list[tuple[str, str, int]]:
    """(channel, status, attempts) of every outbox row not sent (and not being sent: a try is under way)."""
    with slack.services.db.session() as s:
        rows = Outbox(s).all()
    if any(m.lease for m in rows):
        return [("a try is under way", "", 0)]
    return [(m.channel, m.status, m.attempts) for m in rows if m.status != "sent"]
