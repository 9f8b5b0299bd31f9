"""Monte Carlo over a task network with three-point (triangular) durations. Pure; numpy.

Durations are continuous working days; a task occupies [start, finish). Samples are drawn in
chunks from one seeded generator, so the same input and seed give the same output. A task is
critical in a sample when its total float there is zero; its criticality index is the share
of samples in which it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from syncsvc.network import Network

Floats = npt.NDArray[np.float64]
# Elements of a (tasks x samples) matrix drawn at once: bounds memory to ~4 x 16 MB + 32 MB.
CHUNK_ELEMENTS = 4_000_000


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
    lo, mo, hi = (np.asarray(x, dtype=np.float64).reshape(n, 1) for x in (low, mode, high))
    if np.any(lo > mo) or np.any(mo > hi) or np.any(lo < 0):
        raise ValueError("each range must satisfy 0 <= low <= mode <= high")
    net = network if network is not None else Network.of_preds(preds)
    order, succs = net.order, net.succs
    rel = None if release is None else np.asarray(release, dtype=np.float64)
    flo = None if floor is None else np.asarray(floor, dtype=np.float64)
    rng = np.random.default_rng(seed)
    shape = _Shape(lo, mo, hi)
    finish = np.empty(samples)
    crit = np.zeros(n)
    size = max(1, min(samples, CHUNK_ELEMENTS // max(1, n)))
    # buffers reused by every chunk (a smaller last chunk gets its own): durations in float32
    # (the memory-bound part), finishes in float64 (sums over long chains)
    bufs: tuple[Any, ...] = ()
    for begin in range(0, samples, size):
        s = min(size, samples - begin)
        if not bufs or bufs[0].shape[1] != s:
            bufs = (
                np.empty((n, s), dtype=np.float32),
                np.empty((n, s), dtype=np.float32),
                np.empty((n, s), dtype=bool),
                np.empty((n, s)),
            )
        u, tmp, left, ef = bufs
        rng.random(out=u, dtype=np.float32)
        dur = shape.sample(u, tmp, left)
        for i in order:
            ps = preds[i]
            row = ef[i]
            if not ps:
                row[:] = dur[i]
                if rel is not None and rel[i] > 0:
                    row += rel[i]
            else:
                if len(ps) == 1:
                    row[:] = ef[ps[0]]
                else:
                    np.maximum(ef[ps[0]], ef[ps[1]], out=row)
                    for p in ps[2:]:
                        np.maximum(row, ef[p], out=row)
                if rel is not None and rel[i] > 0:
                    np.maximum(row, rel[i], out=row)
                row += dur[i]
            if flo is not None and flo[i] > 0:
                np.maximum(row, flo[i], out=row)
        end = ef.max(axis=0) if n else np.zeros(s)
        finish[begin : begin + s] = end
        if criticality and n:
            _critical(order, succs, dur, ef, end, crit)
    return Simulation(finish, crit / samples)


class _Shape:
    """Per-task triangular parameters, as float32 columns."""

    def __init__(self, lo: Floats, mo: Floats, hi: Floats) -> None:
        width = hi - lo
        split = np.divide(mo - lo, width, out=np.full_like(width, 0.5), where=width > 0)
        f32 = np.float32
        self.lo, self.hi, self.split = lo.astype(f32), hi.astype(f32), split.astype(f32)
        self.a, self.b = (width * (mo - lo)).astype(f32), (width * (hi - mo)).astype(f32)

    def sample(
        self, u: npt.NDArray[np.float32], tmp: npt.NDArray[np.float32], left: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.float32]:
        """Inverse CDF of each row's triangular distribution, in place in `u`."""
        np.less(u, self.split, out=left)
        np.subtract(1.0, u, out=tmp)
        tmp *= self.b
        u *= self.a
        np.copyto(tmp, u, where=left)
        np.sqrt(tmp, out=tmp)
        np.subtract(self.hi, tmp, out=u)
        tmp += self.lo
        np.copyto(u, tmp, where=left)
        return u


def _critical(
    order: list[int],
    succs: list[list[int]],
    dur: npt.NDArray[np.float32],
    ef: Floats,
    end: Floats,
    crit: Floats,
) -> None:
    # Backward pass. Once task i is done, its row of `ef` holds its late start instead (its
    # predecessors, done later, need only that), so no third matrix is needed.
    tol = 1e-9 * max(1.0, float(end.max()))
    lf = np.empty_like(end)
    for i in reversed(order):
        ss = succs[i]
        if not ss:
            lf[:] = end
        else:
            lf[:] = ef[ss[0]]
            for x in ss[1:]:
                np.minimum(lf, ef[x], out=lf)
        row = ef[i]
        crit[i] += np.count_nonzero(lf - row <= tol)
        np.subtract(lf, dur[i], out=row)
