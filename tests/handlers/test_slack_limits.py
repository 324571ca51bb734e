"""A brief long enough to hit every Block Kit limit is shortened, never rejected by Slack."""

from __future__ import annotations

from slack_harness import OPS, SlackHarness
from test_slack_forms import form_values

from bot.platform.text import ELLIPSIS
from handlers.blocks.ids import ACTION_EDIT, ACTION_SUBMIT, VIEW_INTAKE

TEXT_FIELDS = (
    "objective",
    "audience",
    "duration",
    "copy",
    "url",
    "quantity",
    "slide_count",
    "source_asset",
    "usage",
    "campaign",
    "budget",
    "approver",
    "notes",
)
LIST_FIELDS = ("platforms", "formats", "markets")


def test_an_enormous_brief_fits_every_surface(slack: SlackHarness) -> None:
    slack.dm("need a 30s youtube pre-roll, 16:9, due in 3 weeks")
    slack.next_post("DU1")
    huge = {name: (name + " " + "x" * 2990)[:3000] for name in TEXT_FIELDS}
    huge.update({name: ", ".join(f"{name}{i}" + "y" * 200 for i in range(13))[:3000] for name in LIST_FIELDS})
    values = form_values(request_type="video", channels=["video_platforms", "paid_ads"], deadline="2026-03-27", **huge)
    assert slack.submit_view(VIEW_INTAKE, values, user_id="U1", private_metadata='{"conversation":"DU1"}').status == 200

    confirm = slack.next_post("DU1", count=2)
    assert confirm.response["ok"], confirm.response
    fields = [f["text"] for b in confirm.params["blocks"] for f in b.get("fields", [])]
    assert len(fields) >= 18 and all(len(f) <= 2000 for f in fields)
    assert any(f.endswith(ELLIPSIS) for f in fields)
    assert len(confirm.params["text"]) <= 4000

    slack.click(ACTION_EDIT, user_id="U1", channel_id="DU1", value="DU1")
    edit = slack.fake.wait_for("views.open")[0]
    assert edit.response["ok"], edit.response
    assert len(edit.params["view"]["private_metadata"]) <= 3000

    slack.click(ACTION_SUBMIT, user_id="U1", channel_id="DU1", value="DU1", message_ts=confirm.response["ts"])
    triage = slack.next_post(OPS)
    assert triage.response["ok"], triage.response
    assert len(triage.params["blocks"]) <= 50
    header = triage.params["blocks"][0]["text"]["text"]
    assert len(header) <= 150 and header.endswith(ELLIPSIS)
