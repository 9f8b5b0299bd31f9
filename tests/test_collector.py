"""The collector pause (syncsvc.collector): what was made while paused leaves the youngest
generation without a collection, and the collector is on again afterwards."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import pytest

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


def test_not_aged_what_was_made_stays_young_and_the_next_young_collection_frees_it() -> None:
    # a small job in a long-lived process (the MCP server's tool call): its cycles must not
    # wait for a full collection
    with collector_paused(age=False):
        assert not gc.isenabled()
        made = _Node()
    assert gc.isenabled()
    assert _in_generation(made, 0)
    gone = weakref.ref(made)
    del made
    gc.collect(0)
    assert gone() is None


def test_an_mcp_tool_call_plans_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    from syncsvc import mcp_server

    seen: list[bool] = []
    plan_of = mcp_server.plan_of

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return plan_of(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mcp_server, "plan_of", watched)
    inputs = {
        "feature_name": "Saved searches",
        "description": "Users save a search and get an email when new results appear",
        "team_size": 3,
        "timeline": "4 weeks",
        "risk_tolerance": "medium",
    }
    text, _ = mcp_server.plan_tool("generate_timeline", inputs, today=dt.date(2026, 12, 7))
    assert seen == [False] and gc.isenabled() and text
