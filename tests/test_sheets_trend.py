"""Dashboard state colours and slip trend, Timeline per-task forecast, on the fake Sheets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fakes.sheets import (
    SPREADSHEET_ID,
    FakeSheets,
    token_client_factory,
)
from fakes.sheets_plan import make_plan, make_status

from syncsvc.config import Config
from syncsvc.grid.cells import rgb
from syncsvc.grid.layout import MAX_TREND, dashboard_layout
from syncsvc.grid.mapping import load_mapping
from syncsvc.model import Plan
from syncsvc.sheets import publish_plan
from syncsvc.status import TrackedStatus

NOW = dt.datetime(2027, 1, 21, 9, 0)
EPOCH = dt.date(1899, 12, 30)
# the bundled mappings/sheets.toml colours
GREEN, YELLOW, RED = "#C6EFCE", "#FFEB9C", "#FFC7CE"


def serial(d: str) -> float:
    return float((dt.date.fromisoformat(d) - EPOCH).days)


def status_json(plan: Plan, trend: list[tuple[str, str, int, str]]) -> TrackedStatus:
    """The status `sync` hands to publish: the first task 2 days late and critical, the second
    1 day late off the critical path, the rest on time."""
    return make_status(plan, trend)


TREND = [
    ("2027-01-11", "on_track", 0, "2027-02-10"),
    ("2027-01-18", "at_risk", 0, "2027-02-10"),
    ("2027-01-21", "slipping", 2, "2027-02-12"),
]


def publish(plan: Plan, sheets_cfg: Config, status: TrackedStatus | None):
    return publish_plan(
        plan, sheets_cfg, dry_run=False, status=status, client_factory=token_client_factory(), now=NOW
    )


def bg(fake_sheets: FakeSheets, title: str, row: int, col: int) -> dict[str, float] | None:
    cell = fake_sheets.sheet(SPREADSHEET_ID, title).cells.get((row, col), {})
    return (cell.get("userEnteredFormat") or {}).get("backgroundColor")


def trend_block(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows of the "Slip trend" table, header included."""
    start = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("Slip trend"))
    out = []
    for r in rows[start + 1 :]:
        if not r or len(r) < 4:
            break
        out.append(r)
    return out


def test_dashboard_shows_state_in_colour_and_the_slip_trend(
    fake_sheets: FakeSheets, sheets_cfg: Config
) -> None:
    plan = make_plan(8)
    report = publish(plan, sheets_cfg, status_json(plan, TREND))
    assert report.calls == 2  # one read, one write
    rows = fake_sheets.values(SPREADSHEET_ID, "Dashboard")
    dash = {r[0]: (i, r[1]) for i, r in enumerate(rows) if len(r) > 1 and r[0]}
    assert dash["State"][1] == "slipping"
    assert bg(fake_sheets, "Dashboard", dash["State"][0], 1) == rgb(RED)
    assert dash["Slip (working days)"][1] == 2
    assert dash["Forecast launch"][1] == serial("2027-02-12")
    assert any(r and r[0] == "Slip trend (last 3 runs)" for r in rows)
    table = trend_block(rows)
    assert table == [
        ["As of", "State", "Slip (d)", "Forecast finish"],
        [serial("2027-01-11"), "on_track", 0, serial("2027-02-10")],
        [serial("2027-01-18"), "at_risk", 0, serial("2027-02-10")],
        [serial("2027-01-21"), "slipping", 2, serial("2027-02-12")],
    ]
    first = next(i for i, r in enumerate(rows) if r[:1] == [serial("2027-01-11")])
    assert [bg(fake_sheets, "Dashboard", first + k, 1) for k in range(3)] == [
        rgb(GREEN),
        rgb(YELLOW),
        rgb(RED),
    ]
    # the trend's extra columns get widths; the label and value columns keep theirs
    widths = fake_sheets.sheet(SPREADSHEET_ID, "Dashboard").widths
    assert [widths.get(c) for c in range(4)] == [180, 520, 80, 110]


def test_timeline_shows_status_forecast_and_slip_per_task(
    fake_sheets: FakeSheets, sheets_cfg: Config
) -> None:
    plan = make_plan(8)
    publish(plan, sheets_cfg, status_json(plan, TREND))
    rows = fake_sheets.values(SPREADSHEET_ID, "Timeline")
    head = rows[0]
    col = {h: head.index(h) for h in ("ID", "Jira", "Status", "Forecast finish", "Slip (d)")}
    by_id = {r[0]: r for r in rows[1:]}
    t0, t1, t2 = plan.tasks[:3]
    assert [by_id[t0.id][col[h]] for h in ("Jira", "Status", "Slip (d)")] == ["NOTIF-1", "Done", 2]
    assert by_id[t0.id][col["Forecast finish"]] == serial(
        (t0.early_finish + dt.timedelta(days=2)).isoformat()
    )
    assert by_id[t2.id][col["Slip (d)"]] == 0
    r0 = 1 + plan.tasks.index(t0)
    r1 = 1 + plan.tasks.index(t1)
    r2 = 1 + plan.tasks.index(t2)
    # late and critical: the slipping colour; late off the critical path: at risk; on time: none
    assert bg(fake_sheets, "Timeline", r0, col["Slip (d)"]) == rgb(RED)
    assert bg(fake_sheets, "Timeline", r1, col["Slip (d)"]) == rgb(YELLOW)
    assert bg(fake_sheets, "Timeline", r2, col["Slip (d)"]) is None


def test_a_new_run_adds_a_trend_row_and_an_unchanged_one_writes_nothing(
    fake_sheets: FakeSheets, sheets_cfg: Config
) -> None:
    plan = make_plan(8)
    publish(plan, sheets_cfg, status_json(plan, TREND[:2]))
    assert len(trend_block(fake_sheets.values(SPREADSHEET_ID, "Dashboard"))) == 1 + 2
    n = fake_sheets.api_calls()
    report = publish(plan, sheets_cfg, status_json(plan, TREND))
    assert report.calls == 2 and fake_sheets.api_calls() - n == 2
    assert len(trend_block(fake_sheets.values(SPREADSHEET_ID, "Dashboard"))) == 1 + 3
    n = fake_sheets.api_calls()
    report = publish(plan, sheets_cfg, status_json(plan, TREND))
    assert report.calls == 1 and fake_sheets.api_calls() - n == 1  # the read only


def test_no_status_no_trend_and_the_trend_keeps_the_latest_runs() -> None:
    plan = make_plan(8)
    mapping = load_mapping()
    plain = dashboard_layout(plan, mapping, "Dashboard", None, NOW)
    assert not any(r and r[0].value and str(r[0].value).startswith("Slip trend") for r in plain.rows)
    assert len(plain.widths) == 2
    days = [dt.date(2027, 1, 4) + dt.timedelta(days=i) for i in range(MAX_TREND + 5)]
    many = [(d.isoformat(), "on_track", 0, "2027-02-10") for d in days]
    view = status_json(plan, many)
    assert len(view.trend) == MAX_TREND + 5
    lay = dashboard_layout(plan, mapping, "Dashboard", view, NOW)
    dates = [r[0].value for r in lay.rows if r and r[0].kind == "date"]
    assert dates == days[-MAX_TREND:]  # the latest runs, oldest first
    # the volatile "last synced" cell is still the last row's value
    assert lay.volatile == frozenset({(len(lay.rows) - 1, 1)})
    assert lay.rows[-1][0].value == "Last synced (UTC)"


def test_dashboard_shows_todays_p80_next_to_the_planned_one(
    fake_sheets: FakeSheets, sheets_cfg: Config
) -> None:
    from syncsvc.model import Confidence

    planned = Confidence(
        p50=dt.date(2027, 2, 8),
        p80=dt.date(2027, 2, 10),
        p95=dt.date(2027, 2, 12),
        deadline_probability=0.9,
        samples=5000,
        seed=1,
    )
    plan = make_plan(8).model_copy(update={"confidence": planned})
    status = make_status(
        plan,
        TREND,
        confidence={
            "p50": "2027-02-15",
            "p80": "2027-02-19",
            "p95": "2027-02-24",
            "deadline_probability": 0.41,
            "samples": 5000,
            "seed": 1,
        },
    )
    publish(plan, sheets_cfg, status)
    rows = fake_sheets.values(SPREADSHEET_ID, "Dashboard")
    dash = {r[0]: r[1] for r in rows if len(r) > 1 and r[0]}
    assert dash["P80 launch (as planned)"] == serial("2027-02-10")
    assert dash["P80 launch today"] == serial("2027-02-19")


def test_tracked_status_keeps_one_trend_point_per_day_and_fills_keys_from_the_push() -> None:
    plan = make_plan(4)
    run = make_status(plan, [("2027-01-21", "slipping", 2, "2027-02-12")], tasks=1)
    assert run.forecast is not None
    history = [
        {
            "run_at": "x",
            "as_of": "2027-01-11",
            "state": "on_track",
            "slip_days": 0,
            "forecast_finish": "2027-02-10",
        },
        {
            "run_at": "x",
            "as_of": "2027-01-18",
            "state": "on_track",
            "slip_days": 0,
            "forecast_finish": "2027-02-10",
        },
        {
            "run_at": "y",
            "as_of": "2027-01-18",
            "state": "at_risk",
            "slip_days": 1,
            "forecast_finish": "2027-02-11",
        },
        {
            "run_at": "z",
            "as_of": "2027-01-21",
            "state": "on_track",
            "slip_days": 0,
            "forecast_finish": "2027-02-10",
        },
    ]
    pushed = {plan.tasks[0].id: "OLD-1", plan.tasks[1].id: "NOTIF-9"}
    st = TrackedStatus.of(run.forecast, history=history, issue_keys=pushed)
    # a rerun's point replaces the earlier one of its day; this run's point comes last
    assert [(p.as_of.isoformat(), p.state, p.slip_days) for p in st.trend] == [
        ("2027-01-11", "on_track", 0),
        ("2027-01-18", "at_risk", 1),
        ("2027-01-21", "slipping", 2),
    ]
    # the pull's key wins; a task the pull did not see shows the key the push recorded
    assert st.issue_key(plan.tasks[0].id) == "NOTIF-1"
    assert st.issue_key(plan.tasks[1].id) == "NOTIF-9"
    assert st.issue_key(plan.tasks[2].id) is None
    assert st.tasks_done == 1 and st.state == "slipping"
    snap = st.snapshot_json()
    assert snap["schema"] == "syncsvc.status/1" and len(snap["trend"]) == 3
    keys_only = TrackedStatus(issue_keys=pushed)
    assert (
        keys_only.tasks_done is None and keys_only.state is None and keys_only.task(plan.tasks[0].id) is None
    )
