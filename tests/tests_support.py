"""Small helpers for tests (not fixtures): writing spec files, the quick inputs as CLI options."""

from __future__ import annotations

from pathlib import Path


def write(folder: Path, name: str, text: str | bytes) -> Path:
    p = folder / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def quick_args(
    command: str = "generate-timeline",
    *,
    team_size: str = "2",
    timeline: str = "4 weeks",
    risk_tolerance: str = "low",
    feature_name: str = "X",
    description: str = "Y",
) -> list[str]:
    """A planning command with the five quick inputs as options (no spec file)."""
    return [
        command,
        "--feature-name",
        feature_name,
        "--description",
        description,
        "--team-size",
        team_size,
        "--timeline",
        timeline,
        "--risk-tolerance",
        risk_tolerance,
    ]
