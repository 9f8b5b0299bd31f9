"""The grid wing's import rules: the neutral grid and the offline files know no remote."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "syncsvc"
# the grid reads the typed status (syncsvc.status), never a Sheets module
ALLOWED_FROM_SHEETS: set[str] = set()


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


NEUTRAL = [*sorted((SRC / "grid").glob("*.py")), SRC / "exporting" / "xlsx.py", SRC / "exporting" / "csvs.py"]


@pytest.mark.parametrize("path", NEUTRAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_grid_and_offline_files_import_no_remote(path: Path) -> None:
    for name in _imports(path):
        top = name.split(".")[0]
        assert top not in ("gspread", "jira", "google", "requests"), (path.name, name)
        assert not name.startswith("syncsvc.jira"), (path.name, name)
        assert not name.startswith("syncsvc.sheets"), (path.name, name)


def test_the_column_registry_depends_on_nothing_of_syncsvc() -> None:
    assert not {n for n in _imports(SRC / "columns.py") if n.startswith("syncsvc")}
