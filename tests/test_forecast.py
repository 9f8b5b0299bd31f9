"""Forecast rules of CONTRACT §7 on small plans whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from syncsvc.forecast import BaselineNetwork, BaselineTask, TaskStatus, baseline_from_plan, forecast

D = dt.date
MON = D(2027, 1, 4)


def _baseline() -> BaselineNetwork:
    # a (5d, critical) -> b (5d, critical); c (2d, float 8) runs beside them. No buffers here:
    # the forecast uses the durations the baseline recorded, whatever they were made of.
    return BaselineNetwork(
        plan_id="p",
        start_date=MON,
        finish_date=D(2027, 1, 15),
        holidays=(),
        tasks=(
            BaselineTask("a", (), 5, 0, 5, D(2027, 1, 4), D(2027, 1, 8), True),
            BaselineTask("b", ("a",), 5, 0, 5, D(2027, 1, 11), D(2027, 1, 15), True),
            BaselineTask("c", (), 2, 1, 2, D(2027, 1, 4), D(2027, 1, 5), False),
        ),
    )


def test_nothing_started_before_the_start_is_on_track() -> None:
    st = forecast(_baseline(), {}, D(2027, 1, 4))
    assert st.forecast_finish == D(2027, 1, 15) and st.slip_days == 0 and st.state == "on_track"
    assert st.critical_path == ["a", "b"]


def test_a_late_critical_task_slips_the_plan() -> None:
    statuses = {"a": TaskStatus("done", "Done", "P-1", D(2027, 1, 4), D(2027, 1, 12))}
    st = forecast(_baseline(), statuses, D(2027, 1, 13))
    a, b = st.tasks[0], st.tasks[1]
    assert a.slip_days == 2 and a.buffer_used_days == 2  # 7 working days used for 5 estimated
    # b starts the day after a's actual finish (Jan 13) and takes 5 days: Jan 13..19
    assert b.forecast_start == D(2027, 1, 13) and b.forecast_finish == D(2027, 1, 19)
    assert st.slip_days == 2 and st.state == "slipping"


def test_a_late_non_critical_task_is_absorbed_by_float() -> None:
    statuses = {
        "a": TaskStatus("indeterminate", "In Progress", None, D(2027, 1, 4)),
        "c": TaskStatus("indeterminate", "In Progress", None, D(2027, 1, 4)),
    }
    st = forecast(_baseline(), statuses, D(2027, 1, 7))
    c = st.tasks[2]
    # c was due Jan 5 and is still open on Thursday Jan 7: finishes no earlier than Jan 7
    assert c.forecast_finish == D(2027, 1, 7) and c.slip_days == 2 and not c.critical
    assert st.slip_days == 0 and st.state == "on_track"


def test_status_date_is_the_start_of_that_day() -> None:
    # b is due to start Monday Jan 11; a cron run that Monday is not late for it
    statuses = {"a": TaskStatus("done", "Done", None, D(2027, 1, 4), D(2027, 1, 8))}
    st = forecast(_baseline(), statuses, D(2027, 1, 11))
    assert st.tasks[1].forecast_start == D(2027, 1, 11) and st.slip_days == 0


def test_a_weekend_status_date_counts_from_monday() -> None:
    statuses = {"a": TaskStatus("done", "Done", None, D(2027, 1, 4), D(2027, 1, 8))}
    st = forecast(_baseline(), statuses, D(2027, 1, 9))  # Saturday
    assert st.tasks[1].forecast_start == D(2027, 1, 11)


def test_buffer_over_half_used_on_a_critical_task_is_at_risk() -> None:
    base = _baseline()
    tasks = (BaselineTask("a", (), 4, 1, 5, D(2027, 1, 4), D(2027, 1, 8), True), *base.tasks[1:])
    base = BaselineNetwork("p", MON, D(2027, 1, 15), (), tasks)
    # in progress since Jan 4; on Jan 11 five days are used, one over the estimate of 4,
    # which is more than half the 1-day buffer; a finishes Jan 11 at the earliest -> slips
    statuses = {"a": TaskStatus("indeterminate", "In Progress", None, D(2027, 1, 4))}
    st = forecast(base, statuses, D(2027, 1, 11))
    assert st.tasks[0].buffer_used_days == 1
    assert st.state == "slipping" and st.slip_days == 1


def test_earned_schedule_on_plan() -> None:
    statuses = {
        "a": TaskStatus("done", "Done", None, D(2027, 1, 4), D(2027, 1, 8)),
        "c": TaskStatus("done", "Done", None, D(2027, 1, 4), D(2027, 1, 5)),
    }
    st = forecast(_baseline(), statuses, D(2027, 1, 11))
    # planned by end of day 5: a 5 + c 2 = 7 task-days; earned 7: ES = 5 = AT
    assert st.earned.earned_schedule == pytest.approx(5.0)
    assert st.earned.actual_time == 5 and st.earned.spi_t == pytest.approx(1.0)
    assert st.earned.sv_t == pytest.approx(0.0) and st.earned.ieac_t == pytest.approx(10.0)


def test_baseline_from_a_built_plan_forecasts_itself(plan_of) -> None:
    from conftest import EXAMPLE

    plan = plan_of(EXAMPLE.read_text())
    st = forecast(baseline_from_plan(plan), {}, plan.start_date)
    assert st.forecast_finish == plan.finish_date and st.state == "on_track"
    assert {t.id for t in st.tasks if t.critical} == {t.id for t in plan.tasks if t.critical}
    assert st.critical_path == plan.critical_path


def test_a_task_added_mid_flight_joins_the_forecast(plan_of) -> None:
    from conftest import EXAMPLE

    from syncsvc.forecast import merge_baseline

    text = EXAMPLE.read_text()
    recorded = baseline_from_plan(plan_of(text))
    grown = plan_of(
        text.replace(
            "[[risks]]",
            '[[tasks]]\nid = "a11y"\nname = "Accessibility audit"\n'
            'estimate = "2d"\nowner = "Lee"\ndepends_on = ["staging"]\n\n'
            "[[risks]]",
            1,
        )
    )
    merged = merge_baseline(recorded, grown)
    assert "a11y" in {t.id for t in merged.tasks}
    st = forecast(merged, {}, recorded.start_date)
    # the audit sits between staging and the rollout: the plan now finishes later
    assert st.slip_days > 0 and st.state == "slipping"
    assert "a11y" in st.critical_path


def test_status_report_names_the_slip_and_what_to_look_at() -> None:
    from syncsvc.rendering.status_md import render_status_md

    statuses = {
        "a": TaskStatus("done", "Done", "P-1", D(2027, 1, 4), D(2027, 1, 12)),
        "b": TaskStatus("indeterminate", "In Progress", "P-2", D(2027, 1, 13)),
        "c": TaskStatus("done", "Done", "P-3", D(2027, 1, 4), D(2027, 1, 5)),
    }
    # b started Jan 13 and runs 5 days (to Jan 19), but is still open on Jan 20: finishes Jan 20
    st = forecast(_baseline(), statuses, D(2027, 1, 20))
    text = render_status_md(st, {"a": "Backend API", "b": "Integration"})
    assert "**State: slipping.**" in text
    assert "| Integration | In Progress | 2027-01-15 | 2027-01-20 | 3 | **yes** |" in text
    assert "1. Integration is in progress and drives the finish" in text


def test_scope_growth_past_the_baseline_finish_keeps_the_forecast_working() -> None:
    # issue 16.5: a task added after the baseline, planned to start two or more working days
    # after the baseline's finish, made earned_schedule index past its planned-value curve
    base = _baseline()
    late = BaselineTask("d", ("b",), 3, 0, 3, D(2027, 1, 20), D(2027, 1, 22), True)
    grown = BaselineNetwork(base.plan_id, base.start_date, base.finish_date, (), (*base.tasks, late))
    statuses = {
        t.id: TaskStatus("done", "Done", None, t.planned_start, t.planned_finish) for t in grown.tasks
    }
    for as_of in (D(2027, 1, 4), D(2027, 1, 18), D(2027, 1, 25)):
        st = forecast(grown, {} if as_of == MON else statuses, as_of)
        assert st.earned.planned_duration == 10
    assert st.earned.earned_schedule == pytest.approx(15.0)  # all 15 task-days earned


def test_a_done_milestone_uses_no_buffer_and_leaves_the_plan_on_track() -> None:
    # CONTRACT §7: a task with estimate_days = 0 uses no buffer; a milestone reported done
    # (its actual start and finish the same day) must not mark the plan at risk for good
    base = _baseline()
    gate = BaselineTask("gate", ("a",), 0, 0, 0, D(2027, 1, 8), D(2027, 1, 8), True, True)
    base = BaselineNetwork("p", MON, D(2027, 1, 15), (), (base.tasks[0], gate, *base.tasks[1:]))
    statuses = {
        "a": TaskStatus("done", "Done", None, D(2027, 1, 4), D(2027, 1, 8)),
        "gate": TaskStatus("done", "Done", None, D(2027, 1, 8), D(2027, 1, 8)),
    }
    st = forecast(base, statuses, D(2027, 1, 11))
    assert [t.buffer_used_days for t in st.tasks if t.id == "gate"] == [0]
    assert st.state == "on_track" and st.slip_days == 0


def test_an_actual_date_off_the_calendar_is_treated_as_unknown() -> None:
    # a year-9999 finish typed into Jira must not crash every pull: the date is unknown, and a
    # done task with only its start finishes on it
    statuses = {
        "a": TaskStatus("done", "Done", None, D(2027, 1, 4), D(9999, 12, 31)),
        "c": TaskStatus("indeterminate", "In Progress", None, D(1, 1, 1)),
    }
    st = forecast(_baseline(), statuses, D(2027, 1, 11))
    a = st.tasks[0]
    assert a.forecast_finish == D(2027, 1, 4) and st.forecast_finish == D(2027, 1, 15)
    assert st.tasks[2].forecast_start == D(2027, 1, 11)  # started, date unknown: from as_of
