"""How the bot listens (SPEC 2.1), over the Slack wire: choices with buttons and in words, corrections that
replace only what they name, acknowledgements with the old value, non-answers, questions back, no repeats."""

from __future__ import annotations

from fakes.slack_api import Call
from slack_harness import OPS, SlackHarness, block_text, button_labels, eventually

from handlers.blocks.ids import ACTION_KEEP_RUSH, ACTION_MOVE_EARLIEST, ACTION_NEW_WORK, ACTION_SAME_REQUEST
from storage.repositories import Drafts

VIDEO = "need a 30s youtube pre-roll, 16:9, due in 3 weeks"
GOALS = "Goal: drive sign-ups for the spring launch. Audience: marketing managers in DACH"
RUSH = f"{VIDEO.replace('due in 3 weeks', 'due March 6')}. {GOALS}"


def _buttons(post: dict) -> list[tuple[str, str]]:
    elements = post["blocks"][-1].get("elements", [])
    return [(e["text"]["text"], e["action_id"]) for e in elements if e.get("type") == "button"]


def test_the_rush_question_has_buttons_and_keep_as_rush_keeps_the_date(slack: SlackHarness) -> None:
    slack.dm(RUSH)
    question = slack.next_post("DU1")
    assert _buttons(question.params) == [("Keep as rush", ACTION_KEEP_RUSH), ("Move to earliest", ACTION_MOVE_EARLIEST)]
    ts = question.response["ts"]
    message = {"type": "message", "ts": ts, "user": "UBOT", **{k: question.params[k] for k in ("text", "blocks")}}
    clicked = slack.click(ACTION_KEEP_RUSH, user_id="U1", channel_id="DU1", message=message, value="DU1")
    assert clicked.status == 200
    confirm = slack.next_post("DU1", count=2)
    assert "Keeping Fri 6 Mar 2026 as a rush." in confirm.params["text"] and "(rush)" in confirm.params["text"]
    assert button_labels(confirm.params["blocks"]) == ["Submit", "Edit"]
    update = slack.fake.wait_for("chat.update")[0]
    assert update.params["ts"] == ts and "Keep as rush" in update.params["text"]
    assert not any(b.get("type") == "actions" for b in update.params.get("blocks", []))


def test_move_it_in_words_moves_the_deadline_and_says_what_it_was(slack: SlackHarness) -> None:
    slack.dm(RUSH)
    slack.next_post("DU1")
    slack.dm("ok, move it")
    confirm = slack.next_post("DU1", count=2).params["text"]
    assert "Updated deadline: Mon 23 Mar 2026 (was Fri 6 Mar 2026)." in confirm
    assert "(rush)" not in confirm


def test_a_second_click_on_an_answered_question_changes_nothing(slack: SlackHarness) -> None:
    slack.dm(RUSH)
    ts = slack.next_post("DU1").response["ts"]
    slack.click(ACTION_MOVE_EARLIEST, user_id="U1", channel_id="DU1", message_ts=ts, value="DU1")
    slack.next_post("DU1", count=2)
    slack.click(ACTION_KEEP_RUSH, user_id="U1", channel_id="DU1", message_ts=ts, value="DU1")
    again = slack.next_post("DU1", count=3).params["text"]
    assert "no longer open" in again and "(rush)" not in again


def _the_same_ask_twice(slack: SlackHarness) -> Call:
    """U1 submits a request; U2 asks for the same: the duplicate question U2 gets."""
    slack.dm(f"{VIDEO}. {GOALS}", user="U1")
    slack.next_post("DU1")
    slack.dm("submit", user="U1")
    slack.next_post(OPS)
    slack.dm(f"{VIDEO}. {GOALS}", user="U2")
    return slack.next_post("DU2")


def test_the_duplicate_question_names_the_request_and_same_request_drops_the_draft(slack: SlackHarness) -> None:
    question = _the_same_ask_twice(slack)
    assert "CR-0001" in question.params["text"]
    assert _buttons(question.params) == [("It's new", ACTION_NEW_WORK), ("Same request", ACTION_SAME_REQUEST)]
    ts = question.response["ts"]
    slack.click(ACTION_SAME_REQUEST, user_id="U2", channel_id="DU2", message_ts=ts, value="DU2")
    assert "follow CR-0001" in slack.next_post("DU2", count=2).params["text"]

    def draft_gone() -> bool:
        with slack.services.db.session() as s:
            return Drafts(s).get("U2", "DU2") is None

    assert eventually(draft_gone)


def test_its_a_different_one_in_words_goes_on_as_new_work(slack: SlackHarness) -> None:
    _the_same_ask_twice(slack)
    slack.dm("no, it's a different one", user="U2")
    confirm = slack.next_post("DU2", count=2)
    assert "OK — a new request." in confirm.params["text"]
    assert button_labels(confirm.params["blocks"]) == ["Submit", "Edit"]


def test_a_platform_correction_keeps_the_other_platforms_and_channels(slack: SlackHarness) -> None:
    slack.dm("3 instagram and youtube posts for the spring launch, 1080x1080, due March 27. " + GOALS)
    slack.next_post("DU1")
    slack.dm("actually LinkedIn, not Instagram")
    reply = slack.next_post("DU1", count=2).params
    assert "Updated platforms: YouTube, LinkedIn (was Instagram, YouTube)." in reply["text"]

    def draft() -> dict | None:
        with slack.services.db.session() as s:
            found = Drafts(s).get("U1", "DU1")
            return found.brief if found else None

    brief = eventually(draft)
    assert brief["platforms"] == ["youtube", "linkedin"]
    assert {"social", "video_platforms"} <= set(brief["channels"])


def _at_the_brief_say(slack: SlackHarness, text: str) -> dict:
    """A complete brief shown to U1, then ``text``: the reply's params."""
    slack.dm(f"{VIDEO}. {GOALS}")
    slack.next_post("DU1")
    slack.dm(text)
    return slack.next_post("DU1", count=2).params


def test_a_channel_named_later_is_added_and_acknowledged(slack: SlackHarness) -> None:
    reply = _at_the_brief_say(slack, "it will be shown at the trade show booth too")
    assert "Added channels: events." in reply["text"]
    assert "video platforms" in block_text(reply["blocks"]) and "events" in block_text(reply["blocks"])


def test_not_sure_twice_about_the_audience_is_to_be_agreed_and_shown_to_ops_as_a_gap(slack: SlackHarness) -> None:
    slack.dm(f"{VIDEO}. Goal: drive sign-ups for the spring launch")
    first = slack.next_post("DU1").params["text"]
    slack.dm("not sure")
    second = slack.next_post("DU1", count=2).params["text"]
    assert "even a rough idea helps" in second and second != first
    slack.dm("no idea")
    confirm = slack.next_post("DU1", count=3).params
    assert "audience to be agreed" in confirm["text"]
    assert button_labels(confirm["blocks"]) == ["Submit", "Edit"]
    slack.dm("submit")
    triage = block_text(slack.next_post(OPS).params["blocks"])
    assert "complete — to be agreed: audience" in triage


def test_a_type_specific_field_left_to_the_team_is_designers_choice(slack: SlackHarness) -> None:
    slack.dm(f"need a 30s youtube pre-roll, due in 3 weeks. {GOALS}")
    assert "formats" in slack.next_post("DU1").params["text"].lower()
    slack.dm("you decide")
    confirm = slack.next_post("DU1", count=2).params
    assert "Noted: formats designer's choice." in confirm["text"]


def test_an_answer_that_is_not_understood_is_never_asked_again_in_the_same_words(slack: SlackHarness) -> None:
    slack.dm(f"need a 30s youtube pre-roll, 16:9. {GOALS}")
    first = slack.next_post("DU1").params["text"]
    assert "When do you need it by?" in first
    slack.dm("hmm")
    second = slack.next_post("DU1", count=2).params["text"]
    assert second != first and "the 15th" in second


def test_asap_gets_the_earliest_standard_date_offered_and_yes_takes_it(slack: SlackHarness) -> None:
    slack.dm(f"need a 30s youtube pre-roll, 16:9, asap. {GOALS}")
    offer = slack.next_post("DU1").params["text"]
    assert "earliest standard date for a video is Mon 23 Mar 2026" in offer
    slack.dm("yes please")
    confirm = slack.next_post("DU1", count=2).params
    assert "Deadline set to Mon 23 Mar 2026." in confirm["text"]
    assert button_labels(confirm["blocks"]) == ["Submit", "Edit"]


def test_the_earliest_as_an_answer_to_when_is_offered_and_taken_in_words(slack: SlackHarness) -> None:
    slack.dm(f"need a 30s youtube pre-roll, 16:9. {GOALS}")
    assert "When do you need it by?" in slack.next_post("DU1").params["text"]
    slack.dm("the earliest you can")
    offer = slack.next_post("DU1", count=2).params["text"]
    assert "earliest standard date for a video is Mon 23 Mar 2026" in offer
    slack.dm("sure, the earliest is fine")
    assert "Deadline set to Mon 23 Mar 2026." in slack.next_post("DU1", count=3).params["text"]


def test_a_question_to_the_bot_is_answered_from_the_catalog(slack: SlackHarness) -> None:
    slack.dm("how long does a video take?")
    answer = slack.next_post("DU1").params["text"]
    assert "15 business days" in answer and "Mon 23 Mar 2026" in answer
    slack.dm(f"{VIDEO}. Goal: drive sign-ups for the spring launch")
    slack.next_post("DU1", count=2)
    slack.dm("what's still missing?")
    assert "Still missing: audience." in slack.next_post("DU1", count=3).params["text"]


def test_at_the_confirm_step_a_labelled_change_is_applied_and_the_brief_shown_again(slack: SlackHarness) -> None:
    confirm = _at_the_brief_say(slack, "audience: HR leaders in the UK")
    assert "Updated audience: HR leaders in the UK (was marketing managers in DACH)." in confirm["text"]
    assert button_labels(confirm["blocks"]) == ["Submit", "Edit"]
    slack.dm("type: print")
    changed = slack.next_post("DU1", count=3).params["text"]
    assert "Updated type: print (was video)." in changed
    assert "Moved to the notes: duration (was 30s)." in changed


def test_submit_and_cancel_work_in_other_languages(slack: SlackHarness) -> None:
    slack.dm(f"{VIDEO}. {GOALS}")
    slack.next_post("DU1")
    slack.dm("enviar")
    assert slack.next_post("DU1", count=2).params["text"].startswith("Submitted as CR-0001")
    slack.dm(VIDEO)
    slack.next_post("DU1", count=3)
    slack.dm("abbrechen")
    assert slack.next_post("DU1", count=4).params["text"] == "Cancelled — the draft is gone."


def test_consecutive_replies_are_never_identical(slack: SlackHarness) -> None:
    slack.dm(VIDEO)
    texts = [slack.next_post("DU1").params["text"]]
    for count, said in enumerate(["hmm", "what?", "dunno", "whatever"], start=2):
        slack.dm(said)
        texts.append(slack.next_post("DU1", count=count).params["text"])
    assert all(a != b for a, b in zip(texts, texts[1:], strict=False)), texts
