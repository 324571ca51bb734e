"""The change engine (SPEC 2.2, 2.3, 5): lock, authorize, transition, mutate, audit — one transaction per change."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot.analysis.analyzer import Analyzer
from bot.analysis.contract import AnalysisContext, Extraction
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.platform.calendar import local_date
from bot.platform.clock import Clock
from bot.platform.text import human
from bot.requests.lifecycle import TERMINAL, TRANSITIONS, IllegalTransition, next_status
from bot.requests.mutations import Edit, mutation
from bot.requests.roles import Refused, authorize
from storage.models import Request
from storage.uow import UnitOfWorkFactory

#: Transitions whose audit event records the value they set (the question, the designer), not the status they
#: lead to (always the same one: needs_info, assigned).
VALUED_TRANSITIONS = frozenset({"ask", "assign"})
#: No reference is longer (``requests.ref``); a longer "ref" is not one, whatever it holds.
MAX_REF = 16


def _checked_ref(ref: object) -> str:
    """``ref`` upper-cased; Refused when it is not a string a reference could be (from a malformed payload)."""
    if not isinstance(ref, str) or not ref.strip():
        raise Refused("That is not a request reference (like CR-0001); nothing changed.")
    ref = ref.strip().upper()
    if len(ref) > MAX_REF:
        raise Refused(f"There is no request {ref[:MAX_REF]}…; nothing changed.")
    return ref


@dataclass
class Change:
    """One change: what, by whom, from what to what (as the audit trail stores it).

    ``changed`` is False for a change that changes nothing (priority urgent → urgent, the same designer
    again, the same question again): it was not stored, not audited, and nobody is to be told.
    ``old_status`` is the status before; ``previous_assignee`` and ``previous_assignment`` (the channel and
    ts of their assignment DM) who had the work before; ``today`` is ops' date, for wording dates.
    """

    request: Request
    action: str
    actor: str
    old: str | None = None
    new: str | None = None
    note: str | None = None
    changed: bool = True
    old_status: str | None = None
    previous_assignee: str | None = None
    previous_assignment: tuple[str, str] | None = None
    today: date | None = None

    @property
    def reassigned(self) -> bool:
        """An assignment that took the work from one designer to another."""
        return bool(self.previous_assignee and self.previous_assignee != self.request.assignee_id)


def _assignment_dm(request: Request) -> tuple[str, str] | None:
    if request.assignment_channel and request.assignment_ts:
        return request.assignment_channel, request.assignment_ts
    return None


class ChangeEngine:
    """The rules of changing a submitted request; storage only, no messages."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, catalog: Catalog, analyzer: Analyzer, timezone: str
    ) -> None:
        self.uow, self.clock, self.catalog, self.analyzer, self.timezone = uow, clock, catalog, analyzer, timezone

    def ops_today(self) -> date:
        """Today in the ops team's time zone."""
        return local_date(self.clock.now(), self.timezone)

    def perform(
        self, actor: str, ref: str, action: str, *, note: str | None = None, value: str | None = None
    ) -> Change:
        """Apply ``action`` to ``ref`` as ``actor``, or raise Refused."""
        ref = _checked_ref(ref)
        now, today = self.clock.now(), self.ops_today()
        extraction = self._extract_answer(ref, note) if action == "answer" and note else None
        with self.uow() as u:
            request = u.requests.by_ref(ref, lock=True)
            if request is None:
                raise Refused(f"There is no request {ref}.")
            authorize(u, actor, request, action)
            old_status = request.status
            if action in TRANSITIONS:
                target = self._transition(request, action)
            elif request.status in TERMINAL:
                raise Refused(f"{ref} is {human(request.status)}; nothing changed.")
            else:
                target = old_status
            before = Change(
                request,
                action,
                actor,
                note=note,
                old_status=old_status,
                previous_assignee=request.assignee_id,
                previous_assignment=_assignment_dm(request),
                today=today,
            )
            edit = Edit(u, request, actor, note, value, now, today, self.catalog, extraction, old_status)
            old, new = mutation(action)(edit)
            if target == old_status and old == new:
                return replace(before, old=old, new=new, changed=False)  # the mutation left the request as it was
            request.status = target
            if action in TRANSITIONS and action not in VALUED_TRANSITIONS:
                old, new = old_status, target
            request.updated_at = now
            u.requests.save(request)
            assert request.id is not None
            if action != "comment":
                u.audit.record(request.id, actor, action, now, old=old, new=new)
            return replace(before, old=old, new=new)

    def check(self, actor: str, ref: str, action: str) -> None:
        """Raise Refused if ``actor`` may not do ``action`` to ``ref`` now (nothing is changed)."""
        ref = _checked_ref(ref)
        with self.uow.read() as u:
            request = u.requests.by_ref(ref)
            if request is None:
                raise Refused(f"There is no request {ref}.")
            authorize(u, actor, request, action)
            if action in TRANSITIONS:
                self._transition(request, action)

    @staticmethod
    def _transition(request: Request, action: str) -> str:
        if request.status in TRANSITIONS[action].values() and request.status not in TRANSITIONS[action]:
            raise Refused(f"{request.ref} is already {human(request.status)}; nothing changed.")
        try:
            return next_status(request.status, action).value
        except IllegalTransition as exc:
            raise Refused(f"{request.ref}: {exc}") from None

    def _extract_answer(self, ref: str, text: str) -> Extraction | None:
        """The engine's reading of a requester's answer, made before the request is locked (no LLM under a lock)."""
        with self.uow.read() as u:
            request = u.requests.by_ref(ref)
        if request is None:
            return None
        ctx = AnalysisContext(
            today=self.ops_today(),
            timezone=self.timezone,
            catalog=self.catalog,
            draft=Brief.model_validate(request.brief),
        )
        return self.analyzer.extract(text, ctx)
