"""Pure layout of the Timeline worksheet: the task table and its week-by-week Gantt grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from syncsvc.columns import ColumnDef, sheet_columns
from syncsvc.grid.cells import (
    BLANK,
    PLAIN,
    Cell,
    Fmt,
    GridRange,
    SheetLayout,
    date,
    fill,
    flag,
    number,
    text,
    trim_rows,
)
from syncsvc.grid.mapping import Column, SheetsMapping, header_fmt
from syncsvc.model import Plan, PlannedTask
from syncsvc.status import TaskForecast, TrackedStatus

WEEK_PATTERN = "d mmm"
_COLUMNS = sheet_columns("timeline")  # the registry, by sheets.toml key


def gantt_weeks(plan: Plan, status: TrackedStatus | None, max_weeks: int) -> tuple[list[dt.date], bool]:
    """Mondays of the weeks from the start to the latest of finish, deadline and forecast;
    and whether the list was cut at `max_weeks`."""
    first = plan.start_date - dt.timedelta(days=plan.start_date.weekday())
    ends = [plan.finish_date, plan.deadline, *(t.planned_finish for t in plan.tasks)]
    if status is not None:
        tasks = status.forecast.tasks if status.forecast else []
        ends += [d for d in [status.forecast_finish, *(t.forecast_finish for t in tasks)] if d]
    last = max(ends)
    n = (last - first).days // 7 + 1
    weeks = [first + dt.timedelta(weeks=i) for i in range(min(n, max_weeks))]
    return weeks, n > max_weeks


def _slip_fmt(ts: TaskForecast | None, mapping: SheetsMapping) -> Fmt:
    """A late task in the state colours: slipping when critical in the forecast, else at risk."""
    if ts is None or ts.slip_days <= 0:
        return PLAIN
    c = mapping.colours
    return Fmt(background=c.state_slipping if ts.critical else c.state_at_risk)


_CENTER = Fmt(align="CENTER")
_MAKE: dict[str, Callable[..., Cell]] = {"date": date, "number": number, "flag": flag}


def _task_cells(
    cols: Sequence[Column], critical_fmt: Fmt, mapping: SheetsMapping
) -> Callable[[PlannedTask, TaskForecast | None, str | None], list[Cell]]:
    """The function giving one task's row of table cells (each column's registry entry,
    format and cell maker looked up once, not per task)."""
    plan_: list[tuple[ColumnDef, Fmt, Callable[..., Cell] | None]] = []
    for col in cols:
        reg = _COLUMNS[col.key]
        plan_.append((reg, _CENTER if reg.kind == "flag" else PLAIN, _MAKE.get(reg.kind)))

    def cells(t: PlannedTask, ts: TaskForecast | None, key: str | None) -> list[Cell]:
        out: list[Cell] = []
        for reg, fmt, make in plan_:
            v: Any
            if reg.of == "status":  # the pull's forecast; the Jira key also when only the push had it
                v = key if reg.attr == "issue_key" else reg.value(ts) if ts is not None else None
                if reg.kind in ("date", "number"):  # the forecast, in the state colours
                    fmt = _slip_fmt(ts, mapping)
            else:
                v = reg.value(t)
                if reg.key == "id" and t.critical:
                    fmt = critical_fmt
            if make is not None:
                out.append(make(v, fmt))
            else:
                out.append(text(", ".join(v) if reg.kind == "list" else v, fmt))
        return out

    return cells


def _bar(t: PlannedTask, weeks: list[dt.date], mapping: SheetsMapping) -> list[Cell]:
    """The task's Gantt row: its colour in every week it runs in, blank before it (the blank
    weeks after it are left out: `trim_rows` would drop them)."""
    c = mapping.colours
    colour = c.gantt_milestone if t.kind == "milestone" else c.gantt_critical if t.critical else c.gantt_task
    first = max(0, (t.planned_start - weeks[0]).days // 7)
    last = min((t.planned_finish - weeks[0]).days // 7, len(weeks) - 1)
    if last < first or first >= len(weeks):
        return []
    return [BLANK] * first + [fill(colour)] * (last - first + 1)


def timeline_layout(
    plan: Plan, mapping: SheetsMapping, title: str, status: TrackedStatus | None
) -> SheetLayout:
    """Tasks with dates, buffer, float, critical, Jira key and status; a Gantt to the right
    (one column per week, bars as cell colours, critical tasks in the critical colour, the
    deadline's week marked in the header)."""
    head = header_fmt(mapping)
    cols = mapping.timeline.columns
    weeks, cut = gantt_weeks(plan, status, mapping.gantt.max_weeks)
    deadline_week = plan.deadline - dt.timedelta(days=plan.deadline.weekday())
    deadline_fmt = Fmt(
        bold=True, background=mapping.colours.gantt_deadline, text_colour="#FFFFFF", date_pattern=WEEK_PATTERN
    )
    week_fmt = Fmt(
        bold=True,
        background=mapping.colours.header_background,
        text_colour=mapping.colours.header_text,
        date_pattern=WEEK_PATTERN,
    )
    header = [text(c.header, head) for c in cols]
    header += [date(w, deadline_fmt if w == deadline_week else week_fmt) for w in weeks]
    if cut:  # say so where the reader looks, instead of silently dropping weeks
        header[-1] = text("…", head)
    rows: list[tuple[Cell, ...]] = [tuple(header)]
    critical_fmt = Fmt(bold=True, text_colour=mapping.colours.gantt_critical)
    cells = _task_cells(cols, critical_fmt, mapping)
    for t in plan.tasks:
        ts = task_status(status, t)
        key = status.issue_key(t.id) if status else None
        rows.append(tuple(cells(t, ts, key) + _bar(t, weeks, mapping)))
    widths = tuple(c.width for c in cols) + (mapping.gantt.week_width,) * len(weeks)
    return SheetLayout(
        "timeline",
        title,
        trim_rows(rows),
        widths,
        frozen_cols=1,
        filter=GridRange(0, len(rows), 0, len(cols)),
    )


def task_status(status: TrackedStatus | None, task: PlannedTask) -> TaskForecast | None:
    """The task's forecast, when a pull made one."""
    return status.task(task.id) if status else None
