"""The ``analyze`` command's JSON object (SPEC 6.3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.briefs.assessment import assess
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief


def analysis_json(
    brief: Brief, catalog: Catalog, today: date, engine: str, fallback_reason: str | None = None, item_id: Any = None
) -> dict[str, Any]:
    """The SPEC 6.3 object for a brief (``id`` only when given, ``fallback`` only when one happened)."""
    verdict = assess(brief, catalog, today)
    top = {"request_type", "channels", "deadline"}
    known = brief.known()
    required = [n for n in catalog.required_fields(brief.request_type) if n not in top]
    fields = {name: known.get(name) for name in required}
    fields.update({name: value for name, value in known.items() if name not in top})
    out: dict[str, Any] = {} if item_id is None else {"id": item_id}
    out.update(
        {
            "request_type": brief.request_type,
            "channels": brief.channels,
            "deadline": brief.deadline.isoformat() if brief.deadline else None,
            "fields": fields,
            "missing_fields": verdict.missing_fields,
            "complete": verdict.complete,
            "rush": verdict.rush,
            "engine": engine,
        }
    )
    if fallback_reason:
        out["fallback"] = fallback_reason
    return out
