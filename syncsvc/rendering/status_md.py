"""The pull report: what slipped, by how much, what drives it, and what to look at first."""

from __future__ import annotations

from collections.abc import Callable

from syncsvc.forecast import Status, TaskForecast
from syncsvc.rendering.text import md, table

_STATE = {"on_track": "on track", "at_risk": "at risk", "slipping": "slipping"}


def render_status_md(status: Status, names: dict[str, str] | None = None) -> str:
    """Markdown for a forecast; `names` maps task ids to task names for readability."""
    names = names or {}

    def name(tid: str) -> str:
        return md(names.get(tid, tid))

    sign = f"+{status.slip_days}" if status.slip_days > 0 else str(status.slip_days)
    out = [
        f"# Status of `{status.plan_id}` on {status.as_of.isoformat()}",
        "",
        f"**State: {_STATE[status.state]}.** Forecast finish {status.forecast_finish.isoformat()}"
        f" against the baseline's {status.baseline_finish.isoformat()} ({sign} working days).",
        "",
        "**Forecast critical path:** " + (" → ".join(name(t) for t in status.critical_path) or "—"),
    ]
    done = sum(1 for t in status.tasks if t.status_category == "done")
    started = sum(1 for t in status.tasks if t.status_category == "indeterminate")
    out += [
        "",
        f"Tasks: {done} done, {started} in progress, {len(status.tasks) - done - started} not started.",
    ]

    slipped = sorted(
        (t for t in status.tasks if t.slip_days > 0), key=lambda t: (not t.critical, -t.slip_days, t.id)
    )
    out += ["", "## What slipped", ""]
    if slipped:
        out.append(
            table(
                ["Task", "Status", "Baseline finish", "Forecast finish", "Slip (d)", "Critical now"],
                [
                    [
                        name(t.id),
                        md(t.status),
                        t.baseline_finish.isoformat(),
                        t.forecast_finish.isoformat(),
                        str(t.slip_days),
                        "**yes**" if t.critical else "",
                    ]
                    for t in slipped
                ],
            )
        )
    else:
        out.append("Nothing: every task is forecast to finish on or before its baseline date.")

    out += ["", "## Look at first", ""]
    out += [f"{i}. {line}" for i, line in enumerate(_priorities(status, name), 1)] or [
        "Nothing needs attention: the critical path holds and no buffer is over half used."
    ]

    es = status.earned
    out += [
        "",
        "## Earned schedule",
        "",
        table(
            ["Measure", "Value"],
            [
                ["Planned duration (working days)", str(es.planned_duration)],
                ["Actual time elapsed (AT)", str(es.actual_time)],
                ["Earned schedule (ES)", f"{es.earned_schedule:g}"],
                ["SPI(t) = ES / AT", "—" if es.spi_t is None else f"{es.spi_t:g}"],
                ["SV(t) = ES − AT", f"{es.sv_t:g}"],
                ["IEAC(t) = PD / SPI(t)", "—" if es.ieac_t is None else f"{es.ieac_t:g}"],
            ],
        ),
        "",
        "In-progress work counts half done (the 50/50 rule).",
    ]

    out += [
        "",
        "## All tasks",
        "",
        table(
            [
                "Task",
                "Issue",
                "Status",
                "Forecast start",
                "Forecast finish",
                "Slip (d)",
                "Buffer used",
                "Float (d)",
                "Critical",
            ],
            [
                [
                    name(t.id),
                    md(t.issue_key or "—"),
                    md(t.status),
                    t.forecast_start.isoformat(),
                    t.forecast_finish.isoformat(),
                    str(t.slip_days),
                    f"{t.buffer_used_days}/{t.buffer_days}",
                    str(t.total_float),
                    "**yes**" if t.critical else "",
                ]
                for t in status.tasks
            ],
        ),
    ]
    return "\n".join(out) + "\n"


def _priorities(status: Status, nm: Callable[[str], str]) -> list[str]:
    lines: list[str] = []
    by_id = {t.id: t for t in status.tasks}
    path = [by_id[i] for i in status.critical_path if i in by_id]
    for t in path:
        if t.status_category == "indeterminate" and t.slip_days > 0:
            lines.append(
                f"{nm(t.id)} is in progress and drives the finish: forecast "
                f"{t.forecast_finish.isoformat()}, {t.slip_days} working days late."
            )
    for t in status.tasks:
        if t.baseline_critical and t.buffer_days and t.buffer_used_days > t.buffer_days / 2:
            lines.append(f"{nm(t.id)} has used {t.buffer_used_days} of its {t.buffer_days} buffer days.")
    nxt = next((t for t in path if t.status_category == "new"), None)
    if nxt is not None and status.slip_days > 0:
        lines.append(
            f"{nm(nxt.id)} is the next critical task; starting it on "
            f"{nxt.forecast_start.isoformat()} is what the forecast assumes."
        )
    moved = [t for t in status.tasks if t.critical and not t.baseline_critical]
    if moved:
        lines.append("The critical path moved: now through " + ", ".join(nm(t.id) for t in moved) + ".")
    return lines


def task_line(t: TaskForecast) -> str:
    """One line for logs: `backend-api NOTIF-3 In Progress +2d (critical)`."""
    crit = " (critical)" if t.critical else ""
    return f"{t.id} {t.issue_key or '-'} {t.status} {t.slip_days:+d}d{crit}"
