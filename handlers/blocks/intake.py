"""Block Kit for the intake: the brief to confirm, the intake modal, and reading a submitted modal back."""

from __future__ import annotations

from typing import Any

from bot.briefs.catalog import Catalog
from bot.briefs.model import FIELD_LABELS, FIELD_NAMES, LIST_FIELDS, Brief, field_label
from bot.briefs.summary import brief_lines
from bot.delivery.cards import Action, Notice
from bot.intake.cards import BriefCard, ChoiceCard, IntakeForm
from bot.platform.i18n import N_, speaking, t
from bot.platform.text import clamp, human, words
from handlers.blocks.ids import ACTION_IDS, VIEW_INTAKE
from handlers.blocks.kit import (
    MAX_INPUT_VALUE,
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

#: Form inputs after type, channels and deadline, in the order shown (the title is derived, assets are files).
_TEXT_INPUTS: tuple[str, ...] = tuple(
    name for name in FIELD_NAMES if name not in {"title", "request_type", "channels", "deadline", "assets"}
)
_MULTILINE = {"objective", "audience", "copy", "notes"}
_BUTTONS = {
    Action.SUBMIT: (N_("Submit"), "primary"),
    Action.EDIT: (N_("Edit"), None),
    Action.KEEP_RUSH: (N_("Keep as rush"), None),
    Action.MOVE_EARLIEST: (N_("Move to earliest"), "primary"),
    Action.NEW_WORK: (N_("It's new"), "primary"),
    Action.SAME_REQUEST: (N_("Same request"), None),
}


def choice_label(action_id: str, message: Any = None) -> str | None:
    """The label of a choice button, by its action id: as ``message`` showed it (in the requester's language),
    else in English."""
    blocks = message.get("blocks") if isinstance(message, dict) else None
    for block in blocks if isinstance(blocks, list) else []:
        for element in block.get("elements") or [] if isinstance(block, dict) else []:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                label = (element.get("text") or {}).get("text")
                if isinstance(label, str) and label:
                    return label
    return next((_BUTTONS[a][0] for a, aid in ACTION_IDS.items() if aid == action_id and a in _BUTTONS), None)


def _buttons(actions_: list[Action], conversation_id: str) -> list[Block]:
    """The intake's buttons, labelled in the current language (the action ids stay)."""
    return [button(t(_BUTTONS[a][0]), ACTION_IDS[a], conversation_id, style=_BUTTONS[a][1]) for a in actions_]


def brief_pairs(brief: Brief) -> list[tuple[str, str]]:
    """(label, escaped value) of every field the brief holds but its title, in the current language."""
    return [(label, words(value)) for label, value in brief_lines(brief) if label != field_label("title")]


def notice_blocks(card: Notice) -> list[Block]:
    """A reply as one section (the domain wrote it as chat text, people's words already escaped)."""
    return [section(card.text)]


def choice_blocks(card: ChoiceCard) -> list[Block]:
    """A yes/no question with its two buttons (SPEC 6.5)."""
    with speaking(card.language):
        buttons = _buttons(card.actions, card.conversation_id)
    return fit_message([section(card.text), actions("intake_choice", *buttons)])


def brief_blocks(card: BriefCard) -> list[Block]:
    """The full brief with Submit and Edit (SPEC 2.1 step 6)."""
    with speaking(card.language):
        blocks = [section(card.intro)]
        for brief in [card.brief, *card.linked]:
            blocks += [header(brief.title or t("Your brief")), *field_sections(brief_pairs(brief))]
        blocks.append(actions("intake_confirm", *_buttons(card.actions, card.conversation_id)))
    return fit_message(blocks)


def _input(block_id: str, label: str, element: Block, hint: str | None = None) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label, 2000),
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _initial_text(brief: Brief, name: str) -> str | None:
    if not brief.has(name):
        return None
    value = brief.get(name)
    return clamp(", ".join(value) if isinstance(value, list) else str(value), MAX_INPUT_VALUE)


def intake_view(form: IntakeForm, catalog: Catalog) -> Block:
    """The intake modal: the catalog's types and channels and every brief field, prefilled from a draft."""
    brief = form.brief
    type_options = [{"text": plain(human(name).capitalize(), 75), "value": name} for name in catalog.type_names]
    channel_options = [{"text": plain(human(name).capitalize(), 75), "value": name} for name in catalog.channel_names]
    kind: Block = {"type": "static_select", "action_id": "value", "options": type_options}
    if brief.request_type in catalog.request_types:
        kind["initial_option"] = next(o for o in type_options if o["value"] == brief.request_type)
    channels: Block = {"type": "multi_static_select", "action_id": "value", "options": channel_options}
    chosen = [o for o in channel_options if o["value"] in brief.channels]
    if chosen:
        channels["initial_options"] = chosen
    deadline: Block = {"type": "datepicker", "action_id": "value"}
    if brief.deadline:
        deadline["initial_date"] = brief.deadline.isoformat()
    blocks = [
        _input("request_type", "Type of work", kind),
        _input("channels", "Channels", channels),
        _input("deadline", "Deadline", deadline),
    ]
    for name in _TEXT_INPUTS:
        element: Block = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": name in _MULTILINE,
            "max_length": MAX_INPUT_VALUE,
        }
        initial = _initial_text(brief, name)
        if initial:
            element["initial_value"] = initial
        hint = "Comma-separated" if name in LIST_FIELDS else None
        blocks.append(_input(name, FIELD_LABELS[name], element, hint))
    blocks.append(
        context(
            "Required for every request: type, channels, deadline, objective and audience; "
            "each type adds its own (e.g. video: duration and formats)."
        )
    )
    data = {"conversation": form.conversation_id} if form.conversation_id else {}
    return modal(VIEW_INTAKE, "New creative request", blocks, metadata(data), submit="Submit")


def form_brief(values: dict[str, dict[str, dict[str, Any]]]) -> Brief:
    """The brief a submitted intake modal describes."""

    def raw(block_id: str) -> dict[str, Any]:
        return values.get(block_id, {}).get("value", {})

    data: dict[str, Any] = {}
    selected = raw("request_type").get("selected_option")
    data["request_type"] = selected["value"] if selected else None
    data["channels"] = [o["value"] for o in raw("channels").get("selected_options") or []]
    data["deadline"] = raw("deadline").get("selected_date")
    for name in _TEXT_INPUTS:
        text = (raw(name).get("value") or "").strip()
        data[name] = [p.strip() for p in text.split(",") if p.strip()] if name in LIST_FIELDS else (text or None)
    return Brief.model_validate(data)
