"""Pure layout: a Plan (and optional status) → the six worksheet grids of typed cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from syncsvc.columns import sheet_columns
from syncsvc.grid.cells import (
    BLANK,
    Cell,
    Fmt,
    GridRange,
    SheetLayout,
    date,
    flag,
    number,
    text,
    trim_rows,
)
from syncsvc.grid.mapping import Column, SheetsMapping, Table, header_fmt, section_fmt
from syncsvc.grid.timeline import timeline_layout
from syncsvc.model import Plan, Risk
from syncsvc.status import TrackedStatus

_LEVEL = {"low": 1, "medium": 2, "high": 3}
MAX_LISTED = 25  # conflicts / findings listed one per row on the Dashboard
MAX_TREND = 12  # the slip trend shows the latest runs, at most this many
TREND_WIDTHS = (80, 110)  # the trend's third and fourth columns (slip, forecast finish)
_RISK_COLUMNS = sheet_columns("risks")  # the registry, by sheets.toml key


def sheet_titles(plan_id: str, mapping: SheetsMapping, *, prefix: bool) -> dict[str, str]:
    """Worksheet key → title, with "<plan_id> " in front when `prefix` is set."""
    lead = f"{plan_id} " if prefix else ""
    return {k: lead + v for k, v in mapping.titles.model_dump().items()}


def build_layouts(
    plan: Plan,
    mapping: SheetsMapping,
    *,
    prefix: bool = False,
    status: TrackedStatus | None = None,
    synced_at: dt.datetime | None = None,
) -> list[SheetLayout]:
    """The six worksheets in CONTRACT §6 order."""
    return list(iter_layouts(plan, mapping, prefix=prefix, status=status, synced_at=synced_at))


def iter_layouts(
    plan: Plan,
    mapping: SheetsMapping,
    *,
    prefix: bool = False,
    status: TrackedStatus | None = None,
    synced_at: dt.datetime | None = None,
) -> Iterator[SheetLayout]:
    """`build_layouts`, one worksheet at a time: each is built when the caller asks for it, so
    a writer holds one worksheet's cells at a time (RACI and Timeline hold ~20 cells a task)."""
    for key in SHEET_KEYS:
        yield sheet_layout(key, plan, mapping, prefix=prefix, status=status, synced_at=synced_at)


def sheet_layout(
    key: str,
    plan: Plan,
    mapping: SheetsMapping,
    *,
    prefix: bool = False,
    status: TrackedStatus | None = None,
    synced_at: dt.datetime | None = None,
) -> SheetLayout:
    """The worksheet `key` (one of SHEET_KEYS)."""
    title = sheet_titles(plan.plan_id, mapping, prefix=prefix)[key]
    if key == "dashboard":
        return dashboard_layout(plan, mapping, title, status, synced_at)
    if key == "timeline":
        return timeline_layout(plan, mapping, title, status)
    return _PLAIN_SHEETS[key](plan, mapping, title)


def score_colour(mapping: SheetsMapping, score: int) -> str:
    """Heat colour of a risk score (1..9): 1-2 low, 3-4 medium, 6-9 high."""
    c = mapping.colours
    return c.risk_low if score <= 2 else c.risk_medium if score <= 4 else c.risk_high


def table_rows(
    table: Table,
    items: Sequence[Any],
    cell_of: Callable[[Any, Column], Cell],
    head: Fmt,
) -> list[tuple[Cell, ...]]:
    """A header row from the mapping's columns, then one row per item."""
    rows = [tuple(text(c.header, head) for c in table.columns)]
    rows += [tuple(cell_of(item, c) for c in table.columns) for item in items]
    return rows


def _table_sheet(
    key: str,
    title: str,
    rows: list[tuple[Cell, ...]],
    table: Table,
    n_table: int,
    *,
    merges: tuple[GridRange, ...] = (),
) -> SheetLayout:
    """A worksheet whose first `n_table` rows are the mapping's table (filtered), then more."""
    widths = tuple(c.width for c in table.columns)
    table_range = GridRange(0, n_table, 0, len(table.columns))
    return SheetLayout(key, title, trim_rows(rows), widths, filter=table_range, merges=merges)


def dashboard_layout(
    plan: Plan,
    mapping: SheetsMapping,
    title: str,
    status: TrackedStatus | None,
    synced_at: dt.datetime | None,
) -> SheetLayout:
    """Key figures for a PM: dates, target vs forecast, state, critical path, risks, issues."""
    head = header_fmt(mapping)
    bold = Fmt(bold=True)
    wrap = Fmt(wrap=True)
    st = status or TrackedStatus()
    state_colour = state_colours(mapping).get(st.state or "")
    rows: list[tuple[Cell, ...]] = [(text("Rollout dashboard", head), text(plan.feature_name, head))]

    def kv(label: str, value: Cell) -> None:
        rows.append((text(label, bold), value))

    kv("Feature", text(plan.feature_name))
    kv("Plan id", text(plan.plan_id))
    kv("Description", text(plan.description, wrap))
    kv("Risk tolerance", text(plan.risk_tolerance))
    kv("PM", text(plan.pm))
    kv("Start date", date(plan.start_date))
    kv("Deadline", date(plan.deadline))
    kv("Target launch", date(plan.finish_date))
    kv("Forecast launch", date(st.forecast_finish))
    kv("P80 launch (as planned)", date(plan.confidence.p80 if plan.confidence else None))
    kv("P80 launch today", date(st.p80))
    kv("Slip (working days)", number(st.slip_days))
    kv("State", text(st.state, Fmt(background=state_colour)))
    kv("Fits timeline", flag(plan.fits_timeline))
    kv("Critical path", text(" → ".join(plan.critical_path), wrap))
    kv("Tasks done", number(st.tasks_done))
    kv("Tasks total", number(len(plan.tasks)))
    rows += trend_rows(st, mapping)
    for i, r in enumerate(plan.risks[:3], start=1):
        owner = f" (owner: {r.owner})" if r.owner else " (no owner)"
        kv(
            f"Top risk {i}",
            text(
                f"{r.id} · score {r.score} · {r.title}{owner}",
                Fmt(background=score_colour(mapping, r.score), wrap=True),
            ),
        )
    kv("Conflicts", number(len(plan.conflicts)))
    for c in plan.conflicts[:MAX_LISTED]:
        kv("", text(f"[{c.kind}] {c.message}", wrap))
    if len(plan.conflicts) > MAX_LISTED:
        kv("", text(f"… and {len(plan.conflicts) - MAX_LISTED} more"))
    kv("Findings", number(len(plan.findings)))
    for f in plan.findings[:MAX_LISTED]:
        kv("", text(f"[{f.kind}] {f.message}", wrap))
    if len(plan.findings) > MAX_LISTED:
        kv("", text(f"… and {len(plan.findings) - MAX_LISTED} more"))
    kv("Last synced (UTC)", date(synced_at, Fmt(align="LEFT")))
    widths: tuple[int, ...] = (mapping.dashboard.label_width, mapping.dashboard.value_width)
    if st.trend:
        widths += TREND_WIDTHS
    return SheetLayout("dashboard", title, trim_rows(rows), widths, volatile=frozenset({(len(rows) - 1, 1)}))


def state_colours(mapping: SheetsMapping) -> dict[str, str]:
    """Forecast state → its background colour."""
    c = mapping.colours
    return {"on_track": c.state_on_track, "at_risk": c.state_at_risk, "slipping": c.state_slipping}


def trend_rows(st: TrackedStatus, mapping: SheetsMapping) -> list[tuple[Cell, ...]]:
    """The "Slip trend" table (latest runs, oldest first): as of, state, slip, forecast."""
    if not st.trend:
        return []
    points = st.trend[-MAX_TREND:]
    colours = state_colours(mapping)
    head = header_fmt(mapping)
    out: list[tuple[Cell, ...]] = [
        (),
        (text(f"Slip trend (last {len(points)} runs)", section_fmt(mapping)),),
        tuple(text(h, head) for h in ("As of", "State", "Slip (d)", "Forecast finish")),
    ]
    for p in points:
        out.append(
            (
                date(p.as_of, Fmt(align="LEFT")),
                text(p.state, Fmt(background=colours.get(p.state or ""))),
                number(p.slip_days),
                date(p.forecast_finish),
            )
        )
    return out


def _risk_cell(mapping: SheetsMapping) -> Callable[[Any, Column], Cell]:
    wrap = Fmt(wrap=True)

    def cell(r: Risk, col: Column) -> Cell:
        reg = _RISK_COLUMNS[col.key]
        if reg.kind == "number":  # the score, in its heat colour
            return number(reg.value(r), Fmt(background=score_colour(mapping, r.score), align="CENTER"))
        return text(reg.value(r), wrap if reg.key in ("title", "mitigation") else Fmt())

    return cell


def risks_layout(plan: Plan, mapping: SheetsMapping, title: str) -> SheetLayout:
    """The risk register (filtered table) and, below it, the 3x3 heat grid."""
    head = header_fmt(mapping)
    rows = table_rows(mapping.risks, plan.risks, _risk_cell(mapping), head)
    n_table = len(rows)
    rows.append(())
    rows.append(
        (
            text(
                "Heat grid: likelihood (rows) × impact (columns), as in the Markdown plan",
                section_fmt(mapping),
            ),
        )
    )
    rows.append(tuple(text(h, head) for h in ("Likelihood \\ Impact", "Low", "Medium", "High")))
    for likelihood in ("high", "medium", "low"):
        row = [text(likelihood.capitalize(), Fmt(bold=True))]
        for impact in ("low", "medium", "high"):
            ids = [r.id for r in plan.risks if r.impact == impact and r.likelihood == likelihood]
            colour = score_colour(mapping, _LEVEL[impact] * _LEVEL[likelihood])
            row.append(text(", ".join(ids), Fmt(background=colour, align="CENTER", wrap=True)))
        rows.append(tuple(row))
    return _table_sheet("risks", title, rows, mapping.risks, n_table)


def raci_people(plan: Plan) -> list[str]:
    """Everyone named in the RACI, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in plan.raci:
        for name in [*row.responsible, row.accountable, *row.consulted, *row.informed]:
            if name:
                seen.setdefault(name, None)
    return list(seen)


def raci_layout(plan: Plan, mapping: SheetsMapping, title: str) -> SheetLayout:
    """Activities × people with R/A/C/I letters (accountable in bold)."""
    head = header_fmt(mapping)
    people = raci_people(plan)
    names = {t.id: t.name for t in plan.tasks}
    cols = mapping.raci.columns
    # names wrap in their header (narrow columns, whole names): "Customer / Success"
    name_head = Fmt(
        bold=head.bold, background=head.background, text_colour=head.text_colour, align="CENTER", wrap=True
    )
    rows: list[tuple[Cell, ...]] = [
        tuple(text(c.header, head) for c in cols) + tuple(text(p, name_head) for p in people)
    ]
    mark_fmt = {bold: Fmt(bold=bold, align="CENTER") for bold in (False, True)}
    column = {p: i for i, p in enumerate(people)}
    marks: dict[tuple[str, ...], Cell] = {}  # the few distinct letter sets, each cell made once

    def people_cells(roles: tuple[tuple[str | None, ...], ...]) -> tuple[Cell, ...]:
        letters: list[list[str]] = [[] for _ in people]
        for x, names_of in zip("RACI", roles, strict=True):
            for p in dict.fromkeys(names_of):  # a name twice in one role is one letter
                if p in column:
                    letters[column[p]].append(x)
        out = []
        for ls in letters:
            key = tuple(ls)
            cell = marks.get(key)
            if cell is None:
                cell = marks[key] = text("/".join(ls), mark_fmt["A" in ls]) if ls else BLANK
            out.append(cell)
        return tuple(out)

    # the people's cells of each set of roles, made once: activities share a few such sets
    by_roles: dict[tuple[tuple[str | None, ...], ...], tuple[Cell, ...]] = {}
    for r in plan.raci:
        lead = tuple(text(r.activity if c.key == "activity" else names.get(r.activity)) for c in cols)
        roles = (tuple(r.responsible), (r.accountable,), tuple(r.consulted), tuple(r.informed))
        tail = by_roles.get(roles)
        if tail is None:
            tail = by_roles[roles] = people_cells(roles)
        rows.append(lead + tail)
    widths = tuple(c.width for c in cols) + (mapping.raci.person_width,) * len(people)
    return SheetLayout(
        "raci",
        title,
        trim_rows(rows),
        widths,
        frozen_cols=1,
        filter=GridRange(0, len(rows), 0, len(cols) + len(people)),
    )


def rollback_layout(plan: Plan, mapping: SheetsMapping, title: str) -> SheetLayout:
    """Rollback steps (filtered table), then triggers, verification and the summary."""
    head, sect = header_fmt(mapping), section_fmt(mapping)
    rb = plan.rollback
    wrap = Fmt(wrap=True)

    def step_cell(s: Any, col: Column) -> Cell:
        v = getattr(s, col.key)
        return number(v) if isinstance(v, int) else text(v, wrap)

    rows = table_rows(mapping.rollback, rb.steps if rb else [], step_cell, head)
    n_table = len(rows)
    span = max(len(mapping.rollback.columns), 6)  # the wider of the steps and triggers tables
    merges: list[GridRange] = []
    if rb is not None:
        rows += [(), (text("Triggers", sect),)]
        rows.append(
            tuple(text(h, head) for h in ("Metric", "Operator", "Threshold", "Unit", "Window (min)", "Phase"))
        )
        for t in rb.triggers:
            rows.append(
                (
                    text(t.metric),
                    text(t.operator),
                    number(t.threshold),
                    text(t.unit),
                    number(t.window_minutes),
                    text(t.phase),
                )
            )
        rows += [(), (text("Verification", sect),)]
        for v in rb.verification:  # a sentence across the table's width
            merges.append(GridRange(len(rows), len(rows) + 1, 0, span))
            rows.append((text(v, wrap),))
        rows += [(), (text("Summary", sect),)]
        rows.append((text("Deployment", Fmt(bold=True)), text(rb.deployment)))
        rows.append((text("Rollback mechanism", Fmt(bold=True)), text(rb.mechanism)))
        rows.append((text("Decision maker", Fmt(bold=True)), text(rb.decision_maker)))
        rows.append((text("Estimated minutes", Fmt(bold=True)), number(rb.estimated_minutes)))
        for c in rb.communication:
            merges.append(GridRange(len(rows), len(rows) + 1, 1, span))
            rows.append((text("Communication", Fmt(bold=True)), text(c, wrap)))
    return _table_sheet("rollback", title, rows, mapping.rollback, n_table, merges=tuple(merges))


def communication_layout(plan: Plan, mapping: SheetsMapping, title: str) -> SheetLayout:
    """The communication plan (filtered table), then the stakeholders it serves."""
    head, sect = header_fmt(mapping), section_fmt(mapping)
    wrap = Fmt(wrap=True)
    rows = table_rows(
        mapping.communication,
        plan.communication_plan,
        lambda c, col: date(c.date) if col.key == "date" else text(getattr(c, col.key), wrap),
        head,
    )
    n_table = len(rows)
    rows += [(), (text("Stakeholders", sect),)]
    rows.append(
        tuple(
            text(h, head)
            for h in ("Name", "Group", "Order", "Influence", "Interest", "Cadence", "Channel", "Strategy")
        )
    )
    for s in plan.stakeholders:
        rows.append(
            (
                text(s.name),
                text(s.group),
                text(s.order),
                text(s.influence),
                text(s.interest),
                text(s.cadence),
                text(s.channel),
                text(s.strategy, wrap),
            )
        )
    return _table_sheet("communication", title, rows, mapping.communication, n_table)


# The worksheets in CONTRACT §6 order, and the builders of those that need no status.
SHEET_KEYS = ("dashboard", "risks", "raci", "timeline", "rollback", "communication")
_PLAIN_SHEETS: dict[str, Callable[[Plan, SheetsMapping, str], SheetLayout]] = {
    "risks": risks_layout,
    "raci": raci_layout,
    "rollback": rollback_layout,
    "communication": communication_layout,
}
