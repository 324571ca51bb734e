"""App Home as data (SPEC 2.5): a requester's open requests and those ended in the last 30 days."""

from __future__ import annotations

from datetime import date, timedelta

from support import NOW, add_request, counting

from bot.requests.home import SHOWN
from bot.services import Services
from handlers.blocks.home import home_view
from storage.models import TeamMember


def test_a_requester_sees_a_request_closed_yesterday_but_not_one_closed_last_month(services: Services) -> None:
    add_request(services.db, requester_id="UREQ1", status="in_progress", title="Open one")
    yesterday = add_request(services.db, requester_id="UREQ1", status="closed", when=NOW - timedelta(days=1))
    add_request(services.db, requester_id="UREQ1", status="rejected", when=NOW - timedelta(days=31))
    add_request(services.db, requester_id="UOTHER", status="closed", when=NOW - timedelta(days=1))

    view = services.homes.view("UREQ1")
    sections = {s.title: [e.ref for e in s.entries] for s in view.sections}
    assert len(sections["Your requests"]) == 1
    assert sections["Ended in the last 30 days"] == [yesterday]


def test_without_recently_ended_requests_there_is_no_such_section(services: Services) -> None:
    add_request(services.db, requester_id="UREQ1", status="submitted")
    assert [s.title for s in services.homes.view("UREQ1").sections] == ["Your requests"]


def test_each_list_shows_its_first_entries_and_how_many_more_in_one_query(services: Services) -> None:
    with services.uow() as u:
        u.team.upsert(TeamMember(slack_id="UOPS", name="Ops", is_ops=True, is_designer=True))
    queued = [add_request(services.db, requester_id=f"U{n}", when=NOW - timedelta(hours=n)) for n in range(SHOWN + 4)]
    due = [add_request(services.db, status="assigned", assignee_id="UOPS", due_date=date(2026, 12, d)) for d in (9, 3)]
    undated = add_request(services.db, status="in_progress", assignee_id="UOPS")
    with counting(services.db) as statements:
        view = services.homes.view("UOPS")
    sections = {s.title: s for s in view.sections}
    queue = sections["Triage queue"]
    assert [e.ref for e in queue.entries] == queued[:SHOWN] and queue.more == 4  # oldest stored first
    work = sections["Your assignments"]
    assert [e.ref for e in work.entries] == [due[1], due[0], undated] and work.more == 0
    assert "BEGIN IMMEDIATE" not in statements  # a read takes no write lock (SQLite)
    assert len([s for s in statements if s.startswith("SELECT")]) == 5  # the member, one per list, whatever is stored
    blocks = home_view(view)["blocks"]
    assert any("…and 4 more" in str(b) for b in blocks)
