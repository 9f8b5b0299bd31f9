"""The plan as `dashboard.xlsx`: the Sheets dashboard's six worksheets, written with openpyxl.

The worksheets come from the same pure layout `syncsvc publish` sends to Google Sheets
(`syncsvc.grid.layout.build_layouts`), so the offline workbook and the online dashboard never
drift apart. This module only turns typed cells into openpyxl cells; it is the one place that
imports openpyxl, and only inside its functions (the CLI starts without it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncsvc.grid.cells import PLAIN, Cell, Fmt, SheetLayout
from syncsvc.grid.layout import build_layouts
from syncsvc.grid.mapping import load_mapping
from syncsvc.model import Plan

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Characters an XLSX cell cannot hold (XML 1.0); openpyxl refuses them, so they are dropped.
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


def dashboard_xlsx(plan: Plan, *, catalog_dir: Path | None = None) -> bytes:
    """The workbook's bytes: Dashboard, Risks (with the coloured heat grid), RACI, Timeline
    (with the week-by-week Gantt grid), Rollback and Communication."""
    from openpyxl import Workbook

    layouts = build_layouts(plan, load_mapping(catalog_dir))
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    used: set[str] = set()
    for layout in layouts:
        ws = wb.create_sheet(_title(layout.title, used))
        _fill(ws, layout)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _title(title: str, used: set[str]) -> str:
    base = _BAD_TITLE.sub("-", title).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _fill(ws: Worksheet, layout: SheetLayout) -> None:
    from openpyxl.utils import get_column_letter

    chars = [max(round(px / _PX_PER_CHAR, 1), 3.0) for px in layout.widths]
    merged = {(g.top, g.left): g for g in layout.merges}
    inside = {(r, c) for g in layout.merges for r in range(g.top, g.bottom) for c in range(g.left, g.right)}
    wrapped: list[tuple[int, int, str]] = []  # (row, column, text) whose lines set a row height
    need: dict[int, float] = {}  # column -> the width its longest one-line value needs
    for r, row in enumerate(layout.rows):
        for c, item in enumerate(row):
            kind = item.kind
            if kind == "empty":
                if item.fmt != PLAIN:
                    _write(ws.cell(row=r + 1, column=c + 1), item)
                continue
            _write(ws.cell(row=r + 1, column=c + 1), item)
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
    for i, w in enumerate(chars, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for m in layout.merges:
        if m.right - m.left > 1 and m.top < len(layout.rows):
            ws.merge_cells(start_row=m.top + 1, start_column=m.left + 1, end_row=m.bottom, end_column=m.right)
    heights: dict[int, int] = {}
    for r, c, value in wrapped:
        span = merged.get((r, c))
        width = sum(_width(chars, i) for i in range(c, span.right)) if span else _width(chars, c)
        heights[r] = max(heights.get(r, 1), _lines(value, width))
    for r, n in heights.items():
        if n > 1:
            ws.row_dimensions[r + 1].height = n * LINE_POINTS
            for cell in ws[r + 1]:  # a tall row reads from its top line, every cell of it
                a = cell.alignment
                cell.alignment = _top(a.horizontal, bool(a.wrap_text))
    if layout.frozen_rows or layout.frozen_cols:
        ws.freeze_panes = ws.cell(row=layout.frozen_rows + 1, column=layout.frozen_cols + 1)
    g = layout.filter
    if g is not None and g.bottom > g.top and g.right > g.left:
        ws.auto_filter.ref = (
            f"{get_column_letter(g.left + 1)}{g.top + 1}:{get_column_letter(g.right)}{g.bottom}"
        )
    _print_setup(ws, layout)


def _widen(chars: list[float], col: int, width: float) -> None:
    """Widen column `col` to `width` characters; never narrow it."""
    while len(chars) <= col:
        chars.append(8.43)  # Excel's default column width
    if width > chars[col]:
        chars[col] = round(width, 1)


@lru_cache(maxsize=16)
def _top(horizontal: str | None, wrap: bool) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal=horizontal, wrap_text=wrap or None, vertical="top")


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
    """Landscape, one page wide (as many pages long as needed), header rows on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if layout.frozen_rows:
        ws.print_title_rows = f"1:{layout.frozen_rows}"


def _write(target: Any, item: Cell) -> None:
    """One typed cell: text always as a string, numbers and dates with a format.

    Text goes in as a string cell, which Excel and LibreOffice never evaluate, so it needs no
    `'` in front and shows none (the CSVs, which have no cell types, keep that escape).
    """
    v = item.value
    if item.kind == "string":
        target.value = _ILLEGAL.sub("", str(v))
        target.data_type = "s"  # never a formula, whatever the text looks like
    elif item.kind == "number":
        target.value = v
        target.number_format = INT_FORMAT if isinstance(v, int) else FLOAT_FORMAT
    elif item.kind == "bool":
        target.value = bool(v)
    elif item.kind in ("date", "datetime"):
        assert isinstance(v, dt.date)
        if isinstance(v, dt.datetime) and v.tzinfo is not None:  # Excel has no time zones
            v = v.astimezone(dt.UTC).replace(tzinfo=None)
        target.value = v
        target.number_format = item.fmt.date_pattern or (
            DATETIME_FORMAT if isinstance(v, dt.datetime) else DATE_FORMAT
        )
    font, fill, alignment = _styles(item.fmt)
    if font is not None:
        target.font = font
    if fill is not None:
        target.fill = fill
    if alignment is not None:
        target.alignment = alignment


@lru_cache(maxsize=256)
def _styles(f: Fmt) -> tuple[Any, Any, Any]:
    # One set of (immutable) style objects per format: building them per cell is most of the
    # time openpyxl takes for a workbook of this size.
    from openpyxl.styles import Alignment, Font, PatternFill

    font = (
        Font(
            name=FONT_NAME, size=FONT_SIZE, bold=f.bold, color=_argb(f.text_colour) if f.text_colour else None
        )
        if f.bold or f.text_colour
        else None
    )
    fill = (
        PatternFill(fill_type="solid", start_color=_argb(f.background), end_color=_argb(f.background))
        if f.background
        else None
    )
    alignment = (
        Alignment(
            horizontal=f.align.lower() if f.align else None,
            wrap_text=f.wrap or None,
            vertical="top" if f.wrap else None,
        )
        if f.align or f.wrap
        else None
    )
    return font, fill, alignment


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()
