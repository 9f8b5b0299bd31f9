"""The CPM scheduler (CONTRACT §2): properties against networkx, an independent date-by-date
reference scheduler, and textbook networks with published answers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncsvc.calendar import WorkCalendar
from syncsvc.schedule import (
    MAX_ROUNDS,
    Activity,
    Schedule,
    _build,
    _Passes,
    buffer_for,
    cpm,
    network_of,
    schedule,
)

ONE = dt.timedelta(days=1)
MONDAY = dt.date(2027, 1, 4)

# ---------------------------------------------------------------------------------------------
# Random networks


@dataclass(frozen=True)
class Network:
    acts: list[Activity]
    start: dt.date
    holidays: frozenset[dt.date]


@st.composite
def networks(draw: st.DrawFn, max_tasks: int = 16) -> Network:
    """A random DAG of activities (listed in a shuffled order) with random holidays.

    About one in six tasks is a milestone: with or without predecessors and successors.
    """
    n = draw(st.integers(1, max_tasks))
    est = [draw(st.integers(1, 15)) for _ in range(n)]
    risky = [draw(st.booleans()) for _ in range(n)]
    preds: list[list[int]] = []
    for i in range(n):
        chosen = draw(st.lists(st.integers(0, i - 1), max_size=4, unique=True)) if i else []
        preds.append(sorted(chosen))
    mile = [draw(st.integers(0, 5)) == 0 for _ in range(n)]
    if all(mile):
        mile[-1] = False
    ids = [f"t{i}" for i in range(n)]
    acts = [
        Activity(
            ids[i],
            0 if mile[i] else est[i],
            tuple(ids[p] for p in preds[i]),
            high_risk=risky[i] and not mile[i],
            milestone=mile[i],
        )
        for i in range(n)
    ]
    acts = draw(st.permutations(acts))
    start = MONDAY + dt.timedelta(days=draw(st.integers(0, 200)))
    holidays = draw(
        st.frozensets(st.integers(-3, 150).map(lambda k: start + dt.timedelta(days=k)), max_size=12)
    )
    return Network(list(acts), start, holidays)


# ---------------------------------------------------------------------------------------------
# networkx: the longest path of (buffered) durations


def _graph(acts: Sequence[Activity], durations: dict[str, int]) -> nx.DiGraph:
    """Edges u→v weigh duration(u); SRC→v weighs 0; v→SINK weighs duration(v)."""
    g = nx.DiGraph()
    for a in acts:
        g.add_edge("SRC", a.id, weight=0)
        g.add_edge(a.id, "SINK", weight=durations[a.id])
        for d in a.depends_on:
            g.add_edge(d, a.id, weight=durations[d])
    return g


def _through(g: nx.DiGraph, node: str) -> int:
    """The longest SRC→SINK path that passes through `node`."""
    up = g.subgraph(nx.ancestors(g, node) | {node})
    down = g.subgraph(nx.descendants(g, node) | {node})
    return int(nx.dag_longest_path_length(up) + nx.dag_longest_path_length(down))


def _working_days(cal_start: dt.date, finish: dt.date, holidays: frozenset[dt.date]) -> int:
    n, d = 0, cal_start
    while d <= finish:
        n += d.weekday() < 5 and d not in holidays
        d += ONE
    return n


def _rule(a: Activity, critical: bool) -> int:
    if a.milestone:
        return 0
    if a.high_risk:
        return math.ceil(a.estimate_days * 3 / 10)
    return math.ceil(a.estimate_days * 2 / 10) if critical else 0


def _full_rounds(acts: list[Activity]) -> tuple[list[int], _Passes, int]:
    """The buffer iteration with full passes every round (what the incremental rounds must equal)."""
    net = network_of(acts)
    buffers = [
        buffer_for(a.estimate_days, high_risk=a.high_risk, critical=False, milestone=a.milestone)
        for a in acts
    ]
    rounds = 0
    while True:
        rounds += 1
        p = _Passes(net, [a.milestone for a in acts])
        p.full([a.estimate_days + b for a, b in zip(acts, buffers, strict=True)])
        new = [
            buffer_for(a.estimate_days, high_risk=a.high_risk, critical=p.tf[i] == 0, milestone=a.milestone)
            for i, a in enumerate(acts)
        ]
        if new == buffers or rounds >= MAX_ROUNDS:
            return buffers, p, rounds
        buffers = new


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_incremental_rounds_equal_full_passes(net: Network) -> None:
    cal = WorkCalendar(net.start, net.holidays)
    got = schedule(net.acts, cal)
    buffers, p, rounds = _full_rounds(net.acts)
    want = _build(
        net.acts,
        cal,
        p.net,
        buffers,
        [a.estimate_days + b for a, b in zip(net.acts, buffers, strict=True)],
        p,
        rounds,
    )
    assert got == want


@settings(max_examples=300, deadline=None)
@given(networks(), st.booleans())
def test_cpm_finish_without_the_dates_equals_the_schedules(net: Network, only_milestones: bool) -> None:
    # the "add people" search reads a team size's finish and durations from `cpm` without
    # building its dates: they must be the built schedule's (milestones by their own rule)
    acts = (
        [Activity(a.id, 0, a.depends_on, milestone=True) for a in net.acts] if only_milestones else net.acts
    )
    got = cpm(acts, WorkCalendar(net.start, net.holidays))
    finish = got.finish_date  # before the schedule is built
    want = schedule(acts, WorkCalendar(net.start, net.holidays))
    assert finish == want.finish_date
    assert (got.durations, got.buffers) == (want.durations, want.buffers)
    assert got.schedule == want


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_schedule_matches_longest_path_and_the_buffer_rule(net: Network) -> None:
    cal = WorkCalendar(net.start, net.holidays)
    s = schedule(net.acts, cal)
    slots = s.slots
    assert set(slots) == {a.id for a in net.acts}
    # the fixpoint terminated by itself, and it is a fixpoint
    assert s.rounds < MAX_ROUNDS
    for a in net.acts:
        slot = slots[a.id]
        assert slot.buffer_days == _rule(a, slot.critical), a
        assert slot.duration_days == a.estimate_days + slot.buffer_days
        assert slot.total_float >= 0
        assert slot.critical == (slot.total_float == 0)
    # project length in working days == the longest path of buffered durations
    g = _graph(net.acts, {a.id: slots[a.id].duration_days for a in net.acts})
    length = int(nx.dag_longest_path_length(g))
    assert _working_days(s.start_date, s.finish_date, net.holidays) == length
    # critical == zero float == lies on some longest path (start milestones: CONTRACT rule)
    by_id = {a.id: a for a in net.acts}
    succs: dict[str, list[str]] = {a.id: [] for a in net.acts}
    for a in net.acts:
        for d in a.depends_on:
            succs[d].append(a.id)
    for a in net.acts:
        slot = slots[a.id]
        if a.milestone:
            assert slot.duration_days == slot.buffer_days == 0
            assert slot.early_start == slot.early_finish
            assert slot.late_start == slot.late_finish
            last = max((slots[d].early_finish for d in a.depends_on), default=s.start_date)
            assert slot.early_start == last  # the start date when it has no predecessors
        if a.milestone and not a.depends_on:
            if succs[a.id]:
                assert slot.total_float == min(slots[x].total_float for x in succs[a.id])
            else:
                assert slot.late_start == s.finish_date
            continue
        assert slot.critical == (_through(g, a.id) == length), a
    # critical_path: a chain of critical tasks, linked by dependencies, start to finish
    path = s.critical_path
    assert path, "a non-empty network has a critical path"
    assert all(slots[t].critical for t in path)
    assert not by_id[path[0]].depends_on
    for u, v in zip(path, path[1:], strict=False):
        assert u in by_id[v].depends_on
    assert slots[path[-1]].early_finish == s.finish_date
    assert sum(slots[t].duration_days for t in path) == length


# ---------------------------------------------------------------------------------------------
# An independent reference: a day-by-day scheduler on calendar dates (not indices)


class RefCalendar:
    """Mon-Fri minus holidays, walking one calendar day at a time."""

    def __init__(self, holidays: frozenset[dt.date]) -> None:
        self.holidays = holidays

    def working(self, d: dt.date) -> bool:
        return d.weekday() < 5 and d not in self.holidays

    def on_or_after(self, d: dt.date) -> dt.date:
        while not self.working(d):
            d += ONE
        return d

    def after(self, d: dt.date) -> dt.date:
        return self.on_or_after(d + ONE)

    def before(self, d: dt.date) -> dt.date:
        d -= ONE
        while not self.working(d):
            d -= ONE
        return d

    def forward(self, d: dt.date, days: int) -> dt.date:
        """The last day of a `days`-long job starting on working day `d`."""
        for _ in range(days - 1):
            d = self.after(d)
        return d

    def backward(self, d: dt.date, days: int) -> dt.date:
        """The first day of a `days`-long job finishing on working day `d`."""
        for _ in range(days - 1):
            d = self.before(d)
        return d

    def between(self, a: dt.date, b: dt.date) -> int:
        """Working days stepped from a to b (a <= b, both working days)."""
        n = 0
        while a < b:
            a = self.after(a)
            n += 1
        return n


@dataclass
class RefSlot:
    es: dt.date
    ef: dt.date
    ls: dt.date
    lf: dt.date
    total_float: int
    buffer: int


def reference_schedule(
    acts: Sequence[Activity], start: dt.date, holidays: frozenset[dt.date]
) -> tuple[dict[str, RefSlot], dt.date]:
    """MS-Project-style CPM on dates, with the CONTRACT §2 buffer iteration, written apart."""
    cal = RefCalendar(holidays)
    first = cal.on_or_after(start)
    by_id = {a.id: a for a in acts}
    succs: dict[str, list[str]] = {a.id: [] for a in acts}
    for a in acts:
        for d in a.depends_on:
            succs[d].append(a.id)

    def run(buffer: dict[str, int]) -> tuple[dict[str, RefSlot], dt.date]:
        early: dict[str, tuple[dt.date, dt.date]] = {}
        release: dict[str, dt.date] = {}  # the first day a successor may start

        def fwd(tid: str) -> None:
            if tid in early:
                return
            a = by_id[tid]
            for d in a.depends_on:
                fwd(d)
            if a.milestone:
                if a.depends_on:
                    day = max(early[d][1] for d in a.depends_on)
                    release[tid] = max(release[d] for d in a.depends_on)
                else:
                    day = release[tid] = first
                early[tid] = (day, day)
                return
            s = max((release[d] for d in a.depends_on), default=first)
            f = cal.forward(s, a.estimate_days + buffer[tid])
            early[tid] = (s, f)
            release[tid] = cal.after(f)

        for a in acts:
            fwd(a.id)
        finish = max(f for _, f in early.values())
        late: dict[str, tuple[dt.date, dt.date]] = {}

        def at_start(tid: str) -> bool:
            """A milestone with nothing but milestones on the start day before it."""
            return by_id[tid].milestone and all(at_start(p) for p in by_id[tid].depends_on)

        def limit(tid: str) -> dt.date:
            """The latest day the predecessors of `tid` may finish."""
            bwd(tid)
            if by_id[tid].milestone and not at_start(tid):
                return late[tid][1]
            return cal.before(late[tid][0])

        def bwd(tid: str) -> None:
            if tid in late:
                return
            a = by_id[tid]
            lf = min((limit(s) for s in succs[tid]), default=finish)
            if a.milestone and at_start(tid):
                # it acts as the start day itself: as late as its successors' late start
                day = cal.after(lf) if succs[tid] else finish
                late[tid] = (day, day)
            elif a.milestone:
                late[tid] = (lf, lf)
            else:
                late[tid] = (cal.backward(lf, a.estimate_days + buffer[tid]), lf)

        for a in acts:
            bwd(a.id)
        out: dict[str, RefSlot] = {}
        for a in acts:
            (es, ef), (ls, lf) = early[a.id], late[a.id]
            out[a.id] = RefSlot(es, ef, ls, lf, cal.between(es, ls), buffer[a.id])
        for a in acts:  # start milestones: on the start date, smallest float of successors
            if a.milestone and not a.depends_on and succs[a.id]:
                tf = min(out[s].total_float for s in succs[a.id])
                day = cal.forward(first, tf + 1)
                out[a.id] = RefSlot(first, first, day, day, tf, 0)
        return out, finish

    buffer = {a.id: _rule(a, False) for a in acts}
    while True:
        slots, finish = run(buffer)
        new = {a.id: _rule(a, slots[a.id].total_float == 0) for a in acts}
        if new == buffer:
            return slots, finish
        buffer = new


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_every_date_float_and_flag_matches_a_reference_scheduler(net: Network) -> None:
    got = schedule(net.acts, WorkCalendar(net.start, net.holidays))
    want, finish = reference_schedule(net.acts, net.start, net.holidays)
    assert got.finish_date == finish
    for a in net.acts:
        g, w = got.slots[a.id], want[a.id]
        assert (g.early_start, g.early_finish, g.late_start, g.late_finish) == (w.es, w.ef, w.ls, w.lf), a
        assert g.total_float == w.total_float, a
        assert g.critical == (w.total_float == 0), a
        assert g.buffer_days == w.buffer, a


# ---------------------------------------------------------------------------------------------
# Textbook networks with published answers
#
# Conversion: textbooks use the "end of period" convention: ES = 0 is the start of week 1 and
# EF = ES + duration. Our scheduler works in half-open working-day intervals [es, ef) internally,
# which is exactly that convention, so `_passes` (with the buffers switched off, i.e. all zero)
# must reproduce the published ES/EF/LS/LF/slack numbers as they are. Dates are inclusive
# (CONTRACT §2): with one textbook week = 5 working days and a Monday start, a task with
# textbook ES = k starts on the Monday of week k+1, and one with EF = k finishes on the Friday
# of week k.


def _acts(table: dict[str, tuple[int, str]], scale: int = 1) -> list[Activity]:
    return [Activity(k, d * scale, tuple(p)) for k, (d, p) in table.items()]


def _unbuffered_passes(acts: list[Activity]) -> _Passes:
    """The scheduler's own passes with every buffer switched off."""
    p = _Passes(network_of(acts), [a.milestone for a in acts])
    p.full([a.estimate_days for a in acts])
    return p


def _unbuffered(acts: list[Activity]) -> dict[str, tuple[int, int, int, int, int]]:
    p = _unbuffered_passes(acts)
    return {a.id: (p.es[i], p.ef[i], p.ls[i], p.lf[i], p.tf[i]) for i, a in enumerate(acts)}


def _unbuffered_schedule(acts: list[Activity], cal: WorkCalendar) -> Schedule:
    p = _unbuffered_passes(acts)
    dur = [a.estimate_days for a in acts]
    return _build(acts, cal, p.net, [0] * len(acts), dur, p, 1)


def _monday(week_index: int) -> dt.date:
    return MONDAY + dt.timedelta(days=7 * week_index)


def _friday(week_end: int) -> dt.date:
    return MONDAY + dt.timedelta(days=7 * week_end - 3)


# Heizer & Render, "Operations Management" (Pearson), the Milwaukee Paper Manufacturing
# example (ch. 3, "Project Management", Examples 4-8): 8 activities in weeks, project 15 weeks,
# critical path A-C-E-G-H. Published ES, EF, LS, LF and slack (Table 3.3):
MILWAUKEE = {
    "A": (2, ""),
    "B": (3, ""),
    "C": (2, "A"),
    "D": (4, "AB"),
    "E": (4, "C"),
    "F": (3, "C"),
    "G": (5, "DE"),
    "H": (2, "FG"),
}
MILWAUKEE_PUBLISHED = {  # ES, EF, LS, LF, slack
    "A": (0, 2, 0, 2, 0),
    "B": (0, 3, 1, 4, 1),
    "C": (2, 4, 2, 4, 0),
    "D": (3, 7, 4, 8, 1),
    "E": (4, 8, 4, 8, 0),
    "F": (4, 7, 10, 13, 6),
    "G": (8, 13, 8, 13, 0),
    "H": (13, 15, 13, 15, 0),
}

# Hillier & Lieberman, "Introduction to Operations Research" (McGraw-Hill), the Reliable
# Construction Co. project (ch. "Project Management with PERT/CPM"): 14 activities in weeks,
# project 44 weeks, critical path A-B-C-E-F-J-L-N. Published ES/EF/LS/LF and slack ("Slack
# for Reliable's activities" table):
RELIABLE = {
    "A": (2, ""),
    "B": (4, "A"),
    "C": (10, "B"),
    "D": (6, "C"),
    "E": (4, "C"),
    "F": (5, "E"),
    "G": (7, "D"),
    "H": (9, "EG"),
    "I": (7, "C"),
    "J": (8, "FI"),
    "K": (4, "J"),
    "L": (5, "J"),
    "M": (2, "H"),
    "N": (6, "KL"),
}
RELIABLE_PUBLISHED = {
    "A": (0, 2, 0, 2, 0),
    "B": (2, 6, 2, 6, 0),
    "C": (6, 16, 6, 16, 0),
    "D": (16, 22, 20, 26, 4),
    "E": (16, 20, 16, 20, 0),
    "F": (20, 25, 20, 25, 0),
    "G": (22, 29, 26, 33, 4),
    "H": (29, 38, 33, 42, 4),
    "I": (16, 23, 18, 25, 2),
    "J": (25, 33, 25, 33, 0),
    "K": (33, 37, 34, 38, 1),
    "L": (33, 38, 33, 38, 0),
    "M": (38, 40, 42, 44, 4),
    "N": (38, 44, 38, 44, 0),
}


@pytest.mark.parametrize(
    ("table", "published", "weeks", "path"),
    [
        (MILWAUKEE, MILWAUKEE_PUBLISHED, 15, list("ACEGH")),
        (RELIABLE, RELIABLE_PUBLISHED, 44, list("ABCEFJLN")),
    ],
    ids=["heizer-render-milwaukee", "hillier-lieberman-reliable"],
)
def test_textbook_network_published_answers(table, published, weeks, path) -> None:
    acts = _acts(table)
    assert _unbuffered(acts) == published
    # the same in working days and inclusive dates (1 week = 5 working days, Monday start)
    cal = WorkCalendar(MONDAY)
    s = _unbuffered_schedule(_acts(table, scale=5), cal)
    assert s.finish_date == _friday(weeks)
    assert s.critical_path == path
    for k, (es, ef, ls, lf, slack) in published.items():
        slot = s.slots[k]
        assert (slot.early_start, slot.early_finish) == (_monday(es), _friday(ef)), k
        assert (slot.late_start, slot.late_finish) == (_monday(ls), _friday(lf)), k
        assert slot.total_float == 5 * slack
        assert slot.critical == (slack == 0)


def test_textbook_network_with_buffers() -> None:
    """Milwaukee with estimates in days (1 week = 5 days) and the buffer rule on.

    Derived from the published answer: the critical tasks A, C, E, G, H (15 weeks = 75 days)
    each get exactly 20% (1 day per week), so the project takes 90 working days; B, D, F stay
    non-critical with no buffer. The 2 + 2 + 4 = 8 weeks of A-C-E become 48 days, so G starts
    on day 48 and D (after B, 15 days) keeps 48 - 35 = 13 days of float; F (after C, at day 24)
    must finish before H starts at day 78: 78 - 24 - 15 = 39 days of float; B likewise
    48 - 20 - 15 = 13.
    """
    cal = WorkCalendar(MONDAY)
    s = schedule(_acts(MILWAUKEE, scale=5), cal)
    assert s.critical_path == list("ACEGH")
    assert {k: v.buffer_days for k, v in s.slots.items()} == {
        "A": 2,
        "B": 0,
        "C": 2,
        "D": 0,
        "E": 4,
        "F": 0,
        "G": 5,
        "H": 2,
    }
    assert cal.index(s.finish_date) + 1 == 90
    assert {k: v.total_float for k, v in s.slots.items() if not v.critical} == {"B": 13, "D": 13, "F": 39}
    assert s.finish_date == dt.date(2027, 5, 7)  # 18 weeks of Mon-Fri from 2027-01-04


# ---------------------------------------------------------------------------------------------
# Rules of CONTRACT §2 on small hand-made cases


def test_one_day_task_starts_and_finishes_the_same_day_and_successor_next_working_day() -> None:
    # 2027-01-08 is a Friday; the successor starts on the next working day: Monday 2027-01-11
    # is a holiday, so Tuesday. a and b are off the critical path ("long"), so unbuffered.
    cal = WorkCalendar(dt.date(2027, 1, 8), [dt.date(2027, 1, 11)])
    s = schedule([Activity("long", 10), Activity("a", 1), Activity("b", 1, ("a",))], cal)
    a, b = s.slots["a"], s.slots["b"]
    assert a.buffer_days == b.buffer_days == 0
    assert a.early_start == a.early_finish == dt.date(2027, 1, 8)
    assert b.early_start == b.early_finish == dt.date(2027, 1, 12)
    # a critical 1-day task carries ceil(0.2) = 1 day of buffer: 2 days
    solo = schedule([Activity("x", 1)], cal).slots["x"]
    assert (solo.buffer_days, solo.early_start, solo.early_finish) == (
        1,
        dt.date(2027, 1, 8),
        dt.date(2027, 1, 12),
    )


def test_start_on_a_weekend_moves_to_the_first_working_day() -> None:
    s = schedule([Activity("a", 5)], WorkCalendar(dt.date(2027, 1, 2)))  # a Saturday
    assert s.start_date == s.slots["a"].early_start == dt.date(2027, 1, 4)
    assert s.slots["a"].duration_days == 6  # 5 + ceil(1.0)


def test_high_risk_buffer_is_30_percent_even_off_the_critical_path() -> None:
    acts = [Activity("long", 20), Activity("risky", 4, high_risk=True), Activity("plain", 4)]
    s = schedule(acts, WorkCalendar(MONDAY))
    assert s.slots["long"].buffer_days == 4
    assert s.slots["risky"].buffer_days == 2  # ceil(1.2)
    assert not s.slots["risky"].critical
    assert s.slots["plain"].buffer_days == 0


def test_buffering_moves_the_critical_path_and_the_fixpoint_settles() -> None:
    # Without buffers a (10) would be critical over b (9); but b is high risk and gets its 30%
    # in the first round: 9 -> 12 > 10, so b is critical and a keeps 2 days of float, no buffer.
    acts = [Activity("a", 10), Activity("b", 9, high_risk=True), Activity("end", 5, ("a", "b"))]
    s = schedule(acts, WorkCalendar(MONDAY))
    assert s.critical_path == ["b", "end"]
    assert s.slots["a"].buffer_days == 0 and s.slots["a"].total_float == 2
    assert s.slots["end"].buffer_days == 1
    assert s.rounds == 2  # round 1 finds b critical, round 2 confirms the buffers


def test_buffer_oscillation_is_resolved_to_a_fixpoint() -> None:
    # a (3) alone vs b (1) -> c (2): unbuffered both chains take 3 days and all are critical;
    # buffered, a = 4 but b + c = 2 + 3 = 5, so a loses criticality and its buffer.
    acts = [Activity("a", 3), Activity("b", 1), Activity("c", 2, ("b",))]
    s = schedule(acts, WorkCalendar(MONDAY))
    assert [s.slots[k].buffer_days for k in "abc"] == [0, 1, 1]
    assert s.critical_path == ["b", "c"]
    assert s.slots["a"].total_float == 2
    assert s.rounds >= 3


def test_milestones_fall_on_the_last_predecessor_finish() -> None:
    acts = [
        Activity("kickoff", 0, milestone=True),
        Activity("a", 5, ("kickoff",)),
        Activity("b", 2, ("kickoff",)),
        Activity("done", 0, ("a", "b"), milestone=True),
        Activity("launch", 1, ("done",)),
    ]
    s = schedule(acts, WorkCalendar(MONDAY))
    sl = s.slots
    assert sl["kickoff"].early_start == sl["kickoff"].late_finish == MONDAY
    assert sl["kickoff"].total_float == 0 and sl["kickoff"].buffer_days == 0
    assert sl["a"].early_start == MONDAY  # the start milestone delays nothing
    assert sl["a"].early_finish == dt.date(2027, 1, 11)  # 5 + 1 buffer = 6 days
    assert sl["done"].early_start == sl["done"].early_finish == dt.date(2027, 1, 11)
    assert sl["done"].duration_days == 0
    assert sl["launch"].early_start == dt.date(2027, 1, 12)
    assert s.critical_path == ["kickoff", "a", "done", "launch"]
    assert sl["b"].total_float == 4 and not sl["b"].critical


def test_start_milestone_takes_the_smallest_float_of_its_successors() -> None:
    acts = [
        Activity("main", 10),
        Activity("m", 0, milestone=True),
        Activity("x", 2, ("m",)),
        Activity("y", 4, ("m",)),
    ]
    s = schedule(acts, WorkCalendar(MONDAY))
    # main: 10 + 2 = 12 days; y has 8 days of float, x 10: m takes 8
    assert s.slots["y"].total_float == 8 and s.slots["x"].total_float == 10
    assert s.slots["m"].total_float == 8
    assert s.slots["m"].early_start == MONDAY
    assert s.slots["m"].late_start == s.slots["y"].late_start


def test_cycle_is_refused_by_the_scheduler() -> None:
    with pytest.raises(ValueError, match="cycle"):
        schedule([Activity("a", 1, ("b",)), Activity("b", 1, ("a",))], WorkCalendar(MONDAY))


def test_empty_network() -> None:
    s = schedule([], WorkCalendar(MONDAY))
    assert s.slots == {} and s.critical_path == [] and s.finish_date == MONDAY


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.data())
def test_incremental_passes_equal_full_passes(net: Network, data: st.DataObject) -> None:
    """`reforward`/`rebackward` after some durations changed give the full passes' numbers
    (for the backward pass, at a fixed project finish: the scheduler redoes it in full when
    the finish moves)."""
    network = network_of(net.acts)
    n = len(net.acts)
    old = [a.estimate_days for a in net.acts]
    changed = data.draw(st.lists(st.integers(0, n - 1), unique=True, min_size=1))
    new = list(old)
    for i in changed:
        new[i] = data.draw(st.integers(0, 20))
    es, ef = network.forward(old)
    finish = max(ef) + data.draw(st.integers(0, 5))
    ls, lf = network.backward(old, finish)
    moved = network.reforward(new, es, ef, changed)
    want_es, want_ef = network.forward(new)
    assert (es, ef) == (want_es, want_ef)
    assert set(moved) == {i for i in range(n) if network.forward(old)[0][i] != want_es[i]}
    network.rebackward(new, finish, ls, lf, changed)
    assert (ls, lf) == network.backward(new, finish)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.booleans(), st.booleans())
def test_chain_finish_is_the_forward_passs_finish(net: Network, in_order: bool, unknown: bool) -> None:
    """`chain_finish` (one pass when dependencies come first) equals the network's forward pass,
    in any listing order, an id that is not a task skipped."""
    from syncsvc.network import Network as Net
    from syncsvc.network import chain_finish

    acts = list(net.acts)
    if in_order:
        order = network_of(acts).order
        acts = [acts[i] for i in order]
    ids = [a.id for a in acts]
    deps = [(*a.depends_on, *(["gone"] if unknown else [])) for a in acts]
    dur = [a.estimate_days for a in acts]
    want = max(Net.of_ids(ids, deps, skip_unknown=True).forward(dur)[1], default=0)
    assert chain_finish(ids, deps, dur) == want


@settings(max_examples=60, deadline=None, derandomize=True)
@given(net=networks())
def test_the_planners_drafts_schedule_as_their_activities(net: Network) -> None:
    # the planner schedules its task drafts as they are (no Activity per task): a draft's
    # risk and kind say what the activity's high_risk and milestone would
    from syncsvc.planning.drafts import TaskDraft

    drafts = [
        TaskDraft(
            a.id,
            a.id,
            "build",
            "milestone" if a.milestone else "task",
            None,
            "high" if a.high_risk else "low",
            a.estimate_days,
            a.depends_on,
        )
        for a in net.acts
    ]
    assert [(d.high_risk, d.milestone) for d in drafts] == [(a.high_risk, a.milestone) for a in net.acts]
    cal = WorkCalendar(net.start, net.holidays)
    assert schedule(drafts, cal) == schedule(net.acts, cal)
