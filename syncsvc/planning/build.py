"""`build_plan`: a checked spec and the catalogs in, the whole rollout plan out. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from syncsvc.calendar import WorkCalendar
from syncsvc.catalog import Catalog
from syncsvc.catalog.phases import PhaseTemplate
from syncsvc.model import Conflict, Finding, Phase, Plan, PlannedTask
from syncsvc.planning.drafts import (
    TaskDraft,
    activities,
    insert_mitigations,
    quick_tasks,
    rollout_tasks,
    spec_tasks,
)
from syncsvc.planning.profiles import (
    Profiles,
    choose_profiles,
    coverage_findings,
    profile_templates,
    rollout_for,
)
from syncsvc.planning.risks import assess_risks
from syncsvc.planning.rollback import build_rollback
from syncsvc.planning.stakeholders import map_stakeholders
from syncsvc.schedule import Schedule, schedule
from syncsvc.spec import Spec


@dataclass(frozen=True)
class PlanContext:
    """What the stakeholder and rollback steps read of the scheduled plan."""

    spec: Spec
    pm: str
    calendar: WorkCalendar
    deadline: dt.date
    tasks: list[PlannedTask]
    phases: list[Phase]
    critical_path: list[str]
    profiles: Profiles = field(default_factory=Profiles)
    strategy: str = "percentage_ramp"


def deadline_for(spec: Spec, cal: WorkCalendar) -> dt.date:
    """The last working day of the timeline (CONTRACT §2)."""
    n, unit = spec.timeline_parts
    assert spec.start_date is not None
    if unit == "weeks":
        return cal.prev(spec.start_date + dt.timedelta(days=7 * n))
    return cal.date(n - 1)


def build_plan(spec: Spec, catalog: Catalog) -> Plan:
    """The whole plan for a spec whose defaults are filled (see `specload.load_spec`)."""
    assert spec.start_date is not None and spec.plan_id is not None and spec.pm is not None
    cal = WorkCalendar(spec.start_date, spec.holidays)
    deadline = deadline_for(spec, cal)
    profiles = choose_profiles(spec, catalog)
    tolerance_ladder = catalog.phases.ladder(spec.risk_tolerance)
    rollout, ladder = rollout_for(profiles, spec.risk_tolerance, tolerance_ladder.phases,
                                  tolerance_ladder.summary)
    assessment = assess_risks(spec, catalog, profiles.chosen)

    if spec.quick_mode:
        base = quick_tasks(spec, profile_templates(profiles, catalog), cal=cal,
                           deadline=deadline, ladder=ladder, extra=assessment.mitigations)
    else:
        base = spec_tasks(spec)
    drafts = insert_mitigations(base, assessment.mitigations)
    given_rollouts = [t for t in drafts if t.kind == "rollout"]
    if not given_rollouts:
        drafts += rollout_tasks(drafts, ladder, owner=spec.pm)

    sched = schedule(activities(drafts), cal)
    tasks = _planned(drafts, sched)
    phases = _phases(ladder, tasks, given=bool(given_rollouts))
    ctx = PlanContext(spec, spec.pm, cal, deadline, tasks, phases, sched.critical_path,
                      profiles, rollout.strategy)
    people = map_stakeholders(spec, catalog, ctx)
    rollback = build_rollback(spec, catalog, ctx)

    conflicts = timeline_conflicts(ctx, sched, people.owner_labels) + people.conflicts
    findings: list[Finding] = [*coverage_findings(profiles, catalog), *assessment.findings,
                               *people.findings, *rollback.findings]
    return Plan(
        plan_id=spec.plan_id, feature_name=spec.feature_name, description=spec.description,
        risk_tolerance=spec.risk_tolerance, team_size=spec.team_size,
        timeline=spec.timeline_text, pm=spec.pm, users=spec.users,
        start_date=sched.start_date, holidays=sorted(spec.holidays), deadline=deadline,
        finish_date=sched.finish_date, levelled_finish=sched.finish_date,
        fits_timeline=sched.finish_date <= deadline, risks=assessment.risks,
        change_profiles=profiles.uses, rollout=rollout,
        stakeholders=people.stakeholders, raci=people.raci,
        communication_plan=people.communication_plan, phases=phases, tasks=tasks,
        critical_path=sched.critical_path, rollback=rollback.rollback, conflicts=conflicts,
        findings=findings, quick_mode=spec.quick_mode, version=spec.version,
        changelog=list(spec.changelog),
    )


def _planned(drafts: Sequence[TaskDraft], sched: Schedule) -> list[PlannedTask]:
    out = []
    for t in drafts:
        s = sched.slots[t.id]
        out.append(PlannedTask(
            id=t.id, name=t.name, phase=t.phase, kind=t.kind, owner=t.owner, risk=t.risk,
            estimate_days=t.estimate_days, buffer_days=s.buffer_days,
            duration_days=s.duration_days, depends_on=list(t.depends_on),
            early_start=s.early_start, early_finish=s.early_finish, late_start=s.late_start,
            late_finish=s.late_finish, total_float=s.total_float, critical=s.critical,
            source=t.source, start=s.early_start, finish=s.early_finish,
        ))
    return out


def _phases(ladder: Sequence[PhaseTemplate], tasks: Sequence[PlannedTask], *, given: bool
            ) -> list[Phase]:
    ids = {t.id for t in tasks}
    return [
        Phase(name=p.id, exposure_percent=_num(p.exposure_percent),
              monitoring_hours=p.monitoring_hours, gate=p.gate,
              task_id=None if given or f"rollout-{p.id}" not in ids else f"rollout-{p.id}")
        for p in ladder
    ]


def timeline_conflicts(ctx: PlanContext, sched: Schedule, owner_labels: dict[str, str]
                       ) -> list[Conflict]:
    """Tasks past the deadline (the overrunning chain) and reviews that land after launch."""
    out: list[Conflict] = []
    by_id = {t.id: t for t in ctx.tasks}
    late = [t for t in ctx.tasks if t.early_finish > ctx.deadline]
    if late:
        chain = [tid for tid in sched.critical_path if by_id[tid].early_finish > ctx.deadline]
        days = ctx.calendar.wd(ctx.deadline, sched.finish_date)
        out.append(Conflict(
            kind="timeline_overrun",
            message=(f"The plan finishes {sched.finish_date.isoformat()}, {days} working day"
                     f"{'s' if days != 1 else ''} after the deadline "
                     f"{ctx.deadline.isoformat()}; the critical path drives it: "
                     + " → ".join(by_id[i].name for i in sched.critical_path)),
            subjects=list(sched.critical_path),
        ))
        for t in late:
            if t.id not in chain and not t.critical:
                continue
            out.append(_late_task(t, ctx, owner_labels))
    first_exposure = next(
        (t for t in ctx.tasks if t.kind == "rollout" and t.id != _internal_id(ctx)), None)
    if first_exposure is not None:
        for t in ctx.tasks:
            if t.kind == "review" and t.early_finish >= first_exposure.early_start:
                who = _who(t, owner_labels)
                out.append(Conflict(
                    kind="review_after_launch",
                    message=(f"{t.name} ({t.id}) finishes {t.early_finish.isoformat()}, after "
                             f"users are first exposed on {first_exposure.early_start.isoformat()}"
                             f" ({first_exposure.name}); {who}. Schedule the review earlier or "
                             f"make {first_exposure.id} depend on it."),
                    subjects=[t.id, *([t.owner] if t.owner else []),
                              *([owner_labels[t.id]] if t.id in owner_labels else [])],
                ))
    return out


def _late_task(t: PlannedTask, ctx: PlanContext, owner_labels: dict[str, str]) -> Conflict:
    what = "review" if t.kind == "review" else "task"
    return Conflict(
        kind="past_deadline",
        message=(f"The {what} {t.name} ({t.id}) finishes {t.early_finish.isoformat()}, past the "
                 f"deadline {ctx.deadline.isoformat()}; {_who(t, owner_labels)}."),
        subjects=[t.id, *([t.owner] if t.owner else []),
                  *([owner_labels[t.id]] if t.id in owner_labels
                    and owner_labels[t.id] != t.owner else [])],
    )


def _who(t: PlannedTask, owner_labels: dict[str, str]) -> str:
    behind = owner_labels.get(t.id)
    owner = t.owner or "no owner"
    if behind and behind != t.owner:
        return f"owner: {owner}, on behalf of {behind}"
    return f"owner: {owner}"


def _internal_id(ctx: PlanContext) -> str | None:
    first = next((p for p in ctx.phases if p.exposure_percent == 0), None)
    return first.task_id if first else None


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x
