"""Designer and ops digests (SPEC 2.4), composed as plain data from one snapshot.

A snapshot takes three queries whatever the number of designers and requests (roster, open requests, the
latest digest sends); everything else is grouping in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.briefs.catalog import Catalog
from bot.delivery.cards import Card
from bot.platform.calendar import add_workdays, age_in_workdays
from bot.requests.lifecycle import ACTIVE, UNDELIVERED, Status
from bot.team.workload import Load, assigned, loads
from storage.models import Request, TeamMember
from storage.uow import UnitOfWorkFactory

DESIGNER_DIGEST = "designer_digest"
OPS_DIGEST = "ops_digest"
#: A request due within this many working days (and not overdue) is at risk.
AT_RISK_WORKDAYS = 2
#: needs_info requests waiting longer than this many working days are listed for ops.
STALE_INFO_WORKDAYS = 2


@dataclass(frozen=True)
class LastSend:
    """The latest digest claimed for a recipient."""

    period: str
    at: datetime


@dataclass
class Snapshot:
    """Everything digests are composed from, read at once."""

    designers: list[TeamMember]
    requests: list[Request]
    loads: dict[str, Load]
    last_sends: dict[tuple[str, str], LastSend]
    by_assignee: dict[str, list[Request]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_assignee = defaultdict(list)
        for request in self.requests:
            if request.assignee_id and request.status in ACTIVE:
                self.by_assignee[request.assignee_id].append(request)

    def last_send(self, kind: str, recipient: str) -> LastSend | None:
        """The latest send of ``kind`` to ``recipient``, if any."""
        return self.last_sends.get((kind, recipient))


def load_snapshot(uow: UnitOfWorkFactory, catalog: Catalog) -> Snapshot:
    """Roster, open requests not yet delivered, and the latest digest sends, in three queries."""
    with uow() as u:
        designers = [m for m in u.team.all() if m.is_designer]
        requests = list(u.requests.with_status(sorted(UNDELIVERED)))
        last = {
            key: LastSend(period, at) for key, (period, at) in u.sends.latest((DESIGNER_DIGEST, OPS_DIGEST)).items()
        }
    current = loads(designers, assigned(requests), catalog)
    return Snapshot(designers=designers, requests=requests, loads=current, last_sends=last)


@dataclass(frozen=True)
class Entry:
    """One request as a digest line."""

    ref: str
    title: str
    status: str
    priority: str
    due: date | None
    assignee: str | None = None
    age: int | None = None
    overdue: bool = False
    at_risk: bool = False
    new: bool = False


@dataclass(frozen=True)
class DesignerDigest:
    """A designer's active requests on their local date, most urgent first."""

    designer_id: str
    name: str
    day: date
    entries: tuple[Entry, ...]
    load: Load

    def count(self, flag: str) -> int:
        """How many entries are ``overdue``, ``at_risk`` or ``new``."""
        return sum(1 for entry in self.entries if getattr(entry, flag))


@dataclass(frozen=True)
class LoadRow:
    """A designer's line in the ops load table."""

    name: str
    load: Load
    active: int
    overdue: int


@dataclass(frozen=True)
class OpsDigest:
    """The ops channel's morning view of the queue."""

    day: date
    awaiting_triage: tuple[Entry, ...]
    stale_info: tuple[Entry, ...]
    unassigned: tuple[Entry, ...]
    overdue: tuple[Entry, ...]
    loads: tuple[LoadRow, ...]


def designer_digest(snapshot: Snapshot, designer: TeamMember, day: date) -> DesignerDigest | None:
    """``designer``'s digest for their local ``day``; None when nothing is assigned to them."""
    work = snapshot.by_assignee.get(designer.slack_id)
    if not work:
        return None
    last = snapshot.last_send(DESIGNER_DIGEST, designer.slack_id)
    risk_until = add_workdays(day, AT_RISK_WORKDAYS)
    entries = sorted(
        (
            Entry(
                ref=r.ref or "",
                title=r.title,
                status=r.status,
                priority=r.priority,
                due=r.due_date,
                overdue=r.due_date is not None and r.due_date < day,
                at_risk=r.due_date is not None and day <= r.due_date <= risk_until,
                new=r.assigned_at is not None and (last is None or r.assigned_at > last.at),
            )
            for r in work
        ),
        key=_by_due,
    )
    return DesignerDigest(
        designer_id=designer.slack_id,
        name=designer.name or designer.slack_id,
        day=day,
        entries=tuple(entries),
        load=snapshot.loads[designer.slack_id],
    )


def ops_digest(snapshot: Snapshot, now: datetime, tz: str, day: date) -> OpsDigest:
    """The ops digest for ``day`` in the ops time zone ``tz`` (ages in working days up to ``now``)."""
    names = {d.slack_id: d.name or d.slack_id for d in snapshot.designers}

    def entry(request: Request, since: datetime | None = None) -> Entry:
        return Entry(
            ref=request.ref or "",
            title=request.title,
            status=request.status,
            priority=request.priority,
            due=request.due_date,
            assignee=names.get(request.assignee_id or "", request.assignee_id),
            age=age_in_workdays(since, now, tz) if since else None,
        )

    triage, stale, unassigned, overdue = [], [], [], []
    overdue_by: dict[str, int] = defaultdict(int)
    for request in snapshot.requests:
        if request.status == Status.SUBMITTED:
            triage.append(entry(request, request.submitted_at or request.created_at))
        elif request.status == Status.NEEDS_INFO:
            waiting = entry(request, request.info_asked_at or request.updated_at)
            if (waiting.age or 0) > STALE_INFO_WORKDAYS:
                stale.append(waiting)
        elif request.status == Status.APPROVED and not request.assignee_id:
            unassigned.append(entry(request))
        if request.due_date is not None and request.due_date < day:
            overdue.append(entry(request))
            if request.assignee_id and request.status in ACTIVE:
                overdue_by[request.assignee_id] += 1
    rows = sorted(
        (
            LoadRow(
                names[d.slack_id],
                snapshot.loads[d.slack_id],
                len(snapshot.by_assignee.get(d.slack_id, [])),
                overdue_by[d.slack_id],
            )
            for d in snapshot.designers
        ),
        key=lambda row: (-_utilisation(row.load), row.name),
    )
    return OpsDigest(
        day=day,
        awaiting_triage=tuple(sorted(triage, key=_oldest_first)),
        stale_info=tuple(sorted(stale, key=_oldest_first)),
        unassigned=tuple(sorted(unassigned, key=_by_due)),
        overdue=tuple(sorted(overdue, key=_by_due)),
        loads=tuple(rows),
    )


def _utilisation(load: Load) -> float:
    """Share of capacity in use (the load table lists the busiest first)."""
    if load.capacity:
        return load.points / load.capacity
    return float("inf") if load.points else 0.0


def _oldest_first(entry: Entry) -> tuple[int, str]:
    return -(entry.age or 0), entry.ref


def _by_due(entry: Entry) -> tuple[bool, date, str]:
    return entry.due is None, entry.due or date.max, entry.ref


class DesignerDigestCard(Card):
    """A designer's digest as a DM."""

    kind = "designer_digest"
    digest: DesignerDigest


class OpsDigestCard(Card):
    """The ops digest as a channel message."""

    kind = "ops_digest"
    digest: OpsDigest
