"""`syncsvc sync`: for cron, pull, then push, then publish each spec's plan."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import typer

from syncsvc.cli.options import (
    AsOfOpt,
    DryRunOpt,
    FailOnSlipOpt,
    LogFormat,
    LogFormatOpt,
    RemoteConfigOpt,
    SpecFilesArg,
    VerboseOpt,
    run,
)

if TYPE_CHECKING:
    from syncsvc.results import Result
    from syncsvc.tracking import SyncReport


def sync_command(
    specs: SpecFilesArg,
    config: RemoteConfigOpt,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    fail_on_slip: FailOnSlipOpt = False,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """For cron: pull, then push, then publish each spec's plan. Quiet on success unless -v.

    One lock per state file: exit 75 at once when another sync holds it. A failing plan does
    not stop the others; each failure is named and the run exits 1 (2 for a bad spec).

    Example: syncsvc sync specs/*.toml --config syncsvc.toml --fail-on-slip --log-format json
    """

    def body() -> Result[SyncReport]:
        from syncsvc.api import sync
        from syncsvc.rendering.reports import sync_stderr_lines

        result = sync(specs, config=config, as_of=as_of, dry_run=dry_run)
        for r in result.report.runs:
            if r.ok and (verbose or dry_run):
                typer.echo(f"{r.plan_id}: " + "; ".join(r.steps))
        for line in sync_stderr_lines(result.report, log_format=log_format.value, fail_on_slip=fail_on_slip):
            typer.echo(line, err=True)
        if result.report.failed:
            n, total = len(result.report.failed), len(result.report.runs)
            logging.getLogger("syncsvc.sync").info("%d of %d plans failed", n, total)
        return result

    run(body, verbose=verbose, log_format=log_format.value, fail_on_slip=fail_on_slip)
