"""Resource levelling checked from outside: against an exact solver on small random networks."""

from __future__ import annotations

import random
import statistics

import pytest

from syncsvc.level import Workload, level
from syncsvc.network import Network


def _work(durations: list[int], preds: list[list[int]], who: list[tuple[int, ...]]) -> Workload:
    return Workload(durations, Network.of_preds(preds), who)


def _random_network(rng: random.Random, n: int, people: int) -> Workload:
    durations = [rng.randint(1, 5) for _ in range(n)]
    preds = [sorted(rng.sample(range(i), k=min(i, rng.choice([0, 0, 1, 1, 2])))) for i in range(n)]
    who: list[tuple[int, ...]] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.1:
            who.append(())  # an outside reviewer: no team member's time
        elif r < 0.25 and people > 1:
            who.append(tuple(sorted(rng.sample(range(people), 2))))
        else:
            who.append((rng.randrange(people),))
    if rng.random() < 0.3:
        durations[rng.randrange(n)] = 0  # a milestone
    return _work(durations, preds, who)


def _optimum(net: Workload) -> int:
    """The shortest makespan, by depth-first search over every active schedule (an optimal
    schedule is among them), with a longest-path bound. Independent of syncsvc.level."""
    n = len(net.durations)
    succs: list[list[int]] = [[] for _ in range(n)]
    for i, ps in enumerate(net.preds):
        for p in ps:
            succs[p].append(i)
    tail = [0] * n
    for i in reversed(range(n)):  # preds are earlier indices: reverse index order is reverse topo
        tail[i] = net.durations[i] + max((tail[s] for s in succs[i]), default=0)
    best = [sum(net.durations) + 1]
    finish: dict[int, int] = {}
    busy: dict[int, set[int]] = {}

    def free(p: int, t: int, d: int) -> bool:
        return not any(x in busy.get(p, ()) for x in range(t, t + d))

    def dfs() -> None:
        if len(finish) == n:
            best[0] = min(best[0], max(finish.values(), default=0))
            return
        bound = max(finish.values(), default=0)
        ready = {}
        for i in range(n):
            if i not in finish and all(p in finish for p in net.preds[i]):
                ready[i] = max((finish[p] for p in net.preds[i]), default=0)
        for i in range(n):
            if i not in finish:
                est = ready.get(i, max((finish.get(p, 0) for p in net.preds[i]), default=0))
                bound = max(bound, est + tail[i])
        if bound >= best[0]:
            return
        for i, t in ready.items():
            d = net.durations[i]
            while d and not all(free(p, t, d) for p in net.people[i]):
                t += 1
            finish[i] = t + d
            for p in net.people[i] if d else ():
                busy.setdefault(p, set()).update(range(t, t + d))
            dfs()
            for p in net.people[i] if d else ():
                busy[p].difference_update(range(t, t + d))
            del finish[i]

    dfs()
    return best[0]


def _check_feasible(net: Workload, start: list[int], finish: list[int]) -> None:
    for i, ps in enumerate(net.preds):
        assert finish[i] - start[i] == net.durations[i]
        for p in ps:
            assert start[i] >= finish[p], f"task {i} starts before its dependency {p} ends"
    days: dict[tuple[int, int], int] = {}
    for i, who in enumerate(net.people):
        for p in who:
            for x in range(start[i], finish[i]):
                assert (p, x) not in days, f"person {p} double-booked on day {x}"
                days[(p, x)] = i


def test_levelled_schedules_are_feasible_and_near_the_optimum() -> None:
    from syncsvc.level import _sgs

    rng = random.Random(20261205)
    ratios, naive = [], []
    for _ in range(60):
        net = _random_network(rng, rng.randint(5, 8), rng.randint(1, 3))
        got = level(net)
        _check_feasible(net, got.start, got.finish)
        best = _optimum(net)
        span = max(got.finish, default=0)
        assert span >= best
        ratios.append(span / best if best else 1.0)
        # one pass in the order the tasks are listed, no priority rule, no justification
        first = _sgs(range(len(net.durations)), net.durations, net.preds, net.people)
        naive.append(max(first[i] + d for i, d in enumerate(net.durations)) / best if best else 1.0)
    assert max(ratios) <= 1.15, ratios
    assert statistics.mean(ratios) <= 1.05, statistics.mean(ratios)
    # the networks are hard enough for the bound to mean something: listing order alone misses
    assert max(naive) > 1.15 and statistics.mean(naive) > statistics.mean(ratios)


def test_larger_networks_hold_every_dependency_and_never_double_book() -> None:
    rng = random.Random(7)
    for _ in range(10):
        net = _random_network(rng, 300, 6)
        got = level(net)
        _check_feasible(net, got.start, got.finish)


def test_nobody_overallocated_keeps_the_early_dates() -> None:
    net = _work([3, 2, 4], [[], [0], [0]], [(0,), (1,), (2,)])
    got = level(net)
    assert got.start == [0, 3, 3] and got.rule == "none"


def test_one_person_does_parallel_tasks_one_after_the_other() -> None:
    net = _work([3, 2, 4], [[], [], []], [(0,), (0,), (1,)])
    got = level(net)
    assert sorted((got.start[0], got.start[1])) in ([0, 3], [0, 2])
    assert max(got.finish) == 5 and got.start[2] == 0
    # the levelled network links the person's tasks in the order they do them
    later = 0 if got.start[0] > got.start[1] else 1
    assert got.waits_for[later] == [1 - later]


@pytest.mark.parametrize("seed", range(5))
def test_the_levelled_network_reproduces_the_levelled_dates(seed: int) -> None:
    rng = random.Random(seed)
    net = _random_network(rng, 60, 3)
    got = level(net)
    start = [0] * 60
    for i in range(60):  # dependencies point to earlier indices
        links = [*net.preds[i], *got.waits_for[i]]
        assert all(j < i or j in got.waits_for[i] for j in links)
    order = sorted(range(60), key=lambda i: (got.start[i], i))
    finish = [0] * 60
    for i in order:
        start[i] = max((finish[j] for j in [*net.preds[i], *got.waits_for[i]]), default=0)
        finish[i] = start[i] + net.durations[i]
    assert start == got.start


def test_a_small_network_levelled_again_gives_the_same_schedule_and_fresh_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # small networks' results are kept by their whole input (quick mode and the MCP server
    # level the same network again): a repeat gives the same answer, and lists the caller owns
    import syncsvc.level as level_mod

    rng = random.Random(11)
    net = _random_network(rng, 40, 3)
    first = level(net)
    first.start[0] += 100
    first.waits_for[-1].append(999)
    again = level(net)
    monkeypatch.setattr(level_mod, "CACHED_TASKS", -1)  # nothing kept: computed afresh
    fresh = level(net)
    assert (again.start, again.finish, again.waits_for, again.rule) == (
        fresh.start,
        fresh.finish,
        fresh.waits_for,
        fresh.rule,
    )
    # another network of the same size is not confused with the first
    other = _work(list(net.durations), [[] for _ in net.durations], [tuple(p) for p in net.people])
    monkeypatch.setattr(level_mod, "CACHED_TASKS", 2_000)
    assert level(other).start != again.start or not any(net.preds)


def test_kept_results_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import syncsvc.level as level_mod

    monkeypatch.setattr(level_mod, "_cache", {})
    monkeypatch.setattr(level_mod, "_CACHE_SIZE", 2)
    rng = random.Random(5)
    nets = [_random_network(rng, 12, 2) for _ in range(4)]
    for net in nets:
        level(net)
    assert len(level_mod._cache) == 2
    # the last two are the ones kept: levelling them again adds nothing
    level(nets[-1])
    assert len(level_mod._cache) == 2


def test_the_lower_bound_is_never_above_the_optimum() -> None:
    from syncsvc.level import lower_bound

    rng = random.Random(1205)
    tight = 0
    for _ in range(80):
        net = _random_network(rng, rng.randint(4, 8), rng.randint(1, 3))
        es, ef = net.network.forward(net.durations)
        _, lf = net.network.backward(net.durations, max(ef, default=0))
        bound = lower_bound(es, lf, net.durations, net.people)
        best = _optimum(net)
        assert bound <= best
        tight += bound == best
    assert tight > 20  # the bound often proves a schedule optimal: that is what it is for


@pytest.mark.parametrize("size", [8, 60, 400])
def test_stopping_at_the_lower_bound_gives_the_schedule_of_every_rule_tried(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the rules after a schedule that meets the bound cannot be shorter (and ties keep the
    # first): the result is the one all rules give
    import syncsvc.level as level_mod

    rng = random.Random(size)
    nets = [_random_network(rng, size, rng.randint(1, 4)) for _ in range(12)]
    monkeypatch.setattr(level_mod, "CACHED_TASKS", -1)
    stopped = [level(net) for net in nets]
    monkeypatch.setattr(level_mod, "lower_bound", lambda *a: -1)
    every = [level(net) for net in nets]
    for a, b in zip(stopped, every, strict=True):
        assert (a.start, a.finish, a.waits_for, a.rule) == (b.start, b.finish, b.waits_for, b.rule)
    assert any(a.passes < b.passes for a, b in zip(stopped, every, strict=True))


def test_justification_orders_tasks_as_the_pairs_of_its_keys_do() -> None:
    # _justify packs its (time, position) sort keys into one int: the order must be the pairs'
    from syncsvc.level import _justify, _sgs

    def by_pairs(start, dur, preds, succs, people, pos):
        n = len(dur)
        span = max((start[i] + dur[i] for i in range(n)), default=0)
        order = sorted(range(n), key=lambda i: (-(start[i] + dur[i]), -pos[i]))
        mirrored = _sgs(order, dur, succs, people)
        r_span = max((mirrored[i] + dur[i] for i in range(n)), default=0)
        right = [r_span - mirrored[i] - dur[i] for i in range(n)]
        left = _sgs(sorted(range(n), key=lambda i: (right[i], pos[i])), dur, preds, people)
        return left if max((left[i] + dur[i] for i in range(n)), default=0) <= span else start

    rng = random.Random(3)
    for _ in range(40):
        net = _random_network(rng, rng.randint(2, 80), rng.randint(1, 4))
        nw = net.network
        start = _sgs(nw.order, net.durations, net.preds, net.people)
        args = (start, net.durations, net.preds, nw.succs, net.people, nw.pos)
        assert _justify(*args) == by_pairs(*args)
