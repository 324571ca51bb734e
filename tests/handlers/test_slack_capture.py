"""Capture from channels (SPEC 2.6) over the Slack wire: the message shortcut and the intake reaction start a
draft in the DM of the person who used them, with the message's link and author; the channel gets nothing but,
for the reaction, one note in the message's thread; the same message twice gives what the first time made."""

from __future__ import annotations

from typing import Any

from fakes.slack_api import WORKSPACE_URL
from slack_harness import COMPLETE_VIDEO, OPS, SlackHarness, block_text, eventually, settled

from handlers.blocks.ids import SHORTCUT_MESSAGE_TO_REQUEST
from storage.models import Draft
from storage.repositories import Drafts, Inbox

AUTHOR = "U0AUTHOR"
ASK = "need a 30s youtube pre-roll, 16:9, due in 3 weeks"


def _link(ts: str, channel: str = "C1") -> str:
    return f"{WORKSPACE_URL}archives/{channel}/p{ts.replace('.', '')}"


def _draft(slack: SlackHarness, user: str = "U1") -> Draft | None:
    with slack.services.db.session() as s:
        return Drafts(s).get(user, f"D{user}")


def _drafted(slack: SlackHarness) -> Draft:
    return eventually(lambda: _draft(slack), what="a draft in the DM")


def _in_channel(slack: SlackHarness, channel: str = "C1") -> list[dict[str, Any]]:
    return [c.params for c in slack.posts(channel)]


def _shortcut(slack: SlackHarness, text: str, ts: str, **kw: Any) -> int:
    message = {"text": text, "user": AUTHOR, "ts": ts}
    return slack.message_shortcut(SHORTCUT_MESSAGE_TO_REQUEST, message, **kw).status


def test_the_shortcut_starts_a_draft_in_dm_with_the_link_and_the_author_and_posts_nothing_in_the_channel(
    slack: SlackHarness,
) -> None:
    ts = slack.fake.put_message("C1", COMPLETE_VIDEO, user=AUTHOR)
    assert _shortcut(slack, COMPLETE_VIDEO, ts) == 200
    reply = slack.next_post("DU1").params
    assert "Here is your brief" in reply["text"]
    shown = block_text(reply["blocks"])
    assert _link(ts) in shown and f"From a message by @{AUTHOR} in #general" in shown
    assert f"<@{AUTHOR}>" not in reply["text"] + shown  # the author is named, never pinged
    draft = _drafted(slack)
    assert draft.brief["assets"] == [_link(ts)] and draft.pending["source"] == f"C1:{ts}"
    assert draft.brief["notes"] == f"From a message by <@{AUTHOR}> in #general."
    settled(slack)
    assert _in_channel(slack) == [] and slack.fake.calls("chat.postEphemeral") == []


def test_the_reaction_starts_a_draft_in_dm_and_leaves_one_note_in_the_thread(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("C1", ASK, user=AUTHOR)
    assert slack.react("art", ts).status == 200
    reply = slack.next_post("DU1").params["text"]
    assert "Got it: video" in reply and "?" in reply  # the conversation asks what is missing
    [history] = slack.fake.calls("conversations.history", lambda c: c.params["latest"] == ts)
    assert history.params["inclusive"] in ("1", "true") and history.params["limit"] == "1"
    assert _drafted(slack).brief["assets"] == [_link(ts)]
    note = slack.next_post("C1").params
    assert note["thread_ts"] == ts and "being prepared" in note["text"] and "pre-roll" not in note["text"]
    settled(slack)
    assert len(_in_channel(slack)) == 1


def test_the_dm_goes_on_as_the_intake_conversation(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("C1", ASK, user=AUTHOR)
    slack.react("art", ts)
    slack.next_post("DU1")
    slack.dm("Goal: drive sign-ups for the spring launch. Audience: marketing managers in DACH")
    assert "Here is your brief" in slack.next_post("DU1", count=2).params["text"]
    assert _drafted(slack).brief["assets"] == [_link(ts)]


def test_a_reaction_on_a_reply_in_a_thread_reads_it_there_and_notes_in_that_thread(slack: SlackHarness) -> None:
    parent = slack.fake.put_message("C1", "launch plan thread", user="U0LEAD")
    reply_ts = slack.fake.put_message("C1", ASK, user=AUTHOR, thread_ts=parent)
    slack.fake.put_message("C1", "later reply", user="U0LEAD", thread_ts=parent)
    slack.react("art", reply_ts)
    assert "Got it: video" in slack.next_post("DU1").params["text"]
    assert slack.fake.calls("conversations.replies", lambda c: c.params["ts"] == reply_ts)
    assert f"by <@{AUTHOR}>" in _drafted(slack).brief["notes"]
    assert slack.next_post("C1").params["thread_ts"] == parent


def test_the_same_message_twice_gives_the_existing_draft_and_no_second_note(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("C1", ASK, user=AUTHOR)
    slack.react("art", ts, event_id="EvFIRST")
    slack.next_post("DU1")
    slack.react("art", ts, event_id="EvFIRST")  # Slack's retry of the same event: dropped
    slack.react("art", ts, event_id="EvAGAIN")  # reacted again
    assert _shortcut(slack, ASK, ts) == 200  # and the shortcut on it
    slack.next_post("DU1", count=3)
    settled(slack)
    again = [p.params["text"] for p in slack.posts("DU1")[1:]]
    assert len(again) == 2 and all("You already have a draft from that message" in t for t in again)
    assert len(slack.posts("DU1")) == 3 and len(_in_channel(slack)) == 1
    draft = _drafted(slack)
    assert draft.brief["assets"] == [_link(ts)]


def test_a_message_already_submitted_names_the_request(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("C1", COMPLETE_VIDEO, user=AUTHOR)
    _shortcut(slack, COMPLETE_VIDEO, ts)
    slack.next_post("DU1")
    slack.dm("submit")
    slack.next_post(OPS)
    slack.react("art", ts)
    told = eventually(lambda: [p for p in slack.posts("DU1") if "already have a request" in p.params["text"]])
    assert "CR-0001" in told[0].params["text"] and "submitted" in told[0].params["text"]
    settled(slack)
    assert _draft(slack) is None and _in_channel(slack) == []


def test_a_draft_in_progress_is_kept_and_the_person_told(slack: SlackHarness) -> None:
    slack.dm("we need a print flyer for the trade fair")
    slack.next_post("DU1")
    before = _drafted(slack).brief
    ts = slack.fake.put_message("C1", ASK, user=AUTHOR)
    _shortcut(slack, ASK, ts)
    assert "draft in progress" in slack.next_post("DU1", count=2).params["text"]
    settled(slack)
    assert _drafted(slack).brief == before


def test_escaped_text_is_unescaped_before_it_becomes_the_draft(slack: SlackHarness) -> None:
    text = COMPLETE_VIDEO.replace("marketing managers", "R&amp;D leads &lt;EMEA&gt;")
    ts = slack.fake.put_message("C1", text, user=AUTHOR)
    _shortcut(slack, text, ts)
    slack.next_post("DU1")
    assert _drafted(slack).brief["audience"] == "R&D leads <EMEA> in DACH"


def test_other_emoji_and_reactions_in_dms_are_ignored(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("C1", ASK, user=AUTHOR)
    dm_ts = slack.fake.put_message("DU2", ASK, user="U2")
    assert slack.react("thumbsup", ts).status == 200
    assert slack.react("art", dm_ts, channel="DU2").status == 200
    slack.react("art", ts)  # the one that counts, after the others (one person's deliveries go in order)
    slack.next_post("DU1")
    settled(slack)
    assert len(slack.posts("DU1")) == 1 and len(_in_channel(slack)) == 1 and _in_channel(slack, "DU2") == []
    with slack.services.db.session() as s:
        assert len(Inbox(s).all()) == 1


def test_a_malformed_capture_is_refused_without_a_server_error(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("C1", ASK, user=AUTHOR)
    assert slack.message_shortcut(SHORTCUT_MESSAGE_TO_REQUEST, {"text": ASK, "user": AUTHOR}).status == 200
    assert slack.message_shortcut(SHORTCUT_MESSAGE_TO_REQUEST, {"text": 42, "ts": ts}).status == 200
    assert slack.event({"type": "reaction_added", "user": "U1", "reaction": "art", "item": "C1"}).status == 200
    assert slack.react("art", "", channel="").status == 200
    settled(slack)
    with slack.services.db.session() as s:
        assert Inbox(s).all() == []
    assert slack.posts("DU1") == []


def test_a_message_that_cannot_be_read_is_told_in_dm(slack: SlackHarness) -> None:
    slack.react("art", "1700000999.000100")
    assert "couldn't read that message" in slack.next_post("DU1").params["text"]
    settled(slack)
    assert _draft(slack) is None and _in_channel(slack) == []


def test_the_shortcut_on_a_message_in_a_dm_names_no_channel(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("DU2", ASK, user="U2")
    _shortcut(slack, ASK, ts, channel_id="DU2", channel_name="directmessage")
    slack.next_post("DU1")
    assert _drafted(slack).brief["notes"] == f"From a message by <@{AUTHOR}>."
    settled(slack)
    assert _in_channel(slack, "DU2") == [] and slack.fake.calls("conversations.info") == []


def test_a_captured_message_is_content_never_a_command(slack: SlackHarness) -> None:
    ts = slack.fake.put_message("C1", "status", user=AUTHOR)
    slack.react("art", ts)
    reply = slack.next_post("DU1").params["text"]
    assert "open requests" not in reply and "?" in reply  # not the `status` command: the draft's first question
    assert _drafted(slack).brief["assets"] == [_link(ts)]
