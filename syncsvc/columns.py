"""The column registry: every column a plan's timeline shows, once, for every output.

Each output takes its columns from `TASK_COLUMNS` (data, in the CSV's order) and formats a value
by the column's `kind`: `timeline.csv` (the `csv` columns), the Jira summary and description
templates (the `jira` columns are their `{fields}`), the Sheets and XLSX Timeline (the keys
`mappings/sheets.toml` may list, with their default headers), and the Markdown timeline table
(the labels of the columns it shows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "number", "date", "flag", "list"]
Output = Literal["csv", "jira", "sheets"]
_ALL: frozenset[Output] = frozenset({"csv", "jira", "sheets"})


@dataclass(frozen=True)
class TaskColumn:
    """One column of the timeline: its key, the words above it, and what it reads.

    `attr` is the attribute read, of the planned task (`of="task"`) or of the task's pulled
    status (`of="status"`); `sheet_key` is its key in `mappings/sheets.toml` when that differs
    from `key`; `unit` goes in brackets after the label in a spreadsheet header."""

    key: str
    label: str
    kind: Kind = "text"
    outputs: frozenset[Output] = _ALL
    attr: str = ""
    of: Literal["task", "status"] = "task"
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
        """The raw value of this column in `row` (a planned task, or a task status)."""
        return getattr(row, self.attr or self.key)


def _only(*outputs: Output) -> frozenset[Output]:
    return frozenset(outputs)


TASK_COLUMNS: tuple[TaskColumn, ...] = (
    TaskColumn("id", "ID"),
    TaskColumn("name", "Task"),
    TaskColumn("phase", "Phase"),
    TaskColumn("kind", "Kind"),
    TaskColumn("owner", "Owner"),
    TaskColumn("risk", "Risk"),
    TaskColumn("estimate_days", "Estimate", "number", unit="d"),
    TaskColumn("buffer_days", "Buffer", "number", unit="d"),
    TaskColumn("duration_days", "Duration", "number", unit="d"),
    TaskColumn("depends_on", "Depends on", "list"),
    # the Sheets mapping calls the early dates "start" and "finish"
    TaskColumn("early_start", "Start", "date", sheet_key="start"),
    TaskColumn("early_finish", "Finish", "date", sheet_key="finish"),
    TaskColumn("late_start", "Late start", "date", _only("csv", "sheets")),
    TaskColumn("late_finish", "Late finish", "date", _only("csv", "sheets")),
    TaskColumn("total_float", "Float", "number", unit="d"),
    TaskColumn("critical", "Critical", "flag"),
    TaskColumn("source", "Source", outputs=_only("csv")),
    # what a push or a pull learnt of the task (the Sheets and XLSX Timeline only)
    TaskColumn("jira_key", "Jira", outputs=_only("sheets"), attr="issue_key", of="status"),
    TaskColumn("status", "Status", outputs=_only("sheets"), of="status"),
    TaskColumn("forecast_finish", "Forecast finish", "date", _only("sheets"), of="status"),
    TaskColumn("slip_days", "Slip", "number", _only("sheets"), of="status", unit="d"),
)
_BY_KEY = {c.key: c for c in TASK_COLUMNS}


def task_column(key: str) -> TaskColumn:
    """The registered column with this key (KeyError when there is none)."""
    return _BY_KEY[key]


def task_columns(output: Output) -> tuple[TaskColumn, ...]:
    """The columns an output shows (or may show), in registry order."""
    return tuple(c for c in TASK_COLUMNS if output in c.outputs)


def sheet_columns() -> dict[str, TaskColumn]:
    """The Timeline columns `mappings/sheets.toml` may list, by their key there."""
    return {c.sheet: c for c in task_columns("sheets")}
