"""Load: a generated N-task plan (default 5,000) pushed and synced against the fakes, with Jira's
writes rate-limited (429 + Retry-After on a virtual clock): calls against the budgets, 429s
waited out, wall time and the process's peak memory.

Usage: python bench/bench_load.py [--n 5000] [--write]   (--write: RELIABILITY.md `## Load`)

Each N runs in a fresh child process (`--child N`) so its peak RSS (ru_maxrss) is the run's own:
planner, syncsvc, requests/responses and both in-process fakes holding every issue and cell (an
upper bound for syncsvc alone).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

HEADING = "## Load"
RELIABILITY = ROOT / "RELIABILITY.md"
AS_OF = dt.date(2027, 1, 8)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(n: int) -> dict[str, Any]:
    import pytest
    from fakes.faultbed import fault_bed, jira_state
    from fakes.pacing import Pacer
    from gen_spec import generate

    from syncsvc.catalog import load_catalog
    from syncsvc.jira.push import push_plan
    from syncsvc.planning.build import build_plan
    from syncsvc.sheets.publish import publish_plan
    from syncsvc.specload import check_spec
    from syncsvc.sync import run_sync

    out: dict[str, Any] = {"n_spec": n}
    text = generate(n, deps_per_task=2)
    t0 = time.perf_counter()
    plan = build_plan(check_spec(tomllib.loads(text), label="gen.toml", today=dt.date(2026, 11, 27),
                                 source=text), load_catalog())
    out["plan_s"] = time.perf_counter() - t0
    tasks, edges = len(plan.tasks), sum(len(t.depends_on) for t in plan.tasks)
    out.update(n=tasks, e=edges, push_budget=4 + math.ceil(tasks / 50) + edges,
               read_budget=2 + 2 * math.ceil(tasks / 100))
    mp = pytest.MonkeyPatch()
    mp.setattr("syncsvc.sheets.publish.publish_plan",
               functools.partial(publish_plan, now=dt.datetime(2027, 1, 8, 6)))
    pacer = Pacer(rate=10.0, burst=100.0)
    with tempfile.TemporaryDirectory() as tmp, fault_bed(Path(tmp), mp, pacer=pacer) as bed:
        t0 = time.perf_counter()
        r = push_plan(plan, bed.cfg, dry_run=False)
        out["push_s"] = time.perf_counter() - t0
        assert r.status == "success", r.error
        out.update(push_calls=len(bed.jira.calls), push_writes=len(bed.jira.writes()),
                   push_429=pacer.limited, paced_s=pacer.clock, push_rss=_rss_mb())
        state = jira_state(bed.jira)
        assert len(state["issues"]) == tasks + 1 and len(state["links"]) == edges
        for label in ("sync1", "sync2"):
            j0, s0 = len(bed.jira.calls), bed.sheets.api_calls()
            t0 = time.perf_counter()
            rep = run_sync([Path("gen.toml")], bed.cfg, as_of=AS_OF, dry_run=False,
                           load=lambda _: (plan, {}, None), sheets_factory=bed.sheets_factory())
            out[f"{label}_s"] = time.perf_counter() - t0
            assert rep.failed == [], rep.failed[0].error
            calls = bed.jira.calls[j0:]
            out[f"{label}_reads"] = sum(not c.write for c in calls)
            out[f"{label}_writes"] = sum(c.write for c in calls)
            out[f"{label}_sheets"] = bed.sheets.api_calls() - s0
        out["sheets_batches"] = len(bed.sheets.bodies)
    mp.undo()
    out["peak_rss"] = _rss_mb()
    return out


def table(r: dict[str, Any]) -> str:
    ok = "within" if r["push_calls"] <= r["push_budget"] else "OVER"
    return "\n".join([
        f"`python bench/bench_load.py --n {r['n_spec']}`: a generated spec of {r['n_spec']:,} "
        f"tasks (bench/gen_spec.py, ~2 dependencies a task; {r['n']:,} tasks with the planner's "
        f"rollout tasks, {r['e']:,} dependencies), pushed and then synced twice on the same "
        "day against the in-process fakes (every request validated against the contracts). "
        "Jira's writes are rate-limited by tests/fakes/pacing.py: 10 writes/s sustained, bursts "
        "of 100, 429 + Retry-After otherwise, on a virtual clock (each call 20 ms, plus every "
        "sleep the client makes). Peak memory is the child process's ru_maxrss: syncsvc, the "
        "planner and both fakes holding every issue and cell.",
        "",
        "| step | Jira calls answered (budget) | Jira writes | 429s waited out | Sheets calls | "
        "wall time |",
        "|---|---|---:|---:|---:|---:|",
        f"| first push | {r['push_calls']:,} (<= {r['push_budget']:,}, {ok}) | "
        f"{r['push_writes']:,} | {r['push_429']:,} | 0 | {r['push_s']:.1f} s |",
        f"| first sync (publishes 6 worksheets) | {r['sync1_reads']} reads (<= "
        f"{r['read_budget']}) | {r['sync1_writes']} | 0 | {r['sync1_sheets']} | "
        f"{r['sync1_s']:.1f} s |",
        f"| sync, nothing changed | {r['sync2_reads']} reads (<= {r['read_budget']}) | "
        f"{r['sync2_writes']} | 0 | {r['sync2_sheets']} | {r['sync2_s']:.1f} s |",
        "",
        f"- Peak memory: {r['peak_rss']:.0f} MB for the whole run (budget 300 MB); "
        f"{r['push_rss']:.0f} MB after the push.",
        f"- Pacing: the {r['push_writes']:,} writes take {r['paced_s'] / 60:.0f} minutes of "
        f"virtual time at 10 writes/s; each of the {r['push_429']:,} 429s costs one extra "
        "attempt (not counted in the answered calls), after a sleep of at least Retry-After.",
        f"- Planning the spec took {r['plan_s']:.1f} s. Machine: 2 cores shared with other jobs.",
    ])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return
    proc = subprocess.run([sys.executable, __file__, "--child", str(args.n)], check=True,
                          capture_output=True, text=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    text = table(result)
    print(text)
    if args.write:
        from sections import write_section

        write_section(HEADING, text, RELIABILITY)


if __name__ == "__main__":
    main()
