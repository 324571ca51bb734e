"""The change engine (SPEC 2.2, 2.3, 5): lock, authorize, transition, mutate, audit — one transaction per change."""

from __future__ import annotations

from dataclasses import dataclass
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
    """One stored change: what, by whom, from what to what."""

    request: Request
    action: str
    actor: str
    old: str | None = None
    new: str | None = None
    note: str | None = None


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
        now = self.clock.now()
        extraction = self._extract_answer(ref, note) if action == "answer" and note else None
        with self.uow() as u:
            request = u.requests.by_ref(ref, lock=True)
            if request is None:
                raise Refused(f"There is no request {ref}.")
            authorize(u, actor, request, action)
            old_status = request.status
            if action in TRANSITIONS:
                request.status = self._transition(request, action)
            edit = Edit(u, request, actor, note, value, now, self.ops_today(), self.catalog, extraction)
            old, new = mutation(action)(edit)
            if action in TRANSITIONS:
                old, new = old_status, request.status
            elif request.status in TERMINAL:
                raise Refused(f"{ref} is {request.status}; nothing changed.")
            request.updated_at = now
            u.requests.save(request)
            assert request.id is not None
            if action != "comment":
                u.audit.record(request.id, actor, action, now, old=old, new=new)
            return Change(request, action, actor, old, new, note)

    def check(self, actor: str, ref: str, action: str) -> None:
        """Raise Refused if ``actor`` may not do ``action`` to ``ref`` now (nothing is changed)."""
        ref = _checked_ref(ref)
        with self.uow() as u:
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
        with self.uow() as u:
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
