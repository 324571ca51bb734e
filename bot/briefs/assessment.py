"""Code's verdict on a brief: what is missing, whether it is complete, whether it is a rush."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.platform.calendar import add_workdays
from bot.platform.i18n import N_

#: What an unsure objective or audience becomes the second time (SPEC 2.1): present, but a gap for ops.
TO_BE_AGREED = N_("to be agreed")


class Assessment(BaseModel):
    """Code's verdict on a brief: what is missing, whether it is complete, whether it is a rush."""

    missing_fields: list[str]
    #: Required fields the requester could not answer, recorded as "to be agreed": gaps for ops to close.
    to_agree: list[str] = []
    complete: bool
    rush: bool
    earliest_standard_date: date | None
    lead_time_days: int


def assess(brief: Brief, catalog: Catalog, today: date) -> Assessment:
    """Missing required fields (most important first), completeness and rush against lead time."""
    required = catalog.required_fields(brief.request_type)
    missing = [name for name in required if not brief.has(name)]
    to_agree = [name for name in required if brief.get(name) == TO_BE_AGREED]
    lead = catalog.lead_time(brief.request_type)
    earliest = add_workdays(today, lead) if brief.request_type else None
    rush = bool(brief.deadline and earliest and brief.deadline < earliest)
    return Assessment(
        missing_fields=missing,
        to_agree=to_agree,
        complete=not missing,
        rush=rush,
        earliest_standard_date=earliest,
        lead_time_days=lead,
    )
