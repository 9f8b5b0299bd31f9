"""The `syncsvc` command line: thin typer commands over the library (CONTRACT §3).

The only package that imports typer. Each command parses its options, calls one library
function (imported inside the command, so `--help` loads none of the library) and renders.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import typer

from syncsvc.cli import _startup  # noqa: F401  (first: before any model is built)
from syncsvc.cli.baseline import baseline_command
from syncsvc.cli.diff import diff_command
from syncsvc.cli.export import export_command
from syncsvc.cli.options import teardown_skippable
from syncsvc.cli.plan import PLANNING, planning_command
from syncsvc.cli.publish import publish_command
from syncsvc.cli.pull import pull_command
from syncsvc.cli.push import push_command
from syncsvc.cli.serve import serve_command
from syncsvc.cli.state import state_app
from syncsvc.cli.sync import sync_command

__all__ = ["app", "main"]


class _Syncsvc(typer.Typer):
    """The command line. Called as the console script (`syncsvc.cli:app`, CONTRACT §3), it
    runs the command; after one that succeeded and said it may (`options.may_skip_teardown`:
    the planning commands), it leaves the process at once, its output flushed, without the
    interpreter freeing a large plan's objects one by one. (Tests invoke the click command
    through CliRunner, which never comes here.)"""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            result = super().__call__(*args, **kwargs)
        except SystemExit as e:
            if e.code not in (0, None) or not teardown_skippable():
                raise
        else:
            if not teardown_skippable():
                return result
        logging.shutdown()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed or broken stream: let the usual exit report it
            raise SystemExit(0) from None
        os._exit(0)


def _version(value: bool) -> None:
    if value:
        from syncsvc.version import __version__

        typer.echo(f"syncsvc {__version__}")
        raise typer.Exit()


def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn a feature launch spec into a rollout plan, and keep it alive in Jira and Google
    Sheets."""


COMMANDS: dict[str, Callable[..., None]] = {
    **{name: planning_command(name, doc) for name, doc in PLANNING.items()},
    "export": export_command,
    "diff": diff_command,
    "push": push_command,
    "publish": publish_command,
    "pull": pull_command,
    "sync": sync_command,
    "baseline": baseline_command,
    "serve-mcp": serve_command,
}


class _Whole(_Syncsvc):
    """The whole command line (`app`). Run as the program, a planning command runs on a
    command line of that command alone: typer builds the options of every command it holds on
    each run (~15 ms for all of them), and a plan on the command line needs its own."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = sys.argv[1] if len(sys.argv) > 1 else ""
        if not args and not kwargs and name in PLANNING:
            from syncsvc.collector import collector_paused

            with collector_paused():  # as the command's body pauses it, from its parsing on
                return _command_line({name: COMMANDS[name]})()
        return super().__call__(*args, **kwargs)


def _command_line(commands: dict[str, Callable[..., None]], kind: type[_Syncsvc] = _Syncsvc) -> _Syncsvc:
    """The `syncsvc` command line with `commands` (and --version, --help)."""
    line = kind(
        name="syncsvc",
        help="Turn a feature launch spec into a rollout plan, and keep it alive in Jira and Google Sheets.",
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    line.callback()(_main)
    for name, command in commands.items():
        line.command(name)(command)
    return line


app = _command_line(COMMANDS, _Whole)
app.add_typer(state_app, name="state")


def main() -> None:
    """`python -m syncsvc`: the same as the `syncsvc` command (`app()`)."""
    app()
