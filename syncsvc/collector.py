"""The cyclic garbage collector paused while a large plan is built and written."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, age: bool = True) -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration, then as it was before.

    Planning and writing a 20,000-task plan (and its bundle) allocates millions of objects
    (models, rows, cells) and frees them by reference counting; meanwhile the collector's
    passes, started by the allocations alone, walk the whole live heap again and again and
    find next to nothing to collect (~20% of the export's CPU time at 20,000 tasks, ~30% of
    a planning command's, the same peak memory without them).

    `age=False`, for a small job in a long-lived process (an MCP tool call: ~2-3% of its
    time went to the collector): what the job made and kept stays young, so the next
    collection, due soon, frees the few cycles it left (aged, they would wait for a full one)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if age:
                _made_old()
            gc.enable()


def _made_old() -> None:
    """Every tracked object moved to the oldest generation, without a collection (freeze and
    unfreeze only move the generations' lists). The youngest generation held all that was
    made while paused, and the first collection after it (due at the next allocation) walked
    it all to find next to nothing: 34 ms after a 20,000-task plan. Not done when someone has
    frozen objects of their own: unfreezing would release theirs."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
