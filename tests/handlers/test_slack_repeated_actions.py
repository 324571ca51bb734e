"""A click or a modal submission delivered twice is answered once (issue 12: an idempotency key from the payload)."""

from __future__ import annotations

from slack_harness import (
    OPS,
    OPS_MANAGER,
    REQUESTER,
    SECRET,
    SlackHarness,
    eventually,
    stored,
    submitted,
    with_roster,
)
from slack_requests import block_actions, send_interaction, view_submission

from handlers.blocks.ids import TRIAGE_APPROVE, VIEW_ASK
from storage.repositories import Audit


def requester_dms(slack: SlackHarness) -> list[str]:
    return [c.params["text"] for c in slack.posts(f"D{REQUESTER}")]


def audit_actions(slack: SlackHarness, ref: str) -> list[str]:
    with slack.services.db.session() as session:
        return [e.action for e in Audit(session).for_request(stored(slack, ref).id or 0)]


def test_the_same_click_delivered_twice_approves_once_and_tells_once(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    click = block_actions(TRIAGE_APPROVE, user_id=OPS_MANAGER, channel_id=OPS, message_ts=ts, value=ref)
    assert send_interaction(slack.url, SECRET, click).status == 200
    assert send_interaction(slack.url, SECRET, click).status == 200  # Slack's retry: the same action_ts
    eventually(lambda: stored(slack, ref).status == "approved")
    slack.fake.quiesce(quiet=0.3)
    assert audit_actions(slack, ref).count("approve") == 1
    assert sum("was approved" in text for text in requester_dms(slack)) == 1
    assert slack.fake.calls("chat.postEphemeral", lambda c: c.params.get("user") == OPS_MANAGER) == []


def test_the_same_question_submitted_twice_is_asked_once(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, _ = submitted(slack)
    values = {"text": {"value": {"type": "plain_text_input", "value": "Which markets?"}}}
    form = view_submission(VIEW_ASK, values, user_id=OPS_MANAGER, private_metadata=f'{{"ref": "{ref}"}}')
    assert send_interaction(slack.url, SECRET, form).status == 200
    assert send_interaction(slack.url, SECRET, form).status == 200  # a double submit of the same modal
    eventually(lambda: stored(slack, ref).status == "needs_info")
    slack.fake.quiesce(quiet=0.3)
    assert audit_actions(slack, ref).count("ask") == 1
    assert sum("has a question" in text for text in requester_dms(slack)) == 1
