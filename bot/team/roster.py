"""The roster (SPEC 6.4): ops managers and designers, from TEAM_FILE or ``team import``.

A roster file is checked whole before anything is stored: unknown keys (a misspelt ``ops_manager:``),
duplicate Slack ids, an empty file and values longer than their column are refused with one line naming
the file and the entry. ``team import`` also plans the change against the stored roster first
(:func:`plan_import`): who is added, removed or changed, and which designers being removed still hold
active work; :func:`import_roster` refuses an import that leaves no ops manager, or removes such a designer
without ``force``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from bot.briefs.catalog import Catalog
from bot.platform.clock import check_zone
from bot.requests.lifecycle import ACTIVE
from storage.models import TeamMember
from storage.uow import UnitOfWork, UnitOfWorkFactory

#: Slack user ids as the roster holds them (``team_members.slack_id`` is at most 32 characters).
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")
#: ``team_members.name`` is at most 100 characters.
NAME_MAX = 100
OPS_ROLE, DESIGNER_ROLE = "ops manager", "designer"


class TeamFileError(ValueError):
    """The roster file is unreadable or names something invalid; the message names the file and the entry."""


class RosterRefused(TeamFileError):
    """The roster is valid but importing it is refused (no ops manager left, or active work would be orphaned)."""


def _user_id(value: str) -> str:
    if not _USER_ID.fullmatch(value):
        raise ValueError(f"not a Slack user id: {value!r}")
    return value


class DesignerEntry(BaseModel):
    """One designer or producer."""

    model_config = ConfigDict(extra="forbid")

    slack_id: str
    name: str = Field(default="", max_length=NAME_MAX)
    skills: list[str] = Field(default_factory=list)
    capacity_points: int = Field(default=20, ge=0, le=1000)
    timezone: str = "UTC"

    @field_validator("slack_id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _user_id(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_zone(value)


class Roster(BaseModel):
    """The whole roster."""

    model_config = ConfigDict(extra="forbid")

    ops_managers: list[str] = Field(default_factory=list)
    designers: list[DesignerEntry] = Field(default_factory=list)

    @field_validator("ops_managers")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        for user in value:
            _user_id(user)
        return value

    @model_validator(mode="after")
    def _unique(self) -> Roster:
        twice = _repeated(self.ops_managers)
        if twice:
            raise ValueError(f"ops_managers: listed twice: {', '.join(twice)}")
        twice = _repeated([d.slack_id for d in self.designers])
        if twice:
            raise ValueError(f"designers: slack_id listed twice: {', '.join(twice)}")
        return self

    @property
    def people(self) -> int:
        """How many different people the roster names."""
        return len(set(self.ops_managers) | {d.slack_id for d in self.designers})


def _repeated(values: Sequence[str]) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


_KEYS: dict[str, list[str]] = {"": list(Roster.model_fields), "designers": list(DesignerEntry.model_fields)}


def _unknown_keys(errors: list[ErrorDetails]) -> str | None:
    """One line naming every unknown key (with the likely intended one), or None when there is none."""
    named = []
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        *where, key = (str(part) for part in error["loc"])
        known = _KEYS["designers" if where else ""]
        guess = difflib.get_close_matches(key, known, n=1)
        named.append(".".join([*where, key]) + (f" (did you mean {guess[0]}?)" if guess else ""))
    if not named:
        return None
    noun = "unknown key" if len(named) == 1 else "unknown keys"
    return (
        f"{noun} {', '.join(named)}; a roster has {' and '.join(_KEYS[''])}, "
        f"each designer {', '.join(_KEYS['designers'])}"
    )


def parse_roster(text: str, catalog: Catalog, source: str = "TEAM_FILE") -> Roster:
    """A validated roster; skills must be request types of the catalog. ``source`` starts every error."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TeamFileError(f"{source}: not valid YAML ({exc.__class__.__name__})") from None
    if data is None or data == {}:
        raise TeamFileError(f"{source}: the file is empty; a roster lists ops_managers and designers")
    if not isinstance(data, dict):
        raise TeamFileError(f"{source}: expected a mapping with ops_managers and designers")
    try:
        roster = Roster.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        unknown = _unknown_keys(errors)
        if unknown:
            raise TeamFileError(f"{source}: {unknown}") from None
        first = errors[0]
        where = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise TeamFileError(f"{source}: {where + ': ' if where else ''}{message}") from None
    for index, designer in enumerate(roster.designers):
        unknown_skills = [skill for skill in designer.skills if skill not in catalog.request_types]
        if unknown_skills:
            raise TeamFileError(f"{source}: designers.{index}.skills: unknown request type {unknown_skills[0]!r}")
    return roster


def load_roster(path: Path, catalog: Catalog, source: str | None = None) -> Roster:
    """Read and validate a roster file; errors start with ``source`` (default ``TEAM_FILE <path>``)."""
    source = source or f"TEAM_FILE {path}"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TeamFileError(f"{source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise TeamFileError(f"{source}: not a UTF-8 text file") from None
    return parse_roster(text, catalog, source)


def _store(u: UnitOfWork, roster: Roster) -> None:
    """Make the stored roles exactly the roster's, in the caller's transaction."""
    u.team.clear_roles()
    for designer in roster.designers:
        u.team.upsert(
            TeamMember(
                slack_id=designer.slack_id,
                name=designer.name,
                is_designer=True,
                is_ops=designer.slack_id in roster.ops_managers,
                skills=designer.skills,
                capacity_points=designer.capacity_points,
                timezone=designer.timezone,
            )
        )
    designers = {d.slack_id for d in roster.designers}
    for ops_id in roster.ops_managers:
        if ops_id not in designers:
            member = u.team.get(ops_id) or TeamMember(slack_id=ops_id)
            member.is_ops = True
            u.team.upsert(member)


def sync_roster(uow: UnitOfWorkFactory, roster: Roster) -> int:
    """Make the stored roster exactly the file's: roles of people no longer listed are removed."""
    with uow() as u:
        _store(u, roster)
    return roster.people


# ---------------------------------------------------------------------- team import: the plan


@dataclass(frozen=True)
class Change:
    """One person whose roles or designer details an import changes."""

    slack_id: str
    name: str
    kind: str  # "added", "removed" or "changed"
    before: tuple[str, ...]
    after: tuple[str, ...]
    details: tuple[str, ...] = ()

    def describe(self) -> str:
        """``+ U0DES01 Dana: designer (video, social graphic; 20 pts/week; Europe/Berlin)``, ``- …``, ``~ …``."""
        who = f"{self.slack_id} {self.name}".rstrip()
        if self.kind == "added":
            return f"+ {who}: {' and '.join(self.after)}" + (f" ({'; '.join(self.details)})" if self.details else "")
        if self.kind == "removed":
            return f"- {who}: no longer {' or '.join(self.before)}"
        return f"~ {who}: {'; '.join(self.details)}"


@dataclass(frozen=True)
class ImportPlan:
    """What importing a roster would change, and what stands in its way."""

    changes: tuple[Change, ...]
    people: int
    ops_before: tuple[str, ...]
    ops_after: tuple[str, ...]
    #: Designers the import removes who still hold active work: their id and name → the references.
    busy: dict[str, list[str]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        """How many people are ``added``, ``removed`` or ``changed``."""
        return sum(1 for change in self.changes if change.kind == kind)

    def tally(self) -> str:
        """``1 added, 1 removed, 0 changed`` or ``no changes``."""
        if not self.changes:
            return "no changes"
        return ", ".join(f"{self.count(kind)} {kind}" for kind in ("added", "removed", "changed"))

    def busy_list(self) -> str:
        """``U0DES02 Luis (CR-0003, CR-0007), …``."""
        return ", ".join(f"{who} ({', '.join(refs)})" for who, refs in self.busy.items())

    def refusal(self, force: bool) -> str | None:
        """Why this import must not be applied, or None."""
        if not self.ops_after:
            was = f" (today: {', '.join(self.ops_before)})" if self.ops_before else ""
            return f"the roster lists no ops managers{was}; nobody could triage requests, so it is not imported"
        if self.busy and not force:
            return (
                f"it removes designers who hold active work: {self.busy_list()}; "
                "reassign that work first, or import with --force"
            )
        return None


def _roles(is_ops: bool, is_designer: bool) -> tuple[str, ...]:
    return tuple(role for role, held in ((OPS_ROLE, is_ops), (DESIGNER_ROLE, is_designer)) if held)


def _profile(skills: Sequence[str], capacity: int, timezone: str) -> list[str]:
    return [", ".join(skills) or "no skills", f"{capacity} pts/week", timezone]


def _designer_details(old: TeamMember, new: DesignerEntry) -> list[str]:
    details = []
    if old.name != new.name:
        details.append(f"name {old.name or '-'} → {new.name or '-'}")
    if list(old.skills) != new.skills:
        details.append(f"skills {', '.join(old.skills) or 'none'} → {', '.join(new.skills) or 'none'}")
    if old.capacity_points != new.capacity_points:
        details.append(f"capacity {old.capacity_points} → {new.capacity_points} pts/week")
    if old.timezone != new.timezone:
        details.append(f"time zone {old.timezone} → {new.timezone}")
    return details


def _plan(u: UnitOfWork, roster: Roster) -> ImportPlan:
    stored = {m.slack_id: m for m in u.team.all() if m.is_ops or m.is_designer}
    designers = {d.slack_id: d for d in roster.designers}
    ops = set(roster.ops_managers)
    changes: list[Change] = []
    removed_designers: dict[str, str] = {}
    for slack_id in sorted(set(stored) | set(designers) | ops):
        old, new = stored.get(slack_id), designers.get(slack_id)
        before = _roles(old.is_ops, old.is_designer) if old else ()
        after = _roles(slack_id in ops, new is not None)
        name = new.name if new is not None and new.name else (old.name if old else "")
        if old is None:
            details = _profile(new.skills, new.capacity_points, new.timezone) if new else []
            changes.append(Change(slack_id, name, "added", before, after, tuple(details)))
            continue
        if old.is_designer and new is None:
            removed_designers[slack_id] = f"{slack_id} {old.name}".rstrip()
        if not after:
            changes.append(Change(slack_id, name, "removed", before, after))
            continue
        details = []
        if before != after:
            details.append(f"now {' and '.join(after)} (was {' and '.join(before)})")
        if old.is_designer and new is not None:
            details += _designer_details(old, new)
        elif new is not None:
            details.append("designer: " + "; ".join(_profile(new.skills, new.capacity_points, new.timezone)))
        if details:
            changes.append(Change(slack_id, name, "changed", before, after, tuple(details)))
    busy: dict[str, list[str]] = {}
    if removed_designers:
        held = [r for r in u.requests.with_status(sorted(ACTIVE)) if r.assignee_id in removed_designers and r.ref]
        for request in sorted(held, key=lambda r: r.id or 0):
            busy.setdefault(removed_designers[request.assignee_id or ""], []).append(request.ref or "")
    order = {"added": 0, "changed": 1, "removed": 2}
    return ImportPlan(
        changes=tuple(sorted(changes, key=lambda change: (order[change.kind], change.slack_id))),
        people=roster.people,
        ops_before=tuple(sorted(m.slack_id for m in stored.values() if m.is_ops)),
        ops_after=tuple(roster.ops_managers),
        busy=dict(sorted(busy.items())),
    )


def plan_import(uow: UnitOfWorkFactory, roster: Roster) -> ImportPlan:
    """What importing ``roster`` would change; nothing is stored."""
    with uow() as u:
        return _plan(u, roster)


def import_roster(uow: UnitOfWorkFactory, roster: Roster, source: str, *, force: bool = False) -> ImportPlan:
    """Plan and apply ``roster`` in one transaction; :class:`RosterRefused` (naming ``source``) when refused."""
    with uow() as u:
        plan = _plan(u, roster)
        refusal = plan.refusal(force)
        if refusal:
            raise RosterRefused(f"{source}: {refusal}")
        _store(u, roster)
    return plan
