"""First contact with real Slack (issue 11): escaped text, double mention events, bots, outages, real channels."""

from __future__ import annotations

from fakes.openai_server import FakeOpenAI, reply
from fakes.slack_api import FakeSlackAPI
from slack_harness import (
    DESIGNER,
    OPS,
    OPS_MANAGER,
    SlackHarness,
    eventually,
    outbox,
    retry_outbox,
    serving,
    stored,
    submitted,
    thread,
    updates_of,
    with_roster,
)
from slack_requests import app_mention_event, message_event, new_ts
from slack_sdk import WebClient
from sqlmodel import select
from support import NOW

from bot.platform.clock import FixedClock
from handlers.slack_port import TimezoneCache
from storage.db import Database
from storage.models import InboxItem
from storage.repositories import Audit

ESCAPED = (
    "need a 30s youtube pre-roll, 16:9, due in 3 weeks, for the Q&amp;A webinar. Goal: sign-ups &amp; 5k &lt;leads&gt;."
    " Audience: marketing managers in DACH. Assets: <https://cdn.example.com/a?x=1&amp;y=2|the brief>"
)


def test_escaped_text_and_links_round_trip_exactly(slack: SlackHarness) -> None:
    slack.dm(ESCAPED)
    reply_post = slack.next_post("DU1")
    brief = slack.services.conversation.draft_brief("U1", "DU1")
    assert brief is not None
    assert brief.objective == "sign-ups & 5k <leads>"  # decoded once, stored as typed
    assert brief.url == "https://cdn.example.com/a?x=1&y=2"
    fields = [f["text"] for b in reply_post.params["blocks"] for f in b.get("fields", [])]
    assert "*Objective*\nsign-ups &amp; 5k &lt;leads&gt;" in fields  # escaped once where it is shown
    assert "*URL*\nhttps://cdn.example.com/a?x=1&amp;y=2" in fields
    slack.dm("submit")
    triage = slack.next_post(OPS)
    assert triage.params["text"] == "New request CR-0001: Sign-ups &amp; 5k &lt;leads&gt; — YouTube video 30s"
    assert "&amp;amp;" not in str(triage.params["blocks"])


def test_requester_text_never_pings_when_relayed(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    thread(slack, "ask which markets?", ts)
    eventually(lambda: stored(slack, ref).info_ts)
    question = stored(slack, ref)
    slack.event(
        message_event(
            "<!channel> DACH &amp; <@U0OTHER>\nand <!here> too", user="U1", channel="DU1", thread_ts=question.info_ts
        )
    )
    relayed = eventually(lambda: [c for c in slack.posts(OPS) if "answered" in c.params["text"]])[0].params["text"]
    assert "<!channel>" not in relayed and "<!here>" not in relayed and "<@U0OTHER>" not in relayed
    assert ">@channel DACH &amp; @U0OTHER\n>and @here too" in relayed


def test_a_mention_in_a_triage_thread_applies_once_and_dms_nobody(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    said = new_ts()
    text = "<@UBOT> approve"
    mention = app_mention_event(text, user=OPS_MANAGER, channel=OPS, ts=said, thread_ts=ts)
    slack.event(mention)  # app_mention first, then the same message as message.channels
    slack.event(message_event(text, user=OPS_MANAGER, channel=OPS, channel_type="channel", ts=said, thread_ts=ts))
    eventually(lambda: stored(slack, ref).status == "approved")
    slack.fake.quiesce(quiet=0.3)
    with slack.services.db.session() as session:
        request = stored(slack, ref)
        assert [e.action for e in Audit(session).for_request(request.id or 0)].count("approve") == 1
    assert slack.posts(OPS_MANAGER) == [] and slack.posts(f"D{OPS_MANAGER}") == []
    assert slack.fake.calls("chat.postEphemeral", lambda c: c.params.get("user") == OPS_MANAGER) == []
    assert len(updates_of(slack, ts)) == 1


def test_a_mention_in_the_bots_dm_is_answered_once_with_one_llm_call(db: Database, clock: FixedClock) -> None:
    proposal = {"request_type": "video", "channels": ["video_platforms"], "duration": "30s", "cleared": []}
    with FakeOpenAI() as llm:
        llm.responder = lambda request: reply(proposal)
        with serving(db, clock, openai_api_key="sk-test", openai_base_url=llm.base_url) as slack:
            said = new_ts()
            slack.event(message_event("<@UBOT> need a 30s video", user="U1", channel="DU1", ts=said))
            slack.event(app_mention_event("<@UBOT> need a 30s video", user="U1", channel="DU1", ts=said))
            slack.next_post("DU1")
            slack.fake.quiesce(quiet=0.3)
            assert len(slack.posts("DU1")) == 1
            assert len(llm.requests) == 1


def test_messages_from_bots_are_ignored_and_claim_nothing(slack: SlackHarness) -> None:
    slack.event(message_event("hello from a bot", user="U0APP", channel="DU0APP", bot_id="B0APP"))
    slack.event(app_mention_event("<@UBOT> ping", user="U0APP", channel="C1") | {"bot_id": "B0APP"})
    slack.event(message_event("chatter", user="U2", channel="C9", channel_type="channel"))
    slack.fake.quiesce(quiet=0.3)
    assert slack.fake.calls("chat.postMessage") == []
    with slack.services.db.session() as session:
        assert session.exec(select(InboxItem)).all() == []


def test_with_slack_refusing_connections_the_reply_is_queued_and_delivered_later(slack: SlackHarness) -> None:
    slack.fake.refuse_connections()
    slack.dm("need an email newsletter")
    eventually(lambda: outbox(slack) == [("DU1", "pending", 1)], timeout=30)
    slack.fake.restore()
    assert retry_outbox(slack) == (1, 0)
    delivered = slack.posts("DU1")[-1]
    assert delivered.ok and delivered.params["text"].startswith("Got it: email")


def test_an_assignment_with_slack_down_is_queued_with_its_card_and_sent_later(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    slack.fake.refuse_connections()
    thread(slack, f"assign <@{DESIGNER}>", ts)
    eventually(lambda: stored(slack, ref).status == "assigned")

    def tried() -> bool:  # the DM tried once and queued, not sent before Slack is back
        return any(channel.endswith(DESIGNER) and tries >= 1 for channel, _, tries in outbox(slack))

    eventually(tried, timeout=30, what="the DM tried once and queued")
    slack.fake.restore()
    sent, given_up = retry_outbox(slack)
    assert sent >= 1 and given_up == 0
    dm = [c for c in slack.fake.calls("chat.postMessage") if c.ok and "new assignment" in c.params["text"]]
    assert len(dm) == 1 and "Start" in str(dm[0].params["blocks"])
    assert (stored(slack, ref).assignment_channel or "").startswith("D")


def test_a_failed_conversations_open_never_stores_a_user_id_as_a_channel(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    slack.fake.fail_next("conversations.open", error="fatal_error", times=3)
    thread(slack, "ask which markets?", ts)
    channel = eventually(lambda: stored(slack, ref).info_channel)
    assert channel == "DU1"  # the conversation Slack put the post in, not the user id it was sent to


def test_slash_command_text_is_decoded_once(slack: SlackHarness) -> None:
    slack.command("a video for the Q&amp;A webinar, goal: sign-ups &amp; leads")
    slack.next_post("DU1")
    brief = slack.services.conversation.draft_brief("U1", "DU1")
    assert brief is not None and brief.objective == "sign-ups & leads"


def test_the_profile_cache_is_bounded_and_forgets_the_least_recently_used(fake_slack: FakeSlackAPI) -> None:
    client = WebClient(token="xoxb-test", base_url=fake_slack.base_url)
    cache = TimezoneCache(FixedClock(NOW), "UTC", size=2)
    for user, tz in (("UA", "Europe/Berlin"), ("UB", "Asia/Tokyo"), ("UC", "America/Chicago")):
        fake_slack.set_user(user, tz=tz)
    assert cache.get(client, "UA") == "Europe/Berlin"
    assert cache.get(client, "UB") == "Asia/Tokyo"
    assert cache.get(client, "UA") == "Europe/Berlin"  # UA used last: UB is the one to go
    assert cache.get(client, "UC") == "America/Chicago"
    asked = len(fake_slack.calls("users.info"))
    assert (cache.peek("UA"), cache.peek("UB"), cache.peek("UC")) == ("Europe/Berlin", "UTC", "America/Chicago")
    assert len(fake_slack.calls("users.info")) == asked == 3
