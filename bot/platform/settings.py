"""All configuration, from the environment and ``.env`` (SPEC 6.1)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.platform.clock import check_zone

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_OPENAI_MODEL = "gpt-5-mini"
#: The whole budget of one analysis (every attempt included), in seconds.
DEFAULT_OPENAI_TIMEOUT_S = 20.0
#: Reasoning and answer together: low-effort reasoning takes a few hundred to ~2,000 tokens and the JSON
#: answer at most ~1,000 (every key of the schema, a long copy), so 4,096 leaves headroom without letting a
#: runaway generation cost more than a few cents; a cut answer is invalid output and falls back to rules.
DEFAULT_OPENAI_MAX_COMPLETION_TOKENS = 4096
#: OPENAI_REASONING_EFFORT values; ``none`` means never send the parameter.
ReasoningSetting = Literal["minimal", "low", "medium", "high", "none"]
REASONING_SETTINGS: tuple[str, ...] = ("minimal", "low", "medium", "high", "none")


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
    #: Seconds a database call may wait: connecting, one statement or lock, a pooled connection.
    database_connect_timeout_s: float = Field(default=2.0, gt=0, le=600, allow_inf_nan=False)
    database_statement_timeout_s: float = Field(default=2.5, gt=0, le=3600, allow_inf_nan=False)
    database_pool_timeout_s: float = Field(default=2.0, gt=0, le=600, allow_inf_nan=False)
    #: Worker processes ``run`` starts beside the web process (0: acks only, workers run elsewhere).
    workers: int = Field(default=1, ge=0, le=64)
    #: Threads per worker process that take work from the inbox (each may wait on an LLM call).
    worker_threads: int = Field(default=8, ge=1, le=256)
    #: How long a worker's lease on a piece of work lasts unless renewed (a dead worker's work is retaken then).
    worker_lease_s: float = Field(default=15.0, ge=1, le=3600, allow_inf_nan=False)
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = DEFAULT_OPENAI_MODEL
    #: Unset: ``low`` for reasoning models, nothing for others (bot/analysis/llm.py decides by model name).
    openai_reasoning_effort: ReasoningSetting | None = None
    openai_max_completion_tokens: int = Field(default=DEFAULT_OPENAI_MAX_COMPLETION_TOKENS, gt=0)
    openai_timeout_s: float = Field(default=DEFAULT_OPENAI_TIMEOUT_S, gt=0, allow_inf_nan=False)
    team_file: Path | None = None
    catalog_file: Path | None = None
    timezone: str = "UTC"
    digest_time: str = "09:00"
    port: int = 3000
    #: The emoji name (no colons) whose reaction turns a message into a request (SPEC 2.6).
    intake_reaction: str = "art"

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

    @field_validator("intake_reaction")
    @classmethod
    def _emoji(cls, value: str) -> str:
        name = value.strip().strip(":").lower()
        if not re.fullmatch(r"[a-z0-9_+'-]{1,100}", name):
            raise ValueError(f"expected an emoji name such as art, got {value!r}")
        return name

    @field_validator("openai_reasoning_effort", mode="before")
    @classmethod
    def _effort(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        effort = value.strip().lower()
        if not effort:
            return None
        if effort not in REASONING_SETTINGS:
            raise ValueError(f"expected one of {', '.join(REASONING_SETTINGS)}, got {value!r}")
        return effort

    @field_validator(
        "openai_max_completion_tokens",
        "openai_timeout_s",
        "database_connect_timeout_s",
        "database_statement_timeout_s",
        "database_pool_timeout_s",
        "workers",
        "worker_threads",
        "worker_lease_s",
        mode="before",
    )
    @classmethod
    def _blank_is_default(cls, value: object, info: ValidationInfo) -> object:
        """``OPENAI_TIMEOUT_S=`` (a blank line in a .env template) means the default, not an error."""
        if isinstance(value, str) and not value.strip():
            return cls.model_fields[info.field_name or ""].default
        return value

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
