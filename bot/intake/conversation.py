"""The intake conversation (SPEC 2.1): one requester message in, one reply out. Slack-free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.analysis.analyzer import Analyzer
from bot.analysis.contract import AnalysisContext, Extraction
from bot.analysis.merge import apply, validated
from bot.briefs.assessment import assess
from bot.briefs.catalog import Catalog
from bot.briefs.duplicates import (
    CANDIDATES,
    TERM_POSTINGS,
    WINDOW_DAYS,
    Candidate,
    brief_words,
    find_duplicates,
    search_terms,
)
from bot.briefs.model import Brief
from bot.briefs.priority import suggest_priority
from bot.briefs.questions import next_question
from bot.briefs.summary import derive_title, understood
from bot.intake.answers import COMMANDS, HELP_TEXT, normal, pending_answer
from bot.intake.messages import Incoming, Reply, ReplyKind
from bot.platform.calendar import local_date
from bot.platform.clock import Clock
from bot.platform.text import format_date, human, words
from bot.requests.lifecycle import OPEN, Status, format_ref
from storage.models import Draft, Request
from storage.uow import UnitOfWork, UnitOfWorkFactory

DRAFT_EXPIRY = timedelta(days=7)


@dataclass
class _Turn:
    """Working state for one message."""

    u: UnitOfWork
    draft: Draft
    brief: Brief
    today: date
    msg: Incoming
    pending: dict[str, Any]


class Conversation:
    """Builds briefs from messages, stores drafts, submits requests."""

    def __init__(self, uow: UnitOfWorkFactory, analyzer: Analyzer, catalog: Catalog, clock: Clock) -> None:
        self.uow = uow
        self.analyzer = analyzer
        self.catalog = catalog
        self.clock = clock

    def today(self, timezone: str) -> date:
        """The requester's local date."""
        return local_date(self.clock.now(), timezone)

    def handle(self, msg: Incoming) -> Reply:
        """Answer one message: a command, an answer to a pending question, or brief content.

        The analysis (an LLM call, perhaps) runs before the draft is locked, so no transaction waits on it.
        """
        now = self.clock.now()
        command = COMMANDS.get(normal(msg.text))
        extraction = self._extract_unlocked(msg, command, now)
        with self.uow() as u:
            draft = u.drafts.get(msg.requester_id, msg.conversation_id, lock=True)
            notice = None
            if draft is not None and now - draft.updated_at > DRAFT_EXPIRY:
                u.drafts.delete(draft)
                draft, notice = (
                    None,
                    "Your previous draft expired after 7 days without messages, so this starts a new one.",
                )
            reply = self._dispatch(u, draft, msg, command, now, extraction)
            reply.notice = reply.notice or notice
            return reply

    def _extract_unlocked(self, msg: Incoming, command: str | None, now: datetime) -> Extraction | None:
        """The engine's extraction for a message that carries brief content; None for commands and answers."""
        if command in ("help", "status", "cancel", "start over", "submit") or not msg.text.strip():
            return None
        with self.uow.read() as u:
            draft = u.drafts.get(msg.requester_id, msg.conversation_id)
        if draft is not None and now - draft.updated_at > DRAFT_EXPIRY:
            draft = None
        if draft is not None and (
            pending_answer(draft.pending, normal(msg.text)) or (command == "yes" and draft.asked_complete)
        ):
            return None
        brief = Brief.model_validate(draft.brief) if draft else Brief()
        ctx = AnalysisContext(
            today=self.today(msg.timezone),
            timezone=msg.timezone,
            catalog=self.catalog,
            draft=brief,
            expecting=draft.expecting if draft else None,
        )
        return self.analyzer.extract(msg.text, ctx)

    def submit(self, requester_id: str, conversation_id: str, timezone: str = "UTC") -> Reply:
        """Submit the conversation's draft (the Submit button, or typed `submit`)."""
        return self.handle(Incoming(requester_id, conversation_id, "submit", timezone))

    def replace_draft(self, requester_id: str, conversation_id: str, brief: Brief, timezone: str = "UTC") -> Reply:
        """Store a brief edited in a form as the draft, and say what comes next."""
        now = self.clock.now()
        brief = validated(brief, self.catalog)
        brief = brief.model_copy(update={"title": derive_title(brief)})
        with self.uow() as u:
            draft = u.drafts.get(requester_id, conversation_id, lock=True) or self._new_draft(
                requester_id, conversation_id, now
            )
            before = Brief.model_validate(draft.brief)
            if (brief.request_type, brief.channels) != (before.request_type, before.channels):
                draft.engine = "form"
            turn = _Turn(
                u,
                draft,
                brief,
                self.today(timezone),
                Incoming(requester_id, conversation_id, "", timezone),
                dict(draft.pending),
            )
            return self._next(turn, now)

    def draft_brief(self, requester_id: str, conversation_id: str) -> Brief | None:
        """The current draft of a conversation, for the Edit form."""
        with self.uow.read() as u:
            draft = u.drafts.get(requester_id, conversation_id)
            return Brief.model_validate(draft.brief) if draft else None

    def expire_drafts(self) -> list[Draft]:
        """Remove drafts silent for 7 days and return them, so each requester is told once."""
        with self.uow() as u:
            expired = list(u.drafts.silent_since(self.clock.now() - DRAFT_EXPIRY))
            for draft in expired:
                u.drafts.delete(draft)
            return expired

    # -- steps -----------------------------------------------------------------------------------

    def _dispatch(
        self,
        u: UnitOfWork,
        draft: Draft | None,
        msg: Incoming,
        command: str | None,
        now: datetime,
        extraction: Extraction | None,
    ) -> Reply:
        if command == "help":
            return Reply(ReplyKind.HELP, HELP_TEXT)
        if command == "status":
            return self._status(u, msg.requester_id)
        if command in ("cancel", "start over"):
            if draft is not None:
                u.drafts.delete(draft)
            text = "Cancelled — the draft is gone." if command == "cancel" else "Starting over. What do you need?"
            return Reply(ReplyKind.CANCELLED, text if draft or command != "cancel" else "There is no draft to cancel.")
        if draft is None:
            if command == "submit":
                return Reply(ReplyKind.HELP, "There is no draft to submit yet. " + HELP_TEXT)
            draft = self._new_draft(msg.requester_id, msg.conversation_id, now)
        turn = _Turn(u, draft, Brief.model_validate(draft.brief), self.today(msg.timezone), msg, dict(draft.pending))
        pending_reply = self._answer_pending(turn, now)
        if pending_reply is not None:
            return pending_reply
        if command == "submit" or (command == "yes" and draft.asked_complete):
            return self._submit(turn, now)
        return self._analyze(turn, now, extraction)

    def _new_draft(self, requester_id: str, conversation_id: str, now: datetime) -> Draft:
        return Draft(
            requester_id=requester_id,
            conversation_id=conversation_id,
            brief={},
            pending={},
            created_at=now,
            updated_at=now,
        )

    def _status(self, u: UnitOfWork, requester_id: str) -> Reply:
        open_requests = list(u.requests.for_requester(requester_id, sorted(OPEN)))
        if not open_requests:
            return Reply(ReplyKind.STATUS, "You have no open requests.")
        lines = [f"• {r.ref} {words(r.title)} — {human(r.status)}" for r in open_requests]
        return Reply(ReplyKind.STATUS, "Your open requests:\n" + "\n".join(lines))

    def _answer_pending(self, turn: _Turn, now: datetime) -> Reply | None:
        """Resolve a duplicate or rush question when the message answers it; None to analyse normally."""
        answer = pending_answer(turn.pending, normal(turn.msg.text))
        if answer == "new_work":
            turn.pending.pop("duplicate_question")
        elif answer == "duplicate":
            turn.u.drafts.delete(turn.draft)
            refs = ", ".join(turn.pending.get("duplicates", []))
            return Reply(ReplyKind.CANCELLED, f"OK — I dropped this draft; follow {refs} instead (`status` shows it).")
        elif answer == "keep":
            turn.pending.pop("rush_question")
            turn.pending["rush_ok_for"] = turn.brief.deadline.isoformat() if turn.brief.deadline else None
        elif answer == "move":
            earliest = assess(turn.brief, self.catalog, turn.today).earliest_standard_date
            turn.pending.pop("rush_question")
            turn.brief = turn.brief.model_copy(update={"deadline": earliest})
        return self._next(turn, now) if answer else None

    def _analyze(self, turn: _Turn, now: datetime, extraction: Extraction | None) -> Reply:
        if not turn.msg.text.strip() and not turn.msg.files:
            return Reply(ReplyKind.QUESTION, "Tell me what you need — " + HELP_TEXT.split(" — ", 1)[1].split("\n")[0])
        engine = fallback = None
        if turn.msg.text.strip():
            if extraction is None:  # the draft changed under a concurrent message: analyse against this one
                ctx = AnalysisContext(
                    today=turn.today,
                    timezone=turn.msg.timezone,
                    catalog=self.catalog,
                    draft=turn.brief,
                    expecting=turn.draft.expecting,
                )
                extraction = self.analyzer.extract(turn.msg.text, ctx)
            before = turn.brief
            turn.brief = apply(turn.brief, extraction, self.catalog)
            engine, fallback = extraction.usage.engine, extraction.fallback_reason
            if (turn.brief.request_type, turn.brief.channels) != (before.request_type, before.channels):
                turn.draft.engine = engine
        if turn.msg.files:
            turn.brief = turn.brief.model_copy(
                update={"assets": list(dict.fromkeys([*turn.brief.assets, *turn.msg.files]))}
            )
        reply = self._next(turn, now)
        reply.engine, reply.fallback_reason = engine, fallback
        return reply

    def _next(self, turn: _Turn, now: datetime) -> Reply:
        """Store the draft and ask the most important open question, or show the brief to confirm."""
        reply = self._decide(turn)
        turn.draft.brief = turn.brief.model_dump(mode="json")
        turn.draft.pending = turn.pending
        turn.draft.asked_complete = reply.kind is ReplyKind.CONFIRM
        turn.draft.updated_at = now
        turn.u.drafts.save(turn.draft)
        return reply

    def _decide(self, turn: _Turn) -> Reply:
        brief, pending = turn.brief, turn.pending
        summary = understood(brief)
        prefix = f"Got it: {summary}.\n" if summary else ""
        if brief.deadline and brief.deadline < turn.today:
            turn.brief = brief.without("deadline")
            turn.draft.expecting = "deadline"
            return Reply(ReplyKind.QUESTION, f"{format_date(brief.deadline)} is in the past. When do you need it by?")
        if brief.request_type and not pending.get("duplicate_checked") and brief.objective:
            pending["duplicate_checked"] = True
            duplicates = self._duplicates(turn)
            if duplicates:
                pending["duplicates"] = [d.ref for d in duplicates]
                pending["duplicate_question"] = True
                listed = "\n".join(f"• {d.ref} “{words(d.title)}” — {human(d.status)}" for d in duplicates)
                turn.draft.expecting = None
                return Reply(
                    ReplyKind.QUESTION,
                    f"{prefix}This looks similar to:\n{listed}\n"
                    "Is this new work? Reply `yes` for a new request or `no` to drop this draft.",
                )
        if pending.get("duplicate_question"):
            refs = ", ".join(pending.get("duplicates", []))
            return Reply(
                ReplyKind.QUESTION,
                f"{prefix}Before we go on: is this new work, or the same as {refs}? "
                "Reply `yes` (new) or `no` (drop this draft).",
            )
        verdict = assess(brief, self.catalog, turn.today)
        if verdict.rush and brief.deadline and pending.get("rush_ok_for") != brief.deadline.isoformat():
            pending["rush_question"] = True
            turn.draft.expecting = None
            earliest = verdict.earliest_standard_date
            assert earliest is not None
            kind = human(brief.request_type or "other")
            return Reply(
                ReplyKind.QUESTION,
                f"{prefix}{format_date(brief.deadline)} is sooner than the standard "
                f"lead time for {kind} ({verdict.lead_time_days} business days); the earliest standard "
                f"date is {format_date(earliest)}. Reply `keep` to keep your date as a rush, or `move` "
                f"to use {format_date(earliest)}.",
                assessment=verdict,
            )
        pending.pop("rush_question", None)
        if verdict.missing_fields:
            field_name, question = next_question(verdict.missing_fields, self.catalog)
            turn.draft.expecting = field_name
            return Reply(ReplyKind.QUESTION, prefix + question, assessment=verdict)
        turn.draft.expecting = None
        rush = " (rush)" if verdict.rush else ""
        return Reply(
            ReplyKind.CONFIRM,
            f"Here is your brief{rush}. Reply `submit` (or `yes`) to send it to "
            "creative ops, or tell me what to change.",
            brief=brief,
            assessment=verdict,
        )

    def _duplicates(self, turn: _Turn) -> list[Candidate]:
        """Similar requests of the window: the few sharing the most terms are read (an index lookup), then scored."""
        if not turn.brief.request_type:
            return []
        since = self.clock.now() - timedelta(days=WINDOW_DAYS)
        terms, kind = search_terms(turn.brief), turn.brief.request_type
        found = turn.u.requests.sharing_terms(terms, kind, since, CANDIDATES, TERM_POSTINGS)
        candidates = [
            Candidate(r.ref, r.title, r.status, r.request_type, brief_words(Brief.model_validate(r.brief)))
            for r in found
        ]
        return find_duplicates(turn.brief, candidates)

    def _submit(self, turn: _Turn, now: datetime) -> Reply:
        verdict = assess(turn.brief, self.catalog, turn.today)
        if not verdict.complete:
            reply = self._next(turn, now)
            reply.text = "The brief isn't complete yet. " + reply.text
            return reply
        brief = turn.brief
        assert brief.request_type is not None
        request = Request(
            status=Status.SUBMITTED,
            requester_id=turn.msg.requester_id,
            conversation_id=turn.msg.conversation_id,
            title=brief.title or brief.request_type,
            request_type=brief.request_type,
            channels=brief.channels,
            brief=brief.model_dump(mode="json"),
            deadline=brief.deadline,
            rush=verdict.rush,
            priority=suggest_priority(brief.deadline, turn.today, verdict.rush),
            due_date=brief.deadline,
            classified_by=turn.draft.engine,
            proposed_type=brief.request_type,
            proposed_channels=brief.channels,
            duplicate_refs=turn.pending.get("duplicates", []),
            complete_at_submit=True,
            created_at=turn.draft.created_at,  # when the requester started it
            updated_at=now,
            submitted_at=now,
        )
        turn.u.requests.add(request, format_ref)
        turn.u.requests.index_terms(request, search_terms(brief))
        assert request.id is not None
        turn.u.audit.record(request.id, turn.msg.requester_id, "status", now, old="draft", new=Status.SUBMITTED)
        turn.u.drafts.delete(turn.draft)
        return Reply(
            ReplyKind.SUBMITTED,
            f"Submitted as {request.ref}: {words(request.title)}. "
            "Creative ops will triage it; I'll keep you posted here.",
            brief=brief,
            request=request,
            assessment=verdict,
        )
