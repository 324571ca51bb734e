"""Block Kit for ops modals and production messages (SPEC 2.2, 2.3, 6.5)."""

from __future__ import annotations

from typing import Any

from handlers.blocks.kit import Block, actions, button, context, escape, field_sections, fit_message, header, metadata, modal, plain, section
from bot.briefs.model import Brief
from bot.briefs.questions import brief_lines, format_date

PROD_START = "prod_start"
PROD_BLOCKED = "prod_blocked"
PROD_DELIVERED = "prod_delivered"
DELIVERY_ACCEPT = "delivery_accept"
DELIVERY_CHANGES = "delivery_changes"
#: Modal callback ids; each modal carries the request ref in private_metadata.
VIEW_ASK = "triage_ask_form"
VIEW_REJECT = "triage_reject_form"
VIEW_BLOCKED = "prod_blocked_form"
VIEW_DELIVERED = "prod_delivered_form"
VIEW_CHANGES = "delivery_changes_form"

_TEXT_MODALS: dict[str, tuple[str, str, str]] = {
    VIEW_ASK: ("Request info", "Question for the requester", "Ask"),
    VIEW_REJECT: ("Reject request", "Reason (the requester sees it)", "Reject"),
    VIEW_BLOCKED: ("Blocked", "What is blocking you?", "Report"),
    VIEW_CHANGES: ("Request changes", "What should change?", "Send"),
}


def text_modal(callback_id: str, ref: str) -> Block:
    """A one-field modal (question, reason, changes) for ``ref``."""
    title, label, submit = _TEXT_MODALS[callback_id]
    field: Block = {"type": "input", "block_id": "text", "label": plain(label, 2000),
                    "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                                "max_length": 3000}}
    return modal(callback_id, title, [section(f"*{ref}*"), field], metadata({"ref": ref}), submit=submit)


def delivered_modal(ref: str) -> Block:
    """The Delivered modal: the delivery link and a note."""
    link: Block = {"type": "input", "block_id": "link", "label": plain("Delivery link"),
                   "element": {"type": "url_text_input", "action_id": "value"}}
    note: Block = {"type": "input", "block_id": "note", "optional": True, "label": plain("Note"),
                   "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                               "max_length": 3000}}
    return modal(VIEW_DELIVERED, "Delivered", [section(f"*{ref}*"), link, note], metadata({"ref": ref}),
                 submit="Deliver")


def modal_value(values: dict[str, Any], block_id: str) -> str:
    """The trimmed text of one input of a submitted modal."""
    return (values.get(block_id, {}).get("value", {}).get("value") or "").strip()


def _brief_fields(request: Any) -> list[Block]:
    brief = Brief.model_validate(request.brief)
    return field_sections([(label, escape(value)) for label, value in brief_lines(brief) if label != "Title"])


def assignment_message(request: Any, triage_link: str | None) -> list[Block]:
    """The designer's assignment DM with Start, Blocked and Delivered."""
    due = format_date(request.due_date) if request.due_date else "no due date"
    where = f" · <{triage_link}|triage thread>" if triage_link else ""
    return fit_message([
        header(f"{request.ref} · {request.title}"),
        section(f"Assigned to you · due *{due}* · priority *{request.priority}* · status "
                f"*{request.status.replace('_', ' ')}*{where}"),
        *_brief_fields(request),
        actions(f"production:{request.ref}",
                button("Start", PROD_START, request.ref, style="primary"),
                button("Blocked", PROD_BLOCKED, request.ref),
                button("Delivered", PROD_DELIVERED, request.ref)),
    ])


def delivery_message(request: Any) -> list[Block]:
    """The requester's delivery DM with Accept and Request changes."""
    note = f"\n>{escape(request.delivery_note)}" if request.delivery_note else ""
    return fit_message([
        section(f"*{request.ref} · {escape(request.title)}* is delivered: {escape(request.delivery_link or '')}"
                f"{note}"),
        context(f"Revision {request.revision_count}" if request.revision_count else "First delivery"),
        actions(f"delivery:{request.ref}",
                button("Accept", DELIVERY_ACCEPT, request.ref, style="primary"),
                button("Request changes", DELIVERY_CHANGES, request.ref)),
    ])
