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
# Task-samples a plan's Monte Carlo may cost: plans up to 2,000 tasks get SAMPLES, larger ones
# budget // tasks (never fewer than MIN_SAMPLES). A function of the plan's size alone, so the same
# spec still gives the same output (CONTRACT §2 fixes no sample count).
SAMPLE_BUDGET = SAMPLES * 2000
MIN_SAMPLES = 1000
# Without `estimate_range`: (optimistic, pessimistic) as multiples of the estimate, by risk.
RISK_RANGE: dict[Level, tuple[float, float]] = {"low": (0.9, 1.25), "medium": (0.8, 1.5), "high": (0.75, 2.0)}


def three_point(estimate: int, risk: Level, given: tuple[int, int] | None) -> tuple[float, float, float]:
    """(optimistic, most likely, pessimistic) working days of one task."""
    if given is not None:
        return float(given[0]), float(estimate), float(given[1])
    lo, hi = RISK_RANGE[risk]
    return estimate * lo, float(estimate), estimate * hi


def samples_for(tasks: int) -> int:
    """How many samples the Monte Carlo of a plan with `tasks` tasks runs (see SAMPLE_BUDGET)."""
    if tasks * SAMPLES <= SAMPLE_BUDGET:
        return SAMPLES
    return max(MIN_SAMPLES, SAMPLE_BUDGET // tasks)


def standard_error(probability: float, samples: int) -> float:
    """One standard error of a share `probability` estimated from `samples` runs."""
    return math.sqrt(probability * (1 - probability) / samples)


def plan_confidence(
    drafts: Sequence[TaskDraft],
    lev: LevelledPlan,
    cal: WorkCalendar,
    deadline: dt.date,
    *,
    samples: int | None = None,
    seed: int = SEED,
) -> Confidence | None:
    """P50/P80/P95 finish, the chance of meeting `deadline` and each task's criticality;
    `samples` defaults to the plan's budget (`samples_for`)."""
    return _plan_confidence(drafts, lev, cal, deadline, samples=samples, seed=seed)


def _plan_confidence(
    drafts: Sequence[TaskDraft],
    lev: LevelledPlan,
    cal: WorkCalendar,
    deadline: dt.date,
    *,
    samples: int | None,
    seed: int,
) -> Confidence:
    if samples is None:
        samples = samples_for(len(drafts))

    index = {t.id: i for i, t in enumerate(drafts)}
    preds = [[index[d] for d in (*t.depends_on, *lev.waits_for[t.id])] for t in drafts]
    low, mode, high = [], [], []
    for t in drafts:
        a, m, b = three_point(t.estimate_days, t.risk, t.estimate_range)
        stretch = lev.stretch.get(t.id, 1.0)  # a part-time person's work takes longer
        low.append(a * stretch)
        mode.append(m * stretch)
        high.append(b * stretch)
    ids = [t.id for t in drafts]
    return confidence_range(preds, low, mode, high, ids, cal, deadline, samples=samples, seed=seed)


def confidence_range(
    preds: list[list[int]],
    low: list[float],
    mode: list[float],
    high: list[float],
    ids: list[str],
    cal: WorkCalendar,
    deadline: dt.date,
    *,
    samples: int,
    seed: int,
) -> Confidence:
    """The Monte Carlo of tasks `ids` (predecessors by index, three-point ranges in working
    days) and its confidence range: plain data in, plain data out (another process may run it)."""
    from syncsvc.montecarlo import simulate  # numpy: see LAZY_SEAMS in tests/test_architecture.py

    sim = simulate(preds, low, mode, high, samples=samples, seed=seed)
    return confidence_of(
        sim.finish,
        cal,
        deadline,
        samples=samples,
        seed=seed,
        criticality={i: round(float(c), 3) for i, c in zip(ids, sim.criticality, strict=True) if c},
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
