"""The offline bundle: six files, XLSX content and styling, CSV/XLSX injection, atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE
from fakes.sheets_plan import make_plan

import syncsvc.exporting
from syncsvc.cli import app
from syncsvc.errors import InputError
from syncsvc.exporting import BUNDLE_FILES, export_bundle
from syncsvc.grid.mapping import load_mapping
from syncsvc.model import Plan

HOSTILE = ('=HYPERLINK("x")', "@SUM(1)")
SHEETS = ["Dashboard", "Risks", "RACI", "Timeline", "Rollback", "Communication"]


def hostile_plan() -> Plan:
    """A plan whose task names, risk title and an owner start like spreadsheet formulas."""
    plan = make_plan(task_name=HOSTILE[0], risk_title="+cmd|' /C calc'!A0", owner="-Mallory")
    tasks = list(plan.tasks)
    tasks[2] = tasks[2].model_copy(update={"name": HOSTILE[1]})
    return plan.model_copy(update={"tasks": tasks})


def values(path: Path) -> Iterator[tuple[str, openpyxl.cell.cell.Cell]]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield ws.title, c


def strings(path: Path) -> set[str]:
    return {str(c.value) for _, c in values(path)}


def test_bundle_has_six_files_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "new" / "bundle"
    written = export_bundle(make_plan(), out)
    assert [p.name for p in written] == list(BUNDLE_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(BUNDLE_FILES)
    assert all(p.stat().st_size > 0 for p in written)
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["bundle"]  # no staging left


def test_csvs_have_headers_and_one_row_per_item(tmp_path: Path) -> None:
    plan = make_plan()
    export_bundle(plan, tmp_path)

    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO((tmp_path / name).read_text(encoding="utf-8-sig"))))

    risks = rows("risks.csv")
    assert [r["id"] for r in risks] == [r.id for r in plan.risks]
    assert risks[0]["score"] == str(plan.risks[0].score)
    raci = rows("raci.csv")
    assert [r["activity"] for r in raci] == [r.activity for r in plan.raci]
    assert raci[0]["accountable"] == plan.raci[0].accountable
    timeline = rows("timeline.csv")
    assert [t["id"] for t in timeline] == [t.id for t in plan.tasks]
    first = plan.tasks[-1]
    assert timeline[-1]["early_finish"] == first.early_finish.isoformat()
    assert timeline[-1]["critical"] == ("true" if first.critical else "false")
    assert timeline[-1]["depends_on"] == "; ".join(first.depends_on)


@pytest.mark.parametrize("source", ["example", "hand-made"])
def test_xlsx_holds_what_the_markdown_holds(tmp_path: Path, plan_of, source: str) -> None:
    plan = plan_of(EXAMPLE.read_text(encoding="utf-8")) if source == "example" else make_plan()
    export_bundle(plan, tmp_path)
    md = (tmp_path / "plan.md").read_text(encoding="utf-8")
    cells = strings(tmp_path / "dashboard.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "dashboard.xlsx")
    assert wb.sheetnames == SHEETS
    expected = (
        [t.id for t in plan.tasks]
        + [t.name for t in plan.tasks]
        + [r.title for r in plan.risks]
        + [r.activity for r in plan.raci]
    )
    assert plan.tasks and plan.risks
    if source == "hand-made":
        assert plan.raci
    for text in expected:
        assert text in md, text
        assert text in cells, text
    assert plan.rollback is not None
    for step in plan.rollback.steps:
        assert step.action in cells
    for item in plan.communication_plan:
        assert item.content in cells


def test_xlsx_types_styles_heat_grid_and_gantt(tmp_path: Path) -> None:
    plan = make_plan()
    export_bundle(plan, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "dashboard.xlsx")
    colours = load_mapping().colours

    def argb(c: str) -> str:
        return "FF" + c.lstrip("#").upper()

    for name in ("Risks", "RACI", "Timeline"):
        ws = wb[name]
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width > 3
    timeline = wb["Timeline"]
    header = [c.value for c in timeline[1]]
    start_col = header.index("Start") + 1
    first = timeline.cell(row=2, column=start_col)
    assert first.value == dt.datetime.combine(plan.tasks[0].early_start, dt.time())
    assert first.number_format == "yyyy-mm-dd"
    est = timeline.cell(row=2, column=header.index("Estimate (d)") + 1)
    assert est.value == plan.tasks[0].estimate_days and est.data_type == "n"
    # Gantt: every task row has coloured week cells, critical tasks in the critical colour.
    for i, t in enumerate(plan.tasks, start=2):
        fills = {c.fill.fgColor.rgb for c in timeline[i] if c.fill.fill_type == "solid"}
        want = (
            colours.gantt_milestone
            if t.kind == "milestone"
            else colours.gantt_critical
            if t.critical
            else colours.gantt_task
        )
        assert argb(want) in fills, t.id
    assert any(not t.critical for t in plan.tasks) and any(t.critical for t in plan.tasks)
    # Heat grid: the 3x3 cells carry the green/amber/red colours by score.
    risk_fills = {
        c.fill.fgColor.rgb for row in wb["Risks"].iter_rows() for c in row if c.fill.fill_type == "solid"
    }
    assert {argb(colours.risk_low), argb(colours.risk_medium), argb(colours.risk_high)} <= risk_fills
    heat = [
        row for row in wb["Risks"].iter_rows(values_only=True) if row and row[0] in ("High", "Medium", "Low")
    ]
    assert len(heat) == 3
    grid_ids = {i.strip() for row in heat for c in row[1:4] if c for i in str(c).split(",")}
    assert grid_ids == {r.id for r in plan.risks}


def test_injection_is_escaped_in_csv_and_xlsx(tmp_path: Path) -> None:
    export_bundle(hostile_plan(), tmp_path)
    timeline = (tmp_path / "timeline.csv").read_text(encoding="utf-8-sig")
    names = [r["name"] for r in csv.DictReader(io.StringIO(timeline))]
    for bad in HOSTILE:
        assert "'" + bad in names
        assert bad not in names
    risks = list(csv.DictReader(io.StringIO((tmp_path / "risks.csv").read_text(encoding="utf-8-sig"))))
    assert any(r["title"] == "'+cmd|' /C calc'!A0" for r in risks)
    raci = list(csv.DictReader(io.StringIO((tmp_path / "raci.csv").read_text(encoding="utf-8-sig"))))
    assert any(r["responsible"] == "'-Mallory" for r in raci)
    for line in timeline.splitlines()[1:]:  # no field may begin with a formula character
        for field in next(csv.reader([line])):
            assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), field

    # In the XLSX the text is a string cell: shown exactly as written, with no `'` in front
    # (a spreadsheet never evaluates a string cell), and never stored as a formula.
    xlsx = tmp_path / "dashboard.xlsx"
    hits = [
        (sheet, c)
        for sheet, c in values(xlsx)
        if isinstance(c.value, str) and any(c.value.endswith(b) for b in (*HOSTILE, "-Mallory"))
    ]
    assert {c.value for _, c in hits} >= {*HOSTILE, "-Mallory"}
    for _, c in hits:
        assert c.data_type == "s" and not c.value.startswith("'")
    assert all(c.data_type != "f" for _, c in values(xlsx))
    with zipfile.ZipFile(xlsx) as z:  # no formula element anywhere in the stored sheets
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_export_twice_is_idempotent(tmp_path: Path) -> None:
    plan = make_plan()
    export_bundle(plan, tmp_path / "out")
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    cells1 = [(s, c.coordinate, c.value) for s, c in values(tmp_path / "out" / "dashboard.xlsx")]
    export_bundle(plan, tmp_path / "out")
    second = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    cells2 = [(s, c.coordinate, c.value) for s, c in values(tmp_path / "out" / "dashboard.xlsx")]
    assert first.keys() == second.keys() == set(BUNDLE_FILES)
    for name in BUNDLE_FILES:
        if name != "dashboard.xlsx":  # the workbook stores its own save time
            assert first[name] == second[name], name
    assert cells1 == cells2
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_other_files_in_out_are_kept(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "plan.md").write_text("old", encoding="utf-8")
    export_bundle(make_plan(), tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "plan.md").read_text(encoding="utf-8") != "old"


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        export_bundle(make_plan(), target)
    assert target.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_out_with_nul_byte_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="NUL"):
        export_bundle(make_plan(), tmp_path / "a\x00b")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> bytes:
        raise RuntimeError("disk on fire")

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "plan.md").write_text("old", encoding="utf-8")
    monkeypatch.setattr(syncsvc.exporting, "dashboard_xlsx", boom)  # the last file rendered
    with pytest.raises(RuntimeError):
        export_bundle(make_plan(), tmp_path / "out")
    with pytest.raises(RuntimeError):
        export_bundle(make_plan(), tmp_path / "fresh")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["plan.md"]
    assert (tmp_path / "out" / "plan.md").read_text(encoding="utf-8") == "old"


def test_the_collector_is_paused_only_while_exporting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from syncsvc.api import export

    seen = []
    real = syncsvc.exporting.export_bundle

    def spy(*a: object, **k: object) -> list[Path]:
        seen.append(gc.isenabled())
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(syncsvc.exporting, "export_bundle", spy)
    assert gc.isenabled()
    export(EXAMPLE, out=tmp_path / "a")
    assert seen == [False] and gc.isenabled()
    with pytest.raises(InputError):  # a failure re-enables it too
        export(tmp_path / "missing.toml", out=tmp_path / "b")
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that had it off keeps it off
        export(EXAMPLE, out=tmp_path / "c")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cli_export_lists_the_files(tmp_path: Path, runner, plan_of) -> None:
    plan_of(EXAMPLE.read_text(encoding="utf-8"))  # the catalogs load
    result = runner.invoke(app, ["export", str(EXAMPLE), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    listed = [Path(line).name for line in result.stdout.splitlines()]
    assert listed == list(BUNDLE_FILES)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(BUNDLE_FILES)


def test_cli_export_to_a_file_exits_2_and_writes_nothing(tmp_path: Path, runner) -> None:
    target = tmp_path / "plan.md"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["export", str(EXAMPLE), "--out", str(target)])
    assert result.exit_code == 2
    assert "Error: --out" in result.stderr and "is a file" in result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_cli_export_needs_out(runner) -> None:
    result = runner.invoke(app, ["export", str(EXAMPLE)])
    assert result.exit_code == 2
    assert "--out" in result.stderr


def _merged_width(
    ws: openpyxl.worksheet.worksheet.Worksheet, cell: openpyxl.cell.cell.Cell
) -> tuple[float, bool]:
    """The width (characters) a cell's text has: its column's, or its merged range's."""
    from openpyxl.utils import get_column_letter

    for rng in ws.merged_cells.ranges:
        if cell.coordinate in rng:
            return sum(
                ws.column_dimensions[get_column_letter(c)].width for c in range(rng.min_col, rng.max_col + 1)
            ), True
    return ws.column_dimensions[cell.column_letter].width, False


def test_xlsx_text_is_never_cut_or_overprinted_and_fonts_are_named(tmp_path: Path, plan_of) -> None:
    for n, plan in enumerate([make_plan(), plan_of(EXAMPLE.read_text(encoding="utf-8"))]):
        export_bundle(plan, tmp_path / str(n))
        wb = openpyxl.load_workbook(tmp_path / str(n) / "dashboard.xlsx")
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if not isinstance(c.value, str) or not c.value:
                        continue
                    width, merged = _merged_width(ws, c)
                    if c.alignment.wrap_text or merged:
                        # a wrapped text gets the lines it needs: at least len/width of them
                        lines = -(-len(c.value) // max(int(width) - 1, 1))
                        height = ws.row_dimensions[c.row].height or 15.0
                        assert height >= 15.0 * lines, (ws.title, c.coordinate, c.value)
                        if lines > 1:
                            assert c.alignment.vertical == "top"
                        longest = max(len(w) for w in c.value.split() or [""])
                        assert merged or width >= min(longest, 20), (ws.title, c.coordinate)
                    elif ws[c.row][1:] and any(x.value is not None for x in ws[c.row][1:]) or c.column > 1:
                        # one line, shown whole (up to 50 characters, then it overflows)
                        assert width >= min(len(c.value), 50), (ws.title, c.coordinate, c.value)
                    else:  # a heading alone in its row: it overflows into the empty cells
                        assert c.font.b, (ws.title, c.coordinate, c.value)
                    if c.font.b:
                        assert (c.font.name, c.font.sz) == ("Calibri", 11), c.coordinate
            # print set-up: landscape, one page wide, the header row on every page of a sheet
            # that is one table; none where other tables follow (it would name their columns)
            assert ws.page_setup.orientation == "landscape"
            # fitToWidth 1 is the file format's default: a writer may leave it out (None)
            assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            one_table = ws.title in ("Dashboard", "RACI", "Timeline")
            assert ws.print_title_rows == ("$1:$1" if one_table else None), ws.title
        # the heat grid's long heading does not widen the ID column (its header row does)
        assert wb["Risks"].column_dimensions["A"].width < len("Likelihood \\ Impact") * 1.1 + 3
        rollback = wb["Rollback"]
        checks = [c for c in rollback["A"] if plan.rollback and c.value in plan.rollback.verification]
        assert len(checks) == len(plan.rollback.verification)  # sentences across the table
        assert all(_merged_width(rollback, c)[1] for c in checks)


def test_xlsx_heat_grid_reads_as_the_markdown_and_comm_dates_sort(tmp_path: Path) -> None:
    plan = make_plan()
    export_bundle(plan, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "dashboard.xlsx")
    rows = [list(r) for r in wb["Risks"].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "Likelihood \\ Impact")
    assert rows[at][1:4] == ["Low", "Medium", "High"]
    levels = ["High", "Medium", "Low"]
    for r in plan.risks:  # likelihood down (high first), impact across (low first)
        cell = rows[at + 1 + levels.index(r.likelihood.capitalize())][
            1 + levels[::-1].index(r.impact.capitalize())
        ]
        assert r.id in str(cell).split(", ")
    comm = wb["Communication"]
    head = [c.value for c in comm[1]]
    col = head.index("First date") + 1
    assert (
        comm.cell(row=2, column=col).value
        == dt.datetime.combine(plan.communication_plan[0].date or plan.start_date, dt.time())
        or plan.communication_plan[0].date is None
    )
    raci_head = wb["RACI"][1]
    assert all(c.alignment.wrap_text for c in raci_head[2:])  # names wrap, never cut


def test_csvs_carry_a_bom_so_excel_reads_utf8(tmp_path: Path) -> None:
    plan = make_plan(owner="Tomás")
    export_bundle(plan, tmp_path)
    for name in ("risks.csv", "raci.csv", "timeline.csv"):
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # Excel's cue to read UTF-8, not cp1252
    assert "Tomás" in (tmp_path / "raci.csv").read_bytes().decode("utf-8-sig")
    assert "TomÃ¡s" in (tmp_path / "raci.csv").read_bytes()[3:].decode("cp1252")  # without it


def test_equal_cell_formats_share_one_workbook_format_and_blanks_are_trimmed() -> None:
    from xlsxwriter import Workbook

    from syncsvc.exporting.xlsx import _Formats
    from syncsvc.grid.cells import BLANK, Fmt, fill, text, trim_rows

    wb = Workbook(io.BytesIO(), {"constant_memory": True})
    formats = _Formats(wb)
    a, b = Fmt(bold=True, background="#FF0000"), Fmt(bold=True, background="#FF0000")
    assert a is not b
    assert formats.get(a, None, False) is formats.get(b, None, False)  # found by value, not identity
    assert formats.get(a, None, True) is not formats.get(a, None, False)
    wb.close()
    plain_blank = text("")  # empty and plain, yet not the BLANK object
    rows = [(text("x"), fill("#00FF00"), BLANK, plain_blank, BLANK), (BLANK, plain_blank), ()]
    assert trim_rows(rows) == ((text("x"), fill("#00FF00")), (), ())


def _cells(path: Path) -> list[tuple[object, ...]]:
    """What a person sees of every written cell: sheet, place, value, number format, font,
    fill and alignment (the workbook's own numbering of its styles left aside)."""
    out: list[tuple[object, ...]] = []
    for title, c in values(path):
        f, a = c.font, c.alignment
        out.append(
            (title, c.coordinate, c.value, c.number_format, f.b, f.color.rgb if f.color else None)
            + (c.fill.patternType, c.fill.fgColor.rgb, a.horizontal, a.vertical, a.wrap_text)
        )
    return out


def _sequential(tmp_path: Path) -> Path:
    """The example's bundle with everything written in order, in this process."""
    from syncsvc.api import load_plan

    out = tmp_path / "sequential"
    export_bundle(load_plan(EXAMPLE, None, {}), out)
    return out


def test_the_export_writes_the_bundle_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No copy of the caller's process (forked copies were tried for speed: they held more
    memory together than the export in order, for ~4% of the wall time): `export` gives the
    bundle `export_bundle` writes from the plan."""
    import os

    from syncsvc.api import export

    def no_fork() -> int:
        raise AssertionError("the export forked")

    monkeypatch.setattr(os, "fork", no_fork)
    export(EXAMPLE, out=tmp_path / "a")
    seq = _sequential(tmp_path)
    for name in BUNDLE_FILES:
        assert (tmp_path / "a" / name).read_bytes() != b"", name
    for name in BUNDLE_FILES[:-1]:
        assert (tmp_path / "a" / name).read_bytes() == (seq / name).read_bytes(), name
    cells = _cells(tmp_path / "a" / "dashboard.xlsx")
    assert cells == _cells(seq / "dashboard.xlsx")
    p80 = next(i for i, c in enumerate(cells) if c[2] == "P80 launch (as planned)")
    assert isinstance(cells[p80 + 1][2], dt.datetime)  # the Dashboard shows the range
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "sequential"]  # no staging left


def test_a_failed_monte_carlo_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from syncsvc.api import export

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("no range")

    monkeypatch.setattr("syncsvc.planning.confidence.confidence_range", boom)
    with pytest.raises(RuntimeError, match="no range"):
        export(EXAMPLE, out=tmp_path / "c")
    assert list(tmp_path.iterdir()) == []


def test_fast_text_paths_agree_with_the_rules() -> None:
    # `md` skips text with nothing to escape and the CSV field looks its type up first: both
    # checked against the rules written out, on every kind of value and awkward character
    import html
    import random

    from syncsvc.exporting.csvs import _field
    from syncsvc.rendering.text import cell, md

    def md_rule(text: object) -> str:
        s = str(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        return html.escape(s, quote=False).replace("|", "\\|")

    def field_rule(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        if isinstance(v, dt.date):
            return v.isoformat()
        return cell(v)

    rng = random.Random(3)
    alphabet = "ab |&<>\r\n\t=+-@'\"é"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(2000)]
    for t in texts:
        assert md(t) == md_rule(t), repr(t)
    values: list[object] = [*texts, None, True, False, 0, 7, -3, 1.5, 1e-7, float("inf")]
    values += [dt.date(2027, 1, 4), dt.datetime(2027, 1, 4, 9, 30), 12]
    for v in values:
        assert _field(v) == field_rule(v), repr(v)  # type: ignore[arg-type]
