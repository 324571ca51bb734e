"""Field lengths are checked before the database sees them (issue 11, item 9): a presigned delivery link over the
2,000 characters a request stores is refused in the Delivered modal and by the change itself, never cut or lost."""

from __future__ import annotations

import pytest
from slack_harness import DESIGNER, SlackHarness, eventually, stored, submitted, thread, with_roster

from bot.requests.roles import Refused
from handlers.blocks.ids import PROD_DELIVERED, PROD_START, VIEW_DELIVERED

PRESIGNED = "https://bucket.s3.amazonaws.com/cut-v1.mp4?X-Amz-Signature=" + "a" * 2043


@pytest.fixture
def started(slack: SlackHarness) -> tuple[SlackHarness, str]:
    with_roster(slack)
    ref, ts = submitted(slack)
    thread(slack, f"assign <@{DESIGNER}>", ts)
    eventually(lambda: stored(slack, ref).assignment_ts)
    slack.click(PROD_START, user_id=DESIGNER, channel_id=f"D{DESIGNER}", value=ref)
    eventually(lambda: stored(slack, ref).status == "in_progress")
    return slack, ref


def deliver(slack: SlackHarness, ref: str, link: str, note: str = "") -> dict[str, object]:
    slack.click(PROD_DELIVERED, user_id=DESIGNER, channel_id=f"D{DESIGNER}", value=ref)
    view = slack.fake.wait_for("views.open")[-1].params["view"]
    values = {
        "link": {"value": {"type": "url_text_input", "value": link}},
        "note": {"value": {"type": "plain_text_input", "value": note}},
    }
    result = slack.submit_view(VIEW_DELIVERED, values, user_id=DESIGNER, private_metadata=view["private_metadata"])
    assert result.status == 200
    return result.json() if result.body else {}


def test_a_2102_character_link_is_refused_in_the_delivered_modal(started: tuple[SlackHarness, str]) -> None:
    slack, ref = started
    assert len(PRESIGNED) == 2102

    answer = deliver(slack, ref, PRESIGNED)

    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert isinstance(errors, dict) and list(errors) == ["link"]
    assert errors["link"].startswith("This link is 2,102 characters, over the 2,000 that fit")
    assert len(errors["link"]) <= 150
    request = stored(slack, ref)
    assert (request.status, request.delivery_link) == ("in_progress", None)


def test_a_note_longer_than_the_form_allows_is_refused(started: tuple[SlackHarness, str]) -> None:
    slack, ref = started

    answer = deliver(slack, ref, "https://drive.example/cut-v1", note="n" * 3001)

    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["note"]  # type: ignore[arg-type]
    assert stored(slack, ref).status == "in_progress"


def test_the_change_itself_refuses_the_link_and_keeps_one_that_fits(started: tuple[SlackHarness, str]) -> None:
    slack, ref = started
    with pytest.raises(Refused, match="2,102 characters"):
        slack.services.changes.perform(DESIGNER, ref, "deliver", value=PRESIGNED)
    assert stored(slack, ref).status == "in_progress"

    fits = PRESIGNED[:2000]
    slack.services.changes.perform(DESIGNER, ref, "deliver", value=fits)
    request = stored(slack, ref)
    assert (request.status, request.delivery_link) == ("delivered", fits)
