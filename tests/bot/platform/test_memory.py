"""The collector after start-up: what was loaded is frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.platform.memory import freeze_start_up


@pytest.fixture
def restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored")
def test_start_up_objects_are_frozen() -> None:
    loaded = [[n] for n in range(1000)]  # what start-up keeps (containers: tracked by the collector)
    freeze_start_up()
    assert gc.get_freeze_count() >= len(loaded)
    assert not any(o is loaded for o in gc.get_objects(generation=2))  # frozen: out of the full collections
