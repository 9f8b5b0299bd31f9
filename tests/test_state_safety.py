"""The state database's safety: migrations from a hand-made v1 file, corrupt and foreign files
refused byte for byte unchanged, private modes, WAL."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from syncsvc import state as state_mod
from syncsvc.errors import ConfigError
from syncsvc.state import MIGRATIONS, SCHEMA_VERSION, IssueRecord, State

# The schema of the first release, typed out by hand (not taken from MIGRATIONS).
V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE jira_issues (
    plan_id TEXT NOT NULL, task_id TEXT NOT NULL, issue_key TEXT NOT NULL,
    issue_id TEXT NOT NULL DEFAULT '', fields_hash TEXT NOT NULL DEFAULT '',
    fields_json TEXT NOT NULL DEFAULT '{}', removed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, task_id));
CREATE TABLE jira_links (plan_id TEXT NOT NULL, blocker TEXT NOT NULL, blocked TEXT NOT NULL,
    PRIMARY KEY (plan_id, blocker, blocked));
CREATE TABLE baselines (id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', plan_json TEXT NOT NULL);
CREATE INDEX baselines_plan ON baselines (plan_id, id);
INSERT INTO schema_version VALUES (1);
INSERT INTO jira_issues VALUES ('p', 'a', 'NOTIF-1', '10001', 'h', '{"summary": "A"}', 0);
INSERT INTO jira_links VALUES ('p', 'a', 'b');
INSERT INTO baselines (plan_id, recorded_at, note, plan_json)
    VALUES ('p', '2027-01-04T09:00:00Z', 'first push', '{"finish": "2027-02-10"}');
"""


def v1_file(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(V1)
    conn.commit()
    conn.close()
    return path


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_a_v1_file_is_migrated_keeping_its_records(tmp_path: Path) -> None:
    path = v1_file(tmp_path / "v1.db")
    assert "snapshots" not in tables(path)
    with State.open(path) as st:
        assert st.version() == SCHEMA_VERSION == 3
        assert st.issues("p")["a"] == IssueRecord("a", "NOTIF-1", "10001", "h", {"summary": "A"})
        assert st.links("p") == {("a", "b")}
        latest = st.latest_baseline("p")
        assert latest is not None and latest.note == "first push"
        # the tables step 2 added work
        st.put_site_value("https://x", {"start": "customfield_1"})
        st.add_snapshot(
            "p",
            {"as_of": "2027-01-11", "state": "on_track", "slip_days": 0, "forecast_finish": "2027-02-10"},
            run_at="2027-01-11T09:00:00Z",
        )
        assert st.snapshots("p")[0]["state"] == "on_track"
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    conn.close()
    with State.open(path) as st:  # a second open has nothing to do
        assert st.version() == SCHEMA_VERSION


def test_a_failing_step_rolls_the_whole_migration_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = v1_file(tmp_path / "v1.db")
    broken = {**MIGRATIONS, 3: ("CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL")}
    monkeypatch.setattr(state_mod, "MIGRATIONS", broken)
    with pytest.raises(ConfigError, match="not a syncsvc state database"):
        State.open(path)
    assert "snapshots" not in tables(path) and "extra" not in tables(path)  # step 2 undone too
    monkeypatch.setattr(state_mod, "MIGRATIONS", MIGRATIONS)
    with State.open(path) as st:
        assert st.version() == SCHEMA_VERSION and set(st.issues("p")) == {"a"}


def test_a_file_whose_version_row_was_never_written_is_completed(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.commit()
    conn.close()
    with State.open(path) as st:
        assert st.version() == SCHEMA_VERSION
        st.put_issues("p", [IssueRecord("a", "X-1")])


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(4096),
        b"SQLite format 3\x00" + os.urandom(4080),  # the right magic, a garbage header and pages
        b"[jira]\nurl = 'x'\n" * 50,
    ],
)
def test_a_corrupt_file_is_refused_and_left_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(content)
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError) as err:
        State.open(path)
    assert str(path) in str(err.value) and "not a syncsvc state database" in str(err.value)
    assert "not changed" in str(err.value)
    assert path.read_bytes() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not even its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.db"]


def test_a_foreign_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
        "INSERT INTO users (name) VALUES ('ann');"
        "CREATE TABLE jira_issues (x TEXT);"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ConfigError) as err:
        State.open(path)
    text = str(err.value)
    assert str(path) in text and "another program" in text and "jira_issues, users" in text
    assert path.read_bytes() == before
    assert tables(path) == {"users", "jira_issues"}
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]


def test_an_empty_sqlite_file_or_empty_file_becomes_a_state(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with State.open(empty) as st:
        assert st.version() == SCHEMA_VERSION


def test_a_folder_at_the_state_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "state.db").mkdir()
    with pytest.raises(ConfigError, match="not a regular file"):
        State.open(tmp_path / "state.db")


def test_new_file_0600_new_folders_0700_and_wal(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "a" / "b" / "state.db"
        with State.open(path) as st:
            st.put_issues("p", [IssueRecord("a", "X-1")])
            for p in path.parent.iterdir():  # the -wal and -shm files follow the file's mode
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_an_existing_folder_keeps_its_mode_and_a_loose_state_file_is_tightened(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "state.db"
    with State.open(path):
        pass
    os.chmod(path, 0o644)
    with State.open(path):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
