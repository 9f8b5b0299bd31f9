"""`build_plan`: a checked spec and the catalogs in, the whole rollout plan out. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from syncsvc.calendar import WorkCalendar
from syncsvc.catalog import Catalog
from syncsvc.catalog.phases import PhaseTemplate
from syncsvc.errors import SpecError
from syncsvc.model import Finding, Phase, Plan, PlannedTask, built
from syncsvc.network import Network
from syncsvc.planning.confidence import plan_confidence
from syncsvc.planning.context import PlanContext, Timeline
from syncsvc.planning.drafts import (
    MitigationDraft,
    QuickWork,
    TaskDraft,
    insert_mitigations,
    rollout_tasks,
    spec_tasks,
)
from syncsvc.planning.fit import Restaffed, fit_findings, idle_people, timeline_conflicts
from syncsvc.planning.levelling import LevelledPlan, level_plan
from syncsvc.planning.profiles import (
    choose_profiles,
    coverage_findings,
    profile_templates,
    rollout_for,
)
from syncsvc.planning.risks import assess_risks, placeholder_values
from syncsvc.planning.rollback import build_rollback
from syncsvc.planning.stakeholders import map_stakeholders
from syncsvc.publicholidays import holidays_of, listed_holidays
from syncsvc.schedule import Cpm, Schedule, cpm, network_of, schedule
from syncsvc.spec import Spec


def deadline_for(spec: Spec, cal: WorkCalendar) -> dt.date:
    """The last working day of the timeline (CONTRACT §2)."""
    n, unit = spec.timeline_parts
    assert spec.start_date is not None
    deadline = cal.prev(spec.start_date + dt.timedelta(days=7 * n)) if unit == "weeks" else cal.date(n - 1)
    if deadline < cal.start:  # every working day of the timeline is a holiday
        raise SpecError(
            f"{spec.label}: timeline: no working day falls within the "
            f"{spec.timeline_text} from start_date {spec.start_date} (holidays fill "
            f"it), so the deadline would fall before the start ({deadline})",
            hint="lengthen the timeline, move start_date or check the holidays",
        )
    return deadline


def build_plan(spec: Spec, catalog: Catalog, *, with_confidence: bool = True, with_raci: bool = True) -> Plan:
    """The whole plan for a spec whose defaults are filled (see `specload.load_spec`).

    `with_confidence=False` leaves out the Monte Carlo range (`confidence` stays None), and
    `with_raci=False` the RACI and the communication plan (empty, and no findings of kinds
    "raci" and "stakeholder"), for outputs that do not show them (see `model.shows_raci`)."""
    assert spec.start_date is not None and spec.plan_id is not None and spec.pm is not None
    cal = WorkCalendar(spec.start_date, holidays_of(spec))
    deadline = deadline_for(spec, cal)
    profiles = choose_profiles(spec, catalog)
    tolerance_ladder = catalog.phases.ladder(spec.risk_tolerance)
    rollout, ladder = rollout_for(
        profiles,
        spec.risk_tolerance,
        tolerance_ladder.phases,
        tolerance_ladder.summary,
        values=placeholder_values(spec, catalog),
    )
    assessment = assess_risks(spec, catalog, profiles.chosen, profiles.facet_list, text=profiles.text)
    breakdown = profile_templates(profiles, catalog) if spec.quick_mode else []

    # quick mode: one breakdown, staffed for the spec's team and each size the search asks for
    work = (
        QuickWork(
            spec,
            breakdown,
            sizing=catalog.tasks.sizing,
            profiles=max(1, len(profiles.chosen)),
            extra=assessment.mitigations,
        )
        if spec.quick_mode
        else None
    )

    def tasks_for(team_size: int | None = None) -> list[TaskDraft]:
        return work.tasks(team_size) if work is not None else spec_tasks(spec)

    # by the ids and dependencies of a size's tasks (the same for sizes keeping the same
    # templates): the rollout tasks that follow them, and the whole list's dependency network
    shapes: dict[tuple[tuple[str, tuple[str, ...]], ...], tuple[list[TaskDraft], Network]] = {}
    # by the shape and what CPM reads of each task (estimate, high risk, milestone): its CPM
    # numbers, the same for sizes whose tasks differ only in who does them (schedules read the
    # tasks' ids alone, and levelling reads a size's own drafts)
    cpms: dict[tuple[object, ...], Cpm] = {}

    def restaffed(team_size: int) -> Restaffed:
        # another team size: its staffing now, its tasks scheduled (CPM) when the search asks,
        # levelled only if it needs
        assert work is not None  # the search is quick mode's

        def make() -> tuple[list[TaskDraft], Cpm]:
            base = tasks_for(team_size)
            key = tuple((t.id, t.depends_on) for t in base)
            shape = shapes.get(key)
            if shape is None:
                # QuickWork put the mitigation tasks in already, so `with_rollouts` only adds
                # the rollout tasks, which the ids and dependencies (and the ladder) decide
                drafts = with_rollouts(spec, base, assessment.mitigations, ladder)[0]
                assert drafts[: len(base)] == base
                shape = shapes[key] = (drafts[len(base) :], network_of(drafts))
            rollouts, net = shape
            drafts = base + rollouts
            numbers = (key, *((t.estimate_days, t.high_risk, t.milestone) for t in drafts))
            made = cpms.get(numbers)
            if made is None:
                made = cpms[numbers] = cpm(drafts, cal, network=net)
            return drafts, made

        return Restaffed(spec, cal, work.staffing(team_size), make)

    tl = schedule_tasks(spec, tasks_for(), assessment.mitigations, ladder, cal)
    drafts, sched, lev = tl.drafts, tl.sched, tl.levelled
    # the Monte Carlo (its matrices: ~60 MB at 20,000 tasks) before the plan's rows and the
    # RACI exist (~45 MB there): it needs only the drafts and the levelled network
    conf = plan_confidence(drafts, lev, cal, deadline) if with_confidence else None
    tasks = _planned(drafts, sched, lev)
    phases = _phases(ladder, tasks, given=tl.given_rollouts)
    ctx = PlanContext(
        spec, spec.pm, cal, deadline, tasks, phases, sched.critical_path, profiles, rollout.strategy
    )
    people = map_stakeholders(spec, catalog, ctx, with_raci=with_raci)
    rollback = build_rollback(spec, catalog, ctx)

    conflicts = timeline_conflicts(ctx, sched, people.owner_labels, lev) + people.conflicts
    findings: list[Finding] = [
        *coverage_findings(profiles, catalog),
        *assessment.findings,
        *people.findings,
        *rollback.findings,
        *fit_findings(spec, tl, deadline, cal, replan=restaffed),
        *idle_people(spec, tl),
    ]
    return Plan(
        plan_id=spec.plan_id,
        feature_name=spec.feature_name,
        description=spec.description,
        risk_tolerance=spec.risk_tolerance,
        team_size=spec.team_size,
        timeline=spec.timeline_text,
        pm=spec.pm,
        users=spec.users,
        start_date=sched.start_date,
        holidays=listed_holidays(spec, cal, lev.finish_date),
        deadline=deadline,
        finish_date=sched.finish_date,
        levelled_finish=lev.finish_date,
        fits_timeline=lev.finish_date <= deadline,
        confidence=conf,
        risks=assessment.risks,
        change_profiles=profiles.uses,
        rollout=rollout,
        stakeholders=people.stakeholders,
        raci=people.raci,
        communication_plan=people.communication_plan,
        phases=phases,
        tasks=tasks,
        critical_path=sched.critical_path,
        rollback=rollback.rollback,
        conflicts=conflicts,
        findings=findings,
        quick_mode=spec.quick_mode,
        version=spec.version,
        changelog=list(spec.changelog),
    )


def schedule_tasks(
    spec: Spec,
    base: list[TaskDraft],
    mitigations: Sequence[MitigationDraft],
    ladder: Sequence[PhaseTemplate],
    cal: WorkCalendar,
) -> Timeline:
    """Mitigation and rollout tasks added to `base`, scheduled (CPM), then levelled."""
    drafts, sched, given_rollouts = cpm_tasks(spec, base, mitigations, ladder, cal)
    return Timeline(drafts, sched, level_plan(spec, drafts, sched, cal), given_rollouts)


def cpm_tasks(
    spec: Spec,
    base: list[TaskDraft],
    mitigations: Sequence[MitigationDraft],
    ladder: Sequence[PhaseTemplate],
    cal: WorkCalendar,
) -> tuple[list[TaskDraft], Schedule, bool]:
    """Mitigation and rollout tasks added to `base`, and their CPM schedule (not levelled);
    whether the rollout tasks were the spec's own."""
    drafts, given_rollouts = with_rollouts(spec, base, mitigations, ladder)
    return drafts, schedule(drafts, cal), given_rollouts


def with_rollouts(
    spec: Spec, base: list[TaskDraft], mitigations: Sequence[MitigationDraft], ladder: Sequence[PhaseTemplate]
) -> tuple[list[TaskDraft], bool]:
    """Mitigation and rollout tasks added to `base`; whether the rollout tasks were the spec's own."""
    drafts = insert_mitigations(base, mitigations)
    given_rollouts = any(t.kind == "rollout" for t in drafts)
    if not given_rollouts:
        drafts += rollout_tasks(drafts, ladder, owner=spec.pm)
    return drafts, given_rollouts


def _planned(drafts: Sequence[TaskDraft], sched: Schedule, lev: LevelledPlan) -> list[PlannedTask]:
    # The schedule's lists by index (the drafts' order). The values are the scheduler's own,
    # of the fields' types (tests compare with validating them), so the rows are built, not
    # validated (`model.built`), and share one set of given fields: validation gave each of
    # 20,000 tasks its own 22-name set, 2 of its 3.4 KB (lists are copied: the task owns them).
    # A dict display, not dict(...): its keyword arguments made each row twice (20 ms).
    return [
        built(
            PlannedTask,
            {
                "id": t.id,
                "name": t.name,
                "phase": t.phase,
                "kind": t.kind,
                "owner": t.owner,
                "risk": t.risk,
                "estimate_days": t.estimate_days,
                "buffer_days": sched.buffers[i],
                "duration_days": sched.durations[i],
                "depends_on": list(t.depends_on),
                "early_start": sched.early_start[i],
                "early_finish": sched.early_finish[i],
                "late_start": sched.late_start[i],
                "late_finish": sched.late_finish[i],
                "total_float": sched.total_float[i],
                "critical": sched.total_float[i] == 0,
                "source": t.source,
                "start": lev.start[t.id],
                "finish": lev.finish[t.id],
                "waits_for": list(lev.waits_for[t.id]),
                "people": list(lev.people[t.id]),
                "estimate_range": list(t.estimate_range) if t.estimate_range else None,
            },
            _ALL_FIELDS,
        )
        for i, t in enumerate(drafts)
    ]


_ALL_FIELDS = set(PlannedTask.model_fields)  # every field is given: adding one changes nothing


def _phases(ladder: Sequence[PhaseTemplate], tasks: Sequence[PlannedTask], *, given: bool) -> list[Phase]:
    # the generated rollout tasks, one per phase in ladder order: a spec task that happens to be
    # called "rollout-internal" is not the internal phase (its generated task got another id)
    made = [t.id for t in tasks if t.source == "rollout"]
    ids = made if not given and len(made) == len(ladder) else [None] * len(ladder)
    return [
        Phase(
            name=p.id,
            exposure_percent=_num(p.exposure_percent),
            monitoring_hours=p.monitoring_hours,
            gate=p.gate,
            task_id=tid,
        )
        for p, tid in zip(ladder, ids, strict=True)
    ]


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x
