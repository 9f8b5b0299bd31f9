"""Trim Google's Sheets v4 discovery document to what syncsvc calls (for the fake Sheets API).

Usage: python tests/contracts/trim_sheets_discovery.py PATH/TO/sheets.v4.discovery.json
Writes tests/contracts/sheets-discovery.trimmed.json next to this script: the global parameters,
the methods spreadsheets.get and spreadsheets.batchUpdate, and the schemas they reach, with the
big unions (Request, Response, Spreadsheet, Sheet, CellData, ...) cut down to the members kept
below. A body member that the trimmed contract lacks is refused by the fake, so widening what
syncsvc sends means widening KEEP_MEMBERS here and re-running this script.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

KEEP_METHODS = ("get", "batchUpdate")
# Schema name → the properties kept (schemas not named here keep all of theirs).
KEEP_MEMBERS: dict[str, tuple[str, ...]] = {
    "Request": (
        "addSheet",
        "updateSheetProperties",
        "updateCells",
        "updateDimensionProperties",
        "setBasicFilter",
        "clearBasicFilter",
        "repeatCell",
        "deleteSheet",
        "mergeCells",
        "unmergeCells",
    ),
    "Response": ("addSheet",),
    "Spreadsheet": ("spreadsheetId", "properties", "sheets", "spreadsheetUrl"),
    "SpreadsheetProperties": ("title", "locale", "timeZone"),
    "Sheet": ("properties", "data", "basicFilter", "merges"),
    "SheetProperties": (
        "sheetId",
        "title",
        "index",
        "sheetType",
        "gridProperties",
        "hidden",
        "tabColor",
        "rightToLeft",
    ),
    "GridData": ("startRow", "startColumn", "rowData", "rowMetadata", "columnMetadata"),
    "CellData": (
        "userEnteredValue",
        "effectiveValue",
        "formattedValue",
        "userEnteredFormat",
        "effectiveFormat",
        "note",
        "hyperlink",
    ),
    "CellFormat": (
        "numberFormat",
        "backgroundColor",
        "borders",
        "padding",
        "horizontalAlignment",
        "verticalAlignment",
        "wrapStrategy",
        "textDirection",
        "textFormat",
        "hyperlinkDisplayType",
        "textRotation",
    ),
    "TextFormat": (
        "foregroundColor",
        "fontFamily",
        "fontSize",
        "bold",
        "italic",
        "strikethrough",
        "underline",
    ),
    "Border": ("style", "width", "color"),
    "DimensionProperties": ("hiddenByFilter", "hiddenByUser", "pixelSize"),
    "UpdateDimensionPropertiesRequest": ("range", "properties", "fields"),
    "BasicFilter": ("range", "sortSpecs", "filterSpecs"),
    "SortSpec": ("dimensionIndex", "sortOrder"),
    "FilterSpec": ("columnIndex", "filterCriteria"),
    "FilterCriteria": ("hiddenValues",),
    "ExtendedValue": ("numberValue", "stringValue", "boolValue", "formulaValue", "errorValue"),
}
OUT = Path(__file__).with_name("sheets-discovery.trimmed.json")


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for v in node.values():
            _refs(v, found)
    elif isinstance(node, list):
        for v in node:
            _refs(v, found)


def _cut(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    keep = KEEP_MEMBERS.get(name)
    if keep is None:
        return schema
    props = schema["properties"]
    missing = [k for k in keep if k not in props]
    if missing:
        raise SystemExit(f"{name}: the discovery document has no {missing}")
    return {**schema, "properties": {k: props[k] for k in keep}}


def trim(doc: dict[str, Any]) -> dict[str, Any]:
    """The kept methods and the (cut) schemas they reach."""
    methods = doc["resources"]["spreadsheets"]["methods"]
    kept = {m: methods[m] for m in KEEP_METHODS}
    schemas = doc["schemas"]
    need: set[str] = set()
    _refs(kept, need)
    todo = list(need)
    out: dict[str, Any] = {}
    while todo:
        name = todo.pop()
        out[name] = _cut(name, schemas[name])
        more: set[str] = set()
        _refs(out[name], more)
        for m in more - need:
            need.add(m)
            todo.append(m)
    return {
        "id": doc["id"],
        "revision": doc["revision"],
        "rootUrl": doc["rootUrl"],
        "servicePath": doc["servicePath"],
        "parameters": doc["parameters"],
        "x-trimmed": {"methods": list(KEEP_METHODS), "members": KEEP_MEMBERS},
        "resources": {"spreadsheets": {"methods": kept}},
        "schemas": {k: out[k] for k in sorted(out)},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    doc = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(trim(doc), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
