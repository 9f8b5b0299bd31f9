"""The `syncsvc` command line: thin typer commands over the library (CONTRACT §3).

The only package that imports typer. Each command parses its options, calls one library
function (imported inside the command, so `--help` loads none of the library) and renders.
"""

from __future__ import annotations

import typer

from syncsvc.cli import _startup  # noqa: F401  (first: before any model is built)
from syncsvc.cli.baseline import baseline_command
from syncsvc.cli.diff import diff_command
from syncsvc.cli.export import export_command
from syncsvc.cli.plan import PLANNING, planning_command
from syncsvc.cli.publish import publish_command
from syncsvc.cli.pull import pull_command
from syncsvc.cli.push import push_command
from syncsvc.cli.serve import serve_command
from syncsvc.cli.state import state_app
from syncsvc.cli.sync import sync_command

__all__ = ["app"]

app = typer.Typer(
    name="syncsvc",
    help="Turn a feature launch spec into a rollout plan, and keep it alive in Jira and Google Sheets.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from syncsvc.version import __version__

        typer.echo(f"syncsvc {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn a feature launch spec into a rollout plan, and keep it alive in Jira and Google
    Sheets."""


for _name, _doc in PLANNING.items():
    app.command(_name)(planning_command(_name, _doc))
for _name, _command in (
    ("export", export_command),
    ("diff", diff_command),
    ("push", push_command),
    ("publish", publish_command),
    ("pull", pull_command),
    ("sync", sync_command),
    ("baseline", baseline_command),
    ("serve-mcp", serve_command),
):
    app.command(_name)(_command)
app.add_typer(state_app, name="state")
