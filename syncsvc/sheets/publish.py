"""Publish a plan to Google Sheets: one read, a pure diff, one write (CONTRACT §6)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from syncsvc.config import Config, SheetsConfig
from syncsvc.errors import ConfigError, RemoteError, RemoteUnreachable
from syncsvc.grid.layout import build_layouts
from syncsvc.grid.mapping import SheetsMapping, load_mapping
from syncsvc.model import Plan
from syncsvc.sheets.diff import GET_FIELDS, SheetChange, batches, diff_all, parse_remote
from syncsvc.signals import checkpoint, deferred_signals
from syncsvc.status import TrackedStatus

if TYPE_CHECKING:
    from syncsvc.sheets.adapter import SheetsClient

log = logging.getLogger("syncsvc.sheets")


@dataclass(frozen=True)
class PublishReport:
    """What a publish did (or, with dry_run, would do)."""

    spreadsheet_id: str
    dry_run: bool
    sheets: list[SheetChange]
    calls: int  # Sheets API requests sent, retries included
    batches: int  # batchUpdate bodies (sent, or that would be sent)
    payload_bytes: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def created(self) -> list[str]:
        return [s.title for s in self.sheets if s.action == "create"]

    @property
    def changed(self) -> list[str]:
        return [s.title for s in self.sheets if s.action == "update"]

    @property
    def unchanged(self) -> list[str]:
        return [s.title for s in self.sheets if s.action == "unchanged"]

    @property
    def rows_changed(self) -> int:
        return sum(s.rows_changed for s in self.sheets)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary (no request bodies)."""
        return {
            "spreadsheet_id": self.spreadsheet_id,
            "dry_run": self.dry_run,
            "calls": self.calls,
            "batches": self.batches,
            "payload_bytes": self.payload_bytes,
            "rows_changed": self.rows_changed,
            "worksheets": [
                {"title": s.title, "action": s.action, "rows_changed": s.rows_changed} for s in self.sheets
            ],
        }


def publish_plan(
    plan: Plan,
    cfg: Config,
    *,
    dry_run: bool,
    status: TrackedStatus | None = None,
    client_factory: Callable[[Config], SheetsClient] | None = None,
    mapping: SheetsMapping | None = None,
    now: dt.datetime | None = None,
) -> PublishReport:
    """Write the plan's six worksheets: a field-masked read, then one atomic batchUpdate
    holding sheet creation, properties, values and formats (more batches only past ~2 MB).
    An unchanged plan makes the read only. With `dry_run`, nothing is written.
    `status` (the forecast, trend and Jira keys) fills the forecast columns."""
    sheets_cfg = cfg.require_sheets("publish")
    mapping = mapping or load_mapping(cfg.catalog_dir())
    if client_factory is None:
        from syncsvc.sheets.adapter import default_client  # gspread only when publishing

        client_factory = default_client
    if dry_run:  # a preview needs no Google: without a key or a network, compare with nothing
        try:
            client = client_factory(cfg)
            return _publish(plan, sheets_cfg, client, mapping, dry_run=True, status=status, now=now)
        except (ConfigError, RemoteUnreachable) as e:
            log.debug("sheets: offline dry run: %s", e.message)
            return _publish(
                plan, sheets_cfg, None, mapping, dry_run=True, status=status, now=now, offline=str(e)
            )
    with deferred_signals():
        return _publish(
            plan, sheets_cfg, client_factory(cfg), mapping, dry_run=dry_run, status=status, now=now
        )


def _publish(
    plan: Plan,
    sheets_cfg: SheetsConfig,
    client: SheetsClient | None,
    mapping: SheetsMapping,
    *,
    dry_run: bool,
    status: TrackedStatus | None,
    now: dt.datetime | None,
    offline: str | None = None,
) -> PublishReport:
    layouts = build_layouts(
        plan,
        mapping,
        prefix=sheets_cfg.prefix,
        status=status,
        synced_at=(now or dt.datetime.now(dt.UTC)).replace(tzinfo=None),
    )
    remote = parse_remote(client.get(GET_FIELDS) if client is not None else {})
    changes = diff_all(layouts, remote)
    bodies = batches(changes)
    log.info(
        "sheets: %d worksheet(s) to write, %d batch(es), %d bytes",
        sum(1 for c in changes if c.requests),
        len(bodies),
        sum(map(len, bodies)),
    )
    if not dry_run and client is not None:
        for i, body in enumerate(bodies):
            checkpoint(functools.partial(_note, sheets_cfg.spreadsheet_id, i, len(bodies)))
            try:
                client.batch_update(body)
            except RemoteError as e:
                done = (
                    f"{i} of {len(bodies)} batches were applied before this one"
                    if i
                    else "nothing was written (a batch is applied whole or not at all)"
                )
                raise RemoteError(f"{e.message}; {done}", hint=e.hint) from None
    preview = [
        {
            "title": lay.title,
            "rows": len(lay.rows),
            "columns": lay.n_cols,
            "header": [str(c.value) for c in lay.rows[0] if c.value not in (None, "")] if lay.rows else [],
        }
        for lay in layouts
    ]
    return PublishReport(
        spreadsheet_id=sheets_cfg.spreadsheet_id,
        dry_run=dry_run,
        sheets=changes,
        calls=client.calls if client is not None else 0,
        batches=len(bodies),
        payload_bytes=sum(map(len, bodies)),
        extra={"layout": preview, **({"offline": offline} if offline else {})},
    )


def _note(spreadsheet_id: str, done: int, total: int) -> str:
    return (
        f"publish to spreadsheet {spreadsheet_id} stopped between batches: {done} of {total} "
        "applied (each batch is applied whole or not at all)."
    )
