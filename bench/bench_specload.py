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


def _standard_load(path: Path) -> object:
    """The loader as it was: the standard parser after the dotted-key scan."""
    from syncsvc import specload, tomlmodel
    from syncsvc.errors import SpecError

    text = tomlmodel.read_text_file(path, label="x", limit=specload.MAX_SPEC_BYTES, what="spec")
    tomlmodel._refuse_long_keys(text, "x", SpecError)
    return specload.check_spec(tomllib.loads(text), label="x", today=TODAY, source=text)


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
            # paired: today's loader and the same steps with the standard parser, alternating
            now, before = [], []
            for _ in range(args.runs):
                now.append(_median(lambda p=path: specload.load_spec(p, today=TODAY), 1))
                before.append(_median(lambda p=path: _standard_load(p), 1))
            parse = _median(lambda t=text: specload.parse_toml(t, label="x"), args.runs)
            stdlib = _median(lambda t=text: tomllib.loads(t), args.runs)
            print(
                f"{n:>6} tasks: load_spec {statistics.median(now) * 1000:6.0f} ms (standard parser: "
                f"{statistics.median(before) * 1000:6.0f} ms) | parse {parse * 1000:5.0f} ms "
                f"(standard parser: {stdlib * 1000:5.0f} ms)"
            )
    folder = Path(tempfile.mkdtemp())
    first = _median(lambda: load_catalog(folder), 1)
    again = _median(lambda: load_catalog(folder), args.runs)
    print(f"catalog from a user folder: first {first * 1000:.0f} ms, again {again * 1000:.1f} ms")


if __name__ == "__main__":
    main()
