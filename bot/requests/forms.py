"""Forms that ask for the text an action needs before it is applied."""

from __future__ import annotations

from bot.delivery.cards import Card


class ActionForm(Card):
    """A form that asks for the text an action needs: a question, a reason, changes, or the delivery link."""

    kind = "action_form"
    action: str
    ref: str
