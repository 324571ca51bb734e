"""Designers' load (SPEC 2.2): effort points of active work, and the suggested assignee."""

from __future__ import annotations

from support import add_request, designer_row, request_row

from bot.briefs.catalog import Catalog
from bot.requests.lifecycle import ACTIVE
from bot.team.workload import assigned, loads, suggest_assignee
from storage.db import Database
from storage.models import Request, TeamMember


def _designer(slack_id: str, skills: list[str], capacity: int) -> TeamMember:
    return designer_row(slack_id, skills=skills, capacity_points=capacity)


def _work(assignee: str, kind: str, status: str = "in_progress") -> Request:
    return request_row(status=status, request_type=kind, assignee_id=assignee)


def test_load_counts_effort_points_of_active_work_only(catalog: Catalog) -> None:
    team = [_designer("U0A", ["video"], 20)]
    work = [_work("U0A", "video"), _work("U0A", "email", "blocked"), _work("U0A", "video", "closed")]
    current = loads(team, assigned(work), catalog)
    assert current["U0A"].points == 8 + 3 and current["U0A"].describe() == "11/20 pts"


def test_the_suggestion_has_the_skill_and_the_most_free_capacity(catalog: Catalog) -> None:
    team = [_designer("U0A", ["video"], 20), _designer("U0B", ["video"], 30), _designer("U0C", ["email"], 99)]
    current = loads(team, assigned([_work("U0B", "video"), _work("U0B", "video")]), catalog)
    suggestion = suggest_assignee("video", team, current, catalog)
    assert suggestion is not None and suggestion.designer == "U0A"  # 20 free against U0B's 14
    assert suggest_assignee("print", team, current, catalog) is None
    full = loads(team, assigned([_work("U0A", "video")] * 2 + [_work("U0B", "video")] * 3), catalog)
    assert suggest_assignee("video", team, full, catalog) is None  # 4 and 6 free, a video needs 8


def test_the_stored_counts_give_the_same_loads_as_the_requests(db: Database) -> None:
    work = [_work("U0A", "video"), _work("U0A", "email", "blocked"), _work("U0A", "video", "closed")]
    work += [_work("U0B", "video", "assigned"), _work("U0B", "video", "revision_requested")]
    expected = {("U0A", "video"): 1, ("U0A", "email"): 1, ("U0B", "video"): 2}
    assert assigned(work) == expected
    for request in work:
        add_request(db, **request.model_dump(include={"status", "request_type", "assignee_id"}))
    with db.uow() as u:
        assert u.requests.assigned_counts(sorted(ACTIVE)) == expected
