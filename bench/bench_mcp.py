"""Benchmark `syncsvc serve-mcp` through the SDK's stdio client: start-up and per-call latency.

Measures, on the seed's inputs (In-App Notifications Center, team of 5, 6 weeks, medium):
- start-up: process spawn to `initialize` answered, and to the first tool result;
- the first tool call after start-up (the acceptance target: <= 0.3 s);
- per-call latency of each of the five tools on one warm server (median, p95, max).

Run from the repository root:  python bench/bench_mcp.py [--starts 5] [--calls 30]
It prints a Markdown table for BENCHMARKS.md.
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
from pathlib import Path

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[1]
SEED = {"feature_name": "In-App Notifications Center",
        "description": "Replacing email-only alerts with in-app, push and digest notifications "
                       "for 150K users",
        "team_size": 5, "timeline": "6 weeks", "risk_tolerance": "medium"}
TOOLS = ("assess_risks", "map_stakeholders", "generate_timeline", "build_rollback_plan",
         "create_rollout_plan")


def _params() -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "syncsvc", "serve-mcp"],
                                 env={"PYTHONPATH": str(ROOT)}, cwd=ROOT)


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


def _help_seconds(runs: int) -> float:
    best = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "syncsvc", "--help"], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        best.append(time.perf_counter() - t0)
    return statistics.median(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5, help="server start-ups to time")
    parser.add_argument("--calls", type=int, default=30, help="calls per tool on a warm server")
    args = parser.parse_args()

    starts = [anyio.run(_start_once) for _ in range(args.starts)]
    calls = anyio.run(_calls, args.calls)
    init, first, total, cpu = (statistics.median(col) for col in zip(*starts, strict=True))
    first_max = max(s[1] for s in starts)

    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
          f"{args.starts} start-ups, {args.calls} calls per tool.\n")
    print("| measure | median | worst |")
    print("|---|---|---|")
    print(f"| spawn → `initialize` answered | {_ms(init)} | {_ms(max(s[0] for s in starts))} |")
    print(f"| first tool call after start-up (`create_rollout_plan`) | {_ms(first)} | "
          f"{_ms(first_max)} |")
    print(f"| spawn → first tool result | {_ms(total)} | {_ms(max(s[2] for s in starts))} |")
    print(f"| server CPU time for that (user + sys, whole process life) | {_ms(cpu)} | "
          f"{_ms(max(s[3] for s in starts))} |")
    print(f"| `syncsvc --help` (the CLI imports no MCP code) | {_ms(_help_seconds(5))} | |")
    print("\n| tool (warm server) | median | p95 | max |")
    print("|---|---|---|---|")
    for tool, values in calls.items():
        print(f"| `{tool}` | {_ms(statistics.median(values))} | {_ms(_p95(values))} | "
              f"{_ms(max(values))} |")
    verdict = "meets" if first_max <= 0.3 else "MISSES"
    print(f"\nTarget: a tool call answers in <= 0.3 s after start-up: {verdict} "
          f"(worst first call {_ms(first_max)}).")


if __name__ == "__main__":
    main()
