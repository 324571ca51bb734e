"""Acks that cannot miss Slack's 3 seconds (issue 11, item 7): the slash command's form is opened on the ack path
with one short try, and validating the intake form in its ack never calls Slack."""

from __future__ import annotations

import time
from typing import Any

from slack_harness import SlackHarness, eventually

from handlers.blocks.ids import VIEW_INTAKE
from handlers.listeners.commands import FORM_FAILED


def form_values(**fields: Any) -> dict[str, Any]:
    """``state.values`` as Slack sends them for the intake form."""
    kinds = {"request_type": "selected_option", "channels": "selected_options", "deadline": "selected_date"}
    values: dict[str, Any] = {}
    for name, value in fields.items():
        key = kinds.get(name, "value")
        if key == "selected_option":
            value = {"value": value}
        elif key == "selected_options":
            value = [{"value": v} for v in value]
        values[name] = {"value": {key: value}}
    return values


COMPLETE = {
    "request_type": "email",
    "channels": ["email"],
    "deadline": "2026-03-20",
    "objective": "Renewals up 5%",
    "audience": "Customers whose plan ends in Q2",
    "copy": "Copy attached in the doc",
}


def test_the_command_opens_the_form_before_it_answers(slack: SlackHarness) -> None:
    result = slack.command("", user_id="U4", trigger_id="42.T1.trigger")

    assert result.status == 200 and result.body == ""
    [opened] = slack.fake.calls("views.open")  # already made when the ack came back: no wait on the pool
    assert opened.params["trigger_id"] == "42.T1.trigger"
    assert opened.params["view"]["callback_id"] == VIEW_INTAKE


def test_a_slow_slack_cannot_hold_the_commands_ack_past_3_seconds(slack: SlackHarness) -> None:
    slack.fake.set_latency(6.0, "views.open")

    started = time.monotonic()
    result = slack.command("", user_id="U4")
    elapsed = time.monotonic() - started

    assert elapsed < 3.0, f"acked after {elapsed:.1f}s"
    assert result.status == 200 and FORM_FAILED in result.body
    assert len(slack.fake.calls("views.open")) == 1  # one try: the trigger id would have expired anyway


def test_a_form_slack_refused_to_open_is_said_in_the_ack(slack: SlackHarness) -> None:
    slack.fake.fail_next("views.open", error="expired_trigger_id")

    result = slack.command("", user_id="U4")

    assert result.status == 200 and FORM_FAILED in result.body


def test_validating_the_form_calls_no_slack(slack: SlackHarness) -> None:
    slack.fake.set_latency(3.0, "users.info")
    incomplete = form_values(request_type="video", channels=["social"], deadline="2026-02-01", objective="Launch")

    started = time.monotonic()
    result = slack.submit_view(VIEW_INTAKE, incomplete, user_id="U7")
    elapsed = time.monotonic() - started

    assert elapsed < 1.5, f"acked after {elapsed:.1f}s"
    assert result.json()["response_action"] == "errors"
    assert result.json()["errors"]["deadline"] == "This date is in the past"
    slack.fake.quiesce(quiet=0.3)
    assert slack.fake.calls("users.info") == []  # and the refused submission started no work


def test_an_accepted_form_is_acked_at_once_and_handled_after(slack: SlackHarness) -> None:
    slack.fake.set_latency(1.5, "users.info")

    started = time.monotonic()
    result = slack.submit_view(VIEW_INTAKE, form_values(**COMPLETE), user_id="U8", view_id="V88")
    elapsed = time.monotonic() - started

    assert result.status == 200 and result.body == ""
    assert elapsed < 1.0, f"acked after {elapsed:.1f}s"
    eventually(lambda: slack.posts("DU8"), timeout=10)
    assert slack.posts("DU8")[0].params["text"].startswith("Submitted as CR-0001")
