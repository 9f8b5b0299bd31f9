"""Monte Carlo over a task network with three-point (triangular) durations. Pure; numpy.

Durations are continuous working days; a task occupies [start, finish). Samples are drawn in
chunks from one seeded generator, so the same input and seed give the same output. A task is
critical in a sample when its total float there is zero; its criticality index is the share
of samples in which it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from syncsvc.schedule import topological

Floats = npt.NDArray[np.float64]
# Elements of a (tasks x samples) matrix drawn at once: bounds memory to ~2 x 32 MB.
CHUNK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class Simulation:
    finish: Floats  # per sample: the network's finish, in working days from index 0
    criticality: Floats  # per task: the share of samples in which it is critical


def simulate(preds: Sequence[Sequence[int]], low: Sequence[float], mode: Sequence[float],
             high: Sequence[float], *, samples: int = 5000, seed: int = 1,
             release: Sequence[float] | None = None, floor: Sequence[float] | None = None,
             criticality: bool = True) -> Simulation:
    """Sample the network's finish. `release[i]`: task i starts no earlier than this;
    `floor[i]`: it finishes no earlier than this (work in progress that cannot end before now)."""
    n = len(preds)
    lo, mo, hi = (np.asarray(x, dtype=np.float64).reshape(n, 1) for x in (low, mode, high))
    if np.any(lo > mo) or np.any(mo > hi) or np.any(lo < 0):
        raise ValueError("each range must satisfy 0 <= low <= mode <= high")
    order = topological(preds)
    succs: list[list[int]] = [[] for _ in range(n)]
    for i, ps in enumerate(preds):
        for p in ps:
            succs[p].append(i)
    rel = None if release is None else np.asarray(release, dtype=np.float64)
    flo = None if floor is None else np.asarray(floor, dtype=np.float64)
    rng = np.random.default_rng(seed)
    width = hi - lo
    split = np.divide(mo - lo, width, out=np.full_like(width, 0.5), where=width > 0)
    finish = np.empty(samples)
    crit = np.zeros(n)
    size = max(1, min(samples, CHUNK_ELEMENTS // max(1, n)))
    for begin in range(0, samples, size):
        s = min(size, samples - begin)
        dur = _triangular(rng.random((n, s)), lo, mo, hi, width, split)
        ef = np.empty((n, s))
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
        finish[begin:begin + s] = end
        if criticality and n:
            _critical(order, succs, dur, ef, end, crit)
    return Simulation(finish, crit / samples)


def _triangular(u: Floats, lo: Floats, mo: Floats, hi: Floats, width: Floats, split: Floats
                ) -> Floats:
    # inverse CDF of the triangular distribution, row by row parameters; in place in `u`
    # (few full-size temporaries: this is the memory-bound part)
    left = u < split
    tmp = 1.0 - u
    tmp *= width * (hi - mo)
    u *= width * (mo - lo)
    np.copyto(tmp, u, where=left)
    np.sqrt(tmp, out=tmp)
    np.subtract(hi, tmp, out=u)
    tmp += lo
    np.copyto(u, tmp, where=left)
    return u


def _critical(order: list[int], succs: list[list[int]], dur: Floats, ef: Floats, end: Floats,
              crit: Floats) -> None:
    # Backward pass; `dur` rows are overwritten with late starts once a task is done.
    tol = 1e-9 * max(1.0, float(end.max()))
    lf = np.empty_like(end)
    for i in reversed(order):
        ss = succs[i]
        if not ss:
            lf[:] = end
        else:
            lf[:] = dur[ss[0]]
            for x in ss[1:]:
                np.minimum(lf, dur[x], out=lf)
        lf -= ef[i]
        crit[i] += np.count_nonzero(lf <= tol)
        lf += ef[i]
        np.subtract(lf, dur[i], out=dur[i])


def quantile_days(sim: Simulation, q: float) -> float:
    """The q-quantile of the finish, in working days."""
    return float(np.quantile(sim.finish, q))
