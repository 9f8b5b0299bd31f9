"""`syncsvc push`: the plan's timeline to Jira issues with Blocks links (imports `jira` lazily)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from syncsvc.cli.options import (
    DryRunOpt,
    JiraConfigOpt,
    LogFormat,
    LogFormatOpt,
    SpecFileArg,
    VerboseOpt,
    run,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from syncsvc.jira.report import PushReport
    from syncsvc.results import Result

log = logging.getLogger("syncsvc.jira")


def push_command(
    spec: SpecFileArg,
    config: JiraConfigOpt,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """Create and update one Jira issue per timeline task, with Blocks links for dependencies.

    Example: syncsvc push examples/notifications-center.toml --config syncsvc.toml --dry-run
    """

    def body() -> Result[PushReport]:
        from syncsvc.api import push

        with _progress() as progress:
            result = push(spec, config=config, dry_run=dry_run, progress=progress)
        report = result.report
        if dry_run:
            for line in report.changes:
                typer.echo(line)
            typer.echo(
                f"dry run: {len(report.changes)} change(s) for Jira {report.project}; nothing was written"
            )
        else:
            typer.echo(f"{report.plan_id} → Jira {report.project}: {report.summary()}")
        return result

    run(body, verbose=verbose, log_format=log_format.value)


class _progress:
    """A rich progress bar on a terminal; plain log lines (one per stage step) otherwise."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> Callable[[str, int, int], None]:
        if sys.stderr.isatty():
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._bar.start()
        return self._update

    def _update(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            log.info("%s: %d of %d", stage, done, total)
            return
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total)
        self._bar.update(self._tasks[stage], completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
