"""Hostile input: fuzzed spec and config files, huge and deeply nested inputs, JQL that a value
cannot change, spreadsheet injection, Markdown escaping and output paths that could escape."""

from __future__ import annotations

import json
import os
import re
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLE, PLANNING_COMMANDS, TODAY
from fakes.jira_jql import parse_jql
from fakes.sheets import SPREADSHEET_ID, FakeSheets, serve_fake_sheets, sheets_config
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from syncsvc.cli import app
from syncsvc.config import load_config
from syncsvc.errors import ConfigError, SpecError
from syncsvc.jira.adapter import JiraFailure, SiteFields, _jql_key
from syncsvc.jira.payload import Site, jql_quote, plan_label
from syncsvc.specload import load_spec, parse_toml

# A hang shows as a deadline error; the figure is generous (a loaded CI machine), not a speed test.
FUZZ = settings(
    deadline=timedelta(seconds=10),
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PLANNING = PLANNING_COMMANDS
HOSTILE_SPEC = """feature_name   = "Pipes | <script>alert(1)</script> & co"
description    = "Line one\\nline two | <img src=x onerror=alert(1)> =cmd|' /C calc'!A0"
team_size      = 3
timeline       = "4 weeks"
risk_tolerance = "medium"
plan_id        = "hostile"
pm             = "P|M <b>"
start_date     = 2027-03-01
version        = "v1 | <i>"
changelog      = ["a | b\\n<script>c</script>"]
flag_provider  = "Flag|Co <x>"
flag_key       = "k|<y>"
deployment     = "feature_flag"

[[team]]
name = "P|M <b>"
role = "Product Manager | <u>"

[[team]]
name = "Ma|lory <script>"
role = "Backend\\nLead | <s>"

[[team]]
name = "=HYPERLINK(\\"http://evil\\")"
role = "QA"

[[stakeholders]]
name = "Legal | <script>x</script>"
group = "le|gal <g>"
influence = "high"
interest = "high"
notes = "notes | <script>n</script>\\nsecond line"

[[tasks]]
id = "design"
name = "Design | <script>alert(2)</script>"
phase = "de|sign <p>"
estimate = "2d"
owner = "P|M <b>"

[[tasks]]
id = "build"
name = "Build\\nnext | =SUM(A1)"
phase = "bu|ild\\n<q>"
estimate = "5d"
owner = "Ma|lory <script>"
depends_on = ["design"]

[[tasks]]
id = "ship"
name = "@Ship | <a href=javascript:x>"
phase = "ro|llout"
estimate = "1d"
owner = "=HYPERLINK(\\"http://evil\\")"
depends_on = ["build"]
kind = "rollout"

[[risks]]
title = "Risk | <script>r</script>\\nnewline"
likelihood = "high"
impact = "high"
owner = "Ma|lory <script>"
mitigation = "Mitigate | <b>m</b>\\n=1+1"
mitigation_task = { id = "mit", name = "Mit | <script>t</script>", estimate = "1d", before = "ship" }

[rollback]
decision_maker = "On|call <script>d</script>"
triggers = [
  { metric = "err|rate <m>", operator = ">", threshold = 2, unit = "%|<u>", window_minutes = 15 },
]
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def assert_clean_exit(r: Result, allowed: tuple[int, ...] = (0, 2)) -> None:
    """Exit 0, or 2 with `Error: ...` lines (one per problem, perhaps a hint): no traceback."""
    assert r.exit_code in allowed, (r.exit_code, r.output, r.exception)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    if r.exit_code == 2:
        lines = r.stderr.strip().splitlines()
        assert lines and lines[0].startswith("Error: ") and len(lines[0]) > 8, r.stderr
        # further problems of the same file, one per line, then perhaps a hint
        label = lines[0].removeprefix("Error: ").split(":")[0]
        assert all(x.startswith(("  hint: ", label)) for x in lines[1:]), r.stderr


# -- fuzzing the spec and config loaders -------------------------------------------------------

SPEC_KEYS = [
    "feature_name",
    "description",
    "team_size",
    "timeline",
    "risk_tolerance",
    "plan_id",
    "start_date",
    "holidays",
    "users",
    "deployment",
    "pm",
    "jira_project",
    "id",
    "name",
    "estimate",
    "depends_on",
    "owner",
    "kind",
    "risk",
    "title",
    "likelihood",
    "impact",
    "triggers",
    "decision_maker",
    "[",
    "]",
    "=",
]
TOML_BITS = st.one_of(
    st.sampled_from(
        [
            'feature_name = "x"',
            'description = "d"',
            "team_size = 3",
            'timeline = "6 weeks"',
            'risk_tolerance = "low"',
            "[[tasks]]",
            "[[team]]",
            "[rollback]",
            "[[risks]]",
            "[[stakeholders]]",
            'estimate = "3d"',
            'depends_on = ["a", "a"]',
            'id = "a"',
            "start_date = 2027-01-04",
            "a = [[[[1]]]]",
            "x = {y = {z = 1}}",
            'name = """',
            "\\u0000",
            "\\ud800",
            "team_size = 99999999999999999999",
            "timeline = -1",
            "\ufeff",
            "\r\n",
        ]
    ),
    st.tuples(st.sampled_from(SPEC_KEYS), st.text(max_size=12)).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.text(max_size=30),
)
TOML_ISH = st.lists(TOML_BITS, max_size=12).map("\n".join)
CONFIG_BITS = st.one_of(
    st.sampled_from(
        [
            "[jira]",
            "[sheets]",
            "[state]",
            "[catalog]",
            'url = "https://x.atlassian.net"',
            'url = "http://evil.example.com"',
            'url = "https://u:p@x.net"',
            'project = "NOTIF"',
            'token_env = "JIRA_API_TOKEN"',
            'token = "abc"',
            'token_env = "ATATT3xFfGF0abcdefghijklmnop"',
            "timeout_seconds = 0",
            "max_retries = 1000",
            'spreadsheet_id = "x"',
            'path = "../../etc/passwd"',
            "prefix = 1",
            "email = 3",
        ]
    ),
    st.text(max_size=30),
)


@settings(FUZZ, max_examples=120)
@given(data=st.one_of(st.binary(max_size=400), TOML_ISH.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_any_spec_bytes_exit_0_or_2_through_the_cli(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    path.write_bytes(data)
    r = invoke("generate-timeline", str(path), "--format", "json")
    assert_clean_exit(r)
    if r.exit_code == 2:
        assert "s.toml" in r.stderr  # the message names the file


@settings(FUZZ, max_examples=300)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(CONFIG_BITS, max_size=10).map(lambda x: "\n".join(x).encode("utf-8", "surrogatepass")),
    )
)
def test_any_config_bytes_give_a_config_or_one_config_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("cfg") / "c.toml"
    path.write_bytes(data)
    try:
        load_config(path)
    except ConfigError as e:
        # every problem on its own line, each naming the file (like a spec's)
        assert all(line.startswith("c.toml") for line in e.message.splitlines()), e.message


@settings(FUZZ, max_examples=25)
@given(text=st.lists(CONFIG_BITS, max_size=8).map("\n".join))
def test_any_config_text_exits_0_or_2_through_the_cli(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("cfg") / "c.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    assert_clean_exit(invoke("assess-risks", str(EXAMPLE), "--config", str(path)))


# -- huge and deep inputs ----------------------------------------------------------------------


def peak_mb(fn: object) -> float:
    tracemalloc.start()
    try:
        fn()  # type: ignore[operator]
    except (SpecError, ConfigError):
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1e6


def test_a_10_mb_spec_or_config_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b'description = "' + b"x" * (10 * 1024 * 1024) + b'"\n')
    r = invoke("create-rollout-plan", str(big))
    assert_clean_exit(r, (2,))
    assert "big.toml: the file is 10.5 MB; a spec file may be at most 8 MB" in r.stderr
    assert peak_mb(lambda: load_spec(big, today=TODAY)) < 5
    r = invoke("assess-risks", str(EXAMPLE), "--config", str(big))
    assert_clean_exit(r, (2,))
    assert "a config file may be at most 1 MB" in r.stderr
    assert peak_mb(lambda: load_config(big)) < 5


def test_a_spec_just_under_the_limit_is_refused_by_the_text_limit(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'description    = "', 'description    = "' + "y" * (8 * 1024 * 1024 - 5000), 1
    )
    path = tmp_path / "long.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError, match=r"long\.toml:5: description: text is too long"):
        load_spec(path, today=TODAY)  # read and parsed once (~1 s); RELIABILITY.md has figures


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_device_is_not_read() -> None:
    with pytest.raises(SpecError, match="zero: is not a regular file"):
        load_spec("/dev/zero", today=TODAY)
    with pytest.raises(ConfigError, match="zero: is not a regular file"):
        load_config("/dev/zero")


def test_a_fifo_spec_or_config_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.toml"
    os.mkfifo(fifo)  # nobody writes to it: opening it would wait forever
    r = invoke("generate-timeline", str(fifo))
    assert r.exit_code == 2 and r.stderr.startswith("Error: spec.toml: is not a regular file")
    with pytest.raises(ConfigError, match="spec.toml: is not a regular file"):
        load_config(fifo)


@pytest.mark.parametrize(
    "doc",
    [
        "a = " + "[" * 50_000 + "]" * 50_000,
        "a = " + "{b = " * 20_000 + "1" + "}" * 20_000,
        ".".join(["a"] * 3_000) + " = 1",
        "[" + ".".join(["t"] * 3_000) + "]\nx = 1",
        # the parser is quadratic in a dotted key's length: 300,000 parts (600 KB) would need
        # terabytes; refused before parsing
        ".".join(["a"] * 300_000) + " = 1",
        "[" + ".".join(['"t"'] * 200_000) + "]",
    ],
)
def test_deeply_nested_toml_is_refused_cleanly(tmp_path: Path, doc: str) -> None:
    spec = tmp_path / "deep.toml"
    spec.write_text(doc, encoding="utf-8")
    r = invoke("assess-risks", str(spec))
    assert_clean_exit(r, (2,))
    assert "deep.toml" in r.stderr
    r = invoke("assess-risks", str(EXAMPLE), "--config", str(spec))
    assert_clean_exit(r, (2,))


def test_a_long_dotted_key_is_refused_naming_its_line_and_a_short_one_is_fine() -> None:
    with pytest.raises(SpecError, match=r"^t\.toml:2: a dotted key with more than 64 parts"):
        parse_toml("x = 1\n" + ".".join(["k"] * 65) + " = 1", label="t.toml")
    deep = parse_toml(".".join(["k"] * 64) + ' = 1\ns = "' + ".".join(["w"] * 100) + '"', label="t.toml")
    assert "k" in deep and "s" in deep


# -- JQL: a value can never change the query ----------------------------------------------------

# The fake's parser splits ORDER BY before tokenizing, so a literal holding " ORDER BY " is
# outside what it can read (Jira itself reads it fine); those values are left out.
JQL_TEXT = st.text(st.characters(codec="utf-8"), max_size=40).filter(
    lambda s: not re.search(r"\s+ORDER\s+BY\s+", s, re.I)
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(value=JQL_TEXT)
def test_jql_quote_round_trips_any_text_as_one_literal(value: str) -> None:
    q = parse_jql(f"labels = {jql_quote(value)} AND project = {jql_quote(value)}")
    assert q.clauses == [("labels", "=", [value]), ("project", "=", [value])]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(plan_id=JQL_TEXT, project=JQL_TEXT, without_epic=st.booleans())
def test_plan_jql_has_exactly_its_clauses_whatever_the_values(
    plan_id: str, project: str, without_epic: bool
) -> None:
    assume(plan_id and project)
    site = Site(True, SiteFields(), project, plan_id, "syncsvc-critical", "syncsvc-removed")
    jql = site.plan_jql(without_epic=without_epic)
    assert jql.endswith(" ORDER BY key ASC")
    want = [("project", "=", [project]), ("labels", "=", [plan_label(plan_id)])]
    if without_epic:  # by the epic's label: no issue key (it may be gone) reaches JQL
        want.append(("labels", "!=", ["syncsvc_epic"]))
    assert parse_jql(jql).clauses == want


@pytest.mark.parametrize(
    "value",
    [
        'x" OR project = "SECRET',
        'x\\" OR 1=1 --',
        "x) OR (key = ABC-1",
        'a"\n OR "b',
        "\\u0022 OR x",
        "x\u2028y",
        "\x00",
        '"',
        "\\",
        "'",
    ],
)
def test_known_injection_strings_stay_inside_their_literal(value: str) -> None:
    site = Site(False, SiteFields(), value, value, "c", "r")
    assert parse_jql(site.plan_jql(without_epic=True)).clauses == [
        ("project", "=", [value]),
        ("labels", "=", [plan_label(value)]),
        ("labels", "!=", ["syncsvc_epic"]),
    ]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(key=st.one_of(st.text(max_size=20), st.from_regex(r"\A[A-Z][A-Z0-9_]{0,5}-[1-9][0-9]{0,4}\Z")))
def test_issue_keys_in_jql_are_keys_or_refused(key: str) -> None:
    try:
        quoted = _jql_key(key)
    except JiraFailure as e:
        assert repr(key) in e.message
        return
    assert quoted == key and re.fullmatch(r"[A-Z][A-Z0-9_]*-[0-9]+", key)
    assert parse_jql(f"key in ({quoted}, {quoted})").clauses == [("key", "in", [key, key])]


# -- Markdown: user text never breaks a table or carries HTML -----------------------------------


def md_tables(text: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
        elif block:
            yield block
            block = []


def pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


@pytest.mark.parametrize("command", PLANNING)
def test_markdown_escapes_pipes_html_and_newlines_in_every_section(tmp_path: Path, command: str) -> None:
    spec = tmp_path / "hostile.toml"
    spec.write_text(HOSTILE_SPEC, encoding="utf-8")
    r = invoke(command, str(spec))
    assert r.exit_code == 0, r.output
    out = r.stdout
    tables = list(md_tables(out))
    assert tables, "every planning command prints at least one table"
    for table in tables:
        width = pipes(table[0])
        for row in table:
            assert pipes(row) == width, f"a row breaks its table: {row}"
    for raw in ("<script", "<img", "<b>", "<a ", "<u>", "<s>", "<q>", "<g>", "<x>"):
        assert raw not in out, raw
    for line in out.splitlines():  # a newline in user text never starts a line of its own
        assert not line.startswith(("next |", "newline", "second line", "line two", "Lead |", "<script>c")), (
            line
        )
    assert "&lt;script&gt;" in out and "\\|" in out  # escaped, not dropped


# -- spreadsheets: user text is never a formula -------------------------------------------------


def test_publish_writes_hostile_text_as_strings_never_formulas(tmp_path: Path) -> None:
    spec = tmp_path / "hostile.toml"
    spec.write_text(HOSTILE_SPEC, encoding="utf-8")
    with serve_fake_sheets() as fake:
        (tmp_path / "key.json").write_text(json.dumps(fake.service_account()), encoding="utf-8")
        r = invoke("publish", str(spec), "--config", str(sheets_config(tmp_path)))
        assert r.exit_code == 0, r.output
        sent = json.dumps(fake.bodies)
        assert "formulaValue" not in sent
        strings = _strings(fake)
    for text in ('=HYPERLINK("http://evil")', "@Ship | <a href=javascript:x>"):
        assert any(text in s for s in strings), text


def _strings(fake: FakeSheets) -> list[str]:
    out = []
    for title in fake.titles(SPREADSHEET_ID):
        for row in fake.values(SPREADSHEET_ID, title):
            out += [v for v in row if isinstance(v, str)]
    return out


def test_export_bundle_quotes_formula_text_from_every_text_field(tmp_path: Path) -> None:
    spec = tmp_path / "hostile.toml"
    spec.write_text(HOSTILE_SPEC, encoding="utf-8")
    r = invoke("export", str(spec), "--out", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    import csv
    import io

    for name in ("risks.csv", "raci.csv", "timeline.csv"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        for row in csv.reader(io.StringIO(text)):
            for field in row:
                assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), (name, field)
    timeline = (tmp_path / "out" / "timeline.csv").read_text(encoding="utf-8-sig")
    assert "'@Ship | <a href=javascript:x>" in timeline
    assert '\'=HYPERLINK(""http://evil"")' in timeline


# -- output paths ------------------------------------------------------------------------------


def listing(*folders: Path) -> set[str]:
    return {str(p) for f in folders for p in f.rglob("*")}


def test_output_into_a_missing_folder_or_at_a_folder_is_refused(tmp_path: Path) -> None:
    before = listing(tmp_path)
    r = invoke("assess-risks", str(EXAMPLE), "--output", str(tmp_path / "no" / "such" / "r.md"))
    assert_clean_exit(r, (2,))
    assert "does not exist" in r.stderr
    r = invoke("assess-risks", str(EXAMPLE), "--output", str(tmp_path))
    assert_clean_exit(r, (2,))
    assert "is a folder" in r.stderr
    assert listing(tmp_path) == before


def link_to_elsewhere(tmp: Path, folder: str) -> tuple[Path, Path, Path]:
    """`tmp/folder/plan.md` a symlink to `tmp/elsewhere/victim.txt` (which says "keep me")."""
    here, elsewhere = tmp / folder, tmp / "elsewhere"
    here.mkdir()
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("keep me\n")
    (here / "plan.md").symlink_to(victim)
    return here, elsewhere, victim


def test_output_at_a_symlink_is_refused_and_neither_link_nor_file_changes(tmp_path: Path) -> None:
    here, elsewhere, victim = link_to_elsewhere(tmp_path, "here")
    r = invoke("assess-risks", str(EXAMPLE), "--output", str(here / "plan.md"))
    assert_clean_exit(r, (2,))
    assert "is a symbolic link" in r.stderr
    assert victim.read_text() == "keep me\n"
    assert (here / "plan.md").is_symlink()
    assert sorted(p.name for p in here.iterdir()) == ["plan.md"]  # no temp file left
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"]


def test_output_at_a_fifo_is_refused_and_left_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = invoke("assess-risks", str(EXAMPLE), "--output", str(fifo))
    assert_clean_exit(r, (2,))
    assert "is not a regular file" in r.stderr
    assert fifo.is_fifo() and sorted(os.listdir(tmp_path)) == ["pipe"]


def test_output_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old\n")
    target.chmod(0o640)
    r = invoke("assess-risks", str(EXAMPLE), "--output", str(target))
    assert r.exit_code == 0, r.output
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "new.md"  # a new file gets the usual mode (0666 less the umask)
    assert invoke("assess-risks", str(EXAMPLE), "--output", str(fresh)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_stdout_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "syncsvc", "assess-risks", str(EXAMPLE)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "Error: cannot write to stdout (No space left on device)\n"


def test_control_characters_from_any_source_are_not_sent_to_the_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from syncsvc.output import write_output

    write_output("status \x1b]0;pwned\x07 done\ttab\n", None)  # e.g. a Jira status name
    assert capsys.readouterr().out == "status \ufffd]0;pwned\ufffd done\ttab\n"


@pytest.mark.parametrize(
    "text",
    [
        "status \x1b]0;pwned\x07 done\ttab",
        "C1 \x9b31m and DEL \x7f, NUL \x00, CR \r, FF \x0c",
        "no control: café ± 2°, « » \u00a0 \u2192 北京 🎉\n",
        "\u0080\u009f\u00a0\u00bf",
        "only C1: x\u0090y · 2°",
        "",
    ],
)
def test_a_file_output_gets_the_terminal_output(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from syncsvc.output import write_output

    write_output(text, None)
    terminal = capsys.readouterr().out.encode("utf-8")
    write_output(text, tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_bytes() == terminal
    write_output(text.encode("utf-8"), tmp_path / "out.txt")  # the same text as UTF-8
    assert (tmp_path / "out.txt").read_bytes() == terminal
    write_output(text.encode("utf-8"), None)
    assert capsys.readouterr().out.encode("utf-8") == terminal


def test_a_failed_write_leaves_no_temp_file_and_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.md"
    target.write_text("old\n")

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("syncsvc.output.os.replace", refuse)
    r = invoke("assess-risks", str(EXAMPLE), "--output", str(target))
    assert_clean_exit(r, (2,))
    assert "No space left on device" in r.stderr
    assert target.read_text() == "old\n" and sorted(os.listdir(tmp_path)) == ["r.md"]


def test_a_bad_spec_never_touches_the_output(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old\n")
    bad = tmp_path / "bad.toml"
    bad.write_text("feature_name = 1\n")
    assert_clean_exit(invoke("assess-risks", str(bad), "--output", str(target)), (2,))
    assert target.read_text() == "old\n" and sorted(os.listdir(tmp_path)) == ["bad.toml", "r.md"]


def test_export_replaces_a_symlinked_bundle_file_never_its_target(tmp_path: Path) -> None:
    out, _, victim = link_to_elsewhere(tmp_path, "out")
    r = invoke("export", str(EXAMPLE), "--out", str(out))
    assert r.exit_code == 0, r.output
    assert victim.read_text() == "keep me\n" and not (out / "plan.md").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "out"]  # no staging left


def test_export_under_a_file_is_refused_leaving_nothing(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    r = invoke("export", str(EXAMPLE), "--out", str(tmp_path / "file.txt" / "sub"))
    assert_clean_exit(r, (2,))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_export_out_with_dot_dot_writes_exactly_where_it_resolves(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    r = invoke("export", str(EXAMPLE), "--out", str(tmp_path / "a" / ".." / "b"))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    assert list((tmp_path / "a").iterdir()) == []
    assert len(list((tmp_path / "b").iterdir())) == 6


def test_export_out_that_is_a_symlink_to_a_folder_writes_into_that_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    r = invoke("export", str(EXAMPLE), "--out", str(tmp_path / "link"))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "link").is_symlink() and len(list((tmp_path / "real").iterdir())) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_pull_status_markdown_escapes_task_names_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fakes.jira_server import serve

    spec = tmp_path / "hostile.toml"
    spec.write_text(HOSTILE_SPEC, encoding="utf-8")
    with serve() as fake:
        monkeypatch.setenv("SYNCSVC_HOSTILE_TOKEN", fake.token)
        monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", lambda s: None)
        cfg = tmp_path / "syncsvc.toml"
        cfg.write_text(
            f'[jira]\nurl = "{fake.base}"\nemail = "{fake.email}"\n'
            'token_env = "SYNCSVC_HOSTILE_TOKEN"\nproject = "NOTIF"\n'
        )
        assert invoke("push", str(spec), "--config", str(cfg)).exit_code == 0
        r = invoke("pull", str(spec), "--config", str(cfg), "--as-of", "2027-03-08")
    assert r.exit_code == 0, r.output
    tables = list(md_tables(r.stdout))
    assert tables and "Design \\| &lt;script&gt;" in r.stdout
    for table in tables:
        assert all(pipes(row) == pipes(table[0]) for row in table), table
    assert "<script" not in r.stdout and not any(line.startswith("next |") for line in r.stdout.splitlines())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab |&<>\r\n\"'é\u2028")), max_size=12) | st.integers())
def test_markdown_escaping_is_the_whole_rule_on_any_text(text: str | int) -> None:
    # `md` returns the text itself when it holds none of the characters it changes: the same as
    # applying every rule (newlines, HTML, pipes) to it
    import html

    from syncsvc.rendering.text import md

    s = str(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    assert md(text) == html.escape(s, quote=False).replace("|", "\\|")
