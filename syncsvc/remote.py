"""Facts about a remote answer (or its absence) shared by the Jira and Sheets adapters."""

from __future__ import annotations

import re
from typing import Any

import requests
from urllib3.exceptions import NameResolutionError


def unresolvable(e: BaseException) -> bool:
    """A host name that does not resolve (no request was sent)."""
    seen: set[int] = set()
    todo: list[Any] = [e]
    while todo:
        x = todo.pop()
        if x is None or id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, NameResolutionError):
            return True
        if isinstance(x, BaseException):
            todo += [*x.args, getattr(x, "reason", None), x.__cause__, x.__context__]
    return False


def what_answered(r: requests.Response) -> str:
    """Who answered, for a message: an HTML page's title, else the content type."""
    ctype = (r.headers.get("Content-Type") or "").split(";")[0].strip() or "no content type"
    text = r.text[:4096] if r.content else ""
    if not text.strip():
        return f"an empty answer ({ctype})"
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if m:
        title = " ".join(m.group(1).split())[:80]
        return f"an HTML page titled {title!r}"
    if "html" in ctype.lower() or text.lstrip().startswith("<"):
        return "an HTML page"
    return f"something that is not the expected JSON ({ctype})"


def json_of(r: requests.Response, expect: type) -> tuple[bool, Any]:
    """(True, the decoded answer) when it is JSON of type `expect`, else (False, None)."""
    try:
        value = r.json()
    except ValueError:
        return False, None
    return isinstance(value, expect), value


def no_answer(e: BaseException, timeout: float) -> str:
    """What went wrong with a call that got no answer, for "<service> ... while ..."."""
    if isinstance(e, requests.Timeout):
        return f"has not answered within {timeout:g} s"
    return f"cannot be reached ({type(e).__name__})"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Remote text for a terminal: control characters (an escape sequence that could recolour
    or retitle the terminal, or hide what follows) become "?"."""
    return _CONTROL.sub("?", text)
