"""Pure diff: wanted worksheet layouts vs the spreadsheet read back → batchUpdate requests."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from syncsvc.errors import RemoteError
from syncsvc.grid.cells import (
    CELL_FIELDS,
    GridRange,
    SheetLayout,
    canonical,
    canonical_cell,
    cell_data,
)

# The one read: everything the diff compares, nothing more (a field mask, CONTRACT §6 tabs).
MAX_GRID = 10_000_000  # Sheets holds at most 10 million cells per spreadsheet
GET_FIELDS = (
    "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount,frozenRowCount,"
    "frozenColumnCount)),basicFilter(range),merges,data(startRow,startColumn,"
    f"rowData(values({CELL_FIELDS})),columnMetadata(pixelSize)))"
)
# Google recommends at most 2 MB per request; bigger writes are split into several batches.
MAX_BATCH_BYTES = 2_000_000
# updateCells requests are cut at this size so that a batch can be split between them.
_CHUNK_BYTES = 200_000
_EMPTY = canonical({})
_GRID_FIELDS = (
    "gridProperties.rowCount,gridProperties.columnCount,"
    "gridProperties.frozenRowCount,gridProperties.frozenColumnCount"
)


@dataclass(frozen=True)
class RemoteSheet:
    """One existing worksheet as read back: properties, widths and canonical cells."""

    sheet_id: int
    title: str
    row_count: int
    col_count: int
    frozen_rows: int
    frozen_cols: int
    filter: GridRange | None
    widths: tuple[int | None, ...]
    rows: tuple[tuple[tuple[Any, ...], ...], ...]
    merges: frozenset[GridRange] = frozenset()


@dataclass(frozen=True)
class Remote:
    """The spreadsheet as read back: sheets by title, and every sheet id in use."""

    sheets: dict[str, RemoteSheet]
    sheet_ids: frozenset[int]


@dataclass(frozen=True)
class SheetChange:
    """What publishing one worksheet takes: its requests and how many rows they change."""

    key: str
    title: str
    action: Literal["create", "update", "unchanged"]
    rows_changed: int
    requests: tuple[dict[str, Any], ...] = field(default=(), repr=False)


def parse_remote(doc: dict[str, Any]) -> Remote:
    """Read a field-masked `spreadsheets.get` answer (see GET_FIELDS). An answer of another
    shape (a proxy's, a changed API) is a RemoteError naming it, never a traceback."""
    try:
        return _parse_remote(doc)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError) as e:
        raise RemoteError(
            f"Google Sheets answered the spreadsheet read in an unexpected shape ({type(e).__name__})",
            hint="check [sheets] api_url (leave it out for Google's own endpoint); run again later",
        ) from None


def _parse_remote(doc: dict[str, Any]) -> Remote:
    sheets: dict[str, RemoteSheet] = {}
    ids = set()
    for s in doc.get("sheets") or []:
        p = s.get("properties") or {}
        g = p.get("gridProperties") or {}
        sid = int(p.get("sheetId", 0))
        ids.add(sid)
        rows: dict[int, tuple[tuple[Any, ...], ...]] = {}
        widths: list[int | None] = []
        for grid in s.get("data") or []:
            r0, c0 = int(grid.get("startRow", 0)), int(grid.get("startColumn", 0))
            if not (0 <= r0 <= MAX_GRID and 0 <= c0 <= MAX_GRID):  # outside any sheet
                raise ValueError(f"a grid starting at row {r0}, column {c0}")
            for i, rd in enumerate(grid.get("rowData") or []):
                cells = [_EMPTY] * c0 + [canonical(v) for v in rd.get("values") or []]
                rows[r0 + i] = _trim(cells)
            if c0 == 0 and grid.get("columnMetadata"):
                widths = [m.get("pixelSize") for m in grid["columnMetadata"]]
        bf = (s.get("basicFilter") or {}).get("range")
        flt = None if bf is None else _range(bf)
        merges = frozenset(_range(m) for m in s.get("merges") or [])
        height = max((i for i, r in rows.items() if r), default=-1) + 1
        sheets[p.get("title", "")] = RemoteSheet(
            sheet_id=sid,
            title=p.get("title", ""),
            row_count=int(g.get("rowCount", 0)),
            col_count=int(g.get("columnCount", 0)),
            frozen_rows=int(g.get("frozenRowCount", 0)),
            frozen_cols=int(g.get("frozenColumnCount", 0)),
            filter=flt,
            widths=tuple(widths),
            rows=tuple(rows.get(i, ()) for i in range(height)),
            merges=merges,
        )
    return Remote(sheets, frozenset(ids))


def _range(r: dict[str, Any]) -> GridRange:
    # Sheets leaves out the indices that are 0
    return GridRange(
        r.get("startRowIndex", 0),
        r.get("endRowIndex", 0),
        r.get("startColumnIndex", 0),
        r.get("endColumnIndex", 0),
    )


def _trim(cells: Sequence[tuple[Any, ...]]) -> tuple[tuple[Any, ...], ...]:
    out = list(cells)
    while out and out[-1] == _EMPTY:
        out.pop()
    return tuple(out)


def new_sheet_id(title: str, used: Iterable[int]) -> int:
    """A stable id for a new worksheet, derived from its title, not already in use."""
    taken = set(used)
    sid = zlib.crc32(title.encode()) % 2_000_000_000 + 1
    while sid in taken:
        sid += 1
    return sid


def diff_sheet(
    layout: SheetLayout,
    remote: RemoteSheet | None,
    sheet_id: int,
    *,
    include_volatile: bool = False,
) -> SheetChange:
    """The requests that make one worksheet match its layout (none when it already does).
    Rows beyond the layout are removed by shrinking the grid, in the same batch."""
    want = [_trim([canonical_cell(c) for c in row]) for row in layout.rows]
    n_rows, n_cols = layout.n_rows, layout.n_cols
    reqs: list[dict[str, Any]] = []
    grid = {
        "rowCount": n_rows,
        "columnCount": n_cols,
        "frozenRowCount": layout.frozen_rows,
        "frozenColumnCount": layout.frozen_cols,
    }
    if remote is None:
        reqs.append(
            {"addSheet": {"properties": {"sheetId": sheet_id, "title": layout.title, "gridProperties": grid}}}
        )
        changed = [i for i, row in enumerate(want)]
        old_widths: tuple[int | None, ...] = ()
        old_filter = None
    else:
        old = (remote.row_count, remote.col_count, remote.frozen_rows, remote.frozen_cols)
        if old != tuple(grid.values()):
            reqs.append(
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "gridProperties": grid},
                        "fields": _GRID_FIELDS,
                    }
                }
            )
        changed = []
        for i in range(max(len(want), len(remote.rows))):
            have = remote.rows[i][:n_cols] if i < len(remote.rows) else ()
            mine = want[i] if i < len(want) else ()
            if i >= n_rows:  # removed with the grid rows
                changed += [i] if _trim(have) else []
                continue
            if not include_volatile:
                mine = _mask(mine, have, {c for r, c in layout.volatile if r == i})
            if _trim(have) != mine:
                changed.append(i)
        old_widths, old_filter = remote.widths, remote.filter
    merges = frozenset(
        m for m in layout.merges if m.right - m.left > 1 and m.bottom <= n_rows and m.right <= n_cols
    )
    had = remote.merges if remote is not None else frozenset()
    # merges of rows the smaller grid drops go with those rows; the others are undone first,
    # the new ones made once their cells are written
    reqs += [
        {"unmergeCells": {"range": _grid_range(sheet_id, m)}}
        for m in sorted(had - merges, key=_order)
        if m.bottom <= n_rows and m.right <= n_cols
    ]
    reqs += _width_requests(layout, sheet_id, old_widths)
    reqs += _cell_requests(layout, sheet_id, [i for i in changed if i < n_rows])
    reqs += [
        {"mergeCells": {"range": _grid_range(sheet_id, m), "mergeType": "MERGE_ALL"}}
        for m in sorted(merges - had, key=_order)
    ]
    if layout.filter != old_filter:
        if layout.filter is None:
            reqs.append({"clearBasicFilter": {"sheetId": sheet_id}})
        else:
            reqs.append({"setBasicFilter": {"filter": {"range": _grid_range(sheet_id, layout.filter)}}})
    action: Literal["create", "update", "unchanged"] = (
        "create" if remote is None else "update" if reqs else "unchanged"
    )
    return SheetChange(layout.key, layout.title, action, len(changed), tuple(reqs))


def _order(r: GridRange) -> tuple[int, int, int, int]:
    return (r.top, r.left, r.bottom, r.right)


def _mask(mine: tuple[Any, ...], have: tuple[Any, ...], cols: set[int]) -> tuple[Any, ...]:
    if not cols:
        return mine
    width = max(len(mine), len(have), max(cols) + 1)
    m = list(mine) + [_EMPTY] * (width - len(mine))
    h = list(have) + [_EMPTY] * (width - len(have))
    for c in cols:
        m[c] = h[c]
    return _trim(m)


def _grid_range(sheet_id: int, r: GridRange) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": r.top,
        "endRowIndex": r.bottom,
        "startColumnIndex": r.left,
        "endColumnIndex": r.right,
    }


def _width_requests(layout: SheetLayout, sheet_id: int, old: tuple[int | None, ...]) -> list[dict[str, Any]]:
    """One updateDimensionProperties per run of columns whose width must change."""
    out: list[dict[str, Any]] = []
    runs: list[list[int]] = []  # [start, end, width]
    for i, w in enumerate(layout.widths):
        if i < len(old) and old[i] == w:
            continue
        if runs and runs[-1][1] == i and runs[-1][2] == w:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1, w])
    for start, end, w in runs:
        out.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": start,
                        "endIndex": end,
                    },
                    "properties": {"pixelSize": w},
                    "fields": "pixelSize",
                }
            }
        )
    return out


def _cell_requests(layout: SheetLayout, sheet_id: int, changed: list[int]) -> list[dict[str, Any]]:
    """updateCells per run of changed rows; each covers the full grid width so stale cells in
    those rows are cleared, and is cut at ~200 KB so a big write can be split into batches."""
    out: list[dict[str, Any]] = []
    n_cols = layout.n_cols
    run: list[dict[str, Any]] = []
    start = prev = -2
    size = 0

    def flush() -> None:
        if run:
            out.append(
                {
                    "updateCells": {
                        "range": _grid_range(sheet_id, GridRange(start, start + len(run), 0, n_cols)),
                        "rows": list(run),
                        "fields": "userEnteredValue,userEnteredFormat",
                    }
                }
            )

    for i in changed:
        row = layout.rows[i] if i < len(layout.rows) else ()
        data = {"values": [cell_data(c) for c in row]}
        n = len(json.dumps(data, separators=(",", ":")))
        if i != prev + 1 or size + n > _CHUNK_BYTES:
            flush()
            run, start, size = [], i, 0
        run.append(data)
        size += n
        prev = i
    flush()
    return out


def diff_all(layouts: Sequence[SheetLayout], remote: Remote) -> list[SheetChange]:
    """Changes for every worksheet; the volatile cells (last synced) ride along only when
    something else changes, so an unchanged plan makes no write at all."""
    used = set(remote.sheet_ids)
    ids: dict[str, int] = {}
    for lay in layouts:
        rs = remote.sheets.get(lay.title)
        ids[lay.title] = rs.sheet_id if rs else new_sheet_id(lay.title, used)
        used.add(ids[lay.title])
    changes = [diff_sheet(lay, remote.sheets.get(lay.title), ids[lay.title]) for lay in layouts]
    if any(c.requests for c in changes):
        changes = [
            diff_sheet(lay, remote.sheets.get(lay.title), ids[lay.title], include_volatile=bool(lay.volatile))
            if lay.volatile
            else ch
            for lay, ch in zip(layouts, changes, strict=True)
        ]
    return changes


def batches(changes: Sequence[SheetChange], limit: int | None = None) -> list[bytes]:
    """The batchUpdate bodies (compact JSON), one unless the requests pass `limit` bytes
    (default MAX_BATCH_BYTES); then split between requests, in order."""
    limit = limit or MAX_BATCH_BYTES
    reqs = [r for c in changes for r in c.requests]
    if not reqs:
        return []
    bodies: list[bytes] = []
    cur: list[bytes] = []
    size = 0
    for r in reqs:
        b = json.dumps(r, separators=(",", ":"), ensure_ascii=False).encode()
        if cur and size + len(b) + 1 > limit:
            bodies.append(_body(cur))
            cur, size = [], 0
        cur.append(b)
        size += len(b) + 1
    bodies.append(_body(cur))
    return bodies


def _body(reqs: list[bytes]) -> bytes:
    return b'{"requests":[' + b",".join(reqs) + b"]}"
