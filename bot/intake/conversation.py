"""The intake conversation (SPEC 2.1): one requester message in, one reply out. Slack-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from bot.analysis.analyzer import Analyzer
from bot.analysis.contract import AnalysisContext, Extraction
from bot.analysis.date_words import fold
from bot.analysis.dates import DeadlineNote, vague_deadline, weekend_note
from bot.analysis.merge import validated
from bot.analysis.non_answers import NonAnswer, non_answer
from bot.analysis.rules.classify import usual_channels
from bot.analysis.rules.corrections import ADDITIVE
from bot.analysis.rules.deliverables import OWN_FIELDS, deliverables, own_fields, pieces
from bot.briefs.assessment import TO_BE_AGREED, assess
from bot.briefs.catalog import Catalog
from bot.briefs.duplicates import (
    CANDIDATES,
    TERM_POSTINGS,
    WINDOW_DAYS,
    Candidate,
    find_duplicates,
    search_terms,
)
from bot.briefs.model import LIST_FIELDS, Brief, field_said, field_word
from bot.briefs.priority import suggest_priority
from bot.briefs.questions import next_question
from bot.briefs.summary import deliverable, format_value, kind_words, titled, understood
from bot.delivery.cards import Action
from bot.intake import asked
from bot.intake.answers import Choice, agrees, choice, command, help_text
from bot.intake.linked import Group, changed_shared, listing, route, with_shared
from bot.intake.messages import Incoming, Reply, ReplyKind
from bot.intake.policy import changes, labelled_edit, merge, new_fields
from bot.platform.calendar import local_date
from bot.platform.clock import Clock
from bot.platform.i18n import N_, current, speaking, t
from bot.platform.language import detect
from bot.platform.text import format_date, human, words
from bot.requests.lifecycle import OPEN, Status, format_ref, status_words
from storage.models import Draft, Request
from storage.uow import UnitOfWork, UnitOfWorkFactory

DRAFT_EXPIRY = timedelta(days=7)
DESIGNERS_CHOICE = N_("designer's choice")
#: A field is asked at most this many times in a row (then reworded); an answer still not understood after that
#: leaves it open for ops.
ASKED_AT_MOST = 2
#: Requests that are no work of anyone's: never named as a possible duplicate (a closed one is: it was done).
_DROPPED = frozenset({Status.CANCELLED, Status.REJECTED})
_CHOICE_BUTTONS = {
    "rush_question": [Action.KEEP_RUSH, Action.MOVE_EARLIEST],
    "duplicate_question": [Action.NEW_WORK, Action.SAME_REQUEST],
}


def _a(kind: str | None) -> str:
    """A type in a sentence: "a video", "an email", "this kind of work"."""
    if not kind or kind == "other":
        return t("this kind of work")
    words_ = kind_words(kind)
    return t("an {kind}", kind=words_) if human(kind)[0] in "aeiou" else t("a {kind}", kind=words_)


class ReadAhead(NamedTuple):
    """The conversation's draft as read before the message is handled (by the read that looked for an ops
    question), so that handling it reads nothing twice."""

    draft: Draft | None


@dataclass
class _Turn:
    """Working state for one message."""

    u: UnitOfWork
    draft: Draft
    brief: Brief
    today: date
    msg: Incoming
    pending: dict[str, Any]
    #: What this message changed or added, said before the next question.
    said: list[str] = field(default_factory=list)


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

    def handle(self, msg: Incoming, ahead: ReadAhead | None = None) -> Reply:
        """Answer one message: a command, an answer to a pending question, or brief content.

        The analysis (an LLM call, perhaps) runs before the draft is locked, so no transaction waits on it; it
        reads the draft as ``ahead`` read it (with the caller's other reads), or reads it itself.
        """
        now = self.clock.now()
        said = None if msg.choice or msg.source else command(msg.text)  # captured text is content, not a command
        extraction = self._extract_unlocked(msg, said, now, ahead)
        with self.uow() as u:
            draft = u.drafts.get(msg.requester_id, msg.conversation_id, lock=True)
            notice = None
            if draft is not None and now - draft.updated_at > DRAFT_EXPIRY:
                u.drafts.delete(draft)
                draft, notice = (
                    None,
                    N_("Your previous draft expired after 7 days without messages, so this starts a new one."),
                )
            with speaking(self._language(msg, draft)):
                reply = self._dispatch(u, draft, msg, said, now, extraction)
                reply.notice = reply.notice or (t(notice) if notice else None)
                reply.language = current()
            return reply

    def _language(self, msg: Incoming, draft: Draft | None) -> str:
        """The requester's language: their chat locale, else the draft's (read from its first message)."""
        return msg.language or (draft.pending.get("lang") if draft else None) or detect(msg.text)

    def _extract_unlocked(
        self, msg: Incoming, said: str | None, now: datetime, ahead: ReadAhead | None
    ) -> Extraction | None:
        """The engine's extraction for a message that carries brief content; None for everything else."""
        if said in ("help", "status", "cancel", "start over", "submit") or msg.choice or not msg.text.strip():
            return None
        if ahead is None:
            with self.uow.read() as u:
                ahead = ReadAhead(u.drafts.get(msg.requester_id, msg.conversation_id))
        draft = ahead.draft
        if draft is not None and now - draft.updated_at > DRAFT_EXPIRY:
            draft = None
        brief = Brief.model_validate(draft.brief) if draft else Brief()
        today = self.today(msg.timezone)
        if msg.source is None and self._without_engine(draft, brief, msg.text, said, today):
            return None
        return self._extract(msg, brief, draft.expecting if draft else None, today)

    def _extract(self, msg: Incoming, brief: Brief, expecting: str | None, today: date) -> Extraction:
        """The engine's reading of a message; "type: print" is read as the answer to that field."""
        text = msg.text
        edit = labelled_edit(text)
        if edit is not None:
            expecting, text = edit
        ctx = AnalysisContext(
            today=today, timezone=msg.timezone, catalog=self.catalog, draft=brief, expecting=expecting
        )
        return self.analyzer.extract(text, ctx)

    def _without_engine(self, draft: Draft | None, brief: Brief, text: str, said: str | None, today: date) -> bool:
        """Whether the message is read without an engine: a choice, a yes, a question to the bot, a non-answer."""
        if asked.answer(text, brief, self.catalog, today):
            return True
        if draft is None:
            return False
        if choice(draft.pending, text) or (said == "yes" and draft.asked_complete):
            return True
        if draft.pending.get("suggested_deadline") and agrees(text) is not None:
            return True
        return bool(draft.expecting and non_answer(text))

    def submit(
        self, requester_id: str, conversation_id: str, timezone: str = "UTC", language: str | None = None
    ) -> Reply:
        """Submit the conversation's draft (the Submit button, or typed `submit`)."""
        return self.handle(Incoming(requester_id, conversation_id, "submit", timezone, language=language))

    def replace_draft(
        self,
        requester_id: str,
        conversation_id: str,
        brief: Brief,
        timezone: str = "UTC",
        language: str | None = None,
    ) -> Reply:
        """Store a brief edited in a form as the draft, and say what comes next."""
        now = self.clock.now()
        brief = validated(brief, self.catalog)
        brief = titled(brief)
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
                Incoming(requester_id, conversation_id, "", timezone, language=language),
                dict(draft.pending),
            )
            with speaking(self._language(turn.msg, draft)):
                reply = self._next(turn, now)
                reply.language = current()
            return reply

    def live_draft(self, requester_id: str, conversation_id: str) -> Draft | None:
        """The conversation's draft unless it has expired."""
        with self.uow.read() as u:
            draft = u.drafts.get(requester_id, conversation_id)
        return draft if draft is not None and self.clock.now() - draft.updated_at <= DRAFT_EXPIRY else None

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
        said: str | None,
        now: datetime,
        extraction: Extraction | None,
    ) -> Reply:
        if said == "help":
            return Reply(ReplyKind.HELP, help_text())
        if said == "status":
            return self._status(u, msg.requester_id)
        if said in ("cancel", "start over"):
            if draft is not None:
                u.drafts.delete(draft)
            text = t("Cancelled — the draft is gone.") if said == "cancel" else t("Starting over. What do you need?")
            return Reply(ReplyKind.CANCELLED, text if draft or said != "cancel" else t("There is no draft to cancel."))
        today = self.today(msg.timezone)
        if draft is None:
            if said == "submit":
                return Reply(ReplyKind.HELP, t("There is no draft to submit yet.") + " " + help_text())
            answer = asked.answer(msg.text, Brief(), self.catalog, today) if msg.source is None else None
            if answer:
                return Reply(ReplyKind.HELP, answer + "\n" + t("Tell me what you need and I'll start a brief."))
            draft = self._new_draft(msg.requester_id, msg.conversation_id, now)
            if msg.source is not None:
                draft.pending = {"source": msg.source.key}
        turn = _Turn(u, draft, Brief.model_validate(draft.brief), today, msg, dict(draft.pending))
        steps = () if msg.source else (self._choice, self._suggestion, self._question_back, self._non_answer)
        for step in steps:
            reply = step(turn, now)
            if reply is not None:
                return reply
        if said == "submit" or (said == "yes" and draft.asked_complete):
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
            return Reply(ReplyKind.STATUS, t("You have no open requests."))
        lines = [f"• {r.ref} {words(r.title)} — {status_words(r.status)}" for r in open_requests]
        return Reply(ReplyKind.STATUS, t("Your open requests:") + "\n" + "\n".join(lines))

    def _set_deadline(self, turn: _Turn, day: date) -> None:
        before = turn.brief
        turn.brief = titled(turn.brief.model_copy(update={"deadline": day}))
        turn.said += changes(before, turn.brief) or [t("Deadline set to {day}.", day=format_date(day))]

    def _choice(self, turn: _Turn, now: datetime) -> Reply | None:
        """The open duplicate or rush question answered, by a button or in words."""
        picked = turn.msg.choice or choice(turn.pending, turn.msg.text)
        if picked is None:
            return None
        if picked in (Choice.NEW_WORK, Choice.DUPLICATE) and turn.pending.pop("duplicate_question", None):
            if picked == Choice.DUPLICATE:
                turn.u.drafts.delete(turn.draft)
                refs = ", ".join(turn.pending.get("duplicates", []))
                return Reply(
                    ReplyKind.CANCELLED,
                    t("OK — I dropped this draft; follow {refs} instead (`status` shows it).", refs=refs),
                )
            turn.said.append(t("OK — a new request."))
        elif picked in (Choice.KEEP, Choice.MOVE) and turn.pending.pop("rush_question", None):
            if picked == Choice.KEEP:
                turn.pending["rush_ok_for"] = turn.brief.deadline.isoformat() if turn.brief.deadline else None
                if turn.brief.deadline:
                    turn.said.append(t("Keeping {day} as a rush.", day=format_date(turn.brief.deadline)))
            else:
                earliest = assess(turn.brief, self.catalog, turn.today).earliest_standard_date
                if earliest is not None:
                    self._set_deadline(turn, earliest)
        else:
            turn.said.append(t("That question is no longer open."))
        return self._next(turn, now)

    def _suggestion(self, turn: _Turn, now: datetime) -> Reply | None:
        """A yes or no to the day the bot offered for a vague or weekend deadline."""
        offered = turn.pending.get("suggested_deadline")
        if not isinstance(offered, str):
            return None
        yes = agrees(turn.msg.text)
        note = vague_deadline(turn.msg.text, turn.today) if yes is None else None
        yes = True if note is not None and note.kind == "asap" else yes  # "the earliest is fine": the day offered
        if yes is None:
            return None
        turn.pending.pop("suggested_deadline")
        if yes:
            self._set_deadline(turn, date.fromisoformat(offered))
        elif not turn.brief.deadline:
            turn.said.append(t("OK — which day then?"))
        return self._next(turn, now)

    def _question_back(self, turn: _Turn, now: datetime) -> Reply | None:
        """A question to the bot, answered before the conversation goes on."""
        answer = asked.answer(turn.msg.text, turn.brief, self.catalog, turn.today)
        if answer is None:
            return None
        turn.said.append(answer)
        turn.pending.pop("asked", None)  # what follows is the conversation's question again, not a repeat
        return self._next(turn, now)

    def _non_answer(self, turn: _Turn, now: datetime) -> Reply | None:
        """ "Not sure", "you decide", "n/a" for the field asked for (SPEC 2.1): recorded or asked once more."""
        field_name, kind = turn.draft.expecting, non_answer(turn.msg.text)
        if not field_name or kind is None:
            return None
        unsure: dict[str, int] = turn.pending.setdefault("unsure", {})
        times = unsure[field_name] = unsure.get(field_name, 0) + 1
        if field_name in ("objective", "audience") and times == 1:
            turn.said.append(t("No problem — even a rough idea helps."))
        elif field_name == "deadline" and times > 1 and turn.pending.get("suggested_deadline"):
            self._set_deadline(turn, date.fromisoformat(turn.pending.pop("suggested_deadline")))
        elif field_name == "deadline":
            self._offer_deadline(turn, DeadlineNote(kind="flexible"))
        elif field_name == "copy" and kind is NonAnswer.NONE:
            self._record_open(turn, field_name, N_("copy needed"))
        else:
            self._leave_open(turn, field_name)
        return self._next(turn, now)

    def _leave_open(self, turn: _Turn, field_name: str) -> None:
        """Record a field left to others: what "you decide" stands for (an objective or audience to be agreed, the
        type "other", the type's usual channels, else the designer's choice). Also a field asked twice and still
        not understood, so that no requester loops on it."""
        value: Any
        if field_name in ("objective", "audience"):
            value = TO_BE_AGREED
        elif field_name == "request_type":
            value = "other"
        elif field_name == "channels":
            value = usual_channels(turn.brief.request_type or "other")
        else:
            value = [DESIGNERS_CHOICE] if field_name in LIST_FIELDS else DESIGNERS_CHOICE
        self._record_open(turn, field_name, value)

    def _record_open(self, turn: _Turn, field_name: str, value: Any) -> None:
        """Store the value a non-answer stands for, and say so."""
        label = field_word(field_name)
        turn.brief = titled(turn.brief.model_copy(update={"copy_text" if field_name == "copy" else field_name: value}))
        shown = t(format_value(field_name, value))  # a value the bot recorded reads in the requester's words
        noted = (
            N_("Noted: {label} {value} — creative ops will see it as still open.")
            if value == TO_BE_AGREED
            else N_("Noted: {label} {value} (where this kind of work usually runs — tell me if it's somewhere else).")
            if field_name == "channels"
            else None
        )
        turn.said.append(
            t(noted, label=label, value=shown) if noted else t("Noted: {fields}.", fields=field_said(field_name, shown))
        )

    def _offer_deadline(self, turn: _Turn, note: DeadlineNote) -> None:
        """Offer a day for a deadline said as no day: the earliest standard date, the period's, the Friday."""
        earliest = assess(turn.brief, self.catalog, turn.today).earliest_standard_date
        day = note.suggestion if note.kind in ("period", "weekend") else earliest
        if day is None:
            return
        turn.pending["suggested_deadline"] = day.isoformat()
        said = f"“{note.said}”" if note.said else t("No fixed date")
        if note.kind == "weekend" and turn.brief.deadline:
            text = t(
                "{day} is a weekend day: shall I make it {other}?",
                day=format_date(turn.brief.deadline),
                other=format_date(day),
            )
        elif note.kind == "period":
            text = t("{said} — which day exactly? I'd suggest {day}: shall I use it?", said=said, day=format_date(day))
        else:
            kind = _a(turn.brief.request_type)
            text = t(
                "{said}: the earliest standard date for {kind} is {day} — shall I use it?",
                said=said,
                kind=kind,
                day=format_date(day),
            )
        turn.pending["suggestion_text"] = text + " " + t("Reply `yes`, or tell me the day.")

    def _analyze(self, turn: _Turn, now: datetime, extraction: Extraction | None) -> Reply:
        if not turn.msg.text.strip() and not turn.msg.files and turn.msg.source is None:
            example = help_text().split(" — ", 1)[1].split("\n")[0]
            return Reply(ReplyKind.QUESTION, t("Tell me what you need — {example}", example=example))
        engine = fallback = None
        before = turn.brief
        if turn.msg.text.strip():
            if extraction is None:  # the draft changed under a concurrent message: analyse against this one
                extraction = self._extract(turn.msg, turn.brief, turn.draft.expecting, turn.today)
            added = self._added_deliverables(turn)
            group = Group.of(turn.pending)
            routes = route(pieces(turn.msg.text), group.members, group.focus) if group and not added else {}
            said_channels = extraction.update.channels  # of the whole ask: where a deliverable names none
            if added or routes:  # the message's own fields belong to the deliverables it names
                own = extraction.update.without(*OWN_FIELDS)
                extraction = extraction.model_copy(update={"update": own})
            merged = merge(turn.brief, extraction, turn.msg.text, self.catalog)
            turn.brief, turn.said = merged.brief, [*turn.said, *merged.changes]
            if added:
                self._link(
                    turn, before, [b if b.channels else b.model_copy(update={"channels": said_channels}) for b in added]
                )
            if group and routes:
                self._route(turn, group, routes)
            elif group:
                self._answer_all(turn, group, before)
            engine, fallback = extraction.usage.engine, extraction.fallback_reason
            if (turn.brief.request_type, turn.brief.channels) != (before.request_type, before.channels):
                turn.draft.engine = engine
            self._deadline_words(turn, before, extraction)
        source = turn.msg.source
        files = [*turn.msg.files, *([source.permalink] if source and source.permalink else [])]
        if files:
            turn.brief = turn.brief.model_copy(update={"assets": list(dict.fromkeys([*turn.brief.assets, *files]))})
        if source is not None:
            notes = "\n".join(filter(None, [turn.brief.notes, source.note]))
            turn.brief = turn.brief.model_copy(update={"notes": notes})
        if not turn.pending.pop("linked_now", False):
            turn.said += self._noted(before, turn.brief)
        reply = self._next(turn, now)
        reply.engine, reply.fallback_reason = engine, fallback
        return reply

    def _deadline_words(self, turn: _Turn, before: Brief, extraction: Extraction) -> None:
        """A deadline said as no working day ("asap", "Q2", a Saturday) gets a day offered."""
        if turn.brief.deadline and turn.brief.deadline != before.deadline:
            turn.pending.pop("suggested_deadline", None)
            note = weekend_note(turn.brief.deadline)
        elif not turn.brief.deadline:
            note = extraction.deadline_note or vague_deadline(turn.msg.text, turn.today)
        else:
            note = None
        if note is not None:
            self._offer_deadline(turn, note)

    def _context(self, turn: _Turn) -> AnalysisContext:
        """What the deliverables splitter reads a message with: the requester's day and the catalog."""
        return AnalysisContext(today=turn.today, timezone=turn.msg.timezone, catalog=self.catalog)

    def _added_deliverables(self, turn: _Turn) -> list[Brief]:
        """Deliverables of other types than the draft's that the message names (SPEC 2.7): two or more in one
        ask, or one more added ("also a 15s video")."""
        group = Group.of(turn.pending)
        have = {b.request_type for b in (group.members if group else [turn.brief]) if b.request_type}
        ctx = self._context(turn)
        least = 1 if have and ADDITIVE.search(fold(turn.msg.text)) else 2
        found = [b for b in deliverables(turn.msg.text, ctx, least) if b.request_type not in have]
        return found if found and (have or len(found) >= 2) else []

    def _answer_all(self, turn: _Turn, group: Group, before: Brief) -> None:
        """A bare answer to a question asked for several linked briefs ("9:16") is each one's answer."""
        asked_all = turn.pending.get("asked_all") or {}
        name = asked_all.get("field")
        if not name or before.has(name) or not turn.brief.has(name):
            return
        for i in asked_all.get("members", []):
            if i < len(group.members) and not group.members[i].has(name):
                data = {**group.members[i].model_dump(mode="json"), name: turn.brief.model_dump(mode="json")[name]}
                group.members[i] = titled(Brief.model_validate(data))
        group.store(turn.pending, turn.brief)

    def _route(self, turn: _Turn, group: Group, routes: dict[int, list[str]]) -> None:
        """Give each linked brief the fields the message states for it; the others are acknowledged here."""
        ctx = self._context(turn)
        for i, said in routes.items():
            own = own_fields(", ".join(said), ctx)
            if i == group.focus:
                turn.brief = titled(turn.brief.merged(own))
                continue
            group.members[i] = titled(group.members[i].merged(own))
            if own.known():
                values = "; ".join(field_said(n, words(format_value(n, own.get(n)))) for n in own.known())
                work = deliverable(group.members[i], capital=False)
                turn.said.append(t("Noted for the {work}: {values}.", work=work, values=values))
        group.store(turn.pending, turn.brief)

    def _link(self, turn: _Turn, before: Brief, added: list[Brief]) -> None:
        """Start or extend the draft's group of linked briefs; the first deliverable named stays in focus."""
        group = Group.of(turn.pending) or Group([turn.brief] if turn.brief.request_type else [])
        new = [with_shared(b, turn.brief) for b in added]
        if not group.members:
            turn.brief = new[0]
        group.members += new
        group.store(turn.pending, turn.brief)
        turn.pending["linked_now"] = True
        if before.request_type:
            turn.said.append(
                t(
                    "Added a linked request for the {work} — one brief each, and one Submit sends them all.",
                    work=listing(new),
                )
            )
        else:
            turn.said.append(
                t(
                    "Got it: {work} — I'll make them linked requests, one brief each, and one Submit sends them all.",
                    work=listing(group.members),
                )
            )

    def _noted(self, before: Brief, after: Brief) -> list[str]:
        """What the message gave for the first time: the whole summary on the first message, else the new fields."""
        if not before.known():
            summary = understood(after)
            return [t("Got it: {summary}.", summary=summary)] if summary else []
        added = [n for n in new_fields(before, after) if n not in ("notes", "campaign", "budget", "approver")]
        if not added:
            return []
        parts = [field_said(n, words(t(format_value(n, after.get(n))))) for n in added]  # "copy needed" translated
        return [t("Noted: {fields}.", fields="; ".join(parts))]

    def _next(self, turn: _Turn, now: datetime) -> Reply:
        """Store the draft and ask the most important open question, or show the brief to confirm; a shared
        field changed this turn (by an answer, a "not sure", a day accepted) is changed on every linked brief."""
        if (group := Group.of(turn.pending)) is not None:
            group.share(changed_shared(group.members[group.focus], turn.brief))
            group.store(turn.pending, turn.brief)
        reply = self._decide(turn)
        said = "\n".join(turn.said)
        if said and reply.kind in (ReplyKind.QUESTION, ReplyKind.CONFIRM):
            reply.text = f"{said}\n{reply.text}"
        if reply.kind is ReplyKind.QUESTION and turn.pending.get("last_question") == reply.text:
            reply.text = t("I still need this to go on — {question}", question=reply.text[:1].lower() + reply.text[1:])
        turn.pending["last_question"] = reply.text if reply.kind is ReplyKind.QUESTION else None
        if (group := Group.of(turn.pending)) is not None:
            group.store(turn.pending, turn.brief)
        turn.draft.brief = turn.brief.model_dump(mode="json")
        turn.pending["lang"] = current()
        turn.draft.pending = turn.pending
        turn.draft.asked_complete = reply.kind is ReplyKind.CONFIRM
        turn.draft.updated_at = now
        turn.u.drafts.save(turn.draft)
        return reply

    def _ask(self, turn: _Turn, text: str, topic: str, **extra: Any) -> Reply:
        """A question, never the same one twice in a row: a repeated topic is asked in other words."""
        turn.pending["asked"] = {"topic": topic, "times": self._times_asked(turn, topic) + 1}
        return Reply(ReplyKind.QUESTION, text, **extra)

    def _times_asked(self, turn: _Turn, topic: str) -> int:
        last = turn.pending.get("asked") or {}
        return int(last.get("times", 0)) if last.get("topic") == topic else 0

    def _decide(self, turn: _Turn) -> Reply:
        """The next question for the brief in focus; with linked briefs, then for each of the others."""
        reply = self._decide_focus(turn)
        group = Group.of(turn.pending)
        if group is None:
            return reply
        turn.pending.pop("asked_all", None)
        if reply.kind is ReplyKind.QUESTION:
            field_name = turn.draft.expecting
            if field_name in OWN_FIELDS or turn.pending.get("rush_question"):
                same = [  # the others that miss the same field are asked with it: one answer can serve all
                    i
                    for i, b in enumerate(group.members)
                    if i != group.focus and field_name in assess(b, self.catalog, turn.today).missing_fields
                ]
                if same and not turn.pending.get("rush_question"):
                    turn.pending["asked_all"] = {"field": field_name, "members": same}
                work = listing([turn.brief, *(group.members[i] for i in same)])
                reply.text = t("For the {work}: {question}", work=work, question=reply.text)
            return reply
        group.store(turn.pending, turn.brief)
        waiting = next((i for i, b in enumerate(group.members) if not self._ready(turn, b)), None)
        if waiting is not None:
            group.focus, turn.brief = waiting, group.members[waiting]
            group.store(turn.pending, turn.brief)
            return self._decide(turn)
        members = group.in_order(turn.brief)
        reply.brief, reply.linked = members[0], members[1:]
        return reply

    def _ready(self, turn: _Turn, brief: Brief) -> bool:
        """Complete, with its rush (if any) agreed: nothing left to ask about this brief."""
        verdict = assess(brief, self.catalog, turn.today)
        agreed = not verdict.rush or (brief.deadline and turn.pending.get("rush_ok_for") == brief.deadline.isoformat())
        return verdict.complete and bool(agreed)

    def _decide_focus(self, turn: _Turn) -> Reply:
        brief, pending = turn.brief, turn.pending
        if brief.deadline and brief.deadline < turn.today:
            turn.brief = brief.without("deadline")
            turn.draft.expecting = "deadline"
            past = t("{day} is in the past. When do you need it by?", day=format_date(brief.deadline))
            return self._ask(turn, past, "past")
        duplicate = self._duplicate_question(turn)
        if duplicate is not None:
            return duplicate
        if pending.get("suggestion_text") and pending.get("suggested_deadline"):
            turn.draft.expecting = "deadline"
            return self._ask(turn, pending.pop("suggestion_text"), "suggestion")
        pending.pop("suggestion_text", None)
        verdict = assess(brief, self.catalog, turn.today)
        if verdict.rush and brief.deadline and pending.get("rush_ok_for") != brief.deadline.isoformat():
            pending["rush_question"] = True
            earliest = verdict.earliest_standard_date
            assert earliest is not None
            kind = kind_words(brief.request_type or "other")
            check = t("Just to check:") + " " if self._times_asked(turn, "rush") else ""
            meanwhile, turn.draft.expecting = "", None
            if verdict.missing_fields:  # the next question too, so an answer to it is not lost while this waits
                turn.draft.expecting, question = next_question(verdict.missing_fields, self.catalog)
                meanwhile = "\n" + t("Meanwhile: {question}", question=question[:1].lower() + question[1:])
            return self._ask(
                turn,
                check
                + t(
                    "{day} is sooner than the standard lead time for {kind} ({days} business days); the earliest "
                    "standard date is {earliest}. Reply `keep` to keep your date as a rush, or `move` to use "
                    "{earliest}.",
                    day=format_date(brief.deadline),
                    kind=kind,
                    days=verdict.lead_time_days,
                    earliest=format_date(earliest),
                )
                + meanwhile,
                "rush",
                assessment=verdict,
                choices=_CHOICE_BUTTONS["rush_question"],
            )
        pending.pop("rush_question", None)
        if verdict.missing_fields:
            times = self._times_asked(turn, verdict.missing_fields[0])
            if times >= ASKED_AT_MOST and not turn.said and verdict.missing_fields[0] != "deadline":
                self._leave_open(turn, verdict.missing_fields[0])
                return self._decide_focus(turn)
            field_name, question = next_question(verdict.missing_fields, self.catalog, again=times % 2 == 1)
            if times and not turn.said:
                question = t("I didn't catch that.") + " " + question
            turn.draft.expecting = field_name
            return self._ask(turn, question, field_name, assessment=verdict)
        turn.draft.expecting = None
        pending.pop("asked", None)
        rush = " " + t("(rush)") if verdict.rush else ""
        group = Group.of(pending)
        shown = (
            t(
                "Here are your {n} linked briefs{rush}. Reply `submit` (or `yes`) to send them all to creative ops, "
                "or tell me what to change.",
                n=len(group.members),
                rush=rush,
            )
            if group
            else t(
                "Here is your brief{rush}. Reply `submit` (or `yes`) to send it to creative ops, or tell me what "
                "to change.",
                rush=rush,
            )
        )
        return Reply(
            ReplyKind.CONFIRM,
            shown,
            brief=brief,
            assessment=verdict,
        )

    def _duplicate_question(self, turn: _Turn) -> Reply | None:
        """Name the closest similar requests once the brief says what it is, and ask whether this is new work."""
        pending = turn.pending
        if turn.brief.request_type and not pending.get("duplicate_checked") and turn.brief.objective:
            pending["duplicate_checked"] = True
            duplicates = self._duplicates(turn)
            if duplicates:
                pending["duplicates"] = [d.ref for d in duplicates]
                pending["duplicate_names"] = [
                    f"{d.ref} “{words(d.title)}” — {status_words(d.status)}" for d in duplicates
                ]
                pending["duplicate_question"] = True
        if not pending.get("duplicate_question"):
            return None
        turn.draft.expecting = None
        listed = "\n".join(f"• {name}" for name in pending.get("duplicate_names", pending.get("duplicates", [])))
        similar = (
            N_(
                "Before we go on — this looks similar to:\n{listed}\nIs this new work? Reply `new` for a new "
                "request or `same` to drop this draft."
            )
            if self._times_asked(turn, "duplicate")
            else N_(
                "This looks similar to:\n{listed}\nIs this new work? Reply `new` for a new request or `same` to "
                "drop this draft."
            )
        )
        return self._ask(
            turn,
            t(similar, listed=listed),
            "duplicate",
            choices=_CHOICE_BUTTONS["duplicate_question"],
        )

    def _duplicates(self, turn: _Turn) -> list[Candidate]:
        """Requests of the window asking for the same work, anyone's, open or closed (a cancelled or rejected one
        is not work that exists): the few sharing the most terms are read (an index lookup), then scored."""
        if not turn.brief.request_type:
            return []
        since = self.clock.now() - timedelta(days=WINDOW_DAYS)
        found = turn.u.requests.sharing_terms(search_terms(turn.brief), since, CANDIDATES, TERM_POSTINGS)
        candidates = [Candidate.stored(r.ref, r.title, r.status, r.brief) for r in found if r.status not in _DROPPED]
        return find_duplicates(turn.brief, candidates)

    def _submit(self, turn: _Turn, now: datetime) -> Reply:
        group = Group.of(turn.pending)
        briefs = group.in_order(turn.brief) if group else [turn.brief]
        if not all(assess(b, self.catalog, turn.today).complete for b in briefs):
            reply = self._next(turn, now)
            reply.text = t("The brief isn't complete yet.") + " " + reply.text
            return reply
        requests = [self._stored(turn, brief, now) for brief in briefs]
        turn.u.drafts.delete(turn.draft)
        first = requests[0]
        if len(requests) == 1:
            text = t(
                "Submitted as {ref}: {title}. Creative ops will triage it; I'll keep you posted here.",
                ref=first.ref,
                title=words(first.title),
            )
        else:
            for request in requests:
                request.group_ref = first.ref
                turn.u.requests.save(request)
            text = t(
                "Submitted as linked requests: {refs}. Creative ops will triage them; I'll keep you posted here.",
                refs="; ".join(f"{r.ref} {words(r.title)}" for r in requests),
            )
        return Reply(
            ReplyKind.SUBMITTED,
            text,
            brief=briefs[0],
            request=first,
            assessment=assess(briefs[0], self.catalog, turn.today),
            linked_requests=requests[1:],
        )

    def _stored(self, turn: _Turn, brief: Brief, now: datetime) -> Request:
        """One submitted request of the draft, with its audit event and search terms."""
        verdict = assess(brief, self.catalog, turn.today)
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
        return request
