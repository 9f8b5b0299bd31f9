"""The plan's levelled schedule: who does what, one task at a time (CONTRACT §2 "Levelling").

Team resources are people: a task's `people` (quick mode assigns them by role), else its owner
when the owner is a team member or the PM. Tasks owned by an outside stakeholder (a review, an
approval), milestones and rollout phases (monitoring windows) take no one's time. A person with
`allocation = a` percent works on their tasks at that rate: each takes ceil(duration * 100 / a)
working days in the levelled schedule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from syncsvc.calendar import WorkCalendar
from syncsvc.level import Levelled, Workload, level
from syncsvc.network import critical_chain
from syncsvc.planning.drafts import TaskDraft
from syncsvc.schedule import Schedule
from syncsvc.spec import Spec


@dataclass(frozen=True)
class PersonDelay:
    """How long tasks waited for one person beyond their dependencies."""

    person: str
    waits: list[tuple[str, int]]  # (task id, working days it waited for this person)
    on_chain_days: int  # of those, days on the chain that sets the levelled finish


@dataclass(frozen=True)
class LevelledPlan:
    start: dict[str, dt.date]
    finish: dict[str, dt.date]
    waits_for: dict[str, list[str]]
    durations: dict[str, int]  # working days in the levelled schedule (allocation applied)
    stretch: dict[str, float]  # 100 / allocation, for tasks of part-time people
    finish_date: dt.date
    chain: list[str]  # the chain of tasks (dependencies or a shared person) that sets the finish
    chain_waits: dict[str, str]  # a task on the chain -> the person it waits for there
    delays: list[PersonDelay]
    people: dict[str, list[str]]  # task id -> the people whose time it takes
    rule: str


def task_people(spec: Spec, drafts: Sequence[TaskDraft]) -> dict[str, list[str]]:
    """The people whose time each task takes (see the module docstring)."""
    team = {m.name for m in spec.team} | {spec.pm or "PM"} | {p for t in drafts for p in t.people}
    outside = {s.name for s in spec.stakeholders} - {m.name for m in spec.team}
    out: dict[str, list[str]] = {}
    for t in drafts:
        if t.kind in ("milestone", "rollout") or t.estimate_days == 0:
            out[t.id] = []
        elif t.people:
            out[t.id] = list(t.people)
        elif t.owner and t.owner in team and t.owner not in outside:
            out[t.id] = [t.owner]
        else:
            out[t.id] = []
    return out


def level_plan(
    spec: Spec,
    drafts: Sequence[TaskDraft],
    sched: Schedule,
    cal: WorkCalendar,
    *,
    allocation: dict[str, int] | None = None,
) -> LevelledPlan:
    """Level the CPM schedule `sched` of `drafts` (buffers included) by the people's time."""
    alloc = allocation if allocation is not None else {m.name: m.allocation for m in spec.team}
    people = task_people(spec, drafts)
    names = sorted({p for ps in people.values() for p in ps})
    pidx = {p: i for i, p in enumerate(names)}
    durations = list(sched.durations)
    stretch: dict[str, float] = {}
    if any(a < 100 for a in alloc.values()):  # someone works part-time: their tasks take longer
        for i, t in enumerate(drafts):
            d = durations[i]
            ps = people[t.id]
            rate = min([alloc.get(p, 100) for p in ps]) if ps else 100
            if d and 0 < rate < 100:
                stretch[t.id] = 100 / rate
                durations[i] = math.ceil(round(d * 100 / rate, 6))
    preds = sched.network.preds
    who = [tuple(map(pidx.__getitem__, people[t.id])) for t in drafts]
    lev = level(Workload(durations, sched.network, who))
    ids = [t.id for t in drafts]
    start: dict[str, dt.date] = {}
    finish: dict[str, dt.date] = {}
    # the dates by index, not a call each (every index below is >= 0 when the starts are)
    day = cal.dates(max(lev.finish, default=0)).__getitem__ if min(lev.start, default=0) >= 0 else cal.date
    for i, t in enumerate(drafts):
        if durations[i] == 0:
            # a milestone falls on its last predecessor's finish day (CONTRACT §2)
            on = day(lev.start[i] - 1 if preds[i] and lev.start[i] > 0 else lev.start[i])
            start[t.id] = finish[t.id] = on
        else:
            start[t.id], finish[t.id] = day(lev.start[i]), day(lev.finish[i] - 1)
    chain = _chain(lev, preds)
    chain_waits: dict[str, str] = {}
    for a, b in zip(chain, chain[1:], strict=False):
        if a in lev.waits_for[b] and lev.finish[a] > max((lev.finish[p] for p in preds[b]), default=0):
            shared = [p for p in who[b] if p in who[a]]
            if shared:
                chain_waits[drafts[b].id] = names[shared[0]]
    return LevelledPlan(
        start=start,
        finish=finish,
        waits_for={tid: [ids[j] for j in waits] for tid, waits in zip(ids, lev.waits_for, strict=True)},
        durations=dict(zip(ids, durations, strict=True)),
        stretch=stretch,
        finish_date=max(finish.values(), default=cal.start),
        chain=[ids[i] for i in chain],
        chain_waits=chain_waits,
        delays=_delays(lev, preds, who, names, chain, ids),
        people=people,
        rule=lev.rule,
    )


def _chain(lev: Levelled, preds: list[list[int]]) -> list[int]:
    # the chain that sets the levelled finish: over dependencies and a person's previous task
    return critical_chain(preds, lev.start, lev.finish, None, also=lev.waits_for)


def _delays(
    lev: Levelled,
    preds: list[list[int]],
    who: list[tuple[int, ...]],
    names: list[str],
    chain: list[int],
    ids: list[str],
) -> list[PersonDelay]:
    on_chain = set(chain)
    waits: dict[int, list[tuple[str, int]]] = {}
    chain_days: dict[int, int] = {}
    finish, start = lev.finish, lev.start
    for i, ps in enumerate(who):
        if not ps:
            continue
        ready = 0
        for p in preds[i]:
            if finish[p] > ready:
                ready = finish[p]
        wait = start[i] - ready
        if wait <= 0:
            continue
        # the wait belongs to the person whose earlier task it waited for (one person: theirs)
        blockers: Sequence[int] = ps
        if len(ps) > 1:
            blockers = [
                p for p in ps if any(finish[j] == start[i] and p in who[j] for j in lev.waits_for[i])
            ] or list(ps)
        for p in blockers:
            waits.setdefault(p, []).append((ids[i], wait))
            if i in on_chain:
                chain_days[p] = chain_days.get(p, 0) + wait
    return sorted(
        (PersonDelay(names[p], w, chain_days.get(p, 0)) for p, w in waits.items()),
        key=lambda d: (-d.on_chain_days, -sum(x for _, x in d.waits), d.person),
    )
