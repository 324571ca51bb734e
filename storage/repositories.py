"""Repositories: every query the app makes, named for what it asks. Domain rules come in as arguments."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, func, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.growth import CommentPages, EventPages, RequestPages
from storage.models import (
    AuditEvent,
    Comment,
    Draft,
    InboxItem,
    OutboxMessage,
    Request,
    Send,
    TeamMember,
    check_lengths,
)

PENDING, DONE, FAILED, SENT, GIVEN_UP, SUPERSEDED = "pending", "done", "failed", "sent", "given_up", "superseded"


class LeaseLost(Exception):
    """An item's lease expired and another worker took it: this worker's transaction must not commit."""


class Requests(RequestPages):
    """Creative requests."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, request: Request, ref: Callable[[int], str]) -> Request:
        """Insert a request and give it the reference ``ref`` makes of its id (unique because ids are)."""
        self.session.add(request)
        self.session.flush()
        assert request.id is not None
        request.ref = ref(request.id)
        self.session.flush()
        return request

    def save(self, request: Request) -> None:
        """Store a changed request."""
        self.session.add(request)

    def by_ref(self, ref: str, *, lock: bool = False) -> Request | None:
        """The request with this reference (None for anything that is not a string); ``lock`` holds the row until
        commit (one transition at a time)."""
        if not isinstance(ref, str):
            return None
        query = select(Request).where(Request.ref == ref)
        return self.session.exec(query.with_for_update() if lock else query).first()

    def by_info_message(self, channel: str, ts: str) -> Request | None:
        """The request whose open ops question was posted as ``ts`` in the requester's DM ``channel``."""
        query = select(Request).where(Request.info_channel == channel, Request.info_ts == ts)
        return self.session.exec(query).first()

    def by_triage_ts(self, channel: str, ts: str) -> Request | None:
        """The request whose triage message is ``ts`` in ``channel``."""
        query = select(Request).where(Request.triage_channel == channel, Request.triage_ts == ts)
        return self.session.exec(query).first()

    def questioned(self, requester_id: str, status: str) -> Sequence[Request]:
        """A requester's requests in ``status`` (the one with an open ops question), newest question first."""
        query = (
            select(Request)
            .where(Request.requester_id == requester_id, Request.status == status)
            .order_by(col(Request.info_asked_at).desc())
        )
        return self.session.exec(query).all()

    def awaiting_nudge(self, status: str) -> Sequence[Request]:
        """Requests in ``status`` with a question asked whose requester has not been reminded yet."""
        query = select(Request).where(
            Request.status == status, col(Request.info_asked_at).is_not(None), col(Request.info_nudged).is_(False)
        )
        return self.session.exec(query).all()

    def mark_nudged(self, request: Request) -> bool:
        """Mark the reminder for the request's current question; False when another run did, or it changed."""
        statement = (
            update(Request)
            .where(
                col(Request.id) == request.id,
                col(Request.status) == request.status,
                col(Request.info_asked_at) == request.info_asked_at,
                col(Request.info_nudged).is_(False),
            )
            .values(info_nudged=True)
        )
        result: Any = self.session.connection().execute(statement)
        return bool(result.rowcount == 1)

    def without_triage_post(self, statuses: Sequence[str], before: datetime) -> Sequence[Request]:
        """Requests in ``statuses`` submitted before ``before`` whose triage message was never recorded."""
        query = select(Request).where(
            col(Request.triage_ts).is_(None),
            col(Request.status).in_(list(statuses)),
            col(Request.submitted_at) < before,
        )
        return self.session.exec(query.order_by(col(Request.id))).all()

    def with_status(self, statuses: Sequence[str]) -> Sequence[Request]:
        """Requests in any of ``statuses``, oldest first."""
        query = select(Request).where(col(Request.status).in_(list(statuses))).order_by(col(Request.id))
        return self.session.exec(query).all()

    def assigned_counts(self, statuses: Sequence[str]) -> dict[tuple[str, str], int]:
        """How many requests in ``statuses`` each assignee has of each type, in one grouped query."""
        query = (
            select(Request.assignee_id, Request.request_type, func.count())
            .where(col(Request.status).in_(list(statuses)), col(Request.assignee_id).is_not(None))
            .group_by(col(Request.assignee_id), col(Request.request_type))
        )
        return {(assignee, kind): count for assignee, kind, count in self.session.exec(query) if assignee}

    def in_group(self, group_ref: str | None) -> Sequence[Request]:
        """The linked requests of a group, in order (none without a group)."""
        if group_ref is None:
            return []
        return self.session.exec(select(Request).where(Request.group_ref == group_ref).order_by(col(Request.id))).all()

    def for_requester(self, requester_id: str, statuses: Sequence[str]) -> Sequence[Request]:
        """A requester's requests in any of ``statuses``, newest first."""
        query = (
            select(Request)
            .where(Request.requester_id == requester_id, col(Request.status).in_(list(statuses)))
            .order_by(col(Request.id).desc())
        )
        return self.session.exec(query).all()

    def all(self) -> Sequence[Request]:
        """Every request, oldest first."""
        return self.session.exec(select(Request).order_by(col(Request.id))).all()

    def count_by_status(self) -> dict[str, int]:
        """How many requests are in each status (statuses with no request are absent), in one query."""
        query = select(Request.status, func.count(col(Request.id))).group_by(col(Request.status))
        return dict(self.session.exec(query).all())


class Drafts:
    """Briefs in the making, one per requester conversation."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, requester_id: str, conversation_id: str, *, lock: bool = False) -> Draft | None:
        """The draft of this conversation, if any; ``lock`` holds it until commit (no double submit)."""
        query = select(Draft).where(Draft.requester_id == requester_id, Draft.conversation_id == conversation_id)
        return self.session.exec(query.with_for_update() if lock else query).first()

    def save(self, draft: Draft) -> Draft:
        """Insert or update a draft."""
        self.session.add(draft)
        self.session.flush()
        return draft

    def delete(self, draft: Draft) -> None:
        """Remove a draft (submitted, cancelled or restarted)."""
        self.session.delete(draft)
        self.session.flush()

    def silent_since(self, before: datetime) -> Sequence[Draft]:
        """Drafts whose last activity is older than ``before``."""
        query = select(Draft).where(Draft.updated_at < before).with_for_update(skip_locked=True)
        return self.session.exec(query).all()


class Audit(EventPages):
    """The audit trail of every request."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self, request_id: int, actor: str, action: str, at: datetime, old: Any = None, new: Any = None
    ) -> AuditEvent:
        """Store one event."""
        event = AuditEvent(
            request_id=request_id,
            actor=actor,
            action=action,
            at=at,
            old=None if old is None else str(old),
            new=None if new is None else str(new),
        )
        self.session.add(event)
        self.session.flush()
        return event

    def for_request(self, request_id: int) -> Sequence[AuditEvent]:
        """A request's events, oldest first."""
        query = select(AuditEvent).where(AuditEvent.request_id == request_id).order_by(col(AuditEvent.id))
        return self.session.exec(query).all()

    def all(self) -> Sequence[AuditEvent]:
        """Every event, oldest first."""
        return self.session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()


class Team:
    """The roster."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, member: TeamMember) -> TeamMember:
        """Insert or replace a member."""
        merged = self.session.merge(member)
        self.session.flush()
        return merged

    def get(self, slack_id: str) -> TeamMember | None:
        """One member."""
        return self.session.get(TeamMember, slack_id)

    def all(self) -> Sequence[TeamMember]:
        """Every member, by Slack id."""
        return self.session.exec(select(TeamMember).order_by(col(TeamMember.slack_id))).all()

    def clear_roles(self) -> None:
        """Take every member's roles away (a roster sync then gives back the listed ones)."""
        for member in self.all():
            member.is_ops = member.is_designer = False
            self.session.add(member)
        self.session.flush()


class Comments(CommentPages):
    """Non-command replies in triage threads."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, comment: Comment) -> Comment:
        """Store a comment."""
        self.session.add(comment)
        self.session.flush()
        return comment

    def for_request(self, request_id: int) -> Sequence[Comment]:
        """A request's comments, oldest first."""
        query = select(Comment).where(Comment.request_id == request_id).order_by(col(Comment.id))
        return self.session.exec(query).all()

    def all(self) -> Sequence[Comment]:
        """Every comment, oldest first."""
        return self.session.exec(select(Comment).order_by(col(Comment.id))).all()


class Outbox:
    """Calls to Slack waiting to be made, one per row, taken in order per conversation."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, message: OutboxMessage) -> OutboxMessage:
        """Queue a call (in the transaction of the change that caused it)."""
        self.session.add(message)
        self.session.flush()
        return message

    def save(self, message: OutboxMessage) -> None:
        """Store a row's new state."""
        self.session.add(message)

    def due_any(self, now: datetime) -> bool:
        """Whether any row is due (a cheap read before a claim; see ``_due``)."""
        return _due(self.session, OutboxMessage, now)

    def claim_many(
        self, now: datetime, lease: str, until: datetime, limit: int, held: Collection[int] = ()
    ) -> list[OutboxMessage]:
        """The oldest due rows (at most ``limit``, none of ``held``) whose conversation has nothing older pending,
        leased to ``lease`` until ``until``."""
        return _claim(self.session, OutboxMessage, "channel", now, lease, until, limit, held)

    def renew(self, leases: list[str], until: datetime) -> int:
        """Extend these leases to ``until``; returns how many rows they hold."""
        return _renew(self.session, OutboxMessage, leases, until)

    def record(self, row_id: int, lease: str, status: str, at: datetime, posted: tuple[str, str] | None) -> bool:
        """Record how a leased row ended (and where Slack put a post), in one statement; False when ``lease`` no
        longer holds it."""
        values: dict[str, Any] = {"status": status, "lease": None, "lease_until": None, "sent_at": at}
        if posted is not None:
            values["sent_channel"], values["sent_ts"] = posted
        statement = (
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row_id, col(OutboxMessage.lease) == lease)
            .values(**values)
        )
        result: Any = self.session.connection().execute(statement)
        return bool(result.rowcount == 1)

    def leased(self, row_id: int, lease: str) -> OutboxMessage | None:
        """The row, locked, if ``lease`` still holds it."""
        query = select(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.lease == lease)
        return self.session.exec(query.with_for_update()).first()

    def newer_pending(self, message: OutboxMessage) -> bool:
        """Whether a later row of the same method and channel is pending (a Home publish it supersedes)."""
        query = select(OutboxMessage.id).where(
            OutboxMessage.channel == message.channel,
            OutboxMessage.method == message.method,
            OutboxMessage.status == PENDING,
            col(OutboxMessage.id) > (message.id or 0),
        )
        return self.session.exec(query).first() is not None

    def post_pending(self, purpose: str) -> bool:
        """Whether the post of this request message (``CR-0001:triage``) is still waiting to be sent."""
        query = select(OutboxMessage.id).where(
            OutboxMessage.purpose == purpose, OutboxMessage.method == "post", OutboxMessage.status == PENDING
        )
        return self.session.exec(query).first() is not None

    def queued_for(self, purpose: str, since: datetime) -> bool:
        """Whether a row for this request message (``CR-0001:triage``) is pending, or was queued since ``since``."""
        query = select(OutboxMessage.id).where(
            OutboxMessage.purpose == purpose,
            or_(col(OutboxMessage.status) == PENDING, col(OutboxMessage.created_at) >= since),
        )
        return self.session.exec(query).first() is not None

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        query = select(OutboxMessage.status, func.count(col(OutboxMessage.id))).group_by(col(OutboxMessage.status))
        return dict(self.session.exec(query).all())

    def prune(self, before: datetime) -> int:
        """Forget rows sent (or given up, or superseded) before ``before``; returns how many."""
        statement = delete(OutboxMessage).where(
            col(OutboxMessage.status) != PENDING,
            or_(col(OutboxMessage.sent_at) < before, col(OutboxMessage.created_at) < before),
        )
        result: Any = self.session.connection().execute(statement)
        return int(result.rowcount)

    def all(self) -> Sequence[OutboxMessage]:
        """Every row, oldest first."""
        return self.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()


class Inbox:
    """Slack deliveries stored before their ack, worked on by leases, in order per person."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, item: InboxItem) -> bool:
        """Store a delivery; False when its key is there already (Slack's retry, or the same message twice)."""
        return _insert_once(self.session, item)

    def due_any(self, now: datetime) -> bool:
        """Whether any item is due (a cheap read before a claim; see ``_due``)."""
        return _due(self.session, InboxItem, now)

    def claim_many(
        self, now: datetime, lease: str, until: datetime, limit: int, held: Collection[int] = ()
    ) -> list[InboxItem]:
        """The oldest due items (at most ``limit``, none of ``held``) whose queue has nothing older pending, leased
        to ``lease`` until ``until``."""
        return _claim(self.session, InboxItem, "queue", now, lease, until, limit, held)

    def finish(self, item_id: int, lease: str, at: datetime) -> None:
        """Mark the item done, in the transaction of its work; LeaseLost when another worker has it now."""
        statement = (
            update(InboxItem)
            .where(col(InboxItem.id) == item_id, col(InboxItem.lease) == lease)
            .values(status=DONE, done_at=at, lease=None, lease_until=None)
        )
        result: Any = self.session.connection().execute(statement)
        if result.rowcount != 1:
            raise LeaseLost(item_id)

    def renew(self, leases: list[str], until: datetime) -> int:
        """Extend these leases to ``until``; returns how many rows they hold."""
        return _renew(self.session, InboxItem, leases, until)

    def leased(self, item_id: int, lease: str) -> InboxItem | None:
        """The item, locked, if ``lease`` still holds it."""
        query = select(InboxItem).where(InboxItem.id == item_id, InboxItem.lease == lease)
        return self.session.exec(query.with_for_update()).first()

    def save(self, item: InboxItem) -> None:
        """Store an item's new state."""
        self.session.add(item)

    def counts(self) -> dict[str, int]:
        """Items per status."""
        query = select(InboxItem.status, func.count(col(InboxItem.id))).group_by(col(InboxItem.status))
        return dict(self.session.exec(query).all())

    def prune(self, before: datetime) -> int:
        """Forget items done before ``before`` (their keys no longer stop a retry); returns how many."""
        statement = delete(InboxItem).where(col(InboxItem.status) == DONE, col(InboxItem.done_at) < before)
        result: Any = self.session.connection().execute(statement)
        return int(result.rowcount)

    def all(self) -> Sequence[InboxItem]:
        """Every item, oldest first."""
        return self.session.exec(select(InboxItem).order_by(col(InboxItem.id))).all()


Queued = InboxItem | OutboxMessage
Q = TypeVar("Q", InboxItem, OutboxMessage)


def _due(session: Session, table: type[Queued], now: datetime) -> bool:
    """Whether a claim is worth its write transaction (a read, without SQLite's one write lock)."""
    query = select(table.id).where(
        table.status == PENDING,
        col(table.next_attempt_at) <= now,
        or_(col(table.lease_until).is_(None), col(table.lease_until) < now),
    )
    return session.exec(query.limit(1)).first() is not None


def _renew(session: Session, table: Any, leases: list[str], until: datetime) -> int:
    if not leases:
        return 0
    statement = update(table).where(col(table.lease).in_(leases)).values(lease_until=until)
    result: Any = session.connection().execute(statement)
    return int(result.rowcount)


@cache
def _claim_query(table: type[Queued], queue_column: str, limit: int) -> Any:
    """The claim's SELECT for ``table`` whose rows are ordered within ``queue_column`` (built once: it is on every
    worker's hot path), with the parameters ``now`` and ``held`` (rows this process works on: never taken twice by
    it, even when a stalled heartbeat let their lease lapse)."""
    queue = table.__table__.c[queue_column]  # type: ignore[union-attr]
    earlier = aliased(table)
    now: Any = bindparam("now")
    held: Any = bindparam("held", expanding=True)
    blocked = (
        select(earlier.id)
        .where(getattr(earlier, queue.key) == queue, col(earlier.id) < col(table.id), col(earlier.status) == PENDING)
        .exists()
    )
    return (
        select(table)
        .where(
            table.status == PENDING,
            col(table.next_attempt_at) <= now,
            or_(col(table.lease_until).is_(None), col(table.lease_until) < now),
            ~blocked,
            col(table.id).not_in(held),
        )
        .order_by(col(table.id))
        .limit(limit)
        .with_for_update(skip_locked=True, of=table)
    )


def _claim(
    session: Session,
    table: type[Q],
    queue_column: str,
    now: datetime,
    lease: str,
    until: datetime,
    limit: int,
    held: Collection[int],
) -> list[Q]:
    """Lease the oldest due rows of ``table`` (at most ``limit``, none of ``held``) with no older pending row in
    their queue (skipping rows another transaction is claiming, on PostgreSQL); the caller commits at once."""
    query = _claim_query(table, queue_column, limit)
    rows: list[Q] = list(session.exec(query, params={"now": now, "held": list(held)}).all())
    for row in rows:
        row.lease, row.lease_until, row.attempts = lease, until, row.attempts + 1
        session.add(row)
    if rows:
        session.flush()
    return rows


class Sends:
    """Once-per-key deliveries (a digest per recipient and local date, a nudge, a report, an alert)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, kinds: Sequence[str]) -> dict[tuple[str, str], tuple[str, datetime]]:
        """Per (kind, recipient), the latest period and claim time."""
        query = (
            select(Send.kind, Send.recipient, func.max(Send.period), func.max(col(Send.at)))
            .where(col(Send.kind).in_(list(kinds)))
            .group_by(col(Send.kind), col(Send.recipient))
        )
        return {(kind, recipient): (period, at) for kind, recipient, period, at in self.session.exec(query)}

    def exists(self, kind: str, recipient: str, period: str) -> bool:
        """Whether this send is claimed already."""
        query = select(Send.id).where(Send.kind == kind, Send.recipient == recipient, Send.period == period)
        return self.session.exec(query).first() is not None

    def claim(self, kind: str, recipient: str, period: str, at: datetime) -> bool:
        """Claim the one send of ``kind`` to ``recipient`` for ``period``; False when it was already claimed."""
        return _insert_once(self.session, Send(kind=kind, recipient=recipient, period=period, at=at))


def _insert_once(session: Session, row: Send | InboxItem) -> bool:
    """Insert ``row``; False when a unique key says it is there already. One statement, no savepoint."""
    check_lengths(row)
    table: Any = type(row).__table__  # type: ignore[union-attr]
    values = {column.key: getattr(row, column.key) for column in table.columns if column.key != "id"}
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id)
    return session.connection().execute(statement).first() is not None
