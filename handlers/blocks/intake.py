"""Block Kit for briefs, triage summaries and the intake form (SPEC 2.1, 2.2, 6.5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.analysis.contract import Assessment
from handlers.blocks.kit import (
    MAX_INPUT_VALUE, Block, actions, button, clamp, context, divider, escape, field_sections, fit_message,
    header, modal, plain, section,
)
from bot.briefs.model import FIELD_LABELS, LIST_FIELDS, Brief
from bot.briefs.catalog import Catalog
from bot.briefs.priority import PRIORITIES
from bot.briefs.questions import brief_lines, format_date

ACTION_SUBMIT = "intake_submit"
ACTION_EDIT = "intake_edit"
ACTION_NEW_REQUEST = "new_request"
TRIAGE_APPROVE = "triage_approve"
TRIAGE_REQUEST_INFO = "triage_request_info"
TRIAGE_REJECT = "triage_reject"
TRIAGE_ASSIGN = "triage_assign"
TRIAGE_PRIORITY = "triage_priority"
VIEW_INTAKE = "intake_form"
SHORTCUT_NEW_REQUEST = "new_request"

#: Form inputs after type, channels and deadline, in the order shown.
_TEXT_INPUTS: tuple[str, ...] = (
    "objective", "audience", "platforms", "formats", "duration", "copy", "url", "quantity", "slide_count",
    "source_asset", "markets", "usage", "campaign", "budget", "approver", "notes",
)
_MULTILINE = {"objective", "audience", "copy", "notes"}


def _pairs(brief: Brief) -> list[tuple[str, str]]:
    return [(label, escape(value)) for label, value in brief_lines(brief) if label != FIELD_LABELS["title"]]


def brief_message(brief: Brief, intro: str, conversation_id: str) -> list[Block]:
    """The full brief with Submit and Edit (SPEC 2.1 step 6)."""
    blocks = [section(escape(intro)), header(brief.title or "Your brief"), *field_sections(_pairs(brief)),
              actions("intake_confirm",
                      button("Submit", ACTION_SUBMIT, conversation_id, style="primary"),
                      button("Edit", ACTION_EDIT, conversation_id))]
    return fit_message(blocks)


@dataclass
class TriageView:
    """What the triage summary shows besides the request itself."""

    lead_time_days: int
    assessment: Assessment
    suggested_assignee: str | None = None
    suggested_load: str | None = None
    history: list[str] = field(default_factory=list)


def _decided_by(source: str) -> str:
    return {"llm": "LLM", "rules": "rules engine", "ops": "ops", "form": "requester's form"}.get(source, source)


def triage_message(request: Any, view: TriageView) -> list[Block]:
    """The ops channel summary of a request with its triage controls (SPEC 2.2)."""
    brief = Brief.model_validate(request.brief)
    deadline = format_date(request.deadline) if request.deadline else "none"
    rush = f" — :rotating_light: *rush* (standard lead time {view.lead_time_days} business days)" if request.rush \
        else f" (lead time {view.lead_time_days} business days)"
    duplicates = ", ".join(request.duplicate_refs) or "none found"
    complete = "complete" if view.assessment.complete else "missing " + ", ".join(view.assessment.missing_fields)
    assignee = (f"<@{view.suggested_assignee}> ({view.suggested_load})" if view.suggested_assignee
                else "no designer with this skill and free capacity")
    summary = [
        ("Requester", f"<@{request.requester_id}>"),
        ("Status", request.status.replace("_", " ")),
        ("Type", f"{request.request_type.replace('_', ' ')} _({_decided_by(request.classified_by)})_"),
        ("Channels", (", ".join(request.channels) or "none").replace("_", " ")),
        ("Deadline", deadline + rush),
        ("Priority", request.priority),
        ("Completeness", complete),
        ("Possible duplicates", duplicates),
        ("Suggested assignee", assignee),
    ]
    if request.assignee_id:
        summary.append(("Assigned to", f"<@{request.assignee_id}>"))
    blocks: list[Block] = [header(f"{request.ref} · {request.title}"), *field_sections(summary), divider(),
                           *field_sections(_pairs(brief))]
    if view.history:
        blocks.append(context(*view.history[-10:]))  # built by code from validated values
    blocks.append(_triage_controls(request, view))
    return fit_message(blocks)


def _triage_controls(request: Any, view: TriageView) -> Block:
    ref = request.ref
    assign: Block = {"type": "users_select", "action_id": TRIAGE_ASSIGN, "placeholder": plain("Assign")}
    initial = request.assignee_id or view.suggested_assignee
    if initial:
        assign["initial_user"] = initial
    options = [{"text": plain(p.capitalize()), "value": p} for p in PRIORITIES]
    priority: Block = {"type": "static_select", "action_id": TRIAGE_PRIORITY, "placeholder": plain("Priority"),
                       "options": options,
                       "initial_option": next(o for o in options if o["value"] == request.priority)}
    return actions(f"triage:{ref}",
                   button("Approve", TRIAGE_APPROVE, ref, style="primary"),
                   button("Request info", TRIAGE_REQUEST_INFO, ref),
                   button("Reject", TRIAGE_REJECT, ref, style="danger"),
                   assign, priority)


def _input(block_id: str, label: str, element: Block, hint: str | None = None) -> Block:
    block: Block = {"type": "input", "block_id": block_id, "optional": True, "label": plain(label, 2000),
                    "element": element}
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _initial_text(brief: Brief, name: str) -> str | None:
    if not brief.has(name):
        return None
    value = brief.get(name)
    return clamp(", ".join(value) if isinstance(value, list) else str(value), MAX_INPUT_VALUE)


def intake_form(catalog: Catalog, brief: Brief | None = None, metadata: str = "") -> Block:
    """The intake modal: the catalog's types and channels and every brief field, prefilled from a draft."""
    brief = brief or Brief()
    type_options = [{"text": plain(name.replace("_", " ").capitalize(), 75), "value": name}
                    for name in catalog.type_names]
    channel_options = [{"text": plain(name.replace("_", " ").capitalize(), 75), "value": name}
                       for name in catalog.channel_names]
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
        element: Block = {"type": "plain_text_input", "action_id": "value", "multiline": name in _MULTILINE,
                          "max_length": MAX_INPUT_VALUE}
        initial = _initial_text(brief, name)
        if initial:
            element["initial_value"] = initial
        hint = "Comma-separated" if name in LIST_FIELDS else None
        blocks.append(_input(name, FIELD_LABELS[name], element, hint))
    blocks.append(context("Required for every request: type, channels, deadline, objective and audience; "
                          "each type adds its own (e.g. video: duration and formats)."))
    return modal(VIEW_INTAKE, "New creative request", blocks, metadata, submit="Submit")


def form_brief(values: dict[str, dict[str, dict[str, Any]]]) -> Brief:
    """The brief a submitted intake form describes."""
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


def form_errors(brief: Brief, catalog: Catalog, today: date) -> dict[str, str]:
    """``response_action: errors`` for a form: every missing required field, and past deadlines."""
    errors = {name: f"Required for {(brief.request_type or 'every request').replace('_', ' ')}"
              for name in catalog.required_fields(brief.request_type) if not brief.has(name)}
    if brief.deadline and brief.deadline < today:
        errors["deadline"] = "This date is in the past"
    return errors


def text_blocks(text: str) -> list[Block]:
    """A plain message as one section (for replies that need no structure)."""
    return [section(escape(text))]

