"""The task list before scheduling: spec or quick-mode tasks, mitigation and rollout tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from syncsvc.calendar import WorkCalendar
from syncsvc.catalog.phases import PhaseTemplate
from syncsvc.catalog.tasks import TaskTemplate
from syncsvc.model import Level, TaskKind
from syncsvc.schedule import Activity, schedule
from syncsvc.spec import Spec


@dataclass(frozen=True)
class TaskDraft:
    """A task ready to schedule."""

    id: str
    name: str
    phase: str
    kind: TaskKind
    owner: str | None
    risk: Level
    estimate_days: int
    depends_on: tuple[str, ...] = ()
    source: str = "spec"
    role: str | None = None


@dataclass(frozen=True)
class MitigationDraft:
    """A mitigation task and the task it must come before (None: no successor)."""

    task: TaskDraft
    before: str | None = None
    risk_title: str = ""


@dataclass(frozen=True)
class Drafts:
    tasks: list[TaskDraft]
    phases: list[PhaseTemplate] = field(default_factory=list)


def activities(tasks: Sequence[TaskDraft]) -> list[Activity]:
    return [
        Activity(t.id, t.estimate_days, t.depends_on, t.risk == "high", t.kind == "milestone")
        for t in tasks
    ]


def spec_tasks(spec: Spec) -> list[TaskDraft]:
    """The spec's own tasks as drafts (milestones default to 0 days)."""
    return [
        TaskDraft(t.id, t.name, t.phase, t.kind, t.owner, t.risk,
                  t.estimate if t.estimate is not None else 0, tuple(t.depends_on), "spec")
        for t in spec.tasks
    ]


def insert_mitigations(tasks: list[TaskDraft], mitigations: Sequence[MitigationDraft]
                       ) -> list[TaskDraft]:
    """Put each mitigation task just before the task it names and make that task wait for it."""
    known = {t.id for t in tasks}
    out = list(tasks)
    for m in mitigations:
        if m.task.id in known:
            continue
        # a catalog mitigation task may name a task left out for a small team: drop that edge
        # (a spec risk's references are checked by the loader, or by check_quick_refs)
        task = replace(m.task, depends_on=tuple(d for d in m.task.depends_on if d in known))
        pos = next((i for i, t in enumerate(out) if t.id == m.before), None)
        if pos is None:
            out.append(task)
        else:
            target = out[pos]
            out[pos] = replace(target, depends_on=(*target.depends_on, task.id))
            out.insert(pos, task)
        known.add(task.id)
    return out


def rollout_tasks(tasks: Sequence[TaskDraft], ladder: Sequence[PhaseTemplate], *,
                  owner: str | None) -> list[TaskDraft]:
    """One rollout task per phase, chained, the first after every task nothing else waits for."""
    waited_on = {d for t in tasks for d in t.depends_on}
    ends = tuple(t.id for t in tasks if t.id not in waited_on)
    used = {t.id for t in tasks}
    out: list[TaskDraft] = []
    prev: tuple[str, ...] = ends
    for ph in ladder:
        tid = f"rollout-{ph.id}"
        while tid in used:
            tid += "-x"
        used.add(tid)
        out.append(TaskDraft(tid, f"Rollout: {ph.name}", "rollout", "rollout", owner, "medium",
                             ph.days, prev, "rollout"))
        prev = (tid,)
    return out


def quick_tasks(spec: Spec, templates_in: Sequence[TaskTemplate], *, cal: WorkCalendar,
                deadline: dt.date, ladder: Sequence[PhaseTemplate],
                extra: Sequence[MitigationDraft]) -> list[TaskDraft]:
    """The catalog's default task set, with estimates scaled so the plan fits the timeline.

    Tries the largest scale first and shrinks until the whole plan (buffers, mitigation and
    rollout tasks included) finishes by the deadline; at one day per task it stops trying.
    """
    templates = _templates_for_team(templates_in, spec.team_size)
    total_weight = sum(t.weight for t in templates) or 1.0
    budget = max(1, cal.index(deadline) + 1)
    best: list[TaskDraft] | None = None
    scale = budget / total_weight * 2
    # Below this the build work would shrink past belief; the overrun is reported instead.
    floor = budget / total_weight * 0.5
    for _ in range(64):
        tasks = _scaled(templates, scale)
        full = insert_mitigations(tasks, extra)
        if best is None:
            check_quick_refs(spec, full)  # before the first schedule: it needs a sound graph
        full += rollout_tasks(full, ladder, owner=None)
        finish = schedule(activities(full), cal).finish_date
        best = tasks
        if finish <= deadline or scale * 0.9 < floor:
            break
        scale *= 0.9
    assert best is not None
    return best


def _templates_for_team(templates: Sequence[TaskTemplate], team_size: int) -> list[TaskTemplate]:
    kept = {t.id: t for t in templates if team_size >= t.min_team_size}
    dropped = {t.id: t for t in templates if t.id not in kept}
    out: list[TaskTemplate] = []
    for t in templates:
        if t.id not in kept:
            continue
        deps: list[str] = []
        for d in t.depends_on:
            deps.extend(_resolve(d, kept, dropped))
        if t.serial_after and team_size < t.parallel_min_team and t.serial_after in kept:
            deps.append(t.serial_after)
        out.append(t.model_copy(update={"depends_on": list(dict.fromkeys(deps))}))
    return out


def _resolve(dep: str, kept: dict[str, TaskTemplate], dropped: dict[str, TaskTemplate]
             ) -> list[str]:
    # a dependency on a task left out for a small team becomes a dependency on its own deps
    if dep in kept:
        return [dep]
    out: list[str] = []
    for d in dropped[dep].depends_on:
        out.extend(_resolve(d, kept, dropped))
    return out


def _scaled(templates: Sequence[TaskTemplate], scale: float) -> list[TaskDraft]:
    out = []
    for t in templates:
        days = 0 if t.kind == "milestone" else max(1, round(t.weight * scale))
        out.append(TaskDraft(t.id, t.name, t.phase, t.kind, t.role, t.risk, days,
                             tuple(t.depends_on), "catalog", role=t.role))
    return out


def check_quick_refs(spec: Spec, drafts: Sequence[TaskDraft]) -> None:
    """In quick mode a spec risk's mitigation task may name the generated tasks: check that
    those ids exist and make no cycle (the loader could not, without the catalog)."""
    from syncsvc.errors import SpecError
    from syncsvc.specload import find_cycle

    ids = [t.id for t in drafts]
    known = set(ids)
    for i, r in enumerate(spec.risks):
        mt = r.mitigation_task
        if mt is None:
            continue
        refs = [("before", mt.before)] + [(f"depends_on[{j}]", d)
                                          for j, d in enumerate(mt.depends_on)]
        for key, ref in refs:
            if ref is not None and ref not in known:
                raise SpecError(
                    f"{spec.label}: risks[{i}].mitigation_task.{key}: unknown task '{ref}'; in quick mode "
                    f"the timeline's tasks are: {', '.join(ids)}")
    cycle = find_cycle({t.id: list(t.depends_on) for t in drafts})
    if cycle:
        raise SpecError(f"{spec.label}: dependency cycle through a mitigation task: "
                        + " → ".join([*cycle, cycle[0]]))
