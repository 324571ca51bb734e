"""Block Kit for production (SPEC 2.3, 6.5): the assignment and delivery DMs, and the action modals."""

from __future__ import annotations

from typing import Any

from bot.delivery.cards import Action
from bot.platform.i18n import N_, speaking, t
from bot.platform.text import format_date, human, quoted, words
from bot.production.cards import AssignmentCard, DeliveryCard
from bot.requests.forms import ActionForm
from handlers.blocks.ids import ACTION_IDS, FORM_VIEWS, VIEW_DELIVERED
from handlers.blocks.intake import brief_pairs
from handlers.blocks.kit import (
    Block,
    actions,
    button,
    context,
    field_sections,
    fit_message,
    header,
    metadata,
    modal,
    plain,
    section,
)

_BUTTONS = {
    Action.START: (N_("Start"), "primary"),
    Action.BLOCKED: (N_("Blocked"), None),
    Action.DELIVERED: (N_("Delivered"), None),
    Action.ACCEPT: (N_("Accept"), "primary"),
    Action.REQUEST_CHANGES: (N_("Request changes"), None),
}
#: Text modals: action → (title, label, submit label).
_TEXT_MODALS: dict[str, tuple[str, str, str]] = {
    "ask": ("Request info", "Question for the requester", "Ask"),
    "reject": ("Reject request", "Reason (the requester sees it)", "Reject"),
    "block": ("Blocked", "What is blocking you?", "Report"),
    "request_changes": ("Request changes", "What should change?", "Send"),
}


def _buttons(ref: str, chosen: list[Action]) -> list[Block]:
    """The buttons, labelled in the current language (the action ids stay)."""
    return [button(t(_BUTTONS[a][0]), ACTION_IDS[a], ref, style=_BUTTONS[a][1]) for a in chosen]


def assignment_blocks(card: AssignmentCard) -> list[Block]:
    """The designer's assignment DM: the brief as it is now, and the buttons its status still allows."""
    due = format_date(card.due_date) if card.due_date else "no due date"
    where = f" · <{card.triage_link}|triage thread>" if card.triage_link else ""
    if card.reassigned_to:
        line = f"Reassigned to <@{card.reassigned_to}> · nothing more to do for you{where}"
    else:
        line = f"Assigned to you · due *{due}* · priority *{card.priority}* · status *{human(card.status)}*{where}"
    blocks = [header(f"{card.ref} · {card.title}"), section(line), *field_sections(brief_pairs(card.brief))]
    if card.actions:
        blocks.append(actions(f"production:{card.ref}", *_buttons(card.ref, card.actions)))
    return fit_message(blocks)


def delivery_blocks(card: DeliveryCard) -> list[Block]:
    """The requester's delivery DM with Accept and Request changes."""
    note = f"\n{quoted(card.note)}" if card.note else ""
    with speaking(card.language):
        title = f"*{card.ref} · {words(card.title)}*"
        revision = t("Revision {n}", n=card.revision_count) if card.revision_count else t("First delivery")
        return fit_message(
            [
                section(t("{title} is delivered: {link}", title=title, link=words(card.link)) + note),
                context(revision),
                actions(f"delivery:{card.ref}", *_buttons(card.ref, card.actions)),
            ]
        )


def action_view(form: ActionForm) -> Block:
    """The modal an action asks its text in: one field, or the delivery link and a note."""
    if form.action == "deliver":
        link: Block = {
            "type": "input",
            "block_id": "link",
            "label": plain("Delivery link"),
            "element": {"type": "url_text_input", "action_id": "value"},
        }
        note: Block = {
            "type": "input",
            "block_id": "note",
            "optional": True,
            "label": plain("Note"),
            "element": {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 3000},
        }
        return modal(
            VIEW_DELIVERED,
            "Delivered",
            [section(f"*{form.ref}*"), link, note],
            metadata({"ref": form.ref}),
            submit="Deliver",
        )
    title, label, submit = _TEXT_MODALS[form.action]
    field: Block = {
        "type": "input",
        "block_id": "text",
        "label": plain(label, 2000),
        "element": {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 3000},
    }
    return modal(
        FORM_VIEWS[form.action], title, [section(f"*{form.ref}*"), field], metadata({"ref": form.ref}), submit=submit
    )


def modal_value(values: Any, block_id: str) -> str:
    """The trimmed text of one input of a submitted modal; "" when it is missing or not text."""
    block = values.get(block_id) if isinstance(values, dict) else None
    element = block.get("value") if isinstance(block, dict) else None
    text = element.get("value") if isinstance(element, dict) else None
    return text.strip() if isinstance(text, str) else ""
