"""The brief: the fields of SPEC section 4, and how an update merges into a draft."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.platform.i18n import N_, current, t

#: Every brief field of SPEC section 4, in the order a brief is shown.
FIELD_NAMES: tuple[str, ...] = (
    "title",
    "request_type",
    "channels",
    "objective",
    "audience",
    "deadline",
    "platforms",
    "formats",
    "duration",
    "copy",
    "url",
    "quantity",
    "slide_count",
    "source_asset",
    "markets",
    "usage",
    "campaign",
    "budget",
    "assets",
    "approver",
    "notes",
)
#: Fields that hold several values.
LIST_FIELDS: frozenset[str] = frozenset({"channels", "platforms", "formats", "markets", "assets"})
#: Human labels, for questions and rendering (English: ``field_label`` gives them in the current language).
FIELD_LABELS: dict[str, str] = {
    "title": N_("Title"),
    "request_type": N_("Type"),
    "channels": N_("Channels"),
    "objective": N_("Objective"),
    "audience": N_("Audience"),
    "deadline": N_("Deadline"),
    "platforms": N_("Platforms"),
    "formats": N_("Formats"),
    "duration": N_("Duration"),
    "copy": N_("Copy"),
    "url": N_("URL"),
    "quantity": N_("Quantity"),
    "slide_count": N_("Slides"),
    "source_asset": N_("Source asset"),
    "markets": N_("Markets"),
    "usage": N_("Usage"),
    "campaign": N_("Campaign"),
    "budget": N_("Budget"),
    "assets": N_("Assets"),
    "approver": N_("Approver"),
    "notes": N_("Notes"),
}

#: Languages whose nouns keep their capital inside a sentence.
_CAPITALISED_NOUNS = frozenset({"de"})


def field_label(name: str) -> str:
    """A field's label in the current language ("Audience", "Zielgruppe")."""
    return t(FIELD_LABELS.get(name, name))


def field_word(name: str) -> str:
    """A field's label inside a sentence: lower case, except where nouns keep their capital ("Zielgruppe")."""
    label = field_label(name)
    return label if current() in _CAPITALISED_NOUNS else label.lower()


def field_said(name: str, value: str) -> str:
    """A field and its value in a sentence ("formats square"), the label left out when the value says it ("copy
    needed", not "copy copy needed")."""
    label = field_word(name)
    return value if value.lower().startswith(label.lower()) else f"{label} {value}"


class Brief(BaseModel):
    """A creative brief, complete or not. Empty means unknown."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    title: str | None = None
    request_type: str | None = None
    channels: list[str] = Field(default_factory=list)
    objective: str | None = None
    audience: str | None = None
    deadline: date | None = None
    platforms: list[str] = Field(default_factory=list)
    formats: list[str] = Field(default_factory=list)
    duration: str | None = None
    copy_text: str | None = Field(default=None, alias="copy")
    url: str | None = None
    quantity: str | None = None
    slide_count: str | None = None
    source_asset: str | None = None
    markets: list[str] = Field(default_factory=list)
    usage: str | None = None
    campaign: str | None = None
    budget: str | None = None
    assets: list[str] = Field(default_factory=list)
    approver: str | None = None
    notes: str | None = None

    def get(self, name: str) -> Any:
        """The value of a SPEC field name (``copy`` included)."""
        return getattr(self, "copy_text" if name == "copy" else name)

    def has(self, name: str) -> bool:
        """Whether a field holds a value."""
        value = self.get(name)
        return value not in (None, "", [])

    def known(self) -> dict[str, Any]:
        """Only the fields that hold a value, by SPEC name, JSON-ready."""
        data = self.model_dump(mode="json")
        return {name: data[name] for name in FIELD_NAMES if self.has(name)}

    def merged(self, update: Brief) -> Brief:
        """This brief with every field that ``update`` holds taking precedence (a correction)."""
        data = self.model_dump(mode="json")
        data.update(update.known())
        return Brief.model_validate(data)

    def without(self, *names: str) -> Brief:
        """This brief with the named fields cleared."""
        data = self.model_dump(mode="json")
        for name in names:
            data[name] = [] if name in LIST_FIELDS else None
        return Brief.model_validate(data)
