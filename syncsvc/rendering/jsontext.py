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
from collections.abc import Callable
from typing import Any

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


def model_json_bytes(model: BaseModel, **dump: Any) -> bytes:
    """`model_json_text(model, **dump)` as UTF-8 bytes, without the text in between (a file
    writer needs only the bytes: one copy of a 20 MB plan instead of three)."""
    fast = pydantic_core.to_json(model, indent=2, **dump)
    if not _may_differ(fast):
        return fast
    return json.dumps(model.model_dump(mode="json", **dump), indent=2, ensure_ascii=False).encode()


def model_json_text(model: BaseModel, **dump: Any) -> str:
    """`json_text(model.model_dump(mode="json", **dump))`, without building the dict first."""
    fast = model.model_dump_json(indent=2, **dump)
    if not _may_differ(fast.encode()):
        return fast
    return json.dumps(model.model_dump(mode="json", **dump), indent=2, ensure_ascii=False)
