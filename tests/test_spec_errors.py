"""The bad-spec corpus through the CLI: exit 2, one exact message line, no traceback, no file."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_support import quick_args, write
from typer.testing import CliRunner

from syncsvc.cli import app
from syncsvc.errors import SpecError
from syncsvc.spec import Spec
from syncsvc.specload import check_spec, load_spec, parse_toml

BASE = """feature_name = "Dark mode"
description = "A dark theme for the web app"
team_size = 3
timeline = "4 weeks"
risk_tolerance = "medium"
start_date = 2027-03-01

[[team]]
name = "Ana"
role = "Backend Lead"

[[team]]
name = "Bo"
role = "Frontend Engineer"

[[tasks]]
id = "design"
name = "Design"
estimate = "3d"
owner = "Ana"

[[tasks]]
id = "build"
name = "Build"
estimate = "2w"
depends_on = ["design"]
owner = "Bo"

[[tasks]]
id = "qa"
name = "QA"
estimate = 2
depends_on = ["build"]
"""

RISK = """
[[risks]]
title = "Contrast bugs"
likelihood = "medium"
impact = "medium"
owner = "Bo"
mitigation = "Audit contrast"
mitigation_task = { id = "audit", name = "Contrast audit", estimate = "1d", before = "%s" }
"""


def sub(old: str, new: str, text: str = BASE) -> str:
    """BASE with one exact piece replaced (the piece must occur once)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


# (case id, file content, the exact first line of stderr); the file is always named s.toml
CASES: list[tuple[str, str | bytes, str]] = [
    (
        "unknown-top-level-key",
        sub("start_date = 2027-03-01\n", 'start_date = 2027-03-01\nowner = "x"\n'),
        "Error: s.toml:7: owner: unknown key (allowed: " + ", ".join(Spec.model_fields) + ")",
    ),
    (
        "unknown-task-key",
        sub('estimate = "2w"\n', 'estimate = "2w"\ndepend_on = ["qa"]\n'),
        "Error: s.toml:26: tasks[1].depend_on: unknown key; did you mean 'depends_on'?",
    ),
    (
        "team-size-string",
        sub("team_size = 3", 'team_size = "5"'),
        "Error: s.toml:3: team_size: must be an integer (got a string '5')",
    ),
    (
        "timeline-bool",
        sub('timeline = "4 weeks"', "timeline = true"),
        'Error: s.toml:4: timeline: must be "N weeks", "N days" or a whole number of weeks, not True',
    ),
    (
        "estimate-float",
        sub('estimate = "3d"', "estimate = 1.5"),
        'Error: s.toml:19: tasks[0].estimate: cannot read estimate 1.5: use "Nd" (working days), '
        '"Nw" (weeks of 5 days) or a whole number of days',
    ),
    (
        "holidays-strings",
        sub("start_date = 2027-03-01\n", 'start_date = 2027-03-01\nholidays = ["x"]\n'),
        "Error: s.toml:7: holidays[0]: must be a date (TOML date, like 2027-01-04) (got a string 'x')",
    ),
    (
        "missing-required-key",
        sub('risk_tolerance = "medium"\n', ""),
        "Error: s.toml: risk_tolerance: missing required key",
    ),
    ("missing-task-name", sub('name = "QA"\n', ""), "Error: s.toml:29: tasks[2].name: missing required key"),
    (
        "duplicate-task-id",
        sub('id = "qa"', 'id = "design"'),
        "Error: s.toml:30: tasks[2].id: duplicate task id 'design' (first used at tasks[0].id)",
    ),
    (
        "duplicate-team-name",
        sub('name = "Bo"', 'name = "Ana"'),
        "Error: s.toml:13: team[1].name: duplicate team member 'Ana' (first at team[0])",
    ),
    # the second line names the other: task 'build' is owned by "Bo", gone now
    (
        "unknown-depends-on",
        sub('depends_on = ["build"]', 'depends_on = ["bulid"]'),
        "Error: s.toml:33: tasks[2].depends_on[0]: task 'qa' depends on unknown task 'bulid'; "
        "did you mean 'build'?",
    ),
    (
        "unknown-owner",
        sub('owner = "Bo"', 'owner = "Boo"'),
        "Error: s.toml:27: tasks[1].owner: task 'build': unknown owner 'Boo' (not a team member or "
        "stakeholder); did you mean 'Bo'?",
    ),
    (
        "cycle",
        sub('owner = "Ana"\n\n[[tasks]]', 'owner = "Ana"\ndepends_on = ["qa"]\n\n[[tasks]]'),
        "Error: s.toml:21: tasks[0].depends_on: dependency cycle: design → build → qa → design",
    ),
    (
        "self-dependency",
        sub('depends_on = ["build"]', 'depends_on = ["qa"]'),
        "Error: s.toml:33: tasks[2].depends_on: dependency cycle: qa → qa",
    ),
    (
        "estimate-words",
        sub('estimate = "3d"', 'estimate = "3 days"'),
        "Error: s.toml:19: tasks[0].estimate: cannot read estimate '3 days': use \"Nd\" (working days), "
        '"Nw" (weeks of 5 days) or a whole number of days',
    ),
    (
        "estimate-zero-non-milestone",
        sub('estimate = "3d"', 'estimate = "0d"'),
        "Error: s.toml:19: tasks[0].estimate: task 'design' has an estimate of 0 days; only a milestone "
        'may (set kind = "milestone")',
    ),
    (
        "estimate-negative",
        sub('estimate = "3d"', "estimate = -1"),
        "Error: s.toml:19: tasks[0].estimate: must not be negative (got -1)",
    ),
    (
        "estimate-decimal-days",
        sub('estimate = "3d"', 'estimate = "1.5d"'),
        "Error: s.toml:19: tasks[0].estimate: cannot read estimate '1.5d': use \"Nd\" (working days), "
        '"Nw" (weeks of 5 days) or a whole number of days',
    ),
    (
        "estimate-missing",
        sub('estimate = "3d"\n', ""),
        'Error: s.toml:16: tasks[0].estimate: task \'design\' needs an estimate ("3d", "2w" or a whole '
        "number of working days)",
    ),
    (
        "timeline-months",
        sub('timeline = "4 weeks"', 'timeline = "6 months"'),
        'Error: s.toml:4: timeline: cannot read timeline \'6 months\': use "N weeks", "N days" or a '
        "whole number of weeks (6 months is about 26 weeks)",
    ),
    (
        "timeline-zero",
        sub('timeline = "4 weeks"', 'timeline = "0 weeks"'),
        "Error: s.toml:4: timeline: must be at least 1 week (got 0)",
    ),
    (
        "bad-plan-id",
        sub("start_date = 2027-03-01\n", 'start_date = 2027-03-01\nplan_id = "Dark Mode!"\n'),
        "Error: s.toml:7: plan_id: must be a slug: lowercase letters, digits and dashes, 1-40 characters, "
        "starting with a letter or digit (got a string 'Dark Mode!')",
    ),
    (
        "bad-risk-tolerance",
        sub('risk_tolerance = "medium"', 'risk_tolerance = "extreme"'),
        "Error: s.toml:5: risk_tolerance: must be one of 'low', 'medium' or 'high' (got a string 'extreme')",
    ),
    (
        "bad-date-string",
        sub("start_date = 2027-03-01", 'start_date = "next monday"'),
        "Error: s.toml:6: start_date: must be a date (TOML date, like 2027-01-04) (got a string "
        "'next monday')",
    ),
    (
        "bad-date-value",
        sub("start_date = 2027-03-01", "start_date = 2027-02-30"),
        "Error: s.toml:6: invalid TOML: Invalid date or datetime (column 14)",
    ),
    (
        "mitigation-before-unknown-task",
        BASE + RISK % "intgration",
        "Error: s.toml:41: risks[0].mitigation_task.before: mitigation task 'audit' comes before unknown "
        "task 'intgration'",
    ),
    (
        "team-size-zero",
        sub("team_size = 3", "team_size = 0"),
        "Error: s.toml:3: team_size: must be >= 1 (got 0)",
    ),
    (
        "stakeholders-not-an-array",
        'stakeholders = "Leadership"\n' + BASE,
        "Error: s.toml:1: stakeholders: must be an array (got a string 'Leadership')",
    ),
    (
        "threshold-string",
        BASE + '[rollback]\ntriggers = [{ metric = "error_rate", operator = ">", '
        'threshold = "2", window_minutes = 15 }]\n',
        "Error: s.toml:35: rollback.triggers[0].threshold: must be a number (got a string '2')",
    ),
    ("empty-file", "", "Error: s.toml: the file is empty"),
    ("whitespace-only-file", "  \n\t\n\n", "Error: s.toml: the file is empty"),
    (
        "binary-file",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "Error: s.toml: this is a binary file, not a TOML spec (NUL byte at offset 8)",
    ),
    (
        "latin-1-file",
        sub('"A dark theme for the web app"', '"Thème sombre"').encode("latin-1"),
        "Error: s.toml:2: the file is not UTF-8 text (byte 0xe8 at offset 44)",
    ),
    (
        "invalid-toml",
        sub("team_size = 3", "team_size = 3 3"),
        "Error: s.toml:3: invalid TOML: Expected newline or end of document after a statement (column 15)",
    ),
    (
        "unclosed-string",
        sub('name = "Design"', 'name = "Design'),
        "Error: s.toml:18: invalid TOML: Illegal character '\\n' (column 15)",
    ),
    (
        "ten-megabytes",
        BASE + "# " + "x" * (10 * 1024 * 1024) + "\n",
        "Error: s.toml: the file is 10.5 MB; a spec file may be at most 8 MB",
    ),
    (
        "text-too-long",
        sub('"A dark theme for the web app"', '"' + "x" * 20_001 + '"'),
        "Error: s.toml:2: description: text is too long (20001 characters; at most 20000)",
    ),
]


def _run(runner: CliRunner, args: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def _assert_message(stderr: str, first_line: str) -> None:
    """The message is one line per problem (each naming the file); at most a hint follows."""
    lines = stderr.splitlines()
    assert lines[0] == first_line
    rest = [line for line in lines[1:] if not line.startswith("  hint: ")]
    assert all(line.startswith("s.toml") for line in rest), stderr
    assert len(lines) - len(rest) <= 2, stderr


@pytest.mark.parametrize(("content", "first_line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_spec_exits_2_with_one_exact_message(
    tmp_path: Path, runner: CliRunner, content: str | bytes, first_line: str
) -> None:
    spec = write(tmp_path, "s.toml", content)
    out = tmp_path / "out.md"
    code, stdout, stderr = _run(runner, ["generate-timeline", str(spec), "--output", str(out)])
    assert code == 2, stderr
    _assert_message(stderr, first_line)
    assert "Traceback" not in stderr and stdout == ""
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]  # no temp file left either


def test_corpus_has_every_kind_once() -> None:
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)) >= 28


def test_the_corpus_base_itself_is_a_good_spec(tmp_path: Path, runner: CliRunner) -> None:
    spec = write(tmp_path, "s.toml", BASE + RISK % "qa")
    code, stdout, stderr = _run(runner, ["generate-timeline", str(spec), "--format", "json"])
    assert code == 0, stderr
    assert '"audit"' in stdout


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["generate-timeline", "{tmp}"], "Error: {name}: is a folder, not a spec file"),
        (["generate-timeline", "{tmp}/nope.toml"], "Error: nope.toml: no such file"),
        (
            ["generate-timeline", "{spec}", "--feature-name", "X"],
            "Error: give either a spec file or the quick inputs, not both (got {spec} and --feature-name)",
        ),
        (
            ["generate-timeline", "--feature-name", "X", "--description", "Y", "--team-size", "3"],
            "Error: no spec file given, and the quick inputs are incomplete: missing --timeline, "
            "--risk-tolerance",
        ),
        (
            quick_args(team_size="0"),
            "Error: quick inputs: team_size: must be >= 1 (got 0)",
        ),
        (
            quick_args(timeline="soon"),
            'Error: quick inputs: timeline: cannot read timeline \'soon\': use "N weeks", "N days" or a '
            "whole number of weeks",
        ),
        (
            quick_args(risk_tolerance="reckless"),
            "Error: quick inputs: risk_tolerance: must be one of 'low', 'medium' or 'high' (got a string "
            "'reckless')",
        ),
    ],
    ids=[
        "folder",
        "missing-file",
        "spec-and-quick",
        "quick-incomplete",
        "quick-team-size-0",
        "quick-bad-timeline",
        "quick-bad-tolerance",
    ],
)
def test_bad_invocation_exits_2(tmp_path: Path, runner: CliRunner, args: list[str], first_line: str) -> None:
    spec = write(tmp_path, "s.toml", BASE)
    fill = {"tmp": str(tmp_path), "name": tmp_path.name, "spec": str(spec)}
    out = tmp_path / "out.md"
    code, stdout, stderr = _run(runner, [a.format(**fill) for a in args] + ["--output", str(out)])
    assert code == 2, stderr
    _assert_message(stderr, first_line.format(**fill))
    assert "Traceback" not in stderr and stdout == ""
    assert not out.exists()


# --- random bad input: never anything but a SpecError naming the file ---------------------

TOML_VALUES = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=30).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "[]",
            "{}",
            '["x", 1]',
            "{ a = 1 }",
            "[[1], [2]]",
            '"3d"',
            '"0w"',
            '"-1d"',
            '"9999999d"',
            '"design"',
            '["qa"]',
            '["build", "build"]',
            "2027-01-04T10:00:00",
        ]
    ),
)
KEY_LINES = [n for n, line in enumerate(BASE.splitlines()) if " = " in line]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEY_LINES), TOML_VALUES), min_size=1, max_size=3))
def test_random_values_give_a_spec_error_or_a_spec(edits: list[tuple[int, str]]) -> None:
    lines = BASE.splitlines()
    for n, value in edits:
        key = lines[n].split(" = ")[0]
        lines[n] = f"{key} = {value}"
    text = "\n".join(lines) + "\n"
    try:
        spec = check_spec(tomllib.loads(text), label="s.toml", today=dt.date(2026, 11, 27), source=text)
    except SpecError as e:
        # one line per problem, each naming the file
        assert all(line.startswith("s.toml") for line in e.message.splitlines()), e.message
    except tomllib.TOMLDecodeError:
        with pytest.raises(SpecError, match=r"^s\.toml:\d+: invalid TOML"):
            parse_toml(text, label="s.toml")
    else:
        assert spec.plan_id and spec.start_date


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_give_a_spec_error_or_a_spec(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    path.write_bytes(data)
    try:
        load_spec(path, today=dt.date(2026, 11, 27))
    except SpecError as e:
        assert str(e).startswith("s.toml")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('owner = "Bo"', 'owner = "B\\no"'),
        ('depends_on = ["design"]', 'depends_on = ["des\\tign"]'),
    ],
)
def test_a_name_with_a_control_character_is_shown_escaped_on_one_line(old: str, new: str) -> None:
    text = BASE.replace(old, new, 1)
    with pytest.raises(SpecError) as got:
        check_spec(tomllib.loads(text), label="s.toml", today=dt.date(2026, 11, 27), source=text)
    lines = got.value.message.splitlines()
    assert lines and all(line.startswith("s.toml") for line in lines), got.value.message
    assert "\\n" in got.value.message or "\\t" in got.value.message
