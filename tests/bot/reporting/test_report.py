"""The weekly report (SPEC 2.4): figures on a hand-computed data set, the chart, the Monday post, the CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import FakeSlackAPI
from matplotlib.image import imread
from support import OPS, ROOT, SCRIPT, TOKEN, add_request, at, chat, make_services

from bot.platform.clock import FixedClock
from bot.reporting.weekly import (
    Window,
    render_chart,
    summary_text,
)
from bot.services import Services
from storage.db import Database

PNG = b"\x89PNG\r\n\x1a\n"
#: Monday 23 February to Sunday 1 March 2026, in UTC.
WEEK = Window.days_before(date(2026, 3, 2), "UTC")


def add(
    db: Database,
    request_type: str,
    channels: list[str],
    submitted: datetime,
    delivered: datetime | None = None,
    **columns: Any,
) -> None:
    """Store a request of ``request_type`` submitted at ``submitted``: delivered when ``delivered`` is given,
    else in progress; the engine's proposal is the type and channels unless ``columns`` say otherwise."""
    columns.setdefault("proposed_type", request_type)
    columns.setdefault("proposed_channels", channels)
    add_request(
        db,
        when=submitted,
        status="delivered" if delivered else "in_progress",
        title=f"{request_type} work",
        request_type=request_type,
        channels=channels,
        delivered_at=delivered,
        **columns,
    )


@pytest.fixture
def known(db: Database) -> Database:
    """Six requests whose figures for WEEK are computed by hand in the test below."""
    # 2.0 days
    add(db, "social_graphic", ["social", "paid_ads"], at(23, 9, month=2), at(25, 9, month=2), revision_count=1)
    add(
        db,
        "video",
        ["video_platforms"],
        at(24, 12, month=2),
        at(28, 12, month=2),
        rush=True,
        complete_at_submit=False,
        proposed_channels=["video_platforms", "social"],
    )  # 4.0 days
    add(
        db,
        "social_graphic",
        ["social"],
        at(26, 10, month=2),
        proposed_type="display_ad",
        proposed_channels=["paid_ads"],
        classified_by="ops",
    )
    add(db, "email", ["email"], at(1, 23, 59))
    add(db, "print", ["print"], at(20, 12, month=2), at(23, 12, month=2), revision_count=2)  # before; 3.0 days
    add(db, "video", ["video_platforms"], at(2, 0, 0), at(2, 8))  # after the window
    return db


def test_the_figures_of_a_known_week(known: Database, services: Services) -> None:
    figures = services.report.figures(WEEK)

    assert (figures.submitted, figures.delivered) == (4, 3)
    assert figures.by_type == {"social_graphic": 2, "email": 1, "video": 1}
    assert figures.by_channel == {"social": 2, "email": 1, "paid_ads": 1, "video_platforms": 1}
    assert figures.median_cycle_days == pytest.approx(3.0)  # 2, 4 and 3 days
    assert figures.revisions_per_request == pytest.approx(1.0)  # (1 + 0 + 2) / 3 delivered
    assert figures.complete_share == pytest.approx(0.75)  # one of four needed an ops question
    assert figures.rush_share == pytest.approx(0.25)
    assert figures.type_accuracy == pytest.approx(0.75)  # ops reclassified one of four
    assert figures.channel_accuracy == pytest.approx(0.5)  # two proposed channel sets differ
    assert figures.proposals == 4
    assert summary_text(figures).splitlines() == [
        "*Weekly creative report, Mon 23 Feb 2026 – Sun 1 Mar 2026*",
        "• 4 submitted (social graphic 2, email 1, video 1), 3 delivered",
        "• Median cycle time (submitted → delivered): 3.0 days",
        "• Complete at first submit: 75%",
        "• Revisions per delivered request: 1.0",
        "• Rush: 25%",
        "• Engine accuracy against ops: type 75%, channels 50% (4 proposals)",
    ]


def test_the_window_is_whole_local_days_before_today() -> None:
    assert (WEEK.first, WEEK.last) == (date(2026, 2, 23), date(2026, 3, 1))
    assert at(23, 0, month=2) in WEEK and at(1, 23, 59) in WEEK and at(2, 0) not in WEEK and None not in WEEK
    la = Window.days_before(date(2026, 3, 2), "America/Los_Angeles")
    assert (la.start, la.end) == (at(23, 8, month=2), at(2, 8))


def test_an_empty_week_has_no_figures_but_still_a_chart(db: Database, clock: FixedClock) -> None:
    services = make_services(db, clock)
    figures = services.report.figures(WEEK)
    assert (figures.submitted, figures.by_type, figures.median_cycle_days, figures.type_accuracy) == (0, {}, None, None)
    assert "Rush: n/a" in summary_text(figures)
    assert render_chart(figures).startswith(PNG)


def test_the_chart_is_a_readable_png(known: Database, services: Services) -> None:
    png = render_chart(services.report.figures(WEEK))
    assert png.startswith(PNG) and len(png) > 20_000
    height, width, _ = imread(io.BytesIO(png)).shape
    assert (width, height) == (1210, 715)


def test_the_report_is_uploaded_to_the_ops_channel_with_the_figures(
    known: Database, services: Services, fake_slack: FakeSlackAPI
) -> None:
    services.report.post(chat(services), at(2, 9))

    [upload] = fake_slack.calls("upload")
    assert upload.body.startswith(PNG)
    [complete] = fake_slack.calls("files.completeUploadExternal")
    assert complete.params["channel_id"] == OPS
    assert complete.params["files"][0]["title"] == "Creative requests, Mon 23 Feb 2026 – Sun 1 Mar 2026"
    assert "Median cycle time (submitted → delivered): 3.0 days" in complete.params["initial_comment"]


def test_the_weekly_report_goes_out_once_on_monday_from_digest_time(
    known: Database, services: Services, fake_slack: FakeSlackAPI
) -> None:
    port = chat(services)
    assert not services.report.send_due(port, at(2, 8, 59))
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def tick() -> None:
        barrier.wait(timeout=10)
        results.append(services.report.send_due(chat(services), at(2, 9)))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert not services.report.send_due(port, at(2, 15))
    assert not services.report.send_due(port, at(3, 9))  # Tuesday: last week's is not replayed
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1
    assert services.report.send_due(port, at(9, 9) + timedelta(minutes=5))
    assert len(fake_slack.calls("files.completeUploadExternal")) == 2


# ---------------------------------------------------------------------- the report command


def cli(
    *args: str, env: dict[str, str], cwd: Path, script: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [*(script or [str(SCRIPT)]), *args], capture_output=True, text=True, env={**base, **env}, cwd=cwd, timeout=120
    )


def test_report_out_renders_the_demo_data_offline(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    empty = cli("report", "--out", "empty.png", env=env, cwd=tmp_path)
    assert empty.returncode == 0, empty.stderr
    assert (tmp_path / "empty.png").read_bytes().startswith(PNG) and "0 submitted" in empty.stdout

    demo = cli(str(ROOT / "benchmarks" / "demo_data.py"), env=env, cwd=tmp_path, script=[sys.executable])
    assert demo.returncode == 0, demo.stderr
    result = cli("report", "--out", "report.png", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    png = (tmp_path / "report.png").read_bytes()
    assert png.startswith(PNG) and len(png) > 40_000
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Weekly creative report, ") and lines[-1] == "chart written to report.png"
    assert int(lines[1].split()[0]) > 0  # demo requests were submitted last week


def test_report_without_out_needs_slack_settings(tmp_path: Path) -> None:
    result = cli("report", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "creative-intake: missing required setting SLACK_BOT_TOKEN"


def test_report_posts_to_the_ops_channel(fake_slack: FakeSlackAPI, tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": fake_slack.base_url,
        "OPS_CHANNEL_ID": OPS,
    }
    result = cli("report", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("weekly report for ") and result.stdout.strip().endswith(f"posted to {OPS}")
    [complete] = fake_slack.calls("files.completeUploadExternal")
    assert complete.params["channel_id"] == OPS
