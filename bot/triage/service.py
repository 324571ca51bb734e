"""Every change to a submitted request (SPEC 2.2, 2.3, 5): authorize, transition, audit — then tell people.

``Actions`` decides and stores (one locked transaction per change); ``Triage`` adds the Slack side effects
through a ChatPort: the triage message updated in place, the requester, designer and ops thread told.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.analysis.contract import AnalysisContext, Extraction, assess
from bot.analysis.dates import parse_date
from bot.analysis.analyzer import apply
from bot.briefs.model import Brief
from handlers.blocks.home import home_view
from bot.requests.lifecycle import TERMINAL, TRANSITIONS, IllegalTransition, next_status, verb
from bot.triage.commands import OpsCommand, help_text, parse
from bot.delivery.ports import ChatPort, Target
from bot.briefs.priority import PRIORITIES
from bot.briefs.questions import format_date
from handlers.blocks.intake import TriageView, triage_message
from handlers.blocks.production import assignment_message, delivery_message
from bootstrap import Services
from bot.team.roster import Directory
from bot.team.workload import loads, suggest_assignee
from storage.models import Comment, Request
from storage.repositories import Audit, Comments, Requests, Team

log = logging.getLogger(__name__)

OPS, DESIGNER, REQUESTER = "ops", "designer", "requester"
#: Ops actions that change one field rather than the status, and how people read that field.
FIELD_CHANGES: dict[str, str] = {"priority": "priority", "due": "due date", "type": "type", "channels": "channels"}
_URL = re.compile(r"^<?(https?://[^\s|>]+)(?:\|[^>]*)?>?$")


class Refused(Exception):
    """Nothing changed; the message says why and is shown only to the person who tried."""


@dataclass
class Change:
    """One stored change: what, by whom, from what to what."""

    request: Request
    action: str
    actor: str
    old: str | None = None
    new: str | None = None
    note: str | None = None


Mutation = Callable[[Session, Request], tuple[str | None, str | None]]

#: Who may do what: ops route, the assigned designer reports progress, the requester answers and accepts.
ROLES: dict[str, str] = {
    "approve": OPS, "reject": OPS, "ask": OPS, "assign": OPS, "priority": OPS, "due": OPS, "type": OPS,
    "channels": OPS, "comment": OPS, "start": DESIGNER, "block": DESIGNER, "deliver": DESIGNER,
    "answer": REQUESTER, "request_changes": REQUESTER, "accept": REQUESTER, "cancel": REQUESTER,
}


class Actions:
    """The rules of changing a request; storage only, no Slack."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def ops_today(self) -> datetime:
        """Now in the ops team's time zone."""
        return self.services.clock.now().astimezone(ZoneInfo(self.services.settings.timezone))

    def perform(self, actor: str, ref: str, action: str, *, note: str | None = None,
                value: str | None = None) -> Change:
        """Apply ``action`` to ``ref`` as ``actor``, or raise Refused."""
        now = self.services.clock.now()
        extraction = self._extract_answer(ref, note) if action == "answer" and note else None
        with self.services.db.session() as session:
            request = Requests(session).by_ref(ref, lock=True)
            if request is None:
                raise Refused(f"There is no request {ref}.")
            self._authorize(session, actor, request, ROLES[action])
            old_status = request.status
            if action in TRANSITIONS:
                request.status = self._transition(request, action)
            old, new = self._mutation(action, actor, note, value, now, extraction)(session, request)
            if action in TRANSITIONS:
                old, new = old_status, request.status
            elif request.status in TERMINAL:
                raise Refused(f"{ref} is {request.status}; nothing changed.")
            request.updated_at = now
            session.add(request)
            assert request.id is not None
            if action != "comment":
                Audit(session).record(request.id, actor, action, now, old=old, new=new)
            return Change(request, action, actor, old, new, note)

    def check(self, actor: str, ref: str, action: str) -> None:
        """Raise Refused if ``actor`` may not do ``action`` to ``ref`` now (nothing is changed)."""
        with self.services.db.session() as session:
            request = Requests(session).by_ref(ref)
            if request is None:
                raise Refused(f"There is no request {ref}.")
            self._authorize(session, actor, request, ROLES[action])
            if action in TRANSITIONS:
                self._transition(request, action)

    def _authorize(self, session: Session, actor: str, request: Request, role: str) -> None:
        if role == OPS:
            member = Team(session).get(actor)
            if not (member and member.is_ops):
                raise Refused("Only creative-ops managers can change a request's routing; nothing changed.")
        elif role == DESIGNER and actor != request.assignee_id:
            who = f"<@{request.assignee_id}>" if request.assignee_id else "nobody yet"
            raise Refused(f"Only the assigned designer ({who}) reports progress on {request.ref}; nothing changed.")
        elif role == REQUESTER and actor != request.requester_id:
            raise Refused(f"Only the requester (<@{request.requester_id}>) can do that for {request.ref}; "
                          "nothing changed.")

    @staticmethod
    def _transition(request: Request, action: str) -> str:
        if request.status in TRANSITIONS[action].values() and request.status not in TRANSITIONS[action]:
            raise Refused(f"{request.ref} is already {request.status.replace('_', ' ')}; nothing changed.")
        try:
            return next_status(request.status, action).value
        except IllegalTransition as exc:
            raise Refused(f"{request.ref}: {exc}") from None

    def _mutation(self, action: str, actor: str, note: str | None, value: str | None, now: datetime,
                  extraction: Extraction | None) -> Mutation:
        """The field changes of ``action`` beyond its status transition."""
        def nothing(_s: Session, _r: Request) -> tuple[None, None]:
            return None, None

        def require(text: str | None, what: str) -> str:
            if not text or not text.strip():
                raise Refused(f"Please give {what}; nothing changed.")
            return text.strip()

        def ask(_s: Session, r: Request) -> tuple[None, None]:
            require(note, "the question")
            r.info_asked_at, r.info_nudged, r.complete_at_submit = now, False, False
            return None, None

        def answer(_s: Session, r: Request) -> tuple[None, None]:
            text = require(note, "an answer")
            assert extraction is not None
            self._merge_answer(r, text, extraction)
            r.info_channel = r.info_ts = None
            return None, None

        def assign(s: Session, r: Request) -> tuple[str | None, str]:
            designer = require(value, "a designer")
            member = Team(s).get(designer)
            if not (member and member.is_designer):
                raise Refused(f"<@{designer}> is not a designer in the roster (TEAM_FILE); nothing changed.")
            old = r.assignee_id
            r.assignee_id, r.assigned_at = designer, now
            return old, designer

        def priority(_s: Session, r: Request) -> tuple[str, str]:
            level = require(value, "a priority").lower()
            if level not in PRIORITIES:
                raise Refused(f"Priority must be one of {', '.join(PRIORITIES)}; nothing changed.")
            old, r.priority = r.priority, level
            return old, level

        def due(_s: Session, r: Request) -> tuple[str | None, str]:
            today = self.ops_today().date()
            day = parse_date(require(value, "a date"), today)
            if day is None:
                raise Refused(f"I couldn't read a date in “{value}”; nothing changed.")
            if day < today:
                raise Refused(f"{format_date(day)} is in the past; nothing changed.")
            old = r.due_date.isoformat() if r.due_date else None
            r.due_date = day
            return old, day.isoformat()

        def retype(_s: Session, r: Request) -> tuple[str, str]:
            kind = require(value, "a request type").lower().replace(" ", "_")
            if kind not in self.services.catalog.request_types:
                raise Refused(f"Unknown type; use one of {', '.join(self.services.catalog.type_names)}.")
            old, r.request_type, r.classified_by = r.request_type, kind, "ops"
            r.brief = {**r.brief, "request_type": kind}
            return old, kind

        def rechannel(_s: Session, r: Request) -> tuple[str, str]:
            names = self._channel_names(require(value, "channels"))
            unknown = [c for c in names if c not in self.services.catalog.channels]
            if unknown or not names:
                raise Refused(f"Unknown channel {', '.join(unknown) or '(none)'}; use "
                              f"{', '.join(self.services.catalog.channel_names)}.")
            old, r.channels, r.classified_by = ", ".join(r.channels), names, "ops"
            r.brief = {**r.brief, "channels": names}
            return old, ", ".join(names)

        def deliver(_s: Session, r: Request) -> tuple[None, str]:
            match = _URL.match(require(value, "the delivery link"))
            if not match:
                raise Refused("The delivery link must start with http:// or https://; nothing changed.")
            r.delivery_link, r.delivery_note, r.delivered_at = match.group(1), (note or "").strip() or None, now
            return None, r.delivery_link

        def request_changes(_s: Session, r: Request) -> tuple[None, None]:
            require(note, "what should change")
            r.revision_count += 1
            return None, None

        def accept(_s: Session, r: Request) -> tuple[None, None]:
            r.closed_at = now
            return None, None

        def block(_s: Session, r: Request) -> tuple[None, None]:
            require(note, "what is blocking you")
            return None, None

        def reject(_s: Session, r: Request) -> tuple[None, None]:
            require(note, "a reason")
            return None, None

        def comment(s: Session, r: Request) -> tuple[None, None]:
            assert r.id is not None
            Comments(s).add(Comment(request_id=r.id, author=actor, text=require(note, "a comment"), at=now))
            return None, None

        return {"ask": ask, "answer": answer, "assign": assign, "priority": priority, "due": due,
                "type": retype, "channels": rechannel, "deliver": deliver, "request_changes": request_changes,
                "accept": accept, "block": block, "reject": reject, "comment": comment}.get(action, nothing)

    def _channel_names(self, text: str) -> list[str]:
        """``social, paid ads`` or ``social email``: commas and "and" separate; spaces join or separate."""
        def name(part: str) -> str:
            return re.sub(r"\s+", "_", part.strip().lower())

        parts = [p for p in re.split(r"\s*(?:,|;|&|\band\b)\s*", text) if p.strip()]
        if len(parts) == 1 and name(parts[0]) not in self.services.catalog.channels:
            parts = parts[0].split()
        return list(dict.fromkeys(name(p) for p in parts))

    def _context(self, brief: Brief) -> AnalysisContext:
        return AnalysisContext(today=self.ops_today().date(), timezone=self.services.settings.timezone,
                               catalog=self.services.catalog, draft=brief)

    def _extract_answer(self, ref: str, text: str) -> Extraction | None:
        """The engine's reading of a requester's answer, made before the request is locked (no LLM under a lock)."""
        with self.services.db.session() as session:
            request = Requests(session).by_ref(ref)
        if request is None:
            return None
        return self.services.analyzer.extract(text, self._context(Brief.model_validate(request.brief)))

    def _merge_answer(self, request: Request, text: str, extraction: Extraction) -> None:
        """The requester's answer updates the brief; ops' routing (type, channels) stays as it is."""
        brief = Brief.model_validate(request.brief)
        catalog = self.services.catalog
        updated = apply(brief, extraction, catalog).model_copy(update={
            "request_type": brief.request_type, "channels": brief.channels, "title": brief.title,
            "notes": "\n".join(filter(None, [brief.notes, f"Answer to ops: {text}"]))})
        request.brief = updated.model_dump(mode="json")
        if updated.deadline and updated.deadline != request.deadline:
            request.deadline = request.due_date = updated.deadline
            request.rush = assess(updated, catalog, self.ops_today().date()).rush


class Triage:
    """Changes plus their Slack side effects."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.actions = Actions(services)
        self.directory = Directory(services.db)

    def perform(self, port: ChatPort, actor: str, ref: str, action: str, *, note: str | None = None,
                value: str | None = None) -> Change:
        """Apply a change (or raise Refused), then update the triage message and tell whoever it concerns."""
        change = self.actions.perform(actor, ref, action, note=note, value=value)
        if action != "comment":
            self.refresh(port, change.request)
            self._tell(port, change)
            previous = change.old if action == "assign" else None
            for user in {change.request.requester_id, change.request.assignee_id, previous} - {None}:
                self.publish_home(port, str(user))
        return change

    def publish_home(self, port: ChatPort, user: str) -> None:
        """Publish ``user``'s Home tab as it is now."""
        port.publish_home(user, home_view(self.services.db, user))

    def run_command(self, port: ChatPort, actor: str, request: Request, command: OpsCommand) -> str | None:
        """A thread command; returns a thread reply for ``status`` and ``help``."""
        if command.name == "help":
            return help_text()
        if command.name == "status":
            return self.status_text(request)
        simple = {"approve": ("approve", None, None), "reject": ("reject", command.argument, None),
                  "ask": ("ask", command.argument, None),
                  "assign": ("assign", None, command.mentioned_user() or command.argument),
                  "priority": ("priority", None, command.argument), "due": ("due", None, command.argument),
                  "type": ("type", None, command.argument), "channels": ("channels", None, command.argument)}
        action, note, value = simple[command.name]
        self.perform(port, actor, request.ref or "", action, note=note, value=value)
        return None

    def thread_reply(self, port: ChatPort, user: str, channel: str, thread_ts: str, text: str) -> None:
        """A reply under a triage message: a command (ops only), or a comment from ops."""
        with self.services.db.session() as session:
            request = Requests(session).by_triage_ts(channel, thread_ts)
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

    def pending_question(self, user: str, channel: str, thread_ts: str | None, has_draft: bool) -> Request | None:
        """The request a requester's DM answers: the question's thread, or the newest open one without a draft."""
        with self.services.db.session() as session:
            requests = Requests(session)
            if thread_ts:
                request = requests.by_info_message(channel, thread_ts)
                return request if request and request.status == "needs_info" else None
            waiting = requests.awaiting_answer(user)
            return waiting[0] if waiting and not has_draft else None

    def status_text(self, request: Request) -> str:
        """The current state in one message."""
        due = format_date(request.due_date) if request.due_date else "none"
        who = f"<@{request.assignee_id}>" if request.assignee_id else "unassigned"
        return (f"{request.ref} is *{request.status.replace('_', ' ')}* · priority {request.priority} · due {due}"
                f" · {who}" + (f" · revisions {request.revision_count}" if request.revision_count else ""))

    # -- the triage message --------------------------------------------------------------------------

    def view(self, request: Request) -> TriageView:
        """What the triage message shows besides the request: verdict, suggestion with load, history."""
        catalog = self.services.catalog
        with self.services.db.session() as session:
            designers = [m for m in Team(session).all() if m.is_designer]
            active = Requests(session).with_status(["assigned", "in_progress", "blocked", "revision_requested"])
            events = Audit(session).for_request(request.id) if request.id else []
        current = loads(designers, active, catalog)
        suggestion = suggest_assignee(request.request_type, designers, current, catalog)
        today = (request.submitted_at or request.created_at).date()
        history = [f"{_describe(e.action, e.old, e.new)} by <@{e.actor}> · {e.at:%d %b %H:%M} UTC"
                   for e in events if e.action != "status"]
        return TriageView(lead_time_days=catalog.lead_time(request.request_type),
                          assessment=assess(Brief.model_validate(request.brief), catalog, today),
                          suggested_assignee=suggestion.designer if suggestion else None,
                          suggested_load=suggestion.describe() if suggestion else None, history=history)

    def post_triage(self, port: ChatPort, request: Request) -> str | None:
        """Post a new request's triage summary to the ops channel; its ts, or None when it was queued."""
        channel = self.services.settings.ops_channel_id
        assert channel, "OPS_CHANNEL_ID is required to run the Slack app"
        ts = port.post(channel, f"New request {request.ref}: {request.title}",
                       triage_message(request, self.view(request)), target=(request.ref or "", "triage"))
        if ts:
            request.triage_channel, request.triage_ts = channel, ts
        return ts

    def refresh(self, port: ChatPort, request: Request) -> None:
        """Show the request's current state in its triage message (chat.update)."""
        if request.triage_channel and request.triage_ts:
            port.update(request.triage_channel, request.triage_ts, f"{request.ref}: {request.title} "
                        f"({request.status.replace('_', ' ')})", triage_message(request, self.view(request)))

    # -- telling people --------------------------------------------------------------------------------

    def _thread(self, port: ChatPort, request: Request, text: str) -> None:
        if request.triage_channel and request.triage_ts:
            port.post(request.triage_channel, text, thread_ts=request.triage_ts)

    def _dm(self, port: ChatPort, user: str, text: str, blocks: list | None = None,
            target: Target | None = None) -> None:
        port.post(port.open_dm(user), text, blocks, target=target)

    def _tell(self, port: ChatPort, change: Change) -> None:
        request, action, ref = change.request, change.action, change.request.ref
        title = f"{ref} “{request.title}”"
        requester = request.requester_id
        if action == "approve":
            self._dm(port, requester, f"{title} was approved by creative ops.")
        elif action == "reject":
            self._dm(port, requester, f"{title} was rejected by creative ops: {change.note}")
        elif action == "ask":
            self._dm(port, requester, f"Creative ops has a question about {title}:\n>{change.note}\n"
                     "Reply in this thread to answer.", target=(ref or "", "info"))
        elif action == "answer":
            self._thread(port, request, f"<@{requester}> answered:\n>{change.note}")
            self._dm(port, requester, f"Thanks — I've passed your answer on to creative ops ({ref}).")
        elif action == "assign":
            self._assignment(port, request)
            self._dm(port, requester, f"{title} is assigned to <@{request.assignee_id}>.")
        elif action in FIELD_CHANGES:
            self._dm(port, requester, f"Creative ops changed the {FIELD_CHANGES[action]} of {title}: "
                     f"{change.old or 'none'} → {change.new}.")
        elif action == "start":
            self._dm(port, requester, f"{title} is in progress with <@{request.assignee_id}>.")
            self._update_assignment(port, request)
        elif action == "block":
            self._thread(port, request, f"<@{change.actor}> is blocked on {ref}:\n>{change.note}")
            self._update_assignment(port, request)
        elif action == "deliver":
            self._dm(port, requester, f"{title} is delivered: {request.delivery_link}", delivery_message(request),
                     target=(ref or "", "delivery"))
            self._thread(port, request, f"<@{change.actor}> delivered {ref}: {request.delivery_link}")
            self._update_assignment(port, request)
        elif action == "request_changes":
            self._dm(port, request.assignee_id or requester, f"<@{requester}> asked for changes to {title} "
                     f"(revision {request.revision_count}):\n>{change.note}")
            self._thread(port, request, f"<@{requester}> asked for changes (revision {request.revision_count}).")
            self._update_assignment(port, request)
        elif action == "cancel":
            if request.assignee_id:
                self._dm(port, request.assignee_id, f"<@{requester}> cancelled {title}; no more work is needed.")
            self._thread(port, request, f"<@{requester}> cancelled {ref}.")
            self._dm(port, requester, f"{title} is cancelled.")
        elif action == "accept":
            if request.assignee_id:
                self._dm(port, request.assignee_id, f"<@{requester}> accepted {title}. It is closed — thank you!")
            self._thread(port, request, f"<@{requester}> accepted the delivery; {ref} is closed.")

    def _assignment(self, port: ChatPort, request: Request) -> None:
        assert request.assignee_id is not None
        link = None
        if request.triage_channel and request.triage_ts:
            link = port.permalink(request.triage_channel, request.triage_ts)
        self._dm(port, request.assignee_id, f"You have a new assignment: {request.ref} {request.title}",
                 assignment_message(request, link), target=(request.ref or "", "assignment"))

    def _update_assignment(self, port: ChatPort, request: Request) -> None:
        if request.assignment_channel and request.assignment_ts:
            port.update(request.assignment_channel, request.assignment_ts,
                        f"{request.ref} {request.title} ({request.status.replace('_', ' ')})",
                        assignment_message(request, None))


def _describe(action: str, old: str | None, new: str | None) -> str:
    if action in TRANSITIONS:
        return verb(action).capitalize()
    return f"{FIELD_CHANGES.get(action, action).capitalize()} {old or 'none'} → {new}"
