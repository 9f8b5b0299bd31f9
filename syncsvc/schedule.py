"""CPM scheduler with the buffer fixpoint of CONTRACT §2, on the shared `network`. Pure."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from syncsvc.calendar import WorkCalendar
from syncsvc.network import Network

HIGH_RISK_BUFFER = 0.30
CRITICAL_BUFFER = 0.20
MAX_ROUNDS = 100


class Schedulable(Protocol):
    """What the scheduler reads of a task: an `Activity`, or the planner's own task drafts
    (scheduled as they are: no second object per task)."""

    @property
    def id(self) -> str: ...
    @property
    def estimate_days(self) -> int: ...
    @property
    def depends_on(self) -> tuple[str, ...]: ...
    @property
    def high_risk(self) -> bool: ...
    @property
    def milestone(self) -> bool: ...


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


@dataclass(frozen=True)
class Schedule:
    """The schedule of a list of activities: per task (by index, in the activities' order) its
    buffer, duration, dates and float; `slots` gives the same per task id."""

    ids: list[str]
    network: Network
    buffers: list[int]
    durations: list[int]
    early_start: list[dt.date]
    early_finish: list[dt.date]
    late_start: list[dt.date]
    late_finish: list[dt.date]
    total_float: list[int]
    start_date: dt.date
    finish_date: dt.date
    critical_path: list[str]
    rounds: int

    def slot(self, i: int) -> Slot:
        """Task i's schedule as one record."""
        tf = self.total_float[i]
        return Slot(
            self.ids[i],
            self.buffers[i],
            self.durations[i],
            self.early_start[i],
            self.early_finish[i],
            self.late_start[i],
            self.late_finish[i],
            tf,
            tf == 0,
        )

    @functools.cached_property
    def slots(self) -> dict[str, Slot]:
        """Every task's schedule by id (built on first use: the planner reads the lists)."""
        return {t: self.slot(i) for i, t in enumerate(self.ids)}


def buffer_for(estimate_days: int, *, high_risk: bool, critical: bool, milestone: bool) -> int:
    """`ceil(estimate * p)`: p = 0.30 high risk, else 0.20 critical, else 0; milestones 0."""
    if milestone or estimate_days <= 0:
        return 0
    if high_risk:
        return math.ceil(round(estimate_days * HIGH_RISK_BUFFER, 9))
    if critical:
        return math.ceil(round(estimate_days * CRITICAL_BUFFER, 9))
    return 0


@functools.lru_cache(maxsize=4096)
def _buffer_pair(key: tuple[int, bool, bool]) -> tuple[int, int]:
    # (buffer when critical, when not) of a task (estimate, high risk, milestone): a server
    # schedules the same few dozen again and again (the "add people" search, five times a plan)
    estimate, high_risk, milestone = key
    return (
        buffer_for(estimate, high_risk=high_risk, critical=True, milestone=milestone),
        buffer_for(estimate, high_risk=high_risk, critical=False, milestone=milestone),
    )


def topological_order(acts: Sequence[Schedulable]) -> list[int]:
    """Indices of `acts` in dependency order (Kahn, stable); ValueError on a cycle."""
    return network_of(acts).order


def topological(preds: Sequence[Sequence[int]]) -> list[int]:
    """Indices in dependency order, `preds[i]` being the indices task i waits for (Kahn,
    stable); ValueError on a cycle."""
    return Network.of_preds(preds).order


def network_of(acts: Sequence[Schedulable]) -> Network:
    """The dependency network of `acts` (ValueError on a cycle)."""
    return Network.of_ids([a.id for a in acts], [a.depends_on for a in acts])


def schedule(acts: Sequence[Schedulable], cal: WorkCalendar, *, network: Network | None = None) -> Schedule:
    """Schedule `acts` from `cal.start`, finding buffers by the CONTRACT §2 iteration.

    Round 1 runs the full passes; each later round redoes them only from the tasks whose
    buffer changed (the same numbers as full passes, in a fraction of the time)."""
    return cpm(acts, cal, network=network).schedule


class Cpm:
    """The CPM numbers of `acts` (buffers, durations, working-day times), the schedule's dates
    and critical chain built only when asked: the "add people" search needs most team sizes'
    finish and durations alone."""

    def __init__(
        self,
        acts: Sequence[Schedulable],
        cal: WorkCalendar,
        net: Network,
        buffers: list[int],
        dur: list[int],
        passes: _Passes,
        rounds: int,
    ) -> None:
        self._acts, self._cal, self._net, self._passes, self._rounds = acts, cal, net, passes, rounds
        self.buffers = buffers
        self.durations = dur

    @functools.cached_property
    def schedule(self) -> Schedule:
        """The whole schedule: dates, floats, critical chain."""
        return _build(
            self._acts, self._cal, self._net, self.buffers, self.durations, self._passes, self._rounds
        )

    @functools.cached_property
    def finish_date(self) -> dt.date:
        """`schedule.finish_date` without the other dates: the latest early-finish day (a
        milestone's by `_build`'s rule), one calendar look-up."""
        es, ef, dur, preds = self._passes.es, self._passes.ef, self.durations, self._net.preds
        if not dur:
            return self.schedule.finish_date
        last = max(
            (ef[i] - 1) if dur[i] else (es[i] - 1 if preds[i] and es[i] > 0 else es[i])
            for i in range(len(dur))
        )
        return self._cal.date(last)


def cpm(acts: Sequence[Schedulable], cal: WorkCalendar, *, network: Network | None = None) -> Cpm:
    """`schedule`'s numbers, its dates left to build on demand (see `Cpm`)."""
    net = network if network is not None else network_of(acts)
    n = len(acts)
    keys = [(a.estimate_days, a.high_risk, a.milestone) for a in acts]  # each task read once
    est = [k[0] for k in keys]
    # the buffer each task gets when critical and when not: the rule of CONTRACT §2, worked
    # out once per (estimate, high risk, milestone): a few dozen pairs for thousands of tasks
    pairs = {key: _buffer_pair(key) for key in set(keys)}
    both = [pairs[k] for k in keys]
    when_crit = [c for c, _ in both]
    when_not = [x for _, x in both]
    milestone = [k[2] for k in keys]
    buffers = list(when_not)
    dur = [est[i] + buffers[i] for i in range(n)]
    passes = _Passes(net, milestone)
    passes.full(dur)
    rounds = 1
    while True:
        tf = passes.tf
        changed = [i for i in range(n) if (when_crit[i] if tf[i] == 0 else when_not[i]) != buffers[i]]
        if not changed or rounds >= MAX_ROUNDS:
            break
        rounds += 1
        for i in changed:
            buffers[i] = when_crit[i] if tf[i] == 0 else when_not[i]
            dur[i] = est[i] + buffers[i]
        passes.update(dur, changed)
    return Cpm(acts, cal, net, buffers, dur, passes, rounds)


class _Passes:
    """The CPM numbers of one round: early and late times (half-open working-day intervals, a
    task occupies [es, ef)) and total floats, with the milestone rules of CONTRACT §2."""

    def __init__(self, net: Network, milestone: Sequence[bool]) -> None:
        self.net = net
        self.milestone = milestone
        # a milestone without predecessors delays nothing: it takes its successors' float
        self.start_milestones = [
            i for i in range(len(net)) if milestone[i] and not net.preds[i] and net.succs[i]
        ]
        self.es: list[int] = []
        self.ef: list[int] = []
        self.ls: list[int] = []
        self.lf: list[int] = []
        self.tf: list[int] = []
        self.finish = 0

    def _sink_ends(self) -> dict[int, int]:
        # an unlinked milestone on the start day: its late date is the project's finish day
        es, succs, end = self.es, self.net.succs, max(self.finish - 1, 0)
        return {i: end for i in self._lone_milestones if es[i] == 0 and not succs[i]}

    @functools.cached_property
    def _lone_milestones(self) -> list[int]:
        succs = self.net.succs
        return [i for i in range(len(succs)) if self.milestone[i] and not succs[i]]

    def full(self, dur: Sequence[int]) -> None:
        self.es, self.ef = self.net.forward(dur)
        self.finish = max(self.ef, default=0)
        self.ls, self.lf = self.net.backward(dur, self.finish, sink_end=self._sink_ends())
        self._floats()

    def update(self, dur: Sequence[int], changed: Sequence[int]) -> None:
        moved = self.net.reforward(dur, self.es, self.ef, changed)
        finish = max(self.ef, default=0)
        if finish != self.finish:  # every late date hangs on the finish: one full backward pass
            self.finish = finish
            self.ls, self.lf = self.net.backward(dur, finish, sink_end=self._sink_ends())
        else:
            lone = set(self._lone_milestones)
            dirty = [*changed, *(i for i in moved if i in lone)]
            self.net.rebackward(dur, finish, self.ls, self.lf, dirty, sink_end=self._sink_ends())
        self._floats()

    def _floats(self) -> None:
        es, ls, lf = self.es, self.ls, self.lf
        tf = [ls[i] - es[i] for i in range(len(es))]
        succs = self.net.succs
        for i in self.start_milestones:
            tf[i] = min(tf[s] for s in succs[i])
            ls[i] = lf[i] = es[i] + tf[i]
        self.tf = tf


def _build(
    acts: Sequence[Schedulable],
    cal: WorkCalendar,
    net: Network,
    buffers: list[int],
    dur: list[int],
    p: _Passes,
    rounds: int,
) -> Schedule:
    es, ef, ls, lf, tf = p.es, p.ef, p.ls, p.lf, p.tf
    n = len(acts)
    # the dates by index, not a call each (every index below is >= 0 when es and ls are)
    last = max(max(ef, default=0), max(lf, default=0))
    date = cal.dates(last).__getitem__ if min(es + ls, default=0) >= 0 else cal.date
    e_start, e_finish, l_start, l_finish = [date(0)] * n, [date(0)] * n, [date(0)] * n, [date(0)] * n
    preds = net.preds
    for i in range(n):
        if dur[i] == 0:
            # A milestone falls on its last predecessor's finish day (the start day if none, or
            # if its predecessors are milestones on the start day: then it acts as one of them).
            after = bool(preds[i]) and es[i] > 0
            early = date(es[i] - 1) if after else date(es[i])
            late = date(lf[i] - 1) if after else date(ls[i])
            e_start[i] = e_finish[i] = early
            l_start[i] = l_finish[i] = late
        else:
            e_start[i], e_finish[i] = date(es[i]), date(ef[i] - 1)
            l_start[i], l_finish[i] = date(ls[i]), date(lf[i] - 1)
    finish = max(e_finish, default=cal.start)
    crit = [x == 0 for x in tf]
    ids = [a.id for a in acts]
    path = [ids[i] for i in net.critical_chain(es, ef, crit)]
    return Schedule(
        ids, net, buffers, dur, e_start, e_finish, l_start, l_finish, tf, cal.start, finish, path, rounds
    )
