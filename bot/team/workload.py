"""Designers' load against capacity, and the suggested assignee (SPEC 2.2, 2.4)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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


#: How many active requests each designer has of each type: ``{(assignee, request type): count}``.
Assigned = Mapping[tuple[str, str], int]


def assigned(requests: Iterable[Request]) -> Assigned:
    """The active requests among ``requests``, counted by assignee and type."""
    return Counter((r.assignee_id, r.request_type) for r in requests if r.assignee_id and r.status in ACTIVE)


def loads(designers: Iterable[TeamMember], counts: Assigned, catalog: Catalog) -> dict[str, Load]:
    """Each designer's load from the active requests assigned to them, counted by type."""
    points: dict[str, int] = {}
    for (assignee, request_type), count in counts.items():
        points[assignee] = points.get(assignee, 0) + count * catalog.effort(request_type)
    return {d.slack_id: Load(d.slack_id, points.get(d.slack_id, 0), d.capacity_points) for d in designers}


def suggest_assignee(
    request_type: str, designers: Sequence[TeamMember], current: dict[str, Load], catalog: Catalog
) -> Load | None:
    """The designer with this skill and the most free capacity that still fits the request, if any."""
    effort = catalog.effort(request_type)
    skilled = [current[d.slack_id] for d in designers if request_type in d.skills and d.slack_id in current]
    fitting = [load for load in skilled if load.free >= effort]
    return max(fitting, key=lambda load: (load.free, load.designer), default=None)
