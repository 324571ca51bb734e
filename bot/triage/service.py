"""Every change to a submitted request with its side effects: the triage card, whoever it concerns, Home tabs.

Ops thread commands and comments arrive here too; the change engine decides and stores, this tells.
"""

from __future__ import annotations

from bot.delivery.ports import ChatPort
from bot.platform.text import format_date, human
from bot.production import notifications as production
from bot.requests.changes import Change, ChangeEngine
from bot.requests.home import Homes
from bot.requests.lifecycle import Status
from bot.requests.roles import Refused
from bot.team.directory import Directory
from bot.triage import notifications as triage
from bot.triage.card import TriageCards
from bot.triage.commands import OpsCommand, help_text, parse
from storage.models import Request
from storage.uow import UnitOfWork, UnitOfWorkFactory


class Triage:
    """Changes plus what people see of them."""

    def __init__(
        self, uow: UnitOfWorkFactory, changes: ChangeEngine, cards: TriageCards, homes: Homes, directory: Directory
    ) -> None:
        self.uow, self.changes, self.cards, self.homes, self.directory = uow, changes, cards, homes, directory

    def perform(
        self, port: ChatPort, actor: str, ref: str, action: str, *, note: str | None = None, value: str | None = None
    ) -> Change:
        """Apply a change (or raise Refused), then update the triage message and tell whoever it concerns.

        A change that changes nothing (``changed`` False) was not stored: nothing is refreshed, nobody told.
        A comment only shows in the triage message's history.
        """
        change = self.changes.perform(actor, ref, action, note=note, value=value)
        if not change.changed:
            return change
        self.cards.refresh(port, change.request)
        if action == "comment":
            return change
        (production if action in production.PRODUCTION_ACTIONS else triage).tell(port, change)
        request = change.request
        people = {request.requester_id, request.assignee_id, change.previous_assignee}
        for user in sorted(p for p in people if p):  # on reassignment both designers' Homes
            self.homes.publish(port, user)
        return change

    def run_command(self, port: ChatPort, actor: str, request: Request, command: OpsCommand) -> str | None:
        """A thread command; returns a thread reply for ``status`` and ``help``; Refused (said to the actor
        only) when it was refused or changes nothing."""
        if command.name == "help":
            return help_text()
        if command.name == "status":
            return status_text(request)
        simple = {
            "approve": ("approve", None, None),
            "reject": ("reject", command.argument, None),
            "ask": ("ask", command.argument, None),
            "assign": ("assign", None, command.mentioned_user() or command.argument),
            "priority": ("priority", None, command.argument),
            "due": ("due", None, command.argument),
            "type": ("type", None, command.argument),
            "channels": ("channels", None, command.argument),
        }
        action, note, value = simple[command.name]
        change = self.perform(port, actor, request.ref or "", action, note=note, value=value)
        if not change.changed:
            raise Refused(triage.unchanged(change))  # shown to the one who typed it, like any refusal
        return None

    def thread_reply(self, port: ChatPort, user: str, channel: str, thread_ts: str, text: str) -> None:
        """A reply under a triage message (a leading mention already removed): a command, or a comment."""
        with self.uow() as u:
            request = u.requests.by_triage_ts(channel, thread_ts)
        if request is None:
            return
        command = parse(text)
        try:
            if command is None:
                if self.directory.is_ops(user):
                    self.perform(port, user, request.ref or "", "comment", note=text)
                return
            if command.name in ("status", "help") and not self.directory.is_ops(user):
                raise Refused("Only creative-ops managers can use triage commands; nothing changed.")
            reply = self.run_command(port, user, request, command)
        except Refused as refusal:
            port.ephemeral(channel, user, str(refusal), thread_ts=thread_ts)
            return
        if reply:
            port.post(channel, reply, thread_ts=thread_ts)


def question_waiting(u: UnitOfWork, user: str, channel: str, thread_ts: str | None) -> Request | None:
    """The request with an open question a requester's DM may answer: the question's thread, or (outside any
    thread) the newest one."""
    if thread_ts:
        request = u.requests.by_info_message(channel, thread_ts)
        return request if request and request.status == Status.NEEDS_INFO else None
    waiting = u.requests.questioned(user, Status.NEEDS_INFO)
    return waiting[0] if waiting else None


def status_text(request: Request) -> str:
    """The current state in one message."""
    due = format_date(request.due_date) if request.due_date else "none"
    who = f"<@{request.assignee_id}>" if request.assignee_id else "unassigned"
    return f"{request.ref} is *{human(request.status)}* · priority {request.priority} · due {due} · {who}" + (
        f" · revisions {request.revision_count}" if request.revision_count else ""
    )
