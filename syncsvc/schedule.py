"""CPM scheduler with the buffer fixpoint of CONTRACT §2. Pure and linear in tasks + links."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from syncsvc.calendar import WorkCalendar

HIGH_RISK_BUFFER = 0.30
CRITICAL_BUFFER = 0.20
MAX_ROUNDS = 100


@dataclass(frozen=True, slots=True)
class Activity:
    """What the scheduler needs of a task."""

    id: str
    estimate_days: int
    depends_on: tuple[str, ...] = ()
    high_risk: bool = False
    milestone: bool = False


@dataclass(frozen=True, slots=True)
class Slot:
    """One task's schedule. Dates are inclusive working days."""

    id: str
    buffer_days: int
    duration_days: int
    early_start: dt.date
    early_finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int
    critical: bool


@dataclass(frozen=True, slots=True)
class Schedule:
    slots: dict[str, Slot]
    start_date: dt.date
    finish_date: dt.date
    critical_path: list[str]
    rounds: int


def buffer_for(estimate_days: int, *, high_risk: bool, critical: bool, milestone: bool) -> int:
    """`ceil(estimate * p)`: p = 0.30 high risk, else 0.20 critical, else 0; milestones 0."""
    if milestone or estimate_days <= 0:
        return 0
    if high_risk:
        return math.ceil(round(estimate_days * HIGH_RISK_BUFFER, 9))
    if critical:
        return math.ceil(round(estimate_days * CRITICAL_BUFFER, 9))
    return 0


def topological_order(acts: Sequence[Activity]) -> list[int]:
    """Indices of `acts` in dependency order (Kahn, stable); ValueError on a cycle."""
    index = {a.id: i for i, a in enumerate(acts)}
    return topological([[index[d] for d in a.depends_on] for a in acts])


def topological(preds: Sequence[Sequence[int]]) -> list[int]:
    """Indices in dependency order, `preds[i]` being the indices task i waits for (Kahn,
    stable); ValueError on a cycle."""
    n = len(preds)
    indeg = [len(ps) for ps in preds]
    succ: list[list[int]] = [[] for _ in range(n)]
    for i, ps in enumerate(preds):
        for p in ps:
            succ[p].append(i)
    order = [i for i in range(n) if indeg[i] == 0]
    head = 0
    while head < len(order):
        i = order[head]
        head += 1
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                order.append(j)
    if len(order) != n:
        raise ValueError("dependency cycle")
    return order


def schedule(acts: Sequence[Activity], cal: WorkCalendar) -> Schedule:
    """Schedule `acts` from `cal.start`, finding buffers by the CONTRACT §2 iteration."""
    order = topological_order(acts)
    index = {a.id: i for i, a in enumerate(acts)}
    preds = [[index[d] for d in a.depends_on] for a in acts]
    succs: list[list[int]] = [[] for _ in acts]
    for i, ps in enumerate(preds):
        for p in ps:
            succs[p].append(i)
    buffers = [
        buffer_for(a.estimate_days, high_risk=a.high_risk, critical=False, milestone=a.milestone)
        for a in acts
    ]
    rounds = 0
    while True:
        rounds += 1
        es, ef, ls, lf, tf = _passes(acts, buffers, order, preds, succs)
        new = [
            buffer_for(a.estimate_days, high_risk=a.high_risk, critical=tf[i] == 0, milestone=a.milestone)
            for i, a in enumerate(acts)
        ]
        if new == buffers or rounds >= MAX_ROUNDS:
            break
        buffers = new
    return _build(acts, cal, buffers, es, ef, ls, lf, tf, preds, rounds)


def _passes(
    acts: Sequence[Activity],
    buffers: list[int],
    order: list[int],
    preds: list[list[int]],
    succs: list[list[int]],
) -> tuple[list[int], list[int], list[int], list[int], list[int]]:
    # Half-open working-day intervals: a task occupies [es, ef); successors may start at ef.
    # A milestone has es == ef, so its successors start as if they followed its predecessor.
    n = len(acts)
    es, ef = [0] * n, [0] * n
    for i in order:
        start = max((ef[p] for p in preds[i]), default=0)
        es[i] = start
        ef[i] = start + acts[i].estimate_days + buffers[i]
    finish = max(ef, default=0)
    ls, lf = [0] * n, [0] * n
    for i in reversed(order):
        late_end = min((ls[s] for s in succs[i]), default=finish)
        if acts[i].milestone and es[i] == 0 and not succs[i]:
            # An unlinked milestone on the start day: its late date is the project's finish day.
            late_end = max(finish - 1, 0)
        lf[i] = late_end
        ls[i] = late_end - (acts[i].estimate_days + buffers[i])
    tf = [ls[i] - es[i] for i in range(n)]
    for i in order:
        if acts[i].milestone and not preds[i] and succs[i]:
            # A start milestone delays nothing and takes its successors' smallest float.
            tf[i] = min(tf[s] for s in succs[i])
            ls[i] = lf[i] = es[i] + tf[i]
    return es, ef, ls, lf, tf


def _build(
    acts: Sequence[Activity],
    cal: WorkCalendar,
    buffers: list[int],
    es: list[int],
    ef: list[int],
    ls: list[int],
    lf: list[int],
    tf: list[int],
    preds: list[list[int]],
    rounds: int,
) -> Schedule:
    slots: dict[str, Slot] = {}
    for i, a in enumerate(acts):
        dur = a.estimate_days + buffers[i]
        if dur == 0:
            # A milestone falls on its last predecessor's finish day (the start day if none, or
            # if its predecessors are milestones on the start day: then it acts as one of them).
            after = bool(preds[i]) and es[i] > 0
            early = cal.date(es[i] - 1) if after else cal.date(es[i])
            late = cal.date(lf[i] - 1) if after else cal.date(ls[i])
            e_start = e_finish = early
            l_start = l_finish = late
        else:
            e_start, e_finish = cal.date(es[i]), cal.date(ef[i] - 1)
            l_start, l_finish = cal.date(ls[i]), cal.date(lf[i] - 1)
        slots[a.id] = Slot(a.id, buffers[i], dur, e_start, e_finish, l_start, l_finish, tf[i], tf[i] == 0)
    finish_idx = max(ef, default=0)
    finish = max((s.early_finish for s in slots.values()), default=cal.start)
    path = _critical_chain(acts, es, ef, tf, preds, finish_idx)
    return Schedule(slots, cal.start, finish, path, rounds)


def _critical_chain(
    acts: Sequence[Activity],
    es: list[int],
    ef: list[int],
    tf: list[int],
    preds: list[list[int]],
    finish: int,
) -> list[str]:
    """One chain of critical tasks from a start task to the (last listed) finishing task."""
    ends = [i for i in range(len(acts)) if tf[i] == 0 and ef[i] == finish]
    if not ends:
        return []
    # Prefer a real task over a zero-length milestone sharing its finish only when the
    # milestone comes first in the list; otherwise the last listed finisher ends the chain.
    node = ends[-1]
    chain = [node]
    while True:
        driving = [p for p in preds[node] if tf[p] == 0 and ef[p] == es[node]]
        if not driving:
            break
        node = driving[0]
        chain.append(node)
    return [acts[i].id for i in reversed(chain)]
