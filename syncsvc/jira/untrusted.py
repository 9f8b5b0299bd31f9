"""Jira's answers are untrusted input: each issue is brought to the shapes the engine reads
(or dropped, with a warning) before anything else looks at it. Pure."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from syncsvc.remote import printable

log = logging.getLogger("syncsvc.jira")

KEY_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$")
_ID_RE = re.compile(r"^[0-9]{1,19}$")
_DATE_RE = re.compile(r"^\d{4}-\d\d-\d\d$")
_USER_KEYS = ("accountId", "name", "key", "displayName", "emailAddress")


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _named(value: Any, *keys: str) -> dict[str, Any] | None:
    """A {name: ...}-like object with only string values kept; None when it is not one."""
    if not isinstance(value, dict):
        return None
    return {k: value[k] for k in keys if isinstance(value.get(k), str)}


def _date(value: Any) -> str | None:
    """A YYYY-MM-DD field: kept when it is a real date, else None."""
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def _ref(value: Any) -> dict[str, Any] | None:
    """A reference to another issue ({key, id, ...}) with a well-formed key, else None."""
    if not isinstance(value, dict):
        return None
    key = value.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        return None
    out: dict[str, Any] = {"key": key}
    if isinstance(value.get("id"), (str, int)) and not isinstance(value.get("id"), bool):
        out["id"] = str(value["id"])
    return out


def _links(value: Any) -> list[dict[str, Any]]:
    out = []
    for link in value if isinstance(value, list) else []:
        if not isinstance(link, dict):
            continue
        typ = _named(link.get("type"), "name", "inward", "outward", "id")
        if not typ or "name" not in typ:
            continue
        clean: dict[str, Any] = {"id": _text(link.get("id")) or "", "type": typ}
        for side in ("outwardIssue", "inwardIssue"):
            if side in link:
                ref = _ref(link[side])
                if ref is not None:
                    clean[side] = ref
        if "outwardIssue" in clean or "inwardIssue" in clean:
            out.append(clean)
    return out


def _status(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {}
    out = _named(value, "name") or {}
    if "name" in out:  # shown in reports: no terminal control characters
        out["name"] = printable(out["name"])
    if isinstance(value.get("id"), (str, int)) and not isinstance(value.get("id"), bool):
        out["id"] = str(value["id"])
    cat = _named(value.get("statusCategory"), "key", "name")
    if cat:
        out["statusCategory"] = cat
    return out


def _field(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in ("summary", "description", "resolutiondate", "updated", "created"):
        return _text(value)
    if name == "duedate":
        return _date(value)
    if name in ("priority", "issuetype", "project"):
        return _named(value, "name", "id", "key")
    if name == "assignee":
        return _named(value, *_USER_KEYS) or None
    if name == "labels":
        return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []
    if name == "issuelinks":
        return _links(value)
    if name == "parent":
        return _ref(value)
    if name == "status":
        return _status(value)
    if name.startswith("customfield_"):  # the start date (a date) or the Epic Link (a key)
        text = _text(value)
        return _date(text) or (text if text and KEY_RE.match(text) else None)
    return value


def _histories(value: Any) -> list[dict[str, Any]]:
    out = []
    for h in value if isinstance(value, list) else []:
        if not isinstance(h, dict) or not isinstance(h.get("created"), (str, int, float)):
            continue
        items = [
            {k: _text(i.get(k)) for k in ("field", "fieldId", "from", "to", "fromString", "toString")}
            for i in h.get("items") or []
            if isinstance(i, dict)
        ]
        out.append({"id": _text(h.get("id")), "created": h["created"], "items": items})
    return out


def clean_issue(raw: Any) -> dict[str, Any] | None:
    """The issue with every field the engine reads in its expected shape (odd values become
    None or are dropped); None, with a warning, when it has no usable id and key."""
    if not isinstance(raw, dict):
        log.warning("Jira answered something that is not an issue (%s); ignored", type(raw).__name__)
        return None
    key, iid = raw.get("key"), _text(raw.get("id"))
    if not isinstance(key, str) or not KEY_RE.match(key) or iid is None or not _ID_RE.match(iid):
        log.warning("Jira answered an issue without a usable key and id (key %.40r); ignored", key)
        return None
    got = raw.get("fields")
    fields: dict[str, Any] = got if isinstance(got, dict) else {}
    out: dict[str, Any] = {
        "id": iid,
        "key": key,
        "fields": {str(k): _field(str(k), v) for k, v in fields.items()},
    }
    props = raw.get("properties")
    if isinstance(props, dict):
        out["properties"] = {str(k): v for k, v in props.items() if isinstance(v, dict)}
    changelog = raw.get("changelog")
    if isinstance(changelog, dict):
        out["changelog"] = {"histories": _histories(changelog.get("histories"))}
    return out


def clean_issues(raw: Any) -> list[dict[str, Any]]:
    """The usable issues of an answer's `issues` list."""
    if not isinstance(raw, list):
        return []
    return [i for i in map(clean_issue, raw) if i is not None]


def clean_histories(raw: Any) -> list[dict[str, Any]]:
    """Changelog histories: entries without a time or with odd items are dropped or emptied."""
    return _histories(raw)
