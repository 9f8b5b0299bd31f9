"""Issue 17's speed targets as ratios, in one paired run: every pair's two processes interleaved.

Usage (from the repository root): python bench/bench_speed.py [--runs N] [--quick] [--write]
--quick: a fast smoke run (1,000 and 2,000 tasks, 3 runs, 30 MCP calls); --write puts the
figures in the "## Speed (issue 17)" section of BENCHMARKS.md (not with --quick).

Pairs (whole processes unless said otherwise; median over the runs, the two sides alternating,
which one goes first swapped every run):
- `syncsvc generate-timeline --format json` vs a fresh Python process that only reads the same
  TOML (tomllib) and runs networkx's `topological_sort` and `dag_longest_path` (target <= 1.0x);
- `syncsvc export` (the whole bundle, as the CLI writes it) vs `generate-timeline` (<= 2x), and the
  export's peak RSS at the larger size (<= 200 MB);
- `syncsvc create-rollout-plan examples/notifications-center.toml` vs `syncsvc --help` (<= 2.5x);
- the MCP server's warm `create_rollout_plan` on the quick inputs, in-process, the tool function
  the server's call handler runs, median after a warm-up (<= 8 ms); and the same with a
  different feature each call (the evaluation sets' features: no call repeats the one before).
Specs come from `bench/gen_spec.py` (seed 1, 3 dependencies per task, 5 holidays, 20% high-risk
tasks, 6 people owning tasks: the timelines are levelled); the export's plan also runs the Monte
Carlo (its JSON has the `confidence`), and one more pair times `create-rollout-plan --format json`
(levelling + Monte Carlo) against the networkx process at the smaller size, for the record. No
figure here is a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_spec import generate  # noqa: E402
from sections import write_section  # noqa: E402

SECTION = "## Speed (issue 17)"
EXAMPLE = ROOT / "examples" / "notifications-center.toml"
RISKS_20_PCT_HIGH = ("low", "medium", "medium", "medium", "high")
QUICK = {
    "feature_name": "In-App Notifications Center",
    "description": "Replacing email-only alerts with in-app, push and digest notifications for 150K users",
    "team_size": 5,
    "timeline": "6 weeks",
    "risk_tolerance": "medium",
}
# The peer: read the TOML, build the dependency network, topological order and longest path
# (weights: the estimates in days). No dates, no floats, no buffers.
NETWORKX = """
import sys, tomllib
import networkx as nx
with open(sys.argv[1], "rb") as f:
    spec = tomllib.load(f)
g = nx.DiGraph()
for t in spec["tasks"]:
    g.add_node(t["id"])
for t in spec["tasks"]:
    w = int(t["estimate"].rstrip("d"))
    for d in t.get("depends_on", []):
        g.add_edge(d, t["id"], weight=w)
order = list(nx.topological_sort(g))
path = nx.dag_longest_path(g, weight="weight")
print(len(order), len(path))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed tool has its bytecode compiled
    return env


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float


def run_process(argv: list[str]) -> Run:
    """One whole process: wall seconds, CPU seconds (user + sys) and peak RSS of that process alone."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def syncsvc(*args: str) -> list[str]:
    return [sys.executable, "-m", "syncsvc", *args]


@dataclass
class Pair:
    """Two commands timed alternately; the ratio is median(a) / median(b)."""

    label: str
    a_label: str
    b_label: str
    a: list[str]
    b: list[str]
    target: float | None
    a_runs: list[Run] = field(default_factory=list)
    b_runs: list[Run] = field(default_factory=list)

    def measure(self, runs: int) -> None:
        run_process(self.a)  # warm-up: the page cache and the bytecode caches
        run_process(self.b)
        for i in range(runs):
            if i % 2 == 0:
                self.a_runs.append(run_process(self.a))
                self.b_runs.append(run_process(self.b))
            else:
                self.b_runs.append(run_process(self.b))
                self.a_runs.append(run_process(self.a))

    def median(self, side: str, what: str) -> float:
        runs = self.a_runs if side == "a" else self.b_runs
        return statistics.median(getattr(r, what) for r in runs)

    def ratio(self, what: str = "wall") -> float:
        return self.median("a", what) / self.median("b", what)

    def spread(self) -> tuple[float, float]:
        """The lowest and highest ratio of one run's two processes (how noisy the pair was)."""
        rs = [a.wall / b.wall for a, b in zip(self.a_runs, self.b_runs, strict=True)]
        return min(rs), max(rs)


def mcp_warm(calls: int) -> dict[str, list[float]]:
    """Seconds per warm `create_rollout_plan` call, the server's side only: the tool function
    the MCP call handler runs (spec from the inputs, plan, Markdown, JSON). "quick": the quick
    inputs every call; "varied": each call another feature (name, description, team, timeline
    and tolerance of the evaluation sets in tests/eval/), so nothing can be answered from a
    previous call."""
    import inspect

    from syncsvc.catalog import load_catalog

    plan_tool = _plan_tool()
    today = dt.date.today()
    # the server is built with its catalog (read once) and hands it to every call
    extra = {"catalog": load_catalog()} if "catalog" in inspect.signature(plan_tool).parameters else {}
    for _ in range(20):  # warm-up, as serve-mcp plans once before it serves
        plan_tool("create_rollout_plan", dict(QUICK), today=today, **extra)
    out: dict[str, list[float]] = {"quick": [], "varied": []}
    for _ in range(calls):
        t = time.perf_counter()
        plan_tool("create_rollout_plan", dict(QUICK), today=today, **extra)
        out["quick"].append(time.perf_counter() - t)
    features = eval_features()
    for i in range(calls):
        args = features[i % len(features)]
        t = time.perf_counter()
        plan_tool("create_rollout_plan", dict(args), today=today, **extra)
        out["varied"].append(time.perf_counter() - t)
    return out


def eval_features() -> list[dict[str, Any]]:
    """The quick inputs of every feature of the evaluation sets (tests/eval/*.toml), in order."""
    import tomllib

    keys = ("feature_name", "description", "team_size", "timeline", "risk_tolerance")
    out = []
    for path in sorted((ROOT / "tests" / "eval").glob("*.toml")):
        with path.open("rb") as f:
            out += [{k: feat[k] for k in keys} for feat in tomllib.load(f).get("feature", [])]
    return out


def _plan_tool() -> Callable[..., Any]:
    import importlib

    for name in ("syncsvc.mcp.tools", "syncsvc.mcptools", "syncsvc.cli.mcp_server", "syncsvc.mcp_server"):
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(mod, "plan_tool"):
            return mod.plan_tool
    raise SystemExit("bench_speed: cannot find the MCP server's plan_tool")


def measure(runs: int, sizes: tuple[int, ...], calls: int, tmp: Path) -> dict[str, Any]:
    res: dict[str, Any] = {"pairs": [], "sizes": sizes}
    nx_script = tmp / "networkx_peer.py"
    nx_script.write_text(NETWORKX, encoding="utf-8")
    pairs: list[Pair] = []
    for n in sizes:
        spec = tmp / f"bench-{n}.toml"
        spec.write_text(generate(n, seed=1, risks=RISKS_20_PCT_HIGH), encoding="utf-8")
        out_json = str(tmp / f"timeline-{n}.json")
        timeline = syncsvc("generate-timeline", str(spec), "--format", "json", "--output", out_json)
        peer = [sys.executable, str(nx_script), str(spec)]
        pairs.append(
            Pair(f"timeline-{n}", "generate-timeline --format json", "networkx peer", timeline, peer, 1.0)
        )
        pairs.append(
            Pair(
                f"export-{n}",
                "export (whole bundle)",
                "generate-timeline --format json",
                syncsvc("export", str(spec), "--out", str(tmp / f"bundle-{n}")),
                timeline,
                2.0,
            )
        )
        if n != min(sizes):  # the record pair at the smaller size only (the larger takes minutes)
            continue
        pairs.append(
            Pair(
                f"full-{n}",
                "create-rollout-plan --format json (levelling + Monte Carlo)",
                "networkx peer",
                syncsvc("create-rollout-plan", str(spec), "--format", "json", "--output", out_json),
                peer,
                None,
            )
        )
    pairs.append(
        Pair(
            "example",
            "create-rollout-plan examples/notifications-center.toml",
            "--help",
            syncsvc("create-rollout-plan", str(EXAMPLE)),
            syncsvc("--help"),
            2.5,
        )
    )
    for p in pairs:
        print(f"... {p.label}", file=sys.stderr, flush=True)
        p.measure(runs if not p.label.startswith("example") else max(runs, 7))
    res["pairs"] = pairs
    print("... MCP warm calls", file=sys.stderr, flush=True)
    res["mcp"] = mcp_warm(calls)
    return res


def report(res: dict[str, Any], runs: int, quick: bool) -> str:
    load = os.getloadavg()
    pairs: list[Pair] = res["pairs"]
    big = max(res["sizes"])

    def ok(good: bool) -> str:
        return "met" if good else "**missed**"

    rows = []
    for p in pairs:
        lo, hi = p.spread()
        target = f"<= {p.target:g}x" if p.target is not None else "(record)"
        verdict = ok(p.ratio() <= p.target) if p.target is not None else ""
        rows.append(
            f"| {p.a_label} / {p.b_label} ({p.label.split('-')[-1] if '-' in p.label else 'example'}) | "
            f"{p.median('a', 'wall'):.2f} s / {p.median('b', 'wall'):.2f} s | **{p.ratio():.2f}x** "
            f"({lo:.2f}-{hi:.2f}) | {p.ratio('cpu'):.2f}x | {target} | {verdict} |"
        )
    export_big = next(p for p in pairs if p.label == f"export-{big}")
    rss = max(r.rss_mb for r in export_big.a_runs)
    timeline_rss = max(r.rss_mb for r in next(p for p in pairs if p.label == f"timeline-{big}").a_runs)
    mcp = res["mcp"]["quick"]
    mcp_ms = statistics.median(mcp) * 1e3
    mcp_p95 = sorted(mcp)[int(len(mcp) * 0.95) - 1] * 1e3
    varied = res["mcp"]["varied"]
    varied_ms = statistics.median(varied) * 1e3
    varied_p95 = sorted(varied)[int(len(varied) * 0.95) - 1] * 1e3
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} with `python bench/bench_speed.py --runs {runs}"
        f"{' --quick' if quick else ''}` on a 2-core machine shared with other engineers' jobs "
        f"(load average {load[0]:.1f} at the end), Python {platform.python_version()}. Each row is "
        "one pair of whole processes run alternately (which goes first swapped every run, after "
        "one warm-up run of each); the ratio is the median wall time of the first over the "
        "median of the second, with the lowest and highest single-run ratio in brackets (how "
        "noisy the machine was) and the same ratio of CPU time (user + sys). Specs: "
        "`bench/gen_spec.py` (seed 1, ~3 dependencies per task, 5 holidays, 20% high-risk, "
        "6 people: levelled). The networkx peer reads the same TOML with `tomllib` and runs "
        "`topological_sort` and `dag_longest_path` only.",
        "",
        "| pair (tasks) | medians | wall ratio (range) | CPU ratio | target | |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "| measure | result | target | |",
        "|---|---|---|---|",
        f"| `export` peak RSS, {big:,} tasks | {rss:.0f} MB | <= 200 MB | {ok(rss <= 200)} |",
        f"| `generate-timeline` peak RSS, {big:,} tasks | {timeline_rss:.0f} MB | | |",
        f"| MCP warm `create_rollout_plan`, quick inputs, server side ({len(mcp)} calls after "
        f"warm-up) | median {mcp_ms:.1f} ms, p95 {mcp_p95:.1f} ms | <= 8 ms median | "
        f"{ok(mcp_ms <= 8)} |",
        f"| MCP warm `create_rollout_plan`, a different feature each call (the {len(eval_features())} "
        f"of tests/eval/), server side ({len(varied)} calls) | median {varied_ms:.1f} ms, p95 "
        f"{varied_p95:.1f} ms | (record) | |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (small specs)")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument("--sizes", type=int, nargs="+", help="task counts (default 5000 20000)")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs
    sizes = tuple(args.sizes or ((1000, 2000) if args.quick else (5000, 20000)))
    with tempfile.TemporaryDirectory() as tmp:
        res = measure(runs, sizes, 30 if args.quick else 200, Path(tmp))
    text = report(res, runs, args.quick)
    print(text)
    if args.write and not args.quick:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
