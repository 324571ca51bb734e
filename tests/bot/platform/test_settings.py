"""Settings: SPEC 6.1 defaults, .env support, one-line errors that never leak secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.platform.settings import SettingsError, load_settings


def test_defaults_match_the_spec() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///creative_intake.db"
    assert (settings.timezone, settings.digest_time, settings.port) == ("UTC", "09:00", 3000)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.llm_enabled is False
    assert settings.intake_reaction == "art"


def test_the_intake_reaction_is_an_emoji_name_with_or_without_colons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_REACTION", " :Frame_With_Picture: ")
    assert load_settings().intake_reaction == "frame_with_picture"


def test_dotenv_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPS_CHANNEL_ID=C123\nTIMEZONE=Europe/Berlin\nOPENAI_API_KEY=sk-test\n")
    settings = load_settings()
    assert (settings.ops_channel_id, settings.timezone, settings.llm_enabled) == ("C123", "Europe/Berlin", True)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TIMEZONE", "Mars/Olympus", "invalid setting TIMEZONE: unknown time zone 'Mars/Olympus'"),
        ("DIGEST_TIME", "25:00", "invalid setting DIGEST_TIME: expected HH:MM, got '25:00'"),
        ("PORT", "http", "invalid setting PORT:"),
        ("INTAKE_REACTION", "not an emoji", "invalid setting INTAKE_REACTION: expected an emoji name"),
    ],
)
def test_invalid_values_are_one_line(monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_require_names_the_missing_setting() -> None:
    with pytest.raises(SettingsError, match="^missing required setting SLACK_BOT_TOKEN$"):
        load_settings().require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")


def test_secrets_do_not_print(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-value")
    settings = load_settings()
    assert "xoxb-secret-value" not in repr(settings)
    assert "xoxb-secret-value" not in str(settings.model_dump())
