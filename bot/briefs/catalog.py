"""The catalog of request types and channels (SPEC section 3), loaded from YAML data."""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from bot.briefs.model import FIELD_NAMES

_ALWAYS_REQUIRED = ("request_type", "channels", "deadline", "objective", "audience")
#: What a Slack menu can show (the intake form lists types and channels as static selects): options, the
#: characters of an option's value (the name) and of its label (the name in words, ``paid_ads`` → "Paid ads").
MAX_OPTIONS, MAX_OPTION_VALUE, MAX_OPTION_LABEL = 100, 150, 75


class CatalogError(ValueError):
    """The catalog file is unreadable or names something that does not exist."""


class RequestType(BaseModel):
    """One kind of creative work."""

    description: str
    required: list[str] = Field(default_factory=list)
    lead_time_days: int = Field(ge=0, le=250)
    effort_points: int = Field(ge=0, le=1000)

    @field_validator("required")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in FIELD_NAMES]
        if unknown:
            raise ValueError(f"unknown brief field(s) {', '.join(unknown)}")
        return value


class Catalog(BaseModel):
    """Channels, request types and the fields every brief needs."""

    channels: dict[str, str]
    request_types: dict[str, RequestType]
    common_required: list[str] = Field(default_factory=lambda: list(_ALWAYS_REQUIRED))

    @field_validator("channels", "request_types")
    @classmethod
    def _fits_a_menu(cls, value: dict[str, Any]) -> dict[str, Any]:
        """Slack must be able to show every entry as an option of the intake form's menus."""
        if len(value) > MAX_OPTIONS:
            raise ValueError(f"{len(value)} entries; a Slack menu holds at most {MAX_OPTIONS}")
        for name in value:
            if not name.strip():
                raise ValueError("an empty name; every entry needs one")
            if len(name) > MAX_OPTION_VALUE:
                raise ValueError(
                    f"{name[:40]!r}… is {len(name)} characters; a Slack option holds at most {MAX_OPTION_VALUE}"
                )
            if len(name) > MAX_OPTION_LABEL:
                raise ValueError(
                    f"{name[:40]!r}… is {len(name)} characters; a Slack menu label shows at most {MAX_OPTION_LABEL}"
                )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        if not self.channels:
            raise ValueError("channels: at least one channel is needed")
        if "other" not in self.request_types:
            raise ValueError("request_types: an 'other' type is needed as the catch-all")
        missing = [name for name in _ALWAYS_REQUIRED if name not in self.common_required]
        if missing:
            raise ValueError(f"common_required: must include {', '.join(missing)}")
        unknown = [name for name in self.common_required if name not in FIELD_NAMES]
        if unknown:
            raise ValueError(f"common_required: unknown brief field(s) {', '.join(unknown)}")
        return self

    @cached_property
    def type_names(self) -> list[str]:
        """Request type names, in catalog order."""
        return list(self.request_types)

    @cached_property
    def channel_names(self) -> list[str]:
        """Channel names, in catalog order."""
        return list(self.channels)

    def required_fields(self, request_type: str | None) -> list[str]:
        """Every field a brief of this type needs, most important first."""
        specific = self.request_types[request_type].required if request_type in self.request_types else []
        return list(dict.fromkeys([*self.common_required, *specific]))

    def lead_time(self, request_type: str | None) -> int:
        """Standard lead time in business days (the catch-all's when the type is unknown)."""
        return self.request_types.get(request_type or "other", self.request_types["other"]).lead_time_days

    def effort(self, request_type: str | None) -> int:
        """Effort points of one request of this type."""
        return self.request_types.get(request_type or "other", self.request_types["other"]).effort_points


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "catalog"
    return f"{where}: {first['msg'].removeprefix('Value error, ')}"


def parse_catalog(text: str, source: str = "catalog") -> Catalog:
    """Build a catalog from YAML text; the error names the bad entry."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{source}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: expected a mapping with channels and request_types")
    try:
        return Catalog.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(f"{source}: {_describe(exc)}") from None


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog at ``path``, or the built-in default."""
    if path is None:
        text = resources.files("bot.briefs").joinpath("data/catalog.yml").read_text(encoding="utf-8")
        return parse_catalog(text, "built-in catalog")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"CATALOG_FILE {path}: {exc.strerror or exc}") from None
    return parse_catalog(text, f"CATALOG_FILE {path}")
