"""`syncsvc publish`: the plan's worksheets to Google Sheets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from syncsvc.cli.options import LogFormat, LogFormatOpt, SheetsConfigOpt, SpecFileArg, VerboseOpt, run

if TYPE_CHECKING:
    from syncsvc.results import Result
    from syncsvc.sheets.publish import PublishReport


def publish_command(
    spec: SpecFileArg,
    config: SheetsConfigOpt,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show which worksheets and how many rows would change; write nothing."
        ),
    ] = False,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """Publish the risk matrix, RACI, timeline and dashboard to Google Sheets.

    Example: syncsvc publish examples/notifications-center.toml --config syncsvc.toml --dry-run
    """

    def body() -> Result[PublishReport]:
        from syncsvc.api import publish
        from syncsvc.rendering.reports import publish_report

        result = publish(spec, config=config, dry_run=dry_run)
        typer.echo(publish_report(result.report))
        return result

    run(body, verbose=verbose, log_format=log_format.value)
