"""The lifecycle table (SPEC 5): the spec path, every other move refused, no way out of a terminal state."""

from __future__ import annotations

import pytest

from bot.requests.lifecycle import OPEN, TERMINAL, TRANSITIONS, IllegalTransition, Status, next_status


@pytest.mark.parametrize(
    ("status", "action", "target"),
    [
        ("submitted", "approve", "approved"),
        ("submitted", "ask", "needs_info"),
        ("needs_info", "answer", "submitted"),
        ("approved", "assign", "assigned"),
        ("submitted", "assign", "assigned"),
        ("assigned", "start", "in_progress"),
        ("in_progress", "block", "blocked"),
        ("blocked", "start", "in_progress"),
        ("in_progress", "deliver", "delivered"),
        ("delivered", "request_changes", "revision_requested"),
        ("revision_requested", "start", "in_progress"),
        ("delivered", "accept", "closed"),
        ("blocked", "reject", "rejected"),
        ("delivered", "cancel", "cancelled"),
    ],
)
def test_the_spec_path(status: str, action: str, target: str) -> None:
    assert next_status(status, action) == Status(target)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("rejected", "approve"),
        ("closed", "request_changes"),
        ("submitted", "start"),
        ("assigned", "accept"),
        ("approved", "deliver"),
        ("closed", "cancel"),
        ("cancelled", "reject"),
        ("in_progress", "answer"),
    ],
)
def test_everything_else_is_refused(status: str, action: str) -> None:
    with pytest.raises(IllegalTransition, match=f"while it is {status.replace('_', ' ')}"):
        next_status(status, action)


def test_terminal_states_have_no_way_out() -> None:
    for table in TRANSITIONS.values():
        assert not set(table) & TERMINAL
    assert set(Status) == OPEN | TERMINAL
