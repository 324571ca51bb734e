"""The unit of work: one transaction and the repositories that read and write in it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlmodel import Session

from storage.repositories import Audit, Comments, Deliveries, Drafts, Outbox, Requests, Sends, Team


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
        self.deliveries = Deliveries(session)


#: What the domain is given to open a unit of work: ``with uow() as u: u.requests.by_ref(...)``.
UnitOfWorkFactory = Callable[[], AbstractContextManager[UnitOfWork]]
