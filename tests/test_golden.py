"""Golden files: the whole Markdown plan of every bundled example, byte for byte.

After an intended change to the plan's content or layout, rewrite them with
`SYNCSVC_UPDATE_GOLDEN=1 pytest tests/test_golden.py` and review the diff like code.
"""

from __future__ import annotations

import os

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from syncsvc.cli import app

GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("command", ["create-rollout-plan", "generate-timeline"])
def test_markdown_matches_the_golden_file(example, command) -> None:
    result = CliRunner().invoke(app, [command, str(example)])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"{example.stem}.{command}.md"
    if os.environ.get("SYNCSVC_UPDATE_GOLDEN") == "1":
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with SYNCSVC_UPDATE_GOLDEN=1"
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_an_example() -> None:
    stems = {p.stem for p in EXAMPLES}
    orphans = [p.name for p in GOLDEN.glob("*.md") if p.name.split(".")[0] not in stems]
    assert orphans == []


def test_the_readme_transcript_is_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "$ syncsvc create-rollout-plan examples/notifications-center.toml\n"
    shown = readme.split(marker, 1)[1].split("\n...\n", 1)[0]
    result = CliRunner().invoke(
        app, ["create-rollout-plan", str(ROOT / "examples" / "notifications-center.toml")]
    )
    assert result.exit_code == 0 and result.stdout.startswith(shown)
