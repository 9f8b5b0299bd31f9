"""Pure parts of publishing: the mapping, typed cells, layouts, the diff and batch splitting."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from fakes.sheets import SIX
from fakes.sheets_plan import make_plan

from syncsvc.errors import ConfigError
from syncsvc.grid.cells import MAX_CELL_CHARS, canonical, cell_data, date, flag, number, text
from syncsvc.grid.layout import build_layouts, sheet_titles
from syncsvc.grid.mapping import header_fmt, load_mapping, mapping_path
from syncsvc.sheets.diff import (
    GET_FIELDS,
    Remote,
    batches,
    diff_all,
    new_sheet_id,
    parse_remote,
)

MAPPING = load_mapping()
NOW = dt.datetime(2027, 1, 4, 9, 30)
EMPTY = Remote({}, frozenset({0}))
MAPPING_HEADER = header_fmt(MAPPING)


def test_bundled_mapping_loads_and_titles_follow_the_contract():
    assert list(sheet_titles("p", MAPPING, prefix=False).values()) == SIX
    assert list(sheet_titles("notif", MAPPING, prefix=True).values()) == [f"notif {t}" for t in SIX]


def _custom(tmp_path: Path, edit: tuple[str, str]) -> Path:
    text = mapping_path().read_text(encoding="utf-8").replace(*edit, 1)
    (tmp_path / "sheets.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            ('key = "title"', 'key = "titel"'),
            "sheets.toml: risks.columns[1].key: unknown column 'titel'; known: category, id, impact",
        ),
        (
            ('risk_high = "#FFC7CE"', 'risk_high = "red"'),
            "sheets.toml: colours.risk_high: must be a colour like #1F3864 (got 'red')",
        ),
        (("[gantt]", "[gantt]\nspeed = 3"), "sheets.toml: gantt.speed: unknown key"),
        (('rollback = "Rollback"', 'rollback = "RACI"'), "worksheet titles must all differ"),
    ],
)
def test_a_bad_mapping_is_refused_naming_file_and_key(tmp_path, edit, expected):
    with pytest.raises(ConfigError) as e:
        load_mapping(_custom(tmp_path, edit))
    # the line is named too when it can be found (sheets.toml:12: ...), like a spec's errors
    assert expected in re.sub(r"^sheets\.toml:\d+: ", "sheets.toml: ", str(e.value))


def test_a_catalog_folder_mapping_wins(tmp_path):
    m = load_mapping(_custom(tmp_path, ('header = "Risk"', 'header = "Threat"')))
    assert [c.header for c in m.risks.columns][1] == "Threat"


def test_cells_are_typed_and_text_is_never_a_formula():
    assert cell_data(text("=SUM(A1:A3)")) == {"userEnteredValue": {"stringValue": "=SUM(A1:A3)"}}
    assert cell_data(number(3)) == {"userEnteredValue": {"numberValue": 3}}
    assert cell_data(flag(False)) == {"userEnteredValue": {"boolValue": False}}
    assert cell_data(date(dt.date(2027, 1, 4))) == {
        "userEnteredValue": {"numberValue": 46391.0},
        "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}},
    }
    assert cell_data(text(None)) == {} and cell_data(number(None)) == {}
    long = cell_data(text("x" * (MAX_CELL_CHARS + 10)))["userEnteredValue"]["stringValue"]
    assert len(long) == MAX_CELL_CHARS and long.endswith("…")


def test_canonical_form_matches_what_sheets_echoes():
    sent = cell_data(text("a", fmt=MAPPING_HEADER))
    echoed = json.loads(json.dumps(sent))
    echoed["userEnteredFormat"]["backgroundColor"]["alpha"] = 1  # Sheets may add alpha
    echoed["userEnteredFormat"]["wrapStrategy"] = "OVERFLOW_CELL"  # and the default wrap
    assert canonical(echoed) == canonical(sent)
    echoed["userEnteredValue"] = {"formulaValue": "=a"}
    assert canonical(echoed) != canonical(sent)


def test_layouts_of_a_plan():
    plan = make_plan(12)
    dash, risks, raci, tl, rb, comm = build_layouts(plan, MAPPING, synced_at=NOW)
    assert [lay.title for lay in (dash, risks, raci, tl, rb, comm)] == SIX
    assert all(lay.frozen_rows == 1 for lay in (dash, risks, raci, tl, rb, comm))
    assert risks.filter is not None and risks.filter.bottom == 1 + len(plan.risks)
    assert dash.filter is None and dash.volatile == {(len(dash.rows) - 1, 1)}
    # RACI: accountable and responsible in one cell read "R/A"
    people = [c.value for c in raci.rows[0][2:]]
    assert raci.rows[0][0].value == "Activity" and "Dana" in people
    row = next(r for r in raci.rows[1:] if r[0].value == "t4")  # owner Dana: R and A
    assert row[2 + people.index("Dana")].value == "R/A"
    assert row[2 + people.index("Dana")].fmt.bold
    # Timeline: a header per week from the start's Monday, the deadline's week marked
    monday = plan.start_date - dt.timedelta(days=plan.start_date.weekday())
    weeks = [c.value for c in tl.rows[0][len(MAPPING.timeline.columns) :]]
    assert weeks[0] == monday and all(isinstance(w, dt.date) for w in weeks)
    dl = weeks.index(plan.deadline - dt.timedelta(days=plan.deadline.weekday()))
    head = tl.rows[0][len(MAPPING.timeline.columns) + dl]
    assert head.fmt.background == MAPPING.colours.gantt_deadline


def test_raci_marks_follow_each_persons_roles():
    # every mix of roles (a name twice in a role, in several roles, accountable unnamed),
    # checked against the rule stated per person: the letters R, A, C, I of the roles they hold
    import random

    from syncsvc.grid.layout import raci_layout
    from syncsvc.model import RaciRow

    rng = random.Random(7)
    names = ["Ana", "Bo", "Cy", "Di"]
    plan = make_plan(12)
    rows = [
        RaciRow(
            activity=t.id,
            responsible=rng.choices(names, k=rng.randint(0, 3)),
            accountable=rng.choice([*names, None]),
            consulted=rng.choices(names, k=rng.randint(0, 2)),
            informed=rng.choices(names, k=rng.randint(0, 2)),
        )
        for t in plan.tasks
    ]
    plan = plan.model_copy(update={"raci": rows})
    layout = raci_layout(plan, MAPPING, "RACI")
    n_lead = len(MAPPING.raci.columns)
    people = [c.value for c in layout.rows[0][n_lead:]]
    for r, cells in zip(rows, layout.rows[1:], strict=True):
        for i, p in enumerate(people):
            roles = (p in r.responsible, p == r.accountable, p in r.consulted, p in r.informed)
            want = "/".join(x for x, hit in zip("RACI", roles, strict=True) if hit)
            got = cells[n_lead + i] if n_lead + i < len(cells) else None
            assert (got.value if got is not None and got.kind == "string" else "") == want
            if want:
                assert got is not None and got.fmt.bold == roles[1] and got.fmt.align == "CENTER"


def test_long_timelines_are_cut_and_say_so():
    plan = make_plan(12, weeks=200)
    tl = build_layouts(plan, MAPPING, synced_at=NOW)[3]
    n = len(MAPPING.timeline.columns)
    assert len(tl.rows[0]) == n + MAPPING.gantt.max_weeks and tl.rows[0][-1].value == "…"


def test_diff_against_nothing_creates_all_and_fits_one_batch():
    changes = diff_all(build_layouts(make_plan(12), MAPPING, synced_at=NOW), EMPTY)
    assert [c.action for c in changes] == ["create"] * 6
    ids = [c.requests[0]["addSheet"]["properties"]["sheetId"] for c in changes]
    assert len(set(ids)) == 6 and 0 not in ids
    bodies = batches(changes)
    assert len(bodies) == 1
    assert json.loads(bodies[0])["requests"][0] == changes[0].requests[0]


def test_batches_split_between_requests_in_order():
    changes = diff_all(build_layouts(make_plan(60), MAPPING, synced_at=NOW), EMPTY)
    whole = [r for c in changes for r in c.requests]
    bodies = batches(changes, limit=20_000)
    assert len(bodies) > 2
    assert all(len(b) <= 20_000 + 20 or len(json.loads(b)["requests"]) == 1 for b in bodies)
    assert [r for b in bodies for r in json.loads(b)["requests"]] == whole


def test_new_sheet_ids_avoid_taken_ones():
    first = new_sheet_id("Risks", [])
    assert new_sheet_id("Risks", [first]) == first + 1
    assert new_sheet_id("Risks", []) == first  # stable across runs


def test_parse_remote_reads_offsets_and_trailing_blanks():
    doc = {
        "sheets": [
            {
                "properties": {
                    "sheetId": 7,
                    "title": "T",
                    "gridProperties": {"rowCount": 5, "columnCount": 3, "frozenRowCount": 1},
                },
                "data": [
                    {
                        "startRow": 1,
                        "startColumn": 1,
                        "rowData": [{"values": [{"userEnteredValue": {"stringValue": "x"}}, {}]}, {}],
                    }
                ],
            }
        ]
    }
    sheet = parse_remote(doc).sheets["T"]
    x = canonical({"userEnteredValue": {"stringValue": "x"}})
    assert sheet.rows == ((), (canonical({}), x))  # row 0 before startRow; blanks trimmed
    assert sheet.frozen_rows == 1 and sheet.filter is None and sheet.sheet_id == 7


def test_get_fields_is_a_field_mask_on_sheets_only():
    assert GET_FIELDS.startswith("sheets(") and "userEnteredValue" in GET_FIELDS
