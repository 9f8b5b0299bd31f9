"""The column registry: every column of a plan's timeline and risk register, once, for every output.

Each output takes its columns from `TASK_COLUMNS` / `RISK_COLUMNS` (data, in the CSV's order) and
formats a value by the column's `kind`: the CSV files (the `csv` columns), the Jira summary and
description templates (the `jira` task columns are their `{fields}`), the Sheets and XLSX
worksheets (the keys `mappings/sheets.toml` may list, with their default headers), and the
Markdown tables (the labels of the columns they show).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "number", "date", "flag", "list"]
Output = Literal["csv", "jira", "sheets"]
_ALL: frozenset[Output] = frozenset({"csv", "jira", "sheets"})


@dataclass(frozen=True)
class ColumnDef:
    """One column of a table: its key, the words above it, and what it reads.

    `attr` is the attribute read (default: `key`), of the row (a planned task, a risk:
    `of="row"`) or of the task's pulled status (`of="status"`); `sheet_key` is its key in
    `mappings/sheets.toml` when that differs from `key`; `unit` goes in brackets after the
    label in a spreadsheet header."""

    key: str
    label: str
    kind: Kind = "text"
    outputs: frozenset[Output] = _ALL
    attr: str = ""
    of: Literal["row", "status"] = "row"
    unit: str = ""
    sheet_key: str = ""

    @property
    def header(self) -> str:
        """The spreadsheet header: "Estimate (d)"."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def sheet(self) -> str:
        return self.sheet_key or self.key

    def value(self, row: Any) -> Any:
        """The raw value of this column in `row` (a planned task, a risk, or a task status)."""
        return getattr(row, self.attr or self.key)


def _only(*outputs: Output) -> frozenset[Output]:
    return frozenset(outputs)


TASK_COLUMNS: tuple[ColumnDef, ...] = (
    ColumnDef("id", "ID"),
    ColumnDef("name", "Task"),
    ColumnDef("phase", "Phase"),
    ColumnDef("kind", "Kind"),
    ColumnDef("owner", "Owner"),
    ColumnDef("risk", "Risk"),
    ColumnDef("estimate_days", "Estimate", "number", unit="d"),
    ColumnDef("buffer_days", "Buffer", "number", unit="d"),
    ColumnDef("duration_days", "Duration", "number", unit="d"),
    ColumnDef("depends_on", "Depends on", "list"),
    # the planned (levelled) dates: what people will do when, one task at a time; the early
    # dates are the CPM values and differ from them only when someone is over-allocated
    ColumnDef("start", "Start", "date", attr="planned_start"),
    ColumnDef("finish", "Finish", "date", attr="planned_finish"),
    ColumnDef("early_start", "Early start", "date"),
    ColumnDef("early_finish", "Early finish", "date"),
    ColumnDef("late_start", "Late start", "date", _only("csv", "sheets")),
    ColumnDef("late_finish", "Late finish", "date", _only("csv", "sheets")),
    ColumnDef("total_float", "Float", "number", unit="d"),
    ColumnDef("critical", "Critical", "flag"),
    ColumnDef("source", "Source", outputs=_only("csv")),
    # what a push or a pull learnt of the task (the Sheets and XLSX Timeline only)
    ColumnDef("jira_key", "Jira", outputs=_only("sheets"), attr="issue_key", of="status"),
    ColumnDef("status", "Status", outputs=_only("sheets"), of="status"),
    ColumnDef("forecast_finish", "Forecast finish", "date", _only("sheets"), of="status"),
    ColumnDef("slip_days", "Slip", "number", _only("sheets"), of="status", unit="d"),
)
RISK_COLUMNS: tuple[ColumnDef, ...] = (
    ColumnDef("id", "ID", outputs=_only("csv", "sheets")),
    ColumnDef("title", "Risk", outputs=_only("csv", "sheets")),
    ColumnDef("likelihood", "Likelihood", outputs=_only("csv", "sheets")),
    ColumnDef("impact", "Impact", outputs=_only("csv", "sheets")),
    ColumnDef("score", "Score", "number", _only("csv", "sheets")),
    ColumnDef("owner", "Owner", outputs=_only("csv", "sheets")),
    ColumnDef("owner_role", "Owner role", outputs=_only("csv")),
    ColumnDef("mitigation", "Mitigation", outputs=_only("csv", "sheets")),
    ColumnDef("mitigation_task", "Mitigation task", outputs=_only("csv", "sheets")),
    ColumnDef("category", "Category", outputs=_only("csv", "sheets")),
    ColumnDef("source", "Source", outputs=_only("csv", "sheets")),
)
Table = Literal["timeline", "risks"]
TABLES: dict[Table, tuple[ColumnDef, ...]] = {"timeline": TASK_COLUMNS, "risks": RISK_COLUMNS}


def column(table: Table, key: str) -> ColumnDef:
    """The registered column of `table` with this key (KeyError when there is none)."""
    return _BY_KEY[table][key]


def columns(table: Table, output: Output) -> tuple[ColumnDef, ...]:
    """The columns of `table` an output shows (or may show), in registry order."""
    return tuple(c for c in TABLES[table] if output in c.outputs)


def sheet_columns(table: Table) -> dict[str, ColumnDef]:
    """The columns of `table` that `mappings/sheets.toml` may list, by their key there."""
    return {c.sheet: c for c in columns(table, "sheets")}


_BY_KEY = {name: {c.key: c for c in cols} for name, cols in TABLES.items()}
