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
