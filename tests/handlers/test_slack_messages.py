"""DM conversation over Slack: from the first message to the triage post (SPEC 2.1, 2.2, 7)."""

from __future__ import annotations

from slack_harness import OPS, SlackHarness, block_text, button_labels, eventually

from handlers.blocks.ids import ACTION_SUBMIT
from storage.repositories import Requests

VIDEO = "need a 30s youtube pre-roll, 16:9, due in 3 weeks"
GOALS = "Goal: drive sign-ups for the spring launch. Audience: marketing managers in DACH"


def converse_to_confirm(slack: SlackHarness, user: str = "U1") -> dict:
    slack.dm(VIDEO, user=user)
    question = slack.next_post(f"D{user}")
    assert "who is it for" in question.params["text"]
    slack.dm(GOALS, user=user)
    return slack.next_post(f"D{user}", count=2).params


def test_full_conversation_from_first_message_to_triage_post(slack: SlackHarness) -> None:
    confirm = converse_to_confirm(slack)
    assert button_labels(confirm["blocks"]) == ["Submit", "Edit"]
    assert "marketing managers in DACH" in block_text(confirm["blocks"])
    confirm_ts = slack.fake.calls("chat.postMessage")[-1].response["ts"]

    assert slack.click(ACTION_SUBMIT, user_id="U1", channel_id="DU1", message_ts=confirm_ts, value="DU1").status == 200
    triage = slack.next_post(OPS)
    text = block_text(triage.params["blocks"])
    assert "CR-0001" in text and "<@U1>" in text
    assert "video" in text and "rules engine" in text and "video platforms" in text
    assert "Mon 23 Mar 2026" in text and "lead time 15 business days" in text
    assert "complete" in text and "none found" in text
    controls = triage.params["blocks"][-1]["elements"]
    assert [e.get("text", {}).get("text") for e in controls[:3]] == ["Approve", "Request info", "Reject"]
    assert [e["type"] for e in controls[3:]] == ["users_select", "static_select"]
    assert controls[4]["initial_option"]["value"] == "normal"

    update = slack.fake.wait_for("chat.update")[0]
    assert update.params["ts"] == confirm_ts and "CR-0001" in update.params["text"]

    def stored_triage() -> tuple[str | None, str | None] | None:
        with slack.services.db.session() as s:
            stored = Requests(s).by_ref("CR-0001")
            return (stored.triage_channel, stored.triage_ts) if stored and stored.triage_ts else None

    assert eventually(stored_triage) == (OPS, triage.response["ts"])


def test_typing_yes_submits(slack: SlackHarness) -> None:
    converse_to_confirm(slack)
    slack.dm("yes")
    reply = slack.next_post("DU1", count=3)
    assert reply.params["text"].startswith("Submitted as CR-0001")
    assert (
        slack.next_post(OPS).params["text"]
        == "New request CR-0001: Drive sign-ups for the spring launch — YouTube video 30s"
    )


def test_a_correction_midway_changes_the_brief(slack: SlackHarness) -> None:
    converse_to_confirm(slack)
    slack.dm("actually make the deadline March 27")
    corrected = slack.next_post("DU1", count=3)
    assert button_labels(corrected.params["blocks"]) == ["Submit", "Edit"]
    assert "Fri 27 Mar 2026" in block_text(corrected.params["blocks"])


def test_a_rush_deadline_names_the_earliest_standard_date(slack: SlackHarness) -> None:
    slack.dm(f"{VIDEO.replace('due in 3 weeks', 'due March 6')}. {GOALS}")
    question = slack.next_post("DU1").params["text"]
    assert "Fri 6 Mar 2026 is sooner than the standard lead time" in question
    assert "Mon 23 Mar 2026" in question and "`keep`" in question and "`move`" in question
    slack.dm("keep")
    confirm = slack.next_post("DU1", count=2)
    assert "(rush)" in confirm.params["text"]
    slack.dm("submit")
    triage = slack.next_post(OPS)
    assert "*rush*" in block_text(triage.params["blocks"])


def test_a_duplicate_is_named_with_ref_title_and_status(slack: SlackHarness) -> None:
    converse_to_confirm(slack, user="U1")
    slack.dm("submit", user="U1")
    slack.next_post(OPS)
    slack.dm(f"{VIDEO}. {GOALS}", user="U2")
    warning = slack.next_post("DU2").params["text"]
    assert "CR-0001" in warning and "Drive sign-ups for the spring launch — YouTube video 30s" in warning
    assert "submitted" in warning and "new work" in warning


def test_cancel_drops_the_draft(slack: SlackHarness) -> None:
    slack.dm(VIDEO)
    slack.next_post("DU1")
    slack.dm("cancel")
    assert slack.next_post("DU1", count=2).params["text"] == "Cancelled — the draft is gone."
    slack.dm("submit")
    assert slack.next_post("DU1", count=3).params["text"].startswith("There is no draft to submit yet.")


def test_a_retried_or_duplicated_event_is_answered_once(slack: SlackHarness) -> None:
    from slack_harness import SECRET
    from slack_requests import event_callback, message_event, send_event

    payload = event_callback(message_event(VIDEO, user="U1", channel="DU1"), event_id="EvDUP1")
    assert send_event(slack.url, SECRET, payload).status == 200
    assert send_event(slack.url, SECRET, payload, retry_num=1, retry_reason="http_timeout").status == 200
    assert send_event(slack.url, SECRET, payload).status == 200
    slack.next_post("DU1")
    slack.fake.quiesce(quiet=0.3)
    assert len(slack.posts("DU1")) == 1


def test_own_messages_edits_deletions_and_other_bots_are_ignored(slack: SlackHarness) -> None:
    from slack_requests import message_event

    slack.event(message_event("I am the bot", user="UBOT", channel="DU1"))
    slack.event(message_event("other bot", user="U9", channel="DU1", bot_id="B9"))
    slack.event(message_event("", user="U1", channel="DU1", subtype="message_changed"))
    slack.event(message_event("", user="U1", channel="DU1", subtype="message_deleted"))
    slack.event(message_event(VIDEO, user="U1", channel="C1", channel_type="channel"))
    slack.dm("help")
    assert "submit" in slack.next_post("DU1").params["text"]
    slack.fake.quiesce(quiet=0.3)
    assert len(slack.fake.calls("chat.postMessage")) == 1


def test_dates_use_the_requesters_slack_time_zone(slack: SlackHarness) -> None:
    slack.fake.set_user("U7", tz="Pacific/Kiritimati")  # UTC+14: already Tuesday 3 March at 10:00 UTC Monday
    slack.dm("need an email newsletter due tomorrow", user="U7")
    slack.next_post("DU7")
    brief = slack.services.conversation.draft_brief("U7", "DU7")
    assert brief is not None and brief.deadline is not None and brief.deadline.isoformat() == "2026-03-04"
    slack.dm("goal: more renewals", user="U7")
    slack.next_post("DU7", count=2)
    assert len(slack.fake.calls("users.info")) == 1  # cached


def test_shared_files_are_attached_as_assets(slack: SlackHarness) -> None:
    files = [
        {"id": "F1", "name": "moodboard.png", "permalink": "https://files.slack.com/files-pri/T1-F1/moodboard.png"}
    ]
    slack.dm("need an email newsletter, moodboard attached", subtype="file_share", files=files)
    slack.next_post("DU1")
    brief = slack.services.conversation.draft_brief("U1", "DU1")
    assert brief is not None and brief.assets == [files[0]["permalink"]]
