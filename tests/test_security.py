"""Security (hardening issue): the authorization matrix, secrets never logged, SQL only in storage/."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest
from support import ROOT, add_request, make_services

from bot.platform.clock import FixedClock
from bot.requests.lifecycle import TRANSITIONS
from bot.requests.roles import ROLES, Refused
from bot.services import Services
from bot.team.roster import DesignerEntry, Roster, sync_roster
from storage.db import Database
from storage.repositories import Requests

REQUESTER, OTHER, OPS, DESIGNER, UNASSIGNED = "U0REQ", "U0OTHER", "U0OPS", "U0DES", "U0DES2"
ACTORS = {
    "requester": REQUESTER,
    "other user": OTHER,
    "ops manager": OPS,
    "assigned designer": DESIGNER,
    "unassigned designer": UNASSIGNED,
}
ALLOWED = {"ops": {"ops manager"}, "designer": {"assigned designer"}, "requester": {"requester"}}
#: A status in which each action is legal, so only authorization can refuse it.
LEGAL_FROM = {
    "approve": "submitted",
    "reject": "submitted",
    "ask": "submitted",
    "assign": "approved",
    "priority": "submitted",
    "due": "submitted",
    "type": "submitted",
    "channels": "submitted",
    "comment": "submitted",
    "start": "assigned",
    "block": "in_progress",
    "deliver": "in_progress",
    "answer": "needs_info",
    "request_changes": "delivered",
    "accept": "delivered",
    "cancel": "approved",
}


@pytest.fixture
def roster(db: Database) -> None:
    """An ops manager and two video designers."""
    sync_roster(
        db.uow,
        Roster(
            ops_managers=[OPS],
            designers=[
                DesignerEntry(slack_id=DESIGNER, skills=["video"]),
                DesignerEntry(slack_id=UNASSIGNED, skills=["video"]),
            ],
        ),
    )


def _request(services: Services, status: str) -> str:
    """A video request from REQUESTER assigned to DESIGNER, in ``status``."""
    return add_request(
        services.db,
        when=services.clock.now(),
        status=status,
        requester_id=REQUESTER,
        brief={"request_type": "video"},
        assignee_id=DESIGNER,
    )


def test_every_action_has_a_role_and_a_legal_starting_status() -> None:
    assert set(ROLES) == set(LEGAL_FROM)
    assert set(TRANSITIONS) <= set(ROLES)


@pytest.mark.parametrize("action", sorted(ROLES))
@pytest.mark.usefixtures("roster")
def test_authorization_matrix(services: Services, action: str) -> None:
    ref = _request(services, LEGAL_FROM[action])
    actions = services.changes
    for who, user in ACTORS.items():
        if who in ALLOWED[ROLES[action]]:
            actions.check(user, ref, action)
        else:
            with pytest.raises(Refused, match="nothing changed"):
                actions.check(user, ref, action)
            with pytest.raises(Refused), services.db.session():
                actions.perform(user, ref, action, note="x", value="high")
    with services.db.session() as session:
        stored = Requests(session).by_ref(ref)
        assert stored is not None and stored.status == LEGAL_FROM[action]


def test_a_full_flow_never_logs_a_token_or_secret(
    caplog: pytest.LogCaptureFixture, db: Database, clock: FixedClock
) -> None:
    from fakes.openai_server import FakeOpenAI
    from fakes.slack_api import FakeSlackAPI
    from slack_requests import (
        block_actions,
        event_callback,
        message_event,
        send_event,
        send_interaction,
        serve_wsgi,
    )
    from support import running

    from handlers.server import wsgi_app

    secrets = ["xoxb-very-secret-bot-token", "signing-secret-value-42", "sk-openai-secret-key-99"]
    caplog.set_level(logging.DEBUG)
    with FakeSlackAPI() as slack, FakeOpenAI() as llm:
        llm.responder = lambda request: None  # the engine falls back to rules on the fake's empty answer
        services = make_services(
            db,
            clock,
            slack,
            slack_bot_token=secrets[0],
            slack_signing_secret=secrets[1],
            openai_api_key=secrets[2],
            openai_base_url=llm.base_url,
        )
        with running(services) as app, serve_wsgi(wsgi_app(app, services)) as url:
            text = "need a 30s youtube pre-roll, 16:9, due in 3 weeks. Goal: sign-ups. Audience: marketers"
            send_event(url, secrets[1], event_callback(message_event(text, user="U1", channel="DU1")))
            slack.wait_for("chat.postMessage")
            send_interaction(
                url, secrets[1], block_actions("intake_submit", user_id="U1", channel_id="DU1", value="DU1")
            )
            slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C0OPS")
            send_event(url, "wrong-secret", event_callback(message_event("x", channel="DU1")))
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records, "the flow should have logged something"
    for secret in secrets:
        assert secret not in logged


SQL = re.compile(
    r"^\s*(select\s.+\sfrom\s|select\s+\d|insert\s+into\s|update\s+\w+\s+set\s|delete\s+from\s|"
    r"create\s+(table|schema|index)\s|drop\s+(table|schema|index)\s|truncate\s)",
    re.IGNORECASE | re.DOTALL,
)


def _sql_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value)
    ]


def test_sql_is_written_only_in_storage() -> None:
    outside = [ROOT / "app.py", *(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]
    offenders = {str(p.relative_to(ROOT)): found for p in outside if (found := _sql_literals(p))}
    assert offenders == {}
    storage = {
        str(p.relative_to(ROOT)): found
        for p in (ROOT / "storage").rglob("*.py")
        if "migrations" not in p.parts and (found := _sql_literals(p))
    }
    assert storage == {"storage/db.py": ["SELECT 1"]}
