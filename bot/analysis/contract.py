"""What an engine is given, what it proposes, and the decided analysis (SPEC 6.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from pydantic import BaseModel, Field

from bot.briefs.model import Brief
from bot.briefs.catalog import Catalog
from bot.platform.calendar import add_workdays


@dataclass(frozen=True)
class AnalysisContext:
    """Everything an engine may use besides the requester's text."""

    today: date
    timezone: str
    catalog: Catalog
    draft: Brief = field(default_factory=Brief)
    #: The field the bot asked for last, so a bare answer ("marketing managers in DACH") lands there.
    expecting: str | None = None


class Usage(BaseModel):
    """Accounting for one engine call."""

    engine: str
    model: str | None = None
    latency_ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Extraction(BaseModel):
    """An engine's proposal: the fields this message states (a partial brief) and the call's usage."""

    update: Brief
    usage: Usage
    #: Fields the message explicitly clears or negates ("not Instagram") — removed before merging.
    cleared: list[str] = Field(default_factory=list)
    #: Set when the LLM failed and the rules engine answered instead: why.
    fallback_reason: str | None = None


class Engine(Protocol):
    """An analysis engine proposes; code in ``assess`` decides."""

    name: str

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction: ...


class Assessment(BaseModel):
    """Code's verdict on a brief: what is missing, whether it is complete, whether it is a rush."""

    missing_fields: list[str]
    complete: bool
    rush: bool
    earliest_standard_date: date | None
    lead_time_days: int


def assess(brief: Brief, catalog: Catalog, today: date) -> Assessment:
    """Missing required fields (most important first), completeness and rush against lead time."""
    missing = [name for name in catalog.required_fields(brief.request_type) if not brief.has(name)]
    lead = catalog.lead_time(brief.request_type)
    earliest = add_workdays(today, lead) if brief.request_type else None
    rush = bool(brief.deadline and earliest and brief.deadline < earliest)
    return Assessment(missing_fields=missing, complete=not missing, rush=rush,
                      earliest_standard_date=earliest, lead_time_days=lead)


def analysis_json(brief: Brief, catalog: Catalog, today: date, engine: str,
                  fallback_reason: str | None = None, item_id: Any = None) -> dict[str, Any]:
    """The SPEC 6.3 object for a brief (``id`` only when given, ``fallback`` only when one happened)."""
    verdict = assess(brief, catalog, today)
    top = {"request_type", "channels", "deadline"}
    known = brief.known()
    required = [n for n in catalog.required_fields(brief.request_type) if n not in top]
    fields = {name: known.get(name) for name in required}
    fields.update({name: value for name, value in known.items() if name not in top})
    out: dict[str, Any] = {} if item_id is None else {"id": item_id}
    out.update({
        "request_type": brief.request_type,
        "channels": brief.channels,
        "deadline": brief.deadline.isoformat() if brief.deadline else None,
        "fields": fields,
        "missing_fields": verdict.missing_fields,
        "complete": verdict.complete,
        "rush": verdict.rush,
        "engine": engine,
    })
    if fallback_reason:
        out["fallback"] = fallback_reason
    return out
