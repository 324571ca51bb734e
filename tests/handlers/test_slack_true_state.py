"""One true state (SPEC 2.2, issue 12): the triage message is the request as it is now, no-op changes are
nothing, notifications read in human words, comments are visible, reassignment refreshes both Homes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from slack_harness import (
    DESIGNER,
    OPS,
    OPS_MANAGER,
    OTHER_DESIGNER,
    REQUESTER,
    SECRET,
    SlackHarness,
    block_text,
    button_labels,
    eventually,
    stored,
    submitted,
    thread,
    updates_of,
    with_roster,
)
from slack_requests import block_actions, send_interaction
from support import counting

from handlers.blocks.ids import PROD_START, TRIAGE_ASSIGN, TRIAGE_PRIORITY
from storage.repositories import Audit

#: What a requester must never read: internal names and stored dates.
INTERNAL = re.compile(r"\d{4}-\d{2}-\d{2}|paid_ads|video_platforms|social_graphic|needs_info|in_progress")


@pytest.fixture
def triage(slack: SlackHarness) -> tuple[SlackHarness, str, str]:
    with_roster(slack)
    ref, ts = submitted(slack)
    return slack, ref, ts


def audit(slack: SlackHarness, ref: str) -> list[tuple[str, str | None, str | None]]:
    with slack.services.db.session() as s:
        return [(e.action, e.old, e.new) for e in Audit(s).for_request(stored(slack, ref).id or 0)]


def told(slack: SlackHarness, user: str) -> list[str]:
    """``user``'s top-level DMs."""
    return [c.params["text"] for c in slack.posts(f"D{user}") if not c.params.get("thread_ts")]


def latest_card(slack: SlackHarness, ts: str, count: int = 1) -> list[dict[str, Any]]:
    """The blocks of the triage message's ``count``-th update (waited for)."""
    update = slack.fake.wait_for("chat.update", lambda c: c.params.get("ts") == ts, count=count)[-1]
    return list(update.params["blocks"])


def controls(blocks: list[dict[str, Any]]) -> list[str]:
    """The triage controls shown: button labels, and ``assign`` / ``priority`` for the selects."""
    names = {"users_select": "assign", "static_select": "priority"}
    return [
        e["text"]["text"] if e["type"] == "button" else names[e["type"]]
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
    ]


def select(slack: SlackHarness, ts: str, ref: str, action_id: str, **chosen: str) -> None:
    """Choose in a triage select (a new click each time: its own action_ts)."""
    payload = block_actions(
        action_id, user_id=OPS_MANAGER, channel_id=OPS, message_ts=ts, block_id=f"triage:{ref}", **chosen
    )
    assert send_interaction(slack.url, SECRET, payload).status == 200


def test_a_new_request_offers_every_triage_control(triage: tuple[SlackHarness, str, str]) -> None:
    slack, _, _ = triage
    assert controls(slack.posts(OPS)[-1].params["blocks"]) == [
        "Approve",
        "Request info",
        "Reject",
        "assign",
        "priority",
    ]


def test_due_shows_the_new_date_beside_the_requesters_and_recomputes_rush(
    triage: tuple[SlackHarness, str, str],
) -> None:
    slack, ref, ts = triage
    assert stored(slack, ref).rush is False  # Mon 23 Mar is the earliest standard date for a video
    thread(slack, "due next friday", ts)
    text = block_text(latest_card(slack, ts))
    assert "Fri 13 Mar 2026 (requester asked for Mon 23 Mar 2026)" in text
    assert "*rush* (standard lead time 15 business days)" in text
    assert f"<@{OPS_MANAGER}> moved the due date to Fri 13 Mar (was Mon 23 Mar)" in text
    request = stored(slack, ref)
    assert (request.rush, request.deadline.isoformat(), request.due_date.isoformat()) == (
        True,
        "2026-03-23",
        "2026-03-13",
    )
    news = eventually(lambda: [t for t in told(slack, REQUESTER) if "updated" in t])
    assert news == [f"Creative ops updated {ref} “{request.title}”: Due date moved to Fri 13 Mar (was Mon 23 Mar)."]
    assert audit(slack, ref)[-1] == ("due", "2026-03-23", "2026-03-13")

    thread(slack, "due March 27", ts)  # later than the lead time needs: no longer a rush
    text = block_text(latest_card(slack, ts, count=2))
    assert "Fri 27 Mar 2026 (requester asked for Mon 23 Mar 2026)" in text and "*rush*" not in text
    assert stored(slack, ref).rush is False


def test_the_card_shows_the_assignee_with_load_and_only_the_controls_that_still_apply(
    triage: tuple[SlackHarness, str, str],
) -> None:
    slack, ref, ts = triage
    thread(slack, "priority high", ts)
    blocks = latest_card(slack, ts)
    assert "*Priority*\nhigh" in block_text(blocks)
    priority = next(e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "static_select")
    assert priority["initial_option"]["value"] == "high"

    thread(slack, f"assign <@{DESIGNER}>", ts)
    blocks = latest_card(slack, ts, count=2)
    text = block_text(blocks)
    assert f"*Assigned to*\n<@{DESIGNER}> (8/20 pts)" in text and "Suggested assignee" not in text
    assert "*Status*\nassigned" in text
    assert controls(blocks) == ["assign", "priority"]  # no Approve, Request info or Reject once assigned
    assign = next(e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "users_select")
    assert assign["initial_user"] == DESIGNER
    assert f"<@{OPS_MANAGER}> assigned it to <@{DESIGNER}>" in text

    slack.click(PROD_START, user_id=DESIGNER, channel_id=f"D{DESIGNER}", value=ref)
    assert controls(latest_card(slack, ts, count=3)) == ["priority"]  # in progress: assigning is not legal

    thread(slack, "reject out of budget", ts)
    blocks = latest_card(slack, ts, count=4)
    assert controls(blocks) == [] and button_labels(blocks) == []
    assert not any(b["type"] == "actions" for b in blocks)  # nothing to press on a rejected request


def test_approve_leaves_assign_reject_and_priority(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    thread(slack, "approve", ts)
    assert controls(latest_card(slack, ts)) == ["Reject", "assign", "priority"]


def test_the_assignment_dm_keeps_its_triage_link_and_shows_the_current_due_date(
    triage: tuple[SlackHarness, str, str],
) -> None:
    slack, ref, ts = triage
    thread(slack, f"assign <@{DESIGNER}>", ts)
    dm_ts = eventually(lambda: stored(slack, ref).assignment_ts)
    thread(slack, "due March 27", ts)
    moved = slack.fake.wait_for("chat.update", lambda c: c.params.get("ts") == dm_ts)[-1]
    assert "due *Fri 27 Mar 2026*" in block_text(moved.params["blocks"])
    assert "triage thread" in block_text(moved.params["blocks"])
    designer_news = eventually(lambda: [t for t in told(slack, DESIGNER) if "updated your assignment" in t])
    assert "Due date moved to Fri 27 Mar (was Mon 23 Mar)" in designer_news[0]

    slack.click(PROD_START, user_id=DESIGNER, channel_id=f"D{DESIGNER}", value=ref)
    started = slack.fake.wait_for("chat.update", lambda c: c.params.get("ts") == dm_ts, count=2)[-1]
    text = block_text(started.params["blocks"])
    assert "status *in progress*" in text and "triage thread" in text and "due *Fri 27 Mar 2026*" in text
    assert button_labels(started.params["blocks"]) == ["Blocked", "Delivered"]


@pytest.mark.parametrize(
    ("command", "repeated", "answer"),
    [
        ("priority high", "Priority HIGH", "Nothing changed: the priority of {ref} is already high."),
        ("due March 27", "due 27 March", "Nothing changed: the due date of {ref} is already Fri 27 Mar."),
        ("type social_graphic", "type social graphic", "Nothing changed: the type of {ref} is already social graphic."),
        (
            "channels social, paid ads",
            "channels paid ads and social",
            "Nothing changed: the channels of {ref} are already social, paid ads.",
        ),
        (
            f"assign <@{DESIGNER}>",
            f"assign <@{DESIGNER}>",
            f"Nothing changed: {{ref}} is already assigned to <@{DESIGNER}>.",
        ),
        (
            "ask which markets?",
            "ask which markets?",
            f"Nothing changed: that question is already waiting for <@{REQUESTER}>'s answer.",
        ),
    ],
)
def test_a_command_that_changes_nothing_is_not_stored_audited_or_told(
    triage: tuple[SlackHarness, str, str], command: str, repeated: str, answer: str
) -> None:
    slack, ref, ts = triage
    thread(slack, command, ts)
    eventually(lambda: len(audit(slack, ref)) == 2)
    latest_card(slack, ts)
    slack.fake.quiesce(quiet=0.3)
    before = (len(slack.fake.calls("chat.postMessage")), len(slack.fake.calls("views.publish")), stored(slack, ref))

    thread(slack, repeated, ts)
    refusal = slack.fake.wait_for("chat.postEphemeral")[0].params
    assert (refusal["user"], refusal["thread_ts"], refusal["text"]) == (OPS_MANAGER, ts, answer.format(ref=ref))
    slack.fake.quiesce(quiet=0.3)
    assert len(audit(slack, ref)) == 2
    assert len(updates_of(slack, ts)) == 1
    assert len(slack.fake.calls("chat.postMessage")) == before[0]
    assert len(slack.fake.calls("views.publish")) == before[1]
    assert stored(slack, ref).updated_at == before[2].updated_at


def test_the_same_priority_and_the_same_assignee_chosen_twice_tell_once(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    for _ in range(2):
        select(slack, ts, ref, TRIAGE_PRIORITY, selected_option="urgent")
        eventually(lambda: stored(slack, ref).priority == "urgent")
    for _ in range(2):
        select(slack, ts, ref, TRIAGE_ASSIGN, selected_user=DESIGNER)
        eventually(lambda: stored(slack, ref).assignment_ts)
    slack.fake.quiesce(quiet=0.4)
    assert [a[0] for a in audit(slack, ref)] == ["status", "priority", "assign"]
    assert len(slack.posts(f"D{DESIGNER}")) == 1
    assert len([t for t in told(slack, REQUESTER) if "urgent" in t]) == 1
    assert len([t for t in told(slack, REQUESTER) if "assigned to" in t]) == 1
    assert len(updates_of(slack, ts)) == 2


def test_a_new_question_is_asked_the_same_one_is_not(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    thread(slack, "ask which markets?", ts)
    latest_card(slack, ts)
    thread(slack, "ask which markets?", ts)
    slack.fake.wait_for("chat.postEphemeral")
    thread(slack, "ask and who signs off?", ts)
    eventually(lambda: [a[0] for a in audit(slack, ref)].count("ask") == 2)
    slack.fake.quiesce(quiet=0.3)
    questions = [t for t in told(slack, REQUESTER) if "question" in t]
    assert questions == [
        f"Creative ops has a question about {ref} “{stored(slack, ref).title}”:\n>which markets?",
        f"Creative ops has another question about {ref} “{stored(slack, ref).title}”:\n>and who signs off?",
    ]
    assert [a for a in audit(slack, ref) if a[0] == "ask"] == [
        ("ask", None, "which markets?"),
        ("ask", "which markets?", "and who signs off?"),
    ]


def test_the_ops_question_opens_a_thread_the_requester_answers_in(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    thread(slack, "ask which markets?", ts)
    question = eventually(lambda: [c for c in slack.posts(f"D{REQUESTER}") if "has a question" in c.params["text"]])
    assert "thread_ts" not in question[0].params and "reply in this thread" not in question[0].params["text"].lower()
    prompt = slack.fake.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == question[0].response["ts"])[
        0
    ]
    assert prompt.params["channel"] == f"D{REQUESTER}" and "in this thread, to answer" in prompt.params["text"]
    assert stored(slack, ref).info_ts == question[0].response["ts"]

    slack.dm("Germany and Austria", user=REQUESTER, thread_ts=question[0].response["ts"])
    relayed = slack.fake.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == ts and "Germany and Austria" in c.params["text"]
    )
    assert relayed[0].params["channel"] == OPS
    eventually(lambda: stored(slack, ref).status == "submitted")
    text = block_text(latest_card(slack, ts, count=2))
    assert f"<@{OPS_MANAGER}> asked for information: “which markets?”" in text
    assert f"<@{REQUESTER}> answered the question" in text


def test_requester_notifications_use_words_not_internal_ids(triage: tuple[SlackHarness, str, str]) -> None:
    slack, ref, ts = triage
    title = stored(slack, ref).title
    before = len(told(slack, REQUESTER))
    for count, command in enumerate(
        ("channels social, paid ads", "type social_graphic", "due March 27", "priority urgent"), start=1
    ):
        thread(slack, command, ts)
        eventually(lambda n=count: len(told(slack, REQUESTER)) >= before + n)  # one at a time: told in order
    news = told(slack, REQUESTER)[before:]
    assert news == [
        f"Creative ops updated {ref} “{title}”: Channels changed to social, paid ads (was paid ads, video platforms).",
        f"Creative ops updated {ref} “{title}”: Type changed to social graphic (was video).",
        f"Creative ops updated {ref} “{title}”: Due date moved to Fri 27 Mar (was Mon 23 Mar).",
        f"Creative ops updated {ref} “{title}”: Priority set to urgent (was normal).",
    ]
    thread(slack, "ask which markets?", ts)
    eventually(lambda: stored(slack, ref).info_ts)
    slack.fake.quiesce(quiet=0.3)
    every = [c.params["text"] for c in slack.posts(f"D{REQUESTER}")]
    assert not [t for t in every if INTERNAL.search(t) or "→" in t]


def test_reassignment_refreshes_both_designers_homes_and_tells_the_previous_one(
    triage: tuple[SlackHarness, str, str],
) -> None:
    slack, ref, ts = triage
    thread(slack, f"assign <@{DESIGNER}>", ts)
    first_dm = eventually(lambda: stored(slack, ref).assignment_ts)
    slack.fake.quiesce(quiet=0.3)
    published = len(slack.fake.calls("views.publish"))

    thread(slack, f"assign <@{OTHER_DESIGNER}>", ts)
    eventually(lambda: stored(slack, ref).assignment_ts != first_dm)
    homes = slack.fake.wait_for("views.publish", count=published + 3)[published:]
    assert {c.params["user_id"] for c in homes} == {REQUESTER, DESIGNER, OTHER_DESIGNER}
    assert "submitted" not in {c.params["user_id"] for c in slack.fake.calls("views.publish")}

    withdrawn = slack.fake.wait_for("chat.update", lambda c: c.params.get("ts") == first_dm)[-1]
    assert f"Reassigned to <@{OTHER_DESIGNER}>" in block_text(withdrawn.params["blocks"])
    assert button_labels(withdrawn.params["blocks"]) == []
    eventually(lambda: any("off your list" in t for t in told(slack, DESIGNER)))
    assert len(slack.posts(f"D{OTHER_DESIGNER}")) == 1
    moved = eventually(lambda: [t for t in told(slack, REQUESTER) if "now assigned" in t])
    assert moved == [f"{ref} “{stored(slack, ref).title}” is now assigned to <@{OTHER_DESIGNER}> (was <@{DESIGNER}>)."]
    text = block_text(latest_card(slack, ts, count=2))
    assert f"<@{OPS_MANAGER}> reassigned it from <@{DESIGNER}> to <@{OTHER_DESIGNER}>" in text
    assert f"*Assigned to*\n<@{OTHER_DESIGNER}> (8/10 pts)" in text
    assert audit(slack, ref)[-1] == ("assign", DESIGNER, OTHER_DESIGNER)


def test_comments_show_in_the_history_and_the_export(triage: tuple[SlackHarness, str, str]) -> None:
    from bot.reporting.export import export_rows, to_csv, to_json

    slack, ref, ts = triage
    thread(slack, "Check with <@U0ANA> & the <!channel> crew", ts)
    text = block_text(latest_card(slack, ts))
    assert f"<@{OPS_MANAGER}> commented: “Check with @U0ANA &amp; the @channel crew” · 2 Mar 10:00 UTC" in text
    assert stored(slack, ref).status == "submitted"

    row = export_rows(slack.services.uow)[0]
    assert row["comments"] == [
        {"author": OPS_MANAGER, "at": "2026-03-02T10:00:00+00:00", "text": "Check with <@U0ANA> & the <!channel> crew"}
    ]
    assert json.loads(to_json([row]))[0]["comments"][0]["author"] == OPS_MANAGER
    csv_text = to_csv([row])
    assert csv_text.splitlines()[0].endswith(",history,comments")
    assert "Check with" in csv_text


def test_the_export_counts_its_queries_not_its_requests(triage: tuple[SlackHarness, str, str]) -> None:
    from bot.reporting.export import export_rows

    slack, ref, ts = triage
    thread(slack, "a comment", ts)
    latest_card(slack, ts)

    def queries() -> int:
        with counting(slack.services.db) as seen:  # this thread's: the workers' own queries are not the export's
            export_rows(slack.services.uow)
        return len(seen)

    one = queries()
    submitted(slack, user="U2")
    assert queries() == one
