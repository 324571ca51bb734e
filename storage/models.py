"""SQLModel tables. Change them only together with a migration in storage/migrations/versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

#: Column widths that input from people is checked against before it is stored (``bot.requests.mutations``).
DELIVERY_LINK_MAX = 2000
DELIVERY_NOTE_MAX = 3000


def _utc(**kw: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime(), **kw))


def _json(**kw: Any) -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False, **kw))


class ValueTooLong(ValueError):
    """A text is longer than its column: refused before the database sees it, on every backend alike.

    PostgreSQL would refuse it too, SQLite would store it; the callers check what people type before it gets
    here, so this is the backstop that makes a missed check fail the same way (and loudly) everywhere.
    """


def check_lengths(row: object) -> None:
    """Raise ``ValueTooLong`` when a text of ``row`` is longer than its column (every insert and update)."""
    table: Any = getattr(type(row), "__table__", None)
    if table is None:
        return
    for column in table.columns:
        length = getattr(column.type, "length", None)
        value = getattr(row, column.key, None)
        if length and isinstance(value, str) and len(value) > length:
            raise ValueTooLong(f"{table.name}.{column.name}: {len(value)} characters, at most {length}")


class Request(SQLModel, table=True):
    """A submitted creative request; ``ref`` is given by the domain from the row id."""

    __tablename__ = "requests"
    #: A requester's thread reply finds the ops question it answers (``by_info_message``).
    __table_args__ = (Index("ix_requests_info_message", "info_ts", "info_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = Field(default=None, unique=True, index=True, max_length=16)
    status: str = Field(index=True, max_length=32)
    requester_id: str = Field(index=True, max_length=32)
    conversation_id: str = Field(max_length=64)
    title: str = Field(max_length=200)
    request_type: str = Field(max_length=64)
    channels: list[str] = _json()
    brief: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    deadline: date | None = None
    rush: bool = False
    priority: str = Field(default="normal", max_length=16)
    due_date: date | None = None
    assignee_id: str | None = Field(default=None, index=True, max_length=32)
    classified_by: str = Field(max_length=16)
    proposed_type: str | None = Field(default=None, max_length=64)
    proposed_channels: list[str] = _json()
    duplicate_refs: list[str] = _json()
    #: Linked requests (SPEC 2.7): the first reference of the group, on every request of it.
    group_ref: str | None = Field(default=None, index=True, max_length=16)
    complete_at_submit: bool = True
    revision_count: int = 0
    triage_channel: str | None = Field(default=None, max_length=32)
    triage_ts: str | None = Field(default=None, index=True, max_length=32)
    #: The open ops question relayed to the requester's DM (needs_info), and when it was asked.
    info_channel: str | None = Field(default=None, max_length=32)
    info_ts: str | None = Field(default=None, max_length=32)
    info_asked_at: datetime | None = _utc(nullable=True)
    info_nudged: bool = False
    #: The designer's assignment DM, updated in place.
    assignment_channel: str | None = Field(default=None, max_length=32)
    assignment_ts: str | None = Field(default=None, max_length=32)
    delivery_link: str | None = Field(default=None, max_length=DELIVERY_LINK_MAX)
    delivery_note: str | None = Field(default=None, max_length=DELIVERY_NOTE_MAX)
    assigned_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc(nullable=False, index=True)
    updated_at: datetime = _utc(nullable=False)
    submitted_at: datetime | None = _utc(nullable=True, index=True)
    delivered_at: datetime | None = _utc(nullable=True, index=True)
    closed_at: datetime | None = _utc(nullable=True)


class Draft(SQLModel, table=True):
    """A brief being built in one requester conversation (one per requester and conversation)."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("requester_id", "conversation_id", name="uq_drafts_requester_conversation"),)

    id: int | None = Field(default=None, primary_key=True)
    requester_id: str = Field(max_length=32)
    conversation_id: str = Field(max_length=64)
    brief: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    expecting: str | None = Field(default=None, max_length=32)
    pending: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    engine: str = Field(default="rules", max_length=16)
    asked_complete: bool = False
    created_at: datetime = _utc(nullable=False)
    updated_at: datetime = _utc(nullable=False, index=True)


class AuditEvent(SQLModel, table=True):
    """Who did what to a request, when, from what to what."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="requests.id", index=True)
    actor: str = Field(max_length=32)
    action: str = Field(max_length=32)
    old: str | None = None
    new: str | None = None
    at: datetime = _utc(nullable=False)


#: The longest term the duplicate search stores (longer words are cut to it, on writing and on searching alike).
TERM_MAX = 64


class RequestTerm(SQLModel, table=True):
    """One content term of a request's brief: the inverted index duplicate detection searches.

    ``created_at`` is a copy of the request's, so a search reads only index entries (term, window) and never the
    requests it does not return. Requests of every type are searched: the scoring weighs the type.
    """

    __tablename__ = "request_terms"
    __table_args__ = (Index("ix_request_terms_recent", "term", "created_at", "request_id"),)

    request_id: int = Field(foreign_key="requests.id", primary_key=True)
    term: str = Field(primary_key=True, max_length=TERM_MAX)
    created_at: datetime = _utc(nullable=False)


class TeamMember(SQLModel, table=True):
    """Roster entry (SPEC 6.4): ops managers and designers."""

    __tablename__ = "team_members"

    slack_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=100)
    is_ops: bool = False
    is_designer: bool = False
    skills: list[str] = _json()
    capacity_points: int = 0
    timezone: str = Field(default="UTC", max_length=64)


class Comment(SQLModel, table=True):
    """A reply in a triage thread that is not a command."""

    __tablename__ = "comments"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="requests.id", index=True)
    author: str = Field(max_length=32)
    text: str
    at: datetime = _utc(nullable=False)


class Send(SQLModel, table=True):
    """A once-per-key delivery (a digest per recipient and local date, a nudge, a report): claimed before sending."""

    __tablename__ = "sends"
    __table_args__ = (UniqueConstraint("kind", "recipient", "period", name="uq_sends_kind_recipient_period"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    recipient: str = Field(max_length=64)
    period: str = Field(max_length=32)
    at: datetime = _utc(nullable=False)


class OutboxMessage(SQLModel, table=True):
    """One call to Slack that a state change caused, written in the change's transaction and sent by a dispatcher.

    ``method`` is what to call (``post``, ``update``, ``delete``, ``ephemeral``, ``home``); ``key`` is the
    idempotency key a post carries to Slack (so a crash between Slack's answer and its record never posts twice);
    ``purpose`` names the request message it is (``CR-0001:triage``), to remember or to find its ts.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("key", name="uq_outbox_key"),
        Index("ix_outbox_channel_status", "channel", "status"),
        Index("ix_outbox_sent_at", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str | None = Field(default=None, max_length=64)
    method: str = Field(default="post", max_length=16)
    channel: str = Field(max_length=64)
    ts: str | None = Field(default=None, max_length=32)
    user: str | None = Field(default=None, max_length=32)
    text: str
    card: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    thread_ts: str | None = Field(default=None, max_length=32)
    purpose: str = Field(default="", max_length=64)
    status: str = Field(default="pending", index=True, max_length=16)
    attempts: int = 0
    lease: str | None = Field(default=None, max_length=32)
    lease_until: datetime | None = _utc(nullable=True)
    last_error: str | None = Field(default=None, max_length=200)
    next_attempt_at: datetime = _utc(nullable=False, index=True)
    created_at: datetime = _utc(nullable=False)
    sent_channel: str | None = Field(default=None, max_length=64)
    sent_ts: str | None = Field(default=None, max_length=32)
    sent_at: datetime | None = _utc(nullable=True)


class InboxItem(SQLModel, table=True):
    """A Slack delivery that needs work after its ack, stored before the ack; done in its work's transaction.

    ``queue`` orders the work: items of one queue (one person's) are taken one at a time, oldest first.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_status_next", "status", "next_attempt_at"),
        Index("ix_inbox_queue_status", "queue", "status"),
        Index("ix_inbox_done_at", "done_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, sa_column_kwargs={"unique": True})
    kind: str = Field(max_length=32)
    queue: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    lease: str | None = Field(default=None, max_length=32)
    lease_until: datetime | None = _utc(nullable=True)
    next_attempt_at: datetime = _utc(nullable=False)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = _utc(nullable=False)
    done_at: datetime | None = _utc(nullable=True)
