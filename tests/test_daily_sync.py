"""Issue 14's acceptance, checked from outside: six weeks of daily cron `sync` on the fake Jira.

Every working day people start and finish the example plan's tasks (a fixed seed decides who is
late or early) and, on chosen days, delete the plan's epic, remove a Blocks link, move an issue
to another project, delete a task's issue, or lose the state file. Then `syncsvc sync --as-of`
that day runs from the command line. Each day: exit 0, or 3 exactly when the independent
forecast of `test_track_cli.expected` (CONTRACT §7 by hand) says slipping; the stored forecast
equals it task by task against the ORIGINAL baseline; one live issue per task, one epic that
parents them all, every Blocks link of the first push there again; a day without any person's
action is read-only and within 2 + 2*ceil(N/100) Jira reads.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE
from test_track_cli import Moves, World, check_against, expected, world

from syncsvc.calendar import WorkCalendar
from syncsvc.model import Plan
from syncsvc.state import State

PID = "notif-center"
DAYS = 30
SEED = 14
# day index -> what people do to the plan in Jira that day (besides moving statuses)
# (the state is lost twice: before any issue left the project, and after one did)
EVENTS: dict[int, tuple[str, ...]] = {
    3: ("delete-epic",),
    5: ("lose-state",),
    7: ("unlink",),
    9: ("move-project",),
    11: ("delete-task",),
    15: ("delete-epic", "unlink"),
    18: ("delete-task", "unlink"),
    21: ("move-project", "delete-epic"),
    24: ("unlink",),
    26: ("lose-state",),
}


@pytest.fixture
def example(plan_of) -> Plan:
    return plan_of(EXAMPLE.read_text())


def epics(w: World) -> list[dict[str, Any]]:
    return [i for i in w.fake.issues.values() if i["fields"]["issuetype"]["name"] == "Epic"]


def task_of(w: World, key: str) -> str:
    issue = w.fake.issues[w.fake.moved.get(key, key)]
    return str(issue["properties"]["syncsvc"]["task_id"])


def blocks_by_task(w: World) -> set[tuple[str, str]]:
    """Every Blocks link between the plan's task issues, as (blocker task, blocked task)."""
    return {(task_of(w, a), task_of(w, b)) for a, b in w.fake.blocks()}


def snapshot(w: World, as_of: dt.date) -> dict[str, Any] | None:
    with sqlite3.connect(w.state_path) as db:
        rows = db.execute(
            "SELECT status_json FROM snapshots WHERE plan_id = ? AND as_of = ? ORDER BY id DESC",
            (PID, as_of.isoformat()),
        ).fetchall()
    return json.loads(rows[0][0]) if rows else None


def baselines(w: World) -> list[tuple[str, str]]:
    with State.open(w.state_path) as s:
        return [(b.recorded_at, json.dumps(b.plan_json, sort_keys=True)) for b in s.baselines(PID)]


def check_jira(w: World, plan: Plan, links: set[tuple[str, str]], day: dt.date) -> None:
    """One live issue per task, one epic parenting them all, every Blocks link of the push."""
    for t in plan.tasks:
        found = w.fake.by_task(PID, t.id)
        assert len(found) == 1, f"{day}: task {t.id} has {len(found)} issues: " + ", ".join(
            i["key"] for i in found
        )
        assert f"syncsvc-{PID}" in found[0]["fields"]["labels"], (day, t.id)
    live = epics(w)
    assert len(live) == 1, f"{day}: {len(live)} epics: {[e['key'] for e in live]}"
    for t in plan.tasks:
        parent = w.fake.by_task(PID, t.id)[0]["fields"].get("parent") or {}
        assert parent.get("key") == live[0]["key"], f"{day}: {t.id} parent {parent}"
    assert blocks_by_task(w) >= links, f"{day}: links missing: {links - blocks_by_task(w)}"


def test_thirty_days_of_daily_sync_with_people_breaking_things(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    rng = random.Random(SEED)
    cal = WorkCalendar(example.start_date, example.holidays)
    days = [cal.date(cal.index(example.start_date) + i) for i in range(DAYS)]
    tasks = {t.id: t for t in example.tasks}
    # how long each task really takes: its estimate, a day less, or up to three more
    takes = {tid: max(1, t.estimate_days + rng.choice((-1, 0, 0, 1, 2, 3))) for tid, t in tasks.items()}
    waits = {tid: set(t.depends_on) | set(t.waits_for) for tid, t in tasks.items()}
    moves: Moves = {}
    budget = 2 + 2 * math.ceil(len(example.tasks) / 100)
    seen_exit: set[int] = set()
    checked_quiet = 0
    with world(tmp_path, monkeypatch) as w:
        r = w.run("push")
        assert r.exit_code == 0, r.output
        links = blocks_by_task(w)
        assert links, "the push made no Blocks link"
        original = baselines(w)
        baseline_finish = example.finish_date.isoformat()
        for n, day in enumerate(days):
            acted = False
            at9 = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
            at17 = at9.replace(hour=17)
            # people finish what is due today, then start what is ready
            for tid, (start, done) in list(moves.items()):
                if start is not None and done is None and cal.wd(start, day) + 1 >= takes[tid]:
                    w.fake.move(w.fake.key_of(PID, tid), "Done", at17)
                    moves[tid], acted = (start, day), True
            for tid in tasks:
                ready = all((moves.get(d) or (None, None))[1] not in (None, day) for d in waits[tid])
                if tid not in moves and ready:
                    w.fake.move(w.fake.key_of(PID, tid), "In Progress", at9)
                    moves[tid], acted = (day, None), True
            for event in EVENTS.get(n, ()):
                acted = True
                if event == "delete-epic":
                    (epic,) = epics(w)
                    w.fake.delete_issue(epic["key"])
                elif event == "unlink":
                    lid = rng.choice(sorted(i for i, (t, _, _) in w.fake.links.items() if t == "Blocks"))
                    del w.fake.links[lid]
                elif event == "move-project":
                    tid = rng.choice(sorted(t for t in tasks if w.fake.key_of(PID, t).startswith("NOTIF-")))
                    w.fake.move_to_project(w.fake.key_of(PID, tid), "OPS")
                elif event == "delete-task":  # an issue nobody had started yet
                    tid = rng.choice(sorted(t for t in tasks if t not in moves))
                    w.fake.delete_issue(w.fake.key_of(PID, tid))
                elif event == "lose-state":
                    w.state_path.unlink()
            calls_before = len(w.fake.calls)
            r = w.run("sync", "--as-of", day.isoformat(), "--fail-on-slip")
            calls = w.fake.calls[calls_before:]
            assert "Traceback" not in r.output, r.output
            check_jira(w, example, links, day)
            exp = expected(example, moves, day)
            want = 3 if exp.state == "slipping" else 0
            snap = snapshot(w, day)
            assert r.exit_code == want, f"{day} (day {n}, {EVENTS.get(n)}): {r.output}"
            seen_exit.add(r.exit_code)
            assert snap is not None, f"{day}: the sync stored no forecast"
            check_against(snap, exp)
            assert snap["baseline_finish"] == baseline_finish, day
            assert baselines(w) == original, f"{day}: the baseline changed"
            if not acted and n > 0:  # nobody touched Jira since yesterday's sync
                checked_quiet += 1
                reads = [f"{c.method} {c.path}" for c in calls if not c.write]
                assert [c for c in calls if c.write] == [], (day, [c.path for c in calls])
                assert len(reads) <= budget, (day, reads)
        # the scenario is what it says: people did act, some days were quiet, the plan slipped
        assert checked_quiet >= 5, checked_quiet
        assert seen_exit == {0, 3}, seen_exit
        assert any(k.startswith("OPS-") for k in w.fake.issues)


def _pushed_late(w: World, plan: Plan) -> Moves:
    """The plan pushed, everything on time except Backend API, still open on Jan 21 (due
    Jan 15): slipping."""
    assert w.run("push").exit_code == 0
    moves: Moves = {
        "design-review": (dt.date(2027, 1, 4), dt.date(2027, 1, 5)),
        "load-test": (dt.date(2027, 1, 4), dt.date(2027, 1, 6)),
        "backend-api": (dt.date(2027, 1, 4), None),
    }
    w.work(plan, moves)
    return moves


def test_the_sync_after_a_lost_state_forecasts_that_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        moves = _pushed_late(w, example)
        day = dt.date(2027, 1, 21)
        exp = expected(example, moves, day)
        assert exp.state == "slipping"  # the scenario is what it says
        w.state_path.unlink()  # an ephemeral runner lost its cache
        r = w.run("sync", "--as-of", day.isoformat(), "--fail-on-slip")
        snap = snapshot(w, day)
        assert snap is not None, "the first sync after a lost state stored no forecast"
        check_against(snap, exp)
        assert r.exit_code == 3, r.output


def test_an_issue_moved_to_another_project_survives_a_lost_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        moves = _pushed_late(w, example)
        w.fake.move_to_project(w.fake.key_of(PID, "backend-api"), "OPS")
        assert w.run("sync", "--as-of", "2027-01-20").exit_code == 0
        assert len(w.fake.by_task(PID, "backend-api")) == 1  # followed while the state lives
        w.state_path.unlink()
        for day in ("2027-01-21", "2027-01-22"):
            r = w.run("sync", "--as-of", day)
            assert r.exit_code == 0, r.output
            found = [i["key"] for i in w.fake.by_task(PID, "backend-api")]
            assert len(found) == 1, f"{day}: backend-api has issues {found}"
        snap = snapshot(w, dt.date(2027, 1, 22))
        assert snap is not None
        check_against(snap, expected(example, moves, dt.date(2027, 1, 22)))
