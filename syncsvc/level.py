"""Resource levelling (CONTRACT §2 "Levelling"): serial schedule generation. Pure.

Each person does one task at a time. Tasks are placed one by one, in an order that respects
the dependencies and follows a priority rule (latest finish, least float, …), each at the
earliest working day when its dependencies are done and all its people are free (the serial
schedule generation scheme). Several rules are tried, each schedule is then improved by
forward-backward justification (every task shifted right as far as it goes, then left again,
which never lengthens the schedule), and the shortest is kept (the first rule wins ties).
Times are working-day indices, intervals half-open: a task occupies [start, finish).
"""

from __future__ import annotations

import heapq
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from syncsvc.network import Network

# Tasks placed over all passes, at most (the first two rules always run): for 5,000 tasks the
# two passes take about 0.2 s; a network of 500 tasks gets all four rules and some random ones.
PLACEMENT_BUDGET = 40_000
RANDOM_PASSES = 24  # extra randomised LFT passes, for small networks within the budget


@dataclass(frozen=True, slots=True)
class Levelled:
    """The levelled schedule: per task its start and finish index, and for each of its people
    the task that person did just before it (the levelled network's extra links)."""

    start: list[int]
    finish: list[int]
    waits_for: list[list[int]]
    rule: str
    passes: int


@dataclass(frozen=True, slots=True)
class Workload:
    """What levelling needs of the tasks: durations, the dependency network and people."""

    durations: Sequence[int]
    network: Network
    people: Sequence[Sequence[int]]  # person indices per task; () = no team member's time

    @property
    def preds(self) -> list[list[int]]:
        return self.network.preds


# Small networks' results, by their whole input: quick mode levels several team sizes per plan
# and the MCP server plans the same inputs again (a size whose extra person gets no work has the
# same network as the size before it). Large networks are levelled once per process: not kept.
CACHED_TASKS = 2_000
_CACHE_SIZE = 64
_cache: dict[tuple[object, ...], Levelled] = {}


def level(net: Workload, *, seed: int = 1) -> Levelled:
    """The shortest levelled schedule the rules find (see the module docstring)."""
    if len(net.durations) > CACHED_TASKS:
        return _level(net, seed)
    nw = net.network
    key = (
        seed,
        tuple(net.durations),
        tuple(map(tuple, nw.preds)),
        tuple(map(tuple, nw.succs)),
        tuple(nw.order),
        tuple(map(tuple, net.people)),
    )
    hit = _cache.get(key)
    if hit is None:
        hit = _level(net, seed)
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache), ()), None)  # the oldest; tolerant of a concurrent call
        _cache[key] = hit
    # a copy: callers own their lists
    return Levelled(list(hit.start), list(hit.finish), [list(w) for w in hit.waits_for], hit.rule, hit.passes)


def _level(net: Workload, seed: int) -> Levelled:
    n = len(net.durations)
    pos = net.network.pos
    dur = net.durations
    es, ef = net.network.forward(dur)
    if not _overallocated(es, dur, net.people):
        return Levelled(es, ef, _waits(es, dur, net.people), "none", 0)
    succs = net.network.succs
    end = max(ef, default=0)
    _, lf = net.network.backward(dur, end)
    tf = [lf[i] - dur[i] - es[i] for i in range(n)]
    rules: list[tuple[str, Callable[[int], tuple[float, ...]]]] = [
        ("latest finish", lambda i: (lf[i], es[i], pos[i])),
        ("least float", lambda i: (tf[i], lf[i], pos[i])),
        (
            "greatest rank positional weight",
            lambda i: (-(dur[i] + sum(dur[s] for s in succs[i])), lf[i], pos[i]),
        ),
        ("earliest start", lambda i: (es[i], lf[i], pos[i])),
    ]
    rng = random.Random(seed)
    spread = max(1.0, sum(dur) / max(1, n)) * 2
    floor = lower_bound(es, lf, dur, net.people)
    best: tuple[int, list[int], str] | None = None
    used = passes = 0
    for k in range(len(rules) + RANDOM_PASSES):
        if best is not None and best[0] <= floor:
            break  # no schedule is shorter: the other rules cannot win (ties keep the first)
        if k >= 2 and used + 3 * n > PLACEMENT_BUDGET:
            break
        if k < len(rules):
            name, key = rules[k]
        else:
            name, key = "latest finish, randomised", _noisy(lf, pos, rng, spread)
        start = _sgs(_priority_order(key, net.preds, succs), dur, net.preds, net.people)
        start = _justify(start, dur, net.preds, succs, net.people, pos)
        used += 3 * n
        passes += 1
        span = max((start[i] + dur[i] for i in range(n)), default=0)
        if best is None or span < best[0]:
            best = (span, start, name)
    assert best is not None
    _, start, name = best
    return Levelled(
        start, [start[i] + dur[i] for i in range(n)], _waits(start, dur, net.people), name, passes
    )


def lower_bound(
    es: Sequence[int], lf: Sequence[int], dur: Sequence[int], people: Sequence[Sequence[int]]
) -> int:
    """A span no levelled schedule can beat: the dependencies' finish, and for each person the
    earliest start of their tasks, plus all their working days one after another, plus the
    shortest tail of dependent work after one of their tasks (late finish to the end)."""
    end = max((es[i] + dur[i] for i in range(len(dur))), default=0)
    first: dict[int, int] = {}
    load: dict[int, int] = {}
    tail: dict[int, int] = {}
    for i, ps in enumerate(people):
        d = dur[i]
        if d <= 0:
            continue
        for p in ps:
            if p in load:
                first[p] = min(first[p], es[i])
                load[p] += d
                tail[p] = min(tail[p], end - lf[i])
            else:
                first[p], load[p], tail[p] = es[i], d, end - lf[i]
    return max([end, *(first[p] + load[p] + tail[p] for p in load)])


def _noisy(
    late_finish: Sequence[int], pos: Sequence[int], rng: random.Random, spread: float
) -> Callable[[int], tuple[float, ...]]:
    noise = [rng.random() * spread for _ in late_finish]
    return lambda i: (late_finish[i] + noise[i], pos[i])


def _overallocated(start: Sequence[int], dur: Sequence[int], people: Sequence[Sequence[int]]) -> bool:
    by_person: dict[int, list[tuple[int, int]]] = {}
    for i, ps in enumerate(people):
        if dur[i] > 0:
            for p in ps:
                by_person.setdefault(p, []).append((start[i], start[i] + dur[i]))
    for spans in by_person.values():
        spans.sort()
        for (_, end), (nxt, _) in zip(spans, spans[1:], strict=False):
            if nxt < end:
                return True
    return False


def _priority_order(
    key: Callable[[int], tuple[float, ...]], preds: Sequence[Sequence[int]], succs: Sequence[Sequence[int]]
) -> list[int]:
    """A dependency-respecting order: always the eligible task with the smallest key."""
    indeg = [len(ps) for ps in preds]
    heap = [(key(i), i) for i in range(len(preds)) if indeg[i] == 0]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        _, i = heapq.heappop(heap)
        out.append(i)
        for s in succs[i]:
            indeg[s] -= 1
            if indeg[s] == 0:
                heapq.heappush(heap, (key(s), s))
    return out


def _sgs(
    order: Sequence[int], dur: Sequence[int], preds: Sequence[Sequence[int]], people: Sequence[Sequence[int]]
) -> list[int]:
    """Serial SGS: each task in `order` at the earliest index its dependencies and people allow.

    A person's busy time is kept as sorted, merged blocks (touching intervals become one), so
    finding a gap skips a packed stretch in one step. Each person's block lists end with a
    sentinel block at infinity, so the gap search needs no bounds checks."""
    lists: dict[int, tuple[list[int], list[int]]] = {}
    for ps in people:
        for p in ps:
            if p not in lists:
                lists[p] = ([_NEVER], [_NEVER])
    start = [0] * len(dur)
    finish = [0] * len(dur)
    for i in order:
        t = 0
        for p in preds[i]:
            f = finish[p]
            if f > t:
                t = f
        d = dur[i]
        ps = people[i]
        if d > 0 and ps:
            if len(ps) == 1:  # the common case, with `_book` written out
                s_list, e_list = lists[ps[0]]
                k = bisect_right(e_list, t)
                while s_list[k] < t + d:
                    t = e_list[k]
                    k += 1
                b = t + d
                if k and e_list[k - 1] == t:
                    if s_list[k] == b:
                        e_list[k - 1] = e_list[k]
                        del s_list[k], e_list[k]
                    else:
                        e_list[k - 1] = b
                elif s_list[k] == b:
                    s_list[k] = t
                else:
                    s_list.insert(k, t)
                    e_list.insert(k, b)
            else:
                mine = [lists[p] for p in ps]
                t = _common_gap(t, d, mine)
                for s_list, e_list in mine:
                    _book(s_list, e_list, bisect_right(e_list, t), t, t + d)
        start[i] = t
        finish[i] = t + d
    return start


_NEVER = 1 << 62  # the sentinel block's start and end: later than any working day


def _book(s_list: list[int], e_list: list[int], k: int, a: int, b: int) -> None:
    # insert [a, b) before block k (blocks before k end <= a, block k starts >= b), merging
    # with a neighbour it touches (never with the sentinel: it starts at _NEVER)
    left = k > 0 and e_list[k - 1] == a
    right = s_list[k] == b
    if left and right:
        e_list[k - 1] = e_list[k]
        del s_list[k], e_list[k]
    elif left:
        e_list[k - 1] = b
    elif right:
        s_list[k] = a
    else:
        s_list.insert(k, a)
        e_list.insert(k, b)


def _common_gap(t: int, d: int, timelines: list[tuple[list[int], list[int]]]) -> int:
    moved = True
    while moved:
        moved = False
        for s_list, e_list in timelines:
            k = bisect_right(e_list, t)
            if s_list[k] < t + d:
                t = e_list[k]
                moved = True
    return t


def _justify(
    start: list[int],
    dur: Sequence[int],
    preds: Sequence[Sequence[int]],
    succs: Sequence[Sequence[int]],
    people: Sequence[Sequence[int]],
    pos: Sequence[int],
) -> list[int]:
    """Forward-backward improvement: right-justify, then left-justify; keep it if no longer."""
    n = len(dur)
    span = max((start[i] + dur[i] for i in range(n)), default=0)
    # sort keys built in one pass (a key function called per task costs more than the sort);
    # (a, pos) is packed as a * n + pos, one int: pos is a permutation of 0..n-1, so the order
    # is the pairs' order, and comparing ints is cheaper than comparing tuples
    right_key = [-(s + d) * n - p for s, d, p in zip(start, dur, pos, strict=True)]
    right_order = sorted(range(n), key=right_key.__getitem__)
    mirrored = _sgs(right_order, dur, succs, people)  # the reversed network, time mirrored
    r_span = max((mirrored[i] + dur[i] for i in range(n)), default=0)
    right = [r_span - mirrored[i] - dur[i] for i in range(n)]
    left_key = [r * n + p for r, p in zip(right, pos, strict=True)]
    left = _sgs(sorted(range(n), key=left_key.__getitem__), dur, preds, people)
    new_span = max((left[i] + dur[i] for i in range(n)), default=0)
    return left if new_span <= span else start


def _waits(start: Sequence[int], dur: Sequence[int], people: Sequence[Sequence[int]]) -> list[list[int]]:
    """Per task, the task each of its people works on just before it (by start)."""
    by_person: dict[int, list[int]] = {}
    for i, ps in enumerate(people):
        if dur[i] > 0:
            for p in ps:
                by_person.setdefault(p, []).append(i)
    out: list[list[int]] = [[] for _ in dur]
    for tasks in by_person.values():
        tasks.sort(key=start.__getitem__)  # stable: appended by index, so ties stay by index
        for a, b in zip(tasks, tasks[1:], strict=False):
            if a not in out[b]:
                out[b].append(a)
    return out
