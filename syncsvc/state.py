"""Local sync state in SQLite: which Jira issue holds which task, what was pushed, and baselines."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncsvc.errors import ConfigError

# Migrations: version -> the statements that take a version-(n-1) file to version n. A new
# file runs them all; an older file runs the ones it lacks, in one transaction. Append only:
# a released step is never edited (write a new step instead).
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (  # the first release: issue records, links syncsvc made, baselines
        "CREATE TABLE IF NOT EXISTS jira_issues ("
        " plan_id TEXT NOT NULL, task_id TEXT NOT NULL, issue_key TEXT NOT NULL,"
        " issue_id TEXT NOT NULL DEFAULT '', fields_hash TEXT NOT NULL DEFAULT '',"
        " fields_json TEXT NOT NULL DEFAULT '{}', removed INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (plan_id, task_id))",
        "CREATE TABLE IF NOT EXISTS jira_links ("
        " plan_id TEXT NOT NULL, blocker TEXT NOT NULL, blocked TEXT NOT NULL,"
        " PRIMARY KEY (plan_id, blocker, blocked))",
        "CREATE TABLE IF NOT EXISTS baselines ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL,"
        " recorded_at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', plan_json TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS baselines_plan ON baselines (plan_id, id)",
    ),
    2: (  # pull and sync: cached site facts and one forecast snapshot per run
        "CREATE TABLE IF NOT EXISTS site_cache (site TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS snapshots ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL, run_at TEXT NOT NULL,"
        " as_of TEXT NOT NULL, state TEXT NOT NULL, slip_days INTEGER NOT NULL,"
        " forecast_finish TEXT NOT NULL, status_json TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS snapshots_plan ON snapshots (plan_id, id)",
    ),
    3: (  # push: the creates about to be sent (a killed run's rerun looks for them by key)
        "CREATE TABLE IF NOT EXISTS pending_creates ("
        " plan_id TEXT NOT NULL, task_id TEXT NOT NULL, project TEXT NOT NULL,"
        " floor INTEGER, PRIMARY KEY (plan_id, task_id))",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)
_SQLITE_INTERNAL = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})


@dataclass(frozen=True)
class IssueRecord:
    """One task's Jira issue as syncsvc last pushed it."""

    task_id: str
    issue_key: str
    issue_id: str = ""
    fields_hash: str = ""
    fields: dict[str, Any] | None = None
    removed: bool = False


@dataclass(frozen=True)
class Baseline:
    """A recorded plan (the pull and forecast compare against the latest one)."""

    id: int
    plan_id: str
    recorded_at: str
    note: str
    plan_json: dict[str, Any]


class State:
    """The state database; every write is its own committed transaction."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self.path = path

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None) -> State:
        """Open the state at `path`, creating it (mode 0600, new folders 0700) or migrating it
        to SCHEMA_VERSION; `None` gives a throwaway in-memory state (dry runs without a file).

        A file that is not a SQLite database, or one that is but holds no syncsvc schema (a
        foreign file), is refused with a ConfigError and left byte for byte as it was."""
        conn = sqlite3.connect(":memory:") if path is None else _connect(path)
        try:
            if path is not None:
                _refuse_foreign(conn, path)
                if path.stat().st_mode & 0o077:  # ours, but readable by others: make it private
                    os.chmod(path, 0o600)
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            migrate(conn, path)
        except OSError as e:  # chmod of a file of another user, a folder we cannot write
            conn.close()
            raise ConfigError(_not_usable(path, e), hint=_NOT_USABLE_HINT) from None
        except sqlite3.DatabaseError as e:
            conn.close()
            if isinstance(e, sqlite3.OperationalError) and (
                "readonly" in str(e) or "unable to open" in str(e)
            ):
                raise ConfigError(_not_usable(path, e), hint=_NOT_USABLE_HINT) from None
            raise ConfigError(
                f"the state file {path} is not a syncsvc state database ({e})",
                hint="point [state] path at another file, or move this one away (it was not changed)",
            ) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def version(self) -> int:
        """The schema version of the open file."""
        return _version(self._conn) or 0

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._conn:
            yield self._conn

    # -- Jira issues ---------------------------------------------------------------------------

    def issues(self, plan_id: str) -> dict[str, IssueRecord]:
        """Every task of the plan that has an issue, removed ones included."""
        rows = self._conn.execute(
            "SELECT task_id, issue_key, issue_id, fields_hash, fields_json, removed "
            "FROM jira_issues WHERE plan_id = ?",
            (plan_id,),
        ).fetchall()
        return {r[0]: IssueRecord(r[0], r[1], r[2], r[3], json.loads(r[4]), bool(r[5])) for r in rows}

    def put_issues(self, plan_id: str, records: Iterable[IssueRecord]) -> None:
        """Insert or replace issue records in one transaction."""
        with self._tx() as c:
            _insert_issues(c, plan_id, records)

    def forget_issue(self, plan_id: str, task_id: str) -> None:
        """Drop a task's record (its issue was deleted in Jira) and the links made for it."""
        with self._tx() as c:
            c.execute("DELETE FROM jira_issues WHERE plan_id = ? AND task_id = ?", (plan_id, task_id))
            c.execute(
                "DELETE FROM jira_links WHERE plan_id = ? AND (blocker = ? OR blocked = ?)",
                (plan_id, task_id, task_id),
            )

    # -- creates about to be sent ---------------------------------------------------------------

    def add_pending(self, plan_id: str, task_ids: Iterable[str], *, project: str, floor: int | None) -> None:
        """Record, before a create is sent, the tasks it makes and the highest issue number of
        `project` known then (Jira numbers new issues above it): a rerun after a kill reads
        the keys above `floor` to find what the lost create made."""
        with self._tx() as c:
            c.executemany(
                "INSERT OR REPLACE INTO pending_creates (plan_id, task_id, project, "
                "floor) VALUES (?, ?, ?, ?)",
                [(plan_id, t, project, floor) for t in task_ids],
            )

    def pending(self, plan_id: str) -> dict[str, tuple[str, int | None]]:
        """Task id -> (project, floor) of every create sent without a recorded answer."""
        rows = self._conn.execute(
            "SELECT task_id, project, floor FROM pending_creates WHERE plan_id = ?", (plan_id,)
        ).fetchall()
        return {r[0]: (r[1], None if r[2] is None else int(r[2])) for r in rows}

    def settle(self, plan_id: str, records: Iterable[IssueRecord], task_ids: Iterable[str]) -> None:
        """Store the issues a create made and drop the pending creates of `task_ids`, in one
        transaction (a kill between the two cannot leave a made issue unrecorded)."""
        recs = list(records)
        with self._tx() as c:
            _insert_issues(c, plan_id, recs)
            c.executemany(
                "DELETE FROM pending_creates WHERE plan_id = ? AND task_id = ?",
                [(plan_id, t) for t in {*task_ids, *(r.task_id for r in recs)}],
            )

    # -- links syncsvc made --------------------------------------------------------------------

    def links(self, plan_id: str) -> set[tuple[str, str]]:
        """The Blocks links syncsvc made, as (blocker task id, blocked task id)."""
        rows = self._conn.execute(
            "SELECT blocker, blocked FROM jira_links WHERE plan_id = ?", (plan_id,)
        ).fetchall()
        return {(a, b) for a, b in rows}

    def add_links(self, plan_id: str, links: Iterable[tuple[str, str]]) -> None:
        with self._tx() as c:
            c.executemany(
                "INSERT OR IGNORE INTO jira_links (plan_id, blocker, blocked) VALUES (?, ?, ?)",
                [(plan_id, a, b) for a, b in links],
            )

    def remove_links(self, plan_id: str, links: Iterable[tuple[str, str]]) -> None:
        with self._tx() as c:
            c.executemany(
                "DELETE FROM jira_links WHERE plan_id = ? AND blocker = ? AND blocked = ?",
                [(plan_id, a, b) for a, b in links],
            )

    # -- baselines -----------------------------------------------------------------------------

    def add_baseline(
        self, plan_id: str, plan_json: dict[str, Any], *, recorded_at: str, note: str = ""
    ) -> int:
        """Record a baseline; returns its id. `recorded_at` is passed in (no clock here)."""
        with self._tx() as c:
            cur = c.execute(
                "INSERT INTO baselines (plan_id, recorded_at, note, plan_json) VALUES (?, ?, ?, ?)",
                (plan_id, recorded_at, note, json.dumps(plan_json, sort_keys=True)),
            )
            return int(cur.lastrowid or 0)

    def put_baselines(self, plan_id: str, baselines: Iterable[Baseline]) -> None:
        """Restore baselines (read back from Jira into a lost state) with their original times
        and notes, oldest first, in one transaction."""
        with self._tx() as c:
            c.executemany(
                "INSERT INTO baselines (plan_id, recorded_at, note, plan_json) VALUES (?, ?, ?, ?)",
                [
                    (plan_id, b.recorded_at, b.note, json.dumps(b.plan_json, sort_keys=True))
                    for b in baselines
                ],
            )

    def latest_baseline(self, plan_id: str) -> Baseline | None:
        row = self._conn.execute(
            "SELECT id, plan_id, recorded_at, note, plan_json FROM baselines WHERE plan_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (plan_id,),
        ).fetchone()
        return None if row is None else Baseline(row[0], row[1], row[2], row[3], json.loads(row[4]))

    def baselines(self, plan_id: str) -> list[Baseline]:
        rows = self._conn.execute(
            "SELECT id, plan_id, recorded_at, note, plan_json FROM baselines WHERE plan_id = ? ORDER BY id",
            (plan_id,),
        ).fetchall()
        return [Baseline(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    # -- site facts and sync snapshots ---------------------------------------------------------

    def site_value(self, site: str) -> dict[str, Any] | None:
        """A cached fact about a Jira site (its field ids), so a sync need not read it again."""
        row = self._conn.execute("SELECT value FROM site_cache WHERE site = ?", (site,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put_site_value(self, site: str, value: dict[str, Any]) -> None:
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO site_cache (site, value) VALUES (?, ?)",
                (site, json.dumps(value, sort_keys=True)),
            )

    def add_snapshot(self, plan_id: str, status_json: dict[str, Any], *, run_at: str) -> int:
        """Store one sync run's forecast (the dashboard's slip trend reads them back)."""
        with self._tx() as c:
            cur = c.execute(
                "INSERT INTO snapshots (plan_id, run_at, as_of, state, slip_days, "
                "forecast_finish, status_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id,
                    run_at,
                    status_json["as_of"],
                    status_json["state"],
                    int(status_json["slip_days"]),
                    status_json["forecast_finish"],
                    json.dumps(status_json, sort_keys=True),
                ),
            )
            return int(cur.lastrowid or 0)

    def snapshots(self, plan_id: str, *, last: int = 10) -> list[dict[str, Any]]:
        """The last `last` runs, oldest first: run_at, as_of, state, slip_days, forecast_finish."""
        rows = self._conn.execute(
            "SELECT run_at, as_of, state, slip_days, forecast_finish FROM snapshots "
            "WHERE plan_id = ? ORDER BY id DESC LIMIT ?",
            (plan_id, last),
        ).fetchall()
        keys = ("run_at", "as_of", "state", "slip_days", "forecast_finish")
        return [dict(zip(keys, r, strict=True)) for r in reversed(rows)]


_NOT_USABLE_HINT = "run syncsvc as the user who owns the state file, or point [state] path at a file of yours"


def _not_usable(path: Path | None, e: Exception) -> str:
    """Why the state file cannot be written: whose it is and what the system said."""
    owner = ""
    with contextlib.suppress(OSError, TypeError):
        st = os.stat(path) if path is not None else None
        if st is not None and hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            owner = f"; it belongs to another user (uid {st.st_uid})"
    if not owner and isinstance(e, OSError) and e.errno == errno.EPERM:
        owner = "; it belongs to another user"  # only the owner may change its mode
    why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
    return f"the state file {path} cannot be written ({why}){owner}"


# -- opening, checking and migrating (module functions: the class holds an open state) ---------


def _insert_issues(c: sqlite3.Connection, plan_id: str, records: Iterable[IssueRecord]) -> None:
    c.executemany(
        "INSERT OR REPLACE INTO jira_issues (plan_id, task_id, issue_key, issue_id, "
        "fields_hash, fields_json, removed) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                plan_id,
                r.task_id,
                r.issue_key,
                r.issue_id,
                r.fields_hash,
                json.dumps(r.fields or {}, sort_keys=True),
                int(r.removed),
            )
            for r in records
        ],
    )


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to `path`; a new file is made private (0600) in private new folders (0700).
    An existing file is not touched here: it is checked before anything is written to it."""
    try:
        _make_folders(path.parent)
        if not path.exists():
            # another process may make it first: then it is checked like any file
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
        if not path.is_file():
            raise ConfigError(
                f"the state file {path} is not a regular file", hint="point [state] path at a file name"
            )
        return sqlite3.connect(path, timeout=10)
    except (OSError, sqlite3.Error) as e:
        raise ConfigError(
            f"cannot open the state file {path}: {e}",
            hint="check [state] path in the config and the folder's permissions",
        ) from None


def _make_folders(folder: Path) -> None:
    """Create the missing folders of `folder`, each with mode 0700 (existing ones are kept)."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    for p in reversed(missing):
        p.mkdir(mode=0o700, exist_ok=True)


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Read (never write) the file's table list: no SQLite → DatabaseError; tables but no
    `schema_version` → a foreign database, refused. An empty file is a new state."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    if "schema_version" in tables or not tables - _SQLITE_INTERNAL:
        return
    shown = ", ".join(sorted(tables - _SQLITE_INTERNAL)[:5])
    raise ConfigError(
        f"the state file {path} is a SQLite database of another program (tables: {shown}); "
        "syncsvc will not write to it",
        hint="point [state] path at another file (it was not changed)",
    )


def _version(conn: sqlite3.Connection) -> int | None:
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if has is None:
        return None
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def migrate(conn: sqlite3.Connection, path: Path | None) -> int:
    """Bring the schema to the newest version: the missing MIGRATIONS steps and the version
    row in one transaction (a failed step leaves the file as it was). Returns the version."""
    target = max(MIGRATIONS)
    if _version(conn) == target:  # the usual case: a read, no write lock
        return target
    before = conn.isolation_level
    conn.isolation_level = None  # explicit BEGIN/COMMIT: DDL inside the same transaction
    try:
        conn.execute("BEGIN IMMEDIATE")  # one writer migrates; the others then see it done
        try:
            current = _version(conn) or 0
            if current > target:
                raise ConfigError(
                    f"the state file {path} has schema version {current}; this syncsvc knows {target}",
                    hint="upgrade syncsvc",
                )
            if current < target:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                for version in range(current + 1, target + 1):
                    for statement in MIGRATIONS[version]:
                        conn.execute(statement)
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (target,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.isolation_level = before
    return target
