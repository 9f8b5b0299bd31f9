"""Printing a command's output (syncsvc.output): bytes reach a UTF-8 stdout as they are, and
any other stdout gets the same text through its own encoding."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from syncsvc.output import write_output

TEXTS = [
    "plain\n",
    "no newline at the end",
    "status \x1b]0;pwned\x07 done\ttab",
    "C1 \x9b31m · 2° \u2192 北京 🎉",
    "",
]


def _stdout(encoding: str) -> tuple[io.TextIOWrapper, io.BytesIO]:
    raw = io.BytesIO()
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", write_through=False), raw


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "latin-1", "utf-8-sig", "ascii"])
def test_bytes_and_text_print_the_same(text: str, encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    as_text, raw_text = _stdout(encoding)
    monkeypatch.setattr("sys.stdout", as_text)
    write_output(text, None)
    as_bytes, raw_bytes = _stdout(encoding)
    monkeypatch.setattr("sys.stdout", as_bytes)
    write_output(text.encode("utf-8"), None)
    assert raw_bytes.getvalue() == raw_text.getvalue()


def test_bytes_printed_after_text_come_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    out, raw = _stdout("utf-8")
    monkeypatch.setattr("sys.stdout", out)
    out.write("before · ")  # still in the text layer's buffer
    write_output("plan \u2192 {}".encode(), None)
    out.write("after\n")
    out.flush()
    assert raw.getvalue().decode() == "before · plan \u2192 {}\nafter\n"


def test_a_utf8_stdout_gets_the_bytes_without_a_text_in_between(monkeypatch: pytest.MonkeyPatch) -> None:
    out, raw = _stdout("utf-8")
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr(out, "write", None)  # any text written would fail
    write_output(b'{"a": "\xc2\xb7"}', None)
    assert raw.getvalue() == b'{"a": "\xc2\xb7"}\n'


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_bytes_in_pieces_print_as_the_whole(
    text: str, encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = text.encode("utf-8")
    starts = [i for i in range(len(data)) if data[i] < 0x80][::2]  # between characters
    cuts = sorted({0, *starts, len(data)})
    pieces = [data[a:b] for a, b in zip(cuts, cuts[1:], strict=False)] + [b""]
    assert b"".join(pieces) == data
    whole, raw_whole = _stdout(encoding)
    monkeypatch.setattr("sys.stdout", whole)
    write_output(data, None)
    in_pieces, raw_pieces = _stdout(encoding)
    monkeypatch.setattr("sys.stdout", in_pieces)
    write_output(iter(pieces), None)
    assert raw_pieces.getvalue() == raw_whole.getvalue()


def test_a_file_from_pieces_is_the_whole_and_a_failure_leaves_nothing(tmp_path: Path) -> None:
    write_output([b"one \xc2\xb7 ", b"\x1b two", b""], tmp_path / "a.json")
    write_output("one · \x1b two", tmp_path / "b.json")
    assert (
        (tmp_path / "a.json").read_bytes()
        == (tmp_path / "b.json").read_bytes()
        == "one · \ufffd two\n".encode()
    )

    def failing() -> Iterator[bytes]:
        yield b"half of it"
        raise RuntimeError("the plan's text failed")

    with pytest.raises(RuntimeError):
        write_output(failing(), tmp_path / "c.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]
