"""Replace one `## ` section of BENCHMARKS.md, leaving the other benchmarks' sections as they are."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def write_section(heading: str, text: str, path: Path = BENCHMARKS) -> None:
    """Put `text` (which starts with `heading`) in place of that section, or append it."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        nxt = old.find("\n## ", start + len(heading))
        new = old[:start] + text.rstrip("\n") + "\n" + ("" if nxt < 0 else old[nxt:])
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def bench_main(
    section: str,
    doc: str,
    measure: Callable[[int], Any],
    report: Callable[[Any, int], str],
    argv: list[str] | None = None,
) -> None:
    """The command line every benchmark shares: --runs N, --write (its own section)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args(argv)
    text = report(measure(args.runs), args.runs)
    print(text)
    if args.write:
        write_section(section, text)
