"""Generate a large, valid spec: a random layered DAG of N tasks with about 3N dependencies.

Usage: python bench/gen_spec.py N [--seed S] [--deps-per-task K] > big.toml
The same N and seed always give the same file.
"""

from __future__ import annotations

import argparse
import math
import random
import sys

TEAM = [
    ("Ana", "Product Manager"),
    ("Mike", "Backend Lead"),
    ("Sam", "Frontend Engineer"),
    ("Lee", "QA Engineer"),
    ("Priya", "Design Lead"),
    ("Jo", "SRE"),
]
PHASES = ["design", "build", "verify"]
RISKS = ("low", "medium", "medium", "high")  # a quarter of the tasks high-risk


def generate(n: int, *, seed: int = 1, deps_per_task: int = 3, risks: tuple[str, ...] = RISKS) -> str:
    """The TOML text of a spec with `n` tasks in layers; each task after the first layer
    depends on up to `deps_per_task` distinct tasks of the previous three layers; each task's
    risk is drawn from `risks` (repeat a level to make it likelier)."""
    rng = random.Random(seed)
    width = max(1, round(math.sqrt(n) * 2))
    lines = [
        f'feature_name = "Benchmark launch with {n} tasks"',
        'description = "A generated spec for timing the planner"',
        "team_size = 6",
        'timeline = "52 weeks"',
        'risk_tolerance = "medium"',
        f'plan_id = "bench-{n}"',
        "start_date = 2027-01-04",
        "holidays = [2027-01-18, 2027-02-15, 2027-05-31, 2027-07-05, 2027-09-06]",
        "",
    ]
    for name, role in TEAM:
        lines += ["[[team]]", f'name = "{name}"', f'role = "{role}"', ""]
    layers: list[list[int]] = []
    for i in range(n):
        if i % width == 0:
            layers.append([])
        layer = len(layers) - 1
        pool = [t for lay in layers[max(0, layer - 3) : layer] for t in lay]
        deps = sorted(rng.sample(pool, min(deps_per_task, len(pool)))) if pool else []
        layers[-1].append(i)
        lines += [
            "[[tasks]]",
            f'id = "t{i}"',
            f'name = "Task {i}"',
            f'phase = "{PHASES[min(2, layer * 3 // max(1, math.ceil(n / width)))]}"',
            f'estimate = "{rng.randint(1, 8)}d"',
            f'owner = "{TEAM[rng.randrange(len(TEAM))][0]}"',
            "depends_on = [" + ", ".join(f'"t{d}"' for d in deps) + "]",
            f'risk = "{rng.choice(risks)}"',
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of tasks")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--deps-per-task", type=int, default=3)
    args = parser.parse_args(argv)
    sys.stdout.write(generate(args.n, seed=args.seed, deps_per_task=args.deps_per_task))


if __name__ == "__main__":
    main()
