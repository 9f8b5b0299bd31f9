"""Forecast from Jira status against the baseline (CONTRACT §7). Pure: `as_of` is passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from syncsvc.calendar import WorkCalendar
from syncsvc.model import Plan
from syncsvc.network import Network
from syncsvc.planning.confidence import finish_date, three_point
from syncsvc.status import (
    STATUS_SCHEMA,
    Category,
    EarnedSchedule,
    StateWord,
    Status,
    StatusConfidence,
    TaskForecast,
    TaskStatus,
)

__all__ = [  # the status models, where the forecast's callers have always found them
    "STATUS_SCHEMA",
    "Category",
    "EarnedSchedule",
    "Status",
    "StatusConfidence",
    "TaskForecast",
    "TaskStatus",
    "BaselineNetwork",
    "BaselineTask",
    "baseline_from_plan",
    "merge_baseline",
    "forecast",
    "remaining_confidence",
    "earned_schedule",
]


@dataclass(frozen=True, slots=True)
class BaselineTask:
    """What the baseline recorded of a task."""

    id: str
    depends_on: tuple[str, ...]
    estimate_days: int
    buffer_days: int
    duration_days: int
    planned_start: dt.date
    planned_finish: dt.date
    critical: bool
    milestone: bool = False
    # three-point range of the work (working days, no buffer) for the confidence range
    low: float = 0.0
    high: float = 0.0


@dataclass(frozen=True, slots=True)
class BaselineNetwork:
    """The network the forecast runs on: a recorded plan's tasks with their durations and dates."""

    plan_id: str
    start_date: dt.date
    finish_date: dt.date
    holidays: tuple[dt.date, ...]
    tasks: tuple[BaselineTask, ...]
    deadline: dt.date | None = None


def baseline_from_plan(plan: Plan) -> BaselineNetwork:
    """The baseline a plan's schedule makes (recorded at the first push): the levelled dates,
    and the levelled network (a task also waits for the same person's earlier task)."""
    cal = WorkCalendar(plan.start_date, plan.holidays)
    tasks = []
    for t in plan.tasks:
        start, finish = t.planned_start, t.planned_finish
        levelled = t.start is not None and (start, finish) != (t.early_start, t.early_finish)
        # a part-time person's task spans more working days than its duration
        duration = cal.wd(start, finish) + 1 if levelled and t.duration_days else t.duration_days
        stretch = duration / t.duration_days if t.duration_days else 1.0
        rng = tuple(t.estimate_range) if t.estimate_range else None
        low, _, high = three_point(t.estimate_days, t.risk, rng)  # type: ignore[arg-type]
        tasks.append(
            BaselineTask(
                t.id,
                tuple(dict.fromkeys([*t.depends_on, *t.waits_for])),
                t.estimate_days,
                t.buffer_days,
                duration,
                start,
                finish,
                t.critical,
                t.kind == "milestone",
                low * stretch,
                high * stretch,
            )
        )
    return BaselineNetwork(
        plan_id=plan.plan_id,
        start_date=plan.start_date,
        finish_date=plan.levelled_finish or plan.finish_date,
        holidays=tuple(plan.holidays),
        tasks=tuple(tasks),
        deadline=plan.deadline,
    )


def merge_baseline(recorded: BaselineNetwork, current: Plan) -> BaselineNetwork:
    """The forecast network: the current plan's tasks and dependencies, with the durations and
    planned dates the recorded baseline gave them (tasks added since keep their own plan)."""
    old = {t.id: t for t in recorded.tasks}
    tasks = []
    for t in baseline_from_plan(current).tasks:
        b = old.get(t.id)
        tasks.append(
            t
            if b is None
            else BaselineTask(
                t.id,
                t.depends_on,
                b.estimate_days,
                b.buffer_days,
                b.duration_days,
                b.planned_start,
                b.planned_finish,
                b.critical,
                b.milestone,
                t.low,
                t.high,
            )
        )
    return BaselineNetwork(
        recorded.plan_id,
        recorded.start_date,
        recorded.finish_date,
        tuple(sorted(set(recorded.holidays) | set(current.holidays))),
        tuple(tasks),
        recorded.deadline or current.deadline,
    )


def forecast(
    baseline: BaselineNetwork, statuses: Mapping[str, TaskStatus], as_of: dt.date, *, confidence: bool = True
) -> Status:
    """Re-run the baseline's schedule from `as_of` with done and started work fixed; with
    `confidence`, also the Monte Carlo range of the remaining work."""
    statuses = {k: _on_calendar(v) for k, v in statuses.items()}
    cal = WorkCalendar(baseline.start_date, baseline.holidays)
    tasks = baseline.tasks
    net = Network.of_ids([t.id for t in tasks], [t.depends_on for t in tasks], skip_unknown=True)
    preds = net.preds
    now = cal.index(as_of)  # cur(as_of): the status date is read as the start of that day
    none = TaskStatus("new")
    es, ef = [0] * len(tasks), [0] * len(tasks)
    for i in net.order:
        t, st = tasks[i], statuses.get(tasks[i].id, none)
        ready = max((ef[p] for p in preds[i]), default=0)
        if t.milestone:
            if st.category == "done" and st.actual_finish is not None:
                es[i] = ef[i] = cal.index(st.actual_finish) + 1
            else:
                es[i] = ef[i] = ready
        elif st.category == "done":
            start = st.actual_start or st.actual_finish
            finish = st.actual_finish or st.actual_start
            if start is None or finish is None:  # done without dates: as planned
                start, finish = t.planned_start, t.planned_finish
            es[i], ef[i] = cal.index(start), cal.index(finish) + 1
        elif st.category == "indeterminate":
            es[i] = cal.index(st.actual_start) if st.actual_start else max(ready, now)
            ef[i] = max(es[i] + t.duration_days, now + 1)
        else:
            es[i] = max(ready, now, 0)
            ef[i] = es[i] + t.duration_days
    ls, _ = net.backward([ef[i] - es[i] for i in range(len(es))], max(ef, default=0))
    tf = [max(0, ls[i] - es[i]) for i in range(len(es))]
    # Done work is history: it has no float to lose and is never on the forecast critical path.
    crit = [tf[i] == 0 and statuses.get(t.id, none).category != "done" for i, t in enumerate(tasks)]
    out: list[TaskForecast] = []
    for i, t in enumerate(tasks):
        st = statuses.get(t.id, none)
        start_d, finish_d = _dates(cal, es[i], ef[i], milestone=t.milestone or es[i] == ef[i])
        out.append(
            TaskForecast(
                id=t.id,
                issue_key=st.issue_key,
                status=st.status or st.category,
                status_category=st.category,
                baseline_finish=t.planned_finish,
                forecast_start=start_d,
                forecast_finish=finish_d,
                slip_days=cal.wd(t.planned_finish, finish_d),
                critical=crit[i],
                baseline_critical=t.critical,
                buffer_days=t.buffer_days,
                buffer_used_days=_buffer_used(cal, t, st, as_of),
                total_float=tf[i],
            )
        )
    forecast_finish = max((f.forecast_finish for f in out), default=baseline.finish_date)
    slip = cal.wd(baseline.finish_date, forecast_finish)
    return Status(
        plan_id=baseline.plan_id,
        as_of=as_of,
        baseline_finish=baseline.finish_date,
        forecast_finish=forecast_finish,
        slip_days=slip,
        state=_state(slip, out),
        tasks=out,
        critical_path=[tasks[i].id for i in net.critical_chain(es, ef, crit)],
        earned=earned_schedule(baseline, statuses, as_of, cal),
        confidence=remaining_confidence(baseline, statuses, as_of, cal, network=net) if confidence else None,
    )


# Actual dates the calendar can hold; one outside (a year-9999 date typed into Jira) is unknown.
_FIRST, _LAST = dt.date(1900, 1, 1), dt.date(8999, 12, 31)


def _on_calendar(st: TaskStatus) -> TaskStatus:
    def ok(d: dt.date | None) -> dt.date | None:
        return d if d is None or _FIRST <= d <= _LAST else None

    if ok(st.actual_start) == st.actual_start and ok(st.actual_finish) == st.actual_finish:
        return st
    return TaskStatus(st.category, st.status, st.issue_key, ok(st.actual_start), ok(st.actual_finish))


def remaining_confidence(
    baseline: BaselineNetwork,
    statuses: Mapping[str, TaskStatus],
    as_of: dt.date,
    cal: WorkCalendar,
    *,
    samples: int = 5000,
    seed: int = 1,
    network: Network | None = None,
) -> StatusConfidence:
    """The Monte Carlo range of the finish from the work left at `as_of`: done work keeps its
    dates, work in progress started on its actual start and cannot finish before today, the
    rest starts today at the earliest (each with its three-point range)."""
    import numpy as np  # see LAZY_SEAMS in tests/test_architecture.py

    from syncsvc.montecarlo import simulate

    tasks = baseline.tasks
    net = network or Network.of_ids([t.id for t in tasks], [t.depends_on for t in tasks], skip_unknown=True)
    now = cal.index(as_of)
    none = TaskStatus("new")
    low, mode, high, release, floor = [], [], [], [], []
    for t in tasks:
        st = statuses.get(t.id, none)
        m = float(t.duration_days - t.buffer_days)
        lo, hi = min(t.low, m), max(t.high, m)
        if st.category == "done":
            end = st.actual_finish or st.actual_start or t.planned_finish
            lo = m = hi = 0.0
            release.append(float(cal.index(end) + 1))
            floor.append(0.0)
        elif st.category == "indeterminate":
            release.append(float(cal.index(st.actual_start)) if st.actual_start else float(now))
            floor.append(float(now + 1))
        else:
            release.append(float(now))
            floor.append(0.0)
        low.append(lo)
        mode.append(m)
        high.append(hi)
    sim = simulate(
        net.preds,
        low,
        mode,
        high,
        samples=samples,
        seed=seed,
        release=release,
        floor=floor,
        criticality=False,
        network=net,
    )

    q50, q80, q95 = np.quantile(sim.finish, [0.5, 0.8, 0.95])
    chance = None
    if baseline.deadline is not None:
        chance = round(float(np.mean(sim.finish <= cal.index(baseline.deadline) + 1 + 1e-9)), 3)
    return StatusConfidence(
        p50=finish_date(cal, float(q50)),
        p80=finish_date(cal, float(q80)),
        p95=finish_date(cal, float(q95)),
        deadline_probability=chance,
        samples=samples,
        seed=seed,
    )


def _dates(cal: WorkCalendar, es: int, ef: int, *, milestone: bool) -> tuple[dt.date, dt.date]:
    if ef == es:  # a milestone falls on the finish day of its last predecessor
        d = cal.date(max(es - 1, 0)) if milestone and es > 0 else cal.date(es)
        return d, d
    return cal.date(es), cal.date(ef - 1)


def _buffer_used(cal: WorkCalendar, t: BaselineTask, st: TaskStatus, as_of: dt.date) -> int:
    if t.estimate_days == 0 or t.milestone:  # a milestone takes no time: it has no buffer to use
        return 0
    if st.category == "done" and st.actual_start and st.actual_finish:
        used = cal.wd(st.actual_start, st.actual_finish) + 1
    elif st.category == "indeterminate" and st.actual_start:
        used = cal.wd(st.actual_start, cal.cur(as_of))
    else:
        used = 0
    return max(0, used - t.estimate_days)


def _state(slip: int, tasks: Sequence[TaskForecast]) -> StateWord:
    if slip > 0:
        return "slipping"
    for t in tasks:
        if t.baseline_critical and (t.slip_days > 0 or t.buffer_used_days > t.buffer_days / 2):
            return "at_risk"
    return "on_track"


def earned_schedule(
    baseline: BaselineNetwork, statuses: Mapping[str, TaskStatus], as_of: dt.date, cal: WorkCalendar
) -> EarnedSchedule:
    """ES, SPI(t), SV(t) and IEAC(t) in working days, from planned vs done work."""
    pd = max(1, cal.index(baseline.finish_date) + 1)
    # The planned-value curve runs to the last planned day of any task: a task added after the
    # baseline may be planned past the baseline's finish (scope growth).
    spans = [
        (max(0, cal.index(t.planned_start)), t.duration_days) for t in baseline.tasks if t.duration_days > 0
    ]
    horizon = max([pd, *(s + d for s, d in spans)])
    pv = [0.0] * (horizon + 1)  # planned work (task-days) completed by the end of day t
    delta = [0.0] * (horizon + 2)
    for s, d in spans:
        delta[s + 1] += 1
        delta[s + d + 1] -= 1
    rate = 0.0
    for day in range(1, horizon + 1):
        rate += delta[day]
        pv[day] = pv[day - 1] + rate
    ev = 0.0
    for t in baseline.tasks:
        cat = statuses.get(t.id, TaskStatus("new")).category
        ev += t.duration_days * (1.0 if cat == "done" else 0.5 if cat == "indeterminate" else 0.0)
    c = 0
    while c < horizon and pv[c + 1] <= ev:
        c += 1
    step = pv[c + 1] - pv[c] if c < horizon else 0.0
    es_t = c + ((ev - pv[c]) / step if step > 0 else 0.0)
    at = max(0, cal.index(as_of))  # working days elapsed before the status date
    spi = es_t / at if at > 0 else None
    return EarnedSchedule(
        planned_duration=pd,
        actual_time=at,
        earned_schedule=round(es_t, 2),
        spi_t=round(spi, 3) if spi is not None else None,
        sv_t=round(es_t - at, 2),
        ieac_t=round(pd / spi, 1) if spi else None,
    )
