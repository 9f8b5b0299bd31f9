"""Plans for the Sheets tests and benchmark, scheduled by the real CPM code (not hand-dated)."""

from __future__ import annotations

import datetime as dt

from syncsvc.calendar import WorkCalendar
from syncsvc.model import (
    CommItem,
    Conflict,
    Finding,
    Phase,
    Plan,
    PlannedTask,
    RaciRow,
    Risk,
    Rollback,
    RollbackStep,
    Stakeholder,
    Trigger,
)
from syncsvc.schedule import Activity, schedule
from syncsvc.status import EarnedSchedule, Status, TaskForecast, TrackedStatus

START = dt.date(2027, 1, 4)
PEOPLE = ["Mike", "Ana", "Raj", "Lee", "Dana"]
LEVELS = ("low", "medium", "high")


def make_plan(
    n_tasks: int = 8,
    *,
    plan_id: str = "notif-center",
    task_name: str | None = None,
    risk_title: str | None = None,
    owner: str | None = None,
    weeks: int = 6,
) -> Plan:
    """A plan of `n_tasks` tasks in five lanes with cross links, a final milestone, risks of
    every cell of the 3x3 grid, RACI, communication, rollback, conflicts and findings.
    `task_name`, `risk_title`, `owner` put given (hostile) text into the plan."""
    acts = []
    for i in range(n_tasks - 1):
        deps = []
        if i >= len(PEOPLE):
            deps.append(f"t{i - len(PEOPLE)}")
        if i % 7 == 3 and i > 8:
            deps.append(f"t{i - 8}")
        acts.append(Activity(f"t{i}", 1 + (i * 7) % 5, tuple(deps), high_risk=i % 6 == 0))
    last = [a.id for a in acts[-len(PEOPLE) :]]
    acts.append(Activity("launch", 0, tuple(last), milestone=True))
    sched = schedule(acts, WorkCalendar(START))
    tasks = []
    for i, a in enumerate(acts):
        s = sched.slots[a.id]
        name = task_name if (task_name and i == 0) else f"Task {i} of the rollout"
        who = owner if (owner and i == 1) else PEOPLE[i % len(PEOPLE)]
        tasks.append(
            PlannedTask(
                id=a.id,
                name=name if a.id != "launch" else "Launch",
                phase="build",
                kind="milestone" if a.milestone else "task",
                owner=who,
                risk="high" if a.high_risk else "medium",
                estimate_days=a.estimate_days,
                buffer_days=s.buffer_days,
                duration_days=s.duration_days,
                depends_on=list(a.depends_on),
                early_start=s.early_start,
                early_finish=s.early_finish,
                late_start=s.late_start,
                late_finish=s.late_finish,
                total_float=s.total_float,
                critical=s.critical,
            )
        )
    risks = []
    for n, (lk, im) in enumerate([(x, y) for x in LEVELS for y in LEVELS]):
        score = (LEVELS.index(lk) + 1) * (LEVELS.index(im) + 1)
        risks.append(
            Risk(
                id="",
                title=f"Risk {n}",
                likelihood=lk,
                impact=im,
                score=score,
                owner=PEOPLE[n % 5] if n != 4 else None,
                mitigation=f"Mitigate {n}",
            )
        )
    if risk_title:
        risks[0] = risks[0].model_copy(update={"title": risk_title})
    risks.sort(key=lambda r: (-r.score, -LEVELS.index(r.impact), -LEVELS.index(r.likelihood)))
    risks = [r.model_copy(update={"id": f"R{i + 1}"}) for i, r in enumerate(risks)]
    raci = [
        RaciRow(
            activity=t.id,
            responsible=[t.owner or "PM"],
            accountable="Dana",
            consulted=["Lee"] if i % 2 else [],
            informed=["Leadership"],
        )
        for i, t in enumerate(tasks)
    ]
    deadline = dt.date(2027, 1, 4) + dt.timedelta(weeks=weeks) - dt.timedelta(days=3)
    return Plan(
        plan_id=plan_id,
        feature_name="In-App Notifications Center",
        description="Replacing email-only alerts",
        risk_tolerance="medium",
        team_size=5,
        timeline=f"{weeks} weeks",
        pm="Dana",
        start_date=START,
        deadline=deadline,
        finish_date=sched.finish_date,
        fits_timeline=sched.finish_date <= deadline,
        risks=risks,
        stakeholders=[
            Stakeholder(
                name="Leadership",
                group="leadership",
                order="first",
                influence="high",
                interest="medium",
                cadence="biweekly",
                channel="email digest",
                strategy="keep satisfied",
            )
        ],
        raci=raci,
        communication_plan=[
            CommItem(audience="leadership", cadence="biweekly", channel="email", content="status and risks")
        ],
        phases=[Phase(name="canary", exposure_percent=5, monitoring_hours=48)],
        tasks=tasks,
        critical_path=sched.critical_path,
        rollback=Rollback(
            deployment="feature_flag",
            decision_maker="On-call engineering lead",
            triggers=[Trigger(metric="error_rate", operator=">", threshold=2, unit="%", window_minutes=15)],
            steps=[
                RollbackStep(
                    order=1,
                    actor="On-call",
                    action="Turn the flag off",
                    expected_result="Traffic back on email",
                    max_minutes=5,
                )
            ],
            verification=["Error rate back under 0.5%"],
            estimated_minutes=5,
        ),
        conflicts=[Conflict(kind="deadline", message="t3 finishes after the deadline", subjects=["t3"])],
        findings=[Finding(kind="unowned_risk", message="Risk 4 has no owner", subjects=["Risk 4"])],
    )


def make_status(
    plan: Plan,
    trend: list[tuple[str, str, int, str]],
    *,
    confidence: dict[str, object] | None = None,
    tasks: int | None = None,
) -> TrackedStatus:
    """A tracked status as `sync` hands it to publish, the last `trend` point being this run's:
    the first task is 2 days late and critical, the second 1 day late off the critical path,
    the rest on time; the first two are done. `tasks` limits the forecast to the first few."""
    as_of, state, slip, finish = trend[-1]
    out = []
    for i, t in enumerate(plan.tasks[:tasks]):
        late = 2 if i == 0 else 1 if i == 1 else 0
        out.append(
            TaskForecast(
                id=t.id,
                issue_key=f"NOTIF-{i + 1}",
                status="Done" if i < 2 else "To Do",
                status_category="done" if i < 2 else "new",
                baseline_finish=t.early_finish,
                forecast_start=t.early_start,
                forecast_finish=t.early_finish + dt.timedelta(days=late),
                slip_days=late,
                critical=i == 0,
                baseline_critical=t.critical,
                buffer_days=t.buffer_days,
                buffer_used_days=0,
                total_float=t.total_float,
            )
        )
    forecast = Status.model_validate(
        {
            "plan_id": plan.plan_id,
            "as_of": as_of,
            "baseline_finish": plan.finish_date,
            "forecast_finish": finish,
            "slip_days": slip,
            "state": state,
            "tasks": out,
            "critical_path": [],
            "earned": EarnedSchedule(
                planned_duration=1, actual_time=0, earned_schedule=0.0, spi_t=None, sv_t=0.0, ieac_t=None
            ),
            "confidence": confidence,
        }
    )
    history = [{"as_of": a, "state": s, "slip_days": d, "forecast_finish": f} for a, s, d, f in trend[:-1]]
    return TrackedStatus.of(forecast, history=history)
