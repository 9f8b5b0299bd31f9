"""The `syncsvc publish` command (thin: parse options, publish, print the report)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from syncsvc.clikit import LogFormat, LogFormatOpt, VerboseOpt

if TYPE_CHECKING:  # keep `syncsvc --help` fast: nothing heavy at import time
    from syncsvc.config import Config
    from syncsvc.sheets.publish import PublishReport
    from syncsvc.status import TrackedStatus


def publish_command(
    spec: Annotated[Path, typer.Argument(help="The spec file (TOML).", show_default=False)],
    config: Annotated[
        Path, typer.Option("--config", "-c", help="Config file with [sheets].", show_default=False)
    ],
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
    from syncsvc.clikit import run, spec_and_plan

    def body() -> None:
        from syncsvc.config import load_config
        from syncsvc.sheets.publish import publish_plan

        cfg = load_config(config)
        cfg.require_sheets(config.name)
        _, plan = spec_and_plan(spec, cfg)
        report = publish_plan(plan, cfg, dry_run=dry_run, status=pushed_issues(cfg, plan.plan_id))
        typer.echo(render_report(report))

    run(body, verbose=verbose, log_format=log_format.value)


def pushed_issues(cfg: Config, plan_id: str) -> TrackedStatus | None:
    """The Jira keys of the plan's pushed tasks, from the state file when there is one (never
    created here), as a status without a forecast: the Timeline shows the keys once pushed."""
    path = cfg.state_path()
    if not path.is_file():
        return None
    from syncsvc.state import State

    with State.open(path) as state:
        issues = state.issues(plan_id)
    from syncsvc.status import TrackedStatus

    keys = {r.task_id: r.issue_key for r in issues.values() if not r.removed}
    return TrackedStatus(issue_keys=keys) if keys else None


def render_report(report: PublishReport) -> str:
    """The human summary: one line per worksheet, then the totals."""
    verb = "would change" if report.dry_run else "changed"
    lines = []
    for s in report.sheets:
        what = {
            "create": "create" if report.dry_run else "created",
            "update": "update" if report.dry_run else "updated",
            "unchanged": "unchanged",
        }[s.action]
        rows = f"{s.rows_changed} row{'s' if s.rows_changed != 1 else ''}"
        lines.append(f"  {s.title:<32} {what:<10} {rows}")
    head = "Dry run: nothing written to" if report.dry_run else "Published to"
    lines.insert(0, f"{head} spreadsheet {report.spreadsheet_id}")
    offline = report.extra.get("offline")
    if offline:
        first = str(offline).splitlines()[0]
        lines.insert(1, f"  offline preview, compared with an empty spreadsheet: {first}")
    if report.dry_run:  # the layout it would write: each worksheet's size and first row
        lines.append("Layout:")
        for sheet in report.extra.get("layout", []):
            head_row = " | ".join(sheet["header"])
            lines.append(
                f"  {sheet['title']:<32} {sheet['rows']} rows x {sheet['columns']} columns: {head_row[:100]}"
            )
    lines.append(
        f"{len(report.created)} worksheet(s) {'to create' if report.dry_run else 'created'}, "
        f"{len(report.changed)} {'to update' if report.dry_run else 'updated'}, "
        f"{len(report.unchanged)} unchanged; {report.rows_changed} row(s) {verb}; "
        f"{report.calls} Sheets API call(s)"
    )
    return "\n".join(lines)
