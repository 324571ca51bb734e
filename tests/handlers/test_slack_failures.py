"""Slack failures (hardening issue): retries, the outbox, permanent errors, unknown users, malformed payloads."""

from __future__ import annotations

from slack_harness import (
    COMPLETE_VIDEO,
    DESIGNER,
    OPS,
    OPS_MANAGER,
    SECRET,
    SlackHarness,
    eventually,
    outbox,
    retry_outbox,
    settled,
    stored,
    submitted,
    thread,
    with_roster,
)
from slack_requests import post, signed_headers

from bot.delivery.outbox import MAX_ATTEMPTS


def test_rate_limits_are_retried_after_retry_after(slack: SlackHarness) -> None:
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    slack.dm("help")
    calls = slack.fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.9
    settled(slack)
    assert outbox(slack) == []


def test_server_errors_are_retried(slack: SlackHarness) -> None:
    slack.fake.fail_next("chat.postMessage", status=500)
    slack.dm("help")
    calls = slack.fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert [c.status for c in calls] == [500, 200]


def test_a_triage_post_that_fails_is_kept_retried_and_remembered(slack: SlackHarness) -> None:
    slack.dm(COMPLETE_VIDEO)
    slack.next_post("DU1")
    slack.fake.fail_next("chat.postMessage", error="internal_error", times=1)
    slack.dm("submit")
    told = eventually(lambda: [c for c in slack.posts("DU1") if c.ok and "Submitted as CR-0001" in c.params["text"]])
    assert len(told) == 1
    settled(slack)
    assert outbox(slack) == [(OPS, "pending", 1)]
    assert stored(slack, "CR-0001").triage_ts is None

    assert retry_outbox(slack) == (1, 0)
    triage = slack.fake.calls("chat.postMessage", predicate=lambda c: c.params["channel"] == OPS and c.ok)
    assert len(triage) == 1
    assert stored(slack, "CR-0001").triage_ts == triage[0].response["ts"]
    assert outbox(slack) == []
    assert retry_outbox(slack) == (0, 0)


def test_a_post_that_keeps_failing_is_given_up_and_ops_are_told(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    # Two DMs (designer, requester) fail at once and on every retry; the alerts then go through.
    slack.fake.fail_next("chat.postMessage", error="fatal_error", times=2 * MAX_ATTEMPTS, channel="D")
    thread(slack, f"assign <@{DESIGNER}>", ts)
    eventually(lambda: len(outbox(slack)) == 2)
    given_up = sum(retry_outbox(slack)[1] for _ in range(MAX_ATTEMPTS - 1))
    assert given_up == 2
    assert [status for _, status, _ in outbox(slack)] == ["given_up", "given_up"]

    def alerts() -> list[str]:  # posted by the dispatcher once it has recorded the give-up
        return [c.params["text"] for c in slack.posts(OPS) if c.ok and "Slack refused" in c.params["text"]]

    told = eventually(lambda: len(alerts()) >= 2 and alerts())
    assert len(told) == 2 and all("fatal_error" in alert for alert in told)
    assert stored(slack, ref).status == "assigned"
    assert retry_outbox(slack) == (0, 0)


def test_a_permanent_refusal_is_not_retried_and_ops_are_told_at_once(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    slack.fake.fail_next("chat.postMessage", error="channel_not_found", times=1)  # the designer's DM
    thread(slack, f"assign <@{DESIGNER}>", ts)
    alerts = eventually(
        lambda: [c.params["text"] for c in slack.posts(OPS) if c.ok and "Slack refused" in c.params["text"]]
    )
    assert "channel_not_found" in alerts[0] and "was not sent" in alerts[0]
    settled(slack)
    assert [(channel[-len(DESIGNER) :], status, n) for channel, status, n in outbox(slack)] == [
        (DESIGNER, "given_up", 1)
    ]
    assert retry_outbox(slack) == (0, 0)
    assert stored(slack, ref).status == "assigned"


def test_when_the_ops_channel_refuses_the_ops_managers_are_told_by_dm(slack: SlackHarness) -> None:
    with_roster(slack)
    slack.dm(COMPLETE_VIDEO)
    slack.next_post("DU1")
    slack.fake.fail_next("chat.postMessage", error="not_in_channel", times=1)
    slack.dm("submit")
    eventually(lambda: [c for c in slack.posts("DU1") if c.ok and "Submitted as CR-0001" in c.params["text"]])
    alert = eventually(lambda: [c for c in slack.posts(OPS_MANAGER) if "Slack refused" in c.params["text"]])
    assert "not_in_channel" in alert[0].params["text"] and "Invite the app" in alert[0].params["text"]
    assert stored(slack, "CR-0001").status == "submitted"
    settled(slack)
    assert outbox(slack) == [(OPS, "given_up", 1)]


def test_an_unknown_user_falls_back_to_the_team_time_zone(slack: SlackHarness) -> None:
    slack.fake.strict_users = True
    slack.dm("need an email newsletter due tomorrow", user="U404")
    reply = slack.next_post("DU404")
    assert reply.ok
    brief = slack.services.conversation.draft_brief("U404", "DU404")
    assert brief is not None and brief.deadline is not None and brief.deadline.isoformat() == "2026-03-03"


def test_an_unreachable_ops_channel_keeps_the_triage_post_queued_and_the_requester_learns_the_ref(
    slack: SlackHarness,
) -> None:
    slack.dm(COMPLETE_VIDEO)
    slack.next_post("DU1")
    slack.fake.fail_next("chat.postMessage", error="fatal_error", times=1)
    slack.dm("submit")
    eventually(lambda: [c for c in slack.posts("DU1") if c.ok and "Submitted as CR-0001" in c.params["text"]])
    assert stored(slack, "CR-0001").status == "submitted"
    settled(slack)
    assert outbox(slack) == [(OPS, "pending", 1)]


def test_malformed_payloads_are_refused_without_side_effects(slack: SlackHarness) -> None:
    for body, content_type in [
        (b"{not json", "application/json"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
        (b'{"type": "event_callback", "event": {"type": "message"}}', "application/json"),
    ]:
        result = post(slack.url + "/slack/events", body, signed_headers(SECRET, body, content_type))
        assert result.status < 500, (body, result)
    slack.fake.quiesce(quiet=0.3)
    assert slack.fake.calls("chat.postMessage") == []
