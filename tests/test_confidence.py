"""The Monte Carlo confidence range against analytic answers, and its reproducibility."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import pytest

from syncsvc.calendar import WorkCalendar
from syncsvc.model import Plan
from syncsvc.montecarlo import simulate
from syncsvc.network import Network


def _tri_pdf(x: np.ndarray, a: float, m: float, b: float) -> np.ndarray:
    up = np.where((x >= a) & (x < m), 2 * (x - a) / ((b - a) * (m - a)), 0.0)
    down = np.where((x >= m) & (x <= b), 2 * (b - x) / ((b - a) * (b - m)), 0.0)
    return up + down


def _sum_quantiles(ranges: list[tuple[float, float, float]], qs: list[float]) -> list[float]:
    """Quantiles of a sum of independent triangular durations, by numeric convolution."""
    step = 0.001
    dens = np.array([1.0])
    for a, m, b in ranges:
        grid = np.arange(0, b + step, step)
        dens = np.convolve(dens, _tri_pdf(grid, a, m, b) * step)
    cdf = np.cumsum(dens)
    return [float(np.searchsorted(cdf, q) * step) for q in qs]


def test_one_task_matches_the_triangular_inverse_cdf() -> None:
    sim = simulate([[]], [4.0], [5.0], [9.0], samples=20_000, seed=3)
    # F(m) = 0.2, so both quantiles are on the falling side: b - sqrt((1 - q)(b - a)(b - m))
    for q in (0.5, 0.8, 0.95):
        exact = 9 - math.sqrt((1 - q) * 5 * 4)
        assert abs(float(np.quantile(sim.finish, q)) - exact) < 0.05


def test_a_long_chain_matches_the_convolution_within_a_day() -> None:
    ranges = [(2.0 + i % 3, 4.0 + i % 3, 9.0 + i % 5) for i in range(12)]
    preds = [[i - 1] if i else [] for i in range(12)]
    sim = simulate(preds, *zip(*ranges, strict=True), samples=5000, seed=1)
    for q, exact in zip((0.5, 0.8), _sum_quantiles(ranges, [0.5, 0.8]), strict=True):
        assert abs(math.ceil(float(np.quantile(sim.finish, q))) - math.ceil(exact)) <= 1
    assert np.allclose(sim.criticality, 1.0)  # one chain: every task always critical


def test_the_longer_branch_is_the_more_critical() -> None:
    # two parallel tasks into an end: the one that is longer most of the time is critical more
    sim = simulate([[], [], [0, 1]], [5, 1, 0], [6, 4, 0], [8, 9, 0], samples=5000, seed=1)
    assert sim.criticality[0] > sim.criticality[1] > 0
    assert sim.criticality[0] + sim.criticality[1] == pytest.approx(1.0, abs=0.01)
    assert sim.criticality[2] == 1.0


CHAIN = """
feature_name = "Chain"
description = "One chain of work"
team_size = 1
timeline = "4 weeks"
risk_tolerance = "medium"
start_date = 2027-03-01
[[team]]
name = "Ana"
[[tasks]]
id = "build"
name = "Build"
estimate = "5d"
estimate_range = "4d..9d"
owner = "Ana"
[[tasks]]
id = "test"
name = "Test"
estimate = "3d"
estimate_range = "2d..6d"
owner = "Ana"
depends_on = ["build"]
[[tasks]]
id = "launch"
name = "Launch"
kind = "rollout"
estimate = "1d"
estimate_range = "1d..1d"
depends_on = ["test"]
"""


def test_a_plans_p50_and_p80_match_the_analytic_answer(plan_of: Callable[[str], Plan]) -> None:
    plan = plan_of(CHAIN)
    assert plan.confidence is not None
    cal = WorkCalendar(plan.start_date, plan.holidays)
    p50, p80 = _sum_quantiles([(4, 5, 9), (2, 3, 6)], [0.5, 0.8])
    for got, exact in ((plan.confidence.p50, p50), (plan.confidence.p80, p80)):
        want = cal.date(math.ceil(exact + 1) - 1)  # + the 1-day launch
        assert abs(cal.wd(want, got)) <= 1, (got, want)
    assert plan.confidence.p50 <= plan.confidence.p80 <= plan.confidence.p95
    assert plan.confidence.samples >= 5000
    assert plan.confidence.criticality == {"build": 1.0, "test": 1.0, "launch": 1.0}
    assert 0.0 <= plan.confidence.deadline_probability <= 1.0


def test_same_spec_same_confidence(plan_of: Callable[[str], Plan], example_path) -> None:
    text = example_path.read_text()
    a, b = plan_of(text).confidence, plan_of(text).confidence
    assert a is not None and a == b
    assert a.criticality  # the critical chain's tasks


def test_high_risk_tasks_get_a_wider_range(plan_of: Callable[[str], Plan]) -> None:
    low = plan_of(CHAIN.replace('estimate_range = "4d..9d"\n', 'risk = "low"\n'))
    high = plan_of(CHAIN.replace('estimate_range = "4d..9d"\n', 'risk = "high"\n'))
    assert low.confidence and high.confidence
    assert high.confidence.p95 > low.confidence.p95


def test_deadline_probability_counts_the_samples_by_the_deadline(plan_of: Callable[[str], Plan]) -> None:
    tight = plan_of(CHAIN.replace('timeline = "4 weeks"', 'timeline = "8 days"'))
    loose = plan_of(CHAIN.replace('timeline = "4 weeks"', 'timeline = "30 days"'))
    assert tight.confidence and loose.confidence
    assert loose.confidence.deadline_probability == 1.0
    # 8 working days: build + test + launch within 8 days needs the optimistic side of both
    assert 0.0 < tight.confidence.deadline_probability < 0.5
    assert tight.deadline == dt.date(2027, 3, 10)


def _task_by_task(
    preds: list[list[int]],
    ranges: list[tuple[float, float, float]],
    samples: int,
    seed: int,
    release: list[float],
    floor: list[float],
    chunk: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The plain Monte Carlo the level-by-level one must equal to the bit: the same draws
    (a (tasks x chunk) float32 matrix per chunk), the same float32 inverse CDF, then one task
    at a time in a dependency order, forward then backward, every sample."""
    n = len(preds)
    net = Network.of_preds(preds)
    lo, mo, hi = (np.array([r[k] for r in ranges]).reshape(n, 1) for k in range(3))
    width = hi - lo
    split = np.divide(mo - lo, width, out=np.full_like(width, 0.5), where=width > 0).astype(np.float32)
    a, b = (width * (mo - lo)).astype(np.float32), (width * (hi - mo)).astype(np.float32)
    lo32, hi32 = lo.astype(np.float32), hi.astype(np.float32)
    rng = np.random.default_rng(seed)
    size = max(1, min(samples, chunk // max(1, n)))
    finish, crit = np.empty(samples), np.zeros(n)
    for begin in range(0, samples, size):
        s = min(size, samples - begin)
        u = np.empty((n, s), dtype=np.float32)
        rng.random(out=u, dtype=np.float32)
        dur = np.where(u < split, lo32 + np.sqrt(a * u), hi32 - np.sqrt(b * (np.float32(1) - u)))
        ef = np.zeros((n, s))
        for i in net.order:
            start = np.zeros(s)
            for p in preds[i]:
                start = np.maximum(start, ef[p])
            ef[i] = np.maximum(np.maximum(start, max(release[i], 0.0)) + dur[i], max(floor[i], 0.0))
        end = ef.max(axis=0)
        finish[begin : begin + s] = end
        tol = 1e-9 * max(1.0, float(end.max()))
        ls = np.zeros((n, s))
        for i in reversed(net.order):
            lf = end.copy()
            for x in net.succs[i]:
                lf = np.minimum(lf, ls[x])
            crit[i] += np.count_nonzero(lf - ef[i] <= tol)
            ls[i] = lf - dur[i]
    return finish, crit / samples


@pytest.mark.parametrize("small", [0, 10**9], ids=["level-passes", "small-network-path"])
@pytest.mark.parametrize("seed", range(12))
def test_the_level_by_level_passes_equal_a_task_by_task_pass(seed: int, small: int) -> None:
    # random networks (levels of one task and of many, shared and repeated predecessors,
    # zero-width ranges, releases and floors), several chunks: the same figures to the bit,
    # through the level passes and through the small networks' task-by-task path; the level
    # passes draw a chunk in blocks of 7 rows here (the last one shorter), as a plan of
    # thousands of tasks does in blocks of SAMPLE_ROWS
    rnd = np.random.default_rng(100 + seed)
    n = int(rnd.integers(1, 80))
    preds = [[int(p) for p in rnd.integers(0, i, int(rnd.integers(0, 5)))] if i else [] for i in range(n)]
    perm = rnd.permutation(n)  # listed out of dependency order
    where = {int(old): new for new, old in enumerate(perm)}
    preds = [[where[p] for p in preds[int(old)]] for old in perm]
    ranges = []
    for _ in range(n):
        low = float(rnd.uniform(0, 5))
        mode = low + float(rnd.uniform(0, 3)) * (rnd.random() < 0.8)
        ranges.append((low, mode, mode + float(rnd.uniform(0, 6)) * (rnd.random() < 0.8)))
    release = [float(rnd.choice([0.0, -1.0, rnd.uniform(0, 10)])) for _ in range(n)]
    floor = [float(rnd.choice([0.0, rnd.uniform(0, 25)])) for _ in range(n)]
    samples = int(rnd.choice([1, 333, 3000]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("syncsvc.montecarlo.CHUNK_ELEMENTS", 20_000)  # several chunks, the last shorter
        mp.setattr("syncsvc.montecarlo.SMALL_NETWORK", small)
        mp.setattr("syncsvc.montecarlo.SAMPLE_ROWS", 7)
        sim = simulate(
            preds, *zip(*ranges, strict=True), samples=samples, seed=seed, release=release, floor=floor
        )
        want_finish, want_crit = _task_by_task(preds, ranges, samples, seed, release, floor, 20_000)
    assert np.array_equal(sim.finish, want_finish)
    assert np.array_equal(sim.criticality, want_crit)


@pytest.mark.parametrize("seed", range(40))
def test_the_small_network_path_equals_the_level_passes(seed: int) -> None:
    # one chunk as a plan runs it (5,000 samples), with and without criticality, releases and
    # floors: the task-by-task path of small networks gives the level passes' figures to the bit
    rnd = np.random.default_rng(500 + seed)
    n = int(rnd.integers(1, 130))
    preds = [
        sorted({int(p) for p in rnd.integers(0, i, int(rnd.integers(0, 6)))}) if i else [] for i in range(n)
    ]
    lo = rnd.uniform(0, 4, n) * (rnd.random(n) < 0.9)
    mo = lo + rnd.uniform(0, 3, n) * (rnd.random(n) < 0.8)
    hi = mo + rnd.uniform(0, 8, n) * (rnd.random(n) < 0.8)
    low, mode, high = lo.tolist(), mo.tolist(), hi.tolist()
    release: list[float] | None = None
    floor: list[float] | None = None
    if seed % 3 == 1:
        release, floor = rnd.uniform(-2, 9, n).tolist(), rnd.uniform(-1, 20, n).tolist()
    runs = {}
    for small in (0, 10**9):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("syncsvc.montecarlo.SMALL_NETWORK", small)
            runs[small] = simulate(
                preds,
                low,
                mode,
                high,
                samples=5000,
                seed=seed,
                criticality=seed % 5 != 0,
                release=release,
                floor=floor,
            )
    levels, small_path = runs[0], runs[10**9]
    assert np.array_equal(levels.finish, small_path.finish)
    assert np.array_equal(levels.criticality, small_path.criticality)


def test_the_sample_count_follows_the_plans_size() -> None:
    from syncsvc.planning.confidence import samples_for

    assert [samples_for(n) for n in (1, 2_000)] == [5000, 5000]
    assert [samples_for(n) for n in (2_001, 5_000, 10_000, 20_000)] == [4997, 2000, 1000, 1000]


@pytest.mark.parametrize("timeline", ["8 days", "30 days"])  # some runs meet the deadline; all do
def test_a_plan_above_the_budget_runs_fewer_samples_and_says_so(
    plan_of: Callable[[str], Plan], monkeypatch: pytest.MonkeyPatch, timeline: str
) -> None:
    from syncsvc.planning import confidence
    from syncsvc.rendering.markdown import render_md

    spec = CHAIN.replace('timeline = "4 weeks"', f'timeline = "{timeline}"')
    full = plan_of(spec)
    # a budget of two tasks' worth of full samples: this plan's tasks are over it
    monkeypatch.setattr(confidence, "SAMPLE_BUDGET", 2 * confidence.SAMPLES)
    tasks = len(full.tasks)
    a, b = plan_of(spec), plan_of(spec)
    assert a.confidence is not None and full.confidence is not None
    n = a.confidence.samples
    assert n == max(1000, 2 * 5000 // tasks) < 5000
    # same spec, same output
    assert a.model_dump_json() == b.model_dump_json() and render_md(a) == render_md(b)
    text = render_md(a)
    assert f"| Simulated runs | {n:,} (plans this size get fewer than 5,000)" in text
    assert f"Finish in {n:,} simulated runs" in text
    p = a.confidence.deadline_probability
    if timeline == "8 days":
        assert 0 < p < 1
        assert f"known to ±{math.sqrt(p * (1 - p) / n) * 100:.1f} percentage points" in text
    else:
        assert p == 1.0
        assert f"all of the runs met the deadline; a chance within {300 / n:.1f} percentage points" in text
    assert "Simulated runs" not in render_md(full)
    assert full.confidence.samples == 5000
