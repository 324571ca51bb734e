"""Start-up tells the truth in one line (SPEC 6.1): the token and the ops channel are checked with Slack
before the app is built; each problem is one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from support import OPS, SCRIPT

from app import SlackCheckError, check_ops_channel_id, check_slack
from bot.platform.settings import SettingsError, load_settings


def _env(tmp_path: Path, api_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(
        SLACK_BOT_TOKEN="xoxb-startup",
        SLACK_SIGNING_SECRET="startup-secret",
        SLACK_API_URL=api_url,
        OPS_CHANNEL_ID=OPS,
        DATABASE_URL=f"sqlite:///{tmp_path / 'startup.db'}",
    )
    env.update(extra)
    return env


def start(tmp_path: Path, api_url: str, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """The installed script, expected to stop at once (a process that starts serving is a failure)."""
    return subprocess.run(
        [str(SCRIPT), *(args or ("run", "--http", "--no-scheduler"))],
        capture_output=True,
        text=True,
        env=_env(tmp_path, api_url, **extra),
        cwd=tmp_path,
        timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a refused start (exit code 2)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("command", [("run", "--http", "--no-scheduler"), ("scheduler",)])
def test_a_refused_token_is_one_line_and_exit_2(tmp_path: Path, fake_slack: FakeSlackAPI, command: tuple[str]) -> None:
    fake_slack.fail_next("auth.test", error="invalid_auth")

    line = one_line(start(tmp_path, fake_slack.base_url, *command))

    assert line == "creative-intake: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)"
    assert fake_slack.calls("conversations.info") == []


def test_an_unreachable_slack_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api/"

    assert one_line(start(tmp_path, url)) == f"creative-intake: cannot reach Slack at {url}: Connection refused"


def test_a_channel_name_instead_of_an_id_is_one_line_with_a_hint(tmp_path: Path, fake_slack: FakeSlackAPI) -> None:
    line = one_line(start(tmp_path, fake_slack.base_url, OPS_CHANNEL_ID="#general"))

    assert line == (
        "creative-intake: invalid setting OPS_CHANNEL_ID: '#general' is not a channel id; use the channel's id "
        "(like C0123ABCDEF: in Slack, open the channel's details, it is at the bottom)"
    )
    assert fake_slack.calls() == []  # refused as a setting, before Slack is asked


def test_a_bot_that_is_not_in_the_ops_channel_is_one_line(tmp_path: Path, fake_slack: FakeSlackAPI) -> None:
    fake_slack.set_channel(OPS, is_member=False)

    line = one_line(start(tmp_path, fake_slack.base_url))

    assert line == (
        f"creative-intake: the bot cannot post to OPS_CHANNEL_ID {OPS}: not_in_channel — invite the app to the channel"
    )
    [call] = fake_slack.calls("conversations.info")
    assert call.params["channel"] == OPS


# ---------------------------------------------------------------------- the same checks, in process


def refused(fake: FakeSlackAPI | None, channel: str = OPS, url: str | None = None) -> str:
    settings = load_settings(
        slack_bot_token="xoxb-startup", slack_api_url=url or (fake.base_url if fake else ""), ops_channel_id=channel
    )
    with pytest.raises((SlackCheckError, SettingsError)) as failure:
        check_ops_channel_id(settings)
        check_slack(settings)
    return str(failure.value)


@pytest.mark.parametrize("error", ["token_revoked", "account_inactive", "not_authed"])
def test_every_token_refusal_names_slacks_reason(fake_slack: FakeSlackAPI, error: str) -> None:
    fake_slack.fail_next("auth.test", error=error)
    assert refused(fake_slack) == f"SLACK_BOT_TOKEN was refused by Slack ({error})"


def test_a_slack_that_answers_5xx_or_not_json_cannot_be_reached(fake_slack: FakeSlackAPI) -> None:
    fake_slack.fail_next("auth.test", status=503, error="service_unavailable")
    assert refused(fake_slack) == f"cannot reach Slack at {fake_slack.base_url}: HTTP 503 (service_unavailable)"
    assert refused(None, url=fake_slack.root_url + "/nowhere/") == (
        f"cannot reach Slack at {fake_slack.root_url}/nowhere/: HTTP 404"
    )


def test_credentials_in_the_api_url_are_not_shown() -> None:
    url = f"http://user:secret@127.0.0.1:{_closed_port()}/api/"
    message = refused(None, url=url)
    assert message.startswith("cannot reach Slack at http://127.0.0.1:") and "secret" not in message


@pytest.mark.parametrize("name", ["general", "#general", "c0ops", "C0 OPS", "<#C0OPS|ops>"])
def test_a_channel_name_is_refused_before_slack_is_asked(fake_slack: FakeSlackAPI, name: str) -> None:
    assert refused(fake_slack, channel=name).startswith(f"invalid setting OPS_CHANNEL_ID: {name!r} is not a channel id")
    assert fake_slack.calls() == []


def test_a_private_channel_the_bot_was_not_invited_to(fake_slack: FakeSlackAPI) -> None:
    fake_slack.set_channel("G0PRIV", exists=False)
    assert refused(fake_slack, channel="G0PRIV") == (
        "the bot cannot post to OPS_CHANNEL_ID G0PRIV: channel_not_found — check the id; "
        "for a private channel, invite the app to it first"
    )


def test_an_archived_ops_channel(fake_slack: FakeSlackAPI) -> None:
    fake_slack.set_channel(OPS, is_archived=True)
    assert refused(fake_slack).startswith(f"the bot cannot post to OPS_CHANNEL_ID {OPS}: is_archived")


def test_without_the_read_scope_membership_is_checked_through_the_history(fake_slack: FakeSlackAPI) -> None:
    """The manifest's scopes have no channels:read: conversations.info answers missing_scope, the history tells."""
    fake_slack.fail_next("conversations.info", error="missing_scope")
    fake_slack.fail_next("conversations.history", error="not_in_channel")
    assert refused(fake_slack).endswith(f"OPS_CHANNEL_ID {OPS}: not_in_channel — invite the app to the channel")


def test_a_check_slack_cannot_answer_for_want_of_scopes_lets_the_app_start(fake_slack: FakeSlackAPI) -> None:
    fake_slack.fail_next("conversations.info", error="missing_scope")
    fake_slack.fail_next("conversations.history", error="missing_scope")
    settings = load_settings(slack_bot_token="xoxb-startup", slack_api_url=fake_slack.base_url, ops_channel_id=OPS)
    check_slack(settings)  # logged, not refused
    assert [c.method for c in fake_slack.calls()] == ["auth.test", "conversations.info", "conversations.history"]


def test_a_good_token_and_channel_start_the_scheduler(tmp_path: Path, fake_slack: FakeSlackAPI) -> None:
    process = subprocess.Popen(
        [str(SCRIPT), "scheduler"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path, fake_slack.base_url),
        cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("scheduler started")
        assert [c.method for c in fake_slack.calls()][:2] == ["auth.test", "conversations.info"]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 130
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
