"""`syncsvc export`: the offline bundle of a spec's plan, as a typer command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from syncsvc.cli.options import LogFormat, LogFormatOpt, VerboseOpt, may_skip_teardown, run


def export_command(
    spec: Annotated[Path, typer.Argument(help="The spec file (TOML).", show_default=False)],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the bundle (created if missing).", show_default=False)
    ],
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="Config file (for a catalog folder of your own).", show_default=False
        ),
    ] = None,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """Offline bundle: plan.md, plan.json, risks.csv, raci.csv, timeline.csv, dashboard.xlsx.

    Example: syncsvc export examples/notifications-center.toml --out out/
    """

    def body() -> None:
        from syncsvc.api import export

        for path in export(spec, out=out, config=config):
            typer.echo(str(path))
        may_skip_teardown()  # every file written, closed and moved in; no thread or atexit handler

    run(body, verbose=verbose, log_format=log_format.value)
