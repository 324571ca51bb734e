"""The unit of work: one transaction and the repositories that read and write in it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from sqlmodel import Session

from storage.repositories import Audit, Comments, Drafts, Inbox, Outbox, Requests, Sends, Team


class UnitOfWork:
    """Repositories over one session; committed when the ``with`` block ends, rolled back on error."""

    def __init__(self, session: Session) -> None:
        self.requests = Requests(session)
        self.drafts = Drafts(session)
        self.audit = Audit(session)
        self.comments = Comments(session)
        self.team = Team(session)
        self.outbox = Outbox(session)
        self.sends = Sends(session)
        self.inbox = Inbox(session)


class UnitOfWorkFactory(Protocol):
    """What the domain is given to open a unit of work: ``with uow() as u: u.requests.by_ref(...)``."""

    def __call__(self) -> AbstractContextManager[UnitOfWork]:
        """A unit of work (joining the transaction in progress, if any)."""

    def read(self) -> AbstractContextManager[UnitOfWork]:
        """A read-only unit of work of its own, for reads before a slow call."""

    def current(self) -> AbstractContextManager[UnitOfWork]:
        """A read in the transaction in progress (seeing its changes), or read-only of its own when there is none."""

    def transaction(self) -> AbstractContextManager[UnitOfWork]:
        """One transaction that the units of work opened inside join."""

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the transaction in progress is committed (now, when there is none)."""
