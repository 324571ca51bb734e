"""The lifecycle table (SPEC 5) and designers' load (SPEC 2.2)."""

from __future__ import annotations

import pytest

from bot.briefs.catalog import Catalog
from bot.requests.lifecycle import OPEN, TERMINAL, TRANSITIONS, IllegalTransition, Status, next_status
from bot.team.workload import loads, suggest_assignee
from storage.models import Request, TeamMember


@pytest.mark.parametrize(("status", "action", "target"), [
    ("submitted", "approve", "approved"), ("submitted", "ask", "needs_info"), ("needs_info", "answer", "submitted"),
    ("approved", "assign", "assigned"), ("submitted", "assign", "assigned"), ("assigned", "start", "in_progress"),
    ("in_progress", "block", "blocked"), ("blocked", "start", "in_progress"), ("in_progress", "deliver", "delivered"),
    ("delivered", "request_changes", "revision_requested"), ("revision_requested", "start", "in_progress"),
    ("delivered", "accept", "closed"), ("blocked", "reject", "rejected"), ("delivered", "cancel", "cancelled"),
])
def test_the_spec_path(status: str, action: str, target: str) -> None:
    assert next_status(status, action) == Status(target)


@pytest.mark.parametrize(("status", "action"), [
    ("rejected", "approve"), ("closed", "request_changes"), ("submitted", "start"), ("assigned", "accept"),
    ("approved", "deliver"), ("closed", "cancel"), ("cancelled", "reject"), ("in_progress", "answer"),
])
def test_everything_else_is_refused(status: str, action: str) -> None:
    with pytest.raises(IllegalTransition, match=f"while it is {status.replace('_', ' ')}"):
        next_status(status, action)


def test_terminal_states_have_no_way_out() -> None:
    for table in TRANSITIONS.values():
        assert not set(table) & TERMINAL
    assert OPEN | TERMINAL == set(Status)


def _designer(slack_id: str, skills: list[str], capacity: int) -> TeamMember:
    return TeamMember(slack_id=slack_id, is_designer=True, skills=skills, capacity_points=capacity)


def _work(assignee: str, kind: str, status: str = "in_progress") -> Request:
    return Request(status=status, requester_id="U1", conversation_id="D1", title="t", request_type=kind,
                   assignee_id=assignee, classified_by="rules")


def test_load_counts_effort_points_of_active_work_only(catalog: Catalog) -> None:
    team = [_designer("U0A", ["video"], 20)]
    current = loads(team, [_work("U0A", "video"), _work("U0A", "email", "blocked"), _work("U0A", "video", "closed")],
                    catalog)
    assert current["U0A"].points == 8 + 3 and current["U0A"].describe() == "11/20 pts"


def test_the_suggestion_has_the_skill_and_the_most_free_capacity(catalog: Catalog) -> None:
    team = [_designer("U0A", ["video"], 20), _designer("U0B", ["video"], 30), _designer("U0C", ["email"], 99)]
    current = loads(team, [_work("U0B", "video"), _work("U0B", "video")], catalog)
    suggestion = suggest_assignee("video", team, current, catalog)
    assert suggestion is not None and suggestion.designer == "U0A"  # 20 free against U0B's 14
    assert suggest_assignee("print", team, current, catalog) is None
    full = loads(team, [_work("U0A", "video")] * 2 + [_work("U0B", "video")] * 3, catalog)
    assert suggest_assignee("video", team, full, catalog) is None  # 4 and 6 free, a video needs 8
