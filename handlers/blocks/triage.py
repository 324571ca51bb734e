"""Block Kit for the triage message (SPEC 2.2): the summary, the brief, the history and ops' controls."""

from __future__ import annotations

from bot.briefs.priority import PRIORITIES
from bot.delivery.cards import Action
from bot.platform.text import format_date, human, human_list
from bot.triage.card import TriageCard
from handlers.blocks.ids import ACTION_IDS
from handlers.blocks.intake import brief_pairs
from handlers.blocks.kit import (
    MAX_CONTEXT_ELEMENTS,
    Block,
    actions,
    button,
    context,
    divider,
    field_sections,
    fit_message,
    header,
    plain,
)

_DECIDED_BY = {"llm": "LLM", "rules": "rules engine", "ops": "ops", "form": "requester's form"}
_BUTTONS = {
    Action.APPROVE: ("Approve", "primary"),
    Action.REQUEST_INFO: ("Request info", None),
    Action.REJECT: ("Reject", "danger"),
}


def triage_blocks(card: TriageCard) -> list[Block]:
    """The ops channel summary of a request as it is now, with the controls its status still allows."""
    due = format_date(card.due_date) if card.due_date else "none"
    if card.deadline and card.due_date and card.deadline != card.due_date:
        due += f" (requester asked for {format_date(card.deadline)})"
    rush = (
        f" — :rotating_light: *rush* (standard lead time {card.lead_time_days} business days)"
        if card.rush
        else f" (lead time {card.lead_time_days} business days)"
    )
    complete = "missing " + ", ".join(card.missing_fields) if card.missing_fields else "complete"
    if card.to_agree:
        complete += " — to be agreed: " + ", ".join(human(name) for name in card.to_agree)
    if card.assignee_id:
        who = ("Assigned to", f"<@{card.assignee_id}>" + (f" ({card.assignee_load})" if card.assignee_load else ""))
    elif card.suggested_assignee:
        who = ("Suggested assignee", f"<@{card.suggested_assignee}> ({card.suggested_load})")
    else:
        who = ("Suggested assignee", "no designer with this skill and free capacity")
    summary = [
        ("Requester", f"<@{card.requester_id}>"),
        ("Status", human(card.status) + (f" · revision {card.revision_count}" if card.revision_count else "")),
        ("Type", f"{human(card.request_type)} _({_DECIDED_BY.get(card.classified_by, card.classified_by)})_"),
        ("Channels", human_list(card.channels) or "none"),
        ("Due date", due + rush),
        ("Priority", card.priority),
        ("Completeness", complete),
        ("Possible duplicates", ", ".join(card.duplicate_refs) or "none found"),
        who,
    ]
    if card.linked_refs:
        summary.insert(1, ("Linked with", ", ".join(card.linked_refs)))
    blocks: list[Block] = [
        header(f"{card.ref} · {card.title}"),
        *field_sections(summary),
        divider(),
        *field_sections(brief_pairs(card.brief)),
    ]
    if card.history:
        blocks.append(context(*card.history[-MAX_CONTEXT_ELEMENTS:]))  # built by code, people's words escaped
    if card.actions:
        blocks.append(_controls(card))
    return fit_message(blocks)


def _controls(card: TriageCard) -> Block:
    elements: list[Block] = []
    for action in card.actions:
        if action in _BUTTONS:
            label, style = _BUTTONS[action]
            elements.append(button(label, ACTION_IDS[action], card.ref, style=style))
        elif action is Action.ASSIGN:
            assign: Block = {"type": "users_select", "action_id": ACTION_IDS[action], "placeholder": plain("Assign")}
            initial = card.assignee_id or card.suggested_assignee
            if initial:
                assign["initial_user"] = initial
            elements.append(assign)
        elif action is Action.PRIORITY:
            options = [{"text": plain(p.capitalize()), "value": p} for p in PRIORITIES]
            elements.append(
                {
                    "type": "static_select",
                    "action_id": ACTION_IDS[action],
                    "placeholder": plain("Priority"),
                    "options": options,
                    "initial_option": next(o for o in options if o["value"] == card.priority),
                }
            )
    return actions(f"triage:{card.ref}", *elements)
