"""The rest of a plan diff: every field of every section the curated comparisons leave out.

`diff.py` words the changes a PM acts on (a task's estimate, a risk re-scored, the critical path);
this walks the whole `Plan` dump, generically, so a field nobody wrote a comparison for (a rollback
trigger's threshold, a risk's mitigation, a field added to the model next month) is never missed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


# Per top-level section: the area and event it counts as, the item keys the curated comparisons
# already report (or that only follow from other changes, like CPM dates), and whether added or
# removed items are reported there already.
@dataclass(frozen=True)
class Section:
    area: str
    event: str
    covered: frozenset[str] = frozenset()
    items_covered: bool = False


_DERIVED_TASK = frozenset(
    {
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "start",
        "finish",
        "total_float",
        "critical",
        "buffer_days",
        "duration_days",
    }
)
SECTIONS: dict[str, Section] = {
    "risks": Section(
        "risks",
        "risk",
        frozenset({"id", "title", "likelihood", "impact", "score", "owner"}),
        items_covered=True,
    ),
    "tasks": Section(
        "tasks",
        "details",
        frozenset({"id", "name", "phase", "kind", "risk", "estimate_days", "owner", "depends_on"})
        | _DERIVED_TASK,
        items_covered=True,
    ),
    "stakeholders": Section(
        "stakeholders",
        "stakeholders",
        frozenset({"name", "cadence", "influence", "interest"}),
        items_covered=True,
    ),
    "phases": Section("rollout", "rollout", frozenset({"name"}), items_covered=True),
    "rollback": Section("rollout", "rollout", frozenset({"deployment", "decision_maker"})),
    "rollout": Section("rollout", "rollout"),
    "change_profiles": Section("rollout", "rollout"),
    "raci": Section("stakeholders", "team"),
    "communication_plan": Section("stakeholders", "cadence", frozenset({"date"})),
    "confidence": Section("dates", "dates", frozenset({"criticality"})),
    "levelled_finish": Section("dates", "dates"),
    "holidays": Section("dates", "dates"),
    "conflicts": Section("review", "review"),
    "findings": Section("review", "review"),
}
# Compared by the curated code in diff.py (or the schema tag): left out here.
CURATED_TOP = frozenset(
    {
        "schema",
        "plan_id",
        "feature_name",
        "description",
        "timeline",
        "team_size",
        "pm",
        "risk_tolerance",
        "start_date",
        "deadline",
        "finish_date",
        "fits_timeline",
        "critical_path",
        "quick_mode",
    }
)
OTHER = Section("plan", "details")  # any other field, those added to the model later included
# The field that names a list item, in order of preference (a risk by its title: its id
# follows the order of the register).
_ITEM_KEYS = ("title", "id", "name", "activity", "metric", "audience", "order", "kind")


@dataclass(frozen=True)
class FieldChange:
    """A difference at `path` (like `rollback.triggers[error_rate].threshold`)."""

    area: str
    event: str
    path: str
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    @property
    def message(self) -> str:
        if self.old is None:
            return f"{self.path} added: {_show(self.new)}"
        if self.new is None:
            return f"{self.path} removed (was {_show(self.old)})"
        return f"{self.path}: {_show(self.old)} → {_show(self.new)}"


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[FieldChange]:
    """Every difference between two plan dumps (`model_dump(mode="json", by_alias=True)`)
    that the curated comparisons do not word, in the plan's field order."""
    for name in dict.fromkeys([*old, *new]):
        if name in CURATED_TOP:
            continue
        sec = SECTIONS.get(name, OTHER)
        for path, a, b in _walk(name, old.get(name), new.get(name), sec, top=True):
            yield FieldChange(sec.area, sec.event, path, a, b)


def _walk(
    path: str, a: Any, b: Any, sec: Section, *, top: bool = False, depth: int = 0
) -> Iterator[tuple[str, Any, Any]]:
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in dict.fromkeys([*a, *b]):
            if depth == 0 and k in sec.covered:
                continue
            yield from _walk(f"{path}.{k}", a.get(k), b.get(k), sec, depth=depth + 1)
        return
    if isinstance(a, list) and isinstance(b, list):
        ka, kb = _keyed(a), _keyed(b)
        if ka is None or kb is None:  # plain values: what joined and what left
            plus = [x for x in b if x not in a]
            minus = [x for x in a if x not in b]
            if not plus and not minus:
                yield path, a, b  # the same values in another order
            for x in plus:
                yield path, None, x
            for x in minus:
                yield path, x, None
            return
        for k in dict.fromkeys([*ka, *kb]):
            x, y = ka.get(k), kb.get(k)
            if (x is None or y is None) and top and sec.items_covered:
                continue  # diff.py already says this task/risk/stakeholder came or went
            # items of a list are one level down: their keys are the section's first level
            yield from _walk(f"{path}[{k}]", x, y, sec, depth=depth + (1 if depth else 0))
        return
    yield path, a, b


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """The items by their naming field (with `#2`, `#3` for repeats), or None for plain values."""
    if not items or not all(isinstance(x, dict) for x in items):
        return None if items else {}
    field = next((k for k in _ITEM_KEYS if all(k in x for x in items)), None)
    out: dict[str, Any] = {}
    for n, item in enumerate(items):
        raw = item.get(field) if field else n
        key = " ".join(str(raw).lower().split()) if field == "title" else str(raw)
        k, i = key, 1
        while k in out:
            i += 1
            k = f"{key}#{i}"
        out[k] = item
    return out


def _show(value: Any) -> str:
    if isinstance(value, dict):
        name = next((value[k] for k in _ITEM_KEYS if k in value), None)
        return repr(name) if name is not None else "{…}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"
