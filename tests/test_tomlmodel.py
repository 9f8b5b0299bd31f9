"""The one TOML-to-model loader: the compiled parser gives the standard parser's values and
errors, and config errors read like spec errors (file, line, key path, what, what to do)."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import rtoml
from conftest import ROOT, generated_spec
from hypothesis import given, settings
from hypothesis import strategies as st

from syncsvc import tomlmodel
from syncsvc.catalog import load_catalog
from syncsvc.catalog.base import check_placeholders, fill
from syncsvc.config import load_config
from syncsvc.errors import ConfigError, SpecError
from syncsvc.tomlmodel import parse_toml

BUNDLED = sorted([*(ROOT / "examples").glob("*.toml"), *(ROOT / "mappings").rglob("*.toml")])


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (nan equal to nan; an offset's class too)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, (dt.datetime, dt.time)) and type(a.tzinfo) is not type(b.tzinfo):
        return False
    return bool(a == b) and repr(a) == repr(b)


def _standard(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _agrees_with_the_standard_parser(text: str) -> None:
    want = _standard(text)
    if want is None:
        with pytest.raises(SpecError, match="invalid TOML"):
            parse_toml(text, label="g.toml")
    else:
        assert _same(parse_toml(text, label="g.toml"), want)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_bundled_files_parse_to_the_standard_parsers_values(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _same(parse_toml(text, label=path.name), tomllib.loads(text))
    assert _same(rtoml.loads(text), tomllib.loads(text))  # the fast path is taken for these


def test_times_and_offsets_take_the_standard_parser() -> None:
    """The differences found: rtoml gives offsets as its own tzinfo class and takes a time
    without seconds (TOML 1.1), which the standard parser refuses; such texts parse with tomllib."""
    text = "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 07:32:00\n"
    assert not _same(rtoml.loads(text), tomllib.loads(text))
    assert _same(parse_toml(text, label="t.toml"), tomllib.loads(text))
    with pytest.raises(SpecError, match=r"^t\.toml:1: invalid TOML: "):
        parse_toml("a = 1979-05-27T07:32\n", label="t.toml")


SCALARS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(max_value=dt.datetime(9999, 1, 1), timezones=st.one_of(st.none(), st.timezones())),
    st.times(),
)
KEYS = st.text(min_size=1, max_size=8)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _toml_safe(v: Any) -> bool:
    # rtoml.dumps refuses (or cannot write) some values; those documents are skipped
    return not (isinstance(v, dt.datetime) and v.tzinfo is not None and v.utcoffset() is None)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(doc=st.dictionaries(KEYS, VALUES, max_size=6))
def test_generated_documents_parse_to_the_standard_parsers_values(doc: dict[str, Any]) -> None:
    try:
        text = rtoml.dumps(doc)
    except Exception:  # noqa: BLE001 - a value TOML cannot hold
        return
    _agrees_with_the_standard_parser(text)


TOKENS = st.sampled_from(
    ["a", "b.c", "=", " ", "\n", "[x]", "[[y]]", '"s"', "'l'", "1", "1.5", "-0", "nan", "inf", "0x1F",
     "1_000", "true", "2027-01-04", "07:32:00", "07:32", "T", "Z", "+05:30", "[", "]", "{", "}", ",",
     "#", '"""', "\\", "\t", "e3", "00"]
)  # fmt: skip


@settings(max_examples=400, deadline=None, derandomize=True)
@given(text=st.lists(TOKENS, max_size=16).map("".join))
def test_generated_texts_are_accepted_and_refused_as_the_standard_parser_does(text: str) -> None:
    _agrees_with_the_standard_parser(text)


# -- a long text parsed in pieces ------------------------------------------------------------------

LINES = st.sampled_from(
    ["[[t]]", "[[t]]  ", "[[t]]\r", "[[ t ]]", "[[u]]", "[t]", "[t.s]", "[[t.s]]", "[v]", "[v.w]", "k = 1",
     "j = 'x'", "t = []", "t.k = 2", "v = 3", "x = [", "[[t]],", "]", "# [[t]]", "", "s = \"\"\"",
     "[[t]]", "\"\"\"", "d = 2027-01-04", "u = {a = 1}", "k = 1 # c", "k = ["]
)  # fmt: skip


def _outcome(text: str) -> tuple[bool, Any]:
    try:
        return True, parse_toml(text, label="g.toml")
    except SpecError as e:
        return False, str(e)


def _same_outcome(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_toml in pieces of a line or two gives the values (or the error) of the whole."""
    monkeypatch.setattr(tomlmodel, "_PIECE", 8)
    got = tomlmodel._in_pieces(text)
    if got is not None:
        assert _same(got, rtoml.loads(text))
    in_pieces = _outcome(text)
    monkeypatch.setattr(tomlmodel, "_PIECE", len(text) + 1)
    whole = _outcome(text)
    assert in_pieces[0] == whole[0] and _same(in_pieces[1], whole[1])


@settings(max_examples=600, deadline=None, derandomize=True)
@given(lines=st.lists(LINES, max_size=14))
def test_a_text_read_in_pieces_is_read_as_the_whole(lines: list[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same_outcome("\n".join(lines) + "\n", monkeypatch)


def test_a_spec_read_in_pieces_is_read_as_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    text = generated_spec(1000, seed=3)
    risk = '[[risks]]\ntitle = "r"\nlikelihood = "low"\nimpact = "low"\n'
    extra = f'{risk}\n[rollback]\ndecision_maker = "Ana"\n[[rollback.triggers]]\nmetric = "m"\n'
    for doc in (text, text + extra, text.replace("\n", "\r\n")):
        assert len(doc) > 2 * tomlmodel._PIECE
        got = tomlmodel._in_pieces(doc)
        assert got is not None and _same(got, rtoml.loads(doc))
    # [[risks]] among the tasks and after them: one key in two pieces, the whole decides
    cut = text.index("[[tasks]]", len(text) // 2)
    twice = text[:cut] + risk + text[cut:] + risk
    # what the pieces cannot read as the whole: the whole decides, with the standard errors
    for doc in (
        twice,
        "tasks = []\n" + text,
        text.replace('"Task 9"', '"""Task 9"""'),
        text + "[[tasks]]\nx = [\n[[tasks]]\n]\n",
    ):
        assert tomlmodel._in_pieces(doc) is None
        _same_outcome(doc, monkeypatch)
    with pytest.raises(SpecError, match="invalid TOML"):
        parse_toml("tasks = []\n" + text, label="s.toml")


# -- config errors read like spec errors ----------------------------------------------------------


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_errors_name_file_line_key_what_and_what_to_do(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        '[jira]\nurl = "https://x.atlassian.net"\nproject = "notif"\nprojct = 1\ntimeout_seconds = 0\n',
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.message.splitlines() == [
        "c.toml:4: jira.projct: unknown key; did you mean 'project'?",
        "c.toml:3: jira.project: must be a Jira project key like \"NOTIF\" (got a string 'notif')",
        "c.toml:5: jira.timeout_seconds: must be > 0.0 (got 0)",
    ]
    assert err.value.hint == "see config.example.toml"


def test_a_config_of_the_wrong_shape_says_what_it_must_be(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(_config(tmp_path, '[sheets]\nspreadsheet_id = "short"\n[state]\npath = 3\n'))
    assert err.value.message.splitlines() == [
        "c.toml:2: sheets.spreadsheet_id: must be a spreadsheet id (the part after /d/ in its URL) "
        "or the whole URL (got a string 'short')",
        "c.toml:4: state.path: must be a string (got an integer 3)",
    ]


def test_a_bug_while_loading_a_config_keeps_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not every exception is the user's mistake: a bug must not become exit 2 without a trace."""
    path = _config(tmp_path, '[state]\npath = "s.db"\n')

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Path, "open", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        load_config(path)


# -- catalogs compiled once per process ----------------------------------------------------------


def test_a_catalog_folder_is_loaded_once_until_a_file_changes(tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    folder.mkdir()
    first = load_catalog(folder)
    assert load_catalog(folder) is first
    src = (ROOT / "mappings" / "phases.toml").read_text(encoding="utf-8")
    (folder / "phases.toml").write_text(src.replace('summary = "', 'summary = "Mine: ', 1), encoding="utf-8")
    changed = load_catalog(folder)
    assert changed is not first and changed.phases != first.phases
    (folder / "changes").mkdir()
    profile = (ROOT / "mappings" / "changes" / "infra-cutover.toml").read_text(encoding="utf-8")
    (folder / "changes" / "infra-cutover.toml").write_text(
        profile.replace('title = "', 'title = "Mine: ', 1), encoding="utf-8"
    )
    again = load_catalog(folder)
    assert again is not changed and again.changes.get("infra-cutover") != changed.changes.get("infra-cutover")


# -- one template filler and one placeholder check for every catalog ------------------------------


def test_one_fill_for_every_catalog_text() -> None:
    text = 'Tell {pm} about {feature} ({feature_name}); {x} {"a": 1} {} stay'
    assert fill(text, {"pm": "Ana", "feature_name": "F"}, feature="Search") == (
        'Tell Ana about Search (F); {x} {"a": 1} {} stay'
    )
    assert fill(text, pm="Ana") == fill(text, {"pm": "Ana"})


@pytest.mark.parametrize(
    ("text", "ok"),
    [("{feature} at {start}", True), ("{Feature}", False), ("{plan_id}", False), ('{"json": 1} {}', True)],
)
def test_one_placeholder_check_for_every_catalog_text(text: str, ok: bool) -> None:
    from syncsvc.catalog.stakeholders import PLACEHOLDERS

    if ok:
        assert check_placeholders(text, PLACEHOLDERS) == text
    else:
        with pytest.raises(ValueError, match=r"unknown placeholder \{\w+\} \(allowed: \{date\}, \{days\}"):
            check_placeholders(text, PLACEHOLDERS)


def test_nested_deeper_than_counts_tables_and_arrays_of_tables() -> None:
    from syncsvc.tomlmodel import _nested_deeper_than

    def tables(depth: int, leaf: object) -> dict[str, object]:
        out: dict[str, object] = {"k": leaf}
        for _ in range(depth - 1):
            out = {"k": out}
        return out

    assert not _nested_deeper_than(tables(64, 1), 64)
    assert _nested_deeper_than(tables(65, 1), 64)
    assert _nested_deeper_than(tables(64, []), 64)  # the array is one level more
    assert not _nested_deeper_than(tables(63, [[[1]]]), 64)  # arrays in arrays add none
    assert _nested_deeper_than({"a": [1, "x", tables(64, 2)]}, 64)
    assert not _nested_deeper_than({"tasks": [{"id": "a", "depends_on": ["b"]}] * 3}, 3)
    assert _nested_deeper_than({"tasks": [{"id": "a", "depends_on": ["b"]}] * 3}, 2)
