"""Designers' load against capacity, and the suggested assignee (SPEC 2.2, 2.4)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.briefs.catalog import Catalog
from bot.requests.lifecycle import ACTIVE
from storage.models import Request, TeamMember


@dataclass(frozen=True)
class Load:
    """A designer's effort points in progress against weekly capacity."""

    designer: str
    points: int
    capacity: int

    @property
    def free(self) -> int:
        """Capacity left (negative when overloaded)."""
        return self.capacity - self.points

    def describe(self) -> str:
        """``8/20 pts``."""
        return f"{self.points}/{self.capacity} pts"


def loads(designers: Iterable[TeamMember], requests: Iterable[Request], catalog: Catalog) -> dict[str, Load]:
    """Each designer's load from the active requests assigned to them."""
    points: dict[str, int] = {}
    for request in requests:
        if request.assignee_id and request.status in ACTIVE:
            points[request.assignee_id] = points.get(request.assignee_id, 0) + catalog.effort(request.request_type)
    return {d.slack_id: Load(d.slack_id, points.get(d.slack_id, 0), d.capacity_points) for d in designers}


def suggest_assignee(
    request_type: str, designers: Sequence[TeamMember], current: dict[str, Load], catalog: Catalog
) -> Load | None:
    """The designer with this skill and the most free capacity that still fits the request, if any."""
    effort = catalog.effort(request_type)
    skilled = [current[d.slack_id] for d in designers if request_type in d.skills and d.slack_id in current]
    fitting = [load for load in skilled if load.free >= effort]
    return max(fitting, key=lambda load: (load.free, load.designer), default=None)
