"""Replace one `## ` section of BENCHMARKS.md, leaving the other benchmarks' sections as they are."""

from __future__ import annotations

from pathlib import Path

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
