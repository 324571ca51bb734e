"""Code's verdict on a brief: what is missing, whether it is complete, whether it is a rush."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.platform.calendar import add_workdays


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
    return Assessment(
        missing_fields=missing, complete=not missing, rush=rush, earliest_standard_date=earliest, lead_time_days=lead
    )
