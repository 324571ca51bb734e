"""Production over Slack (SPEC 2.3): assignment, Start, Blocked, Delivered, Accept, Request changes."""

from __future__ import annotations

from typing import Any

import pytest
from slack_harness import (
    DESIGNER,
    OPS,
    OPS_MANAGER,
    OTHER_DESIGNER,
    REQUESTER,
    SlackHarness,
    block_text,
    eventually,
    stored,
    submitted,
    thread,
    with_roster,
)

from handlers.blocks.ids import (
    DELIVERY_ACCEPT,
    DELIVERY_CHANGES,
    PROD_BLOCKED,
    PROD_DELIVERED,
    PROD_START,
    VIEW_BLOCKED,
    VIEW_CHANGES,
    VIEW_DELIVERED,
)
from storage.repositories import Audit


@pytest.fixture
def assigned(slack: SlackHarness) -> tuple[SlackHarness, str, str]:
    with_roster(slack)
    ref, ts = submitted(slack)
    thread(slack, f"assign <@{DESIGNER}>", ts)
    eventually(lambda: stored(slack, ref).assignment_ts)
    return slack, ref, ts


def press(slack: SlackHarness, action_id: str, user: str, ref: str) -> None:
    slack.click(action_id, user_id=user, channel_id=f"D{user}", value=ref)


def form(slack: SlackHarness, callback_id: str, user: str, count: int, **inputs: str) -> Any:
    """Submit the ``count``-th modal opened, with its inputs."""
    view = slack.fake.wait_for("views.open", count=count)[-1].params["view"]
    assert view["callback_id"] == callback_id
    values = {block: {"value": {"type": "plain_text_input", "value": text}} for block, text in inputs.items()}
    return slack.submit_view(callback_id, values, user_id=user, private_metadata=view["private_metadata"])


def dms(slack: SlackHarness, user: str) -> list[str]:
    return [c.params["text"] for c in slack.posts(f"D{user}")]


def test_start_delivered_request_changes_delivered_accept(assigned: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = assigned
    press(slack, PROD_START, DESIGNER, ref)
    eventually(lambda: stored(slack, ref).status == "in_progress")
    eventually(lambda: any("is in progress" in t for t in dms(slack, REQUESTER)))

    press(slack, PROD_DELIVERED, DESIGNER, ref)
    assert form(slack, VIEW_DELIVERED, DESIGNER, 1, link="https://drive.example/cut-v1", note="First cut").status == 200
    delivery = eventually(lambda: [c for c in slack.posts(f"D{REQUESTER}") if "is delivered" in c.params["text"]])
    assert [e["text"]["text"] for e in delivery[0].params["blocks"][-1]["elements"]] == ["Accept", "Request changes"]
    assert "https://drive.example/cut-v1" in block_text(delivery[0].params["blocks"])
    assert stored(slack, ref).status == "delivered"

    press(slack, DELIVERY_CHANGES, REQUESTER, ref)
    form(slack, VIEW_CHANGES, REQUESTER, 2, text="Logo bigger in the end card")
    eventually(lambda: any("Logo bigger" in t for t in dms(slack, DESIGNER)))
    request = stored(slack, ref)
    assert (request.status, request.revision_count) == ("revision_requested", 1)

    press(slack, PROD_START, DESIGNER, ref)
    eventually(lambda: stored(slack, ref).status == "in_progress")
    press(slack, PROD_DELIVERED, DESIGNER, ref)
    form(slack, VIEW_DELIVERED, DESIGNER, 3, link="https://drive.example/cut-v2")
    eventually(lambda: stored(slack, ref).status == "delivered")
    press(slack, DELIVERY_ACCEPT, REQUESTER, ref)
    eventually(lambda: stored(slack, ref).status == "closed")
    eventually(lambda: any("accepted" in t for t in dms(slack, DESIGNER)))

    with slack.services.db.session() as s:
        actions = [e.action for e in Audit(s).for_request(stored(slack, ref).id)]
    assert actions == ["status", "assign", "start", "deliver", "request_changes", "start", "deliver", "accept"]
    final = stored(slack, ref)
    assert final.delivery_link == "https://drive.example/cut-v2" and final.closed_at is not None

    def thread_notes() -> list[str] | None:
        """The ops thread's notes once they tell of a delivery and of the acceptance.

        The acceptance note is posted after the designer's DM waited for above, so it is waited for itself.
        """
        notes = [c.params["text"] for c in slack.fake.calls("chat.postMessage") if c.params.get("thread_ts") == ts]
        told = any("delivered" in n for n in notes) and any("accepted the delivery" in n for n in notes)
        return notes if told else None

    notes = eventually(thread_notes)
    assert any("delivered" in n for n in notes) and any("accepted the delivery" in n for n in notes)


def test_blocked_asks_why_and_tells_the_ops_thread(assigned: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = assigned
    press(slack, PROD_BLOCKED, DESIGNER, ref)
    form(slack, VIEW_BLOCKED, DESIGNER, 1, text="Waiting for the product shots")
    note = slack.fake.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == ts and "blocked" in c.params["text"]
    )[0]
    assert note.params["channel"] == OPS and "Waiting for the product shots" in note.params["text"]
    assert stored(slack, ref).status == "blocked"
    assignment = eventually(
        lambda: [c for c in slack.fake.calls("chat.update") if c.params.get("channel") == f"D{DESIGNER}"]
    )
    assert "status *blocked*" in block_text(assignment[-1].params["blocks"])


@pytest.mark.parametrize(
    ("action_id", "user", "opens_form"),
    [
        (PROD_START, OTHER_DESIGNER, False),
        (PROD_START, REQUESTER, False),
        (PROD_START, OPS_MANAGER, False),
        (PROD_BLOCKED, OTHER_DESIGNER, True),
        (PROD_DELIVERED, REQUESTER, True),
        (DELIVERY_ACCEPT, DESIGNER, False),
        (DELIVERY_CHANGES, "U9", True),
    ],
)
def test_only_the_right_person_can_press_each_production_button(
    assigned: tuple[SlackHarness, str, str], action_id: str, user: str, opens_form: bool
) -> None:
    slack, ref, _ = assigned
    before = stored(slack, ref).status
    press(slack, action_id, user, ref)
    refusal = slack.fake.wait_for("chat.postEphemeral")[0].params
    assert refusal["user"] == user and "nothing changed" in refusal["text"]
    slack.fake.quiesce(quiet=0.2)
    assert stored(slack, ref).status == before
    assert slack.fake.calls("views.open") == []


def test_a_refused_form_submission_changes_nothing(assigned: tuple[SlackHarness, str, str]) -> None:
    slack, ref, _ = assigned
    result = slack.submit_view(
        VIEW_DELIVERED,
        {"link": {"value": {"type": "url_text_input", "value": "https://x.example"}}},
        user_id=OTHER_DESIGNER,
        private_metadata=f'{{"ref":"{ref}"}}',
    )
    assert result.json()["response_action"] == "errors"
    assert "assigned designer" in result.json()["errors"]["link"]
    assert stored(slack, ref).status == "assigned"


def test_the_requester_can_withdraw_a_request(assigned: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = assigned
    slack.dm(f"cancel {ref.lower()}", user="U9")
    assert "Only the requester" in slack.next_post("DU9").params["text"]
    slack.dm(f"Cancel {ref}", user=REQUESTER)
    eventually(lambda: stored(slack, ref).status == "cancelled")
    eventually(lambda: any("cancelled" in t for t in dms(slack, DESIGNER)))
    note = slack.fake.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == ts and "cancelled" in c.params["text"]
    )[0]
    assert note.params["channel"] == OPS
