"""Load: a generated N-task plan (default 5,000) pushed and synced against the fakes, with Jira's
writes rate-limited (429 + Retry-After on a virtual clock): calls against the budgets, 429s
waited out, wall time and the process's peak memory.

Usage: python bench/bench_load.py [--n 5000] [--write]   (--write: RELIABILITY.md `## Load`)

The fakes are served over loopback HTTP by this process; the push and each sync run in a fresh
child process (`--child ...`), as the CLI would, so its peak RSS (VmHWM) is syncsvc's own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import os
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
TOKEN_ENV = "SYNCSVC_BENCH_JIRA_TOKEN"
SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"  # the fake's spreadsheet
RELIABILITY = ROOT / "RELIABILITY.md"
AS_OF = dt.date(2027, 1, 8)


def _rss_mb() -> float:
    """This process's peak RSS in MB: VmHWM (Linux: of this program only; ru_maxrss would carry
    the forking parent's peak over the exec), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def make_plan(n: int) -> Any:
    from gen_spec import generate

    from syncsvc.catalog import load_catalog
    from syncsvc.planning.build import build_plan
    from syncsvc.specload import check_spec

    text = generate(n, deps_per_task=2)
    return build_plan(
        check_spec(tomllib.loads(text), label="gen.toml", today=dt.date(2026, 11, 27), source=text),
        load_catalog(),
    )


def child(phase: str, n: int, jira_url: str, sheets_url: str, folder: str) -> dict[str, Any]:
    """One `push` or `sync` as the CLI would run it, in this process only (the fakes are served
    by the parent): planning, syncsvc, jira/gspread/requests. Sleeps are recorded, not slept."""
    from google.oauth2.credentials import Credentials

    import syncsvc.jira.adapter as jira_adapter
    import syncsvc.sheets.adapter as sheets_adapter
    from syncsvc.config import Config
    from syncsvc.jira.push import push_plan
    from syncsvc.sheets.publish import publish_plan
    from syncsvc.tracking import run_sync

    t0 = time.perf_counter()
    plan = make_plan(n)
    out: dict[str, Any] = {"plan_s": time.perf_counter() - t0}
    sleeps: list[float] = []
    jira_adapter.time.sleep = sleeps.append  # type: ignore[assignment]
    api = sheets_url.removesuffix("/v4/spreadsheets/")
    kw: dict[str, Any] = {"api_url": api}  # the adapter's setting for another endpoint
    cfg = Config.model_validate(
        {
            "jira": {
                "url": jira_url,
                "email": "pm@example.com",
                "token_env": TOKEN_ENV,
                "project": "NOTIF",
                "max_retries": 4,
            },
            "sheets": {"spreadsheet_id": SHEET_ID, "credentials_file": "key.json"},
            "state": {"path": str(Path(folder) / "state.db")},
            "base_dir": folder,
        },
        strict=False,
    )

    def sheets(c: Config) -> Any:
        return sheets_adapter.GoogleSheets(
            Credentials(token="test-token"), SHEET_ID, sleep=sleeps.append, **kw
        )

    t0 = time.perf_counter()
    if phase == "push":
        r = push_plan(plan, cfg, dry_run=False)
        assert r.status == "success", r.error
    else:
        import syncsvc.sheets.publish as publish_mod

        publish_mod.publish_plan = functools.partial(  # type: ignore[assignment]
            publish_plan, now=dt.datetime(2027, 1, 8, 6)
        )
        rep = run_sync(
            [Path("gen.toml")],
            cfg,
            as_of=AS_OF,
            dry_run=False,
            load=lambda _: (plan, {}, None),
            sheets_factory=sheets,
        )
        assert rep.failed == [], rep.failed[0].error
    out.update(
        s=time.perf_counter() - t0, rss=_rss_mb(), sleeps=len(sleeps), min_sleep=min(sleeps, default=0.0)
    )
    return out


def measure(n: int) -> dict[str, Any]:
    """Serve both fakes here; run a push and two syncs, each in a fresh child process."""
    from fakes.jira_server import serve
    from fakes.pacing import Pacer
    from fakes.sheets_server import serve_sheets

    plan = make_plan(n)
    tasks, edges = len(plan.tasks), sum(len(t.depends_on) for t in plan.tasks)
    out: dict[str, Any] = {
        "n_spec": n,
        "n": tasks,
        "e": edges,
        "push_budget": 4 + math.ceil(tasks / 50) + edges,
        "read_budget": 2 + 2 * math.ceil(tasks / 100),
    }
    pacer = Pacer(rate=10.0, burst=100.0, client_waits=True)
    with tempfile.TemporaryDirectory() as folder, serve() as jira, serve_sheets() as (sh, url):
        jira._handle = pacer.wrap(jira._handle)  # type: ignore[method-assign]
        env = {**os.environ, TOKEN_ENV: jira.token}
        for phase, label in (("push", "push"), ("sync", "sync1"), ("sync", "sync2")):
            j0, s0, l0 = len(jira.calls), sh.api_calls(), pacer.limited
            proc = subprocess.run(
                [sys.executable, __file__, "--child", phase, str(n), jira.base, url, folder],
                env=env,
                capture_output=True,
                text=True,
            )
            if proc.returncode:
                raise SystemExit(f"{label} failed:\n{proc.stderr[-3000:]}")
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            calls = jira.calls[j0:]
            out.update(
                {
                    f"{label}_s": r["s"],
                    f"{label}_rss": r["rss"],
                    f"{label}_plan_s": r["plan_s"],
                    f"{label}_calls": len(calls),
                    f"{label}_writes": sum(c.write for c in calls),
                    f"{label}_reads": sum(not c.write for c in calls),
                    f"{label}_sheets": sh.api_calls() - s0,
                    f"{label}_429": pacer.limited - l0,
                    f"{label}_sleeps": r["sleeps"],
                    f"{label}_min_sleep": r["min_sleep"],
                }
            )
        out["paced_s"] = pacer.clock
        assert jira.violations == [], jira.violations[:3]
        ids = [i["properties"]["syncsvc"].get("task_id") for i in jira.issues.values()]
        assert len(ids) == len(set(ids)) == tasks + 1 and len(jira.blocks()) == edges
    out["peak_rss"] = max(out[f"{x}_rss"] for x in ("push", "sync1", "sync2"))
    return out


def table(r: dict[str, Any]) -> str:
    def within(n: int, budget: int) -> str:
        return f"{n:,} (<= {budget:,})" if n <= budget else f"**{n:,} (over {budget:,})**"

    rows = [
        ("first push", "push"),
        ("first sync (publishes the 6 worksheets)", "sync1"),
        ("sync, nothing changed", "sync2"),
    ]
    lines = [
        HEADING,
        "",
        f"`python bench/bench_load.py --n {r['n_spec']}`: a generated spec of {r['n_spec']:,} "
        f"tasks (bench/gen_spec.py, ~2 dependencies a task; {r['n']:,} tasks with the planner's "
        f"rollout tasks, {r['e']:,} dependencies) pushed, then synced twice on the same day. "
        "The fake Jira and the fake Sheets are served over loopback HTTP by the benchmark's "
        "process; each step runs in a fresh child process as the CLI would (planning "
        "included), so its peak RSS (VmHWM) is syncsvc's own. Jira's writes are "
        "rate-limited by tests/fakes/pacing.py: 10 writes/s sustained, bursts of 100, else 429 + "
        "Retry-After, on a virtual clock (each call 20 ms; a 429's Retry-After counts as waited, "
        "and the child records its sleeps instead of sleeping).",
        "",
        "| step | Jira calls answered (budget) | Jira writes | 429s waited out | Sheets calls | "
        "wall time | peak RSS |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, k in rows:
        budget = r["push_budget"] if k == "push" else r["read_budget"]
        calls = r[f"{k}_calls"] if k == "push" else r[f"{k}_reads"]
        lines.append(
            f"| {name} | {within(calls, budget)}{'' if k == 'push' else ' reads'} | "
            f"{r[f'{k}_writes']:,} | {r[f'{k}_429']:,} | {r[f'{k}_sheets']} | "
            f"{r[f'{k}_s']:.1f} s | {r[f'{k}_rss']:.0f} MB |"
        )
    lines += [
        "",
        f"- Peak memory: {r['peak_rss']:.0f} MB at the most (budget 300 MB).",
        f"- Pacing: {r['push_writes']:,} writes at 10 a second take about "
        f"{r['paced_s'] / 60:.0f} minutes of (virtual) time; the push met {r['push_429']:,} "
        f"429s and slept {r['push_sleeps']:,} times, never less than "
        f"{r['push_min_sleep']:.1f} s (Retry-After was 1 s). A 429 is one more attempt, not "
        "counted in the answered calls.",
        "- The first sync's Sheets calls are one read and the batches of the first publish "
        "(a payload past ~2 MB is split); a sync with nothing to change reads once.",
        f"- Wall time includes planning the spec ({r['push_plan_s']:.1f} s) and the loopback "
        "round trips; it is not a pass/fail figure. Machine: 2 cores shared with other jobs.",
        "- Budgets (BENCHMARKS.md `## Push to Jira` and the sync issue): a first push makes "
        "4 + ceil(N/50) + E calls (serverInfo, field, one search, the epic, the bulk creates, one "
        "link per dependency); a sync with nothing to change reads Jira at most 2 + "
        "2·ceil(N/100) times, writes nothing and calls Sheets at most twice.",
        "- Test: `tests/test_load.py` does the same in process for a generated 1,000-task spec "
        "(1,004 tasks, 2,096 dependencies) and asserts the counts, never timings: first push "
        "2,121 answered calls = the budget, with 429s met and waited out; three syncs (two on "
        "the same day, one later) each with 0 writes, <= 24 Jira reads and <= 2 Sheets calls.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    if args.child:
        phase, n, jira_url, sheets_url, folder = args.child
        print(json.dumps(child(phase, int(n), jira_url, sheets_url, folder)))
        return
    text = table(measure(args.n))
    print(text)
    if args.write:
        from sections import write_section

        write_section(HEADING, text, RELIABILITY)


if __name__ == "__main__":
    main()
