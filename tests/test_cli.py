"""The command line's own surface: --version, -h, option spelling, and that every example in
README.md and in the help texts uses only options that exist."""

from __future__ import annotations

import gc
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import ROOT
from tests_support import quick_args
from typer.testing import CliRunner

from syncsvc import __version__
from syncsvc.cli import app


def test_version_and_short_help(runner: CliRunner) -> None:
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout == f"syncsvc {__version__}\n"
    top = runner.invoke(app, ["-h"])
    assert top.exit_code == 0 and top.stdout.startswith("Usage: syncsvc [OPTIONS] COMMAND")
    for command in (["generate-timeline"], ["sync"], ["state", "check"]):
        r = runner.invoke(app, [*command, "-h"])
        assert r.exit_code == 0 and r.stdout.startswith(f"Usage: syncsvc {' '.join(command)}")


def _dark_mode(command: str, *, risk_tolerance: str = "medium") -> list[str]:
    return quick_args(
        command,
        feature_name="Dark mode",
        description="A dark theme",
        team_size="3",
        risk_tolerance=risk_tolerance,
    )


def test_risk_tolerance_is_not_case_sensitive(runner: CliRunner) -> None:
    def args(tolerance: str) -> list[str]:
        return [*_dark_mode("assess-risks", risk_tolerance=tolerance), "--format", "json"]

    upper = runner.invoke(app, args("MEDIUM"))
    lower = runner.invoke(app, args("medium"))
    assert upper.exit_code == 0, upper.output
    assert upper.stdout == lower.stdout


def _commands() -> dict[str, Any]:
    """Every command by its words ("generate-timeline", "state check")."""
    root: Any = typer.main.get_command(app)
    out: dict[str, Any] = {}
    for name, cmd in root.commands.items():
        out[name] = cmd
        if hasattr(cmd, "commands"):
            out.update({f"{name} {sub}": c for sub, c in cmd.commands.items()})
    return out


def _invocations(text: str) -> list[str]:
    """`syncsvc …` command lines in a text, backslash continuations joined."""
    text = text.replace("\\\n", " ")
    return [m.group(0) for m in re.finditer(r"\bsyncsvc (?:[a-z][a-z-]+)(?: [^\n|`#;&)]*)?", text)]


def _check(line: str, commands: dict[str, Any]) -> list[str]:
    words = shlex.split(line.replace("$(", "").replace("'", ""), posix=True)[1:]
    if not words or words[0].startswith("-"):
        return [o for o in words if o.startswith("-") and o not in ("--version", "-h", "--help")]
    name = " ".join(words[:2]) if " ".join(words[:2]) in commands else words[0]
    cmd = commands.get(name)
    if cmd is None:  # prose ("syncsvc plans from …"), not a command line
        return []
    known = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)} | {"-h", "--help"}
    return [w.split("=")[0] for w in words if w.startswith("-") and w.split("=")[0] not in known]


@pytest.mark.parametrize("source", ["README.md", "config.example.toml", "docs/spec.md"])
def test_documented_examples_use_only_options_that_exist(source: str) -> None:
    commands = _commands()
    path = Path(ROOT / source)
    bad = {line: _check(line, commands) for line in _invocations(path.read_text())}
    assert not {k: v for k, v in bad.items() if v}, bad


def test_help_examples_use_only_options_that_exist() -> None:
    commands = _commands()
    assert _check("syncsvc push s.toml --config c.toml --no-such", commands) == ["--no-such"]
    for name, cmd in commands.items():
        for line in _invocations(cmd.help or ""):
            assert not _check(line, commands), (name, line)


@pytest.mark.parametrize("verbose", [False, True])
def test_library_warnings_never_reach_stderr_by_default(verbose: bool) -> None:
    """In a subprocess: pytest records warnings itself, which would hide a leak here."""
    import json
    import subprocess
    import sys

    code = (
        "import warnings; from syncsvc.cli.options import run; "
        "run(lambda: warnings.warn('this API goes away in 2027', FutureWarning), "
        f"verbose={verbose}, log_format='json')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    if verbose:  # for the developer, with -v: one JSON log line
        (entry,) = [json.loads(line) for line in proc.stderr.splitlines()]
        assert "goes away in 2027" in entry["message"]
    else:
        assert proc.stderr == ""


def test_an_error_carrying_terminal_escapes_is_printed_without_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import logging

    from syncsvc.cli.options import run
    from syncsvc.errors import RemoteError

    def body() -> None:  # e.g. a Jira error message quoting an issue summary
        raise RemoteError("Jira refused NOTIF-1 '\x1b]0;owned\x07\x1b[2J'")

    try:
        with pytest.raises(typer.Exit):
            run(body)
    finally:
        logging.getLogger().handlers.clear()
    err = capsys.readouterr().err
    assert err == "Error: Jira refused NOTIF-1 '\ufffd]0;owned\ufffd\ufffd[2J'\n"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-01"])
def test_a_start_date_option_off_the_calendar_names_the_option(runner: CliRunner, day: str) -> None:
    r = runner.invoke(app, [*_dark_mode("generate-timeline"), "--start-date", day])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith(f"Error: --start-date: {day} is outside the dates syncsvc plans")


@pytest.mark.parametrize("command", ["generate-timeline", "create-rollout-plan", "assess-risks"])
def test_a_planning_command_on_a_command_line_of_its_own_says_and_does_the_same(
    runner: CliRunner, command: str, example_path: Path
) -> None:
    # run as the program, a planning command is parsed by a command line holding it alone
    # (typer builds every command's options on each run): its help, errors and output are
    # those of the whole command line
    from syncsvc.cli import COMMANDS, _command_line

    alone = _command_line({command: COMMANDS[command]})
    for args in (
        ["-h"],
        ["--bogus"],
        [],
        [str(example_path.with_name("missing.toml"))],
        [str(example_path), "--format", "json"],
        [str(example_path), "--format", "xml"],
        ["--feature-name", "X"],
        ["--version"],
    ):
        whole = runner.invoke(app, [command, *args])
        one = runner.invoke(alone, [command, *args])
        assert (one.exit_code, one.stdout, one.stderr) == (whole.exit_code, whole.stdout, whole.stderr), args


def test_run_as_the_program_a_planning_command_builds_only_its_own_command(
    monkeypatch: pytest.MonkeyPatch, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import syncsvc.cli as cli

    made: list[list[str]] = []
    command_line = cli._command_line

    def recorded(commands: dict[str, Any], kind: Any = cli._Syncsvc) -> Any:
        made.append([*commands, "collector on" if gc.isenabled() else "collector paused"])
        return command_line(commands, kind)

    monkeypatch.setattr(cli, "_command_line", recorded)
    monkeypatch.setattr(
        "sys.argv", ["syncsvc", "generate-timeline", str(example_path.with_name("missing.toml"))]
    )
    with pytest.raises(SystemExit) as failed:  # a failure exits as usual (a success ends the process)
        cli.app()
    assert failed.value.code == 2 and capsys.readouterr().err.startswith("Error: ")
    # the collector paused from the parsing on (typer builds pydantic adapters), then as before
    assert made == [["generate-timeline", "collector paused"]] and gc.isenabled()
