"""Escaping user text for Markdown tables, Mermaid and spreadsheets (CSV/XLSX injection)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def md(text: object) -> str:
    """User text safe inside Markdown prose or a table cell: no HTML, no table breaks."""
    s = str(text)
    # what it changes, which most text has none of (six `in` tests take a third of a regex
    # search's time, and a plan's Markdown asks ~650 times)
    if not ("|" in s or "&" in s or "<" in s or ">" in s or "\n" in s or "\r" in s):
        return s
    s = s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    s = html.escape(s, quote=False)
    return s.replace("|", "\\|")


def mermaid(text: object) -> str:
    """User text safe as a Mermaid gantt task title (no `:`, `#` or `;`, which end a title)."""
    s = re.sub(r"[:#;\n\r]", " ", str(text))
    return re.sub(r"\s+", " ", html.escape(s, quote=True)).strip() or "task"


def cell(text: object) -> str:
    """A CSV/XLSX cell that a spreadsheet will never run as a formula (OWASP CSV injection)."""
    s = str(text)
    return "'" + s if s.startswith(_FORMULA_START) else s


def table(headers: list[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub Markdown table; cells must already be escaped with `md`. `rows` may be a
    generator: each row's cells are joined as it comes (a 20,000-task table then never holds
    160,000 cell texts at once)."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)
