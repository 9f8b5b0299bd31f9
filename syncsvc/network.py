"""The task network shared by the scheduler, the forecast, levelling and the Monte Carlo. Pure.

Tasks are indices 0..n-1. A `Network` holds who waits for whom (`preds`, `succs`) and one
dependency order; the passes work on half-open working-day intervals: a task occupies
[es, ef), its successors may start at ef. One forward pass gives the early times, one backward
pass the late times, their difference the total float; `critical_chain` walks one chain of
critical tasks back from the finish. `reforward`/`rebackward` redo the passes only from the
tasks whose duration changed (the buffer rounds of CONTRACT §2 change a few tasks per round).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Network:
    """Dependencies as index lists, and one dependency order (Kahn's, stable)."""

    preds: list[list[int]]  # the tasks task i waits for
    succs: list[list[int]]  # the tasks that wait for task i
    order: list[int]  # every task after its predecessors; otherwise as listed
    pos: list[int]  # pos[i]: where task i is in `order`

    @classmethod
    def of_preds(cls, preds: Sequence[Sequence[int]]) -> Network:
        """The network of `preds[i]` (the indices task i waits for); ValueError on a cycle."""
        n = len(preds)
        own = [list(ps) for ps in preds]
        succs: list[list[int]] = [[] for _ in range(n)]
        for i, ps in enumerate(own):
            for p in ps:
                succs[p].append(i)
        indeg = [len(ps) for ps in own]
        order = [i for i in range(n) if indeg[i] == 0]
        head = 0
        while head < len(order):
            i = order[head]
            head += 1
            for j in succs[i]:
                indeg[j] -= 1
                if indeg[j] == 0:
                    order.append(j)
        if len(order) != n:
            raise ValueError("dependency cycle")
        pos = [0] * n
        for k, i in enumerate(order):
            pos[i] = k
        return cls(own, succs, order, pos)

    @classmethod
    def of_ids(
        cls, ids: Sequence[str], depends_on: Sequence[Iterable[str]], *, skip_unknown: bool = False
    ) -> Network:
        """The network of tasks `ids[i]` waiting for `depends_on[i]` (ids); an unknown id is a
        KeyError unless `skip_unknown`."""
        index = {t: i for i, t in enumerate(ids)}
        if skip_unknown:
            return cls.of_preds([[index[d] for d in ds if d in index] for ds in depends_on])
        return cls.of_preds([[index[d] for d in ds] for ds in depends_on])

    def __len__(self) -> int:
        return len(self.preds)

    # -- full passes ---------------------------------------------------------------------------

    def forward(self, dur: Sequence[int]) -> tuple[list[int], list[int]]:
        """Early start and finish: each task starts when its last predecessor finishes."""
        n = len(self.preds)
        es, ef = [0] * n, [0] * n
        preds = self.preds
        for i in self.order:
            start = 0
            for p in preds[i]:
                if ef[p] > start:
                    start = ef[p]
            es[i] = start
            ef[i] = start + dur[i]
        return es, ef

    def backward(
        self, dur: Sequence[int], finish: int, *, sink_end: Mapping[int, int] | None = None
    ) -> tuple[list[int], list[int]]:
        """Late start and finish from the project's `finish`: each task finishes when its
        earliest successor must start. `sink_end[i]` replaces `finish` for a task i without
        successors."""
        n = len(self.preds)
        ls, lf = [0] * n, [0] * n
        succs = self.succs
        ends = sink_end or {}
        for i in reversed(self.order):
            end = _late_end(succs[i], ls, ends.get(i, finish))
            lf[i] = end
            ls[i] = end - dur[i]
        return ls, lf

    # -- incremental passes --------------------------------------------------------------------

    def reforward(self, dur: Sequence[int], es: list[int], ef: list[int], dirty: Iterable[int]) -> list[int]:
        """Redo the forward pass in place after the durations of `dirty` changed, visiting only
        the tasks a change reaches; returns the tasks whose early start moved."""
        preds, succs, pos = self.preds, self.succs, self.pos
        queued = set(dirty)
        heap = [(pos[i], i) for i in queued]
        heapq.heapify(heap)
        moved: list[int] = []
        while heap:
            _, i = heapq.heappop(heap)
            start = 0
            for p in preds[i]:
                if ef[p] > start:
                    start = ef[p]
            if start != es[i]:
                es[i] = start
                moved.append(i)
            end = start + dur[i]
            if end != ef[i]:
                ef[i] = end
                for j in succs[i]:
                    if j not in queued:
                        queued.add(j)
                        heapq.heappush(heap, (pos[j], j))
        return moved

    def rebackward(
        self,
        dur: Sequence[int],
        finish: int,
        ls: list[int],
        lf: list[int],
        dirty: Iterable[int],
        *,
        sink_end: Mapping[int, int] | None = None,
    ) -> None:
        """Redo the backward pass in place after the durations (or sink ends) of `dirty`
        changed, for the same `finish`, visiting only the tasks a change reaches."""
        preds, succs, pos = self.preds, self.succs, self.pos
        ends = sink_end or {}
        queued = set(dirty)
        heap = [(-pos[i], i) for i in queued]
        heapq.heapify(heap)
        while heap:
            _, i = heapq.heappop(heap)
            end = _late_end(succs[i], ls, ends.get(i, finish))
            lf[i] = end
            start = end - dur[i]
            if start != ls[i]:
                ls[i] = start
                for p in preds[i]:
                    if p not in queued:
                        queued.add(p)
                        heapq.heappush(heap, (-pos[p], p))

    # -- the critical chain --------------------------------------------------------------------

    def critical_chain(
        self, es: Sequence[int], ef: Sequence[int], critical: Sequence[bool] | None
    ) -> list[int]:
        """See `critical_chain`, over this network's dependencies."""
        return critical_chain(self.preds, es, ef, critical)


def _late_end(succs: Sequence[int], ls: Sequence[int], default: int) -> int:
    # a task must finish when its earliest successor must start; without successors, `default`
    if not succs:
        return default
    end = ls[succs[0]]
    for s in succs:
        if ls[s] < end:
            end = ls[s]
    return end


def critical_chain(
    preds: Sequence[Sequence[int]],
    es: Sequence[int],
    ef: Sequence[int],
    critical: Sequence[bool] | None,
    *,
    also: Sequence[Sequence[int]] | None = None,
) -> list[int]:
    """One chain of critical tasks (all tasks when `critical` is None) from a start task to the
    last listed critical task that finishes last, each driven by its first listed critical
    predecessor that finishes when it starts (`also[i]`: more links, after the predecessors)."""
    n = len(ef)
    if not n:
        return []
    finish = max(ef)
    node = next(
        (i for i in range(n - 1, -1, -1) if ef[i] == finish and (critical is None or critical[i])), -1
    )
    if node < 0:
        return []
    chain = [node]
    while True:
        start = es[node]
        links = preds[node] if also is None else [*preds[node], *also[node]]
        node = next((p for p in links if ef[p] == start and (critical is None or critical[p])), -1)
        if node < 0:
            break
        chain.append(node)
    chain.reverse()
    return chain


def chain_finish(ids: Sequence[str], depends_on: Sequence[Iterable[str]], dur: Sequence[int]) -> int:
    """The finish of the longest chain of `dur` through the dependencies (ids not among `ids`
    skipped; `ids` distinct, acyclic): one pass when each task's dependencies are listed before
    it (as specs are usually written), else the network's forward pass."""
    known = set(ids)
    finish: dict[str, int] = {}
    for tid, deps, d in zip(ids, depends_on, dur, strict=True):
        start = 0
        for dep in deps:
            f = finish.get(dep)
            if f is None:
                if dep in known:  # listed later: take the network's order
                    net = Network.of_ids(ids, depends_on, skip_unknown=True)
                    return max(net.forward(dur)[1], default=0)
            elif f > start:
                start = f
        finish[tid] = start + d
    return max(finish.values(), default=0)
