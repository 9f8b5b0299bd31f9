"""The SQLite state: mode 0600, WAL, schema version, issue records, links and baselines."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from syncsvc.errors import ConfigError
from syncsvc.state import SCHEMA_VERSION, IssueRecord, State


def test_created_private_with_wal_and_version(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.db"
    with State.open(path) as st:
        st.put_issues("p", [IssueRecord("a", "X-1", "1", "h", {"summary": "A"})])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_issue_records_round_trip_and_forget(tmp_path: Path) -> None:
    with State.open(tmp_path / "s.db") as st:
        st.put_issues(
            "p",
            [
                IssueRecord("a", "X-1", "1", "h1", {"duedate": "2027-01-05"}),
                IssueRecord("b", "X-2", "2", removed=True),
            ],
        )
        st.put_issues("q", [IssueRecord("a", "Y-1")])
        st.add_links("p", [("a", "b")])
        got = st.issues("p")
        assert got["a"] == IssueRecord("a", "X-1", "1", "h1", {"duedate": "2027-01-05"})
        assert got["b"].removed and st.links("p") == {("a", "b")}
        st.forget_issue("p", "b")
        assert set(st.issues("p")) == {"a"} and st.links("p") == set()
        assert set(st.issues("q")) == {"a"}
    with State.open(tmp_path / "s.db") as st:  # survives reopening
        assert st.issues("p")["a"].issue_key == "X-1"


def test_links_add_remove(tmp_path: Path) -> None:
    with State.open(tmp_path / "s.db") as st:
        st.add_links("p", [("a", "b"), ("b", "c"), ("a", "b")])
        st.remove_links("p", [("a", "b")])
        assert st.links("p") == {("b", "c")}


def test_baselines_latest_first(tmp_path: Path) -> None:
    with State.open(tmp_path / "s.db") as st:
        assert st.latest_baseline("p") is None
        st.add_baseline("p", {"finish": "2027-02-10"}, recorded_at="2027-01-04T09:00:00Z")
        bid = st.add_baseline(
            "p", {"finish": "2027-02-12"}, recorded_at="2027-01-11T09:00:00Z", note="scope +1"
        )
        latest = st.latest_baseline("p")
        assert latest is not None and latest.id == bid and latest.note == "scope +1"
        assert latest.plan_json == {"finish": "2027-02-12"}
        assert [b.recorded_at for b in st.baselines("p")] == ["2027-01-04T09:00:00Z", "2027-01-11T09:00:00Z"]


def test_newer_schema_and_garbage_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "n.db"
    with State.open(newer):
        pass
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(ConfigError, match="schema version 99"):
        State.open(newer)
    junk = tmp_path / "j.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="not a syncsvc state database"):
        State.open(junk)


def test_in_memory_state_for_dry_runs() -> None:
    with State.open(None) as st:
        st.put_issues("p", [IssueRecord("a", "X-1")])
        assert st.path is None and set(st.issues("p")) == {"a"}
