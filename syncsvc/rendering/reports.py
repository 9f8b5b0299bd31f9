"""The text the remote commands print: what a publish did, a pull's JSON, why a sync exits 1 or 3."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pydantic_core

from syncsvc.logs import error_lines

if TYPE_CHECKING:
    from syncsvc.forecast import Status
    from syncsvc.sheets.publish import PublishReport
    from syncsvc.tracking import PlanRun, SyncReport


def publish_report(report: PublishReport) -> str:
    """The human summary of a publish: one line per worksheet, then the totals."""
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


def sync_outcome_lines(runs: Sequence[PlanRun]) -> list[str]:
    """One line per slipping plan: what, by how much, and the chain of late critical tasks."""
    out = []
    for r in runs:
        if r.ok and r.state == "slipping":
            chain = " → ".join(r.chain) or "(no single task late)"
            out.append(
                f"{r.plan_id}: {r.slip_days:+d} working day(s), forecast finish "
                f"{r.forecast_finish}; late critical chain: {chain}"
            )
    return out


def status_json(status: Status) -> str:
    """A forecast as the JSON text `pull --format json` prints (CONTRACT §7's keys)."""

    return pydantic_core.to_json(status.model_dump(mode="json", by_alias=True), indent=2).decode()


def sync_stderr_lines(report: SyncReport, *, log_format: str, fail_on_slip: bool) -> list[str]:
    """What a sync says on stderr, for cron's log: each slipping plan (a warning), then each
    failed plan with its hint, in the log format."""

    out = []
    for line in sync_outcome_lines(report.runs):  # cron's log says why it exits 1 or 3
        out += error_lines(
            line,
            None,
            log_format=log_format,
            exit_code=3 if fail_on_slip else 0,
            prefix="Slipping",
            level="warning",
        )
    for r in report.failed:
        message, _, hint = (r.error or "").partition("\n  hint: ")
        out += error_lines(
            f"{r.plan_id or r.spec}: {message}", hint or None, log_format=log_format, exit_code=r.error_code
        )
    return out
