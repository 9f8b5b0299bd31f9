"""Benchmark `publish_plan`: Sheets API calls, payload and time for the example and a 1,000-task plan.

Run from the repository root:  python bench/bench_publish.py [--runs 5]
The Sheets API is the in-process fake of tests/fakes/sheets.py (on `responses`), so the times are
syncsvc's own work (layout, diff, JSON) plus the fake's; Google's network and processing time
comes on top (typically 0.2-2 s per call) and is not measured here. The plans come from the real
planner (load_spec + build_plan); the 1,000-task spec is generated: 10 people, 10 lanes of 100
chained tasks with cross links every 7th task.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.sheets import (  # noqa: E402
    SPREADSHEET_ID,
    FakeSheets,
    serve_fake_sheets,
    sheets_config,
    token_client_factory,
)

from syncsvc.catalog import load_catalog  # noqa: E402
from syncsvc.config import load_config  # noqa: E402
from syncsvc.model import Plan  # noqa: E402
from syncsvc.planning.build import build_plan  # noqa: E402
from syncsvc.sheets import PublishReport, publish_plan  # noqa: E402
from syncsvc.specload import load_spec  # noqa: E402

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2027, 1, 4, 9, 0)


def big_spec(n_tasks: int = 1000, lanes: int = 10) -> str:
    """A spec with `n_tasks` tasks: `lanes` chains, one person each, linked every 7th task."""
    lines = [
        'feature_name = "Bench launch"',
        'description = "A large generated plan"',
        f"team_size = {lanes}",
        'timeline = "80 weeks"',
        'risk_tolerance = "medium"',
        'plan_id = "bench"',
        "start_date = 2027-01-04",
        "",
    ]
    for p in range(lanes):
        lines += ["[[team]]", f'name = "P{p}"', 'role = "Engineer"', ""]
    for i in range(n_tasks):
        deps = [f"t{i - lanes}"] if i >= lanes else []
        if i % 7 == 3 and i >= 2 * lanes:
            deps.append(f"t{i - lanes - 1}")
        lines += [
            "[[tasks]]",
            f'id = "t{i}"',
            f'name = "Task {i}"',
            'phase = "build"',
            f'estimate = "{1 + i % 3}d"',
            f'owner = "P{i % lanes}"',
            f"depends_on = {deps!r}".replace("'", '"'),
            f'risk = "{("low", "medium", "high")[i % 3]}"',
            "",
        ]
    return "\n".join(lines)


def plan_from(text: str | None) -> Plan:
    path = ROOT / "examples" / "notifications-center.toml"
    if text is not None:
        path = Path(tempfile.mkdtemp()) / "bench.toml"
        path.write_text(text, encoding="utf-8")
    return build_plan(load_spec(path, today=TODAY), load_catalog())


def timed(
    fn: Callable[[], tuple[PublishReport, FakeSheets]], runs: int
) -> tuple[PublishReport, float, float]:
    """Median wall time of `fn`, and median of that time less what the fake API spent."""
    times, own = [], []
    report = None
    for _ in range(runs):
        t0 = time.perf_counter()
        report, fake = fn()
        busy = fake.busy_seconds
        times.append(time.perf_counter() - t0)
        own.append(times[-1] - busy)
        fake.busy_seconds = 0.0
    assert report is not None
    return report, statistics.median(times), statistics.median(own)


def scenarios(plan: Plan, runs: int) -> list[dict[str, Any]]:
    """First publish, unchanged re-publish, one task renamed, dry run of a change."""
    rows = []
    cfg = load_config(sheets_config(Path(tempfile.mkdtemp())))
    changed = plan.model_copy(
        update={
            "tasks": [
                plan.tasks[0].model_copy(update={"name": plan.tasks[0].name + " (renamed)"}),
                *plan.tasks[1:],
            ]
        }
    )

    def run(fake: FakeSheets, p: Plan, *, dry_run: bool = False) -> tuple[PublishReport, FakeSheets]:
        fake.busy_seconds = 0.0
        return publish_plan(p, cfg, dry_run=dry_run, client_factory=token_client_factory(), now=NOW), fake

    def first() -> tuple[PublishReport, FakeSheets]:
        with serve_fake_sheets() as fake:
            return run(fake, plan)

    rows.append(("first publish (6 worksheets created)", *timed(first, runs)))
    with serve_fake_sheets() as fake:
        run(fake, plan)
        rows.append(("unchanged plan", *timed(lambda: run(fake, plan), runs)))
        rows.append(("dry run, one task renamed", *timed(lambda: run(fake, changed, dry_run=True), runs)))

        rows.append(("one task renamed", *timed_after_reset(fake, plan, changed, run, runs)))
    return [
        {
            "scenario": name,
            "calls": r.calls,
            "batches": r.batches,
            "payload_bytes": r.payload_bytes,
            "rows_changed": r.rows_changed,
            "seconds": secs,
            "own_seconds": own,
        }
        for name, r, secs, own in rows
    ]


def timed_after_reset(
    fake: FakeSheets,
    plan: Plan,
    changed: Plan,
    run: Callable[..., tuple[PublishReport, FakeSheets]],
    runs: int,
) -> tuple[PublishReport, float, float]:
    """Like `timed` for a publish of `changed`, each run starting from `plan` published."""
    times, own = [], []
    report = None
    for _ in range(runs):
        run(fake, plan)
        fake.busy_seconds = 0.0
        t0 = time.perf_counter()
        report, _ = run(fake, changed)
        times.append(time.perf_counter() - t0)
        own.append(times[-1] - fake.busy_seconds)
    assert report is not None
    return report, statistics.median(times), statistics.median(own)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"spreadsheet {SPREADSHEET_ID} (fake); median of {args.runs} runs\n")
    for label, text in (
        ("example (notifications-center.toml)", None),
        ("1,000 tasks (generated)", big_spec()),
    ):
        t0 = time.perf_counter()
        plan = plan_from(text)
        plan_secs = time.perf_counter() - t0
        print(
            f"## {label}: {len(plan.tasks)} tasks, {len(plan.risks)} risks; "
            f"planning took {plan_secs:.2f} s (not part of the figures below)"
        )
        print("| scenario | Sheets calls | batches | payload | rows changed | wall time | syncsvc's share |")
        print("|---|---|---|---|---|---|---|")
        for row in scenarios(plan, args.runs):
            print(
                f"| {row['scenario']} | {row['calls']} | {row['batches']} | "
                f"{row['payload_bytes'] / 1e6:.2f} MB | {row['rows_changed']} | "
                f"{row['seconds']:.2f} s | {row['own_seconds']:.2f} s |"
            )
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
