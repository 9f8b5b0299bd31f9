"""Monte Carlo over a task network with three-point (triangular) durations. Pure; numpy.

Durations are continuous working days; a task occupies [start, finish). Samples are drawn in
chunks from one seeded generator, so the same input and seed give the same output. A task is
critical in a sample when its total float there is zero; its criticality index is the share
of samples in which it is.

The passes go level by level (a task's level: the longest chain of predecessors before it),
each level's tasks at once: the tasks are renumbered so that every level is one block of rows;
a block's predecessor (or successor) rows are gathered, each task's padded to the block's
width by repeating one, and reduced with `maximum.reduce` (`minimum.reduce`). Max, min and
the additions are the same per task and sample as a task-by-task pass, so the figures are the
same to the bit; the random numbers are drawn in the same order (one (tasks x chunk) matrix
per chunk, in the listed task order).

A small network (up to SMALL_NETWORK tasks: a quick plan has 15-40) goes task by task instead
(`_simulate_small`): with few tasks per level, the cost is numpy's per-call overhead and the
gathered copies, not the arithmetic; one task's row at a time, each link one `maximum` or
`minimum` in place, needs neither. The same draws and the same operations per task and
sample, so the same figures to the bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from syncsvc.network import Network

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
# Elements of a (tasks x samples) matrix drawn at once. It fixes which random number goes to
# which task and sample, so changing it changes the figures.
CHUNK_ELEMENTS = 4_000_000
# At most this many dependency rows gathered at once (a level with more is split in blocks).
BLOCK_EDGES = 4096
# Rows of the (tasks x chunk) matrix drawn and turned into durations at once.
SAMPLE_ROWS = 512
# Networks of at most this many tasks are simulated task by task (see the module's note).
SMALL_NETWORK = 128


@dataclass(frozen=True)
class Simulation:
    finish: Floats  # per sample: the network's finish, in working days from index 0
    criticality: Floats  # per task: the share of samples in which it is critical


def simulate(
    preds: Sequence[Sequence[int]],
    low: Sequence[float],
    mode: Sequence[float],
    high: Sequence[float],
    *,
    samples: int = 5000,
    seed: int = 1,
    release: Sequence[float] | None = None,
    floor: Sequence[float] | None = None,
    criticality: bool = True,
    network: Network | None = None,
) -> Simulation:
    """Sample the network's finish. `release[i]`: task i starts no earlier than this;
    `floor[i]`: it finishes no earlier than this (work in progress that cannot end before now).
    `network`, when the caller has it, is `preds`' network (not derived again)."""
    n = len(preds)
    lo, mo, hi = (np.asarray(x, dtype=np.float64).reshape(n) for x in (low, mode, high))
    if np.any(lo > mo) or np.any(mo > hi) or np.any(lo < 0):
        raise ValueError("each range must satisfy 0 <= low <= mode <= high")
    net = network if network is not None else Network.of_preds(preds)
    if 0 < n <= SMALL_NETWORK:
        return _simulate_small(net, lo, mo, hi, samples, seed, release, floor, criticality)
    lv = _Levels.of(net)
    perm = lv.perm
    shape = _Shape(lo, mo, hi)
    rank = np.empty(n, dtype=np.intp)
    rank[perm] = np.arange(n)
    # a release or floor of 0 (or less) changes nothing: every time is >= 0
    rel = None if release is None else _positive(release, perm)
    flo = None if floor is None else _positive(floor, perm)
    rng = np.random.default_rng(seed)
    finish = np.empty(samples)
    crit = np.zeros(n)
    size = max(1, min(samples, CHUNK_ELEMENTS // max(1, n)))
    for begin in range(0, samples, size):
        s = min(size, samples - begin)
        if begin == 0 or s != size:
            # durations in float32 (the memory-bound part), times in float64 (sums over long
            # chains); row n of `ef` is the finish, the successor of every task without one
            dur = np.empty((n, s), dtype=np.float32)
            ef = np.empty((n + 1, s))
        shape.sample(rng, rank, dur)
        lv.forward(dur, ef, rel, flo)
        end = ef[:n].max(axis=0) if n else np.zeros(s)
        finish[begin : begin + s] = end
        if criticality and n:
            ef[n] = end
            lv.backward(dur, ef, crit)
    out = np.empty(n)
    out[perm] = crit / samples
    return Simulation(finish, out)


def _simulate_small(
    net: Network,
    lo: Floats,
    mo: Floats,
    hi: Floats,
    samples: int,
    seed: int,
    release: Sequence[float] | None,
    floor: Sequence[float] | None,
    criticality: bool,
) -> Simulation:
    """`simulate` one task at a time in dependency order, rows in the listed order (no
    renumbering): the same chunks, draws and per-sample arithmetic as the level passes."""
    n = len(net.preds)
    shape = _Shape(lo, mo, hi)
    rel = [max(0.0, float(v)) for v in release] if release is not None else None
    flo = [max(0.0, float(v)) for v in floor] if floor is not None else None
    rng = np.random.default_rng(seed)
    finish = np.empty(samples)
    crit = np.zeros(n)
    size = max(1, min(samples, CHUNK_ELEMENTS // n))
    for begin in range(0, samples, size):
        s = min(size, samples - begin)
        if begin == 0 or s != size:
            dur = np.empty((n, s), dtype=np.float32)
            lf = np.empty(s)
        shape.sample_listed(rng, dur)
        if begin == 0 or s != size:  # (after the draw's temporaries are freed: less memory)
            ef = np.empty((n, s))
        for i in net.order:
            row = ef[i]
            ps = net.preds[i]
            if not ps:  # as the level passes' first level: the duration, then the release
                np.copyto(row, dur[i])
                if rel is not None:
                    row += rel[i]
            elif len(ps) == 1 and rel is None:
                np.add(ef[ps[0]], dur[i], out=row)  # the predecessor's finish + the duration
            else:
                if len(ps) == 1:
                    np.copyto(row, ef[ps[0]])
                else:
                    np.maximum(ef[ps[0]], ef[ps[1]], out=row)
                for p in ps[2:]:
                    np.maximum(row, ef[p], out=row)
                if rel is not None:
                    np.maximum(row, rel[i], out=row)
                row += dur[i]
            if flo is not None:
                np.maximum(row, flo[i], out=row)
        end = ef.max(axis=0)
        finish[begin : begin + s] = end
        if not criticality:
            continue
        # backward: a task's row of `ef` then holds its late start (its successors are done
        # before it, and only they read it)
        tol = 1e-9 * max(1.0, float(end.max()))
        for i in reversed(net.order):
            ss = net.succs[i]
            if len(ss) < 2:  # the late finish is the successor's late start (or the end): read
                late = ef[ss[0]] if ss else end  # in place, as row i is written last
            else:
                late = np.minimum(ef[ss[0]], ef[ss[1]], out=lf)
                for x in ss[2:]:
                    np.minimum(lf, ef[x], out=lf)
            crit[i] += np.count_nonzero(np.subtract(late, ef[i]) <= tol)
            np.subtract(late, dur[i], out=ef[i])
    return Simulation(finish, crit / samples)


def _positive(values: Sequence[float], perm: Ints) -> Floats:
    v = np.asarray(values, dtype=np.float64)[perm]
    return np.where(v > 0, v, 0.0).reshape(-1, 1)


@dataclass(frozen=True)
class _Block:
    lo: int  # rows lo..hi (renumbered) are this block's tasks
    hi: int
    width: int  # the most links of a task of the block
    rows: Ints  # (width x tasks), flat: each task's predecessors (forward) or successors


@dataclass(frozen=True)
class _Levels:
    perm: Ints  # perm[k]: the task renumbered k (level by level, in dependency order)
    sources: int  # rows 0..sources: the tasks without predecessors
    fwd: list[_Block]  # the other levels, first to last
    bwd: list[_Block]  # every level, last to first
    most: int  # the most rows a block gathers

    @classmethod
    def of(cls, net: Network) -> _Levels:
        n = len(net)
        preds, succs = net.preds, net.succs
        level = [0] * n
        for i in net.order:
            for p in preds[i]:
                if level[p] + 1 > level[i]:
                    level[i] = level[p] + 1
        order = sorted(net.order, key=level.__getitem__)  # stable: dependency order in a level
        rank = [0] * n
        for k, i in enumerate(order):
            rank[i] = k
        bounds = [0]
        for k in range(1, n):
            if level[order[k]] != level[order[k - 1]]:
                bounds.append(k)
        bounds.append(n)
        levels = list(zip(bounds, bounds[1:], strict=False))
        fwd = [b for lo, hi in levels[1:] for b in _blocks(order, rank, preds, lo, hi, None)]
        bwd = [b for lo, hi in reversed(levels) for b in _blocks(order, rank, succs, lo, hi, n)]
        most = max((len(b.rows) for b in (*fwd, *bwd)), default=0)
        return cls(np.asarray(order, dtype=np.intp), bounds[1] if n else 0, fwd, bwd, most)

    def forward(
        self,
        dur: npt.NDArray[np.float32],
        ef: Floats,
        rel: Floats | None,
        flo: Floats | None,
    ) -> None:
        """Early finishes: each task starts when its last predecessor finishes."""
        k = self.sources
        ef[:k] = dur[:k]
        if rel is not None:
            ef[:k] += rel[:k]
        if flo is not None:
            np.maximum(ef[:k], flo[:k], out=ef[:k])
        gather = np.empty((self.most, ef.shape[1]))
        for b in self.fwd:
            row = ef[b.lo : b.hi]
            _reduce(np.maximum, ef, b, gather, row)
            if rel is not None:
                np.maximum(row, rel[b.lo : b.hi], out=row)
            row += dur[b.lo : b.hi]
            if flo is not None:
                np.maximum(row, flo[b.lo : b.hi], out=row)

    def backward(self, dur: npt.NDArray[np.float32], ef: Floats, crit: Floats) -> None:
        """Count the samples in which each task has no float. Once a level is done, its rows
        of `ef` hold the late starts instead (the levels before need only those)."""
        n, s = dur.shape
        tol = 1e-9 * max(1.0, float(ef[n].max()))
        gather = np.empty((self.most, s))
        late = np.empty((max((b.hi - b.lo for b in self.bwd), default=0), s))
        zero = np.empty((n, s), dtype=bool)  # no float: the task is critical in the sample
        for b in self.bwd:
            m = b.hi - b.lo
            lf = late[:m]
            _reduce(np.minimum, ef, b, gather, lf)
            row = ef[b.lo : b.hi]
            np.subtract(lf, row, out=row)
            np.less_equal(row, tol, out=zero[b.lo : b.hi])
            np.subtract(lf, dur[b.lo : b.hi], out=row)
        crit += np.count_nonzero(zero, axis=1)


def _reduce(op: np.ufunc, ef: Floats, b: _Block, gather: Floats, out: Floats) -> None:
    """out[t] = op over the rows of `ef` block `b` links task t to."""
    # mode="clip": with an `out`, numpy's default mode ("raise") gathers into a buffer of its
    # own and copies that into `out` (2.4x the time); the rows are ours, always in range
    if b.width == 1:
        np.take(ef, b.rows, axis=0, out=out, mode="clip")
        return
    m = b.hi - b.lo
    g = np.take(ef, b.rows, axis=0, out=gather[: len(b.rows)], mode="clip")
    op.reduce(g.reshape(b.width, m, g.shape[1]), axis=0, out=out)


def _blocks(
    order: list[int],
    rank: list[int],
    links: list[list[int]],
    lo: int,
    hi: int,
    end: int | None,
) -> list[_Block]:
    """Level rows lo..hi in blocks of at most BLOCK_EDGES gathered rows (a task with more is a
    block alone); `end`: the row a task without links links to."""
    out: list[_Block] = []
    first, width = lo, 0
    for k in range(lo, hi + 1):
        w = max(1, len(links[order[k]])) if k < hi else 0
        if k == hi or (k > first and max(width, w) * (k + 1 - first) > BLOCK_EDGES):
            out.append(_block(order, rank, links, first, k, width, end))
            first, width = k, 0
        width = max(width, w)
    return out


def _block(
    order: list[int], rank: list[int], links: list[list[int]], lo: int, hi: int, width: int, end: int | None
) -> _Block:
    # rows[j * m + t]: task t's j-th link, its first repeated past its last (max and min do
    # not change when a value repeats)
    m = hi - lo
    rows = np.empty((width, m), dtype=np.intp)
    for t in range(m):
        ls = [rank[x] for x in links[order[lo + t]]]
        if not ls:
            assert end is not None  # only level 0 has tasks without predecessors
            ls = [end]
        rows[:, t] = ls + [ls[0]] * (width - len(ls))
    return _Block(lo, hi, width, rows.ravel())


class _Shape:
    """Per-task triangular parameters, as float32 columns."""

    def __init__(self, lo: Floats, mo: Floats, hi: Floats) -> None:
        lo, mo, hi = (x.reshape(-1, 1) for x in (lo, mo, hi))
        width = hi - lo
        split = np.divide(mo - lo, width, out=np.full_like(width, 0.5), where=width > 0)
        f32 = np.float32
        self.lo, self.hi, self.split = lo.astype(f32), hi.astype(f32), split.astype(f32)
        self.a, self.b = (width * (mo - lo)).astype(f32), (width * (hi - mo)).astype(f32)

    def sample(self, rng: np.random.Generator, rank: Ints, dur: npt.NDArray[np.float32]) -> None:
        """Draw one chunk: a (tasks x chunk) matrix of uniforms in the listed task order, in
        blocks of rows (the same numbers as drawn at once), each row turned into durations by
        its task's inverse CDF and put in row rank[i] of `dur`."""
        n, s = dur.shape
        step = max(1, min(n, SAMPLE_ROWS))
        u = np.empty((step, s), dtype=np.float32)
        tmp = np.empty_like(u)
        left = np.empty((step, s), dtype=bool)
        mask = np.empty((step, s), dtype=np.uint32)
        for r in range(0, n, step):
            q = min(step, n - r)
            x, t, lt, keep = u[:q], tmp[:q], left[:q], mask[:q]
            rng.random(out=x, dtype=np.float32)
            sl = slice(r, r + q)
            np.less(x, self.split[sl], out=lt)
            np.subtract(1.0, x, out=t)
            t *= self.b[sl]
            x *= self.a[sl]
            # t = x where lt, x = t where lt: by bit masks (a masked copy, `np.copyto(...,
            # where=)`, took ~10x as long: half of this function's time)
            _bits(lt, keep)
            _select_bits(keep, x, t)
            np.sqrt(t, out=t)
            np.subtract(self.hi[sl], t, out=x)
            t += self.lo[sl]
            _select_bits(keep, t, x)
            dur[rank[sl]] = x

    def sample_listed(self, rng: np.random.Generator, dur: npt.NDArray[np.float32]) -> None:
        """`sample` with the rows in the listed order, drawn at once (a small network): each
        side of the inverse CDF computed for every number, the side kept chosen by bit masks
        (a masked copy costs several times the arithmetic)."""
        rng.random(out=dur, dtype=np.float32)
        left = np.less(dur, self.split)
        below = np.multiply(dur, self.a)
        np.sqrt(below, out=below)
        below += self.lo
        np.subtract(1.0, dur, out=dur)
        dur *= self.b
        np.sqrt(dur, out=dur)
        np.subtract(self.hi, dur, out=dur)
        _select(left, below, dur)


def _select(where: npt.NDArray[np.bool_], a: npt.NDArray[np.float32], out: npt.NDArray[np.float32]) -> None:
    """out = a where `where`, else out; bit for bit (as `np.copyto(out, a, where=where)`)."""
    keep = np.empty(where.shape, dtype=np.uint32)
    _bits(where, keep)
    _select_bits(keep, a, out)


def _bits(where: npt.NDArray[np.bool_], out: npt.NDArray[np.uint32]) -> None:
    """out = all 32 bits set where `where`, none elsewhere (the mask `_select_bits` reads)."""
    np.copyto(out, where, casting="unsafe")
    np.negative(out, out=out)


def _select_bits(
    keep: npt.NDArray[np.uint32], a: npt.NDArray[np.float32], out: npt.NDArray[np.float32]
) -> None:
    """out = a where `keep` has its bits set, else out: out ^ ((out ^ a) & keep), bit for bit
    as `np.copyto(out, a, where=...)`. `a` is left holding garbage."""
    bits, other = out.view(np.uint32), a.view(np.uint32)
    np.bitwise_xor(other, bits, out=other)
    np.bitwise_and(other, keep, out=other)
    np.bitwise_xor(bits, other, out=bits)
