"""Packaging: commands documented, config and mappings load, every package ships in the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import typer
from conftest import PLANNING_COMMANDS, ROOT
from typer.testing import CliRunner

from syncsvc.catalog import load_catalog
from syncsvc.cli import app
from syncsvc.config import load_config

COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
MAPPINGS = sorted((ROOT / "mappings").glob("*.toml"))


def test_the_planning_commands_are_registered() -> None:
    assert set(PLANNING_COMMANDS) <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_and_is_named_in_the_readme(name: str, runner: CliRunner) -> None:
    cmd = COMMANDS[name]
    text = (cmd.help or "").strip()
    assert text, f"{name} has no help text"
    assert text.splitlines()[-1].strip().startswith(f"Example: syncsvc {name}"), (
        f"{name}: the help should end with an example line"
    )
    for param in cmd.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), f"{name} {param.opts[0]} has no help"
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert " ".join(text.splitlines()[0].split()) in " ".join(result.stdout.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"syncsvc {name}" in readme, f"README.md does not name `syncsvc {name}`"


def test_top_level_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout


def test_config_example_exists_and_loads() -> None:
    path = ROOT / "config.example.toml"
    assert path.is_file(), "config.example.toml documents every config key (CONTRACT §5)"
    cfg = load_config(path)
    assert cfg.jira is not None and cfg.sheets is not None


def test_every_config_key_is_documented_in_the_example() -> None:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for table, keys in {
        "jira": ["url", "email", "token_env", "project", "issue_type", "epic_issue_type", "timezone"],
        "sheets": ["spreadsheet_id", "credentials_file", "prefix"],
        "state": ["path"],
    }.items():
        assert table in data, table
        for key in keys:
            assert key in data[table], f"[{table}] {key}"


def test_there_are_mapping_files() -> None:
    names = {p.name for p in MAPPINGS}
    assert {"phases.toml", "tasks.toml", "risks.toml", "stakeholders.toml", "rollback.toml"} <= names


@pytest.mark.parametrize("path", MAPPINGS, ids=[p.name for p in MAPPINGS])
def test_every_mapping_file_is_valid_toml(path: Path) -> None:
    assert tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_bundled_catalogs_load() -> None:
    catalog = load_catalog()
    for tolerance in ("low", "medium", "high"):
        assert catalog.phases.ladder(tolerance).phases
    assert catalog.tasks.tasks and catalog.risks


def test_the_other_mappings_load() -> None:
    """Each mapping file beyond the catalogs has a loader; every one of them must accept it."""
    import importlib

    loaders = {
        "jira.toml": ("syncsvc.jira.mapping", "load_jira_mapping"),
        "sheets.toml": ("syncsvc.grid.mapping", "load_mapping"),
        "status.toml": ("syncsvc.jira.statusmap", "load_status_mapping"),
    }
    for p in MAPPINGS:
        if p.name in loaders:
            module, fn = loaders[p.name]
            assert getattr(importlib.import_module(module), fn)() is not None, p.name


def _packages_on_disk() -> set[str]:
    out = set()
    for d in [ROOT / "syncsvc", *(ROOT / "syncsvc").rglob("*")]:
        if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py")):
            out.add(".".join(d.relative_to(ROOT).parts))
    return out


def test_every_package_ships_in_the_wheel() -> None:
    """setup.py's discovery (find_packages) must find every folder of modules under syncsvc/."""
    from setuptools import find_packages

    found = set(find_packages(where=str(ROOT), include=["syncsvc", "syncsvc.*"]))
    missing = _packages_on_disk() - found
    assert not missing, f"a plain pip install would lack {sorted(missing)}"
    setup_py = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert 'find_packages(include=["syncsvc", "syncsvc.*"])' in setup_py
    # the catalogs ship inside the wheel as syncsvc.mappings, with their TOML files
    assert '"syncsvc.mappings": "mappings"' in setup_py
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "*.toml" in pyproject["tool"]["setuptools"]["package-data"]["syncsvc.mappings"]
    assert pyproject["project"]["scripts"]["syncsvc"] == "syncsvc.cli:app"  # CONTRACT §3


def test_every_package_dir_has_an_init() -> None:
    """Namespace packages are easy to lose in a wheel: every package has its __init__.py."""
    for name in _packages_on_disk():
        folder = ROOT.joinpath(*name.split("."))
        assert (folder / "__init__.py").is_file(), f"{name} has no __init__.py"


NEW_SPEC_KEYS = ("change_types", "estimate_range", "allocation", "holidays_country")


def test_the_spec_reference_documents_every_key_with_an_example() -> None:
    """docs/spec.md names every key of the spec models (and the keys CONTRACT §1 adds while
    they are being built), each in a table row or an example line of its own."""
    from pydantic import BaseModel

    from syncsvc.spec import Spec

    doc = (ROOT / "docs" / "spec.md").read_text()
    keys: set[str] = set(NEW_SPEC_KEYS)
    todo: list[type[BaseModel]] = [Spec]
    while todo:
        model = todo.pop()
        for name, field in model.model_fields.items():
            keys.add(name)
            for arg in _models_in(field.annotation):
                todo.append(arg)
    missing = sorted(
        k for k in keys if not any(form in doc for form in (f"`{k}`", f"\n{k} = ", f"`[[{k}]]`", f"`[{k}]`"))
    )
    assert not missing, missing
    readme = (ROOT / "README.md").read_text()
    assert "docs/spec.md" in readme and "docs/spec.md" in (ROOT / "config.example.toml").read_text()


def _models_in(annotation: object) -> list[type]:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in get_args(annotation) for m in _models_in(a)]


def test_the_license_is_an_spdx_expression() -> None:
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["license"] == "MIT"  # a table is deprecated by setuptools (2027)
    assert any(r.startswith("setuptools>=77") for r in meta["build-system"]["requires"])


def test_the_spec_reference_examples_load(tmp_path: Path) -> None:
    """Every example line of docs/spec.md, put together into one spec, is accepted (the
    references between the fragments, which name tasks of a bigger plan, taken out)."""
    import datetime as dt
    import re

    from syncsvc.specload import load_spec

    doc = (ROOT / "docs" / "spec.md").read_text()
    rows = re.findall(r"^\| `[a-z_]+` \| [^|]+ \| `([^`]+ = [^`]+)` \|", doc, re.M)
    blocks = re.findall(r"```toml\n(.*?)```", doc, re.S)
    text = "\n".join([*rows, *blocks])
    text = re.sub(r'depends_on = \["design-review"\]', "depends_on = []", text)
    text = text.replace(', before = "integration"', "")
    spec = tmp_path / "all.toml"
    spec.write_text(text)
    parsed = load_spec(spec, today=dt.date(2026, 11, 27))
    assert parsed.tasks and parsed.risks and parsed.rollback and parsed.team
    assert len(rows) >= 15
