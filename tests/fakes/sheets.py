"""A stateful fake of the Google Sheets v4 API and Google's OAuth token endpoint, on `responses`.

Every request is checked against Google's discovery document (the trimmed copy in
tests/contracts/): query parameters, and batchUpdate bodies member by member. State is kept per
spreadsheet: worksheets with grid properties, basic filter, column widths and cells (typed
values and formats, exactly as sent: a `formulaValue` stays a formula, so an injection test can
fail). It can answer 401/403/404/429/503 and applies a batch atomically, as Sheets does.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import requests
import responses
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CONTRACT = Path(__file__).resolve().parents[1] / "contracts" / "sheets-discovery.trimmed.json"
BASE = "https://sheets.googleapis.com/v4/spreadsheets/"
TOKEN_URL = "https://oauth2.googleapis.com/token"
SCOPE = "https://www.googleapis.com/auth/spreadsheets"
TEST_TOKEN = "test-token"
_INT32 = (-(2**31), 2**31 - 1)


class ContractError(AssertionError):
    """A request the real API would refuse as malformed (raised inside the test)."""


# --- contract ----------------------------------------------------------------------------------


class Discovery:
    """Validation of values against the discovery document's schemas."""

    def __init__(self, path: Path = CONTRACT) -> None:
        self.doc = json.loads(path.read_text(encoding="utf-8"))
        self.schemas: dict[str, Any] = self.doc["schemas"]
        self.methods: dict[str, Any] = self.doc["resources"]["spreadsheets"]["methods"]

    def check(self, ref_or_schema: dict[str, Any] | str, value: Any, where: str = "body") -> None:
        schema = {"$ref": ref_or_schema} if isinstance(ref_or_schema, str) else ref_or_schema
        if "$ref" in schema:
            schema = self.schemas[schema["$ref"]]
        t = schema.get("type")
        if t == "object":
            if not isinstance(value, dict):
                raise ContractError(f"{where}: expected an object, got {value!r:.80}")
            props = schema.get("properties")
            for k, v in value.items():
                if props is not None and k in props:
                    self.check(props[k], v, f"{where}.{k}")
                elif "additionalProperties" in schema:
                    self.check(schema["additionalProperties"], v, f"{where}.{k}")
                else:
                    raise ContractError(f"{where}: unknown member {k!r} (not in the contract)")
        elif t == "array":
            if not isinstance(value, list):
                raise ContractError(f"{where}: expected an array, got {value!r:.80}")
            for i, v in enumerate(value):
                self.check(schema["items"], v, f"{where}[{i}]")
        elif t == "string":
            if not isinstance(value, str):
                raise ContractError(f"{where}: expected a string, got {value!r:.80}")
            if "enum" in schema and value not in schema["enum"]:
                raise ContractError(f"{where}: {value!r} is not one of {schema['enum']}")
        elif t == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ContractError(f"{where}: expected an integer, got {value!r:.80}")
            if schema.get("format") == "int32" and not _INT32[0] <= value <= _INT32[1]:
                raise ContractError(f"{where}: {value} is out of int32 range")
        elif t == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ContractError(f"{where}: expected a number, got {value!r:.80}")
        elif t == "boolean" and not isinstance(value, bool):
            raise ContractError(f"{where}: expected a boolean, got {value!r:.80}")

    def check_query(self, method: str, query: dict[str, list[str]]) -> None:
        allowed = set(self.doc["parameters"]) | set(self.methods[method]["parameters"])
        for k in query:
            if k not in allowed:
                raise ContractError(f"{method}: unknown query parameter {k!r}")


# --- field masks -------------------------------------------------------------------------------


def parse_mask(mask: str) -> dict[str, Any]:
    """`a(b,c.d),e` → {"a": {"b": None, "c": {"d": None}}, "e": None} (None: the whole value)."""
    pos = 0

    def items() -> dict[str, Any]:
        nonlocal pos
        out: dict[str, Any] = {}
        while True:
            m = re.compile(r"[A-Za-z_*][A-Za-z0-9_.]*").match(mask, pos)
            if not m:
                raise ContractError(f"bad field mask at {pos}: {mask!r}")
            pos = m.end()
            names = m.group(0).split(".")
            sub: Any = None
            if pos < len(mask) and mask[pos] == "(":
                pos += 1
                sub = items()
                if pos >= len(mask) or mask[pos] != ")":
                    raise ContractError(f"unbalanced field mask: {mask!r}")
                pos += 1
            for name in reversed(names[1:]):
                sub = {name: sub}
            _merge(out, names[0], sub)
            if pos < len(mask) and mask[pos] == ",":
                pos += 1
                continue
            return out

    tree = items()
    if pos != len(mask):
        raise ContractError(f"bad field mask at {pos}: {mask!r}")
    return tree


def _merge(out: dict[str, Any], key: str, sub: Any) -> None:
    if key in out and isinstance(out[key], dict) and isinstance(sub, dict):
        for k, v in sub.items():
            _merge(out[key], k, v)
    else:
        out[key] = None if key in out and out[key] is None else sub


def apply_mask(value: Any, tree: dict[str, Any] | None) -> Any:
    if tree is None or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply_mask(v, tree) for v in value]
    if isinstance(value, dict):
        return {k: apply_mask(value[k], sub) for k, sub in tree.items() if k in value}
    return value


# --- state -------------------------------------------------------------------------------------


@dataclass
class FakeSheet:
    props: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)
    basic_filter: dict[str, Any] | None = None
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # rows, columns [)

    @property
    def rows(self) -> int:
        return int(self.props["gridProperties"]["rowCount"])

    @property
    def cols(self) -> int:
        return int(self.props["gridProperties"]["columnCount"])


@dataclass
class FakeSpreadsheet:
    sheets: list[FakeSheet]
    shared_with: set[str] | None = None  # None: every identity may open it


class _Refused(Exception):
    def __init__(self, status: int, message: str, reason: str = "INVALID_ARGUMENT") -> None:
        super().__init__(message)
        self.status, self.message, self.reason = status, message, reason


def error_body(status: int, message: str, reason: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "status": reason}}


class FakeSheets:
    """The fake API. Install with `fake.install(rsps)` on a `responses.RequestsMock`."""

    def __init__(self) -> None:
        self.discovery = Discovery()
        self.spreadsheets: dict[str, FakeSpreadsheet] = {}
        self.tokens: dict[str, str] = {TEST_TOKEN: "test-token-user"}  # token → identity
        self.accounts: dict[str, Any] = {}  # client_email → public key
        self.scopes: list[str] = []
        self.calls: list[tuple[str, str]] = []  # (kind, url) of Sheets API calls
        self.token_calls = 0
        self.bodies: list[dict[str, Any]] = []  # batchUpdate bodies, as received
        self._failures: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = {}
        self._next_id = 1000
        self.busy_seconds = 0.0  # time spent in the fake's handlers (for the benchmark)

    # set-up --------------------------------------------------------------------------------

    def install(self, rsps: responses.RequestsMock) -> FakeSheets:
        rsps.add_callback(responses.POST, TOKEN_URL, callback=self._token)
        rsps.add_callback(
            responses.GET,
            re.compile(re.escape(BASE) + r"[^/:?]+(\?.*)?$"),
            callback=self._wrap("get", self._get),
        )
        rsps.add_callback(
            responses.POST,
            re.compile(re.escape(BASE) + r"[^/:?]+:batchUpdate$"),
            callback=self._wrap("batchUpdate", self._batch_update),
        )
        return self

    def create_spreadsheet(
        self, sid: str, *, titles: tuple[str, ...] = ("Sheet1",), shared_with: set[str] | None = None
    ) -> None:
        sheets = [FakeSheet(self._props(t, i, 1000, 26, None if i else 0)) for i, t in enumerate(titles)]
        self.spreadsheets[sid] = FakeSpreadsheet(sheets, shared_with)

    def service_account(self, email: str = "publisher@demo-proj.iam.gserviceaccount.com") -> dict[str, Any]:
        """A real-format key file (fresh RSA key) whose token requests this fake accepts."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        self.accounts[email] = key.public_key()
        return {
            "type": "service_account",
            "project_id": "demo-proj",
            "private_key_id": "k1",
            "private_key": pem,
            "client_email": email,
            "client_id": "1",
            "token_uri": TOKEN_URL,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        }

    def fail_next(
        self, kind: str, status: int, *, times: int = 1, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next `times` calls of `kind` ("get", "batchUpdate", "token") with `status`
        (0: raise a read timeout instead of answering)."""
        reason = {429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE", 500: "INTERNAL"}.get(
            status, "FAILED_PRECONDITION"
        )
        msg = (
            "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'"
            if status == 429
            else "The service is currently unavailable."
        )
        self._failures.setdefault(kind, []).extend(
            [(status, headers or {}, error_body(status, msg, reason))] * times
        )

    # inspection ----------------------------------------------------------------------------

    def sheet(self, sid: str, title: str) -> FakeSheet:
        for s in self.spreadsheets[sid].sheets:
            if s.props["title"] == title:
                return s
        raise KeyError(title)

    def titles(self, sid: str) -> list[str]:
        return [s.props["title"] for s in self.spreadsheets[sid].sheets]

    def cell(self, sid: str, title: str, row: int, col: int) -> tuple[str, Any]:
        """("string"|"number"|"bool"|"formula"|"empty", value) of a cell, as Sheets holds it."""
        v = self.sheet(sid, title).cells.get((row, col), {}).get("userEnteredValue") or {}
        for key, kind in (
            ("formulaValue", "formula"),
            ("stringValue", "string"),
            ("numberValue", "number"),
            ("boolValue", "bool"),
        ):
            if key in v:
                return kind, v[key]
        return "empty", None

    def values(self, sid: str, title: str) -> list[list[Any]]:
        """The grid as Python values; a formula shows as its text prefixed with 'FORMULA:'."""
        s = self.sheet(sid, title)
        height = max((r for r, _ in s.cells), default=-1) + 1
        width = max((c for _, c in s.cells), default=-1) + 1
        out = []
        for r in range(height):
            row = []
            for c in range(width):
                kind, v = self.cell(sid, title, r, c)
                row.append(f"FORMULA:{v}" if kind == "formula" else v)
            while row and row[-1] is None:
                row.pop()
            out.append(row)
        return out

    def api_calls(self, kind: str | None = None) -> int:
        return sum(1 for k, _ in self.calls if kind is None or k == kind)

    # handlers ------------------------------------------------------------------------------

    def _wrap(self, kind: str, handler: Callable[[Any, str], Any]) -> Callable[[Any], Any]:
        def cb(request: Any) -> tuple[int, dict[str, str], str]:
            t0 = time.perf_counter()
            try:
                return answer(request)
            finally:
                self.busy_seconds += time.perf_counter() - t0

        def answer(request: Any) -> tuple[int, dict[str, str], str]:
            self.calls.append((kind, request.url))
            failures = self._failures.get(kind)
            if failures:
                status, headers, body = failures.pop(0)
                if status == 0:
                    raise requests.ReadTimeout("fake: no answer in time")
                return status, headers, json.dumps(body)
            sid = unquote(urlparse(request.url).path.split("/")[-1].split(":")[0])
            try:
                ident = self._identity(request)
                book = self.spreadsheets.get(sid)
                if book is None:
                    raise _Refused(404, "Requested entity was not found.", "NOT_FOUND")
                if book.shared_with is not None and ident not in book.shared_with:
                    raise _Refused(403, "The caller does not have permission", "PERMISSION_DENIED")
                return 200, {}, json.dumps(handler(request, sid))
            except _Refused as e:
                return e.status, {}, json.dumps(error_body(e.status, e.message, e.reason))

        return cb

    def _identity(self, request: Any) -> str:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        if not auth.startswith("Bearer ") or token not in self.tokens:
            raise _Refused(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        return self.tokens[token]

    def _token(self, request: Any) -> tuple[int, dict[str, str], str]:
        self.token_calls += 1
        failures = self._failures.get("token")
        if failures:
            status, headers, _ = failures.pop(0)
            return status, headers, json.dumps({"error": "temporarily_unavailable"})
        form = {
            k: v[0]
            for k, v in parse_qs(
                request.body if isinstance(request.body, str) else request.body.decode()
            ).items()
        }
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, {}, json.dumps({"error": "unsupported_grant_type"})
        head_b64, claims_b64, sig_b64 = form["assertion"].split(".")
        claims = json.loads(_b64(claims_b64))
        key = self.accounts.get(claims.get("iss", ""))
        if key is None:
            return (
                400,
                {},
                json.dumps({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}),
            )
        key.verify(_b64(sig_b64), f"{head_b64}.{claims_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
        self.scopes.append(claims.get("scope", ""))
        token = f"ya29.fake-{len(self.tokens)}"
        self.tokens[token] = claims["iss"]
        return 200, {}, json.dumps({"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def _get(self, request: Any, sid: str) -> dict[str, Any]:
        query = parse_qs(urlparse(request.url).query)
        self.discovery.check_query("get", query)
        if "ranges" in query:
            raise ContractError("fake: `ranges` is not modelled; syncsvc should not send it")
        book = self.spreadsheets[sid]
        doc: dict[str, Any] = {"spreadsheetId": sid, "sheets": [self._sheet_doc(s) for s in book.sheets]}
        self.discovery.check("Spreadsheet", doc, "fake GET answer")
        if "fields" in query:
            return apply_mask(doc, parse_mask(query["fields"][0]))
        if query.get("includeGridData", ["false"])[0] != "true":
            for s in doc["sheets"]:
                s.pop("data", None)
        return doc

    def _sheet_doc(self, s: FakeSheet) -> dict[str, Any]:
        # As Sheets answers: rows up to the last one holding anything, each up to its last cell.
        by_row: dict[int, dict[int, dict[str, Any]]] = {}
        for (r, c), v in s.cells.items():
            by_row.setdefault(r, {})[c] = v
        rows = []
        for r in range(max(by_row, default=-1) + 1):
            cells = by_row.get(r, {})
            width = max(cells, default=-1) + 1
            rows.append({"values": [cells.get(c, {}) for c in range(width)]} if cells else {})
        meta = [{"pixelSize": s.widths.get(c, 100)} for c in range(s.cols)]
        out: dict[str, Any] = {
            "properties": copy.deepcopy(s.props),
            "data": [{"rowData": rows, "columnMetadata": meta}],
        }
        if s.basic_filter:
            out["basicFilter"] = copy.deepcopy(s.basic_filter)
        if s.merges:  # as Sheets answers: the indices that are 0 left out
            out["merges"] = [
                {
                    k: v
                    for k, v in zip(
                        ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"), m, strict=True
                    )
                    if v
                }
                | {"sheetId": s.props["sheetId"]}
                for m in s.merges
            ]
        return out  # serialised at once, so the cells need no copy

    def _batch_update(self, request: Any, sid: str) -> dict[str, Any]:
        body = json.loads(request.body)
        self.discovery.check("BatchUpdateSpreadsheetRequest", body)
        self.bodies.append(body)
        book = self.spreadsheets[sid]
        trial = copy.deepcopy(book.sheets)  # all or nothing, as Sheets does
        replies = [self._apply(trial, r) for r in body.get("requests", [])]
        book.sheets = trial
        return {"spreadsheetId": sid, "replies": replies}

    # requests ------------------------------------------------------------------------------

    def _apply(self, sheets: list[FakeSheet], req: dict[str, Any]) -> dict[str, Any]:
        ((kind, arg),) = req.items()
        if kind == "addSheet":
            p = arg.get("properties", {})
            sid = p.get("sheetId", self._next_id)
            self._next_id += 1
            title = p.get("title", f"Sheet{len(sheets) + 1}")
            if any(s.props["sheetId"] == sid for s in sheets):
                raise _Refused(400, f"Invalid requests[0].addSheet: Sheet with id {sid} already exists.")
            if any(s.props["title"].lower() == title.lower() for s in sheets):
                raise _Refused(400, f'A sheet with the name "{title}" already exists.')
            g = p.get("gridProperties", {})
            props = self._props(title, len(sheets), g.get("rowCount", 1000), g.get("columnCount", 26), sid)
            props["gridProperties"].update({k: v for k, v in g.items()})
            self._check_frozen(props)
            sheets.append(FakeSheet(props))
            return {"addSheet": {"properties": copy.deepcopy(props)}}
        if kind == "deleteSheet":
            s = self._by_id(sheets, arg["sheetId"])
            sheets.remove(s)
            return {}
        if kind == "updateSheetProperties":
            s = self._by_id(sheets, arg["properties"]["sheetId"])
            for path in arg["fields"].split(","):
                src, dst = arg["properties"], s.props
                parts = path.strip().split(".")
                for p in parts[:-1]:
                    src, dst = src.get(p, {}), dst.setdefault(p, {})
                if parts[-1] in src:
                    dst[parts[-1]] = src[parts[-1]]
                else:
                    dst.pop(parts[-1], None)
            self._check_frozen(s.props)
            s.cells = {k: v for k, v in s.cells.items() if k[0] < s.rows and k[1] < s.cols}
            s.merges = [m for m in s.merges if m[1] <= s.rows and m[3] <= s.cols]
            return {}
        if kind == "updateCells":
            self._update_cells(sheets, arg)
            return {}
        if kind == "repeatCell":
            s = self._by_id(sheets, arg["range"]["sheetId"])
            r0, r1, c0, c1 = self._bounds(s, arg["range"])
            tree = parse_mask(arg["fields"])
            for r in range(r0, r1):
                for c in range(c0, c1):
                    self._put(s, r, c, arg.get("cell", {}), tree)
            return {}
        if kind == "updateDimensionProperties":
            rng = arg["range"]
            s = self._by_id(sheets, rng["sheetId"])
            if rng["dimension"] != "COLUMNS" or arg["fields"] != "pixelSize":
                raise ContractError(f"fake: only column pixelSize is modelled: {arg}")
            if rng.get("endIndex", s.cols) > s.cols:
                raise _Refused(
                    400, f"Invalid requests: column {rng['endIndex']} is past the grid ({s.cols} columns)"
                )
            for c in range(rng.get("startIndex", 0), rng.get("endIndex", s.cols)):
                s.widths[c] = arg["properties"]["pixelSize"]
            return {}
        if kind == "setBasicFilter":
            rng = arg["filter"]["range"]
            s = self._by_id(sheets, rng["sheetId"])
            self._bounds(s, rng)
            s.basic_filter = copy.deepcopy(arg["filter"])
            return {}
        if kind in ("mergeCells", "unmergeCells"):
            s = self._by_id(sheets, arg["range"]["sheetId"])
            box = self._bounds(s, arg["range"])
            r0, r1, c0, c1 = box
            meets = [m for m in s.merges if m[0] < r1 and r0 < m[1] and m[2] < c1 and c0 < m[3]]
            inside = [m for m in meets if r0 <= m[0] and m[1] <= r1 and c0 <= m[2] and m[3] <= c1]
            if meets != inside:
                raise _Refused(
                    400,
                    "Invalid requests: You must select all cells in a merged range to merge or unmerge them.",
                )
            if kind == "unmergeCells":
                s.merges = [m for m in s.merges if m not in inside]
                return {}
            if arg.get("mergeType") != "MERGE_ALL":
                raise ContractError(f"fake: only MERGE_ALL is modelled: {arg}")
            s.merges = [m for m in s.merges if m not in inside] + [box]
            return {}
        if kind == "clearBasicFilter":
            self._by_id(sheets, arg["sheetId"]).basic_filter = None
            return {}
        raise ContractError(f"fake: request kind {kind!r} is not modelled")

    def _update_cells(self, sheets: list[FakeSheet], arg: dict[str, Any]) -> None:
        tree = parse_mask(arg["fields"])
        rows = arg.get("rows", [])
        if "range" in arg:
            s = self._by_id(sheets, arg["range"]["sheetId"])
            r0, r1, c0, c1 = self._bounds(s, arg["range"])
        else:
            st = arg["start"]
            s = self._by_id(sheets, st["sheetId"])
            r0, c0 = st.get("rowIndex", 0), st.get("columnIndex", 0)
            r1 = r0 + len(rows)
            c1 = c0 + max((len(r.get("values", [])) for r in rows), default=0)
            self._bounds(
                s, {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
            )
        for r in range(r0, r1):
            values = rows[r - r0].get("values", []) if r - r0 < len(rows) else []
            if len(values) > c1 - c0:
                raise _Refused(400, "updateCells: a row has more cells than the range")
            for c in range(c0, c1):
                given = values[c - c0] if c - c0 < len(values) else {}
                if "range" in arg or c - c0 < len(values):
                    self._put(s, r, c, given, tree)

    def _put(self, s: FakeSheet, r: int, c: int, data: dict[str, Any], tree: dict[str, Any]) -> None:
        cur = s.cells.get((r, c), {})
        keys = ("userEnteredValue", "userEnteredFormat", "note") if "*" in tree else tree
        for k in keys:
            if k in data:
                cur[k] = copy.deepcopy(data[k])
            else:
                cur.pop(k, None)
        if cur:
            s.cells[(r, c)] = cur
        else:
            s.cells.pop((r, c), None)

    @staticmethod
    def _bounds(s: FakeSheet, rng: dict[str, Any]) -> tuple[int, int, int, int]:
        r0, r1 = rng.get("startRowIndex", 0), rng.get("endRowIndex", s.rows)
        c0, c1 = rng.get("startColumnIndex", 0), rng.get("endColumnIndex", s.cols)
        if r1 > s.rows or c1 > s.cols or r0 > r1 or c0 > c1:
            raise _Refused(
                400,
                f"Range ({s.props['title']}!R{r1}C{c1}) exceeds grid limits. "
                f"Max rows: {s.rows}, max columns: {s.cols}",
            )
        return r0, r1, c0, c1

    @staticmethod
    def _by_id(sheets: list[FakeSheet], sheet_id: int) -> FakeSheet:
        for s in sheets:
            if s.props["sheetId"] == sheet_id:
                return s
        raise _Refused(400, f"No grid with id: {sheet_id}")

    @staticmethod
    def _check_frozen(props: dict[str, Any]) -> None:
        g = props["gridProperties"]
        if g.get("frozenRowCount", 0) >= g["rowCount"]:
            raise _Refused(400, "You can't freeze all visible rows on the sheet.")
        if g.get("frozenColumnCount", 0) >= g["columnCount"]:
            raise _Refused(400, "You can't freeze all visible columns on the sheet.")

    def _props(
        self, title: str, index: int, rows: int, cols: int, sheet_id: int | None = None
    ) -> dict[str, Any]:
        if sheet_id is None:
            sheet_id, self._next_id = self._next_id, self._next_id + 1
        return {
            "sheetId": sheet_id,
            "title": title,
            "index": index,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": cols},
        }


def _b64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


# --- helpers for the tests ---------------------------------------------------------------------

SPREADSHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
SIX = ["Dashboard", "Risks", "RACI", "Timeline", "Rollback", "Communication"]  # CONTRACT §6


@contextmanager
def serve_fake_sheets() -> Iterator[FakeSheets]:
    """The fake installed on a fresh RequestsMock, with one empty spreadsheet SPREADSHEET_ID;
    any other HTTP request fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeSheets().install(rsps)
        fake.create_spreadsheet(SPREADSHEET_ID)
        yield fake


def sheets_config(
    tmp: Path, *, prefix: bool = False, credentials_file: str | None = "key.json", max_retries: int = 5
) -> Path:
    """A config file with a [sheets] table, written into `tmp`."""
    lines = [
        "[sheets]",
        f'spreadsheet_id = "{SPREADSHEET_ID}"',
        f"prefix = {'true' if prefix else 'false'}",
        f"max_retries = {max_retries}",
        "timeout_seconds = 5",
    ]
    if credentials_file is not None:
        lines.append(f'credentials_file = "{credentials_file}"')
    path = tmp / "syncsvc.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def token_client_factory(sleeps: list[float] | None = None) -> Callable[[Any], Any]:
    """A client factory with a token-only credential (no key file) and a recorded sleep."""
    from google.oauth2.credentials import Credentials

    from syncsvc.sheets.adapter import GoogleSheets

    slept = sleeps if sleeps is not None else []

    def factory(cfg: Any) -> Any:
        s = cfg.require_sheets("test")
        return GoogleSheets(
            Credentials(token=TEST_TOKEN),
            s.spreadsheet_id,
            timeout=s.timeout_seconds,
            max_retries=s.max_retries,
            sleep=slept.append,
            rand=lambda: 0.5,
        )

    return factory
