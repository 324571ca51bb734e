"""All configuration, from the environment and ``.env`` (SPEC 6.1)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.platform.clock import check_zone

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_OPENAI_MODEL = "gpt-5-mini"


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it in one line."""


class Settings(BaseSettings):
    """Environment variables of SPEC 6.1; secrets never print."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    ops_channel_id: str | None = None
    database_url: str = "sqlite:///creative_intake.db"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = DEFAULT_OPENAI_MODEL
    team_file: Path | None = None
    catalog_file: Path | None = None
    timezone: str = "UTC"
    digest_time: str = "09:00"
    port: int = 3000

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_zone(value)

    @field_validator("digest_time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if not match:
            raise ValueError(f"expected HH:MM, got {value!r}")
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    def require(self, *names: str) -> None:
        """Raise SettingsError naming the first of ``names`` that is unset."""
        for name in names:
            if getattr(self, name.lower()) in (None, ""):
                raise SettingsError(f"missing required setting {name.upper()}")

    @property
    def llm_enabled(self) -> bool:
        """The LLM engine is used when an API key is configured."""
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one-line SettingsErrors."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"invalid setting {name}: {first['msg'].removeprefix('Value error, ')}") from None
