"""Checking a brief submitted through the intake form."""

from __future__ import annotations

from datetime import date

from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.platform.text import human


def form_errors(brief: Brief, catalog: Catalog, today: date) -> dict[str, str]:
    """Every missing required field, and a past deadline, by field name."""
    errors = {
        name: f"Required for {human(brief.request_type or 'every request')}"
        for name in catalog.required_fields(brief.request_type)
        if not brief.has(name)
    }
    if brief.deadline and brief.deadline < today:
        errors["deadline"] = "This date is in the past"
    return errors
