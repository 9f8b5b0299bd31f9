"""Time the planner: build_plan in-process, and whole `syncsvc` processes (wall time, peak RSS).

Usage (from the repository root): python bench/bench_plan.py [--runs N] [--write]
--write replaces the "## Planning (foundation)" section of BENCHMARKS.md with the figures.
Targets (issue 2, on a 2-core machine): 5,000 tasks / ~15,000 dependencies planned by
`generate-timeline --format json` in <= 1.5 s and <= 250 MB peak RSS; 20,000 tasks in <= 4.5x
the 5,000-task time; `syncsvc --help` <= 0.30 s; `create-rollout-plan` on the example <= 0.5 s.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_spec import generate  # noqa: E402
from sections import bench_main  # noqa: E402

SECTION = "## Planning (foundation)"
EXAMPLE = ROOT / "examples" / "notifications-center.toml"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # an installed tool has its bytecode compiled; a session that forbids writing it would
    # time the compiler on every start instead of the tool
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_cli(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys) of one `python -m syncsvc ...` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "syncsvc", *args],
        env=_env(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"syncsvc {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def peak_rss_mb() -> float:
    """The largest peak RSS of any child so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def measure(runs: int) -> dict[Any, Any]:
    from syncsvc.catalog import load_catalog
    from syncsvc.planning.build import build_plan
    from syncsvc.specload import load_spec

    res: dict[Any, Any] = {}
    catalog = load_catalog()
    run_cli(["create-rollout-plan", str(EXAMPLE)])  # warm-up: writes the bytecode caches
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out.json")
        for n in (5000, 20000):
            path = Path(tmp) / f"bench-{n}.toml"
            text = generate(n, seed=1)
            path.write_text(text, encoding="utf-8")
            deps = len(re.findall(r'"t\d+"', text[text.index("[[tasks]]") :])) - n
            spec = load_spec(path, today=dt.date(2026, 11, 27))
            load = timed(partial(load_spec, path, today=dt.date(2026, 11, 27)), runs)
            build = timed(partial(build_plan, spec, catalog), runs)
            cli = [
                run_cli(["generate-timeline", str(path), "--format", "json", "--output", out])
                for _ in range(runs)
            ]
            res[n] = {
                "deps": deps,
                "bytes": len(text.encode()),
                "load": load,
                "build": build,
                "cli_wall": [w for w, _ in cli],
                "cli_cpu": [c for _, c in cli],
                "rss": peak_rss_mb(),
            }  # 5k runs first: the max so far is theirs
    res["help"] = [run_cli(["--help"]) for _ in range(max(7, runs))]
    res["example"] = [
        run_cli(["create-rollout-plan", str(EXAMPLE), "--format", "md"]) for _ in range(max(5, runs))
    ]
    return res


def _ms(xs: list[float]) -> str:
    return f"{min(xs):.2f} s / {statistics.median(xs):.2f} s"


def report(res: dict[Any, Any], runs: int) -> str:
    r5, r20 = res[5000], res[20000]
    help_w = [w for w, _ in res["help"]]
    help_c = [c for _, c in res["help"]]
    ex_w = [w for w, _ in res["example"]]
    ex_c = [c for _, c in res["example"]]
    ratio = min(r20["cli_wall"]) / min(r5["cli_wall"])
    ratio_build = min(r20["build"]) / min(r5["build"])
    load = os.getloadavg()

    def ok(good: bool) -> str:
        return "met" if good else "**missed**"

    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} with `python bench/bench_plan.py --runs {runs}` on a "
        f"2-core machine shared with other jobs (load average {load[0]:.1f} at the end of the "
        f"run), Python {platform.python_version()}. Times are best / median of {runs} runs "
        "(at least 5 for the small commands); the best run is the one least disturbed by the "
        "other jobs on the machine, the CPU time (user + sys) of the process is shown beside it. "
        "Specs come from `bench/gen_spec.py` (a random layered DAG, seed 1, about 3 "
        "dependencies per task, 5 holidays). Processes run `python -m syncsvc` with bytecode "
        "caches written (as after `pip install`), after one warm-up run.",
        "",
        "| measure | 5,000 tasks | 20,000 tasks | target | |",
        "|---|---|---|---|---|",
        f"| dependencies | {r5['deps']:,} | {r20['deps']:,} | ~3 per task | |",
        f"| spec file | {r5['bytes'] / 1e6:.1f} MB | {r20['bytes'] / 1e6:.1f} MB | <= 8 MB | |",
        f"| `load_spec` (TOML + checks) | {_ms(r5['load'])} | {_ms(r20['load'])} | | |",
        f"| `build_plan` (whole plan) | {_ms(r5['build'])} | {_ms(r20['build'])} | | |",
        f"| `syncsvc generate-timeline --format json` wall | {_ms(r5['cli_wall'])} | "
        f"{_ms(r20['cli_wall'])} | 5k <= 1.5 s | {ok(min(r5['cli_wall']) <= 1.5)} |",
        f"| same, CPU time (best) | {min(r5['cli_cpu']):.2f} s | {min(r20['cli_cpu']):.2f} s | | |",
        f"| same, peak RSS | {r5['rss']:.0f} MB | {r20['rss']:.0f} MB | 5k <= 250 MB | "
        f"{ok(r5['rss'] <= 250)} |",
        f"| 20k / 5k (whole process, best) | | {ratio:.2f}x | <= 4.5x | {ok(ratio <= 4.5)} |",
        f"| 20k / 5k (`build_plan`, best) | | {ratio_build:.2f}x | linear | |",
        "",
        "| command | wall best / median | CPU best | target | |",
        "|---|---|---|---|---|",
        f"| `syncsvc --help` (cold start) | {_ms(help_w)} | {min(help_c):.2f} s | <= 0.30 s | "
        f"{ok(statistics.median(help_w) <= 0.30)} |",
        f"| `syncsvc create-rollout-plan examples/notifications-center.toml` | {_ms(ex_w)} | "
        f"{min(ex_c):.2f} s | <= 0.5 s | {ok(statistics.median(ex_w) <= 0.5)} |",
        "",
        "What made the difference (issue 2): the JSON is written by `pydantic_core.to_json` "
        "(the same text as `json.dumps(indent=2)`, about 5x faster), a single-tool command dumps "
        "only its own part of the plan, and the planning commands switch the cyclic garbage "
        "collector off while they build one plan (many objects, few cycles: it cost about 30%). "
        "What is left, in the rows above: reading the spec (`load_spec`: mostly the standard "
        "library's pure-Python TOML parser, then the pydantic checks and the cycle search), "
        "building the plan (stakeholders and RACI, the schedule with its buffer rounds, risks), "
        "writing the JSON, and the interpreter start and imports (the `--help` row).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    bench_main(SECTION, __doc__ or "", measure, report, argv)


if __name__ == "__main__":
    main()
