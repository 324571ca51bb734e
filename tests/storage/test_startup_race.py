"""Several instances starting together on an empty PostgreSQL database migrate it once, in turn (issue 14)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from support import SCRIPT

from storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
RACE_DB = "creative_intake_startup_race"


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database next to the test one (dropped afterwards)."""
    admin = Database(PG_URL)
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {RACE_DB}"))
        conn.execute(text(f"CREATE DATABASE {RACE_DB}"))
    url = PG_URL.rsplit("/", 1)[0] + f"/{RACE_DB}"
    try:
        yield url
    finally:
        with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {RACE_DB} WITH (FORCE)"))
        admin.dispose()


if PG_URL:  # a PostgreSQL race: defined only when the suite runs on PostgreSQL too

    def test_four_processes_upgrading_an_empty_database_at_once_all_succeed(empty_database: str) -> None:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")} | {"DATABASE_URL": empty_database}
        processes = [
            subprocess.Popen([str(SCRIPT), "db", "upgrade"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)
        ]
        outputs = [process.communicate(timeout=120) for process in processes]
        assert [p.returncode for p in processes] == [0] * 4, [err.decode()[-500:] for _, err in outputs]
        said = [out.decode() for out, _ in outputs]
        assert sum("applied 0001" in line for line in said) == 1  # one migrated; the others found it done
        assert sum("is up to date" in line for line in said) == 3
