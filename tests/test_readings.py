"""At a person's terminal, a narrowly read kind of change is asked about; nowhere else."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from syncsvc.cli import app, readings

# a feature read narrowly: a product feature that lives on pages of a website
NARROW = [
    "--feature-name",
    "Live arrival times on stop pages",
    "--description",
    "Each stop page on our journey planner website shows the next trains with live predicted arrival "
    "times instead of the timetable.",
    "--team-size",
    "3",
    "--timeline",
    "6 weeks",
    "--risk-tolerance",
    "medium",
]


def _kinds_line(text: str) -> str | None:
    return next((line for line in text.splitlines() if "change_types = [" in line and "spec:" in line), None)


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in readings._CI_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(readings.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(readings, "interactive", lambda: True)


def test_a_narrow_reading_names_its_candidates(runner: CliRunner) -> None:
    out = runner.invoke(app, ["create-rollout-plan", *NARROW, "--format", "json"])
    data = json.loads(out.stdout)
    kinds = [p["id"] for p in data["change_profiles"]]
    assert kinds[:2] == ["product-feature", "ui-frontend"]
    assert any(f["kind"] == "low_coverage" and f["subjects"][:2] == kinds[:2] for f in data["findings"])


def test_no_question_when_not_at_a_terminal(runner: CliRunner) -> None:
    # CliRunner's stdin and stdout are not a TTY: the command never waits for an answer
    out = runner.invoke(app, ["create-rollout-plan", *NARROW], input="2\n")
    assert out.exit_code == 0, out.output
    assert "not sure what kind of change" not in out.output
    assert _kinds_line(out.output) is None
    assert "**Read narrowly.**" in out.stdout


def test_at_a_terminal_the_pm_chooses_and_gets_the_spec_line(runner: CliRunner, at_a_terminal: None) -> None:
    out = runner.invoke(app, ["create-rollout-plan", *NARROW], input="2\n")
    assert out.exit_code == 0, out.output
    assert "not sure what kind of change" in out.stderr
    assert _kinds_line(out.stderr) is not None
    assert 'change_types = ["ui-frontend", "product-feature"]' in out.stderr
    # the plan was made again with the chosen kind first
    assert "UI or front-end feature (primary; set in the spec)" in out.stdout
    assert "not sure" not in out.stdout


def test_enter_keeps_the_first_reading(runner: CliRunner, at_a_terminal: None) -> None:
    out = runner.invoke(app, ["create-rollout-plan", *NARROW], input="\n")
    assert out.exit_code == 0, out.output
    assert 'change_types = ["product-feature", "ui-frontend"]' in out.stderr
    assert "Product feature (primary;" in out.stdout


@pytest.mark.parametrize(
    "extra",
    [["--format", "json"], ["--change-type", "ui-frontend"]],
    ids=["json output", "kinds set by hand"],
)
def test_no_question_for_json_or_kinds_set_by_hand(
    runner: CliRunner, at_a_terminal: None, extra: list[str]
) -> None:
    out = runner.invoke(app, ["create-rollout-plan", *NARROW, *extra], input="2\n")
    assert out.exit_code == 0, out.output
    assert "not sure what kind of change" not in out.stderr


def test_no_question_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(readings.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(readings.sys.stdout, "isatty", lambda: True, raising=False)
    assert readings.interactive() is False


def test_wrong_answers_keep_the_first_reading() -> None:
    err = io.StringIO()
    answers = iter(["7", "maybe", "0"])
    got = readings.choose(["a", "b"], {"a": "A", "b": "B"}, ask=lambda _: next(answers), err=err)
    assert got == "a"
    assert err.getvalue().count("Answer a number from 1 to 2.") == 3
    assert readings.choose(["a", "b"], {}, ask=lambda _: "b", err=io.StringIO()) == "b"
