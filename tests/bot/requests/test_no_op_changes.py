"""A change that changes nothing is nothing (SPEC 2.2, issue 12): not stored, not audited, marked as a no-op;
ops' due date and type recompute the rush flag; assignments and questions are audited by their value."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from support import add_designer, add_request, stored

from bot.platform.clock import FixedClock
from bot.requests.changes import Change
from bot.services import Services
from bot.team.roster import Roster, sync_roster
from storage.db import Database
from storage.repositories import Audit, Comments

OPS, DESIGNER, OTHER = "U0OPS", "U0DES", "U0DES2"


@pytest.fixture
def ref(services: Services, db: Database) -> str:
    """A submitted video request (Mon 2 Mar, due Mon 23 Mar: just the 15 business days a video needs)."""
    sync_roster(db.uow, Roster(ops_managers=[OPS], designers=[]))
    add_designer(db, DESIGNER)
    add_designer(db, OTHER)
    return add_request(
        db,
        when=services.clock.now(),
        brief={"request_type": "video", "channels": ["paid_ads", "video_platforms"]},
        channels=["paid_ads", "video_platforms"],
        deadline=date(2026, 3, 23),
        due_date=date(2026, 3, 23),
        priority="normal",
    )


def events(db: Database, ref: str) -> list[tuple[str, str | None, str | None]]:
    with db.session() as s:
        return [(e.action, e.old, e.new) for e in Audit(s).for_request(stored(db, ref).id or 0)]


def change(services: Services, ref: str, action: str, **kw: str) -> Change:
    return services.changes.perform(kw.pop("actor", OPS), ref, action, **kw)


@pytest.mark.parametrize(
    ("action", "first", "again"),
    [
        ("priority", "high", "HIGH"),
        ("due", "March 27", "27 March"),
        ("type", "social_graphic", "social graphic"),
        ("channels", "social, paid ads", "paid ads and social"),
        ("assign", DESIGNER, DESIGNER),
    ],
)
def test_the_same_value_twice_is_stored_and_audited_once(
    services: Services, db: Database, clock: FixedClock, ref: str, action: str, first: str, again: str
) -> None:
    assert change(services, ref, action, value=first).changed
    after_first, audited = stored(db, ref), events(db, ref)
    clock.advance(timedelta(minutes=5))
    repeated = change(services, ref, action, value=again)
    assert repeated.changed is False and repeated.old == repeated.new
    assert events(db, ref) == audited
    now = stored(db, ref)
    assert now.updated_at == after_first.updated_at and now.model_dump() == after_first.model_dump()


def test_unchanged_channels_from_the_start_are_a_no_op_in_any_order(services: Services, db: Database, ref: str) -> None:
    assert change(services, ref, "channels", value="video platforms, paid ads").changed is False
    assert stored(db, ref).classified_by == "rules" and events(db, ref) == []


def test_the_same_question_while_it_waits_is_a_no_op_a_new_one_is_asked(
    services: Services, db: Database, clock: FixedClock, ref: str
) -> None:
    first = change(services, ref, "ask", note="Which markets?")
    assert (first.changed, first.old, first.new) == (True, None, "Which markets?")
    asked_at = stored(db, ref).info_asked_at
    clock.advance(timedelta(hours=1))
    assert change(services, ref, "ask", note="Which markets?").changed is False
    assert stored(db, ref).info_asked_at == asked_at
    other = change(services, ref, "ask", note="Who signs off?")
    assert (other.changed, other.old, other.new) == (True, "Which markets?", "Who signs off?")
    assert stored(db, ref).info_asked_at == asked_at + timedelta(hours=1)
    assert events(db, ref) == [("ask", None, "Which markets?"), ("ask", "Which markets?", "Who signs off?")]


def test_a_question_asked_again_after_it_was_answered_is_a_new_question(
    services: Services, db: Database, ref: str
) -> None:
    change(services, ref, "ask", note="Which markets?")
    change(services, ref, "answer", actor="UREQ1", note="Germany")
    assert stored(db, ref).status == "submitted"
    assert change(services, ref, "ask", note="Which markets?").changed


def test_every_comment_is_kept(services: Services, db: Database, ref: str) -> None:
    assert change(services, ref, "comment", note="same words").changed
    assert change(services, ref, "comment", note="same words").changed
    with db.session() as s:
        assert [c.text for c in Comments(s).all()] == ["same words", "same words"]
    assert events(db, ref) == []


def test_reassignment_records_both_designers_and_says_who_had_it(services: Services, db: Database, ref: str) -> None:
    first = change(services, ref, "assign", value=DESIGNER)
    assert (first.old_status, first.previous_assignee, first.reassigned) == ("submitted", None, False)
    second = change(services, ref, "assign", value=OTHER)
    assert (second.old_status, second.previous_assignee, second.reassigned) == ("assigned", DESIGNER, True)
    assert events(db, ref) == [("assign", None, DESIGNER), ("assign", DESIGNER, OTHER)]


def test_transitions_still_audit_their_statuses(services: Services, db: Database, ref: str) -> None:
    approved = change(services, ref, "approve")
    assert (approved.changed, approved.old, approved.new) == (True, "submitted", "approved")
    assert events(db, ref) == [("approve", "submitted", "approved")]


def test_the_due_date_ops_set_recomputes_rush(services: Services, db: Database, ref: str) -> None:
    assert stored(db, ref).rush is False
    change(services, ref, "due", value="March 13")
    assert (stored(db, ref).rush, stored(db, ref).deadline) == (True, date(2026, 3, 23))
    change(services, ref, "due", value="March 27")
    assert stored(db, ref).rush is False


def test_another_type_another_lead_time_recomputes_rush(services: Services, db: Database, ref: str) -> None:
    change(services, ref, "due", value="March 9")  # a rush for a video (15 business days) …
    assert stored(db, ref).rush is True
    change(services, ref, "type", value="social_graphic")  # … not for a social graphic (3)
    assert stored(db, ref).rush is False
