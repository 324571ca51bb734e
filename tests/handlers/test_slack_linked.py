"""Linked requests over the Slack wire (SPEC 2.7): one confirm card, one Submit, a triage message each that names
the others, one reference each told to the requester, ``group_ref`` in the export."""

from __future__ import annotations

from slack_harness import OPS, SlackHarness, block_text, button_labels, eventually, stored

from bot.reporting.export import export_rows

ASK = (
    "We need a 30s video for YouTube, 16:9, and 3 Instagram posts, square, for the spring launch, due in 4 weeks. "
    "Goal: drive sign-ups. Audience: marketing managers in DACH. We'll provide the copy"
)


def test_one_submit_sends_every_linked_request_to_triage_with_its_links(slack: SlackHarness) -> None:
    slack.dm(ASK)
    confirm = slack.next_post("DU1")
    assert "2 linked briefs" in confirm.params["text"], confirm.params["text"]
    shown = block_text(confirm.params["blocks"])
    assert "YouTube video 30s" in shown and "3 Instagram posts" in shown
    assert button_labels(confirm.params["blocks"]) == ["Submit", "Edit"]
    slack.dm("submit")
    first, second = slack.next_post(OPS), slack.next_post(OPS, count=2)
    assert "CR-0001" in first.params["text"] and "CR-0002" in second.params["text"]
    assert "Linked with" in block_text(first.params["blocks"]) and "CR-0002" in block_text(first.params["blocks"])
    assert "CR-0001" in block_text(second.params["blocks"])
    told = eventually(lambda: [c for c in slack.posts("DU1") if "Submitted as linked requests" in c.params["text"]])
    assert len(told) == 1 and "CR-0001" in told[0].params["text"] and "CR-0002" in told[0].params["text"]
    eventually(lambda: stored(slack, "CR-0002").triage_ts)
    rows = {r["ref"]: r for r in export_rows(slack.services.db.uow)}
    assert rows["CR-0001"]["group_ref"] == rows["CR-0002"]["group_ref"] == "CR-0001"
    assert len(slack.posts(OPS)) == 2
