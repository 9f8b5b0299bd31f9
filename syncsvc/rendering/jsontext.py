"""JSON text of the plan: `json.dumps(indent=2, ensure_ascii=False)`'s exact bytes, written faster.

`pydantic_core.to_json` writes the same text several times faster (key order, indentation,
non-ASCII characters and escapes alike) with one exception: a float smaller than 1e-4 (not 0)
is `1e-05` in Python but `0.00001` or `1e-7` in pydantic-core. Both of its spellings contain
`0.0000` or a digit followed by `e-`, so when the fast text contains neither, it holds no such
float and is the standard library's text; otherwise (rare: it may also be a string) the standard
library writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO

import pydantic_core
from pydantic import BaseModel

# where pydantic-core may spell a float differently from Python (see the module docstring)
_MAY_DIFFER = re.compile(rb"0\.0000|[0-9]e-")
_SCAN_LIMIT = 1000  # "e-" hits checked one by one before the (slower) regular expression


def _may_differ(text: bytes) -> bool:
    """`_MAY_DIFFER.search(text) is not None`, by substring search: a regular expression with
    an alternation scans a 15 MB plan text in ~0.3 s, `bytes.find` in a few milliseconds."""
    if b"0.0000" in text:
        return True
    i = text.find(b"e-")
    for _ in range(_SCAN_LIMIT):
        if i == -1:
            return False
        if i > 0 and 48 <= text[i - 1] <= 57:  # a digit before "e-"
            return True
        i = text.find(b"e-", i + 2)
    return _MAY_DIFFER.search(text) is not None


def json_text(data: Any, *, plain: Callable[[], Any] | None = None) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`, byte for byte.

    `data` may hold pydantic models (written as their `model_dump(mode="json")`, without
    building those dicts); then `plain()` must give the same data as plain JSON values, for the
    rare text the standard library has to write."""
    return json_bytes(data, plain=plain).decode()


def json_bytes(data: Any, *, plain: Callable[[], Any] | None = None) -> bytes:
    """`json_text(data, plain=plain)` as UTF-8, as pydantic-core writes it: a file of a large
    plan needs no text object in between (for 20,000 tasks one of 30 MB)."""
    fast = pydantic_core.to_json(data, indent=2)
    if not _may_differ(fast):
        return fast
    return json.dumps(data if plain is None else plain(), indent=2, ensure_ascii=False).encode()


def json_pieces(
    data: Mapping[str, Any], *, streamed: str, plain: Callable[[], Any], slice_size: int = 1000
) -> Iterator[bytes]:
    """`json_bytes(data, plain=plain)` in pieces, the top-level list `data[streamed]` (of
    pydantic models) `slice_size` items at a time: a large plan's text is never whole in
    memory (for 20,000 tasks pydantic-core's buffer and the bytes held 31 MB, every page new).

    Each piece is the standard library's text of its part (see `write_model_json` for why the
    parts join into the whole text): pydantic-core's where it cannot differ, else
    `json.dumps`'s; when the text around the list may differ, the whole text is the standard
    library's, one piece."""
    outline = pydantic_core.to_json({**data, streamed: []}, indent=2)
    if _may_differ(outline):
        yield json.dumps(plain(), indent=2, ensure_ascii=False).encode()
        return
    items = data[streamed]
    at = outline.index(_empty_list(streamed)) + len(_empty_list(streamed)) - 1  # at the "]"
    yield outline[:at]
    for i in range(0, len(items), slice_size):
        part = items[i : i + slice_size]
        text = pydantic_core.to_json({"": part}, indent=2)
        if _may_differ(text):
            dumped = [m.model_dump(mode="json", by_alias=True) for m in part]
            text = json.dumps({"": dumped}, indent=2, ensure_ascii=False).encode()
        yield (b"," if i else b"") + _listed(text)
    yield b"\n  ]" if items else b"]"
    yield outline[at + 1 :]


def model_json_bytes(model: BaseModel, **dump: Any) -> bytes:
    """`model_json_text(model, **dump)` as UTF-8 bytes, without the text in between (a file
    writer needs only the bytes: one copy of a 20 MB plan instead of three)."""
    fast = pydantic_core.to_json(model, indent=2, **dump)
    if not _may_differ(fast):
        return fast
    return json.dumps(model.model_dump(mode="json", **dump), indent=2, ensure_ascii=False).encode()


def write_model_json(
    f: BinaryIO, model: BaseModel, *, streamed: Sequence[str], slice_size: int = 1000, **dump: Any
) -> None:
    """Write `model_json_bytes(model, **dump)` into the seekable `f`, the long list fields
    `streamed` (top-level, without an alias) `slice_size` items at a time: the text of a
    20,000-task plan is never whole in memory (pydantic-core's buffer and the bytes object
    held ~50 MB at once).

    The model without those items is written by pydantic-core with each list empty; each empty
    list is then filled with its items' text, written by pydantic-core a slice at a time as
    the list of a top-level key (`_listed`): the same bytes as the whole text, since a key at
    the top level is the only line indented by exactly two spaces. When any part may differ
    from the standard library's text (see `_may_differ`: its two patterns cannot span the
    brackets, commas and indentation between the parts), the file is rewritten from where it
    started with `model_json_bytes`."""
    start = f.tell()
    outline = pydantic_core.to_json(model.model_copy(update={k: [] for k in streamed}), indent=2, **dump)
    rest = 0
    for key in sorted(streamed, key=lambda k: outline.index(_empty_list(k))):
        at = outline.index(_empty_list(key)) + len(_empty_list(key)) - 1  # at the "]"
        if _may_differ(outline[rest:at]):
            break
        f.write(outline[rest:at])
        if not _write_items(f, getattr(model, key), slice_size):
            break
        rest = at + 1
    else:
        if not _may_differ(outline[rest:]):
            f.write(outline[rest:])
            return
    f.seek(start)
    f.truncate()
    f.write(model_json_bytes(model, **dump))


def _empty_list(key: str) -> bytes:
    return b'\n  "' + key.encode() + b'": []'


def _write_items(f: BinaryIO, items: Sequence[Any], slice_size: int) -> bool:
    """Write `items` and the "]" where pydantic-core wrote an empty list (its "[" already
    written); False when a slice's text may differ from the standard library's."""
    if not items:
        f.write(b"]")
        return True
    for i in range(0, len(items), slice_size):
        text = pydantic_core.to_json({"": items[i : i + slice_size]}, indent=2)
        if _may_differ(text):
            return False
        f.write(b"," if i else b"")
        f.write(_listed(text))
    f.write(b"\n  ]")
    return True


# A slice of items written as the list of a top-level key: indented as in the whole text
_HEAD, _TAIL = b'{\n  "": [', b"\n  ]\n}"


def _listed(text: bytes) -> bytes:
    """The items of `{"": [...]}`'s text (indent 2) without the brackets: `\\n    {...},\\n    {...}`."""
    return text[len(_HEAD) : -len(_TAIL)]


def model_json_text(model: BaseModel, **dump: Any) -> str:
    """`json_text(model.model_dump(mode="json", **dump))`, without building the dict first."""
    fast = model.model_dump_json(indent=2, **dump)
    if not _may_differ(fast.encode()):
        return fast
    return json.dumps(model.model_dump(mode="json", **dump), indent=2, ensure_ascii=False)
