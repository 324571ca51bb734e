"""Queries whose cost does not grow with the tables: keyset pages of requests with their history (the export)
and the term index that duplicate detection searches. Mixed into the repositories of ``repositories.py``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ARRAY,
    String,
    Subquery,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    true,
    union_all,
)
from sqlalchemy import select as columns
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import TERM_MAX, AuditEvent, Comment, Request, RequestTerm


class Match(NamedTuple):
    """A request found by its terms: what a duplicate check scores and shows."""

    ref: str
    title: str
    status: str
    request_type: str
    brief: dict[str, Any]


class Listing(NamedTuple):
    """The first requests of a list, and how many the whole list holds."""

    requests: list[Request]
    total: int


class Reported(NamedTuple):
    """What the weekly report reads of a request (no brief: a week of requests, read light)."""

    request_type: str
    channels: list[str]
    proposed_type: str | None
    proposed_channels: list[str]
    submitted_at: datetime | None
    delivered_at: datetime | None
    complete_at_submit: bool
    rush: bool
    revision_count: int


_REPORTED = [getattr(Request, name) for name in Reported._fields]


#: How a listing is ordered: oldest first, soonest due first (undated last), or last changed first.
_ORDERS: dict[str, tuple[Any, ...]] = {
    "oldest": (col(Request.id),),
    "due": (col(Request.due_date).is_(None), col(Request.due_date), col(Request.id)),
    "changed": (col(Request.updated_at).desc(), col(Request.id).desc()),
}


class RequestPages:
    """Requests read a page at a time, and found by the terms of their brief."""

    session: Session

    def listing(
        self,
        statuses: Sequence[str],
        limit: int,
        order: str = "oldest",
        *,
        requester_id: str | None = None,
        assignee_id: str | None = None,
        changed_since: datetime | None = None,
    ) -> Listing:
        """The first ``limit`` requests in ``statuses`` (of one requester, of one assignee, changed since a time)
        in ``order``, and the list's length, in one query (a window count): a list shown, however long it is."""
        query = select(Request, func.count().over()).where(col(Request.status).in_(list(statuses)))
        if requester_id is not None:
            query = query.where(Request.requester_id == requester_id)
        if assignee_id is not None:
            query = query.where(Request.assignee_id == assignee_id)
        if changed_since is not None:
            query = query.where(col(Request.updated_at) >= changed_since)
        rows = self.session.exec(query.order_by(*_ORDERS[order]).limit(limit)).all()
        return Listing([request for request, _ in rows], rows[0][1] if rows else 0)

    def reported(self, start: datetime, end: datetime) -> list[Reported]:
        """The requests submitted or delivered in [start, end): two index range scans, only the report's columns."""
        query = columns(*_REPORTED).where(
            or_(
                and_(col(Request.submitted_at) >= start, col(Request.submitted_at) < end),
                and_(col(Request.delivered_at) >= start, col(Request.delivered_at) < end),
            )
        )
        return [Reported(*row) for row in self.session.connection().execute(query)]

    def page(self, after_id: int, limit: int) -> Sequence[Request]:
        """Up to ``limit`` requests with an id above ``after_id``, by id (a keyset page: each costs the same)."""
        query = select(Request).where(col(Request.id) > after_id).order_by(col(Request.id)).limit(limit)
        return self.session.exec(query).all()

    def index_terms(self, request: Request, terms: Iterable[str]) -> None:
        """Make ``terms`` the request's searchable terms (replacing any it had), in two statements."""
        assert request.id is not None
        rows = [
            {"request_id": request.id, "term": term, "created_at": request.created_at}
            for term in sorted({t[:TERM_MAX] for t in terms})
        ]
        connection = self.session.connection()
        connection.execute(delete(RequestTerm).where(col(RequestTerm.request_id) == request.id))
        if rows:
            connection.execute(insert(RequestTerm), rows)

    def sharing_terms(self, terms: Iterable[str], since: datetime, limit: int, per_term: int) -> list[Match]:
        """Of the requests (of any type) created at or after ``since``, the ``limit`` that share the most of
        ``terms`` (the newest first among equals), newest first, in one query (no ORM objects: a check is hot).

        Its cost is bounded whatever the table holds: each term reads at most its ``per_term`` newest index
        entries of the window (a term more common than that counts for its newest requests only: it
        says little about which request is the same work), then at most ``limit`` request rows are read.
        """
        wanted = sorted({t[:TERM_MAX] for t in terms})
        if not wanted or limit <= 0:
            return []
        postgresql = self.session.get_bind().dialect.name == "postgresql"
        query = _sharing_query(postgresql, 1 if postgresql else len(wanted), limit, per_term)
        params: dict[str, Any] = {"since": since}
        params.update({"terms": wanted} if postgresql else {f"t{n}": term for n, term in enumerate(wanted)})
        rows = self.session.connection().execute(query, params)
        return [Match(ref or "", title, status, kind, brief) for ref, title, status, kind, brief in rows]


@lru_cache(maxsize=64)
def _sharing_query(postgresql: bool, terms: int, limit: int, per_term: int) -> Any:
    """The query of ``sharing_terms``, built once per shape (it is on every intake message's path), with the
    parameters ``since`` and the terms (``terms``, an array, on PostgreSQL; ``t0``… on SQLite)."""
    postings = _postings(postgresql, terms, per_term)
    shared = func.count().label("shared")
    top = (
        select(postings.c.request_id, shared)
        .group_by(postings.c.request_id)
        .order_by(shared.desc(), postings.c.request_id.desc())
        .limit(limit)
        .subquery()
    )
    return (
        columns(
            col(Request.ref), col(Request.title), col(Request.status), col(Request.request_type), col(Request.brief)
        )
        .join(top, col(Request.id) == top.c.request_id)
        .order_by(col(Request.created_at).desc(), col(Request.id).desc())
    )


def _postings(postgresql: bool, terms: int, per_term: int) -> Subquery:
    """The ids of each term's ``per_term`` newest requests of the window, one row per (term, id):
    one backward range scan of ``ix_request_terms_recent`` per term, cut at ``per_term``."""

    def newest(term: Any) -> SelectOfScalar[int]:
        return (
            select(col(RequestTerm.request_id))
            .where(
                col(RequestTerm.term) == term,
                col(RequestTerm.created_at) >= bindparam("since"),
            )
            .order_by(col(RequestTerm.created_at).desc())
            .limit(per_term)
        )

    if postgresql:  # a short statement, whatever the terms
        wanted = func.unnest(bindparam("terms", type_=ARRAY(String()))).table_valued("term").render_derived(name="q")
        scan = newest(wanted.c.term).lateral("t")
        return select(scan.c.request_id).select_from(wanted).join(scan, true()).subquery()
    scans = [newest(bindparam(f"t{n}")).subquery() for n in range(terms)]  # SQLite: one branch per term
    return union_all(*(select(scan.c.request_id) for scan in scans)).subquery()


class EventPages:
    """Audit events of a page of requests."""

    session: Session

    def for_requests(self, request_ids: Sequence[int]) -> Sequence[AuditEvent]:
        """The events of these requests, oldest first, in one query."""
        if not request_ids:
            return []
        query = select(AuditEvent).where(col(AuditEvent.request_id).in_(list(request_ids))).order_by(col(AuditEvent.id))
        return self.session.exec(query).all()


class CommentPages:
    """Comments of a page of requests."""

    session: Session

    def for_requests(self, request_ids: Sequence[int]) -> Sequence[Comment]:
        """The comments of these requests, oldest first, in one query."""
        if not request_ids:
            return []
        query = select(Comment).where(col(Comment.request_id).in_(list(request_ids))).order_by(col(Comment.id))
        return self.session.exec(query).all()
