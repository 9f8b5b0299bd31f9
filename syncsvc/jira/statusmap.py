"""Jira status to task state: category, actual start and finish from the changelog. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from syncsvc.catalog.base import CatalogModel, find_file, load_model
from syncsvc.forecast import Category, TaskStatus

CATEGORIES: frozenset[str] = frozenset({"new", "indeterminate", "done"})


class StatusMapping(CatalogModel):
    """mappings/status.toml: optional category overrides by status name."""

    names: dict[str, Literal["new", "indeterminate", "done"]] = Field(default_factory=dict)

    def category(self, name: str, category_key: str) -> Category:
        """The category for a status: the override by name, else Jira's category key."""
        for k, v in self.names.items():
            if k.casefold() == name.casefold():
                return v
        # Jira has a fourth key, "undefined" (no category): count it as not started
        return category_key if category_key in CATEGORIES else "new"  # type: ignore[return-value]


def load_status_mapping(folder: Path | None = None) -> StatusMapping:
    return load_model(find_file("status.toml", folder), StatusMapping)


@dataclass(frozen=True, slots=True)
class Transition:
    """One status change from the changelog."""

    at: dt.datetime
    to_name: str
    to_id: str = ""


def parse_jira_time(value: str | int | float) -> dt.datetime:
    """Jira's `2027-01-05T10:20:30.000+0100` (or epoch seconds) as an aware datetime."""
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    text = value.strip()
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]  # +0100 -> +01:00 (fromisoformat on 3.11)
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def jira_time(value: Any) -> dt.datetime | None:
    """`parse_jira_time` for untrusted input: None for anything that is not a time."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        return parse_jira_time(value).astimezone(dt.UTC)  # one that cannot be is not a time
    except (ValueError, OverflowError, OSError):
        return None


def _local_date(at: dt.datetime | None, tz: dt.tzinfo) -> dt.date | None:
    if at is None:
        return None
    try:
        return at.astimezone(tz).date()
    except (OverflowError, ValueError):  # a time at the calendar's edge (year 1 or 9999)
        return None


def status_transitions(histories: Iterable[Mapping[str, Any]]) -> list[Transition]:
    """The status changes of an issue's changelog histories, oldest first (an entry with a time
    that does not parse is skipped)."""
    out = []
    for h in histories:
        created = jira_time(h.get("created"))
        if created is None:
            continue
        for item in h.get("items") or []:
            if not isinstance(item, Mapping):
                continue
            if item.get("field") == "status" or item.get("fieldId") == "status":
                out.append(Transition(created, str(item.get("toString") or ""), str(item.get("to") or "")))
    out.sort(key=lambda t: t.at)
    return out


def task_status(
    issue: Mapping[str, Any],
    transitions: list[Transition],
    mapping: StatusMapping,
    categories_by_id: Mapping[str, str],
    *,
    tz: dt.tzinfo = dt.UTC,
) -> TaskStatus:
    """A task's status from its issue JSON (`fields.status`, `resolutiondate`) and changelog.

    Actual start: the first move into an in-progress (or done) status. Actual finish, when the
    issue is done now: the last move into done (a reopened issue finished when it was last
    closed), else `resolutiondate`. Dates are read in `tz`.
    """
    fields = issue.get("fields") or {}
    got = fields.get("status")
    status: Mapping[str, Any] = got if isinstance(got, Mapping) else {}
    name = str(status.get("name") or "")
    cat = status.get("statusCategory")
    key = str((cat if isinstance(cat, Mapping) else {}).get("key") or "new")
    category = mapping.category(name, key)

    def cat_of(t: Transition) -> Category:
        return mapping.category(t.to_name, categories_by_id.get(t.to_id, "new"))

    started = next((t.at for t in transitions if cat_of(t) in ("indeterminate", "done")), None)
    finished = None
    if category == "done":
        finished = next((t.at for t in reversed(transitions) if cat_of(t) == "done"), None)
        if finished is None:
            finished = jira_time(fields.get("resolutiondate"))
        if started is None:
            started = finished
    start_d, finish_d = _local_date(started, tz), _local_date(finished, tz)
    if category == "indeterminate" and start_d is None:
        start_d = _local_date(jira_time(fields.get("updated")), tz)
    return TaskStatus(category, name or category, str(issue.get("key") or "") or None, start_d, finish_d)
