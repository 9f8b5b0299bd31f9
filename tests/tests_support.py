"""Small helpers for tests (not fixtures): writing spec files."""

from __future__ import annotations

from pathlib import Path


def write(folder: Path, name: str, text: str | bytes) -> Path:
    p = folder / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p
