"""One way from a TOML file to a checked pydantic model, for the spec, the config and the catalogs:
read the file (bounded), parse it (compiled parser, the standard one for its error messages),
validate it, and explain every problem by file, line, key path, what was wrong and what to do."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import stat
import tomllib
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import rtoml
from pydantic import BaseModel, ValidationError

from syncsvc.errors import InputError, SpecError

M = TypeVar("M", bound=BaseModel)


def load_toml(
    path: Path,
    model: type[M],
    *,
    label: str,
    what: str,
    limit: int,
    error: type[InputError],
    hint: str | None = None,
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    strict: bool | None = None,
) -> M:
    """The model read from the TOML file at `path`, or an `error` naming the file, the line, the
    key path, what is wrong and (`hint`) what to do. `prepare` sees the parsed table first (to
    refuse or add keys); `what` names the file in messages ("config", "catalog")."""
    text = read_text_file(path, label=label, limit=limit, what=what, error=error)
    data = parse_toml(text, label=label, error=error)
    if prepare is not None:
        data = prepare(data)
    return validate_model(model, data, label=label, source=text, error=error, hint=hint, strict=strict)


def validate_model(
    model: type[M],
    data: Mapping[str, Any],
    *,
    label: str,
    source: str | None,
    error: type[InputError],
    hint: str | None = None,
    strict: bool | None = None,
) -> M:
    """`model` validated from `data`; every problem explained in one `error` (see `explain`)."""
    try:
        return model.model_validate(data, strict=strict)
    except ValidationError as e:
        raise error(explain(e, data, model=model, label=label, source=source), hint=hint) from None


# -- reading ------------------------------------------------------------------------------------


def read_text_file(p: Path, *, label: str, limit: int, what: str, error: type[InputError] = SpecError) -> str:
    """The UTF-8 text of a file no bigger than `limit`, or an `error` saying why not."""
    try:
        st = p.stat()
        size = st.st_size
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{label}: is a folder, not a {what} file")
        if not stat.S_ISREG(st.st_mode):  # a FIFO would wait for a writer forever
            raise error(
                f"{label}: is not a regular file (a FIFO, device or socket); syncsvc "
                f"reads a {what} only from a file",
                hint="save it to a file first",
            )
        if size > limit:
            raise error(
                f"{label}: the file is {size / 1e6:.1f} MB; a {what} file may be at most "
                f"{limit // (1024 * 1024)} MB"
            )
        with p.open("rb") as f:  # bounded: a device like /dev/zero never ends
            raw = f.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{label}: no such file", hint=f"check the path {str(p)!r}") from None
    except PermissionError:
        raise error(f"{label}: permission denied reading the {what} file") from None
    except OSError as e:
        raise error(f"{label}: cannot read the {what} file ({e.strerror})") from None
    if len(raw) > limit:
        raise error(f"{label}: a {what} file may be at most {limit // (1024 * 1024)} MB")
    if not raw.strip():
        raise error(f"{label}: the file is empty", hint=_EMPTY_HINTS.get(what, "see config.example.toml"))
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise error(f"{label}: this is a binary file, not a TOML {what} (NUL byte at offset {nul})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise error(
            f"{label}:{line}: the file is not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})",
            hint="save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


_EMPTY_HINTS = {
    "spec": "a spec needs at least feature_name, description, team_size, timeline and risk_tolerance",
    "catalog": "write the catalog's tables into it, or remove it to use the bundled one",
}


# -- parsing ------------------------------------------------------------------------------------

# The standard parser's time and memory grow with the square of a dotted key's length (8,000
# parts: 2 s and 250 MB), so a long one is refused before it parses. Each chain of `part.` is
# matched once (from a word's start, possessively), which keeps the scan linear in the file's size.
MAX_KEY_PARTS = 64
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"[^"\n\\]*+"|'[^'\n]*+')"""
_DOTTED = re.compile(rf"""(?<![A-Za-z0-9_\-"'.])(?:{_KEY_PART}[ \t]*+\.[ \t]*+)++""")
# A time of day in the text: rtoml accepts one without seconds (TOML 1.1) where the standard
# parser refuses it, and gives offsets as its own tzinfo class; such files take the standard path.
_TIME = re.compile(r":\d\d")  # a literal first: the scan of a 3 MB spec takes 2 ms, not 90


def parse_toml(text: str, *, label: str, error: type[InputError] = SpecError) -> dict[str, Any]:
    """Parse TOML, turning the parser's error into `file:line: message`.

    The compiled parser (rtoml, 6-7x faster on a large spec) reads the file; when it refuses the
    text, or the text holds times of day, the standard `tomllib` parses it instead, so values,
    what is accepted, and every error message are the standard parser's."""
    try:
        data = _in_pieces(text)
        if data is None:
            data = rtoml.loads(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - its errors (and a Rust panic) differ: tomllib says what
        data = None
    if isinstance(data, dict) and not _has_times(text, data):
        # rtoml takes 80 parts; the limit is 64. Such a key has 64 dots and nests tables deeper
        # than 64, so the text is scanned only then (scanning every catalog file cost ~20 ms
        # per plan; counting the dots of a 3 MB spec takes a millisecond, walking its tables 15)
        if text.count(".") >= MAX_KEY_PARTS and _nested_deeper_than(data, MAX_KEY_PARTS):
            _refuse_long_keys(text, label, error)
        return data
    _refuse_long_keys(text, label, error)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        where = f"{label}:{m.group(1)}" if m else label
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg).rstrip(".")
        col = f" (column {m.group(2)})" if m else ""
        raise error(f"{where}: invalid TOML: {detail}{col}") from None
    except RecursionError:
        raise error(f"{label}: invalid TOML: nested too deeply") from None


# A long text is parsed in pieces: the compiled parser holds ~35 bytes per character of the text
# while it parses (~100 MB for a spec of 20,000 tasks, every page of it new to the process);
# pieces of ~64 K characters each hold ~2 MB, used again by the next.
_PIECE = 1 << 16
_TABLES_HEADER = re.compile(r"\[\[([A-Za-z0-9_-]+)\]\][ \t]*\r?\n")


def _in_pieces(text: str) -> dict[str, Any] | None:
    """`rtoml.loads(text)` for a long text that is mostly one array of tables (the spec's
    `[[tasks]]`), parsed in pieces cut just before its `[[name]]` lines and joined; None when
    the text is short, or cannot be cut or joined exactly as the whole is read, or a piece
    does not parse (then the whole is parsed).

    Without multi-line strings (no triple quotes) every line is read as itself, so a line
    `[[name]]` is a header, which ends the table before it (or, inside an array value, an error,
    which the piece also meets). The pieces are joined only when the part before the first
    `[[name]]` does not define `name` and no other top-level key is in two pieces: then each
    piece starts with a header appending to the array, and defines what the whole text does."""
    if len(text) < 2 * _PIECE or '"""' in text or "'''" in text:
        return None
    probe = _next_header(text, _PIECE)
    first = _next_header(text, 0, probe[1]) if probe is not None else None
    if first is None:
        return None
    name = first[1]
    cuts = [0, first[0]]
    while (cut := _next_header(text, cuts[-1] + _PIECE, name)) is not None:
        cuts.append(cut[0])
    cuts.append(len(text))
    try:
        data: dict[str, Any] = rtoml.loads(text[: cuts[1]])
        if name in data:
            return None
        data[name] = []
        for a, b in zip(cuts[1:], cuts[2:], strict=False):
            for key, value in rtoml.loads(text[a:b]).items():
                if key == name:
                    data[name] += value
                elif key in data:
                    return None
                else:
                    data[key] = value
    except Exception:  # noqa: BLE001 - any parse error: the whole text decides
        return None
    return data


def _next_header(text: str, at: int, name: str | None = None) -> tuple[int, str] | None:
    """The start and name of the first line `[[name]]` (any bare name when None) that starts
    at `at` or later (never the text's first line), or None."""
    needle = "\n[[" if name is None else f"\n[[{name}]]"
    i = text.find(needle, max(at - 1, 0))
    while i >= 0:
        m = _TABLES_HEADER.match(text, i + 1)
        if m and (name is None or m.group(1) == name):
            return i + 1, m.group(1)
        i = text.find(needle, i + 1)
    return None


def _refuse_long_keys(text: str, label: str, error: type[InputError]) -> None:
    for chain in _DOTTED.finditer(text):
        if chain.group().count(".") >= MAX_KEY_PARTS:
            line = text.count("\n", 0, chain.start()) + 1
            raise error(
                f"{label}:{line}: a dotted key with more than {MAX_KEY_PARTS} parts",
                hint="TOML keys here have at most three parts, like a.b.c",
            )


def _nested_deeper_than(data: dict[str, Any], limit: int) -> bool:
    """Whether tables (or arrays of tables) nest more than `limit` levels deep."""
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(data, 1)]
    items: Iterable[Any]
    while stack:
        v, depth = stack.pop()
        if depth > limit:
            return True
        if type(v) is dict:  # the parsers give plain dicts and lists
            depth += 1
            items = v.values()
        else:
            items = v
        for x in items:
            if type(x) is dict or type(x) is list:
                stack.append((x, depth))
    return False


def _has_times(text: str, data: dict[str, Any]) -> bool:
    """Whether the parsed values hold a time or a date-time (looked for only when the text has
    something like one: a spec or catalog rarely does)."""
    if not any(m.start() and text[m.start() - 1].isdigit() for m in _TIME.finditer(text)):
        return False
    stack: list[Any] = [data]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, (dt.datetime, dt.time)):
            return True
    return False


# -- explaining validation errors ----------------------------------------------------------------


def explain(
    e: ValidationError, data: Mapping[str, Any], *, model: type[BaseModel], label: str, source: str | None
) -> str:
    """Every problem of `e` on its own line: `file:line: key.path: what is wrong`."""
    errors = _merge_union_branches(e.errors(include_url=False))
    return describe_problems(label, source, [(err["loc"], _explain(err, model)) for err in errors], data=data)


_UNION_TAG = re.compile(r"^(str|int|float|bool|date|list\[.*\]|function-.*|constrained-.*)$")


def _merge_union_branches(errors: list[Any]) -> list[Any]:
    """One error per key: the members of a union (`threshold.float`, `threshold.int`) are one."""
    out, seen = [], set()
    for err in errors:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _UNION_TAG.match(p)))
        if loc in seen:
            continue
        seen.add(loc)
        out.append({**err, "loc": loc})
    return out


def key_path(loc: Iterable[str | int]) -> str:
    """`("tasks", 3, "depends_on", 0)` → `tasks[3].depends_on[0]`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


MAX_SHOWN = 20  # problems listed in one message; the rest are counted


def describe_problems(
    label: str,
    source: str | None,
    problems: list[tuple[Any, str]],
    *,
    data: Mapping[str, Any] | None = None,
) -> str:
    """Every problem on its own line (unknown keys first: a typo often explains a missing key),
    so one run shows them all."""
    order = sorted(range(len(problems)), key=lambda n: "unknown key" not in problems[n][1])
    lines = [
        _where(label, source, problems[n][0], data)
        + (f"{key_path(problems[n][0])}: " if problems[n][0] else "")  # a model check: no key
        + problems[n][1]
        for n in order[:MAX_SHOWN]
    ]
    rest = len(problems) - MAX_SHOWN
    if rest > 0:
        lines.append(f"(and {rest} more problem{'s' if rest > 1 else ''})")
    return "\n".join(lines)


def _where(label: str, source: str | None, loc: tuple[Any, ...] | list[Any], data: Any) -> str:
    line = locate_line(source, tuple(loc), data) if source else None
    return f"{label}:{line}: " if line else f"{label}: "


_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
    dt.date: "a date",
    dt.datetime: "a date-time",
    dt.time: "a time",
}


def _describe(value: Any) -> str:
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, (dict, list)):
        return kind
    shown = repr(value)
    return f"{kind} {shown if len(shown) <= 40 else shown[:37] + '...'}"


# What a value of a constrained pattern must look like (by the pattern), for the message.
PATTERNS = {
    r"^[a-z0-9][a-z0-9-]{0,39}$": "must be a slug: lowercase letters, digits and dashes, 1-40 "
    "characters, starting with a letter or digit (got {got})",
    r"^[A-Z][A-Z0-9_]{1,9}$": 'must be a Jira project key like "NOTIF" (got {got})',
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?$": 'must be a country code like "US" or "DE-BY" '
    "(country-subdivision; got {got})",
    r"^[A-Za-z0-9_-]{10,200}$": "must be a spreadsheet id (the part after /d/ in its URL) or the "
    "whole URL (got {got})",
    r"^[^\s]{1,255}$": "must be a Jira label: 1-255 characters, no spaces (got {got})",
    r"^[a-z][a-z0-9_]{0,59}$": "must be a metric name: lowercase letters, digits and "
    "underscores, starting with a letter (got {got})",
    r"^[a-z][a-z0-9_]{1,39}$": "must be a name of lowercase letters, digits and underscores, "
    "2-40 characters, starting with a letter (got {got})",
    r"^[a-z0-9][a-z0-9_-]{0,39}$": "must be a name of lowercase letters, digits, dashes and "
    "underscores, 1-40 characters, starting with a letter or digit (got {got})",
}


def _explain(err: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, err["loc"])
        near = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        return f"unknown key{hint}" + (f" (allowed: {', '.join(allowed)})" if not near else "")
    if kind == "missing":
        return "missing required key"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')} (got {_describe(value)})"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        template = PATTERNS.get(
            pattern,
            "must match the pattern " + pattern.replace("{", "{{").replace("}", "}}") + " (got {got})",
        )
        return template.format(got=_describe(value))
    if kind == "string_too_long":
        return f"text is too long ({len(value or '')} characters; at most {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_long":
        return f"too many entries (at most {ctx.get('max_length')})"
    if kind == "too_short":
        return f"too few entries (at least {ctx.get('min_length')})"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}[
            kind
        ]
        limit = next(iter(ctx.values()), "")
        return f"must be {bound} {limit} (got {value!r})"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind.endswith("_type") or kind in ("date_from_datetime_inexact", "int_from_float"):
        want = {
            "string_type": "a string",
            "int_type": "an integer",
            "float_type": "a number",
            "date_type": "a date (TOML date, like 2027-01-04)",
            "list_type": "an array",
            "model_type": "a table",
            "dict_type": "a table",
            "bool_type": "true or false",
            "model_attributes_type": "a table",
        }.get(kind, kind.removesuffix("_type"))
        return f"must be {want} (got {_describe(value)})"
    if kind == "union_tag_invalid" or kind == "union_type":
        return f"has the wrong type (got {_describe(value)})"
    return f"{err['msg']} (got {_describe(value)})"


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...] | list[Any]) -> list[str]:
    """The keys the table holding `loc[-1]` may have (by following the model's field types)."""
    kind: Any = model
    for part in loc[:-1]:
        kind = _unwrap(kind)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            field = kind.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            kind = field.annotation
        elif get_origin(kind) in (list, tuple) and isinstance(part, int):
            kind = get_args(kind)[0] if get_args(kind) else Any
        elif get_origin(kind) is dict:
            kind = get_args(kind)[1] if get_args(kind) else Any
        else:
            return []
    kind = _unwrap(kind)
    return list(kind.model_fields) if isinstance(kind, type) and issubclass(kind, BaseModel) else []


def _unwrap(kind: Any) -> Any:
    """`Annotated[X, ...]` and `X | None` → X (a union of several: its model or container)."""
    while True:
        origin = get_origin(kind)
        if origin is Annotated:
            kind = get_args(kind)[0]
        elif origin is Union or origin is types.UnionType:
            members = [a for a in get_args(kind) if a is not type(None)]
            useful = [
                a
                for a in members
                if (isinstance(_unwrap(a), type) and issubclass(_unwrap(a), BaseModel))
                or get_origin(_unwrap(a)) in (list, tuple, dict)
            ]
            kind = (useful or members or [Any])[0]
        else:
            return kind


# -- where a key is written -----------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")


def locate_line(source: str, loc: tuple[Any, ...], data: Any = None) -> int | None:
    """Best-effort line of a key path in the TOML text (the parser only gives syntax errors').
    `data` (the parsed table) tells a `[table]` from an inline value."""
    if not loc:
        return None
    lines = source.splitlines()
    table, index, rest = _split_loc(loc, data)
    start, end = 0, len(lines)
    if table is not None:
        count, found = -1, None
        for n, line in enumerate(lines):
            m = _HEADER.match(line)
            if not m:
                continue
            name = m.group(1).strip()
            if found is not None and name != f"{table}":
                end = n
                break
            if found is not None and name == table and index is not None:
                end = n
                break
            if name == table:
                count += 1
                if index is None or count == index:
                    found, start = n, n + 1
        if found is None:
            return _key_line(lines, 0, _first_header(lines), table)
        if not rest:
            return found + 1
    else:
        end = _first_header(lines)
    key = next((p for p in rest if isinstance(p, str)), None)
    if key is None:
        return None
    hit = _key_line(lines, start, end, key)
    return hit if hit is not None else (start if table is not None else None)


_SPEC_ARRAYS = ("team", "stakeholders", "tasks", "risks")


def _split_loc(loc: tuple[Any, ...], data: Any) -> tuple[str | None, int | None, tuple[Any, ...]]:
    head = loc[0]
    value = data.get(head) if isinstance(data, Mapping) and isinstance(head, str) else None
    arrays = head in _SPEC_ARRAYS if data is None else isinstance(value, list)
    if arrays and len(loc) > 1 and isinstance(loc[1], int):
        return head, loc[1], loc[2:]
    if head == "rollback" if data is None else isinstance(value, dict):
        return head, None, loc[1:]
    return None, None, loc


def _first_header(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines) if _HEADER.match(line)), len(lines))


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pat = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    for n in range(start, end):
        if pat.match(lines[n]):
            return n + 1
    return None
