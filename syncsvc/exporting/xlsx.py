"""The plan as `dashboard.xlsx`: the Sheets dashboard's six worksheets, written with XlsxWriter.

The worksheets come from the same pure layout `syncsvc publish` sends to Google Sheets
(`syncsvc.grid.layout.sheet_layout`), so the offline workbook and the online dashboard never
drift apart. This module only turns typed cells into spreadsheet cells; it is the one place that
imports XlsxWriter, and only inside its functions (the CLI starts without it). Columns and row
heights are measured in a first pass over a worksheet's layout, its cells written in a second.
XlsxWriter runs in its `constant_memory` mode: each row goes to a temporary file once the next
row starts (so rows and their cells are written in order), and every text is written where it
stands, not in a table of shared strings. Its default mode, which keeps every cell until the
workbook is closed, was ~7% faster (2.0-2.2 s against 2.2-2.3 s at 20,000 tasks) but held
~17 MB more at the export's peak. Each worksheet's layout is dropped once written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, BinaryIO

from syncsvc.grid.cells import PLAIN, Cell, Fmt, SheetLayout
from syncsvc.grid.layout import SHEET_KEYS, sheet_layout, sheet_titles
from syncsvc.grid.mapping import SheetsMapping
from syncsvc.model import Plan

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

# Characters an XLSX cell cannot hold (XML 1.0): they are dropped.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
# Characters Excel refuses in a worksheet title (and its 31-character limit).
_BAD_TITLE = re.compile(r"[\\/*?:\[\]]")
_PX_PER_CHAR = 7.0  # Sheets widths are pixels; Excel's are characters of the default font
INT_FORMAT = "0"
FLOAT_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FONT_NAME = "Calibri"
FONT_SIZE = 11
LINE_POINTS = 15.0  # the height of one line of 11-point Calibri, in points
MAX_FIT_CHARS = 50  # a column grows to fit its longest unwrapped text up to this width
MAX_WORD_CHARS = 20  # and to fit the longest word of a wrapped text up to this width
_BOLD_WIDER = 1.1  # bold text takes about a tenth more room
# text is always a string cell: never a formula, a number or a link, whatever it looks like
_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "constant_memory": True,
}


def dashboard_xlsx(plan: Plan, dest: BinaryIO, mapping: SheetsMapping) -> None:
    """Write the workbook into `dest`: Dashboard, Risks (with the coloured heat grid), RACI,
    Timeline (with the week-by-week Gantt grid), Rollback and Communication. Each worksheet
    is laid out, written and dropped before the next is laid out."""
    from xlsxwriter import Workbook

    wb = Workbook(dest, _OPTIONS)
    formats = _Formats(wb)
    used: set[str] = set()
    titles = sheet_titles(plan.plan_id, mapping, prefix=False)
    sheets = {key: wb.add_worksheet(_title(titles[key], used)) for key in SHEET_KEYS}
    for key in SHEET_KEYS:
        # built, written and dropped before the next is built
        _fill(sheets[key], sheet_layout(key, plan, mapping), formats)
    wb.close()


def _title(title: str, used: set[str]) -> str:
    base = _BAD_TITLE.sub("-", title).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _fill(ws: Worksheet, layout: SheetLayout, formats: _Formats) -> None:
    chars, heights = _measure(layout)
    for i, w in enumerate(chars):
        ws.set_column(i, i, w)
    if layout.frozen_rows or layout.frozen_cols:
        ws.freeze_panes(layout.frozen_rows, layout.frozen_cols)
    g = layout.filter
    if g is not None and g.bottom > g.top and g.right > g.left:
        ws.autofilter(g.top, g.left, g.bottom - 1, g.right - 1)
    _print_setup(ws, layout)
    # merges are one row high (the layout makes no other): each is laid before its row's cells
    merges: dict[int, list[tuple[int, int]]] = {}
    for m in layout.merges:
        if m.right - m.left > 1 and m.top < len(layout.rows):
            merges.setdefault(m.top, []).append((m.left, m.right))
    for r, row in enumerate(layout.rows):
        top = heights.get(r, 1) > 1
        if top:  # a tall row reads from its top line, every cell of it
            ws.set_row(r, heights[r] * LINE_POINTS)
        for left, right in merges.get(r, ()):
            ws.merge_range(r, left, r, right - 1, "", formats.get(PLAIN, None, top))
        for c, item in enumerate(row):
            if item.kind != "empty" or top or item.fmt is not PLAIN:  # nothing to write otherwise
                _write(ws, r, c, item, formats, top)


def _measure(layout: SheetLayout) -> tuple[list[float], dict[int, int]]:
    """Each column's width (characters) and the lines of each row taller than one line."""
    chars = [max(round(px / _PX_PER_CHAR, 1), 3.0) for px in layout.widths]
    merged = {(g.top, g.left): g for g in layout.merges}
    inside = {(r, c) for g in layout.merges for r in range(g.top, g.bottom) for c in range(g.left, g.right)}
    wrapped: list[tuple[int, int, str]] = []  # (row, column, text) whose lines set a row height
    need: dict[int, float] = {}  # column -> the width its longest one-line value needs
    for r, row in enumerate(layout.rows):
        for c, item in enumerate(row):
            kind = item.kind
            if kind == "empty":
                continue
            f = item.fmt
            if f.wrap or (merged and (r, c) in merged):
                wrapped.append((r, c, str(item.value)))
                continue
            if (inside and (r, c) in inside) or len(row) == 1:
                continue  # a heading alone in its row overflows into the empty cells beside it
            if kind == "string":
                n = len(str(item.value)) * (_BOLD_WIDER if f.bold else 1.0) + 2
            elif kind == "number":
                n = len(str(item.value)) + 2
            else:  # dates (a week header is "d mmm"), booleans
                n = 7.0 if kind == "bool" or f.date_pattern else 12.0
            if n > need.get(c, 0.0):
                need[c] = n
    for c, n in need.items():
        _widen(chars, c, min(n, MAX_FIT_CHARS))
    for r, c, value in wrapped:
        if (r, c) not in merged:  # a wrapped text breaks between words, not inside one
            _widen(chars, c, min(max((len(w) for w in value.split()), default=0) + 2, MAX_WORD_CHARS))
    heights: dict[int, int] = {}
    for r, c, value in wrapped:
        span = merged.get((r, c))
        width = sum(_width(chars, i) for i in range(c, span.right)) if span else _width(chars, c)
        heights[r] = max(heights.get(r, 1), _lines(value, width))
    return chars, heights


def _widen(chars: list[float], col: int, width: float) -> None:
    """Widen column `col` to `width` characters; never narrow it."""
    while len(chars) <= col:
        chars.append(8.43)  # Excel's default column width
    if width > chars[col]:
        chars[col] = round(width, 1)


def _width(chars: list[float], col: int) -> float:
    return chars[col] if col < len(chars) else 8.43


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (word wrap, roughly)."""
    room = max(int(width) - 1, 1)
    n = 0
    for para in text.split("\n"):
        n += 1
        line = 0
        for word in para.split(" "):
            size = len(word)
            if line and line + 1 + size > room:
                n += 1
                line = 0
            line += (1 if line else 0) + size
            while line > room:  # a word longer than the column breaks across lines
                n += 1
                line -= room
    return n


def _print_setup(ws: Worksheet, layout: SheetLayout) -> None:
    """Landscape, one page wide (as many pages long as needed), header rows on every page.

    Only on a sheet that is one table: a sheet has one set of rows repeated on every page, and
    on a sheet with sections after its table (the risks' heat grid, the rollback's triggers, the
    stakeholders after the communication plan) the table's header would print over a section's
    rows and name the wrong columns. Those sections carry their own header rows. (A page break
    before them would not help: Excel ignores manual breaks on a sheet fitted to the page.)
    """
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    table = layout.filter
    if layout.frozen_rows and (table is None or len(layout.rows) <= table.bottom):
        ws.repeat_rows(0, layout.frozen_rows - 1)


def _write(ws: Worksheet, r: int, c: int, item: Cell, formats: _Formats, top: bool) -> None:
    """One typed cell: text always as a string, numbers and dates with a format.

    Text goes in as a string cell, which Excel and LibreOffice never evaluate, so it needs no
    `'` in front and shows none (the CSVs, which have no cell types, keep that escape).
    """
    kind, v = item.kind, item.value
    if kind == "string":
        ws.write_string(r, c, _ILLEGAL.sub("", str(v)), formats.get(item.fmt, None, top))
    elif kind == "number":
        assert isinstance(v, int | float)
        ws.write_number(
            r, c, v, formats.get(item.fmt, INT_FORMAT if isinstance(v, int) else FLOAT_FORMAT, top)
        )
    elif kind == "bool":
        ws.write_boolean(r, c, bool(v), formats.get(item.fmt, None, top))
    elif kind in ("date", "datetime"):
        assert isinstance(v, dt.date)
        if isinstance(v, dt.datetime) and v.tzinfo is not None:  # Excel has no time zones
            v = v.astimezone(dt.UTC).replace(tzinfo=None)
        pattern = item.fmt.date_pattern or (DATETIME_FORMAT if isinstance(v, dt.datetime) else DATE_FORMAT)
        ws.write_datetime(r, c, v, formats.get(item.fmt, pattern, top))
    elif item.fmt != PLAIN or top:  # an empty cell that shows something (a Gantt bar)
        ws.write_blank(r, c, None, formats.get(item.fmt, None, top))


class _Formats:
    """One workbook format per (cell format, number format, top-aligned): XlsxWriter keeps a
    table of them, and building one per cell would be most of the time a workbook takes."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._made: dict[tuple[Fmt, str | None, bool], Any] = {}
        self._by_id: dict[tuple[int, str | None, bool], Any] = {}
        self._alive: list[Fmt] = []

    def get(self, f: Fmt, number: str | None, top: bool) -> Any:
        # a layout repeats the same few Fmt objects: look them up by identity first (hashing a
        # frozen dataclass hashes all its fields, every time), by value on a miss
        if f is PLAIN and number is None and not top:
            return None  # the workbook's default style: Calibri 11, nothing else
        key = (id(f), number, top)
        made = self._by_id.get(key)
        if made is None:
            value_key = (f, number, top)
            made = self._made.get(value_key)
            if made is None:
                made = self._made[value_key] = self._wb.add_format(_properties(f, number, top))
            self._by_id[key] = made
            self._alive.append(f)  # keeps `id(f)` from being reused while the workbook is built
        return made


def _properties(f: Fmt, number: str | None, top: bool) -> dict[str, Any]:
    props: dict[str, Any] = {"font_name": FONT_NAME, "font_size": FONT_SIZE}
    if f.bold:
        props["bold"] = True
    if f.text_colour:
        props["font_color"] = _rgb(f.text_colour)
    if f.background:
        props.update(pattern=1, bg_color=_rgb(f.background))
    if f.align:
        props["align"] = f.align.lower()
    if f.wrap:
        props["text_wrap"] = True
    if f.wrap or top:
        props["valign"] = "top"
    if number:
        props["num_format"] = number
    return props


def _rgb(colour: str) -> str:
    return "#" + colour.lstrip("#").upper()
