"""Benchmark `syncsvc serve-mcp` through the SDK's stdio client: start-up and per-call latency.

Measures, on the seed's inputs (In-App Notifications Center, team of 5, 6 weeks, medium):
- start-up: process spawn to `initialize` answered, and to the first tool result;
- the first tool call after start-up (the acceptance target: <= 0.3 s);
- per-call latency of each of the five tools on one warm server (median, p95, max).

Run from the repository root:  python bench/bench_mcp.py [--starts 7] [--calls 30] [--write]
It prints the Markdown section for BENCHMARKS.md; --write puts it in place of the old one.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sections import write_section  # noqa: E402

SECTION = "## MCP server"
SEED = {
    "feature_name": "In-App Notifications Center",
    "description": "Replacing email-only alerts with in-app, push and digest notifications for 150K users",
    "team_size": 5,
    "timeline": "6 weeks",
    "risk_tolerance": "medium",
}
TOOLS = (
    "assess_risks",
    "map_stakeholders",
    "generate_timeline",
    "build_rollback_plan",
    "create_rollout_plan",
)


def _params() -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "syncsvc", "serve-mcp"], env={"PYTHONPATH": str(ROOT)}, cwd=ROOT
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _start_once() -> tuple[float, float, float, float]:
    """(spawn → initialized, first call alone, spawn → first result, server CPU), in seconds."""
    cpu = _children_cpu()
    t0 = time.perf_counter()
    async with stdio_client(_params()) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        t1 = time.perf_counter()
        result = await session.call_tool("create_rollout_plan", SEED)
        t2 = time.perf_counter()
        assert not result.is_error, result.content
    return t1 - t0, t2 - t1, t2 - t0, _children_cpu() - cpu  # the server has exited here


async def _calls(n: int) -> dict[str, list[float]]:
    """Latency of `n` calls of each tool (md and json alternating) on one warm server."""
    out: dict[str, list[float]] = {t: [] for t in TOOLS}
    async with stdio_client(_params()) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        for i in range(n):
            for tool in TOOLS:
                started = time.perf_counter()
                result = await session.call_tool(tool, {**SEED, "format": ("md", "json")[i % 2]})
                out[tool].append(time.perf_counter() - started)
                assert not result.is_error, result.content
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms"


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _process_cost(args: list[str], runs: int = 3) -> tuple[float, float]:
    """Median (wall, CPU) seconds of a Python process run to completion."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, t0 = _children_cpu(), time.perf_counter()
        subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        walls.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def report(n_starts: int, n_calls: int) -> str:
    """The BENCHMARKS.md section, measured now."""
    starts = [anyio.run(_start_once) for _ in range(n_starts)]
    calls = anyio.run(_calls, n_calls)
    init, first, total, cpu = (statistics.median(col) for col in zip(*starts, strict=True))
    worst = [max(col) for col in zip(*starts, strict=True)]
    help_wall, help_cpu = _process_cost(["-m", "syncsvc", "--help"])
    _, sdk_cpu = _process_cost(
        ["-c", "from mcp.server.lowlevel import Server; from mcp.server.stdio import stdio_server"]
    )
    _, warm_cpu = _process_cost(["-c", "from syncsvc.mcp_server import _warm_up; _warm_up()"])
    medians = [statistics.median(v) for v in calls.values()]
    lines = [
        SECTION,
        "",
        f"`python bench/bench_mcp.py --starts {n_starts} --calls {n_calls} --write`: `syncsvc "
        "serve-mcp` spawned and driven by the official SDK's stdio client, on the seed's inputs "
        '(In-App Notifications Center, team of 5, "6 weeks", medium). "First tool call after '
        'start-up" is from the `initialize` answer to the `create_rollout_plan` result (the '
        "acceptance target: <= 0.3 s); the warm-server rows alternate `format` md and json. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other jobs (load "
        f"average {os.getloadavg()[0]:.1f} at the end of the run), Python "
        f"{platform.python_version()}, mcp {version('mcp')}.",
        "",
        "| measure | median | worst |",
        "|---|---|---|",
        f"| spawn → `initialize` answered | {_ms(init)} | {_ms(worst[0])} |",
        f"| first tool call after start-up (`create_rollout_plan`) | {_ms(first)} | {_ms(worst[1])} |",
        f"| spawn → first tool result | {_ms(total)} | {_ms(worst[2])} |",
        f"| server CPU time for that (user + sys, whole process life) | {_ms(cpu)} | {_ms(worst[3])} |",
        "",
        "| tool (warm server) | median | p95 | max |",
        "|---|---|---|---|",
        *(
            f"| `{tool}` | {_ms(statistics.median(v))} | {_ms(_p95(v))} | {_ms(max(v))} |"
            for tool, v in calls.items()
        ),
        "",
        f"- Target {'met' if worst[1] <= 0.3 else 'MISSED'}: the first tool call after start-up "
        f"answers in {_ms(first)} (worst {_ms(worst[1])}). Warm calls take {_ms(min(medians))} to "
        f"{_ms(max(medians))} (medians); planning itself is a few ms of that (the server logs "
        "each call's time with `-v`), the rest is JSON-RPC, pydantic (de)serialisation and the "
        "client's output-schema validation.",
        f"- Start-up is mostly the SDK's import: `from mcp.server.lowlevel import Server` alone "
        f"costs {_ms(sdk_cpu)} of CPU, against {_ms(help_cpu)} for `syncsvc --help` "
        f"({_ms(help_wall)} wall) and {_ms(warm_cpu)} for a process that imports the planning "
        "core and builds the warm-up plan serve-mcp builds before serving (so that the first "
        "call is as fast as the rest). The CLI imports `mcp` only inside `serve-mcp`; a test "
        "checks that importing `syncsvc.cli` loads no `mcp` module.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7, help="server start-ups to time")
    parser.add_argument("--calls", type=int, default=30, help="calls per tool on a warm server")
    parser.add_argument("--write", action="store_true", help="replace the section in BENCHMARKS.md")
    args = parser.parse_args()
    text = report(args.starts, args.calls)
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
