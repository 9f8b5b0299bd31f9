"""Call budget and time of a no-change `sync` (pull, push, publish) on the fake Jira and Sheets.

Usage: python bench/bench_sync.py [--write]   (--write puts the table into BENCHMARKS.md)

For a generated layered plan of N spec tasks (bench/gen_spec.py; the plan adds the rollout
stages and mitigation tasks, so it pushes a few more issues), it pushes the plan, then syncs
twice with nothing moved in Jira. Issue 6's budget for a no-change sync: <= 2 + 2*ceil(I/100)
Jira reads for I issues, 0 Jira writes, <= 2 Sheets calls, the first sync after a push too.
What does not change on a site (its deployment type, field ids, status categories) is read
once and kept in the state; the first sync after a push reads the status categories (the push
needs none), the second is the steady state cron sees. Times are wall clock of `run_sync`
(lock, state, pull, forecast, push diff, layout, publish diff), and in brackets the same minus
the time spent inside the fakes.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import responses

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from fakes.fake_jira import FakeJira  # noqa: E402
from fakes.jira_env import TOKEN_ENV  # noqa: E402
from fakes.sheets import SPREADSHEET_ID, FakeSheets, token_client_factory  # noqa: E402
from gen_spec import generate  # noqa: E402

from syncsvc.catalog import load_catalog  # noqa: E402
from syncsvc.config import Config  # noqa: E402
from syncsvc.jira.push import push_plan  # noqa: E402
from syncsvc.model import Plan  # noqa: E402
from syncsvc.planning.build import build_plan  # noqa: E402
from syncsvc.specload import load_spec  # noqa: E402
from syncsvc.tracking import run_sync  # noqa: E402

HEADING = "## Pull and sync"
AS_OF = dt.date(2027, 1, 4)


def make_plan(n: int, tmp: Path) -> Plan:
    path = tmp / f"bench-{n}.toml"
    path.write_text(generate(n), encoding="utf-8")
    return build_plan(load_spec(path, today=AS_OF), load_catalog(None))


def config(tmp: Path, fake: FakeJira) -> Config:
    return Config.model_validate(
        {
            "jira": {
                "url": fake.base,
                "email": fake.email,
                "token_env": TOKEN_ENV,
                "project": "NOTIF",
                "max_retries": 1,
            },
            "sheets": {"spreadsheet_id": SPREADSHEET_ID, "max_retries": 1},
            "state": {"path": str(tmp / "state.db")},
            "base_dir": tmp,
        },
        strict=False,
    )


def one_sync(
    fake: FakeJira, sheets: FakeSheets, cfg: Config, plan: Plan, spec: Path, as_of: dt.date = AS_OF
) -> dict[str, Any]:
    k, s, b0 = len(fake.calls), sheets.api_calls(), fake.busy + sheets.busy_seconds
    t0 = time.perf_counter()
    report = run_sync(
        [spec],
        cfg,
        as_of=as_of,
        load=lambda p: (plan, {}, None),
        dry_run=False,
        sheets_factory=token_client_factory(),
    )
    wall = time.perf_counter() - t0
    assert report.failed == [], [r.error for r in report.failed]
    calls = fake.calls[k:]
    return {
        "reads": sum(not c.write for c in calls),
        "writes": sum(c.write for c in calls),
        "sheets": sheets.api_calls() - s,
        "s": wall,
        "own": wall - (fake.busy + sheets.busy_seconds - b0),
        "paths": [f"{c.method} {c.path}" for c in calls],
    }


def measure(n: int) -> dict[str, Any]:
    mp = pytest.MonkeyPatch()
    with (
        tempfile.TemporaryDirectory() as tmp_s,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        tmp = Path(tmp_s)
        plan = make_plan(n, tmp)
        fake = FakeJira()
        fake.install(rsps)
        sheets = FakeSheets().install(rsps)
        sheets.create_spreadsheet(SPREADSHEET_ID)
        mp.setenv(TOKEN_ENV, fake.token)
        mp.setattr("syncsvc.jira.adapter.time.sleep", lambda s: None)
        cfg = config(tmp, fake)
        pushed = push_plan(plan, cfg, dry_run=False)
        assert pushed.status == "success", pushed.error
        issues = len(plan.tasks)
        spec = tmp / f"bench-{n}.toml"
        first = one_sync(fake, sheets, cfg, plan, spec)
        second = one_sync(fake, sheets, cfg, plan, spec)
        # cron the next working day, still nothing moved: the forecast (and dashboard) change
        later = one_sync(fake, sheets, cfg, plan, spec, AS_OF + dt.timedelta(days=1))
        assert fake.violations == [], fake.violations[:3]
    mp.undo()
    return {
        "n": n,
        "issues": issues,
        "budget": 2 + 2 * math.ceil(issues / 100),
        "first": first,
        "second": second,
        "later": later,
    }


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        HEADING,
        "",
        "`python bench/bench_sync.py` against the in-process fake Jira (Cloud; every request "
        "and answer validated against the trimmed OpenAPI) and the in-process fake Sheets, both "
        "on `responses` (no network). A generated layered plan (bench/gen_spec.py, N spec tasks; "
        "the plan adds the rollout stages and mitigation tasks) is pushed, then synced twice "
        "with nothing moved in Jira, as of its start date (the second is the steady state), "
        "then once more the next working day (nothing done in Jira yet, so the forecast and "
        "the dashboard change). Calls are counted at the fakes. "
        "Budget for a no-change sync of I issues: <= 2 + 2·ceil(I/100) Jira reads, 0 writes, "
        "<= 2 Sheets calls. Times: wall clock of `run_sync`, in brackets minus the time inside "
        "the fakes (their routing and OpenAPI validation). Machine: 2 cores shared with other "
        "jobs (±50% between runs).",
        "",
        "| N spec tasks | issues I | read budget | first sync: Jira reads, writes, Sheets calls "
        "| time | steady sync: Jira reads, writes, Sheets calls | time | next day | time |",
        "|---:|---:|---:|---|---:|---|---:|---|---:|",
    ]
    for r in rows:
        f, s, x = r["first"], r["second"], r["later"]
        lines.append(
            f"| {r['n']} | {r['issues']} | {r['budget']} | {f['reads']}, {f['writes']}, "
            f"{f['sheets']} | {f['s']:.2f} s ({f['own']:.2f} s) | {s['reads']}, {s['writes']}, "
            f"{s['sheets']} | {s['s']:.2f} s ({s['own']:.2f} s) | {x['reads']}, {x['writes']}, "
            f"{x['sheets']} | {x['s']:.2f} s ({x['own']:.2f} s) |"
        )
    steady, first = rows[-1]["second"]["paths"], rows[-1]["first"]["paths"]
    extra = [p for p in dict.fromkeys(first) if p not in steady]
    lines += [
        "",
        "Steady-state Jira reads (I = "
        + str(rows[-1]["issues"])
        + "): "
        + ", ".join(f"`{p}`" for p in _collapse(steady))
        + ". The first sync after a "
        "push also reads "
        + (", ".join(f"`{p}`" for p in extra) or "nothing more")
        + " (then kept in the state with the deployment type and the field ids the "
        "push read; a status id the cache does not know makes the next run read the "
        "statuses again). Sheets: one field-masked `spreadsheets.get`, and one "
        "`batchUpdate` when a cell changed (the first publish, or the slip trend's new "
        "row); an unchanged dashboard is the read only.",
    ]
    return "\n".join(lines) + "\n"


def _collapse(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if out and out[-1].split(" ×")[0] == p:
            n = int(out[-1].split(" ×")[1]) + 1 if " ×" in out[-1] else 2
            out[-1] = f"{p} ×{n}"
        else:
            out.append(p)
    return out


def main(argv: list[str]) -> int:
    rows = [measure(n) for n in (100, 1000)]
    text = table(rows)
    print(text)
    ok = all(
        r[k]["reads"] <= r["budget"] and r[k]["writes"] == 0 and r[k]["sheets"] <= 2
        for r in rows
        for k in ("first", "second", "later")
    )
    if "--write" in argv:
        from sections import write_section

        write_section(HEADING, text)
    print("budget: " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
