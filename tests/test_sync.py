"""pull and sync end to end on the fake Jira, with `--as-of` time travel (CONTRACT §3, §7)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from conftest import EXAMPLE
from fakes.jira_env import jira_env

from syncsvc.jira.pull import pull_status
from syncsvc.model import Plan
from syncsvc.state import State
from syncsvc.tracking import run_sync

UTC = dt.UTC


def at(day: int, hour: int = 10, month: int = 1) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, tzinfo=UTC)


@pytest.fixture
def example(plan_of) -> Plan:
    return plan_of(EXAMPLE.read_text())


def follow_plan(env, plan: Plan, until: dt.date, *, skip: tuple[str, ...] = ()) -> None:
    """Work the plan in the fake Jira exactly as scheduled up to (not including) `until`;
    the tasks in `skip`, and whatever waits for them, are left alone."""
    from syncsvc.calendar import WorkCalendar

    cal = WorkCalendar(plan.start_date, plan.holidays)
    held = set(skip)
    for t in plan.tasks:  # tasks are listed after what they depend on
        if set(t.depends_on) & held:
            held.add(t.id)
        if t.id in held or t.kind == "milestone" or t.early_start >= until:
            continue
        key = env.fake.key_of(plan.plan_id, t.id)
        env.fake.move(key, "In Progress", at(t.early_start.day, 9, t.early_start.month))
        done = cal.date(cal.index(t.early_start) + t.estimate_days - 1)  # on estimate, no buffer
        if done < until:
            env.fake.move(key, "Done", at(done.day, 17, done.month))


def _sync(env, plan: Plan, as_of: dt.date, **kw):
    return run_sync([EXAMPLE], env.cfg, as_of=as_of, load=lambda p: (plan, {}, None), dry_run=False, **kw)


def test_sync_on_track_then_a_critical_task_finishing_late(
    tmp_path: Path, monkeypatch, example: Plan
) -> None:
    with jira_env(tmp_path, monkeypatch) as env:
        env.push(example)
        follow_plan(env, example, dt.date(2027, 1, 11))
        report = _sync(env, example, dt.date(2027, 1, 11))
        assert report.failed == [] and report.runs[0].state == "on_track"
        assert report.runs[0].slip_days == 0
        # Backend API was due Friday Jan 15 (7 days + 3 buffer); it closes Wednesday Jan 20
        # (Monday Jan 18 is a holiday): 2 working days late, on the critical path. Everything
        # else keeps to the plan.
        follow_plan(env, example, dt.date(2027, 1, 21), skip=("backend-api",))
        env.fake.move(env.fake.key_of("notif-center", "backend-api"), "Done", at(20, 17))
        report = _sync(env, example, dt.date(2027, 1, 21))
        run = report.runs[0]
        assert run.state == "slipping" and run.slip_days == 2
        assert report.exit_code(fail_on_slip=True) == 3
        assert report.exit_code(fail_on_slip=False) == 0
        with State.open(env.cfg.state_path()) as st:
            snaps = st.snapshots("notif-center")
        assert [(s["as_of"], s["state"], s["slip_days"]) for s in snaps] == [
            ("2027-01-11", "on_track", 0),
            ("2027-01-21", "slipping", 2),
        ]


def test_a_late_non_critical_task_is_absorbed_by_float(tmp_path: Path, monkeypatch, example: Plan) -> None:
    with jira_env(tmp_path, monkeypatch) as env:
        env.push(example)
        follow_plan(env, example, dt.date(2027, 1, 18), skip=("frontend-ui",))
        ui = env.fake.key_of("notif-center", "frontend-ui")  # 4 days of float
        env.fake.move(ui, "In Progress", at(6))
        env.fake.move(ui, "Done", at(15, 16))  # due Jan 13: 2 days late, float absorbs it
        with State.open(env.cfg.state_path()) as st:
            result = pull_status(example, env.cfg, as_of=dt.date(2027, 1, 18), state=st)
        ui_row = next(t for t in result.status.tasks if t.id == "frontend-ui")
        assert ui_row.slip_days == 2 and not ui_row.critical
        assert result.status.slip_days == 0 and result.status.state == "on_track"


def test_a_reopened_task_counts_from_its_last_close(tmp_path: Path, monkeypatch, example: Plan) -> None:
    with jira_env(tmp_path, monkeypatch) as env:
        env.push(example)
        rev = env.fake.key_of("notif-center", "design-review")
        env.fake.move(rev, "In Progress", at(4))
        env.fake.move(rev, "Done", at(5))
        env.fake.move(rev, "In Progress", at(7))  # reopened
        with State.open(env.cfg.state_path()) as st:
            st1 = pull_status(example, env.cfg, as_of=dt.date(2027, 1, 8), state=st).status
        row = next(t for t in st1.tasks if t.id == "design-review")
        assert row.status_category == "indeterminate" and row.forecast_finish == dt.date(2027, 1, 8)
        env.fake.move(rev, "Done", at(11))
        with State.open(env.cfg.state_path()) as st:
            st2 = pull_status(example, env.cfg, as_of=dt.date(2027, 1, 12), state=st).status
        row = next(t for t in st2.tasks if t.id == "design-review")
        assert row.status_category == "done" and row.forecast_finish == dt.date(2027, 1, 11)


def test_no_change_sync_reads_within_budget_and_writes_nothing(
    tmp_path: Path, monkeypatch, example: Plan
) -> None:
    with jira_env(tmp_path, monkeypatch) as env:
        env.push(example)
        _sync(env, example, dt.date(2027, 1, 4))  # first sync caches the site's field ids
        n = len(env.fake.calls)
        report = _sync(env, example, dt.date(2027, 1, 5))
        assert report.failed == []
        calls = env.fake.calls[n:]
        assert [c for c in calls if c.write] == []
        budget = 2 + 2 * math.ceil(len(example.tasks) / 100)
        assert len(calls) <= budget, [f"{c.method} {c.path}" for c in calls]


def test_pull_without_a_push_says_to_push_first(tmp_path: Path, monkeypatch, example: Plan) -> None:
    from syncsvc.errors import ConfigError

    with jira_env(tmp_path, monkeypatch) as env, State.open(env.cfg.state_path()) as st:
        with pytest.raises(ConfigError, match="no baseline"):
            pull_status(example, env.cfg, as_of=dt.date(2027, 1, 4), state=st)
        assert env.fake.calls == []


def test_pull_on_a_site_without_the_bulk_endpoints_reads_by_key_search(
    tmp_path: Path, monkeypatch, example: Plan
) -> None:
    with jira_env(tmp_path, monkeypatch, bulk_reads=False) as env:
        env.push(example)
        follow_plan(env, example, dt.date(2027, 1, 21), skip=("backend-api",))
        api = env.fake.key_of("notif-center", "backend-api")
        env.fake.move(api, "Done", at(20, 17))
        env.fake.move(api, "In Progress", at(20, 18))  # reopened: 3 moves, paged 2 by 2
        env.fake.move(api, "Done", at(20, 19))
        with State.open(env.cfg.state_path()) as st:
            status = pull_status(example, env.cfg, as_of=dt.date(2027, 1, 21), state=st).status
        assert status.state == "slipping" and status.slip_days == 2
        paths = {c.path for c in env.fake.calls}
        assert "search/jql" in paths and f"issue/{env.fake.issues[api]['id']}/changelog" in paths
        assert {c.status for c in env.fake.calls if c.path.endswith("bulkfetch")} == {404}
