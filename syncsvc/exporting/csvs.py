"""The plan's risk register, RACI and timeline as CSV text, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import operator
from collections.abc import Callable, Sequence
from typing import Any

from syncsvc.columns import columns
from syncsvc.model import Plan, PlannedTask
from syncsvc.rendering.text import cell

Value = str | int | float | bool | dt.date | None

RISK_COLUMNS = columns("risks", "csv")
RISK_HEADERS = tuple(c.key for c in RISK_COLUMNS)
RACI_HEADERS = ("activity", "task", "responsible", "accountable", "consulted", "informed")
TIMELINE_COLUMNS = columns("timeline", "csv")
TIMELINE_HEADERS = tuple(c.key for c in TIMELINE_COLUMNS)


def _field(value: Value) -> str:
    # Numbers, booleans and dates are written as they are; every text goes through `cell`,
    # so a value such as "=HYPERLINK(...)" or "@SUM(1)" is never read as a formula.
    exact = _BY_TYPE.get(type(value))  # the usual types, without the chain below
    if exact is not None:
        return exact(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell(value)


_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: cell,
    int: str,
    float: str,
    bool: lambda v: "true" if v else "false",
    dt.date: dt.date.isoformat,
    type(None): lambda _: "",
}


def _join(names: Sequence[str]) -> str:
    return "; ".join(names)


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Value]]) -> str:
    """CSV text with a header row (RFC 4180 quoting, CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    by_type = _BY_TYPE
    # `_field` itself only for the types it does not know by sight: one call per value fewer
    writer.writerows([by_type.get(type(v), _field)(v) for v in row] for row in rows)
    return buf.getvalue()


def risks_csv(plan: Plan) -> str:
    """One row per risk, in the plan's order (by score)."""
    return to_csv(RISK_HEADERS, [tuple(c.value(r) for c in RISK_COLUMNS) for r in plan.risks])


def raci_csv(plan: Plan) -> str:
    """One row per activity; several names in a cell are separated by "; "."""
    names = {t.id: t.name for t in plan.tasks}
    return to_csv(
        RACI_HEADERS,
        [
            (
                r.activity,
                names.get(r.activity),
                _join(r.responsible),
                r.accountable,
                _join(r.consulted),
                _join(r.informed),
            )
            for r in plan.raci
        ],
    )


def timeline_csv(plan: Plan) -> str:
    """One row per task with its CPM dates (ISO), buffer, float and criticality."""
    return to_csv(TIMELINE_HEADERS, [_timeline_row(t) for t in plan.tasks])


# a task's values in the columns' order, read at once; the list columns' places
_TIMELINE_VALUES = operator.attrgetter(*(c.attr or c.key for c in TIMELINE_COLUMNS))
_TIMELINE_LISTS = tuple(i for i, c in enumerate(TIMELINE_COLUMNS) if c.kind == "list")


def _timeline_row(t: PlannedTask) -> Sequence[Value]:
    values = _TIMELINE_VALUES(t)
    if not _TIMELINE_LISTS:
        return values
    row = list(values)
    for i in _TIMELINE_LISTS:
        row[i] = _join(row[i])
    return row
