"""The garbage collector in a long-running process: what start-up loaded is frozen out of its reach."""

from __future__ import annotations

import gc


def freeze_start_up() -> None:
    """Call once start-up is done (models, lexicons, catalogs loaded): collect, then freeze what is left, so
    that full collections no longer walk the objects that live as long as the process
    (``benchmarks/gc_pauses.py`` measures the pauses). The thresholds stay CPython's: collecting less often was
    tried and gave nothing measurable."""
    gc.collect()
    gc.freeze()
