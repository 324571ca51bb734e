"""What the database never sees: texts longer than their column (refused alike on every backend), and SQL
parameters (a brief's text) in error messages."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from support import NOW, request_row

from storage.db import Database
from storage.models import DELIVERY_LINK_MAX, AuditEvent, ValueTooLong
from storage.repositories import Requests


def test_a_text_longer_than_its_column_is_refused_before_the_database_sees_it(db: Database) -> None:
    too_long = request_row(delivery_link="https://x/" + "a" * 2092)
    with pytest.raises(ValueTooLong, match="requests.delivery_link: 2102 characters, at most 2000"), db.session() as s:
        Requests(s).add(too_long, lambda n: f"CR-{n:04d}")
    with db.session() as session:
        assert Requests(session).all() == []


def test_a_text_that_fits_is_stored_whole(db: Database) -> None:
    link = "https://x/" + "a" * (DELIVERY_LINK_MAX - 10)
    with db.session() as session:
        ref = Requests(session).add(request_row(delivery_link=link), lambda n: f"CR-{n:04d}").ref
    with db.session() as session:
        stored = Requests(session).by_ref(ref or "")
        assert stored is not None and stored.delivery_link == link


def test_errors_carry_no_sql_parameters(db: Database) -> None:
    """Brief text in a failing statement never reaches the error (a database's own DETAIL names only keys)."""
    secret = "SECRET brief text: launch plans"
    with pytest.raises(IntegrityError) as failure, db.session() as session:
        session.add(AuditEvent(request_id=999_999, actor="U1", action="comment", new=secret, at=NOW))
        session.flush()  # no request 999999: a foreign-key violation
    assert secret not in str(failure.value)
    assert "parameters hidden" in str(failure.value)


def test_a_ref_that_is_not_a_string_finds_nothing(db: Database) -> None:
    with db.session() as session:
        assert Requests(session).by_ref(["CR-0001"]) is None  # type: ignore[arg-type]
