"""Load a spec file (or the five quick inputs) into a checked `Spec`, or fail with exit 2."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from syncsvc.errors import InputError, SpecError
from syncsvc.publicholidays import country_problem, parse_holiday_dates
from syncsvc.spec import (
    COUNTRY_RE,
    FIRST_DATE,
    GROUP_WORDS,
    LAST_START,
    Spec,
    next_monday,
    slugify,
)
from syncsvc.tomlmodel import (
    describe_problems,
    key_path,
    locate_line,
    parse_toml,
    read_text_file,
    validate_model,
)

__all__ = [
    "check_spec",
    "find_cycle",
    "key_path",
    "load_spec",
    "locate_line",
    "parse_toml",
    "read_text_file",
    "spec_from_inputs",
    "with_calendar",
]

MAX_SPEC_BYTES = 8 * 1024 * 1024
_PM_ROLE = re.compile(r"\b(product manager|product owner|pm)\b", re.IGNORECASE)


def load_spec(path: str | Path, *, today: dt.date) -> Spec:
    """Read, parse and check the spec at `path`; defaults that need a date use `today`."""
    p = Path(path)
    label = p.name or str(p)
    text = read_text_file(p, label=label, limit=MAX_SPEC_BYTES, what="spec", error=SpecError)
    data = parse_toml(text, label=label, error=SpecError)
    return check_spec(data, label=label, today=today, source=text)


def spec_from_inputs(
    *,
    feature_name: str,
    description: str,
    team_size: int,
    timeline: str,
    risk_tolerance: str,
    today: dt.date,
    label: str = "quick inputs",
) -> Spec:
    """A quick-mode spec from the five inputs of the seed course."""
    raw_timeline: str | int = int(timeline) if str(timeline).strip().isdigit() else timeline
    data = {
        "feature_name": feature_name,
        "description": description,
        "team_size": team_size,
        "timeline": raw_timeline,
        # `--risk-tolerance MEDIUM` is what the user meant: options are not case-sensitive
        "risk_tolerance": risk_tolerance.strip().lower()
        if isinstance(risk_tolerance, str)
        else risk_tolerance,
    }
    return check_spec(data, label=label, today=today, source=None)


def with_calendar(
    spec: Spec,
    *,
    start_date: str | dt.date | None = None,
    holidays: str | list[Any] | None = None,
    country: str | None = None,
    names: tuple[str, str, str] = ("--start-date", "--holidays", "--country"),
) -> Spec:
    """The spec with `--start-date` (replacing), `--holidays` (added: a file or a list of
    dates) and `--country` (replacing `holidays_country`) applied, checked like spec keys.
    `names` are what errors call the three (the MCP tools' arguments are named otherwise)."""
    update: dict[str, Any] = {}
    if start_date is not None:
        try:
            start = (
                start_date
                if isinstance(start_date, dt.date)
                else dt.date.fromisoformat(str(start_date).strip())
            )
        except ValueError:
            raise InputError(f"{names[0]}: {start_date!r} is not a date; use YYYY-MM-DD") from None
        if not FIRST_DATE <= start <= LAST_START:  # as the spec key: room for the plan after it
            raise InputError(
                f"{names[0]}: {start} is outside the dates syncsvc plans ({FIRST_DATE} to {LAST_START})"
            )
        update["start_date"] = start
    if holidays is not None:
        try:
            extra = (
                parse_holiday_dates(holidays, option=names[1])
                if isinstance(holidays, str)
                else parse_holiday_dates(",".join(str(h) for h in holidays), option=names[1])
            )
        except ValueError as e:
            raise InputError(str(e)) from None
        update["holidays"] = sorted(set(spec.holidays) | set(extra))
    if country is not None:
        problem = (
            country_problem(country)
            if re.match(COUNTRY_RE, country)
            else (f"{country!r} is not a country code like US or DE-BY")
        )
        if problem:
            raise InputError(f"{names[2]}: {problem}")
        update["holidays_country"] = country.upper()
    out = spec.model_copy(update=update)
    out._label = spec.label
    return out


def check_spec(data: Mapping[str, Any], *, label: str, today: dt.date, source: str | None) -> Spec:
    """Validate parsed TOML against the models and the cross-references of CONTRACT §1."""
    spec = validate_model(Spec, data, label=label, source=source, error=SpecError)
    problems = list(_cross_check(spec))
    if problems:
        raise SpecError(describe_problems(label, source, problems, data=data))
    given = set(spec.model_fields_set)
    spec = _with_defaults(spec, today)
    spec._label = label
    spec._defaulted = frozenset({"plan_id", "start_date"} - given)
    return spec


def _with_defaults(spec: Spec, today: dt.date) -> Spec:
    update: dict[str, Any] = {}
    if spec.plan_id is None:
        update["plan_id"] = slugify(spec.feature_name)
    if spec.start_date is None:
        update["start_date"] = next_monday(today)
    if spec.pm is None:
        pm = next((m.name for m in spec.team if _PM_ROLE.search(m.role)), None)
        update["pm"] = pm or "PM"
    return spec.model_copy(update=update) if update else spec


def _cross_check(spec: Spec) -> Iterable[tuple[tuple[Any, ...], str]]:
    """Yield (key path, message) for each broken cross-reference, in file order."""
    team = {m.name for m in spec.team}
    stakeholders = {s.name for s in spec.stakeholders}
    yield from _dupes(((i, m.name) for i, m in enumerate(spec.team)), "team", "name", "team member")
    yield from _dupes(
        ((i, s.name) for i, s in enumerate(spec.stakeholders)), "stakeholders", "name", "stakeholder"
    )
    yield from _dupes(((i, r.title) for i, r in enumerate(spec.risks)), "risks", "title", "risk")
    ids: dict[str, tuple[Any, ...]] = {}
    duplicated = False
    for i, t in enumerate(spec.tasks):
        if t.id in ids:
            duplicated = True
            yield ("tasks", i, "id"), f"duplicate task id '{t.id}' (first used at {key_path(ids[t.id])})"
        ids.setdefault(t.id, ("tasks", i, "id"))
    for i, r in enumerate(spec.risks):
        mt = r.mitigation_task
        if mt is None:
            continue
        if mt.id in ids:
            duplicated = True
            yield (
                ("risks", i, "mitigation_task", "id"),
                f"duplicate task id '{mt.id}' (first used at {key_path(ids[mt.id])})",
            )
        ids.setdefault(mt.id, ("risks", i, "mitigation_task", "id"))
    # the plan's PM may own work even when not listed in [[team]] ("PM" when none is named)
    people = team | stakeholders | {spec.pm or "PM"}
    allocation = {m.name: m.allocation for m in spec.team}
    for i, t in enumerate(spec.tasks):
        if t.estimate_range is not None:
            yield from _range_problems(i, t.estimate_range, t.estimate or 0, t.id)
        if t.owner is not None and allocation.get(t.owner) == 0 and t.kind != "milestone":
            yield (
                ("tasks", i, "owner"),
                (
                    f"task '{t.id}': owner '{t.owner}' has allocation 0 "
                    "(no time on this plan); give the task to someone "
                    "else or raise their allocation"
                ),
            )
        if t.kind == "milestone" and t.estimate:
            yield (
                ("tasks", i, "estimate"),
                (
                    f"task '{t.id}' is a milestone and takes no time; "
                    'leave its estimate out (or set kind = "task")'
                ),
            )
        elif t.kind != "milestone" and t.estimate is None:
            yield (
                ("tasks", i, "estimate"),
                (f'task \'{t.id}\' needs an estimate ("3d", "2w" or a whole number of working days)'),
            )
        elif t.kind != "milestone" and t.estimate == 0:
            yield (
                ("tasks", i, "estimate"),
                (f"task '{t.id}' has an estimate of 0 days; only a milestone may (set kind = \"milestone\")"),
            )
        if t.owner is not None and t.owner not in people:
            yield ("tasks", i, "owner"), _unknown("owner", t.owner, people, f"task '{t.id}'")
        for j, dep in enumerate(t.depends_on):
            if dep not in ids:
                yield ("tasks", i, "depends_on", j), _unknown("task", dep, ids, f"task '{t.id}' depends on")
    roles: dict[str, list[str]] = {}
    for m in spec.team:
        if m.role:
            roles.setdefault(m.role.lower(), []).append(m.name)
    for i, r in enumerate(spec.risks):
        owner = r.owner
        if owner and owner not in people and owner.strip().lower() not in GROUP_WORDS:
            holders = roles.get(owner.lower(), [])
            if len(holders) > 1:
                yield (
                    ("risks", i, "owner"),
                    (
                        f"risk '{r.title}': owner role '{owner}' is held by "
                        f"{', '.join(holders)}; name one person"
                    ),
                )
            elif not holders:
                yield ("risks", i, "owner"), _unknown("owner", owner, people, f"risk '{r.title}'")
        mt = r.mitigation_task
        if mt is None:
            continue
        # In quick mode the timeline comes from the catalog: `build_plan` checks these ids.
        if mt.before is not None and mt.before not in ids and not spec.quick_mode:
            yield (
                ("risks", i, "mitigation_task", "before"),
                _unknown("task", mt.before, ids, f"mitigation task '{mt.id}' comes before"),
            )
        for j, dep in enumerate(mt.depends_on):
            if dep not in ids and not spec.quick_mode:
                yield (
                    ("risks", i, "mitigation_task", "depends_on", j),
                    _unknown("task", dep, ids, f"mitigation task '{mt.id}' depends on"),
                )
        if mt.owner is not None and mt.owner not in people:
            yield (
                ("risks", i, "mitigation_task", "owner"),
                _unknown("owner", mt.owner, people, f"mitigation task '{mt.id}'"),
            )
    cycle = None if duplicated else find_cycle(_edges(spec))
    if cycle:
        first = cycle[0]
        loc = ids.get(first, ("tasks",))
        loc = (*loc[:-1], "depends_on") if loc[-1] == "id" else loc
        yield loc, "dependency cycle: " + " → ".join([*cycle, cycle[0]])
    if spec.holidays_country is not None:
        problem = country_problem(spec.holidays_country)
        if problem:
            yield ("holidays_country",), problem
    yield from _date_range(spec)


def _date_range(spec: Spec) -> Iterable[tuple[tuple[Any, ...], str]]:
    """Dates the calendar can hold: a start in range, and estimates that end before 9999."""
    start = spec.start_date
    if start is not None and not FIRST_DATE <= start <= LAST_START:
        yield ("start_date",), (f"must be between {FIRST_DATE} and {LAST_START} (got {start})")
        return
    for i, d in enumerate(spec.holidays):
        if d < FIRST_DATE:
            yield ("holidays", i), f"must be on or after {FIRST_DATE} (got {d})"
    # The plan cannot take longer than all its work one after another, buffers included:
    # 7 calendar days per 5 working days, every holiday, and room for the rollout phases.
    sizes: list[tuple[tuple[Any, ...], int]] = [
        (("tasks", i, "estimate"), t.estimate or 0) for i, t in enumerate(spec.tasks)
    ]
    sizes += [
        (("risks", i, "mitigation_task", "estimate"), r.mitigation_task.estimate)
        for i, r in enumerate(spec.risks)
        if r.mitigation_task is not None
    ]
    work = sum(-(-days * 13 // 10) for _, days in sizes)
    span = work * 7 // 5 + len(spec.holidays) + 1000
    if sizes and span >= (dt.date.max - (start or LAST_START)).days:
        where = max(sizes, key=lambda s: s[1])[0]
        yield (
            where,
            (
                f"the estimates add up to {work} working days with buffers: the plan "
                "would end after the year 9999, past the calendar"
            ),
        )


def _range_problems(
    i: int, rng: tuple[int, int], estimate: int, tid: str
) -> Iterable[tuple[tuple[Any, ...], str]]:
    lo, hi = rng
    if not lo <= estimate <= hi:
        yield (
            ("tasks", i, "estimate_range"),
            f"task '{tid}': the range {lo}d..{hi}d must contain the estimate ({estimate}d)",
        )


def _dupes(
    items: Iterable[tuple[int, str]], table: str, key: str, what: str
) -> Iterable[tuple[tuple[Any, ...], str]]:
    seen: dict[str, int] = {}
    for i, name in items:
        if name in seen:
            yield (table, i, key), f"duplicate {what} '{_one_line(name)}' (first at {table}[{seen[name]}])"
        seen.setdefault(name, i)


def _one_line(value: str) -> str:
    """A name as the error shows it: control characters escaped ("\\n"), so each problem stays
    one line that names the file."""
    return value if value.isprintable() else value.encode("unicode_escape").decode("ascii")


def _unknown(what: str, value: str, known: Iterable[str], subject: str) -> str:
    near = difflib.get_close_matches(value, list(known), n=1)
    tail = f"; did you mean '{_one_line(near[0])}'?" if near else ""
    if what == "owner":
        return f"{subject}: unknown owner '{_one_line(value)}' (not a team member or stakeholder){tail}"
    return f"{subject} unknown {what} '{_one_line(value)}'{tail}"


def _edges(spec: Spec) -> dict[str, list[str]]:
    """Task id → the ids it depends on, mitigation tasks and their `before` included."""
    deps: dict[str, list[str]] = {t.id: list(t.depends_on) for t in spec.tasks}
    for r in spec.risks:
        mt = r.mitigation_task
        if mt is None:
            continue
        deps.setdefault(mt.id, []).extend(mt.depends_on)
        if mt.before is not None and mt.before in deps:
            deps[mt.before].append(mt.id)
    return deps


def _listed_in_order(deps: Mapping[str, list[str]]) -> bool:
    """Whether every id depends only on ids listed before it (ids not listed aside): then no
    cycle can close. Specs are usually written so; one pass is cheaper than the search."""
    seen: set[str] = set()
    for node, succ in deps.items():
        for d in succ:
            if d not in seen and d in deps:
                return False
        seen.add(node)
    return True


def find_cycle(deps: Mapping[str, list[str]]) -> list[str] | None:
    """The ids on one dependency cycle in dependency order, or None. Iterative, O(V + E)."""
    if _listed_in_order(deps):
        return None
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in deps:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            succ = deps.get(node, [])
            if i < len(succ):
                stack[-1] = (node, i + 1)
                nxt = succ[i]
                if nxt not in deps:
                    continue
                if state.get(nxt) == 1:
                    # path runs from a task to what it depends on; show it in doing order,
                    # starting from the id written first in the spec
                    cyc = list(reversed(path[path.index(nxt) :]))
                    order = {k: n for n, k in enumerate(deps)}
                    first = min(range(len(cyc)), key=lambda n: order[cyc[n]])
                    return cyc[first:] + cyc[:first]
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return None
