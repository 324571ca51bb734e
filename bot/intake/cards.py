"""What the intake shows: the brief to confirm, and the intake form."""

from __future__ import annotations

from bot.briefs.model import Brief
from bot.delivery.cards import Action, Card
from bot.platform.i18n import ENGLISH


class BriefCard(Card):
    """The full brief with Submit and Edit (SPEC 2.1 step 6)."""

    kind = "brief"
    intro: str
    brief: Brief
    conversation_id: str
    #: The other briefs of linked requests (SPEC 2.7), shown after ``brief``; one Submit sends them all.
    linked: list[Brief] = []
    actions: list[Action] = [Action.SUBMIT, Action.EDIT]
    #: The requester's language: of the labels, the buttons and the dates (the intro is written in it).
    language: str = ENGLISH


class ChoiceCard(Card):
    """A yes/no question of the intake with its buttons (SPEC 2.1.4, 2.1.5, 6.5)."""

    kind = "intake_choice"
    text: str
    conversation_id: str
    actions: list[Action]
    #: The requester's language, for the buttons (the text is written in it).
    language: str = ENGLISH


class IntakeForm(Card):
    """The intake modal: the catalog's types and channels and every brief field, prefilled from a draft."""

    kind = "intake_form"
    brief: Brief = Brief()
    conversation_id: str | None = None
