"""Aggregate queries for monitoring: cheap, grouped, read-only."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Request


def count_by_status(session: Session) -> dict[str, int]:
    """How many requests are in each status (statuses with no request are absent), in one query."""
    query = select(Request.status, func.count(col(Request.id))).group_by(col(Request.status))
    return {status: count for status, count in session.exec(query).all()}
