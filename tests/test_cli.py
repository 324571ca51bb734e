"""The command line as a user runs it: the installed script, stdin/stdout, exit codes (SPEC 6.2, 6.3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakes.openai_server import VIDEO_PROPOSAL, FakeOpenAI, reply, status
from support import ROOT, SCRIPT

ACCEPTANCE = "need a 30s youtube pre-roll, 16:9, due in 3 weeks"


def run(
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    script: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return subprocess.run(
        [*(script or [str(SCRIPT)]), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=cwd,
        timeout=60,
    )


def test_analyze_prints_the_spec_json(tmp_path: Path) -> None:
    result = run("analyze", "--engine", "rules", "--today", "2026-03-02", stdin=ACCEPTANCE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == [
        "request_type",
        "channels",
        "deadline",
        "fields",
        "missing_fields",
        "complete",
        "rush",
        "engine",
    ]
    assert out["request_type"] == "video"
    assert {"video_platforms", "paid_ads"} <= set(out["channels"])
    assert out["deadline"] == "2026-03-23"
    assert out["fields"]["duration"] == "30s" and out["fields"]["formats"] == ["16:9"]
    assert out["fields"]["objective"] is None and out["fields"]["audience"] is None
    assert out["missing_fields"] == ["objective", "audience"]
    assert (out["complete"], out["rush"], out["engine"]) == (False, False, "rules")


def test_python_app_py_behaves_like_the_script(tmp_path: Path) -> None:
    args = ("analyze", "--engine", "rules", "--today", "2026-03-02")
    via_script = run(*args, stdin=ACCEPTANCE, cwd=tmp_path)
    via_app = run(*args, stdin=ACCEPTANCE, cwd=tmp_path, script=[sys.executable, str(ROOT / "app.py")])
    assert via_app.returncode == via_script.returncode == 0
    assert via_app.stdout == via_script.stdout


def test_analyze_jsonl_keeps_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": ACCEPTANCE}),
            "not json",
            json.dumps({"id": 7, "text": "flyer for the fair, 500 copies, A5, by 20.03.2026"}),
        ]
    )
    result = run("analyze", "--engine", "rules", "--today", "2026-03-02", "--jsonl", stdin=lines, cwd=tmp_path)
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in outputs] == ["a", 7]
    assert outputs[1]["request_type"] == "print" and outputs[1]["deadline"] == "2026-03-20"
    assert result.returncode == 1 and "line 2" in result.stderr


def test_analyze_with_the_llm_engine_and_its_fallback(tmp_path: Path) -> None:
    proposal = VIDEO_PROPOSAL
    with FakeOpenAI() as server:
        env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": server.base_url}
        server.enqueue(reply(proposal))
        ok = run("analyze", "--today", "2026-03-02", stdin=ACCEPTANCE, env=env, cwd=tmp_path)
        server.enqueue(status(500), status(500))
        degraded = run("analyze", "--today", "2026-03-02", stdin=ACCEPTANCE, env=env, cwd=tmp_path)
    assert json.loads(ok.stdout)["engine"] == "llm"
    fallback = json.loads(degraded.stdout)
    assert (fallback["engine"], fallback["fallback"]) == ("rules", "llm http_500")
    assert fallback["request_type"] == "video" and fallback["deadline"] == "2026-03-23"
    assert "sk-test" not in ok.stderr + degraded.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["analyze", "--engine", "llm"], {}, "creative-intake: missing required setting OPENAI_API_KEY"),
        (["analyze"], {"TIMEZONE": "Mars/Olympus"}, "creative-intake: invalid setting TIMEZONE: unknown time zone"),
        (["analyze", "--tz", "Nowhere/City"], {}, "creative-intake: unknown time zone 'Nowhere/City'"),
        (["run"], {}, "creative-intake: missing required setting SLACK_BOT_TOKEN"),
        (["run"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "creative-intake: missing required setting OPS_CHANNEL_ID"),
        (
            ["run", "--http"],
            {"SLACK_BOT_TOKEN": "xoxb-1", "OPS_CHANNEL_ID": "C1"},
            "creative-intake: missing required setting SLACK_SIGNING_SECRET",
        ),
        (["db", "upgrade"], {"DATABASE_URL": "nonsense://"}, "creative-intake: invalid setting DATABASE_URL"),
    ],
)
def test_configuration_errors_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    result = run(*args, env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_broken_catalog_file_names_the_bad_entry(tmp_path: Path) -> None:
    (tmp_path / "catalog.yml").write_text(
        "channels: {social: x}\nrequest_types:\n  other: {description: d, lead_time_days: five, effort_points: 1}\n"
    )
    result = run("analyze", env={"CATALOG_FILE": "catalog.yml"}, stdin="x", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("creative-intake: CATALOG_FILE catalog.yml: request_types.other.lead_time_days")


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    result = run("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, cwd=tmp_path)
    assert result.returncode == 0 and ": applied 0001, " in result.stdout
    assert (tmp_path / "x.db").exists()


def test_the_console_runs_a_whole_conversation(tmp_path: Path) -> None:
    script = "\n\n".join(
        [ACCEPTANCE, "Goal: drive sign-ups for the spring launch", "marketing managers in DACH", "submit", "status"]
    )
    result = run("console", stdin=script + "\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "What should this achieve, and who is it for?" in result.stdout
    assert "Who is it for" in result.stdout
    assert "Here is your brief" in result.stdout and "Duration: 30s" in result.stdout
    assert "Submitted as CR-0001" in result.stdout and "no ops channel is configured" in result.stdout
    assert "CR-0001 Drive sign-ups for the spring launch — YouTube video 30s — submitted" in result.stdout
    assert (tmp_path / "creative_intake.db").exists()


def test_console_lang_forces_the_language_whatever_is_typed(tmp_path: Path) -> None:
    paste = "need a 30s youtube pre-roll, 16:9,\ndue in 3 weeks\nGoal: drive sign-ups\nAudience: marketing managers\n"
    result = run("console", "--lang", "de", stdin=f"{paste}\nsubmit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Hier ist dein Briefing" in result.stdout and "Dauer: 30s" in result.stdout
    assert "Gesendet als CR-0001" in result.stdout and "Here is your brief" not in result.stdout
    assert run("console", "--lang", "it", stdin="", cwd=tmp_path).returncode == 2


def test_piped_console_input_is_read_in_paragraphs_and_cancel_works(tmp_path: Path) -> None:
    paste = "need a 30s youtube pre-roll, 16:9,\ndue in 3 weeks\nGoal: drive sign-ups\nAudience: marketing managers\n"
    result = run("console", stdin=f"{paste}\nsubmit\n\ncancel CR-0001\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("> ") == 4  # three messages, then the end of input
    assert "Here is your brief" in result.stdout and "Submitted as CR-0001" in result.stdout
    assert "CR-0001 “Drive sign-ups — YouTube video 30s” is cancelled." in result.stdout


def test_console_log_lines_go_to_a_file_when_stderr_shows_in_the_conversation(tmp_path: Path) -> None:
    """Here stderr is stdout (``2>&1``, or one terminal); an unreachable LLM logs warnings."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    llm = {"OPENAI_API_KEY": "sk-test-console", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_TIMEOUT_S": "2"}
    result = subprocess.run(
        [str(SCRIPT), "console"],
        input=ACCEPTANCE + "\n",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**base, **llm},
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout
    assert "log lines go to creative-intake.log" in result.stdout.splitlines()[0]
    assert "(the LLM was unavailable" in result.stdout and '"level"' not in result.stdout
    logged = [json.loads(line) for line in (tmp_path / "creative-intake.log").read_text().splitlines()]
    assert "llm fallback" in [line["message"] for line in logged]


def test_console_log_lines_stay_on_stderr_when_it_is_elsewhere(tmp_path: Path) -> None:
    llm = {"OPENAI_API_KEY": "sk-test-console", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_TIMEOUT_S": "2"}
    result = run("console", stdin=ACCEPTANCE + "\n", env=llm, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"llm fallback"' in result.stderr and '"level"' not in result.stdout
    assert "log lines go to" not in result.stdout and not (tmp_path / "creative-intake.log").exists()


def test_no_command_without_slack_settings_starts_the_console_and_says_so(tmp_path: Path) -> None:
    result = run(stdin="help\n", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        "No SLACK_BOT_TOKEN set: starting the terminal console instead of the Slack app."
    )
