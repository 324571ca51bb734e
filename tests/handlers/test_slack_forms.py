"""The form-first path: the global shortcut, /creative-request, Edit, and form validation."""

from __future__ import annotations

import json
from typing import Any

from slack_harness import OPS, SlackHarness, block_text, button_labels

from handlers.blocks.ids import ACTION_EDIT, SHORTCUT_NEW_REQUEST, VIEW_INTAKE


def form_values(**fields: Any) -> dict[str, Any]:
    """``state.values`` as Slack sends them for the intake form."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "request_type":
            values[name] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
        elif name == "channels":
            values[name] = {"value": {"type": "multi_static_select", "selected_options": [{"value": v} for v in value]}}
        elif name == "deadline":
            values[name] = {"value": {"type": "datepicker", "selected_date": value}}
        else:
            values[name] = {"value": {"type": "plain_text_input", "value": value}}
    return values


COMPLETE = {
    "request_type": "email",
    "channels": ["email"],
    "deadline": "2026-03-20",
    "objective": "Renewals up 5%",
    "audience": "Customers whose plan ends in Q2",
    "copy": "Copy attached in the doc",
}


def test_the_shortcut_opens_the_form_with_the_catalog(slack: SlackHarness) -> None:
    assert slack.shortcut(SHORTCUT_NEW_REQUEST, user_id="U1").status == 200
    view = slack.fake.wait_for("views.open")[0].params["view"]
    assert view["callback_id"] == VIEW_INTAKE and view["title"]["text"] == "New creative request"
    type_options = [o["value"] for o in view["blocks"][0]["element"]["options"]]
    assert type_options == slack.services.catalog.type_names
    assert [b["block_id"] for b in view["blocks"][:5]] == [
        "request_type",
        "channels",
        "deadline",
        "objective",
        "audience",
    ]


def test_missing_required_fields_come_back_as_form_errors(slack: SlackHarness) -> None:
    result = slack.submit_view(
        VIEW_INTAKE, form_values(request_type="video", channels=["social"], deadline="2026-02-01", objective="Launch")
    )
    body = result.json()
    assert result.status == 200 and body["response_action"] == "errors"
    assert set(body["errors"]) == {"audience", "duration", "formats", "deadline"}
    assert body["errors"]["deadline"] == "This date is in the past"
    slack.fake.quiesce(quiet=0.3)
    assert slack.fake.calls("chat.postMessage") == []


def test_a_complete_form_is_submitted_and_triaged(slack: SlackHarness) -> None:
    result = slack.submit_view(VIEW_INTAKE, form_values(**COMPLETE), user_id="U3", view_id="V42")
    assert result.status == 200 and result.body in (b"", "")
    triage = slack.next_post(OPS)
    text = block_text(triage.params["blocks"])
    assert "CR-0001" in text and "requester's form" in text and "<@U3>" in text
    dm = slack.next_post("DU3")
    assert dm.params["text"].startswith("Submitted as CR-0001")


def test_a_short_deadline_in_the_form_is_flagged_as_rush(slack: SlackHarness) -> None:
    slack.submit_view(VIEW_INTAKE, form_values(**{**COMPLETE, "deadline": "2026-03-04"}), user_id="U3")
    assert "*rush*" in block_text(slack.next_post(OPS).params["blocks"])
    assert "flagged as a rush" in slack.next_post("DU3").params["text"]


def test_edit_opens_the_form_filled_with_the_draft_and_returns_to_the_conversation(slack: SlackHarness) -> None:
    slack.dm(
        "need a 30s youtube pre-roll, 16:9, due in 3 weeks. Goal: drive sign-ups for the spring launch. "
        "Audience: marketing managers in DACH"
    )
    slack.next_post("DU1")
    slack.click(ACTION_EDIT, user_id="U1", channel_id="DU1", value="DU1")
    view = slack.fake.wait_for("views.open")[0].params["view"]
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    assert by_id["request_type"]["element"]["initial_option"]["value"] == "video"
    assert by_id["deadline"]["element"]["initial_date"] == "2026-03-23"
    assert by_id["audience"]["element"]["initial_value"] == "marketing managers in DACH"
    assert json.loads(view["private_metadata"]) == {"conversation": "DU1"}

    values = form_values(
        request_type="video",
        channels=["video_platforms", "paid_ads"],
        deadline="2026-03-27",
        objective="drive sign-ups for the spring launch",
        audience="marketing managers in DACH",
        duration="30s",
        formats="16:9, 9:16",
    )
    slack.submit_view(VIEW_INTAKE, values, user_id="U1", private_metadata=view["private_metadata"])
    confirm = slack.next_post("DU1", count=2)
    assert button_labels(confirm.params["blocks"]) == ["Submit", "Edit"]
    assert "Fri 27 Mar 2026" in block_text(confirm.params["blocks"]) and "9:16" in block_text(confirm.params["blocks"])
    assert slack.posts(OPS) == []


def test_the_slash_command_with_text_starts_the_conversation_in_dm(slack: SlackHarness) -> None:
    result = slack.command("need an instagram carousel for the summer sale", user_id="U4", channel_id="C9")
    assert result.status == 200 and "DM" in result.body
    reply = slack.next_post("DU4")
    assert "social graphic" in reply.params["text"]


def test_the_slash_command_without_text_opens_the_form(slack: SlackHarness) -> None:
    assert slack.command("", user_id="U4").status == 200
    assert slack.fake.wait_for("views.open")[0].params["view"]["callback_id"] == VIEW_INTAKE


def test_a_mention_moves_the_conversation_to_dm(slack: SlackHarness) -> None:
    slack.mention("we need a poster for the Berlin meetup, 200 copies", user="U5", channel="C1")
    note = slack.fake.wait_for("chat.postEphemeral")[0].params
    assert (note["channel"], note["user"]) == ("C1", "U5")
    reply = slack.next_post("DU5")
    assert "print" in reply.params["text"]
    assert slack.posts("C1") == []
