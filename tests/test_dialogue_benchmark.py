"""The dialogue benchmark's sets are well-formed and its runner plays a dialogue end to end.

The figures' values are not asserted: the benchmark measures the engine, it is not a test of it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "dialogues.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """benchmarks/dialogues.py, imported as a module."""
    spec = importlib.util.spec_from_file_location("dialogue_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_every_set_loads_and_follows_the_schema(bench: ModuleType) -> None:
    dev, heldout = bench.load("dev"), bench.load("heldout")
    assert len(dev) >= 60 and len(heldout) >= 20
    assert bench.problems(dev) == [] and bench.problems(heldout) == []
    for later in ("heldout2", "heldout3"):
        held = bench.load(later)
        assert len(held) >= 20 and bench.problems(held) == [], later
    assert {d["lang"] for d in dev} == {"en", "es", "de", "fr", "pt"}


def test_the_schema_check_finds_duplicate_ids_and_missing_gold(bench: ModuleType) -> None:
    first = bench.load("dev")[0]
    broken: dict[str, Any] = {key: value for key, value in first.items() if key != "gold"}
    found = bench.problems([first, first, broken])
    assert f"{first['id']}: duplicate id" in found
    assert f"{first['id']}: no gold" in found


def test_two_dev_dialogues_play_end_to_end_into_figures(bench: ModuleType) -> None:
    chosen = [d for d in bench.load("dev") if d["id"] in ("en-preroll-all-in-one", "en-linkedin-not-instagram")]
    assert len(chosen) == 2
    outcomes = [bench.play(d) for d in chosen]
    assert all(o.messages >= 1 and len(o.transcript) == 2 * o.messages + 1 for o in outcomes)
    figures = bench.figures(outcomes)
    assert figures["dialogues"] == 2
    assert set(figures["rates"]) == set(bench.RATES)
    for name, value in figures["rates"].items():
        assert value is None or 0.0 <= value <= 1.0, name
    assert figures["rates"]["completion"] is not None and figures["rates"]["corrections"] is not None
    assert figures["turn_ratio"] is None or figures["turn_ratio"] > 0
