"""Short replies read in natural words and five languages: choices, yes/no, non-answers, plausible values."""

from __future__ import annotations

import pytest

from bot.analysis.non_answers import NonAnswer, non_answer
from bot.analysis.plausibility import plausible
from bot.intake.answers import Choice, agrees, choice, command
from bot.intake.policy import labelled_edit

RUSH = {"rush_question": True}
DUPLICATE = {"duplicate_question": True}


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("keep", Choice.KEEP),
        ("keep it as a rush pls", Choice.KEEP),
        ("keep it as a rush pls, the drop date can't move", Choice.KEEP),
        ("the launch date cannot move", Choice.KEEP),
        ("ok, move it to the earliest date then", Choice.MOVE),
        ("yes", Choice.KEEP),
        ("no, keep it", Choice.KEEP),
        ("don't move it", Choice.KEEP),
        ("sí, mantener", Choice.KEEP),
        ("ok, move it", Choice.MOVE),
        ("move", Choice.MOVE),
        ("verschieben bitte", Choice.MOVE),
        ("ok décale", Choice.MOVE),
        ("hmm", None),
        ("ok move it to the earliest date then, that still works for the 11 May launch", Choice.MOVE),
        ("it's ok, we have a lot going on this month but the launch itself can't be moved at all", None),
        ("ah ok, então pode ser até dia 24", None),  # a new day: the deadline changes, nothing is kept
        ("ok, the 24th then", None),
        ("can we make it the 20th instead, with a different headline and new visuals please", None),
    ],
)
def test_the_rush_question_is_answered_in_words(said: str, expected: Choice | None) -> None:
    assert choice(RUSH, said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("it's a different one", Choice.NEW_WORK),
        ("new", Choice.NEW_WORK),
        ("not the same", Choice.NEW_WORK),
        ("sí", Choice.NEW_WORK),
        ("es otro", Choice.NEW_WORK),
        ("same", Choice.DUPLICATE),
        ("no", Choice.DUPLICATE),
        ("c'est le même", Choice.DUPLICATE),
        ("é o mesmo", Choice.DUPLICATE),
    ],
)
def test_the_duplicate_question_is_answered_in_words(said: str, expected: Choice) -> None:
    assert choice(DUPLICATE, said) == expected


def test_no_question_open_reads_no_choice() -> None:
    assert choice({}, "keep") is None


@pytest.mark.parametrize(
    ("said", "expected"), [("yes please", True), ("ok", True), ("nein", False), ("not sure", None)]
)
def test_agreement(said: str, expected: bool | None) -> None:
    assert agrees(said) is expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [("enviar", "submit"), ("Abbrechen", "cancel"), ("annuler", "cancel"), ("ajuda", "help"), ("SÍ", "yes")],
)
def test_commands_in_five_languages(said: str, expected: str) -> None:
    assert command(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("not sure", NonAnswer.UNSURE),
        ("keine Ahnung", NonAnswer.UNSURE),
        ("you decide", NonAnswer.DELEGATED),
        ("peu importe", NonAnswer.DELEGATED),
        ("n/a", NonAnswer.NONE),
        ("je sais pas trop, vous décidez", NonAnswer.DELEGATED),
        ("weiss nicht so recht", NonAnswer.UNSURE),
        ("no sé muy bien", NonAnswer.UNSURE),
        ("bien-être des seniors", None),
        ("HR leaders", None),
    ],
)
def test_non_answers(said: str, expected: NonAnswer | None) -> None:
    assert non_answer(said) == expected


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("objective", "jan 15", False),
        ("objective", "asap", False),
        ("objective", "collect demo requests", True),
        ("formats", "n", False),
        ("formats", "yes", False),
        ("formats", "1080x1080", True),
        ("audience", "what's still missing?", False),
        ("quantity", "a lot", False),
        ("quantity", "three hundred", True),
        ("url", "our site", False),
        ("url", "example.com/spring", True),
        ("platforms", "designer's choice", True),
    ],
)
def test_plausible_values(field: str, value: str, expected: bool) -> None:
    assert plausible(field, value) is expected


def test_a_labelled_edit_names_one_field_only() -> None:
    assert labelled_edit("type: print") == ("request_type", "print")
    assert labelled_edit("Zielgruppe: HR-Leiter") == ("audience", "HR-Leiter")
    assert labelled_edit("Goal: sign-ups. Audience: HR") is None
    assert labelled_edit("hello: there") is None
