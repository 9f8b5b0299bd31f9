"""Typed cells and worksheet grids, and their Sheets API form (`CellData`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, NamedTuple

# A cell holds at most 50,000 characters (Sheets); longer text is cut with a marker.
MAX_CELL_CHARS = 50_000
_EPOCH = dt.date(1899, 12, 30)  # serial 0 of Sheets dates
DATE_PATTERN = "yyyy-mm-dd"
DATETIME_PATTERN = "yyyy-mm-dd hh:mm"
Align = Literal["LEFT", "CENTER", "RIGHT"]
Kind = Literal["empty", "string", "number", "bool", "date", "datetime"]


@dataclass(frozen=True)
class Fmt:
    """The few cell-format properties syncsvc sets (colours are #RRGGBB)."""

    bold: bool = False
    background: str | None = None
    text_colour: str | None = None
    align: Align | None = None
    wrap: bool = False
    date_pattern: str | None = None  # for date cells; default yyyy-mm-dd


PLAIN = Fmt()


class Cell(NamedTuple):
    """One typed cell. There is deliberately no formula kind: nothing syncsvc writes is parsed.

    A named tuple rather than a frozen dataclass: a worksheet of 20,000 tasks holds ~250,000
    cells, and a tuple is made in half the time and held in half the memory."""

    kind: Kind = "empty"
    value: str | float | bool | dt.date | None = None
    fmt: Fmt = PLAIN


BLANK = Cell()


def text(value: str | None, fmt: Fmt = PLAIN) -> Cell:
    """Text, always a string value (a leading '=' stays text); None is an empty cell."""
    if not value:  # None or ""
        return Cell("empty", None, fmt)
    if len(value) > MAX_CELL_CHARS:
        value = value[: MAX_CELL_CHARS - 1] + "…"
    return Cell("string", value, fmt)


def number(value: float | None, fmt: Fmt = PLAIN) -> Cell:
    """A number (int or float); None is an empty cell."""
    return Cell("empty", None, fmt) if value is None else Cell("number", value, fmt)


def date(value: dt.date | None, fmt: Fmt = PLAIN) -> Cell:
    """A date, written as a serial number with a yyyy-mm-dd format."""
    if value is None:
        return Cell("empty", None, fmt)
    return Cell("datetime" if isinstance(value, dt.datetime) else "date", value, fmt)


def flag(value: bool | None, fmt: Fmt = PLAIN) -> Cell:
    """A boolean (shown as TRUE/FALSE); None is an empty cell."""
    return Cell("empty", None, fmt) if value is None else Cell("bool", value, fmt)


@lru_cache(maxsize=256)
def fill(colour: str | None) -> Cell:
    """An empty cell with a background colour (a Gantt bar piece)."""
    return Cell("empty", None, Fmt(background=colour))


def trim_rows(rows: list[tuple[Cell, ...]]) -> tuple[tuple[Cell, ...], ...]:
    """The rows without their trailing blank cells: they say nothing, and dropping them keeps
    payloads and diffs small."""
    out = []
    for r in rows:
        n = len(r)
        while n and (r[n - 1] is BLANK or r[n - 1] == BLANK):  # most blanks are BLANK itself
            n -= 1
        out.append(tuple(r[:n]))
    return tuple(out)


@dataclass(frozen=True)
class GridRange:
    """Rows [top, bottom) and columns [left, right) of a worksheet, zero-based."""

    top: int
    bottom: int
    left: int
    right: int


@dataclass(frozen=True)
class SheetLayout:
    """What one worksheet should hold: cells, widths, frozen header and filtered table."""

    key: str
    title: str
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]
    frozen_rows: int = 1
    frozen_cols: int = 0
    filter: GridRange | None = None
    # Cells (row, column) whose change alone is not worth a write (the "last synced" time).
    volatile: frozenset[tuple[int, int]] = field(default=frozenset())
    # Cell ranges shown as one cell (a sentence across a table's width), merged in both the
    # XLSX and the Sheets worksheet.
    merges: tuple[GridRange, ...] = ()

    @property
    def n_cols(self) -> int:
        return max([len(self.widths), *(len(r) for r in self.rows)], default=1) or 1

    @property
    def n_rows(self) -> int:
        """Grid rows: the data, never fewer than the frozen rows + 1 (Sheets needs one)."""
        return max(len(self.rows), self.frozen_rows + 1, 2)


def serial(value: dt.date) -> float:
    """The Sheets serial number of a date or datetime (days since 1899-12-30)."""
    if isinstance(value, dt.datetime):
        base = dt.datetime(1899, 12, 30, tzinfo=value.tzinfo)
        return round((value - base).total_seconds() / 86400, 6)
    return float((value - _EPOCH).days)


def rgb(colour: str) -> dict[str, float]:
    """`#RRGGBB` → a Sheets `Color` (components 0..1, zeros left out as the API does)."""
    parts = {"red": colour[1:3], "green": colour[3:5], "blue": colour[5:7]}
    out = {k: round(int(v, 16) / 255, 4) for k, v in parts.items()}
    return {k: v for k, v in out.items() if v}


def cell_data(cell: Cell) -> dict[str, Any]:
    """The `CellData` for a cell: a typed `userEnteredValue` and its `userEnteredFormat`."""
    out: dict[str, Any] = {}
    fmt: dict[str, Any] = {}
    if cell.kind == "string":
        out["userEnteredValue"] = {"stringValue": cell.value}
    elif cell.kind == "number":
        out["userEnteredValue"] = {"numberValue": cell.value}
    elif cell.kind == "bool":
        out["userEnteredValue"] = {"boolValue": cell.value}
    elif cell.kind in ("date", "datetime"):
        assert isinstance(cell.value, dt.date)
        out["userEnteredValue"] = {"numberValue": serial(cell.value)}
        pattern = cell.fmt.date_pattern or (DATETIME_PATTERN if cell.kind == "datetime" else DATE_PATTERN)
        fmt["numberFormat"] = {"type": "DATE_TIME" if cell.kind == "datetime" else "DATE", "pattern": pattern}
    f = cell.fmt
    if f.background:
        fmt["backgroundColor"] = rgb(f.background)
    if f.bold or f.text_colour:
        tf: dict[str, Any] = {}
        if f.bold:
            tf["bold"] = True
        if f.text_colour:
            tf["foregroundColor"] = rgb(f.text_colour)
        fmt["textFormat"] = tf
    if f.align:
        fmt["horizontalAlignment"] = f.align
    if f.wrap:
        fmt["wrapStrategy"] = "WRAP"
    if fmt:
        out["userEnteredFormat"] = fmt
    return out


# The part of a cell syncsvc reads back and compares (spreadsheets.get field mask).
CELL_FIELDS = (
    "userEnteredValue,userEnteredFormat(backgroundColor,textFormat(bold,foregroundColor),"
    "numberFormat,horizontalAlignment,wrapStrategy)"
)


@lru_cache(maxsize=65536)
def canonical_cell(cell: Cell) -> tuple[Any, ...]:
    """`canonical(cell_data(cell))`, remembered: grids repeat the same few cells a lot."""
    return canonical(cell_data(cell))


def canonical(data: dict[str, Any]) -> tuple[Any, ...]:
    """A comparable form of a `CellData`, the same whether built here or read back from
    Sheets (which leaves out zero colour components and false flags)."""
    if not data:
        return _EMPTY
    v = data.get("userEnteredValue") or {}
    value: tuple[Any, ...] = ()
    if "stringValue" in v:
        value = ("s", v["stringValue"])
    elif "numberValue" in v:
        value = ("n", round(float(v["numberValue"]), 6))
    elif "boolValue" in v:
        value = ("b", bool(v["boolValue"]))
    elif "formulaValue" in v:
        value = ("f", v["formulaValue"])
    elif "errorValue" in v:
        value = ("e", str(v["errorValue"]))
    f = data.get("userEnteredFormat") or {}
    tf = f.get("textFormat") or {}
    nf = f.get("numberFormat") or {}
    return (
        value,
        _colour_key(f.get("backgroundColor")),
        bool(tf.get("bold", False)),
        _colour_key(tf.get("foregroundColor")),
        (nf.get("type"), nf.get("pattern")) if nf else None,
        f.get("horizontalAlignment"),
        f.get("wrapStrategy") if f.get("wrapStrategy") not in (None, "OVERFLOW_CELL") else None,
    )


_EMPTY: tuple[Any, ...] = ((), None, False, None, None, None, None)


def _colour_key(c: dict[str, Any] | None) -> tuple[float, ...] | None:
    if not c:
        return None
    return tuple(round(float(c.get(k, 0.0)), 3) for k in ("red", "green", "blue"))
