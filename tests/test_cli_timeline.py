"""`syncsvc generate-timeline`: Markdown and JSON output, --output, and the quick inputs."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from test_schedule import reference_schedule
from tests_support import quick_args, write
from typer.testing import CliRunner

from syncsvc.cli import app
from syncsvc.exporting import BUNDLE_FILES
from syncsvc.exporting.csvs import TIMELINE_HEADERS
from syncsvc.rendering.gantt import label
from syncsvc.schedule import Activity
from syncsvc.specload import load_spec

TIMELINE_KEYS = [
    "schema",
    "plan_id",
    "start_date",
    "deadline",
    "finish_date",
    "levelled_finish",
    "fits_timeline",
    "phases",
    "tasks",
    "critical_path",
    "conflicts",
    "findings",
]
# every column of timeline.csv is a key of each task in the JSON too
TASK_KEYS = set(TIMELINE_HEADERS)
QUICK = [
    "--feature-name",
    "Real-Time Notification System",
    "--description",
    "Replacing email-only alerts with in-app, push, and digest notifications",
    "--team-size",
    "5",
    "--timeline",
    "6 weeks",
]


def _ok(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def _json(runner: CliRunner, args: list[str]) -> dict[str, Any]:
    return json.loads(_ok(runner, [*args, "--format", "json"]))


def test_json_has_exactly_the_contract_keys(runner: CliRunner, example_path: Path) -> None:
    data = _json(runner, ["generate-timeline", str(example_path)])
    assert list(data) == TIMELINE_KEYS
    assert data["schema"] == "syncsvc.plan/1"
    assert data["plan_id"] == "notif-center"
    assert (data["start_date"], data["deadline"]) == ("2027-01-04", "2027-02-12")  # 6 weeks
    for t in data["tasks"]:
        assert set(t) >= TASK_KEYS, t["id"]
        for key in ("early_start", "early_finish", "late_start", "late_finish"):
            assert dt.date.fromisoformat(t[key]).isoformat() == t[key]
        assert t["duration_days"] == t["estimate_days"] + t["buffer_days"]
    finish = max(t["early_finish"] for t in data["tasks"])
    assert data["finish_date"] == finish
    assert data["fits_timeline"] == (finish <= data["deadline"])
    crit = {t["id"] for t in data["tasks"] if t["critical"]}
    assert set(data["critical_path"]) <= crit
    assert data["critical_path"][-1] in {t["id"] for t in data["tasks"] if t["early_finish"] == finish}


def test_json_dates_match_the_reference_scheduler(runner: CliRunner, example_path: Path) -> None:
    """The plan's tasks, rescheduled by the independent reference of test_schedule."""
    data = _json(runner, ["generate-timeline", str(example_path)])
    acts = [
        Activity(
            t["id"], t["estimate_days"], tuple(t["depends_on"]), t["risk"] == "high", t["kind"] == "milestone"
        )
        for t in data["tasks"]
    ]
    spec = load_spec(example_path, today=TODAY)
    assert spec.start_date is not None and spec.holidays, "the example has a holiday to skip"
    want, finish = reference_schedule(acts, spec.start_date, frozenset(spec.holidays))
    assert data["finish_date"] == finish.isoformat()
    for t in data["tasks"]:
        w = want[t["id"]]
        got = (
            t["early_start"],
            t["early_finish"],
            t["late_start"],
            t["late_finish"],
            t["total_float"],
            t["buffer_days"],
        )
        assert got == (
            w.es.isoformat(),
            w.ef.isoformat(),
            w.ls.isoformat(),
            w.lf.isoformat(),
            w.total_float,
            w.buffer,
        ), t["id"]
    days = {t[k] for t in data["tasks"] for k in ("early_start", "early_finish")}
    assert not days & {h.isoformat() for h in spec.holidays}


def test_markdown_has_table_critical_path_and_gantt(runner: CliRunner, example_path: Path) -> None:
    data = _json(runner, ["generate-timeline", str(example_path)])
    text = _ok(runner, ["generate-timeline", str(example_path)])
    names = {t["id"]: t["name"] for t in data["tasks"]}
    header = "| Task | Phase | Owner | Start | Finish | Days | Float | Depends on |"
    assert header in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "|---" not in line]
    for t in data["tasks"]:
        row = next(r for r in rows if f" (`{t['id']}`) |" in r)
        cells = [c.strip() for c in row.strip("|").split("|")]
        name = f"**{t['name']}**" if t["critical"] else t["name"]
        days = f"{t['estimate_days']}+{t['buffer_days']}" if t["buffer_days"] else str(t["estimate_days"])
        assert cells[0] == f"{name} (`{t['id']}`)"
        # dates with non-breaking hyphens: a narrow column never splits them
        start, finish = t["start"] or t["early_start"], t["finish"] or t["early_finish"]
        assert cells[3:7] == [
            start.replace("-", "\u2011"),
            finish.replace("-", "\u2011"),
            days,
            str(t["total_float"]),
        ]
    line = "**Critical path:** " + " → ".join(names[i] for i in data["critical_path"])
    assert line in text.splitlines()
    block = re.search(r"```mermaid\ngantt\n(.*?)\n```", text, re.S)
    assert block, "a Mermaid gantt block"
    gantt = block.group(1)
    assert "dateFormat YYYY-MM-DD" in gantt
    bars = [b for b in gantt.splitlines() if re.match(r"^\s+\S.* :", b)]
    assert len(bars) == len(data["tasks"]) + 1  # and the deadline marker
    for t in data["tasks"]:
        bar = next(b for b in bars if b.strip().startswith(label(t["name"]) + " :"))
        assert (":crit," in bar) == t["critical"], bar
        if t["kind"] == "milestone":  # at its predecessor's end (Mermaid ends are exclusive)
            assert f", {_next_day(t['finish'] or t['early_finish'])}, 0d" in bar, bar
        else:
            assert (
                f", {t['start'] or t['early_start']}, {_next_day(t['finish'] or t['early_finish'])}" in bar
            ), bar
    assert (
        f"Deadline {data['deadline']} :crit, milestone, deadline, {_next_day(data['deadline'])}, 0d" in gantt
    )


def _next_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def test_output_writes_the_file_and_prints_nothing(
    runner: CliRunner, example_path: Path, tmp_path: Path
) -> None:
    want = _ok(runner, ["generate-timeline", str(example_path), "--format", "json"])
    out = tmp_path / "timeline.json"
    printed = _ok(runner, ["generate-timeline", str(example_path), "--format", "json", "--output", str(out)])
    assert printed == ""
    assert out.read_text(encoding="utf-8") == want
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.json"]


def test_output_into_a_missing_folder_is_refused(
    runner: CliRunner, example_path: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app, ["generate-timeline", str(example_path), "-o", str(tmp_path / "nope" / "t.md")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --output: the folder ")
    assert list(tmp_path.iterdir()) == []


LADDERS = {
    "low": (["internal", "1pct", "5pct", "25pct", "50pct", "full"], [0, 1, 5, 25, 50, 100]),
    "medium": (["internal", "canary", "gradual", "full"], None),
    "high": (["internal", "25pct", "full"], [0, 25, 100]),
}


@pytest.mark.parametrize("tolerance", ["low", "medium", "high"])
def test_quick_inputs_give_the_ladder_of_the_tolerance(runner: CliRunner, tolerance: str) -> None:
    data = _json(runner, ["generate-timeline", *QUICK, "--risk-tolerance", tolerance])
    names, exposure = LADDERS[tolerance]
    assert [p["name"] for p in data["phases"]] == names
    if exposure is not None:
        assert [p["exposure_percent"] for p in data["phases"]] == exposure
    percents = [p["exposure_percent"] for p in data["phases"]]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100
    # one rollout task per phase, chained in ladder order, after every other task
    rollout = [t for t in data["tasks"] if t["kind"] == "rollout"]
    assert [t["id"] for t in rollout] == [p["task_id"] for p in data["phases"]]
    for prev, nxt in zip(rollout, rollout[1:], strict=False):
        assert nxt["depends_on"] == [prev["id"]]
    last_other = max(t["early_finish"] for t in data["tasks"] if t["kind"] != "rollout")
    assert rollout[0]["early_start"] > last_other
    assert data["plan_id"] == "real-time-notification-system"


def test_monitoring_windows_shrink_with_tolerance(runner: CliRunner) -> None:
    hours = {}
    for tolerance in ("low", "medium", "high"):
        data = _json(runner, ["generate-timeline", *QUICK, "--risk-tolerance", tolerance])
        hours[tolerance] = sum(p["monitoring_hours"] for p in data["phases"])
    assert hours["low"] > hours["medium"] > hours["high"]


def test_overrun_names_the_tasks_on_the_late_chain(runner: CliRunner, tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "late.toml",
        """
feature_name = "Late"
description = "Too much work for the time"
team_size = 2
timeline = "5 days"
risk_tolerance = "high"
start_date = 2027-03-01
[[team]]
name = "Ana"
[[tasks]]
id = "build"
name = "Build"
estimate = "2w"
owner = "Ana"
[[tasks]]
id = "side"
name = "Side work"
estimate = 1
owner = "Ana"
""",
    )
    data = _json(runner, ["generate-timeline", str(spec)])
    assert data["deadline"] == "2027-03-05"
    assert data["fits_timeline"] is False
    kinds = [(c["kind"], c["subjects"][0]) for c in data["conflicts"]]
    assert ("timeline_overrun", "build") in kinds
    assert ("past_deadline", "build") in kinds
    # Ana does one task at a time: the side work waits for the build, and says so
    assert ("resource_delay", "Ana") in kinds
    side = next(t for t in data["tasks"] if t["id"] == "side")
    assert side["waits_for"] == ["build"] and side["start"] > side["early_start"]


@pytest.mark.parametrize(
    ("timeline", "weeks", "days"),
    [("6", 6, None), ("2 weeks", 2, None), ("10 days", None, 10), ("1 day", None, 1)],
)
def test_quick_timeline_forms(runner: CliRunner, timeline: str, weeks: int | None, days: int | None) -> None:
    """A bare number is weeks. Quick mode starts on the Monday after today (no holidays)."""
    data = _json(
        runner,
        quick_args(timeline=timeline, risk_tolerance="high"),
    )
    start = dt.date.fromisoformat(data["start_date"])
    assert start.weekday() == 0 and start > dt.date.today()
    if weeks is not None:  # the last working day before start + 7N: the Friday before
        want = start + dt.timedelta(days=7 * weeks - 3)
    else:  # the N-th working day, Monday being day 1
        assert days is not None
        want = start + dt.timedelta(days=(days - 1) + 2 * ((days - 1) // 5))
    assert data["deadline"] == want.isoformat()


# -- ids and dates that used to mislead the plan -----------------------------------------------

SMALL = """feature_name = "X"
description = "d"
team_size = 5
timeline = "6 weeks"
risk_tolerance = "medium"
start_date = 2027-01-04
"""


def test_a_spec_task_named_like_a_rollout_phase_does_not_take_its_place(plan_of) -> None:
    plan = plan_of(
        SMALL + '[[tasks]]\nid = "build"\nname = "Build"\nestimate = "5d"\n'
        '[[tasks]]\nid = "rollout-internal"\nname = "Internal docs"\nestimate = "2d"\n'
    )
    internal = next(p for p in plan.phases if p.name == "internal")
    assert internal.task_id is not None and internal.task_id != "rollout-internal"
    task = plan.task(internal.task_id)
    assert task.source == "rollout" and task.kind == "rollout"
    assert plan.task("rollout-internal").source == "spec"
    assert [p.task_id for p in plan.phases] == [t.id for t in plan.tasks if t.source == "rollout"]


def test_a_timeline_made_only_of_holidays_is_refused_not_a_deadline_before_the_start(plan_of) -> None:
    from syncsvc.errors import SpecError

    week = ", ".join(f"2027-01-0{d}" for d in range(4, 9))
    with pytest.raises(
        SpecError,
        match=r"timeline: no working day falls within the 1 week "
        r"from start_date 2027-01-04",
    ):
        plan_of(SMALL.replace('"6 weeks"', '"1 week"') + f"holidays = [{week}]\n")
    plan = plan_of(SMALL.replace('"6 weeks"', '"2 weeks"') + f"holidays = [{week}]\n")
    assert plan.deadline >= plan.start_date


def test_quick_mode_refuses_a_spec_mitigation_task_with_a_catalog_tasks_id(plan_of) -> None:
    from syncsvc.errors import SpecError

    risk = (
        '[[risks]]\ntitle = "Mine"\nlikelihood = "high"\nimpact = "high"\nowner = "PM"\n'
        'mitigation_task = {{ id = "{}", name = "My QA", estimate = "3d" }}\n'
    )
    with pytest.raises(
        SpecError,
        match=r"risks\[0\].mitigation_task.id: 'qa' is also the id "
        "of a task the catalog generates",
    ):
        plan_of(SMALL + risk.format("qa"))
    plan = plan_of(SMALL + risk.format("my-qa"))
    assert plan.task("my-qa").name == "My QA"  # another id: inserted, never dropped


_MAIN = """
import atexit, sys
atexit.register(lambda: print("teardown", file=sys.stderr))
sys.argv = ["syncsvc", *sys.argv[1:]]
from syncsvc.cli import app
app()  # what the console script syncsvc.cli:app runs
"""


def _main(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _MAIN, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_a_planning_command_ends_its_process_without_teardown_and_its_output_whole(
    runner: CliRunner, example_path: Path
) -> None:
    """The app leaves at once after a planning command succeeded (no atexit handler runs), with
    the whole output on a pipe; a failed command, or another command, exits as usual."""
    args = ["generate-timeline", str(example_path), "--format", "json"]
    done = _main(args)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == _ok(runner, args)
    failed = _main(["generate-timeline", str(example_path.with_name("missing.toml"))])
    assert failed.returncode == 2
    assert failed.stderr.startswith("Error: ") and failed.stderr.endswith("teardown\n")
    helped = _main(["--help"])
    assert helped.returncode == 0 and helped.stderr == "teardown\n"


def test_export_ends_its_process_without_teardown_and_its_bundle_whole(
    tmp_path: Path, example_path: Path
) -> None:
    done = _main(["export", str(example_path), "--out", str(tmp_path / "b")])
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [str(tmp_path / "b" / n) for n in BUNDLE_FILES]
    assert json.loads((tmp_path / "b" / "plan.json").read_bytes())["plan_id"]
    with zipfile.ZipFile(tmp_path / "b" / "dashboard.xlsx") as z:  # a whole workbook
        assert z.testzip() is None
    failed = _main(["export", str(example_path), "--out", str(tmp_path / "b" / "plan.json")])
    assert failed.returncode == 2 and failed.stderr.endswith("teardown\n")


def test_the_collector_is_paused_while_a_planning_command_plans_then_as_before(
    runner: CliRunner, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import syncsvc.plans
    from syncsvc.collector import collector_paused

    seen: list[bool] = []
    load_plan = syncsvc.plans.load_plan

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return load_plan(*args, **kwargs)

    monkeypatch.setattr(syncsvc.plans, "load_plan", watched)
    assert gc.isenabled()
    _ok(runner, ["generate-timeline", str(example_path), "--format", "json"])
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # as it was before: off
    finally:
        gc.enable()
