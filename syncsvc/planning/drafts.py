"""The task list before scheduling: spec or quick-mode tasks, mitigation and rollout tasks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from syncsvc.catalog.phases import PhaseTemplate
from syncsvc.catalog.tasks import Sizing, TaskTemplate
from syncsvc.errors import SpecError
from syncsvc.model import Level, TaskKind, TaskSource
from syncsvc.planning.staffing import Assigner, Member, RoleWork, TeamSearch, team_for
from syncsvc.spec import Spec
from syncsvc.specload import find_cycle


class TaskDraft(NamedTuple):
    """A task ready to schedule. Immutable (the re-staffed plans share drafts); a named tuple
    is built ~3x faster than a frozen dataclass (the 20,000 drafts of a spec: 34 -> 11 ms)."""

    id: str
    name: str
    phase: str
    kind: TaskKind
    owner: str | None
    risk: Level
    estimate_days: int
    depends_on: tuple[str, ...] = ()
    source: TaskSource = "spec"
    role: str | None = None
    people: tuple[str, ...] = ()  # whose time it takes (quick mode); else the owner's
    estimate_range: tuple[int, int] | None = None  # optimistic, pessimistic working days

    @property
    def high_risk(self) -> bool:  # what the scheduler reads of a draft (`schedule.Schedulable`)
        return self.risk == "high"

    @property
    def milestone(self) -> bool:
        return self.kind == "milestone"


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


def spec_tasks(spec: Spec) -> list[TaskDraft]:
    """The spec's own tasks as drafts (milestones default to 0 days)."""
    return [
        TaskDraft(
            t.id,
            t.name,
            t.phase,
            t.kind,
            t.owner,
            t.risk,
            t.estimate if t.estimate is not None else 0,
            tuple(t.depends_on),
            "spec",
            estimate_range=t.estimate_range,
        )
        for t in spec.tasks
    ]


def insert_mitigations(tasks: list[TaskDraft], mitigations: Sequence[MitigationDraft]) -> list[TaskDraft]:
    """Put each mitigation task just before the task it names and make that task wait for it."""
    known = {t.id for t in tasks}
    out = list(tasks)
    for m in mitigations:
        if m.task.id in known:
            continue
        # a catalog mitigation task may name a task left out for a small team: drop that edge
        # (a spec risk's references are checked by the loader, or by check_quick_refs)
        task = m.task._replace(depends_on=tuple(d for d in m.task.depends_on if d in known))
        pos = next((i for i, t in enumerate(out) if t.id == m.before), None)
        if pos is None:
            out.append(task)
        else:
            target = out[pos]
            out[pos] = target._replace(depends_on=(*target.depends_on, task.id))
            out.insert(pos, task)
        known.add(task.id)
    return out


def rollout_tasks(
    tasks: Sequence[TaskDraft], ladder: Sequence[PhaseTemplate], *, owner: str | None
) -> list[TaskDraft]:
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
        out.append(
            TaskDraft(
                tid, f"Rollout: {ph.name}", "rollout", "rollout", owner, "medium", ph.days, prev, "rollout"
            )
        )
        prev = (tid,)
    return out


def quick_tasks(
    spec: Spec,
    templates: Sequence[TaskTemplate],
    *,
    sizing: Sizing,
    profiles: int = 1,
    extra: Sequence[MitigationDraft] = (),
    team_size: int | None = None,
) -> list[TaskDraft]:
    """A work breakdown (the generic one of mappings/tasks.toml, or change profiles') as tasks,
    with the mitigation tasks `extra` inserted (and staffed by role).

    Effort scales with the size drivers (users, the number of change `profiles`, the risk
    tolerance on verify work); a task takes effort / people working days, people being the
    team members holding its role, at most its `max_people` (see `planning.staffing`). The
    deadline sets no duration: when the work does not fit, the levelled schedule says so.
    `team_size` overrides the spec's (to ask what a bigger team would do).
    """
    return QuickWork(spec, templates, sizing=sizing, profiles=profiles, extra=extra).tasks(team_size)


@dataclass
class _Kept:
    """What one set of kept templates brings, whatever the team size."""

    templates: list[TaskTemplate]
    efforts: dict[str, float]
    search: TeamSearch
    work: list[RoleWork]
    checked: bool = False  # check_quick_refs passed on its task list (the same for every size)
    # where insert_mitigations put the mitigation tasks (the same for every size: see `_Layout`)
    layout: _Layout | None = None
    # once the layout is known, a template's task follows from its people (its days from how
    # many they are): by (template position, people), the task made for an earlier size
    made: dict[tuple[int, tuple[str, ...]], TaskDraft] = field(default_factory=dict)


@dataclass(frozen=True)
class _Layout:
    """What `insert_mitigations` does to a kept set's task list, whatever the staffing: the
    dependencies it appends to each template's task, and the final order (an int: that
    template's task; a draft: a mitigation task, the same for every size). It reads only ids
    and dependencies, which a team size does not change."""

    appended: list[tuple[str, ...]]
    order: list[int | TaskDraft]

    @classmethod
    def of(cls, out: Sequence[TaskDraft], full: Sequence[TaskDraft]) -> _Layout:
        at = {t.id: j for j, t in enumerate(out)}
        appended: list[tuple[str, ...]] = [()] * len(out)
        order: list[int | TaskDraft] = []
        for d in full:
            j = at.get(d.id)
            if j is None:
                order.append(d)
                continue
            given = out[j].depends_on
            assert d.depends_on[: len(given)] == given  # only appended to
            appended[j] = d.depends_on[len(given) :]
            order.append(j)
        return cls(appended, order)

    def apply(self, out: Sequence[TaskDraft]) -> list[TaskDraft]:
        """`insert_mitigations(...)` for another staffing of the same kept set, `out` being
        its template tasks with `appended` already added to their dependencies."""
        return [out[x] if isinstance(x, int) else x for x in self.order]


class QuickWork:
    """`quick_tasks` for one spec and breakdown, for any number of team sizes: the "add people"
    search asks for several, and what a size does not change (the templates a set of kept
    tasks brings, their effort, the team search's splits, the check of the task list) is
    worked out once."""

    def __init__(
        self,
        spec: Spec,
        templates: Sequence[TaskTemplate],
        *,
        sizing: Sizing,
        profiles: int = 1,
        extra: Sequence[MitigationDraft] = (),
    ) -> None:
        self.spec = spec
        self.templates = templates
        self.sizing = sizing
        self.extra = extra
        self.factor = size_factor(sizing, users=spec.users, profiles=profiles)
        self._kept: dict[tuple[int, ...], _Kept] = {}  # by the positions of the kept templates
        self._staffing: dict[int, tuple[tuple[int, ...], tuple[Member, ...]]] = {}  # by team size

    def staffing(self, team_size: int | None = None) -> tuple[tuple[int, ...], tuple[Member, ...]]:
        """All that `team_size` (default: the spec's) changes in the tasks: the positions of the
        templates kept, and the people. Two sizes of the same staffing get the same tasks."""
        size = self.spec.team_size if team_size is None else team_size
        got = self._staffing.get(size)
        if got is None:
            positions = _kept_positions(self.templates, size)
            kept = self._for_kept(positions)
            members = tuple(team_for(self.spec, kept.work, search=kept.search, team_size=size))
            got = self._staffing[size] = (positions, members)
        return got

    def tasks(self, team_size: int | None = None) -> list[TaskDraft]:
        """The tasks, staffed by a team of `team_size` (default: the spec's)."""
        positions, members = self.staffing(team_size)
        kept = self._for_kept(positions)
        spec = self.spec
        assigner = Assigner(members)
        out: list[TaskDraft] = []
        layout = kept.layout
        for j, t in enumerate(kept.templates):
            effort = kept.efforts[t.id]
            people: list[str] = []
            if t.kind == "milestone":
                days = 0
            elif t.outside:
                days = max(1, math.ceil(round(effort, 6)))
            else:
                people = [m.name for m in assigner.assign(t.role, effort, t.max_people)]
                days = max(1, math.ceil(round(effort / max(1, len(people)), 6)))
            key = (j, tuple(people))
            task = kept.made.get(key)
            if task is None:
                task = TaskDraft(
                    t.id,
                    t.name,
                    t.phase,
                    t.kind,
                    people[0] if people else t.role,
                    t.risk,
                    days,
                    tuple(t.depends_on) + layout.appended[j] if layout is not None else tuple(t.depends_on),
                    "catalog",
                    role=t.role,
                    people=key[1],
                )
                if layout is not None:
                    kept.made[key] = task
            out.append(task)
        if layout is None:
            full = insert_mitigations(out, self.extra)
            kept.layout = _Layout.of(out, full)
        else:
            full = layout.apply(out)
        if not kept.checked:  # ids and dependencies are the same for every size keeping these
            check_quick_refs(spec, full)
            kept.checked = True
        # a mitigation task owned by a role goes to a holder of that role, as the breakdown's work
        names = {m.name for m in members}
        for i, d in enumerate(full):
            if (
                d.source != "catalog"
                and not d.people
                and d.owner
                and d.owner not in names
                and d.estimate_days
            ):
                who = [m.name for m in assigner.assign(d.owner, d.estimate_days, 1, strict=True)]
                if who:
                    full[i] = d._replace(people=tuple(who), owner=who[0], role=d.owner)
        return full

    def _for_kept(self, positions: tuple[int, ...]) -> _Kept:
        kept = self._kept.get(positions)
        if kept is None:
            templates = _resolved(self.templates, positions)
            tolerance = self.spec.risk_tolerance
            efforts = {t.id: t.effort * self.factor * _verify(self.sizing, t, tolerance) for t in templates}
            work = _role_work(templates, efforts)
            kept = self._kept[positions] = _Kept(templates, efforts, TeamSearch.of(work), work)
        return kept


def size_factor(sizing: Sizing, *, users: int | None, profiles: int) -> float:
    """How much more work than the base size: users (per tenfold) and extra change profiles."""
    f = 1.0
    if users and users > sizing.base_users:
        f *= min(
            sizing.max_users_factor, 1 + sizing.per_tenfold_users * math.log10(users / sizing.base_users)
        )
    return f * (1 + sizing.per_extra_profile * max(0, profiles - 1))


def _verify(sizing: Sizing, t: TaskTemplate, tolerance: Level) -> float:
    return sizing.verify_factor.get(tolerance, 1.0) if t.phase in sizing.verify_phases else 1.0


def _role_work(templates: Sequence[TaskTemplate], efforts: dict[str, float]) -> list[RoleWork]:
    work: dict[str, RoleWork] = {}
    for t in templates:
        if t.kind == "milestone" or t.outside:
            continue
        w = work.get(t.role, RoleWork(t.role, 0.0, 1))
        work[t.role] = RoleWork(t.role, w.effort + efforts[t.id], max(w.max_people, t.max_people))
    return list(work.values())


def _kept_positions(templates: Sequence[TaskTemplate], team_size: int) -> tuple[int, ...]:
    """The positions of the templates a team of `team_size` keeps: min_team_size is a task
    template's one condition (`t.holds(Situation(text="", team_size=team_size))`, compared
    directly: the search asks for every template at every team size)."""
    return tuple(i for i, t in enumerate(templates) if team_size >= t.min_team_size)


def _resolved(templates: Sequence[TaskTemplate], positions: tuple[int, ...]) -> list[TaskTemplate]:
    """The templates kept (at `positions`), a dependency on one left out replaced by its own
    dependencies."""
    kept = {templates[i].id: templates[i] for i in positions}
    dropped = {t.id: t for t in templates if t.id not in kept}
    out: list[TaskTemplate] = []
    for t in templates:
        if t.id not in kept:
            continue
        if not dropped and len(set(t.depends_on)) == len(t.depends_on):
            out.append(t)  # nothing left out, no repeat: its dependencies stay as written
            continue
        deps: list[str] = []
        for d in t.depends_on:
            deps.extend(_resolve(d, kept, dropped))
        out.append(t.model_copy(update={"depends_on": list(dict.fromkeys(deps))}))
    return out


def _resolve(dep: str, kept: dict[str, TaskTemplate], dropped: dict[str, TaskTemplate]) -> list[str]:
    # a dependency on a task left out for a small team becomes a dependency on its own deps
    if dep in kept:
        return [dep]
    out: list[str] = []
    for d in dropped[dep].depends_on:
        out.extend(_resolve(d, kept, dropped))
    return out


def check_quick_refs(spec: Spec, drafts: Sequence[TaskDraft]) -> None:
    """In quick mode a spec risk's mitigation task may name the generated tasks: check that
    those ids exist and make no cycle (the loader could not, without the catalog)."""
    ids = [t.id for t in drafts]
    known = set(ids)
    generated = {t.id for t in drafts if t.source == "catalog"}
    for i, r in enumerate(spec.risks):
        mt = r.mitigation_task
        if mt is None:
            continue
        if mt.id in generated:  # insert_mitigations would keep the catalog's task, drop this one
            raise SpecError(
                f"{spec.label}: risks[{i}].mitigation_task.id: '{mt.id}' is also the id of a "
                "task the catalog generates in quick mode; give the mitigation task another id",
                hint=f"the generated tasks are: {', '.join(sorted(generated))}",
            )
        refs = [("before", mt.before)] + [(f"depends_on[{j}]", d) for j, d in enumerate(mt.depends_on)]
        for key, ref in refs:
            if ref is not None and ref not in known:
                raise SpecError(
                    f"{spec.label}: risks[{i}].mitigation_task.{key}: unknown task '{ref}'; in quick mode "
                    f"the timeline's tasks are: {', '.join(ids)}"
                )
    cycle = find_cycle({t.id: list(t.depends_on) for t in drafts})
    if cycle:
        raise SpecError(
            f"{spec.label}: dependency cycle through a mitigation task: " + " → ".join([*cycle, cycle[0]])
        )
