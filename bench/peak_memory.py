"""The whole memory footprint of a command: the peak of the summed proportional set size (PSS)
of the process and all its descendants, sampled every 20 ms from /proc (Linux only).

Usage: python bench/peak_memory.py syncsvc export SPEC --out DIR
Prints wall seconds, the peak summed PSS, the peak summed RSS and the largest single process's
RSS. A process's own peak RSS (what `wait4` reports) misses memory held by its children; PSS
counts pages shared between processes once, split among them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def _tree(pid: int) -> list[int]:
    """The process and its descendants (those alive at this moment)."""
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                for child in f.read().split():
                    out += _tree(int(child))
    except OSError:  # gone meanwhile
        pass
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB; (0, 0) when it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    start = time.perf_counter()
    proc = subprocess.Popen(argv)
    peak_pss = peak_rss = peak_one = 0
    while proc.poll() is None:
        sizes = [_memory(p) for p in _tree(proc.pid)]
        peak_pss = max(peak_pss, sum(p for p, _ in sizes))
        peak_rss = max(peak_rss, sum(r for _, r in sizes))
        peak_one = max([peak_one, *(r for _, r in sizes)])
        time.sleep(0.02)
    print(
        f"wall {time.perf_counter() - start:.2f} s, peak summed PSS {peak_pss / 1024:.0f} MB, "
        f"summed RSS {peak_rss / 1024:.0f} MB, largest process RSS {peak_one / 1024:.0f} MB "
        f"(exit {proc.returncode})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
