"""App Home (SPEC 2.5): per-user content, published on open and refreshed on changes."""

from __future__ import annotations

from slack_harness import (
    DESIGNER,
    OPS_MANAGER,
    REQUESTER,
    SlackHarness,
    block_text,
    eventually,
    submitted,
    thread,
    with_roster,
)

from handlers.blocks.ids import ACTION_NEW_REQUEST, VIEW_INTAKE


def home_of(slack: SlackHarness, user: str, count: int = 1) -> str:
    calls = slack.fake.wait_for("views.publish", lambda c: c.params.get("user_id") == user, count=count)
    view = calls[-1].params["view"]
    assert view["type"] == "home"
    return block_text(view["blocks"])


def opened(slack: SlackHarness, user: str) -> None:
    slack.event(
        {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home", "event_ts": "1700000000.000001"}
    )


def test_each_role_sees_its_part(slack: SlackHarness) -> None:
    with_roster(slack)
    ref, ts = submitted(slack)
    home_of(slack, REQUESTER)  # refreshed on submission
    thread(slack, f"assign <@{DESIGNER}>", ts)
    designer_home = home_of(slack, DESIGNER)
    assert "Your assignments" in designer_home and ref in designer_home
    assert ref in eventually(lambda: (t := home_of(slack, REQUESTER, 2)) and "assigned" in t and t)

    opened(slack, OPS_MANAGER)
    ops_home = home_of(slack, OPS_MANAGER)
    assert "Triage queue" in ops_home and "The queue is empty." in ops_home  # it is assigned, not in triage
    opened(slack, "U9")
    assert "No open requests." in home_of(slack, "U9") and "Triage queue" not in home_of(slack, "U9")


def test_the_new_request_button_opens_the_form(slack: SlackHarness) -> None:
    opened(slack, "U9")
    view = slack.fake.wait_for("views.publish")[0].params["view"]
    button = view["blocks"][0]["accessory"]
    assert (button["text"]["text"], button["action_id"]) == ("New request", ACTION_NEW_REQUEST)
    slack.click(ACTION_NEW_REQUEST, user_id="U9", channel_id=None, view={"id": "VHOME"})
    assert slack.fake.wait_for("views.open")[0].params["view"]["callback_id"] == VIEW_INTAKE
