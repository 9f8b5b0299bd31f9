"""Shared fixtures: the example spec, a fixed 'today', spec/plan builders and the CLI runner."""

from __future__ import annotations

import atexit
import datetime as dt
import importlib.util
import os
import shutil
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fakes.sheets import FakeSheets, serve_fake_sheets, sheets_config
from typer.testing import CliRunner

from syncsvc.catalog import load_catalog
from syncsvc.config import Config, load_config
from syncsvc.model import Plan
from syncsvc.planning.build import build_plan
from syncsvc.spec import Spec
from syncsvc.specload import check_spec

# Dates read from Jira default to the machine's time zone ([jira] timezone): pin it, so the
# expected dates do not depend on where the suite runs (subprocesses inherit it too).
os.environ["TZ"] = "UTC"
time.tzset()
# The compiled catalog cache: one directory per test process (each xdist worker), removed at
# its end, never the user's; subprocesses inherit it. Tests of the cache set their own.
os.environ["SYNCSVC_CACHE_DIR"] = tempfile.mkdtemp(prefix="syncsvc-test-cache-")
atexit.register(shutil.rmtree, os.environ["SYNCSVC_CACHE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "notifications-center.toml"
TODAY = dt.date(2026, 11, 27)
# the five planning commands (CLI names), each reading a spec or the quick inputs
PLANNING_COMMANDS = (
    "assess-risks",
    "map-stakeholders",
    "generate-timeline",
    "build-rollback-plan",
    "create-rollout-plan",
)

MINIMAL = """
feature_name = "Dark mode"
description = "A dark theme for the web app"
team_size = 3
timeline = "4 weeks"
risk_tolerance = "medium"
start_date = 2027-03-01
"""


def generated_spec(n: int, **options: int) -> str:
    """The TOML of the benchmarks' generated spec (bench/gen_spec.py: a layered random DAG)."""
    spec = importlib.util.spec_from_file_location("gen_spec", ROOT / "bench" / "gen_spec.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.generate(n, **options))


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def spec_of() -> Callable[..., Spec]:
    """A checked Spec from TOML text (label 't.toml')."""

    def make(text: str, label: str = "t.toml") -> Spec:
        return check_spec(tomllib.loads(text), label=label, today=TODAY, source=text)

    return make


@pytest.fixture
def plan_of(spec_of: Callable[..., Spec]) -> Callable[..., Plan]:
    """The Plan for TOML spec text, built with the bundled catalogs."""

    def make(text: str) -> Plan:
        return build_plan(spec_of(text), load_catalog())

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fake_sheets() -> Iterator[FakeSheets]:
    """The stateful fake of the Sheets API, served for the test."""
    with serve_fake_sheets() as f:
        yield f


@pytest.fixture
def sheets_cfg(tmp_path: Path) -> Config:
    """A config publishing to the fake Sheets (its service-account key written under tmp_path)."""
    return load_config(sheets_config(tmp_path))
