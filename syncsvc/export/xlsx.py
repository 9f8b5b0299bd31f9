"""The plan as `dashboard.xlsx`: the Sheets dashboard's six worksheets, written with openpyxl.

The worksheets come from the same pure layout `syncsvc publish` sends to Google Sheets
(`syncsvc.sheets.layout.build_layouts`), so the offline workbook and the online dashboard never
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

from syncsvc.model import Plan
from syncsvc.render.text import cell as escape_cell
from syncsvc.sheets.cells import Cell, Fmt, SheetLayout
from syncsvc.sheets.layout import build_layouts
from syncsvc.sheets.mapping import load_mapping

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

    for r, row in enumerate(layout.rows, start=1):
        for c, item in enumerate(row, start=1):
            if item.kind != "empty" or item.fmt != Fmt():
                _write(ws.cell(row=r, column=c), item)
    for i, px in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(round(px / _PX_PER_CHAR, 1), 3.0)
    if layout.frozen_rows or layout.frozen_cols:
        ws.freeze_panes = ws.cell(row=layout.frozen_rows + 1, column=layout.frozen_cols + 1)
    g = layout.filter
    if g is not None and g.bottom > g.top and g.right > g.left:
        ws.auto_filter.ref = (f"{get_column_letter(g.left + 1)}{g.top + 1}:"
                              f"{get_column_letter(g.right)}{g.bottom}")


def _write(target: Any, item: Cell) -> None:
    """One typed cell: text always as a string (escaped), numbers and dates with a format."""
    v = item.value
    if item.kind == "string":
        target.value = escape_cell(_ILLEGAL.sub("", str(v)))
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
            DATETIME_FORMAT if isinstance(v, dt.datetime) else DATE_FORMAT)
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

    font = (Font(bold=f.bold, color=_argb(f.text_colour) if f.text_colour else None)
            if f.bold or f.text_colour else None)
    fill = (PatternFill(fill_type="solid", start_color=_argb(f.background),
                        end_color=_argb(f.background)) if f.background else None)
    alignment = (Alignment(horizontal=f.align.lower() if f.align else None,
                           wrap_text=f.wrap or None, vertical="top" if f.wrap else None)
                 if f.align or f.wrap else None)
    return font, fill, alignment


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()
