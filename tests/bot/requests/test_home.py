"""App Home as data (SPEC 2.5): a requester's open requests and those ended in the last 30 days."""

from __future__ import annotations

from datetime import timedelta

from support import NOW, add_request

from bot.services import Services


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
