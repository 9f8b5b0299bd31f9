"""Time quick mode with change profiles: whole `syncsvc` processes on the five quick inputs.

Usage (from the repository root): python bench/bench_quick.py [--runs N] [--write]
Target (issue 11): quick mode still plans in <= 0.5 s per command (wall time of a fresh process,
best of N), for features of different kinds; `syncsvc --help` is shown as the start-up floor.
--write replaces the "## Quick mode with change profiles" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sections import write_section  # noqa: E402

SECTION = "## Quick mode with change profiles"
FEATURES = [
    ("Postgres 16 upgrade", "Move our primary Postgres 11 cluster to 16 with a cutover", "4"),
    ("Stripe to Adyen", "Move card payments and subscriptions from Stripe to Adyen", "6"),
    ("Enforce SAML SSO", "Require SAML single sign-on for every enterprise workspace", "3"),
    ("Ticket summaries", "Summarise support tickets for agents with an LLM", "5"),
    ("Office move", "Move the London team to the new office on floor 3", "4"),
]
COMMANDS = ["create-rollout-plan", "generate-timeline", "assess-risks"]


def _wall(args: list[str], runs: int) -> float:
    best = float("inf")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    exe = [sys.executable, "-m", "syncsvc"]
    rows = [f"| `syncsvc --help` (start-up floor) | {_wall([*exe, '--help'], a.runs):.2f} s | |"]
    worst = 0.0
    for name, desc, team in FEATURES:
        for cmd in COMMANDS:
            t = _wall(
                [
                    *exe,
                    cmd,
                    "--feature-name",
                    name,
                    "--description",
                    desc,
                    "--team-size",
                    team,
                    "--timeline",
                    "8 weeks",
                    "--risk-tolerance",
                    "medium",
                ],
                a.runs,
            )
            worst = max(worst, t)
            rows.append(f"| `{cmd}` — {name} | {t:.2f} s | <= 0.5 s |")
    load = os.getloadavg()[0]
    text = "\n".join(
        [
            SECTION,
            "",
            f"`python bench/bench_quick.py --runs {a.runs}`: a fresh `python -m syncsvc` process per "
            "command on the five quick inputs (best of the runs, wall time), after the change "
            f"profiles. Machine: {platform.machine()}, {os.cpu_count()} cores, load average "
            f"{load:.1f} at the end, Python {platform.python_version()}.",
            "",
            "| command | best wall | target |",
            "|---|---|---|",
            *rows,
            "",
            f"Slowest: {worst:.2f} s ({'met' if worst <= 0.5 else 'NOT met'}).",
            "",
        ]
    )
    print(text)
    if a.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
