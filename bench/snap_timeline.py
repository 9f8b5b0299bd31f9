"""Snapshot `generate-timeline --format json` of the generated 5k and 20k specs, and check later
output against the snapshot byte for byte (a scheduler change must not move one character).

Usage (from the repository root):
  python bench/snap_timeline.py write DIR    # the specs and today's JSON output into DIR
  python bench/snap_timeline.py check DIR    # run again; diff against DIR; exit 1 on a change
  python bench/snap_timeline.py time DIR [--runs N]   # median whole-process seconds per size
The specs come from bench/gen_spec.py (about 3 dependencies per task, holidays, a quarter of
the tasks high-risk), seed 1.
"""

from __future__ import annotations

import argparse
import filecmp
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan import run_cli  # noqa: E402
from gen_spec import generate  # noqa: E402

SIZES = (5000, 20000)


def _spec(folder: Path, n: int) -> Path:
    path = folder / f"bench-{n}.toml"
    if not path.exists():
        path.write_text(generate(n, seed=1), encoding="utf-8")
    return path


def _run(folder: Path, n: int, out: Path) -> None:
    run_cli(["generate-timeline", str(_spec(folder, n)), "--format", "json", "--output", str(out)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["write", "check", "time"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    changed = 0
    for n in args.sizes:
        want = args.folder / f"timeline-{n}.json"
        if args.action == "write":
            _run(args.folder, n, want)
            print(f"{n}: wrote {want.name} ({want.stat().st_size} bytes)")
        elif args.action == "check":
            got = args.folder / f"timeline-{n}.new.json"
            _run(args.folder, n, got)
            same = filecmp.cmp(want, got, shallow=False)
            changed += not same
            print(f"{n}: {'identical' if same else 'DIFFERENT'} ({got.stat().st_size} bytes)")
        else:
            out = args.folder / f"timeline-{n}.time.json"
            walls = [
                run_cli(
                    [
                        "generate-timeline",
                        str(_spec(args.folder, n)),
                        "--format",
                        "json",
                        "--output",
                        str(out),
                    ]
                )[0]
                for _ in range(args.runs)
            ]
            print(
                f"{n}: median {statistics.median(walls):.2f} s, min {min(walls):.2f} s over {args.runs} runs"
            )
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
