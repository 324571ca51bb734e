"""Ops triage over Slack (SPEC 2.2, issue 4): buttons, thread commands, refusals, info relay, audit."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from slack_harness import (
    DESIGNER,
    OPS,
    OPS_MANAGER,
    REQUESTER,
    SECRET,
    SlackHarness,
    block_text,
    eventually,
    stored,
    submitted,
    thread,
    updates_of,
    with_roster,
)
from slack_requests import block_actions, send_interaction

from handlers.blocks.ids import (
    TRIAGE_APPROVE,
    TRIAGE_ASSIGN,
    TRIAGE_PRIORITY,
    TRIAGE_REJECT,
    TRIAGE_REQUEST_INFO,
    VIEW_ASK,
    VIEW_REJECT,
)
from storage.repositories import Audit, Comments


@pytest.fixture
def triage(slack: SlackHarness) -> tuple[SlackHarness, str, str]:
    with_roster(slack)
    ref, ts = submitted(slack)
    return slack, ref, ts


def audit(slack: SlackHarness, ref: str) -> list[tuple[str, str, str | None, str | None]]:
    with slack.services.db.session() as s:
        return [(e.actor, e.action, e.old, e.new) for e in Audit(s).for_request(stored(slack, ref).id)]


def requester_dms(slack: SlackHarness) -> list[str]:
    return [c.params["text"] for c in slack.posts(f"D{REQUESTER}")]


def requester_notifications(slack: SlackHarness) -> list[str]:
    """The requester's top-level DMs (an ops question's answer prompt is posted in the question's thread)."""
    return [c.params["text"] for c in slack.posts(f"D{REQUESTER}") if not c.params.get("thread_ts")]


def latest_triage_text(slack: SlackHarness, ts: str) -> str:
    return block_text(updates_of(slack, ts)[-1].params["blocks"])


def test_the_triage_message_suggests_a_designer_with_their_load(triage: tuple[SlackHarness, str, str]) -> None:
    slack, _, _ = triage
    post = slack.posts(OPS)[-1]
    assert f"<@{DESIGNER}> (0/20 pts)" in block_text(post.params["blocks"])
    assign = post.params["blocks"][-1]["elements"][3]
    assert assign["initial_user"] == DESIGNER


def test_approve_button(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    slack.click(TRIAGE_APPROVE, user_id=OPS_MANAGER, channel_id=OPS, message_ts=ts, value=ref)
    eventually(lambda: updates_of(slack, ts))
    assert stored(slack, ref).status == "approved"
    text = latest_triage_text(slack, ts)
    assert "approved" in text and f"<@{OPS_MANAGER}> approved it · 2 Mar 10:00 UTC" in text
    eventually(lambda: any("was approved" in t for t in requester_dms(slack)))
    assert audit(slack, ref)[-1] == (OPS_MANAGER, "approve", "submitted", "approved")


def test_a_non_ops_user_is_refused_and_nothing_changes(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    slack.click(TRIAGE_APPROVE, user_id="U9", channel_id=OPS, message_ts=ts, value=ref)
    refusal = slack.fake.wait_for("chat.postEphemeral")[0].params
    assert refusal["user"] == "U9" and "Only creative-ops managers" in refusal["text"]
    slack.click(TRIAGE_REQUEST_INFO, user_id="U9", channel_id=OPS, message_ts=ts, value=ref)
    slack.fake.wait_for("chat.postEphemeral", count=2)
    thread(slack, "approve", ts, user="U9")
    third = slack.fake.wait_for("chat.postEphemeral", count=3)[-1].params
    assert third["thread_ts"] == ts
    slack.fake.quiesce(quiet=0.3)
    assert stored(slack, ref).status == "submitted"
    assert updates_of(slack, ts) == [] and slack.fake.calls("views.open") == []
    assert [a[1] for a in audit(slack, ref)] == ["status"]


def test_request_info_and_the_answer_round_trip(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    slack.click(TRIAGE_REQUEST_INFO, user_id=OPS_MANAGER, channel_id=OPS, message_ts=ts, value=ref)
    view = slack.fake.wait_for("views.open")[0].params["view"]
    assert view["callback_id"] == VIEW_ASK
    values = {"text": {"value": {"type": "plain_text_input", "value": "Which markets should it run in?"}}}
    assert (
        slack.submit_view(VIEW_ASK, values, user_id=OPS_MANAGER, private_metadata=view["private_metadata"]).status
        == 200
    )
    question = eventually(lambda: [c for c in slack.posts(f"D{REQUESTER}") if "question" in c.params["text"]])[0]
    assert "Which markets should it run in?" in question.params["text"]
    assert stored(slack, ref).status == "needs_info"
    eventually(lambda: stored(slack, ref).info_ts)  # the question's ts is recorded just after it is posted

    slack.dm("Germany and Austria, deadline stays", user=REQUESTER, thread_ts=question.response["ts"])
    relayed = slack.fake.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == ts)[0]
    assert relayed.params["channel"] == OPS and "Germany and Austria" in relayed.params["text"]
    request = eventually(lambda: (r := stored(slack, ref)).status == "submitted" and r)
    assert request.brief["markets"] and "Answer to ops: Germany and Austria" in request.brief["notes"]
    assert request.complete_at_submit is False
    assert [a[1] for a in audit(slack, ref)][-2:] == ["ask", "answer"]


def test_an_answer_typed_outside_the_thread_is_relayed_when_there_is_no_draft(
    triage: tuple[SlackHarness, str, str],
) -> None:
    slack, ref, ts = triage
    thread(slack, "ask who signs off the final cut?", ts)
    eventually(lambda: stored(slack, ref).info_ts)
    slack.dm("Maria from brand signs off", user=REQUESTER)
    slack.fake.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == ts and "Maria from brand" in c.params["text"]
    )
    eventually(lambda: stored(slack, ref).status == "submitted")


def test_with_a_draft_open_a_top_level_message_goes_to_the_draft_and_says_ops_is_waiting(
    triage: tuple[SlackHarness, str, str],
) -> None:
    slack, ref, ts = triage
    slack.dm("need an email newsletter", user=REQUESTER)
    eventually(lambda: slack.services.conversation.draft_brief(REQUESTER, f"D{REQUESTER}"))
    thread(slack, "ask which markets?", ts)
    eventually(lambda: stored(slack, ref).info_ts)
    slack.dm("goal: more renewals", user=REQUESTER)
    reply = eventually(lambda: [c for c in slack.posts(f"D{REQUESTER}") if "still waiting" in c.params["text"]])
    assert ref in reply[0].params["text"]
    assert stored(slack, ref).status == "needs_info"
    draft = slack.services.conversation.draft_brief(REQUESTER, f"D{REQUESTER}")
    assert draft is not None and draft.objective == "more renewals"


def test_reject_button_asks_for_a_reason_and_tells_the_requester(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    slack.click(TRIAGE_REJECT, user_id=OPS_MANAGER, channel_id=OPS, message_ts=ts, value=ref)
    view = slack.fake.wait_for("views.open")[0].params["view"]
    empty = slack.submit_view(
        VIEW_REJECT,
        {"text": {"value": {"type": "plain_text_input", "value": ""}}},
        user_id=OPS_MANAGER,
        private_metadata=view["private_metadata"],
    )
    assert empty.json()["response_action"] == "errors"
    values = {"text": {"value": {"type": "plain_text_input", "value": "Duplicate of the agency brief"}}}
    slack.submit_view(VIEW_REJECT, values, user_id=OPS_MANAGER, private_metadata=view["private_metadata"])
    eventually(
        lambda: any("rejected by creative ops:\n>Duplicate of the agency brief" in t for t in requester_dms(slack))
    )
    assert stored(slack, ref).status == "rejected"


def test_assign_select_assigns_and_dms_the_designer(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    send_interaction(
        slack.url,
        SECRET,
        block_actions(
            TRIAGE_ASSIGN,
            user_id=OPS_MANAGER,
            channel_id=OPS,
            message_ts=ts,
            selected_user=DESIGNER,
            block_id=f"triage:{ref}",
        ),
    )
    dm = slack.next_post(f"D{DESIGNER}")
    assert [e["text"]["text"] for e in dm.params["blocks"][-1]["elements"]] == ["Start", "Blocked", "Delivered"]
    assert "triage thread" in block_text(dm.params["blocks"])
    request = eventually(lambda: (r := stored(slack, ref)).assignment_ts and r)
    assert (request.status, request.assignee_id) == ("assigned", DESIGNER)
    eventually(lambda: any(f"assigned to <@{DESIGNER}>" in t for t in requester_dms(slack)))


def test_assigning_someone_outside_the_roster_is_refused(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    thread(slack, "assign <@U0NOBODY>", ts)
    refusal = slack.fake.wait_for("chat.postEphemeral")[0].params["text"]
    assert "not a designer in the roster" in refusal
    assert stored(slack, ref).status == "submitted"


def test_priority_select(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    send_interaction(
        slack.url,
        SECRET,
        block_actions(
            TRIAGE_PRIORITY,
            user_id=OPS_MANAGER,
            channel_id=OPS,
            message_ts=ts,
            selected_option="urgent",
            block_id=f"triage:{ref}",
        ),
    )
    eventually(lambda: stored(slack, ref).priority == "urgent")
    eventually(
        lambda: (
            f"<@{OPS_MANAGER}> set the priority to urgent (was normal)" in latest_triage_text(slack, ts)
            if updates_of(slack, ts)
            else False
        )
    )


@pytest.mark.parametrize(
    ("command", "check"),
    [
        ("approve", lambda r: r.status == "approved"),
        ("APPROVE", lambda r: r.status == "approved"),
        ("<@UBOT> approve", lambda r: r.status == "approved"),
        ("reject out of scope for this quarter", lambda r: r.status == "rejected"),
        ("ask which markets?", lambda r: r.status == "needs_info" and r.info_ts),
        (f"assign <@{DESIGNER}>", lambda r: r.status == "assigned" and r.assignee_id == DESIGNER),
        ("Priority High", lambda r: r.priority == "high"),
        ("due March 27", lambda r: r.due_date == date(2026, 3, 27)),
        (
            "type social_graphic",
            lambda r: r.request_type == "social_graphic" and r.classified_by == "ops" and r.proposed_type == "video",
        ),
        ("channels social, paid ads", lambda r: r.channels == ["social", "paid_ads"] and r.classified_by == "ops"),
    ],
)
def test_thread_commands(triage: tuple[SlackHarness, str, str], command: str, check) -> None:  # type: ignore[no-untyped-def]
    slack, ref, ts = triage
    told_before = len(requester_notifications(slack))
    assert thread(slack, command, ts).status == 200
    eventually(lambda: check(stored(slack, ref)))
    eventually(lambda: updates_of(slack, ts))
    eventually(lambda: len(requester_notifications(slack)) >= told_before + 1)
    slack.fake.quiesce(quiet=0.3)
    # exactly one message each (an ops question's answer prompt goes in the question's thread)
    assert len(requester_notifications(slack)) == told_before + 1


@pytest.mark.parametrize(("command", "expected"), [("status", "is *submitted*"), ("help", "`assign <@designer>`")])
def test_status_and_help_reply_in_the_thread(
    triage: tuple[SlackHarness, str, str], command: str, expected: str
) -> None:
    slack, ref, ts = triage
    thread(slack, command, ts)
    reply = slack.fake.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == ts)[0]
    assert expected in reply.params["text"]


def test_other_replies_from_ops_are_comments(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    thread(slack, "Looks like the spring campaign, check with Ana", ts)
    thread(slack, "random chatter", ts, user="U9")

    def comments() -> list[tuple[str, str]]:
        with slack.services.db.session() as s:
            return [(c.author, c.text) for c in Comments(s).for_request(stored(slack, ref).id)]

    assert eventually(comments) == [(OPS_MANAGER, "Looks like the spring campaign, check with Ana")]
    slack.fake.quiesce(quiet=0.3)
    assert comments() == [(OPS_MANAGER, "Looks like the spring campaign, check with Ana")]
    assert stored(slack, ref).status == "submitted"


def test_an_illegal_transition_is_refused_with_the_reason(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    thread(slack, "reject not needed", ts)
    eventually(lambda: stored(slack, ref).status == "rejected")
    slack.click(TRIAGE_APPROVE, user_id=OPS_MANAGER, channel_id=OPS, message_ts=ts, value=ref)
    refusal = slack.fake.wait_for("chat.postEphemeral")[0].params["text"]
    assert "can't be approved while it is rejected" in refusal
    assert stored(slack, ref).status == "rejected"


def test_a_concurrent_double_click_on_approve_makes_one_transition(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    dms_before = len(requester_dms(slack))
    barrier = threading.Barrier(2)

    def click() -> None:
        barrier.wait()
        slack.click(TRIAGE_APPROVE, user_id=OPS_MANAGER, channel_id=OPS, message_ts=ts, value=ref)

    clickers = [threading.Thread(target=click) for _ in range(2)]
    for t in clickers:
        t.start()
    for t in clickers:
        t.join()
    refusal = slack.fake.wait_for("chat.postEphemeral")[0].params["text"]
    assert "already approved" in refusal
    slack.fake.quiesce(quiet=0.3)
    assert [a[1] for a in audit(slack, ref)].count("approve") == 1
    assert len(requester_dms(slack)) == dms_before + 1
    assert len(updates_of(slack, ts)) == 1


def test_export_has_proposal_override_and_history(triage: tuple[SlackHarness, str, str]) -> None:
    from bot.reporting.export import export_rows, to_csv

    slack, ref, ts = triage
    thread(slack, "type social_graphic", ts)
    eventually(lambda: stored(slack, ref).classified_by == "ops")
    thread(slack, "approve", ts)
    eventually(lambda: stored(slack, ref).status == "approved")
    row = export_rows(slack.services.uow)[0]
    assert (row["ref"], row["proposed_type"], row["request_type"], row["overridden"]) == (
        ref,
        "video",
        "social_graphic",
        True,
    )
    assert [(h["action"], h["old"], h["new"]) for h in row["history"]] == [
        ("status", "draft", "submitted"),
        ("type", "video", "social_graphic"),
        ("approve", "submitted", "approved"),
    ]
    csv_text = to_csv([row])
    assert ref in csv_text and json.loads(csv_text.splitlines()[1].split(",", 1)[0] and '""') == ""
