"""Compare two exported bundles: the text files byte for byte, the workbooks cell by cell.

Usage (from the repository root): python bench/xlsx_same.py DIR_A DIR_B
(or two .xlsx files). A workbook is read with openpyxl and compared sheet by sheet: titles and
order, every cell's value, type, number format, font, fill, alignment, border and protection,
column widths and hidden columns, row heights, merged ranges, frozen panes, the auto-filter,
print setup (orientation, fit to page, print titles) and the defined names. Exit 1 on any
difference (the first 20 are printed). For a speed change of the export, where the bytes of
the workbook's XML may move (shared strings, style order) while what a person sees must not.
"""

from __future__ import annotations

import filecmp
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

TEXT_FILES = ("plan.md", "plan.json", "risks.csv", "raci.csv", "timeline.csv")


def _style(cell: Any) -> tuple[object, ...]:
    return (
        cell.number_format,
        repr(cell.font),
        repr(cell.fill),
        repr(cell.alignment),
        repr(cell.border),
        repr(cell.protection),
    )


def _sheet(ws: Any, styles: dict[int, tuple[object, ...]]) -> Iterator[tuple[str, object]]:
    """Everything compared of one worksheet, as (what, value) pairs in a fixed order;
    `styles`: the workbook's styles read so far, by their number in that workbook."""
    yield "dimensions", ws.dimensions
    for row in ws.iter_rows():
        for cell in row:
            style = styles.get(cell.style_id)
            if style is None:
                style = styles[cell.style_id] = _style(cell)
            yield cell.coordinate, (cell.value, cell.data_type, *style)
    for key, dim in sorted(ws.column_dimensions.items()):
        yield f"column {key}", (dim.width, dim.hidden, dim.min, dim.max)
    for key, dim in sorted(ws.row_dimensions.items()):
        yield f"row {key}", (dim.height, dim.hidden)
    yield "merged", sorted(str(r) for r in ws.merged_cells.ranges)
    yield "freeze", ws.freeze_panes
    yield "filter", ws.auto_filter.ref
    yield (
        "print",
        (
            ws.page_setup.orientation,
            ws.page_setup.fitToWidth,
            ws.page_setup.fitToHeight,
            ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
            ws.print_title_rows,
            ws.print_title_cols,
        ),
    )


def _workbook(path: Path) -> Iterator[tuple[str, object]]:
    wb = openpyxl.load_workbook(path)
    yield "sheets", wb.sheetnames
    yield "defined names", sorted((n, str(d.attr_text)) for n, d in wb.defined_names.items())
    styles: dict[int, tuple[object, ...]] = {}
    for ws in wb.worksheets:
        yield f"{ws.title}: defined names", sorted((n, str(d.attr_text)) for n, d in ws.defined_names.items())
        for what, value in _sheet(ws, styles):
            yield f"{ws.title}!{what}", value


def compare_xlsx(a: Path, b: Path) -> list[str]:
    """The differences between two workbooks (empty when they show the same)."""
    out = []
    left, right = list(_workbook(a)), list(_workbook(b))
    if len(left) != len(right):
        out.append(f"{len(left)} items against {len(right)}")
    for (wa, va), (wb, vb) in zip(left, right, strict=False):
        if wa != wb or va != vb:
            out.append(f"{wa}: {va!r} | {wb}: {vb!r}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    a, b = Path(argv[0]), Path(argv[1])
    diffs: list[str] = []
    if a.is_dir():
        for name in TEXT_FILES:
            if not filecmp.cmp(a / name, b / name, shallow=False):
                diffs.append(f"{name}: the bytes differ")
        a, b = a / "dashboard.xlsx", b / "dashboard.xlsx"
    diffs += compare_xlsx(a, b)
    for d in diffs[:20]:
        print(d if len(d) < 400 else d[:400] + " ...")
    print("same" if not diffs else f"{len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
