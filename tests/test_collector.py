"""The collector pause (syncsvc.collector): what was made while paused leaves the youngest
generation without a collection, and the collector is on again afterwards."""

from __future__ import annotations

import gc
import weakref

from syncsvc.collector import collector_paused


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: tracked by the collector


def _in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_what_was_made_while_paused_is_old_afterwards() -> None:
    assert gc.isenabled()
    with collector_paused():
        made = _Node()
        assert _in_generation(made, 0)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert not _in_generation(made, 0) and _in_generation(made, 2)
    gone = weakref.ref(made)
    del made
    gc.collect()  # old, and still collected: a full collection frees the cycle
    assert gone() is None


def test_someone_elses_frozen_objects_stay_frozen() -> None:
    kept = _Node()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            pass
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()
        del kept.me
