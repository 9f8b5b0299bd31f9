"""`syncsvc state check`: verify the state file's issues and links against Jira (read only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from syncsvc.cli.options import LogFormat, LogFormatOpt, RemoteConfigOpt, SpecFileArg, VerboseOpt, run

if TYPE_CHECKING:
    from syncsvc.results import Result
    from syncsvc.statecheck import CheckResult

state_app = typer.Typer(
    name="state",
    help="""Inspect the local sync state.

    Example: syncsvc state check examples/notifications-center.toml --config syncsvc.toml
    """,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@state_app.command("check")
def check_command(
    spec: SpecFileArg,
    config: RemoteConfigOpt,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """Verify the state against Jira: every recorded issue exists with its syncsvc property and
    labels, and every link syncsvc made is there. Exit 0 consistent, 1 Jira disagrees.

    Example: syncsvc state check examples/notifications-center.toml --config syncsvc.toml
    """

    def body() -> Result[CheckResult]:
        from syncsvc.api import check_state
        from syncsvc.statecheck import render

        result = check_state(spec, config=config)
        typer.echo(render(result.report))
        return result  # exit 1 when Jira disagrees (status "error")

    run(body, verbose=verbose, log_format=log_format.value)
