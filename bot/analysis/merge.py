"""An engine's proposal validated against the catalog and merged into the draft: the engine proposes, code decides."""

from __future__ import annotations

import re
from typing import Any

from bot.analysis.contract import Extraction
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.briefs.summary import titled

#: Control characters (tab and newline kept) and lone surrogates: no database or Slack message takes them.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _storable(value: Any) -> Any:
    """A proposed value without unstorable characters (an emptied string becomes None)."""
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, str):
        return _UNSTORABLE.sub("", value).strip() or None
    return value


def validated(update: Brief, catalog: Catalog) -> Brief:
    """Drop proposed values that are not in the catalog, or not storable: the engine proposes, code decides."""
    data = {name: _storable(value) for name, value in update.model_dump(mode="json").items()}
    if data["request_type"] not in catalog.request_types:
        data["request_type"] = None
    data["channels"] = [c for c in dict.fromkeys(data["channels"]) if c in catalog.channels]
    for name in ("platforms", "formats", "markets", "assets"):
        data[name] = [v for v in dict.fromkeys(str(x).strip() for x in data[name] if x is not None) if v]
    data["title"] = None  # always derived, never taken from an engine
    return Brief.model_validate(data)


def apply(draft: Brief, extraction: Extraction, catalog: Catalog) -> Brief:
    """The draft after this message: cleared fields removed, proposed fields validated and merged."""
    brief = draft.without(*extraction.cleared).merged(validated(extraction.update, catalog))
    return titled(brief)
