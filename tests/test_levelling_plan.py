"""Levelling in the plan: the seed scenario keeps its dates, people's time, allocation, forecast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from syncsvc.calendar import WorkCalendar
from syncsvc.forecast import TaskStatus, baseline_from_plan, forecast
from syncsvc.model import Plan

TWO_JOBS = """
feature_name = "Two jobs"
description = "One person, two parallel tasks"
team_size = 2
timeline = "3 weeks"
risk_tolerance = "medium"
start_date = 2027-03-01
[[team]]
name = "Ana"
role = "Backend Engineer"
{ana}
[[team]]
name = "Bo"
role = "QA Engineer"
[[stakeholders]]
name = "Security"
group = "security"
[[tasks]]
id = "api"
name = "API"
estimate = "5d"
owner = "Ana"
[[tasks]]
id = "jobs"
name = "Background jobs"
estimate = "3d"
owner = "Ana"
[[tasks]]
id = "review"
name = "Security review"
kind = "review"
estimate = "4d"
owner = "Security"
[[tasks]]
id = "review-2"
name = "Second security review"
kind = "review"
estimate = "4d"
owner = "Security"
[[tasks]]
id = "qa"
name = "QA"
estimate = "2d"
owner = "Bo"
depends_on = ["api", "jobs", "review", "review-2"]
"""


def test_the_seed_scenario_keeps_its_dates_nobody_is_over_allocated(
    plan_of: Callable[[str], Plan], example_path: Path
) -> None:
    plan = plan_of(example_path.read_text())
    assert plan.levelled_finish == plan.finish_date == dt.date(2027, 2, 12)
    assert plan.fits_timeline
    for t in plan.tasks:
        assert (t.start, t.finish) == (t.early_start, t.early_finish), t.id
        assert t.waits_for == [] or all(plan.task(w).planned_finish < t.planned_start for w in t.waits_for)
    assert not [c for c in plan.conflicts if c.kind == "resource_delay"]
    # the outside stakeholder's review and the PM's rollout phases take no team member's time
    assert plan.task("security-review").people == []
    assert plan.task("backend-api").people == ["Mike"]


def test_one_person_does_one_task_at_a_time_stakeholders_in_parallel(plan_of: Callable[[str], Plan]) -> None:
    plan = plan_of(TWO_JOBS.format(ana=""))
    api, jobs = plan.task("api"), plan.task("jobs")
    assert api.early_start == jobs.early_start  # CPM: both on day one
    first, second = sorted((api, jobs), key=lambda t: t.start)  # type: ignore[arg-type,return-value]
    assert second.start > first.finish  # type: ignore[operator]
    assert second.waits_for == [first.id]
    # Security's two reviews overlap: a stakeholder group is not levelled
    assert plan.task("review").start == plan.task("review-2").start
    assert plan.levelled_finish > plan.finish_date  # type: ignore[operator]
    # the CPM fields stay unlevelled: the critical path is the dependencies' alone
    assert all(plan.task(i).total_float == 0 for i in plan.critical_path)
    assert plan.finish_date == max(t.early_finish for t in plan.tasks)
    delay = next(c for c in plan.conflicts if c.kind == "resource_delay")
    assert delay.subjects[:2] == ["Ana", second.id]
    assert "delays the finish by" in delay.message


def test_a_half_time_person_takes_twice_as_long(plan_of: Callable[[str], Plan]) -> None:
    full = plan_of(TWO_JOBS.format(ana=""))
    half = plan_of(TWO_JOBS.format(ana="allocation = 50"))
    cal = WorkCalendar(half.start_date, half.holidays)
    api = half.task("api")
    assert cal.wd(api.start, api.finish) + 1 == 2 * api.duration_days  # type: ignore[arg-type]
    assert half.task("review").finish == full.task("review").finish  # not Ana's work
    assert half.levelled_finish > full.levelled_finish  # type: ignore[operator]
    assert half.confidence and full.confidence and half.confidence.p50 > full.confidence.p50


def test_the_forecast_runs_on_the_levelled_network(plan_of: Callable[[str], Plan]) -> None:
    plan = plan_of(TWO_JOBS.format(ana=""))
    base = baseline_from_plan(plan)
    assert base.finish_date == plan.levelled_finish
    first = min((plan.task("api"), plan.task("jobs")), key=lambda t: t.start)  # type: ignore[arg-type,return-value]
    late = dt.date(2027, 3, 1) + dt.timedelta(days=14)
    # the first of Ana's tasks runs two weeks late: the second still waits for it
    st = forecast(base, {first.id: TaskStatus("indeterminate", actual_start=plan.start_date)}, late)
    rows = {t.id: t for t in st.tasks}
    other = "jobs" if first.id == "api" else "api"
    assert rows[other].forecast_start > rows[first.id].forecast_finish
    assert st.slip_days > 0
    assert st.confidence is not None and st.confidence.p50 >= rows[first.id].forecast_finish
    assert st.confidence.deadline_probability is not None
    on_plan = forecast(base, {}, plan.start_date)
    assert on_plan.slip_days == 0
    assert {t.id: t.forecast_finish for t in on_plan.tasks} == {t.id: t.finish for t in plan.tasks}


def test_every_output_dates_a_task_by_its_levelled_plan(plan_of: Callable[[str], Plan]) -> None:
    """Start and Finish in the CSV, the Sheets/XLSX Timeline (and its Gantt bars) and Jira's
    dates are the levelled dates, not the CPM dates nobody can keep."""
    import csv
    import io

    from syncsvc.exporting.csvs import timeline_csv
    from syncsvc.grid.layout import build_layouts
    from syncsvc.grid.mapping import load_mapping
    from syncsvc.jira.changes import desired_issues
    from syncsvc.jira.mapping import load_jira_mapping

    plan = plan_of(TWO_JOBS.format(ana=""))
    late = max((plan.task("api"), plan.task("jobs")), key=lambda t: t.planned_start)
    assert late.planned_start != late.early_start
    row = {r["id"]: r for r in csv.DictReader(io.StringIO(timeline_csv(plan)))}[late.id]
    assert (row["start"], row["finish"]) == (late.planned_start.isoformat(), late.planned_finish.isoformat())
    assert row["early_start"] == late.early_start.isoformat()
    issues = desired_issues(
        plan, load_jira_mapping(None), default_issue_type="Task", assignees={}, epic_key=None, with_start=True
    )
    assert issues[late.id].values["duedate"] == late.planned_finish.isoformat()
    assert issues[late.id].values["start"] == late.planned_start.isoformat()
    assert f"Planned: {late.planned_start.isoformat()} to {late.planned_finish.isoformat()}." in str(
        issues[late.id].values["description"]
    )
    timeline = next(s for s in build_layouts(plan, load_mapping()) if s.key == "timeline")
    mine = next([c.value for c in r] for r in timeline.rows if any(c.value == late.name for c in r))
    assert late.planned_start in mine and late.planned_finish in mine and late.early_start not in mine


def test_the_planned_tasks_are_what_validating_them_gives(plan_of: Callable[[str], Plan]) -> None:
    """The plan's task rows are built, not validated: each must equal its validated self, with
    the same value types, every field given, and lists of its own."""
    from conftest import MINIMAL, ROOT, generated_spec

    from syncsvc.model import PlannedTask

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.toml"))]
    texts += [generated_spec(300), MINIMAL]
    seen_lists: set[int] = set()
    plans = [plan_of(text) for text in texts]  # all alive: no list id is reused
    for text, plan in zip(texts, plans, strict=True):
        assert any(t.waits_for for t in plan.tasks) or text == MINIMAL
        for t in plan.tasks:
            again = PlannedTask.model_validate(t.model_dump(), strict=True)
            assert again == t
            assert t.model_fields_set == set(PlannedTask.model_fields)
            for name in PlannedTask.model_fields:
                assert type(getattr(t, name)) is type(getattr(again, name)), name
            for lst in (t.depends_on, t.waits_for, t.people):
                assert id(lst) not in seen_lists
                seen_lists.add(id(lst))
