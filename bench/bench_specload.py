"""Time spec loading (read, parse, validate, cross-check) on generated specs, and the catalogs.

Usage (from the repository root): python bench/bench_specload.py [--runs N]
Prints the median of N runs (default 5) of `load_spec` at 5,000 and 20,000 tasks, split into
the TOML parse and the rest, and the time to get the catalogs a second time in a process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_spec import generate  # noqa: E402

TODAY = dt.date(2026, 11, 27)


def _median(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    from syncsvc import specload
    from syncsvc.catalog import load_catalog

    with tempfile.TemporaryDirectory() as tmp:
        for n in (5000, 20000):
            path = Path(tmp) / f"gen-{n}.toml"
            text = generate(n, seed=1)
            path.write_text(text, encoding="utf-8")
            whole = _median(lambda: specload.load_spec(path, today=TODAY), args.runs)
            stdlib = _median(lambda: tomllib.loads(text), args.runs)
            parse = _median(lambda: specload.parse_toml(text, label="x"), args.runs)
            print(
                f"{n:>6} tasks: load_spec {whole * 1000:7.0f} ms | parse_toml {parse * 1000:6.0f} ms"
                f" | stdlib tomllib {stdlib * 1000:6.0f} ms"
            )
    folder = Path(tempfile.mkdtemp())
    first = _median(lambda: load_catalog(folder), 1)
    again = _median(lambda: load_catalog(folder), args.runs)
    print(f"catalog from a user folder: first {first * 1000:.0f} ms, again {again * 1000:.1f} ms")


if __name__ == "__main__":
    main()
