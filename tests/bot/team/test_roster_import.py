"""`team import` cannot wipe the roster by mistake: refusals in one line naming the file, a dry run, --force.

The command runs as a user runs it (the installed script in a subprocess) on a SQLite file in tmp_path.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support import SCRIPT, add_request

from bot.briefs.catalog import Catalog
from bot.team.roster import TeamFileError, parse_roster
from storage.db import Database

TEAM = """
ops_managers: [U0OPS01, U0OPS02]
designers:
  - {slack_id: U0DES01, name: Dana, skills: [video, social_graphic], capacity_points: 20, timezone: Europe/Berlin}
  - {slack_id: U0DES02, name: Luis, skills: [email]}
"""
LISTED = [
    "ops managers: U0OPS01, U0OPS02",
    "designer U0DES01 Dana: skills video, social_graphic; capacity 20 pts/week; Europe/Berlin",
    "designer U0DES02 Luis: skills email; capacity 20 pts/week; UTC",
]
#: Luis leaves, Dana changes, Mei joins, U0OPS02 stops being an ops manager.
NEXT = """
ops_managers: [U0OPS01]
designers:
  - {slack_id: U0DES01, name: Dana, skills: [video], capacity_points: 24, timezone: Europe/Berlin}
  - {slack_id: U0DES03, name: Mei, skills: [print]}
"""


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'team.db'}"}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """tmp_path whose database holds TEAM."""
    (tmp_path / "team.yml").write_text(TEAM)
    result = cli(tmp_path, "team", "import", "team.yml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "+ U0DES01 Dana: designer (video, social_graphic; 20 pts/week; Europe/Berlin)",
        "+ U0DES02 Luis: designer (email; 20 pts/week; UTC)",
        "+ U0OPS01: ops manager",
        "+ U0OPS02: ops manager",
        "roster imported: 4 people (4 added, 0 removed, 0 changed)",
    ]
    return tmp_path


def listed(tmp_path: Path) -> list[str]:
    return cli(tmp_path, "team", "list").stdout.splitlines()


UNKNOWN = "a roster has ops_managers and designers, each designer slack_id, name, skills, capacity_points, timezone"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; a roster lists ops_managers and designers"),
        ("# nobody yet\n", "the file is empty; a roster lists ops_managers and designers"),
        (
            "ops_manager: [U0OPS01]\ndesigner:\n  - {slack_id: U0DES01}\n",
            f"unknown keys ops_manager (did you mean ops_managers?), designer (did you mean designers?); {UNKNOWN}",
        ),
        (
            "ops_managers: [U0OPS01]\ndesigners:\n  - {slack_id: U0DES01, skill: [video], team: a}\n",
            f"unknown keys designers.0.skill (did you mean skills?), designers.0.team; {UNKNOWN}",
        ),
        (
            "ops_managers: [U0OPS01]\ndesigners:\n  - {slack_id: U0DES01}\n  - {slack_id: U0DES01, name: Two}\n",
            "designers: slack_id listed twice: U0DES01",
        ),
        ("ops_managers: [U0OPS01, U0OPS01, U0OPS02]\n", "ops_managers: listed twice: U0OPS01"),
        (
            "ops_managers: [U0OPS01]\ndesigners:\n  - {slack_id: U0DES01, name: " + "x" * 120 + "}\n",
            "designers.0.name: String should have at most 100 characters",
        ),
        ("ops_managers: [U0" + "A" * 40 + "]\n", "ops_managers: not a Slack user id: 'U0" + "A" * 40 + "'"),
        ("designers:\n  - {slack_id: U0" + "A" * 40 + "}\n", "designers.0.slack_id: not a Slack user id"),
    ],
    ids=[
        "empty",
        "comment only",
        "misspelt keys",
        "unknown designer keys",
        "duplicate designer",
        "duplicate ops manager",
        "long name",
        "long ops id",
        "long designer id",
    ],
)
def test_a_roster_file_is_refused_in_one_line_naming_what_is_wrong(catalog: Catalog, text: str, message: str) -> None:
    with pytest.raises(TeamFileError) as info:
        parse_roster(text, catalog, "team.yml")
    assert str(info.value).startswith(f"team.yml: {message}") and "\n" not in str(info.value)


def test_team_import_refuses_a_bad_file_with_exit_2_and_keeps_the_roster(imported: Path) -> None:
    files = {
        "empty.yml": ("", "empty.yml: the file is empty; a roster lists ops_managers and designers"),
        "typo.yml": (
            "ops_manager: [U0OPS01]\ndesigner:\n  - {slack_id: U0DES01}\n",
            f"typo.yml: unknown keys ops_manager (did you mean ops_managers?), designer (did you mean designers?); "
            f"{UNKNOWN}",
        ),
        "twice.yml": (
            "ops_managers: [U0OPS01]\ndesigners:\n  - {slack_id: U0DES01}\n  - {slack_id: U0DES01, name: B}\n",
            "twice.yml: designers: slack_id listed twice: U0DES01",
        ),
        "no-ops.yml": (
            "designers:\n  - {slack_id: U0DES01}\n",
            "no-ops.yml: the roster lists no ops managers (today: U0OPS01, U0OPS02); nobody could triage "
            "requests, so it is not imported",
        ),
    }
    for name, (text, message) in files.items():
        (imported / name).write_text(text)
        result = cli(imported, "team", "import", name, *(["--force"] if name == "no-ops.yml" else []))
        assert (result.returncode, result.stdout) == (2, ""), result
        assert result.stderr.splitlines() == [f"creative-intake: {message}"]
    assert listed(imported) == LISTED


def test_a_dry_run_prints_the_changes_and_stores_nothing(imported: Path) -> None:
    (imported / "next.yml").write_text(NEXT)
    result = cli(imported, "team", "import", "next.yml", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "+ U0DES03 Mei: designer (print; 20 pts/week; UTC)",
        "~ U0DES01 Dana: skills video, social_graphic → video; capacity 20 → 24 pts/week",
        "- U0DES02 Luis: no longer designer",
        "- U0OPS02: no longer ops manager",
        "dry run: nothing changed; importing next.yml would leave 3 people (1 added, 2 removed, 1 changed)",
    ]
    assert listed(imported) == LISTED

    applied = cli(imported, "team", "import", "next.yml")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.splitlines()[:-1] == result.stdout.splitlines()[:-1]
    assert applied.stdout.splitlines()[-1] == "roster imported: 3 people (1 added, 2 removed, 1 changed)"
    assert listed(imported) == [
        "ops managers: U0OPS01",
        "designer U0DES01 Dana: skills video; capacity 24 pts/week; Europe/Berlin",
        "designer U0DES03 Mei: skills print; capacity 20 pts/week; UTC",
    ]
    again = cli(imported, "team", "import", "next.yml")
    assert again.stdout.splitlines() == ["roster imported: 3 people (no changes)"]


def test_removing_a_designer_who_holds_active_work_needs_force(imported: Path) -> None:
    db = Database(f"sqlite:///{imported / 'team.db'}")
    held = [add_request(db, status=status, assignee_id="U0DES02") for status in ("in_progress", "blocked")]
    add_request(db, status="delivered", assignee_id="U0DES02")  # done: not active work
    add_request(db, status="assigned", assignee_id="U0DES01")  # Dana stays
    db.dispose()
    (imported / "next.yml").write_text(NEXT)
    refusal = (
        "creative-intake: next.yml: it removes designers who hold active work: "
        f"U0DES02 Luis ({', '.join(held)}); reassign that work first, or import with --force"
    )

    refused = cli(imported, "team", "import", "next.yml")
    assert (refused.returncode, refused.stdout, refused.stderr.splitlines()) == (2, "", [refusal])
    assert listed(imported) == LISTED

    dry = cli(imported, "team", "import", "next.yml", "--dry-run")
    assert dry.returncode == 2 and dry.stderr.splitlines() == [refusal]
    assert "- U0DES02 Luis: no longer designer" in dry.stdout.splitlines()
    assert listed(imported) == LISTED

    forced = cli(imported, "team", "import", "next.yml", "--force")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.splitlines()[-2:] == [
        "roster imported: 3 people (1 added, 2 removed, 1 changed)",
        f"still assigned to designers no longer in the roster: U0DES02 Luis ({', '.join(held)}); "
        "reassign them in triage",
    ]
    assert "U0DES02" not in "\n".join(listed(imported))


def test_errors_name_the_file_as_given_or_as_team_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "team.yml").write_text("ops_manager: [U0OPS01]\n")
    by_argument = cli(tmp_path, "team", "import", "sub/team.yml")
    assert by_argument.returncode == 2
    assert by_argument.stderr.startswith("creative-intake: sub/team.yml: unknown key ops_manager ")
    missing = cli(tmp_path, "team", "import", "absent.yml")
    assert missing.returncode == 2
    assert missing.stderr.splitlines() == ["creative-intake: absent.yml: No such file or directory"]

    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TEAM_FILE": "sub/team.yml"}
    at_start = subprocess.run(
        [str(SCRIPT), "team", "list"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert at_start.returncode == 2
    assert at_start.stderr.startswith("creative-intake: TEAM_FILE sub/team.yml: unknown key ops_manager ")


def test_a_team_file_with_an_unknown_key_is_refused_at_start(catalog: Catalog) -> None:
    with pytest.raises(TeamFileError, match=r"^TEAM_FILE: unknown key designers\.0\.capacity \(did you mean"):
        parse_roster("ops_managers: [U0OPS01]\ndesigners:\n  - {slack_id: U0DES01, capacity: 20}\n", catalog)


def test_one_person_may_be_ops_manager_and_designer(catalog: Catalog) -> None:
    roster = parse_roster("ops_managers: [U0BOTH1]\ndesigners:\n  - {slack_id: U0BOTH1}\n", catalog)
    assert roster.people == 1
