"""Action, view and shortcut ids: the names Slack sends back, mapped to the domain's actions."""

from __future__ import annotations

from bot.delivery.cards import Action

ACTION_SUBMIT = "intake_submit"
ACTION_EDIT = "intake_edit"
ACTION_NEW_REQUEST = "new_request"
ACTION_KEEP_RUSH = "intake_keep_rush"
ACTION_MOVE_EARLIEST = "intake_move_earliest"
ACTION_NEW_WORK = "intake_new_work"
ACTION_SAME_REQUEST = "intake_same_request"
TRIAGE_APPROVE = "triage_approve"
TRIAGE_REQUEST_INFO = "triage_request_info"
TRIAGE_REJECT = "triage_reject"
TRIAGE_ASSIGN = "triage_assign"
TRIAGE_PRIORITY = "triage_priority"
PROD_START = "prod_start"
PROD_BLOCKED = "prod_blocked"
PROD_DELIVERED = "prod_delivered"
DELIVERY_ACCEPT = "delivery_accept"
DELIVERY_CHANGES = "delivery_changes"
SHORTCUT_NEW_REQUEST = "new_request"
SHORTCUT_MESSAGE_TO_REQUEST = "message_to_request"
#: Modal callback ids; each action modal carries the request ref in private_metadata.
VIEW_INTAKE = "intake_form"
VIEW_ASK = "triage_ask_form"
VIEW_REJECT = "triage_reject_form"
VIEW_BLOCKED = "prod_blocked_form"
VIEW_DELIVERED = "prod_delivered_form"
VIEW_CHANGES = "delivery_changes_form"

ACTION_IDS: dict[Action, str] = {
    Action.SUBMIT: ACTION_SUBMIT,
    Action.EDIT: ACTION_EDIT,
    Action.NEW_REQUEST: ACTION_NEW_REQUEST,
    Action.KEEP_RUSH: ACTION_KEEP_RUSH,
    Action.MOVE_EARLIEST: ACTION_MOVE_EARLIEST,
    Action.NEW_WORK: ACTION_NEW_WORK,
    Action.SAME_REQUEST: ACTION_SAME_REQUEST,
    Action.APPROVE: TRIAGE_APPROVE,
    Action.REQUEST_INFO: TRIAGE_REQUEST_INFO,
    Action.REJECT: TRIAGE_REJECT,
    Action.ASSIGN: TRIAGE_ASSIGN,
    Action.PRIORITY: TRIAGE_PRIORITY,
    Action.START: PROD_START,
    Action.BLOCKED: PROD_BLOCKED,
    Action.DELIVERED: PROD_DELIVERED,
    Action.ACCEPT: DELIVERY_ACCEPT,
    Action.REQUEST_CHANGES: DELIVERY_CHANGES,
}
#: The intake's choice buttons: action id → the conversation's answer (``bot.intake.answers.Choice``).
CHOICES: dict[str, str] = {
    ACTION_KEEP_RUSH: "keep",
    ACTION_MOVE_EARLIEST: "move",
    ACTION_NEW_WORK: "new_work",
    ACTION_SAME_REQUEST: "duplicate",
}
#: The action forms: the lifecycle action a form asks text for → its callback id.
FORM_VIEWS: dict[str, str] = {
    "ask": VIEW_ASK,
    "reject": VIEW_REJECT,
    "block": VIEW_BLOCKED,
    "request_changes": VIEW_CHANGES,
    "deliver": VIEW_DELIVERED,
}
