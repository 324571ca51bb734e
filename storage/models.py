"""SQLModel tables. Change them only together with a migration in storage/migrations/versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

#: Column widths that input from people is checked against before it is stored (``bot.requests.mutations``).
DELIVERY_LINK_MAX = 2000
DELIVERY_NOTE_MAX = 3000
EVENT_ID_MAX = 128


def _utc(**kw: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime(), **kw))


def _json(**kw: Any) -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False, **kw))


class Request(SQLModel, table=True):
    """A submitted creative request; ``ref`` is given by the domain from the row id."""

    __tablename__ = "requests"

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
    created_at: datetime = _utc(nullable=False)
    updated_at: datetime = _utc(nullable=False)
    submitted_at: datetime | None = _utc(nullable=True)
    delivered_at: datetime | None = _utc(nullable=True)
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


class ProcessedEvent(SQLModel, table=True):
    """Slack deliveries already handled: the key of exactly-once processing."""

    __tablename__ = "processed_events"

    event_id: str = Field(primary_key=True, max_length=EVENT_ID_MAX)
    at: datetime = _utc(nullable=False)


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
    """A post that could not be made yet, with what it shows as data: retried until sent or given up."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=64)
    text: str
    card: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    thread_ts: str | None = Field(default=None, max_length=32)
    purpose: str = Field(default="", max_length=64)
    status: str = Field(default="pending", index=True, max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=200)
    next_attempt_at: datetime = _utc(nullable=False, index=True)
    created_at: datetime = _utc(nullable=False)
