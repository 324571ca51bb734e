"""The scheduler's wiring: which jobs, on which triggers, calling which plain functions (no waiting on APScheduler)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from fakes.slack_api import FakeSlackAPI
from support import OPS, SCRIPT, TOKEN, add_designer, add_request, at, chat, stored

from bot.jobs import MISFIRE_GRACE_S, build_scheduler, notify_expired_drafts
from bot.platform.clock import FixedClock
from bot.services import Services


@pytest.fixture
def service_settings() -> dict[str, Any]:
    """The ops team in Berlin."""
    return {"timezone": "Europe/Berlin"}


def add_designer_with_work(services: Services) -> None:
    """A designer in Los Angeles with one request in progress."""
    add_designer(services.db, "UDES1", timezone="America/Los_Angeles")
    add_request(
        services.db,
        when=at(19, 9, month=2),
        status="in_progress",
        title="Launch video",
        assignee_id="UDES1",
        due_date=date(2026, 3, 20),
        assigned_at=at(20, 0, month=2),
    )


def fields(trigger: CronTrigger) -> dict[str, str]:
    """The trigger's non-default cron fields."""
    return {f.name: str(f) for f in trigger.fields if not f.is_default}


def test_every_job_is_registered_with_its_trigger(services: Services) -> None:
    port = chat(services)
    scheduler = build_scheduler(services, port)
    assert isinstance(scheduler, BackgroundScheduler)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"expire_drafts", "digests", "nudges", "weekly_report", "prune", "repair_triage"}

    drafts = jobs["expire_drafts"]
    assert isinstance(drafts.trigger, IntervalTrigger) and drafts.trigger.interval == timedelta(minutes=15)
    assert (drafts.func, drafts.args) == (notify_expired_drafts, (services.conversation, port))
    for job_id, tick, cron in [
        ("digests", services.digests.send_due, {"minute": "*/5"}),
        ("nudges", services.nudges.send_due, {"minute": "*/15"}),
        ("weekly_report", services.report.send_due, {"day_of_week": "mon", "minute": "*/5"}),
    ]:
        job = jobs[job_id]
        assert isinstance(job.trigger, CronTrigger) and fields(job.trigger) == cron
        assert (job.func, job.args) == (tick, (port,))
    assert str(jobs["weekly_report"].trigger.timezone) == "Europe/Berlin"


def test_the_repair_job_posts_a_triage_message_that_was_never_posted(
    services: Services, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    """A request stored without its triage message (and nothing queued for it) gets one posted, once."""
    jobs = {job.id: job for job in build_scheduler(services, chat(services)).get_jobs()}
    repair = jobs["repair_triage"]
    assert isinstance(repair.trigger, IntervalTrigger) and repair.trigger.interval == timedelta(minutes=5)
    ref = add_request(services.db, when=at(2, 9))
    clock.set(at(2, 9, 1))
    assert repair.func(*repair.args) == 0  # too recent: its post may be on its way
    clock.set(at(2, 9, 5))
    assert repair.func(*repair.args) == 1
    posted = [c for c in fake_slack.calls("chat.postMessage") if c.ok and c.params["channel"] == OPS]
    assert len(posted) == 1 and f"New request {ref}" in posted[0].params["text"]
    assert stored(services.db, ref).triage_ts == posted[0].response["ts"]
    clock.advance(timedelta(hours=2))
    assert repair.func(*repair.args) == 0


def test_triggers_fire_when_expected(services: Services) -> None:
    jobs = {job.id: job for job in build_scheduler(services, chat(services)).get_jobs()}
    now = datetime(2026, 3, 2, 8, 2, 30, tzinfo=UTC)
    assert jobs["digests"].trigger.get_next_fire_time(None, now) == at(2, 8, 5)
    assert jobs["nudges"].trigger.get_next_fire_time(None, now) == at(2, 8, 15)
    sunday = at(8, 12)  # Monday starts at 23:00 UTC in Berlin
    assert jobs["weekly_report"].trigger.get_next_fire_time(None, sunday) == at(8, 23)


def test_job_defaults_coalesce_one_instance_and_a_generous_misfire_grace(services: Services) -> None:
    scheduler = build_scheduler(services, chat(services))
    scheduler.start(paused=True)  # defaults are applied when jobs reach the store; paused, nothing runs
    try:
        jobs = scheduler.get_jobs()
        assert jobs and all(job.coalesce and job.max_instances == 1 for job in jobs)
        assert {job.misfire_grace_time for job in jobs} == {MISFIRE_GRACE_S}
    finally:
        scheduler.shutdown(wait=False)


def test_the_scheduler_command_gets_a_blocking_scheduler(services: Services) -> None:
    assert isinstance(build_scheduler(services, chat(services), blocking=True), BlockingScheduler)


def test_the_registered_jobs_do_the_work_when_called(
    services: Services, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    """Each job's own function and arguments, called as APScheduler would, at instants set on the clock."""
    add_designer_with_work(services)
    jobs = {job.id: job for job in build_scheduler(services, chat(services)).get_jobs()}

    def call(job_id: str, now: datetime) -> None:
        clock.set(now)
        jobs[job_id].func(*jobs[job_id].args)

    call("digests", at(2, 8))  # 09:00 in Berlin (ops), midnight in LA
    call("weekly_report", at(2, 8))
    call("digests", at(2, 17))  # 09:00 in LA
    call("nudges", at(2, 17))
    assert Counter(c.params["channel"] for c in fake_slack.calls("chat.postMessage")) == {OPS: 1, "UDES1": 1}
    assert [c.params["channel_id"] for c in fake_slack.calls("files.completeUploadExternal")] == [OPS]


# ---------------------------------------------------------------------- the scheduler command


def test_the_scheduler_command_needs_slack_settings(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run(
        [str(SCRIPT), "scheduler"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "creative-intake: missing required setting SLACK_BOT_TOKEN"


def test_the_scheduler_command_runs_in_the_foreground_until_interrupted(
    fake_slack: FakeSlackAPI, tmp_path: Path
) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": fake_slack.base_url,
        "OPS_CHANNEL_ID": OPS,
    }
    process = subprocess.Popen(
        [str(SCRIPT), "scheduler"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("scheduler started")
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 130
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
