"""`syncsvc push`: the plan's timeline to Jira issues with Blocks links (imports `jira` lazily)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

from syncsvc.cli.options import LogFormat, LogFormatOpt, VerboseOpt, run

log = logging.getLogger("syncsvc.jira")


def push_command(
    spec: Annotated[Path, typer.Argument(help="The spec file (TOML).", show_default=False)],
    config: Annotated[
        Path, typer.Option("--config", "-c", help="Config file with [jira].", show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change; call no write endpoint.")
    ] = False,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """Create and update one Jira issue per timeline task, with Blocks links for dependencies.

    Example: syncsvc push examples/notifications-center.toml --config syncsvc.toml --dry-run
    """

    def body() -> None:
        from syncsvc.config import load_config
        from syncsvc.jira.push import push_plan
        from syncsvc.plans import spec_and_plan

        cfg = load_config(config)
        jcfg = cfg.require_jira(config.name)
        jcfg.token()  # exit 2 before any call when the variable is not set
        parsed, plan = spec_and_plan(spec, cfg)
        assignees = {m.name: m.jira for m in parsed.team if m.jira}
        with _progress() as progress:
            report = push_plan(
                plan,
                cfg,
                dry_run=dry_run,
                progress=progress,
                assignees=assignees,
                project=parsed.jira_project,
            )
        if dry_run:
            for line in report.changes:
                typer.echo(line)
            typer.echo(
                f"dry run: {len(report.changes)} change(s) for Jira {report.project}; nothing was written"
            )
        else:
            typer.echo(f"{plan.plan_id} → Jira {report.project}: {report.summary()}")
        report.raise_for_status()

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
