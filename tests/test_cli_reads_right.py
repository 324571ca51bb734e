"""The weekly report and the command line read right: "+N more" types, the chart format by extension, the last
full Monday–Sunday week by default (or --from/--to), empty stdin refused by `analyze`, the designer digest's
over-capacity flag, and `db upgrade` saying what it applied."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from support import ROOT, SCRIPT, add_designer, add_request, at, request_row

from bot.digests.compose import designer_digest, load_snapshot
from bot.digests.text import designer_notification, designer_text
from bot.reporting.weekly import Window, compute_figures, summary_lines
from bot.services import Services
from handlers.blocks.digests import designer_blocks
from storage.db import alembic_config

#: Monday 23 February to Sunday 1 March 2026, in UTC.
WEEK = Window.between(date(2026, 2, 23), date(2026, 3, 1), "UTC")


def cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    return subprocess.run(
        [str(SCRIPT), *args], input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


# ---------------------------------------------------------------------- the report's figures and window


def test_the_type_list_counts_what_it_does_not_name() -> None:
    counts = {"social_graphic": 6, "email": 5, "video": 4, "print": 3, "landing_page": 2, "presentation": 1}
    rows = [request_row(when=at(24, 10, month=2), request_type=kind) for kind, n in counts.items() for _ in range(n)]
    first = summary_lines(compute_figures(rows, WEEK))[0]
    assert first == (
        "21 submitted (social graphic 6, email 5, video 4, print 3, +3 more in 2 other types), 0 delivered"
    )
    one_more = summary_lines(compute_figures(rows[:-1], WEEK))[0]
    assert (
        one_more == "20 submitted (social graphic 6, email 5, video 4, print 3, +2 more in 1 other type), 0 delivered"
    )
    four = summary_lines(compute_figures(rows[:18], WEEK))[0]
    assert four == "18 submitted (social graphic 6, email 5, video 4, print 3), 0 delivered"


@pytest.mark.parametrize(
    ("now", "first", "last"),
    [
        (at(2, 10), date(2026, 2, 23), date(2026, 3, 1)),  # Monday: the week that ended yesterday
        (at(4, 10), date(2026, 2, 23), date(2026, 3, 1)),  # Wednesday: still that week, not 25 Feb – 3 Mar
        (at(8, 23, 59), date(2026, 2, 23), date(2026, 3, 1)),  # Sunday: the current week is not over yet
        (at(1, 12), date(2026, 2, 16), date(2026, 2, 22)),
    ],
)
def test_a_report_covers_the_last_full_monday_to_sunday_week(
    services: Services, now: datetime, first: date, last: date
) -> None:
    window = services.report.window(now)
    assert (window.first, window.last, window.first.weekday()) == (first, last, 0)
    assert window.heading() == f"Weekly creative report, {window.describe()}"


def test_a_window_between_two_days_includes_both() -> None:
    window = Window.between(date(2026, 3, 2), date(2026, 3, 4), "Europe/Berlin")
    assert (window.start, window.end) == (at(1, 23), at(4, 23))
    assert at(4, 22, 59) in window and at(4, 23) not in window
    assert window.heading() == "Creative report, Mon 2 Mar 2026 – Wed 4 Mar 2026"


# ---------------------------------------------------------------------- report --out, --from/--to


def test_report_out_writes_the_format_its_extension_names(tmp_path: Path) -> None:
    pdf = cli(tmp_path, "report", "--out", "report.pdf")
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert pdf.stdout.splitlines()[-1] == "chart written to report.pdf"

    svg = cli(tmp_path, "report", "--out", "report.SVG")
    assert svg.returncode == 0, svg.stderr
    text = (tmp_path / "report.SVG").read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text

    for name, shown in (("report.jpg", "a .jpg file"), ("report", "a file without an extension")):
        refused = cli(tmp_path, "report", "--out", name)
        assert (refused.returncode, refused.stdout) == (2, "")
        assert refused.stderr.splitlines() == [
            f"creative-intake: cannot write {name}: the chart is written as .png, .pdf or .svg, not {shown}"
        ]
        assert not (tmp_path / name).exists()


def test_report_by_hand_covers_the_last_full_week_unless_from_and_to_are_given(tmp_path: Path) -> None:
    expected = Window.last_full_week(datetime.now(UTC).date(), "UTC")
    default = cli(tmp_path, "report", "--out", "week.png")
    assert default.returncode == 0, default.stderr
    assert default.stdout.splitlines()[0] == f"Weekly creative report, {expected.describe()}"

    add_request_in(tmp_path, at(3, 12))
    chosen = cli(tmp_path, "report", "--out", "march.png", "--from", "2026-03-02", "--to", "2026-03-04")
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.splitlines()[:2] == [
        "Creative report, Mon 2 Mar 2026 – Wed 4 Mar 2026",
        "1 submitted (video 1), 0 delivered",
    ]

    alone = cli(tmp_path, "report", "--out", "x.png", "--from", "2026-03-02")
    assert alone.returncode == 2
    assert alone.stderr.splitlines() == [
        "creative-intake: report: --from and --to go together (YYYY-MM-DD, both days included)"
    ]
    backwards = cli(tmp_path, "report", "--out", "x.png", "--from", "2026-03-04", "--to", "2026-03-02")
    assert backwards.returncode == 2
    assert backwards.stderr.splitlines() == ["creative-intake: report: --from 2026-03-04 is after --to 2026-03-02"]


def add_request_in(tmp_path: Path, when: datetime) -> None:
    """One video request submitted at ``when`` in the CLI's database."""
    from storage.db import Database

    db = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    db.upgrade()
    add_request(db, when=when)
    db.dispose()


# ---------------------------------------------------------------------- demo data, analyze, db upgrade


def test_demo_data_refuses_a_database_that_is_not_empty(tmp_path: Path) -> None:
    add_request_in(tmp_path, at(3, 12))
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "demo_data.py")],
        capture_output=True,
        text=True,
        env={**base, "DATABASE_URL": url},
        cwd=tmp_path,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"demo_data: {url} (DATABASE_URL) is not empty: 1 requests, 0 in the roster; "
        "use --force to replace the roster and add the demo requests"
    ]


@pytest.mark.parametrize("stdin", ["", "  \n\t\n"])
def test_analyze_refuses_empty_stdin(tmp_path: Path, stdin: str) -> None:
    result = cli(tmp_path, "analyze", "--engine", "rules", stdin=stdin)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "creative-intake: analyze: nothing to analyse: stdin is empty (pipe one request text into it)"
    ]
    jsonl = cli(tmp_path, "analyze", "--engine", "rules", "--jsonl", stdin=stdin)
    assert (jsonl.returncode, jsonl.stdout) == (2, "")
    assert jsonl.stderr.splitlines() == ["creative-intake: analyze --jsonl: nothing to analyse: stdin has no lines"]


def test_db_upgrade_says_what_it_applied(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revisions = [revision.revision for revision in script.walk_revisions()][::-1]
    head = revisions[-1]
    first = cli(tmp_path, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert first.stdout.splitlines() == [f"database {url}: applied {', '.join(revisions)}; now at {head}"]
    again = cli(tmp_path, "db", "upgrade")
    assert again.stdout.splitlines() == [f"database {url} is up to date ({head})"]


# ---------------------------------------------------------------------- the designer digest


def test_the_designer_digest_flags_being_over_capacity(services: Services) -> None:
    add_designer(services.db, "UBUSY01", name="Dana", capacity_points=10)
    add_designer(services.db, "UCALM01", name="Luis", capacity_points=10)
    for _ in range(2):  # two videos at 8 points each: 16 of 10
        add_request(services.db, status="in_progress", assignee_id="UBUSY01", due_date=date(2026, 3, 20))
    add_request(services.db, status="assigned", assignee_id="UCALM01", due_date=date(2026, 3, 20), request_type="email")
    snapshot = load_snapshot(services.uow, services.catalog)
    busy, calm = (
        designer_digest(snapshot, next(d for d in snapshot.designers if d.slack_id == who), date(2026, 3, 2))
        for who in ("UBUSY01", "UCALM01")
    )
    assert busy is not None and calm is not None

    assert designer_text(busy).splitlines()[0].endswith("2 active requests. Load 16/10 pts: over capacity.")
    assert designer_notification(busy).endswith("Load 16/10 pts: over capacity.")
    sections = [b["text"]["text"] for b in designer_blocks(busy) if b["type"] == "section"]
    assert sections[0] == ":warning: *Over capacity*: 16/10 pts of active work; ops can rebalance it."

    assert "over capacity" not in designer_text(calm).lower()
    assert not any("Over capacity" in str(block) for block in designer_blocks(calm))
