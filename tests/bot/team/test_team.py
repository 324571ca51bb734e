"""The roster (SPEC 6.4): parsing with named errors, syncing as the single source of truth, the team command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support import SCRIPT

from bot.briefs.catalog import Catalog
from bot.team.directory import Directory
from bot.team.roster import TeamFileError, load_roster, parse_roster, sync_roster
from storage.db import Database

SPEC_EXAMPLE = """
ops_managers: [U0OPS01, U0OPS02]
designers:
  - slack_id: U0DES01
    name: Dana
    skills: [video, social_graphic]   # request types
    capacity_points: 20               # per week
    timezone: Europe/Berlin
"""


def test_the_spec_example_is_a_valid_roster(catalog: Catalog, db: Database) -> None:
    roster = parse_roster(SPEC_EXAMPLE, catalog)
    assert sync_roster(db.uow, roster) == 3
    directory = Directory(db.uow)
    assert [m.slack_id for m in directory.ops_managers()] == ["U0OPS01", "U0OPS02"]
    (dana,) = directory.designers()
    assert (dana.name, dana.skills, dana.capacity_points, dana.timezone) == (
        "Dana",
        ["video", "social_graphic"],
        20,
        "Europe/Berlin",
    )
    assert directory.is_ops("U0OPS01") and not directory.is_ops("U0DES01")


def test_a_new_import_replaces_the_roles(catalog: Catalog, db: Database) -> None:
    sync_roster(db.uow, parse_roster(SPEC_EXAMPLE, catalog))
    sync_roster(db.uow, parse_roster("ops_managers: [U0OPS02]\ndesigners: []\n", catalog))
    directory = Directory(db.uow)
    assert [m.slack_id for m in directory.ops_managers()] == ["U0OPS02"]
    assert directory.designers() == [] and not directory.is_ops("U0OPS01")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("designers:\n  - {slack_id: U0D1, skills: [videos]}\n", "designers.0.skills: unknown request type 'videos'"),
        ("designers:\n  - {slack_id: U0D1, timezone: Mars/Base}\n", "designers.0.timezone: unknown time zone"),
        ("designers:\n  - {slack_id: dana}\n", "designers.0.slack_id"),
        ("designers:\n  - {slack_id: U0D1, capacity_points: -5}\n", "designers.0.capacity_points"),
        ("ops_managers: [bob]\n", "ops_managers: not a Slack user id: 'bob'"),
        ("ops_managers: [U0OPS\n", "not valid YAML"),
        ("- U0OPS01\n", "expected a mapping"),
    ],
)
def test_invalid_rosters_name_the_bad_entry(catalog: Catalog, text: str, message: str) -> None:
    with pytest.raises(TeamFileError) as info:
        parse_roster(text, catalog, "TEAM_FILE team.yml")
    assert str(info.value).startswith("TEAM_FILE team.yml: ") and message in str(info.value)


def test_a_missing_file_is_named(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(TeamFileError, match="TEAM_FILE .*absent.yml"):
        load_roster(tmp_path / "absent.yml", catalog)


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env={**base, **env}, cwd=cwd, timeout=60
    )


def test_team_import_and_list(tmp_path: Path) -> None:
    (tmp_path / "team.yml").write_text(SPEC_EXAMPLE)
    imported = _cli("team", "import", "team.yml", env={}, cwd=tmp_path)
    assert imported.returncode == 0
    assert imported.stdout.splitlines()[-1] == "roster imported: 3 people (3 added, 0 removed, 0 changed)"
    listed = _cli("team", "list", env={}, cwd=tmp_path)
    assert listed.stdout.splitlines() == [
        "ops managers: U0OPS01, U0OPS02",
        "designer U0DES01 Dana: skills video, social_graphic; capacity 20 pts/week; Europe/Berlin",
    ]


def test_a_broken_team_file_stops_any_command_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "team.yml").write_text("designers:\n  - {slack_id: U0D1, skills: [videos]}\n")
    result = _cli("console", env={"TEAM_FILE": "team.yml"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "creative-intake: TEAM_FILE team.yml: designers.0.skills: unknown request type 'videos'"
    )
