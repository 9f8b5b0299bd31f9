"""Load, lighter than bench/bench_load.py: a generated 1,000-task plan pushed and synced against
the fakes with Jira's writes rate-limited (429 + Retry-After on a virtual clock). Asserts call
counts against the budgets, never timings."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import conftest
from fakes.faultbed import Bed, fault_bed, jira_state
from fakes.pacing import Pacer

from syncsvc.jira.push import push_plan
from syncsvc.model import Plan
from syncsvc.sheets.publish import publish_plan
from syncsvc.tracking import run_sync

N = 1000
NOW = dt.datetime(2027, 1, 8, 6, 0)


def generated_spec(n: int) -> str:
    """The benchmark's generator (bench/gen_spec.py): layered random DAG, ~2 deps a task."""
    return conftest.generated_spec(n, deps_per_task=2)


def budgets(n: int, edges: int) -> dict[str, int]:
    """BENCHMARKS.md `## Push to Jira` and the sync issue: first push = serverInfo, field, one
    search, the epic, ceil(N/50) bulk creates, one link per dependency; a sync with nothing to
    change reads <= 2 + 2*ceil(N/100) times from Jira, writes nothing, and calls Sheets <= 2."""
    return {
        "push calls": 4 + math.ceil(n / 50) + edges,
        "push writes": 1 + math.ceil(n / 50) + edges,
        "sync reads": 2 + 2 * math.ceil(n / 100),
        "sync sheets": 2,
    }


def sync(bed: Bed, plan: Plan, as_of: dt.date) -> Any:
    report = run_sync(
        [Path("spec.toml")],
        bed.cfg,
        as_of=as_of,
        dry_run=False,
        load=lambda _: (plan, {}, None),
        sheets_factory=bed.sheets_factory(),
    )
    assert report.failed == [], report.failed[0].error
    return report


def test_1000_tasks_push_then_sync_within_the_call_budgets(
    tmp_path: Path, monkeypatch, plan_of: Callable[[str], Plan]
) -> None:
    monkeypatch.setattr("syncsvc.sheets.publish.publish_plan", functools.partial(publish_plan, now=NOW))
    plan = plan_of(generated_spec(N))
    edges = sum(len(t.depends_on) for t in plan.tasks)
    n = len(plan.tasks)  # the planner adds its rollout tasks to the generated ones
    want = budgets(n, edges)
    pacer = Pacer(rate=10.0, burst=100.0)
    with fault_bed(tmp_path, monkeypatch, pacer=pacer) as bed:
        report = push_plan(plan, bed.cfg, dry_run=False)
        assert report.status == "success", report.error
        assert len(bed.jira.calls) == want["push calls"]  # answered calls, 429s aside
        assert len(bed.jira.writes()) == want["push writes"]
        assert pacer.limited > 0  # the pacing did bite, and every 429 was waited out
        assert all(s >= 1 for s in pacer.sleeps) and len(pacer.sleeps) == pacer.limited
        issues = jira_state(bed.jira)["issues"]  # no duplicate issue or link
        assert len(issues) == n + 1 and len(bed.jira.blocks()) == edges

        for day in (dt.date(2027, 1, 8), dt.date(2027, 1, 8), dt.date(2027, 1, 11)):
            j0, s0 = len(bed.jira.calls), bed.sheets.api_calls()
            sync(bed, plan, day)
            calls = bed.jira.calls[j0:]
            assert [c for c in calls if c.write] == []
            assert len(calls) <= want["sync reads"], [c.path for c in calls]
            assert bed.sheets.api_calls() - s0 <= want["sync sheets"]
        assert pacer.limited == len(pacer.sleeps)  # syncs wrote nothing, so met no limit
