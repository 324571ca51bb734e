"""The roster (SPEC 6.4): ops managers and designers, from TEAM_FILE or ``team import``."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.briefs.catalog import Catalog
from bot.platform.clock import check_zone
from storage.models import TeamMember
from storage.uow import UnitOfWorkFactory


class TeamFileError(ValueError):
    """The roster file is unreadable or names something invalid; the message names the entry."""


class DesignerEntry(BaseModel):
    """One designer or producer."""

    slack_id: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")
    name: str = ""
    skills: list[str] = Field(default_factory=list)
    capacity_points: int = Field(default=20, ge=0, le=1000)
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_zone(value)


class Roster(BaseModel):
    """The whole roster."""

    ops_managers: list[str] = Field(default_factory=list)
    designers: list[DesignerEntry] = Field(default_factory=list)

    @field_validator("ops_managers")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not (isinstance(v, str) and v[:1] in "UW" and v[1:].isalnum() and len(v) > 2)]
        if bad:
            raise ValueError(f"not a Slack user id: {bad[0]!r}")
        return value


def parse_roster(text: str, catalog: Catalog, source: str = "TEAM_FILE") -> Roster:
    """A validated roster; skills must be request types of the catalog."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise TeamFileError(f"{source}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise TeamFileError(f"{source}: expected a mapping with ops_managers and designers")
    try:
        roster = Roster.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise TeamFileError(f"{source}: {where}: {first['msg'].removeprefix('Value error, ')}") from None
    for index, designer in enumerate(roster.designers):
        unknown = [skill for skill in designer.skills if skill not in catalog.request_types]
        if unknown:
            raise TeamFileError(f"{source}: designers.{index}.skills: unknown request type {unknown[0]!r}")
    return roster


def load_roster(path: Path, catalog: Catalog) -> Roster:
    """Read and validate a roster file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TeamFileError(f"TEAM_FILE {path}: {exc.strerror or exc}") from None
    return parse_roster(text, catalog, f"TEAM_FILE {path}")


def sync_roster(uow: UnitOfWorkFactory, roster: Roster) -> int:
    """Make the stored roster exactly the file's: roles of people no longer listed are removed."""
    with uow() as u:
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
        return len(set(roster.ops_managers) | designers)
