"""The garbage collector in a long-running process: what start-up loaded is frozen out of its reach."""

from __future__ import annotations

import gc

#: Allocations between young collections (CPython's default is 700): a message's work allocates tens of
#: thousands of short-lived objects, so the default collects the young generation dozens of times per message.
YOUNG_THRESHOLD = 20_000


def freeze_start_up() -> None:
    """Call once start-up is done (models, lexicons, catalogs loaded): collect, then freeze what is left, so
    that full collections no longer walk the millions of objects that live as long as the process
    (``benchmarks/gc_pauses.py`` measures the pauses), and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
