"""The plan's confidence range: a seeded Monte Carlo over the levelled network (CONTRACT §2)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from syncsvc.calendar import WorkCalendar
from syncsvc.model import Confidence, Level
from syncsvc.planning.drafts import TaskDraft
from syncsvc.planning.levelling import LevelledPlan

SAMPLES = 5000
SEED = 1
# Without `estimate_range`: (optimistic, pessimistic) as multiples of the estimate, by risk.
RISK_RANGE: dict[Level, tuple[float, float]] = {"low": (0.9, 1.25), "medium": (0.8, 1.5), "high": (0.75, 2.0)}


def three_point(estimate: int, risk: Level, given: tuple[int, int] | None) -> tuple[float, float, float]:
    """(optimistic, most likely, pessimistic) working days of one task."""
    if given is not None:
        return float(given[0]), float(estimate), float(given[1])
    lo, hi = RISK_RANGE[risk]
    return estimate * lo, float(estimate), estimate * hi


def plan_confidence(
    drafts: Sequence[TaskDraft],
    lev: LevelledPlan,
    cal: WorkCalendar,
    deadline: dt.date,
    *,
    samples: int = SAMPLES,
    seed: int = SEED,
) -> Confidence:
    """P50/P80/P95 finish, the chance of meeting `deadline` and each task's criticality."""
    from syncsvc.montecarlo import simulate  # numpy: see LAZY_SEAMS in tests/test_architecture.py

    index = {t.id: i for i, t in enumerate(drafts)}
    preds = [[index[d] for d in (*t.depends_on, *lev.waits_for[t.id])] for t in drafts]
    low, mode, high = [], [], []
    for t in drafts:
        a, m, b = three_point(t.estimate_days, t.risk, t.estimate_range)
        stretch = lev.stretch.get(t.id, 1.0)  # a part-time person's work takes longer
        low.append(a * stretch)
        mode.append(m * stretch)
        high.append(b * stretch)
    sim = simulate(preds, low, mode, high, samples=samples, seed=seed)
    return confidence_of(
        sim.finish,
        cal,
        deadline,
        samples=samples,
        seed=seed,
        criticality={t.id: round(float(c), 3) for t, c in zip(drafts, sim.criticality, strict=True) if c},
    )


def confidence_of(
    finish: Sequence[float] | object,
    cal: WorkCalendar,
    deadline: dt.date,
    *,
    samples: int,
    seed: int,
    criticality: dict[str, float] | None = None,
) -> Confidence:
    """Quantile dates of sampled finishes (working days from the calendar's start)."""
    import numpy as np

    f = np.asarray(finish, dtype=np.float64)
    q50, q80, q95 = np.quantile(f, [0.5, 0.8, 0.95])
    limit = cal.index(deadline) + 1  # the deadline's working day ends at this index
    return Confidence(
        p50=finish_date(cal, float(q50)),
        p80=finish_date(cal, float(q80)),
        p95=finish_date(cal, float(q95)),
        deadline_probability=round(float(np.mean(f <= limit + 1e-9)), 3),
        samples=samples,
        seed=seed,
        criticality=criticality or {},
    )


def finish_date(cal: WorkCalendar, days: float) -> dt.date:
    """The working day on which work ending `days` working days after the start finishes."""
    return cal.date(max(0, math.ceil(round(days, 6)) - 1))
