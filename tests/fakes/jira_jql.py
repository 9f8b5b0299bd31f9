"""The small JQL subset the fake Jira understands: `field (=|!=|in|not in) value` joined by AND,
with an optional ORDER BY; string literals are decoded as Jira does (\\" \\\\ \\n \\uXXXX)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\(|\)|,|!=|=|[A-Za-z0-9_.-]+)')
_FIELDS = {"project", "labels", "key", "issuetype"}


class JqlError(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    clauses: list[tuple[str, str, list[str]]]


def _literal(tok: str) -> str:
    if not tok.startswith('"'):
        return tok
    body, out, i = tok[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u":
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
            continue
        if nxt not in "\"\\ntr' ":
            raise JqlError(f"Illegal escape sequence \\{nxt}")
        out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
        i += 2
    return "".join(out)


def parse_jql(jql: str) -> Query:
    text = re.split(r"\s+ORDER\s+BY\s+", jql, flags=re.I)[0].strip()
    toks = _TOKEN.findall(text)
    if "".join(toks).replace(" ", "") != text.replace(" ", ""):
        raise JqlError(f"Error in the JQL Query: cannot parse {jql!r}")
    clauses, i = [], 0
    while i < len(toks):
        field = toks[i].lower()
        if field not in _FIELDS:
            raise JqlError(f"Field '{toks[i]}' does not exist (fake JQL)")
        op = toks[i + 1].lower()
        i += 2
        if op == "not" and toks[i].lower() == "in":
            op, i = "not in", i + 1
        if op in ("in", "not in"):
            if toks[i] != "(":
                raise JqlError("Expected '('")
            vals, i = [], i + 1
            while toks[i] != ")":
                if toks[i] != ",":
                    vals.append(_literal(toks[i]))
                i += 1
            i += 1
        elif op in ("=", "!="):
            vals, i = [_literal(toks[i])], i + 1
        else:
            raise JqlError(f"Unknown operator {op!r}")
        clauses.append((field, op, vals))
        if i < len(toks):
            if toks[i].upper() != "AND":
                raise JqlError(f"Expected AND, got {toks[i]!r}")
            i += 1
    return Query(clauses)


def matches(q: Query, issue: dict[str, Any]) -> bool:
    f = issue["fields"]
    for field, op, vals in q.clauses:
        have = {
            "project": [f["project"]["key"]],
            "labels": f.get("labels") or [],
            "key": [issue["key"]],
            "issuetype": [f["issuetype"]["name"]],
        }[field]
        hit = bool(set(have) & set(vals))
        if field == "labels" and op in ("!=", "not in") and not have:
            return False  # Jira: `labels != x` never matches an issue without labels
        if hit != (op in ("=", "in")):
            return False
    return True
