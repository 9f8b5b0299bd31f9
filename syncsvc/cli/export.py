"""`syncsvc export`: the offline bundle of a spec's plan, as a typer command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from syncsvc.cli.options import LogFormat, LogFormatOpt, VerboseOpt


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
    from syncsvc.cli.options import run

    def body() -> None:
        from syncsvc.config import load_config
        from syncsvc.export import check_out_dir, export_bundle
        from syncsvc.plans import load_plan

        check_out_dir(out)  # a bad --out fails before the plan is built
        plan = load_plan(spec, config, {})
        catalog_dir = load_config(config).catalog_dir() if config is not None else None
        for path in export_bundle(plan, out, catalog_dir=catalog_dir):
            typer.echo(str(path))

    run(body, verbose=verbose, log_format=log_format.value)
