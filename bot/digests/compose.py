"""Designer and ops digests (SPEC 2.4): composed as plain data from one snapshot, rendered as Block Kit or text.

A snapshot takes three queries whatever the number of designers and requests (roster, open requests, the
latest digest sends); everything else is grouping in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime


from handlers.blocks.kit import Block, clamp, context, escape, fit_message, header, section
from bot.briefs.catalog import Catalog
from bot.requests.lifecycle import ACTIVE, OPEN, Status
from bot.briefs.questions import format_date
from bot.platform.calendar import age_in_workdays
from bot.platform.calendar import add_workdays
from bot.team.workload import Load, loads
from storage.db import Database
from storage.models import Request, TeamMember
from storage.repositories import Requests, Sends, Team

DESIGNER_DIGEST = "designer_digest"
OPS_DIGEST = "ops_digest"
#: A request due within this many working days (and not overdue) is at risk.
AT_RISK_WORKDAYS = 2
#: needs_info requests waiting longer than this many working days are listed for ops.
STALE_INFO_WORKDAYS = 2
#: Longest list shown in one digest section; the rest is counted as "…and N more".
MAX_LINES = 25
MAX_TITLE = 80
#: Delivered work is done: it is no longer overdue, in anyone's load or on any list.
_LISTED = frozenset(OPEN) - {Status.DELIVERED}


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


def load_snapshot(db: Database, catalog: Catalog) -> Snapshot:
    """Roster, open requests and the latest digest sends, in three queries."""
    with db.session() as session:
        designers = [m for m in Team(session).all() if m.is_designer]
        requests = list(Requests(session).with_status(sorted(_LISTED)))
        last = {key: LastSend(period, at) for key, (period, at) in
                Sends(session).latest((DESIGNER_DIGEST, OPS_DIGEST)).items()}
    return Snapshot(designers=designers, requests=requests, loads=loads(designers, requests, catalog),
                    last_sends=last)


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
    assigned = snapshot.by_assignee.get(designer.slack_id)
    if not assigned:
        return None
    last = snapshot.last_send(DESIGNER_DIGEST, designer.slack_id)
    risk_until = add_workdays(day, AT_RISK_WORKDAYS)
    entries = sorted((
        Entry(ref=r.ref or "", title=r.title, status=r.status, priority=r.priority, due=r.due_date,
              overdue=r.due_date is not None and r.due_date < day,
              at_risk=r.due_date is not None and day <= r.due_date <= risk_until,
              new=r.assigned_at is not None and (last is None or r.assigned_at > last.at))
        for r in assigned), key=_by_due)
    return DesignerDigest(designer_id=designer.slack_id, name=designer.name or designer.slack_id, day=day,
                          entries=tuple(entries), load=snapshot.loads[designer.slack_id])


def ops_digest(snapshot: Snapshot, now: datetime, tz: str, day: date) -> OpsDigest:
    """The ops digest for ``day`` in the ops time zone ``tz`` (ages in working days up to ``now``)."""
    names = {d.slack_id: d.name or d.slack_id for d in snapshot.designers}

    def entry(request: Request, since: datetime | None = None) -> Entry:
        return Entry(ref=request.ref or "", title=request.title, status=request.status, priority=request.priority,
                     due=request.due_date, assignee=names.get(request.assignee_id or "", request.assignee_id),
                     age=age_in_workdays(since, now, tz) if since else None)

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
    rows = sorted((LoadRow(names[d.slack_id], snapshot.loads[d.slack_id],
                           len(snapshot.by_assignee.get(d.slack_id, [])), overdue_by[d.slack_id])
                   for d in snapshot.designers), key=lambda row: (-_utilisation(row.load), row.name))
    return OpsDigest(day=day, awaiting_triage=tuple(sorted(triage, key=_oldest_first)),
                     stale_info=tuple(sorted(stale, key=_oldest_first)),
                     unassigned=tuple(sorted(unassigned, key=_by_due)), overdue=tuple(sorted(overdue, key=_by_due)),
                     loads=tuple(rows))


def _utilisation(load: Load) -> float:
    """Share of capacity in use (the load table lists the busiest first)."""
    if load.capacity:
        return load.points / load.capacity
    return float("inf") if load.points else 0.0


def _oldest_first(entry: Entry) -> tuple[int, str]:
    return -(entry.age or 0), entry.ref


def _by_due(entry: Entry) -> tuple[bool, date, str]:
    return entry.due is None, entry.due or date.max, entry.ref


# ---------------------------------------------------------------------- rendering


def _human(value: str) -> str:
    return value.replace("_", " ")


def _due(entry: Entry) -> str:
    return f"due {format_date(entry.due)}" if entry.due else "no due date"


def _designer_line(entry: Entry, rich: bool) -> str:
    flags = [label for flag, label in (("overdue", "OVERDUE"), ("at_risk", "AT RISK"), ("new", "NEW"))
             if getattr(entry, flag)]
    details = [_due(entry), _human(entry.status)]
    if entry.priority != "normal":
        details.append(f"{entry.priority} priority")
    title = clamp(entry.title, MAX_TITLE)
    if not rich:
        return " ".join([f"[{', '.join(flags)}]" if flags else "-", entry.ref, title, "—", " · ".join(details)])
    icon = ":red_circle:" if entry.overdue else ":large_orange_circle:" if entry.at_risk else ":white_circle:"
    marks = "".join(f" `{flag.lower()}`" for flag in flags)
    return f"{icon} *{entry.ref}* {escape(title)} — {' · '.join(details)}{marks}"


def _ops_line(entry: Entry, detail: str, rich: bool) -> str:
    title = clamp(entry.title, MAX_TITLE)
    if not rich:
        return f"- {entry.ref} {title} — {detail}"
    return f"• *{entry.ref}* {escape(title)} — {detail}"


def _age(entry: Entry) -> str:
    days = entry.age or 0
    return "today" if days == 0 else f"{days} working day{'s' if days != 1 else ''}"


def _shortened(lines: list[str], limit: int = MAX_LINES) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"…and {len(lines) - limit} more"]


def _sections(title: str, lines: list[str]) -> list[Block]:
    """``title`` and its lines as sections, each within Slack's text limit."""
    blocks: list[Block] = []
    chunk = f"*{title}*"
    for line in _shortened(lines):
        if len(chunk) + 1 + len(line) > 2900:
            blocks.append(section(chunk))
            chunk = line
        else:
            chunk += "\n" + line
    return [*blocks, section(chunk)]


def designer_summary(digest: DesignerDigest) -> str:
    """One line: how many requests, overdue, at risk and new, and the load."""
    count = len(digest.entries)
    parts = [f"{count} active request{'s' if count != 1 else ''}"]
    parts += [f"{n} {label}" for n, label in ((digest.count("overdue"), "overdue"),
                                              (digest.count("at_risk"), "at risk"),
                                              (digest.count("new"), "new since your last digest")) if n]
    return f"{', '.join(parts)}. Load {digest.load.describe()}."


def designer_blocks(digest: DesignerDigest) -> list[Block]:
    """The designer digest DM as Block Kit."""
    lines = [_designer_line(entry, rich=True) for entry in digest.entries]
    return fit_message([header(f"Your requests for {format_date(digest.day)}"), context(designer_summary(digest)),
                        *_sections("By due date", lines)])


def designer_text(digest: DesignerDigest) -> str:
    """The designer digest as plain text (notification fallback, dry runs)."""
    lines = [_designer_line(entry, rich=False) for entry in digest.entries]
    return "\n".join([f"Digest for {digest.name} ({digest.designer_id}), {format_date(digest.day)}: "
                      f"{designer_summary(digest)}", *_shortened(lines)])


def _load_line(row: LoadRow, rich: bool) -> str:
    name = escape(row.name) if rich else row.name
    details = [row.load.describe(), f"{row.active} active"]
    if row.overdue:
        details.append(f"{row.overdue} overdue")
    if row.load.free < 0:
        details.append("over capacity")
    return f"{'•' if rich else '-'} {name} — {' · '.join(details)}"


def _overdue_detail(entry: Entry) -> str:
    return " · ".join(filter(None, [_due(entry), _human(entry.status), entry.assignee]))


def _ops_lists(digest: OpsDigest, rich: bool) -> list[tuple[str, list[str]]]:
    """Each titled list of the ops digest, as lines."""
    def lines(entries: Sequence[Entry], detail: Callable[[Entry], str]) -> list[str]:
        return [_ops_line(entry, detail(entry), rich) for entry in entries]

    return [
        (f"Awaiting triage ({len(digest.awaiting_triage)})",
         lines(digest.awaiting_triage, lambda e: f"waiting {_age(e)}")),
        (f"Waiting on the requester for more than {STALE_INFO_WORKDAYS} working days ({len(digest.stale_info)})",
         lines(digest.stale_info, lambda e: f"asked {_age(e)} ago")),
        (f"Approved, not assigned ({len(digest.unassigned)})", lines(digest.unassigned, _due)),
        (f"Overdue ({len(digest.overdue)})", lines(digest.overdue, _overdue_detail)),
        ("Load", [_load_line(row, rich) for row in digest.loads]),
    ]


def ops_summary(digest: OpsDigest) -> str:
    """One line with the size of each list."""
    return (f"{len(digest.awaiting_triage)} awaiting triage, {len(digest.stale_info)} waiting on requesters, "
            f"{len(digest.unassigned)} approved but unassigned, {len(digest.overdue)} overdue.")


def ops_blocks(digest: OpsDigest) -> list[Block]:
    """The ops digest as Block Kit; empty lists say "none"."""
    blocks = [header(f"Creative ops digest for {format_date(digest.day)}"), context(ops_summary(digest))]
    for title, lines in _ops_lists(digest, rich=True):
        blocks += _sections(title, lines or ["_none_"])
    return fit_message(blocks)


def ops_text(digest: OpsDigest) -> str:
    """The ops digest as plain text."""
    out = [f"Ops digest, {format_date(digest.day)}: {ops_summary(digest)}"]
    for title, lines in _ops_lists(digest, rich=False):
        out += [f"{title}:", *(_shortened(lines) or ["- none"])]
    return "\n".join(out)
