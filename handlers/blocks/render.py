"""Which Block Kit a card becomes: message blocks for posts, views for modals and App Home."""

from __future__ import annotations

from typing import Any

from bot.briefs.catalog import Catalog
from bot.delivery.cards import Card, Notice
from bot.digests.compose import DesignerDigestCard, OpsDigestCard
from bot.intake.cards import BriefCard, ChoiceCard, IntakeForm
from bot.production.cards import AssignmentCard, DeliveryCard
from bot.requests.forms import ActionForm
from bot.requests.home import HomeView
from bot.triage.card import TriageCard
from handlers.blocks.digests import designer_blocks, ops_blocks
from handlers.blocks.home import home_view
from handlers.blocks.intake import brief_blocks, choice_blocks, intake_view, notice_blocks
from handlers.blocks.kit import Block
from handlers.blocks.production import action_view, assignment_blocks, delivery_blocks
from handlers.blocks.triage import triage_blocks


def message_blocks(card: Card) -> list[Block]:
    """The blocks of a message that shows ``card``."""
    if isinstance(card, Notice):
        return notice_blocks(card)
    if isinstance(card, BriefCard):
        return brief_blocks(card)
    if isinstance(card, ChoiceCard):
        return choice_blocks(card)
    if isinstance(card, TriageCard):
        return triage_blocks(card)
    if isinstance(card, AssignmentCard):
        return assignment_blocks(card)
    if isinstance(card, DeliveryCard):
        return delivery_blocks(card)
    if isinstance(card, DesignerDigestCard):
        return designer_blocks(card.digest)
    if isinstance(card, OpsDigestCard):
        return ops_blocks(card.digest)
    raise TypeError(f"no message rendering for {type(card).__name__}")


def view(card: Card, catalog: Catalog) -> dict[str, Any]:
    """The view (modal or Home tab) that shows ``card``."""
    if isinstance(card, IntakeForm):
        return intake_view(card, catalog)
    if isinstance(card, ActionForm):
        return action_view(card)
    if isinstance(card, HomeView):
        return home_view(card)
    raise TypeError(f"no view for {type(card).__name__}")
