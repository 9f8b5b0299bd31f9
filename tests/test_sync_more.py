"""`syncsvc sync` from the command line: quiet cron runs, the lock, isolated failures, dry run,
a task added mid-flight, and the dashboard kept current on the fake Sheets."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import EXAMPLE
from fakes.sheets import SPREADSHEET_ID
from test_track_cli import (
    D,
    Moves,
    World,
    add_task,
    check_against,
    expected,
    pull_json,
    world,
)

from syncsvc.model import Plan
from syncsvc.state import State
from syncsvc.tracking import sync_lock

EARLY: Moves = {
    "design-review": (D(2027, 1, 4), D(2027, 1, 5)),
    "backend-api": (D(2027, 1, 4), None),
    "load-test": (D(2027, 1, 4), None),
}


@pytest.fixture
def example(plan_of) -> Plan:
    return plan_of(EXAMPLE.read_text())


def snapshots(w: World, plan_id: str = "notif-center") -> list[dict]:
    if not w.state_path.exists():
        return []
    with State.open(w.state_path) as s:
        return s.snapshots(plan_id, last=100)


def other_spec(w: World, plan_id: str, **replace: str) -> Path:
    text = EXAMPLE.read_text().replace('plan_id       = "notif-center"', f'plan_id       = "{plan_id}"')
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = w.tmp / f"{plan_id}.toml"
    path.write_text(text)
    return path


def test_sync_is_quiet_on_success_and_logs_json_lines_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.work(example, EARLY)
        r = w.run("sync", "--as-of", "2027-01-06")
        assert r.exit_code == 0, r.output
        assert r.stdout == "" and r.stderr == ""  # cron mails nothing on success
        r = w.run("sync", "--as-of", "2027-01-07", "-v", "--log-format", "json")
        assert r.exit_code == 0, r.output
        assert r.stdout.startswith("notif-center: pulled: on_track, slip +0 working days")
        lines = r.stderr.splitlines()
        assert lines and all(isinstance(json.loads(line), dict) for line in lines)
        synced = [
            json.loads(line)
            for line in lines
            if "notif-center: pulled" in json.loads(line).get("message", "")
        ]
        assert synced, lines
        assert w.fake.token not in r.output
        assert [s["as_of"] for s in snapshots(w)] == ["2027-01-06", "2027-01-07"]


def test_a_second_sync_exits_75_at_once_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch, sheets=True) as w:
        assert w.run("push").exit_code == 0
        assert w.sheets is not None
        n_jira, n_sheets, n_snaps = len(w.fake.calls), w.sheets.api_calls(), len(snapshots(w))
        with sync_lock(w.state_path):  # another sync is running
            r = w.run("sync", "--as-of", "2027-01-06", "-v")
            assert r.exit_code == 75, r.output
            assert "another `syncsvc sync` holds the lock" in r.stderr
            assert r.stdout == ""
        assert len(w.fake.calls) == n_jira and w.sheets.api_calls() == n_sheets
        assert len(snapshots(w)) == n_snaps
        r = w.run("sync", "--as-of", "2027-01-06")  # the lock went with its holder
        assert r.exit_code == 0, r.output
        assert len(snapshots(w)) == n_snaps + 1


def test_a_plan_failing_among_two_does_not_stop_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch) as w:
        # the other plan's Jira project does not exist on the site: Jira refuses it
        refused = other_spec(w, "ops-plan", **{'jira_project  = "NOTIF"': 'jira_project  = "OPS"'})
        r = w.cli("sync", str(refused), str(w.spec), "--config", str(w.config), "--as-of", "2027-01-04")
        assert r.exit_code == 2, r.output  # an unknown project is a configuration mistake
        assert "Error: ops-plan:" in r.stderr and "OPS" in r.stderr
        assert "notif-center" not in r.stderr  # the good plan is not reported as failing
        assert "Traceback" not in r.output
        assert w.fake.key_of("notif-center", "backend-api")  # the second plan was pushed
        with State.open(w.state_path) as s:
            assert s.latest_baseline("notif-center") is not None
            assert s.latest_baseline("ops-plan") is None
        # a spec that does not parse: exit 2, named, and the other plan still synced
        bad = w.tmp / "bad.toml"
        bad.write_text('feature_name = "x"\nteam_size = \n')
        n = len(snapshots(w))
        r = w.cli("sync", str(bad), str(w.spec), "--config", str(w.config), "--as-of", "2027-01-05")
        assert r.exit_code == 2, r.output
        assert "bad.toml" in r.stderr and "Traceback" not in r.output
        assert len(snapshots(w)) == n + 1 and snapshots(w)[-1]["as_of"] == "2027-01-05"


def test_sync_publishes_the_dashboard_with_status_and_trend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch, sheets=True) as w:
        assert w.sheets is not None
        r = w.run("sync", "--as-of", "2027-01-04")  # nothing pushed yet: push, then publish
        assert r.exit_code == 0, r.output
        assert snapshots(w) == []  # no forecast before a baseline
        w.work(example, EARLY)
        counts = []
        for day, moves in (("2027-01-06", {}), ("2027-01-21", {k: v for k, v in LATE_BACKEND.items()})):
            w.work(example, moves)
            n = w.sheets.api_calls()
            r = w.run("sync", "--as-of", day)
            assert r.exit_code == 0, r.output
            counts.append(w.sheets.api_calls() - n)
        assert all(c <= 2 for c in counts), counts
        rows = w.sheets.values(SPREADSHEET_ID, "Dashboard")
        dash = {r[0]: r[1] for r in rows if len(r) > 1 and isinstance(r[0], str) and r[0]}
        exp = expected(example, {**EARLY, **LATE_BACKEND}, D(2027, 1, 21))
        assert exp.state == "slipping"
        assert dash["State"] == exp.state and dash["Slip (working days)"] == exp.plan_slip
        start = next(i for i, r in enumerate(rows) if r and r[0] == "Slip trend (last 2 runs)")
        serial = [float((d - dt.date(1899, 12, 30)).days) for d in (D(2027, 1, 6), D(2027, 1, 21))]
        assert [r[:3] for r in rows[start + 2 : start + 4]] == [
            [serial[0], "on_track", 0],
            [serial[1], "slipping", exp.plan_slip],
        ]
        timeline = w.sheets.values(SPREADSHEET_ID, "Timeline")
        col = timeline[0].index("Slip (d)")
        by_id = {r[0]: r for r in timeline[1:]}
        assert by_id["backend-api"][col] == exp.slip["backend-api"] == 3


# Backend API closes Thursday Jan 21: 3 working days after its Friday Jan 15 due date.
LATE_BACKEND: Moves = {
    "backend-api": (D(2027, 1, 4), D(2027, 1, 21)),
    "load-test": (D(2027, 1, 4), D(2027, 1, 6)),
    "frontend-ui": (D(2027, 1, 6), D(2027, 1, 13)),
    "security-review": (D(2027, 1, 6), D(2027, 1, 8)),
}


def test_sync_dry_run_writes_nothing_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch, sheets=True) as w:
        assert w.sheets is not None
        assert w.run("sync", "--as-of", "2027-01-04").exit_code == 0
        assert w.run("sync", "--as-of", "2027-01-05").exit_code == 0
        # the spec grew a task and a day passed: a real sync would write to all three
        w.spec.write_text(add_task(EXAMPLE.read_text(), "docs", "2d", ["qa"]))
        w.work(example, EARLY)
        writes, batches, snaps = (len(w.fake.writes()), w.sheets.api_calls("batchUpdate"), snapshots(w))
        state_bytes = w.state_path.read_bytes()
        r = w.run("sync", "--as-of", "2027-01-06", "--dry-run")
        assert r.exit_code == 0, r.output
        assert r.stdout.startswith("notif-center: pulled: ")
        assert "would push: " in r.stdout and '"Docs" (docs)' in r.stdout
        assert "published: would write " in r.stdout
        assert len(w.fake.writes()) == writes
        assert w.sheets.api_calls("batchUpdate") == batches
        assert snapshots(w) == snaps
        assert w.state_path.read_bytes() == state_bytes


def test_a_dry_run_shows_the_dashboard_a_real_run_would_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch, sheets=True) as w:
        assert w.run("push").exit_code == 0
        assert w.run("sync", "--as-of", "2027-01-05").exit_code == 0
        # same day again: the real run would find the dashboard (slip trend included) as it is
        r = w.run("sync", "--as-of", "2027-01-05", "--dry-run")
        assert r.exit_code == 0, r.output
        assert "would push: nothing" in r.stdout
        assert "published: would write 0 worksheet(s), 6 unchanged" in r.stdout
        # the next day the forecast moves (nothing started): the dry run says so, stores nothing
        r = w.run("sync", "--as-of", "2027-01-06", "--dry-run")
        assert "published: would write 2 worksheet(s)" in r.stdout  # Dashboard, Timeline
        assert [s["as_of"] for s in snapshots(w)] == ["2027-01-05"]


def test_a_task_added_mid_flight_is_pushed_and_forecast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan, plan_of
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.work(example, EARLY)
        assert w.run("sync", "--as-of", "2027-01-06").exit_code == 0
        grown_text = add_task(EXAMPLE.read_text(), "docs", "2d", ["qa"])
        w.spec.write_text(grown_text)
        grown = plan_of(grown_text)
        # the rollout waits for every leaf, the new one too: the plan now finishes later
        assert grown.finish_date > example.finish_date
        r = w.run("sync", "--as-of", "2027-01-07")
        assert r.exit_code == 0, r.output
        key = w.fake.key_of("notif-center", "docs")  # pushed
        with sqlite3.connect(w.state_path) as db:
            (raw,) = db.execute("SELECT status_json FROM snapshots ORDER BY id DESC").fetchone()
        snap = json.loads(raw)
        assert snap["as_of"] == "2027-01-07"
        # the sync's pull ran before its push: the new task was forecast before it had an issue
        assert {t["id"]: t["issue_key"] for t in snap["tasks"]}["docs"] is None
        code, st = pull_json(w, "2027-01-07")
        assert code == 0
        exp = expected(grown, EARLY, D(2027, 1, 7), baseline=example)
        assert exp.plan_slip > 0  # against the recorded baseline, until a re-baseline
        check_against(st, exp)
        assert st["baseline_finish"] == example.finish_date.isoformat()
        docs = next(t for t in st["tasks"] if t["id"] == "docs")
        assert docs["issue_key"] == key and docs["status_category"] == "new"
        assert docs["baseline_finish"] == next(t.finish for t in grown.tasks if t.id == "docs").isoformat()
        assert "confidence" in st and st["confidence"]["p80"] >= st["confidence"]["p50"]


def test_sync_fail_on_slip_exits_3_only_when_slipping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.work(example, EARLY)
        r = w.run("sync", "--as-of", "2027-01-06", "--fail-on-slip")
        assert r.exit_code == 0 and r.stdout == "", r.output
        w.work(example, LATE_BACKEND)
        exp = expected(example, {**EARLY, **LATE_BACKEND}, D(2027, 1, 22))
        assert exp.state == "slipping"
        r = w.run("sync", "--as-of", "2027-01-22", "--fail-on-slip")
        assert r.exit_code == 3, r.output
        assert w.run("sync", "--as-of", "2027-01-22").exit_code == 0


def test_pull_on_a_server_site_reads_the_changelog_with_the_issues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch, cloud=False) as w:
        assert w.run("push").exit_code == 0
        moves = {**EARLY, **LATE_BACKEND}
        w.work(example, moves)
        n = len(w.fake.calls)
        code, st = pull_json(w, "2027-01-22", "--fail-on-slip")
        check_against(st, expected(example, moves, D(2027, 1, 22)))
        assert code == 3
        calls = w.fake.calls[n:]
        assert [c for c in calls if c.write] == []
        assert not any("changelog" in c.path for c in calls)  # expand=changelog on the search


def test_a_second_sync_process_exits_75_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    """From outside: a real `python -m syncsvc sync` process, the lock held by this one. It
    must give up at once, before any call (its Jira URL answers nothing)."""
    import subprocess
    import sys

    import syncsvc

    config = tmp_path / "syncsvc.toml"
    config.write_text(
        '[jira]\nurl = "http://127.0.0.1:9"\nemail = "pm@example.com"\n'
        'token_env = "SYNCSVC_TRACK_JIRA_TOKEN"\nproject = "NOTIF"\n\n'
        '[state]\npath = "state/state.db"\n',
        encoding="utf-8",
    )
    root = str(Path(syncsvc.__file__).resolve().parents[1])
    with sync_lock(tmp_path / "state" / "state.db"):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "syncsvc",
                "sync",
                str(EXAMPLE),
                "--config",
                str(config),
                "--as-of",
                "2027-01-04",
                "--log-format",
                "json",
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            env={
                "PYTHONPATH": root,
                "HOME": str(tmp_path),
                "PATH": "",
                "SYNCSVC_TRACK_JIRA_TOKEN": "t0ken-for-the-test",
            },
        )
    assert proc.returncode == 75, proc.stderr
    assert proc.stdout == ""
    assert "another `syncsvc sync` holds the lock" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "state" / "state.db").exists()  # nothing written


def test_the_first_sync_shows_the_keys_it_just_created_on_the_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch, sheets=True) as w:
        assert w.sheets is not None
        r = w.run("sync", "--as-of", "2027-01-04")  # nothing pushed before: push, then publish
        assert r.exit_code == 0, r.output
        timeline = w.sheets.values(SPREADSHEET_ID, "Timeline")
        col = timeline[0].index("Jira")
        shown = {row[0]: row[col] for row in timeline[1:] if row and row[0] in {t.id for t in example.tasks}}
        assert shown == {t.id: w.fake.key_of("notif-center", t.id) for t in example.tasks}


def test_an_unexpected_error_in_one_plan_is_reported_and_the_others_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    # issue 16.6: any exception in one plan stopped the whole cron run
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        broken = other_spec(w, "ops-plan")
        real = __import__("syncsvc.jira.pull", fromlist=["pull_status"]).pull_status

        def pull(plan, *a, **kw):
            if plan.plan_id == "ops-plan":
                raise KeyError("statusCategory")
            return real(plan, *a, **kw)

        monkeypatch.setattr("syncsvc.jira.pull.pull_status", pull)
        with State.open(w.state_path) as s:  # the broken plan is tracked (it has a baseline)
            s.add_baseline(
                "ops-plan",
                example.model_dump(mode="json") | {"plan_id": "ops-plan"},
                recorded_at="2027-01-04T00:00:00+00:00",
                note="test",
            )
        r = w.cli("sync", str(broken), str(w.spec), "--config", str(w.config), "--as-of", "2027-01-05")
        assert r.exit_code == 1, r.output
        assert "Error: ops-plan: unexpected error KeyError" in r.stderr
        assert "a bug in syncsvc" in r.stderr
        assert "Traceback" in r.stderr  # the traceback goes to the log, for the bug report
        assert [s["as_of"] for s in snapshots(w)] == ["2027-01-05"]  # notif-center synced


def test_cron_output_names_each_slip_and_each_failure_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.work(example, {**EARLY, **LATE_BACKEND})
        exp = expected(example, {**EARLY, **LATE_BACKEND}, D(2027, 1, 22))
        refused = other_spec(w, "ops-plan", **{'jira_project  = "NOTIF"': 'jira_project  = "OPS"'})
        r = w.cli("sync", str(refused), str(w.spec), "--config", str(w.config), "--as-of", "2027-01-22")
        assert r.exit_code == 2, r.output  # an unknown project: a config mistake
        lines = r.stderr.splitlines()
        # the failure once (no second copy from the log), with its message
        assert sum("ops-plan" in line for line in lines) == 1, lines
        # the slipping plan: what, by how much, which chain, at default verbosity
        (slip,) = [line for line in lines if "notif-center" in line]
        _, st = pull_json(w, "2027-01-22")
        slips = {t["id"]: t["slip_days"] for t in st["tasks"]}
        late = [t for t in st["critical_path"] if slips[t] > 0]
        assert exp.state == "slipping" and st["slip_days"] == exp.plan_slip > 0
        assert slip == (
            f"Slipping: notif-center: +{exp.plan_slip} working day(s), forecast "
            f"finish {exp.plan_finish}; late critical chain: " + " → ".join(late)
        ), slip
        assert late and late[0] == "integration"  # what waits on the late backend work
        r = w.cli(
            "sync",
            str(refused),
            str(w.spec),
            "--config",
            str(w.config),
            "--as-of",
            "2027-01-22",
            "--log-format",
            "json",
        )
        assert r.exit_code == 2, r.output  # an unknown project: a config mistake
        entries = [json.loads(line) for line in r.stderr.splitlines()]  # every line is JSON
        assert [e["level"] for e in entries].count("error") == 1
        assert any(e["level"] == "warning" and "notif-center" in e["message"] for e in entries)


@pytest.mark.parametrize("which", ["state", "lock"])
def test_state_and_lock_files_are_never_opened_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    with world(tmp_path, monkeypatch) as w:
        victim = w.tmp / "victim.txt"
        victim.write_text("keep me\n")
        path = w.state_path if which == "state" else w.state_path.with_name(w.state_path.name + ".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(victim)
        r = w.run("sync", "--as-of", "2027-01-06")
        assert r.exit_code == 2, r.output
        assert "is a symbolic link" in r.stderr and "Traceback" not in r.output
        assert victim.read_text() == "keep me\n" and path.is_symlink()
        assert w.fake.calls == []
