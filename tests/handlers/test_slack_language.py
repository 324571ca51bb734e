"""The requester's language over the Slack wire (SPEC 2.1 "Language", 6.5): the Slack locale decides, the
replies, dates and button labels follow it, the action ids stay."""

from __future__ import annotations

from slack_harness import (
    COMPLETE_VIDEO,
    OPS,
    OPS_MANAGER,
    REQUESTER,
    SlackHarness,
    block_text,
    button_labels,
    eventually,
    with_roster,
)

from handlers.blocks.ids import ACTION_EDIT, ACTION_KEEP_RUSH, ACTION_MOVE_EARLIEST, ACTION_SUBMIT, TRIAGE_APPROVE

RUSH = (
    "need a 30s youtube pre-roll, 16:9, due March 6. Goal: drive sign-ups for the spring launch. "
    "Audience: marketing managers in DACH"
)


def _buttons(blocks: list[dict]) -> list[tuple[str, str]]:
    return [
        (e["text"]["text"], e["action_id"])
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
        if e.get("type") == "button"
    ]


def test_a_french_locale_gets_french_replies_and_buttons_with_the_same_action_ids(slack: SlackHarness) -> None:
    slack.fake.set_user("U1", tz="Europe/Paris", locale="fr-FR")
    slack.dm(RUSH)  # written in English: the Slack locale decides
    question = slack.next_post("DU1")
    text = question.params["text"]
    assert "Le ven. 6 mars 2026 est plus tôt que le délai standard pour vidéo (15 jours ouvrés)" in text
    assert "Réponds `garder`" in text and "Keep" not in text
    assert _buttons(question.params["blocks"]) == [
        ("Garder en urgence", ACTION_KEEP_RUSH),
        ("Passer à la première date", ACTION_MOVE_EARLIEST),
    ]
    info = slack.fake.calls("users.info")
    assert info and str(info[0].params.get("include_locale")).lower() in ("true", "1")

    ts = question.response["ts"]
    message = {"type": "message", "ts": ts, "user": "UBOT", **{k: question.params[k] for k in ("text", "blocks")}}
    assert slack.click(ACTION_KEEP_RUSH, user_id="U1", channel_id="DU1", message=message, value="DU1").status == 200
    confirm = slack.next_post("DU1", count=2)
    assert "Je garde le ven. 6 mars 2026 en urgence." in confirm.params["text"]
    assert "Voici ton brief (urgent)." in confirm.params["text"]
    blocks = confirm.params["blocks"]
    assert _buttons(blocks) == [("Envoyer", ACTION_SUBMIT), ("Modifier", ACTION_EDIT)]
    shown = block_text(blocks)
    assert "Échéance" in shown and "ven. 6 mars 2026" in shown and "Cible" in shown
    assert "marketing managers in DACH" in shown  # the requester's words stay theirs
    answered = slack.fake.wait_for("chat.update")[0]
    assert answered.params["ts"] == ts and "→ *Garder en urgence*" in answered.params["text"]


def test_without_a_locale_an_english_writer_keeps_english_buttons(slack: SlackHarness) -> None:
    slack.fake.set_user("U1")
    slack.dm(RUSH)
    question = slack.next_post("DU1")
    assert "is sooner than the standard lead time" in question.params["text"]
    assert button_labels(question.params["blocks"]) == ["Keep as rush", "Move to earliest"]


def test_ops_decisions_reach_a_french_requester_in_french(slack: SlackHarness) -> None:
    with_roster(slack)
    slack.fake.set_user(REQUESTER, tz="Europe/Paris", locale="fr-FR")
    slack.dm(COMPLETE_VIDEO, user=REQUESTER)
    slack.next_post(f"D{REQUESTER}")
    slack.dm("envoyer", user=REQUESTER)
    triage = slack.next_post(OPS)
    assert "New request CR-0001" in triage.params["text"]  # ops read English
    slack.click(TRIAGE_APPROVE, user_id=OPS_MANAGER, channel_id=OPS, message_ts=triage.response["ts"], value="CR-0001")
    told = eventually(lambda: [c for c in slack.posts(f"D{REQUESTER}") if "a validé" in c.params["text"]])
    assert told[0].params["text"].startswith("L'équipe créa a validé CR-0001")
