"""Any payload, signed, over real HTTP: never a 5xx, never a traceback in the answer, never a crashed listener.

Every listener's payload shape (events, each button and select, each modal, the shortcut, the slash command)
is sent as Slack sends it and then broken the ways a forger or a Slack change would: keys dropped, values of
any JSON type put anywhere, huge strings, deep nesting, bodies that are not payloads at all. Each must get a
2xx (a refusal is an empty ack with a warning) or a 4xx; the work the acks store must not fail either.
Deterministic: hypothesis is derandomized and keeps no example database.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_harness import SECRET, SlackHarness, serving, settled
from slack_requests import (
    HttpResult,
    app_mention_event,
    block_actions,
    event_callback,
    message_event,
    post,
    send_form,
    send_interaction,
    shortcut,
    signed_headers,
    view_submission,
)
from support import OPS, add_designer, add_request

from bot.platform.clock import FixedClock
from handlers.blocks.ids import (
    ACTION_EDIT,
    ACTION_NEW_REQUEST,
    ACTION_SUBMIT,
    DELIVERY_ACCEPT,
    DELIVERY_CHANGES,
    PROD_BLOCKED,
    PROD_DELIVERED,
    PROD_START,
    SHORTCUT_NEW_REQUEST,
    TRIAGE_APPROVE,
    TRIAGE_ASSIGN,
    TRIAGE_PRIORITY,
    TRIAGE_REJECT,
    TRIAGE_REQUEST_INFO,
    VIEW_ASK,
    VIEW_BLOCKED,
    VIEW_CHANGES,
    VIEW_DELIVERED,
    VIEW_INTAKE,
    VIEW_REJECT,
)
from storage.db import Database

FUZZ = settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HUGE = "x" * 200_000
REF = "CR-0001"
DESIGNER = "U0DES1"


# ---------------------------------------------------------------------- payloads as Slack sends them


def _text(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


INTAKE_VALUES = {
    "request_type": {"value": {"type": "static_select", "selected_option": {"value": "video"}}},
    "channels": {"value": {"type": "multi_static_select", "selected_options": [{"value": "social"}]}},
    "deadline": {"value": {"type": "datepicker", "selected_date": "2026-04-30"}},
    "objective": _text("sign-ups"),
    "audience": _text("marketers"),
    "duration": _text("30s"),
    "formats": _text("16:9, 9:16"),
}

EVENTS: list[Callable[[], dict[str, Any]]] = [
    lambda: event_callback(message_event("need a 30s video by friday", user="U1", channel="DU1")),
    lambda: event_callback(
        message_event("priority high", user="U0OPS1", channel=OPS, channel_type="channel", thread_ts="1.000100")
    ),
    lambda: event_callback(app_mention_event("<@UBOT> help", user="U1", channel="C1")),
    lambda: event_callback({"type": "app_home_opened", "user": "U1", "tab": "home", "channel": "DU1"}),
    lambda: {"type": "url_verification", "token": "t", "challenge": "abc"},
]

INTERACTIONS: list[Callable[[], dict[str, Any]]] = [
    lambda: block_actions(ACTION_SUBMIT, value="DU1", channel_id="DU1"),
    lambda: block_actions(ACTION_EDIT, value="DU1", channel_id="DU1"),
    lambda: block_actions(ACTION_NEW_REQUEST, value="", channel_id="DU1"),
    lambda: block_actions(TRIAGE_APPROVE, value=REF, user_id="U0OPS1", channel_id=OPS),
    lambda: block_actions(TRIAGE_REQUEST_INFO, value=REF, user_id="U0OPS1", channel_id=OPS),
    lambda: block_actions(TRIAGE_REJECT, value=REF, user_id="U0OPS1", channel_id=OPS),
    lambda: block_actions(TRIAGE_ASSIGN, selected_user=DESIGNER, block_id=f"triage:{REF}", user_id="U0OPS1"),
    lambda: block_actions(TRIAGE_PRIORITY, selected_option="high", block_id=f"triage:{REF}", user_id="U0OPS1"),
    lambda: block_actions(PROD_START, value=REF, user_id=DESIGNER, channel_id="DU0DES1"),
    lambda: block_actions(PROD_BLOCKED, value=REF, user_id=DESIGNER, channel_id="DU0DES1"),
    lambda: block_actions(PROD_DELIVERED, value=REF, user_id=DESIGNER, channel_id="DU0DES1"),
    lambda: block_actions(DELIVERY_ACCEPT, value=REF, user_id="UREQ1", channel_id="DUREQ1"),
    lambda: block_actions(DELIVERY_CHANGES, value=REF, user_id="UREQ1", channel_id="DUREQ1"),
    lambda: view_submission(VIEW_INTAKE, INTAKE_VALUES, private_metadata=json.dumps({"conversation": "DU1"})),
    lambda: view_submission(VIEW_INTAKE, INTAKE_VALUES),
    lambda: view_submission(VIEW_ASK, {"text": _text("which size?")}, private_metadata=json.dumps({"ref": REF})),
    lambda: view_submission(VIEW_REJECT, {"text": _text("duplicate")}, private_metadata=json.dumps({"ref": REF})),
    lambda: view_submission(
        VIEW_BLOCKED, {"text": _text("need the logo")}, user_id=DESIGNER, private_metadata=json.dumps({"ref": REF})
    ),
    lambda: view_submission(
        VIEW_CHANGES, {"text": _text("bigger logo")}, user_id="UREQ1", private_metadata=json.dumps({"ref": REF})
    ),
    lambda: view_submission(
        VIEW_DELIVERED,
        {"link": {"value": {"type": "url_text_input", "value": "https://files.example.com/a"}}, "note": _text("")},
        user_id=DESIGNER,
        private_metadata=json.dumps({"ref": REF}),
    ),
    lambda: shortcut(SHORTCUT_NEW_REQUEST),
]

COMMAND_FIELDS = {
    "token": "legacy",
    "team_id": "T1",
    "channel_id": "DU1",
    "user_id": "U1",
    "command": "/creative-request",
    "text": "",
    "api_app_id": "A1",
    "response_url": "https://hooks.slack.com/commands/T1/1/unreachable",
    "trigger_id": "1.T1.abc",
}


# ---------------------------------------------------------------------- breaking them

Path = tuple[Any, ...]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", " ", "CR-0001", "cr-1", "U1", "DU1", "2026-02-30", "https://x", "{", "null", HUGE]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every path into ``value`` (the root too), through objects and arrays."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


def replaced(value: Any, path: Path, new: Any, *, delete: bool = False) -> Any:
    """``value`` with the item at ``path`` replaced by ``new`` (or deleted)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if delete and not rest:
            copy.pop(head, None)
        else:
            copy[head] = replaced(value[head], rest, new, delete=delete)
        return copy
    copy_list = list(value)
    if delete and not rest:
        del copy_list[head]
    else:
        copy_list[head] = replaced(value[head], rest, new, delete=delete)
    return copy_list


def nested(depth: int) -> str:
    """JSON text of arrays nested ``depth`` deep (as text: neither json.dumps nor a repr could walk it)."""
    return "[" * depth + "1" + "]" * depth


class Case:
    """One request to send: a payload (with DEEP markers for nesting) or a raw body; a short repr for reports."""

    def __init__(self, kind: str, payload: Any) -> None:
        self.kind, self.payload = kind, payload

    def json(self) -> str:
        text = json.dumps(self.payload)
        for depth in DEPTHS:
            text = text.replace(json.dumps(f"{DEEP}{depth}"), nested(depth))
        return text

    def send(self, url: str) -> HttpResult:
        if self.kind == "event":
            body = self.json().encode()
            return post(url + "/slack/events", body, signed_headers(SECRET, body, "application/json"))
        if self.kind == "interaction":
            return send_form(url, SECRET, {"payload": self.json()})
        if self.kind == "command":
            return send_form(url, SECRET, self.payload)
        body, content_type = self.payload
        return post(url + "/slack/events", body, signed_headers(SECRET, body, content_type))

    def __repr__(self) -> str:
        shown = repr(self.payload)
        return f"Case({self.kind}, {shown[:400]}{'…' if len(shown) > 400 else ''})"


DEEP, DEPTHS = "\u0000DEEP:", (40, 70, 200, 5000)


@st.composite
def broken(draw: st.DrawFn, kind: str, builders: list[Callable[[], dict[str, Any]]]) -> Case:
    """A payload from ``builders`` with one to three things broken."""
    payload: Any = draw(st.sampled_from(builders))()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from(list(paths(payload))))
        how = draw(st.sampled_from(["value", "value", "delete", "huge", "deep"]))
        if how == "delete" and where:
            payload = replaced(payload, where, None, delete=True)
        elif how == "huge":
            payload = replaced(payload, where, HUGE)
        elif how == "deep":
            payload = replaced(payload, where, f"{DEEP}{draw(st.sampled_from(DEPTHS))}")
        else:
            payload = replaced(payload, where, draw(json_values))
    return Case(kind, payload)


@st.composite
def command_fields(draw: st.DrawFn) -> Case:
    fields = dict(COMMAND_FIELDS)
    for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=3)):
        how = draw(st.sampled_from(["delete", "huge", "text"]))
        if how == "delete":
            fields.pop(name, None)
        else:
            fields[name] = HUGE if how == "huge" else draw(st.text(max_size=20))
    return Case("command", fields)


RAW_BODIES = st.sampled_from(
    [
        Case("raw", body)
        for body in [
            (b"", "application/json"),
            (b"[1, 2]", "application/json"),
            (b'"just a string"', "application/json"),
            (b"{not json", "application/json"),
            (b"[" * 100_000 + b"]" * 100_000, "application/json"),
            (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
            (b"\xff\xfe\x00", "application/json"),
            (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
            (b"payload=" + b"%5B" * 20_000 + b"%5D" * 20_000, "application/x-www-form-urlencoded"),
            (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
            (b"payload=null", "application/x-www-form-urlencoded"),
            (b"payload=42", "application/x-www-form-urlencoded"),
            (b"command=%2Fcreative-request", "application/x-www-form-urlencoded"),
            (b"\x00\x01\x02", "application/x-www-form-urlencoded"),
        ]
    ]
)
ANY_CASE = st.one_of(broken("event", EVENTS), broken("interaction", INTERACTIONS), command_fields(), RAW_BODIES)


# ---------------------------------------------------------------------- the test


class _Failures(logging.Handler):
    """Log records of listeners or work that failed (a failed inbox item is logged with its traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or "Failed to run" in record.getMessage():
            self.records.append(record)


@pytest.fixture
def fuzzed(db: Database, clock: FixedClock) -> Iterator[tuple[SlackHarness, _Failures]]:
    failures = _Failures()
    root = logging.getLogger()
    root.addHandler(failures)
    try:
        with serving(db, clock) as slack:
            from bot.team.roster import Roster, sync_roster

            sync_roster(slack.services.uow, Roster(ops_managers=["U0OPS1"], designers=[]))
            add_designer(db, DESIGNER)
            add_request(db, requester_id="UREQ1", status="in_progress", assignee_id=DESIGNER)
            yield slack, failures
    finally:
        root.removeHandler(failures)


def _check(result: HttpResult, what: str) -> None:
    assert result.status < 500, f"{what}: HTTP {result.status} {result.body[:500]}"
    assert "Traceback" not in result.body and 'File "' not in result.body, f"{what}: {result.body[:500]}"


def test_no_payload_crashes_a_listener(fuzzed: tuple[SlackHarness, _Failures]) -> None:
    slack, failures = fuzzed
    statuses: list[int] = []

    @FUZZ
    @given(case=ANY_CASE)
    def send(case: Case) -> None:
        result = case.send(slack.url)
        statuses.append(result.status)
        _check(result, repr(case))

    send()
    assert len(statuses) >= 500 and statuses.count(200) > len(statuses) // 3  # most reached a listener
    slack.fake.quiesce(quiet=0.3, timeout=60)
    settled(slack, timeout=60)  # the workers have done every stored delivery
    assert not failures.records, "\n".join(f"{r.name}: {r.getMessage()[:300]}" for r in failures.records[:10])


@pytest.mark.parametrize("depth", [70, 200, 5000])
def test_deep_json_is_a_400(fuzzed: tuple[SlackHarness, _Failures], depth: int) -> None:
    slack, _ = fuzzed
    result = Case("event", {"type": "event_callback", "event": f"{DEEP}{depth}"}).send(slack.url)
    assert result.status == 400 and result.json() == {"error": "malformed payload"}


def test_the_listed_crashes_are_refusals(fuzzed: tuple[SlackHarness, _Failures]) -> None:
    """The shapes that answered 500 before: a view without state, a shortcut or Edit without trigger_id, a
    ref that is not a string."""
    slack, failures = fuzzed
    no_state = view_submission(VIEW_ASK, {})
    del no_state["view"]["state"]
    no_trigger = shortcut(SHORTCUT_NEW_REQUEST)
    del no_trigger["trigger_id"]
    edit = block_actions(ACTION_EDIT, value="DU1", channel_id="DU1")
    del edit["trigger_id"]
    ref_list = block_actions(TRIAGE_APPROVE, user_id="U0OPS1", channel_id=OPS)
    ref_list["actions"][0]["value"] = ["CR-0001"]
    metadata_list = view_submission(VIEW_ASK, {"text": _text("q")}, private_metadata=json.dumps({"ref": [1]}))
    values_list = view_submission(VIEW_INTAKE, {"objective": {"value": ["not", "an", "object"]}})
    for payload in (no_state, no_trigger, edit, ref_list, metadata_list, values_list):
        result = send_interaction(slack.url, SECRET, payload)
        assert result.status == 200, result.body
    slack.fake.quiesce(quiet=0.3)
    assert slack.fake.calls("views.open") == []
    assert not failures.records
