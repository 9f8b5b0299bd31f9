"""`syncsvc pull` and `baseline` from the command line, on the fake Jira, with `--as-of` time travel.

Expected slips come from an independent forward pass written here (CONTRACT §7, by hand with a
WorkCalendar), never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import responses
from conftest import EXAMPLE
from fakes.fake_jira import FakeJira
from fakes.sheets import SPREADSHEET_ID, FakeSheets
from typer.testing import CliRunner

from syncsvc.calendar import WorkCalendar
from syncsvc.cli import app
from syncsvc.model import Plan
from syncsvc.state import State

TOKEN_ENV = "SYNCSVC_TRACK_JIRA_TOKEN"
D = dt.date
STATUS_KEYS = {
    "schema",
    "plan_id",
    "as_of",
    "baseline_finish",
    "forecast_finish",
    "slip_days",
    "state",
    "tasks",
}
TASK_KEYS = {
    "id",
    "issue_key",
    "status",
    "status_category",
    "baseline_finish",
    "forecast_finish",
    "slip_days",
    "critical",
}
Moves = dict[str, tuple[dt.date | None, dt.date | None]]  # task id -> (started, done)


@dataclass
class World:
    """A fake Jira (and maybe a fake Sheets) on one RequestsMock, a config file and a spec."""

    tmp: Path
    fake: FakeJira
    sheets: FakeSheets | None
    config: Path
    spec: Path

    @property
    def state_path(self) -> Path:
        return self.tmp / "state" / "state.db"

    def cli(self, *args: str) -> Any:
        return CliRunner().invoke(app, [*args])

    def run(self, command: str, *args: str, spec: Path | None = None) -> Any:
        return self.cli(command, str(spec or self.spec), "--config", str(self.config), *args)

    def work(self, plan: Plan, moves: Moves) -> None:
        """Move the issues in the fake Jira: into progress at 9:00, to done at 17:00 (UTC)."""
        for tid, (start, done) in moves.items():
            key = self.fake.key_of(plan.plan_id, tid)
            if start:
                self.fake.move(key, "In Progress", dt.datetime(*start.timetuple()[:3], 9, tzinfo=dt.UTC))
            if done:
                self.fake.move(key, "Done", dt.datetime(*done.timetuple()[:3], 17, tzinfo=dt.UTC))


@contextmanager
def world(
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    sheets: bool = False,
    spec_text: str | None = None,
    **fake_kw: Any,
) -> Iterator[World]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeJira(**fake_kw)
        fake.install(rsps)
        monkeypatch.setenv(TOKEN_ENV, fake.token)
        monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", lambda s: None)
        lines = [
            "[jira]",
            f'url = "{fake.base}"',
            'email = "pm@example.com"',
            f'token_env = "{TOKEN_ENV}"',
            'project = "NOTIF"',
            "max_retries = 1",
            "",
            "[state]",
            'path = "state/state.db"',
            "",
        ]
        fs = None
        if sheets:
            fs = FakeSheets().install(rsps)
            fs.create_spreadsheet(SPREADSHEET_ID)
            (tmp / "key.json").write_text(json.dumps(fs.service_account()), encoding="utf-8")
            lines += [
                "[sheets]",
                f'spreadsheet_id = "{SPREADSHEET_ID}"',
                'credentials_file = "key.json"',
                "max_retries = 1",
            ]
        config = tmp / "syncsvc.toml"
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        spec = tmp / "notif.toml"
        spec.write_text(spec_text or EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        yield World(tmp, fake, fs, config, spec)
    assert fake.violations == [], fake.violations


def add_task(spec_text: str, tid: str, estimate: str, depends_on: list[str]) -> str:
    """The spec with one more task appended (an array-of-tables entry may come anywhere)."""
    deps = ", ".join(f'"{d}"' for d in depends_on)
    return (
        spec_text + f'\n[[tasks]]\nid = "{tid}"\nname = "{tid.title()}"\nphase = "verify"\n'
        f'estimate = "{estimate}"\nowner = "Lee"\ndepends_on = [{deps}]\n'
    )


@dataclass(frozen=True)
class Expected:
    finish: dict[str, dt.date]
    slip: dict[str, int]
    category: dict[str, str]
    plan_finish: dt.date
    plan_slip: int
    state: str


def expected(plan: Plan, moves: Moves, as_of: dt.date, baseline: Plan | None = None) -> Expected:
    """CONTRACT §7 by hand: done keeps its dates; started finishes at max(start + duration - 1,
    cur(as_of)); not started starts at the latest of next(predecessors), cur(as_of), start.
    `baseline` is the plan recorded at the push when the spec changed since: its tasks keep
    their recorded durations and dates, tasks added since their own. The network is the
    levelled one: a task also waits for the same person's earlier task (`waits_for`)."""
    base = baseline or plan
    recorded = {t.id: t for t in base.tasks}
    cal = WorkCalendar(base.start_date, plan.holidays)
    now = cal.cur(as_of)
    finish: dict[str, dt.date] = {}
    category: dict[str, str] = {}
    used: dict[str, int] = {}
    tasks = [
        recorded.get(t.id, t).model_copy(update={"depends_on": [*t.depends_on, *t.waits_for]})
        for t in plan.tasks
    ]
    for t in sorted(tasks, key=lambda t: t.start or t.early_start):  # after what they wait for
        assert t.kind != "milestone"  # the example has none; this pass does not model them
        start, done = moves.get(t.id, (None, None))
        if done is not None:
            assert start is not None
            finish[t.id], category[t.id] = done, "done"
            used[t.id] = cal.wd(start, done) + 1
        elif start is not None:
            end = cal.date(cal.index(start) + t.duration_days - 1)
            finish[t.id], category[t.id] = max(end, now), "indeterminate"
            used[t.id] = cal.wd(start, now)
        else:
            begin = max([cal.next(finish[d]) for d in t.depends_on] + [now, cal.cur(plan.start_date)])
            finish[t.id] = cal.date(cal.index(begin) + t.duration_days - 1)
            category[t.id], used[t.id] = "new", 0
    slip = {t.id: cal.wd(t.finish or t.early_finish, finish[t.id]) for t in tasks}
    plan_finish = max(finish.values())
    plan_slip = cal.wd(base.levelled_finish or base.finish_date, plan_finish)
    risky = any(
        t.critical and (slip[t.id] > 0 or max(0, used[t.id] - t.estimate_days) > t.buffer_days / 2)
        for t in tasks
    )
    state = "slipping" if plan_slip > 0 else "at_risk" if risky else "on_track"
    return Expected(finish, slip, category, plan_finish, plan_slip, state)


# Everything before Thursday Jan 21 as planned, except: Backend API (critical, due Friday
# Jan 15) closes Wednesday Jan 20, two working days late (Monday Jan 18 is a holiday), and
# Frontend UI (2 days of float, due Jan 13) closes Friday Jan 15, late but absorbed.
LATE: Moves = {
    "design-review": (D(2027, 1, 4), D(2027, 1, 5)),
    "load-test": (D(2027, 1, 4), D(2027, 1, 6)),
    "backend-api": (D(2027, 1, 4), D(2027, 1, 20)),
    "frontend-ui": (D(2027, 1, 6), D(2027, 1, 15)),
    "security-review": (D(2027, 1, 6), D(2027, 1, 8)),
    "push-digest": (D(2027, 1, 21), None),
}
# Friday Jan 15: Backend API still in progress after 9 working days of its 7 + 3 (buffer used
# 2 > 3/2), due today: nothing late, but a critical task ate most of its buffer.
AT_RISK: Moves = {
    "design-review": (D(2027, 1, 4), D(2027, 1, 5)),
    "load-test": (D(2027, 1, 4), D(2027, 1, 6)),
    "backend-api": (D(2027, 1, 4), None),
    "frontend-ui": (D(2027, 1, 6), D(2027, 1, 13)),
    "security-review": (D(2027, 1, 6), D(2027, 1, 8)),
}


@pytest.fixture
def example(plan_of) -> Plan:
    return plan_of(EXAMPLE.read_text())


def pull_json(w: World, as_of: str, *args: str) -> tuple[int, dict[str, Any]]:
    r = w.run("pull", "--as-of", as_of, "--format", "json", *args)
    assert r.exit_code in (0, 3), r.output
    assert "Traceback" not in r.output
    return r.exit_code, json.loads(r.stdout)


def check_against(status: dict[str, Any], exp: Expected) -> None:
    rows = {t["id"]: t for t in status["tasks"]}
    assert set(rows) == set(exp.finish)
    for tid, row in rows.items():
        assert (row["status_category"], row["forecast_finish"], row["slip_days"]) == (
            exp.category[tid],
            exp.finish[tid].isoformat(),
            exp.slip[tid],
        ), tid
    assert status["forecast_finish"] == exp.plan_finish.isoformat()
    assert (status["slip_days"], status["state"]) == (exp.plan_slip, exp.state)


def test_pull_json_matches_an_independent_forecast_and_fail_on_slip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        r = w.run("push")
        assert r.exit_code == 0, r.output
        w.work(example, LATE)
        code, st = pull_json(w, "2027-01-21", "--fail-on-slip")
        assert set(st) >= STATUS_KEYS and all(set(t) >= TASK_KEYS for t in st["tasks"])
        assert st["schema"] == "syncsvc.status/1" and st["plan_id"] == "notif-center"
        assert st["as_of"] == "2027-01-21" and st["baseline_finish"] == "2027-02-12"
        exp = expected(example, LATE, D(2027, 1, 21))
        assert exp.plan_slip == 2 and exp.state == "slipping"  # the scenario is what it says
        check_against(st, exp)
        assert code == 3  # slipping with --fail-on-slip
        rows = {t["id"]: t for t in st["tasks"]}
        assert rows["backend-api"]["slip_days"] == 2 and rows["frontend-ui"]["slip_days"] == 2
        assert rows["backend-api"]["issue_key"] == w.fake.key_of("notif-center", "backend-api")
        assert rows["backend-api"]["status"] == "Done"
        assert rows["push-digest"]["status"] == "In Progress"
        assert rows["qa"]["critical"] and not rows["security-review"]["critical"]
        code, _ = pull_json(w, "2027-01-21")  # without the flag: 0
        assert code == 0


def test_fail_on_slip_is_0_on_track_and_at_risk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        code, st = pull_json(w, "2027-01-04", "--fail-on-slip")
        check_against(st, expected(example, {}, D(2027, 1, 4)))
        assert (code, st["state"], st["slip_days"]) == (0, "on_track", 0)
        w.work(example, AT_RISK)
        exp = expected(example, AT_RISK, D(2027, 1, 15))
        assert (exp.state, exp.plan_slip) == ("at_risk", 0)
        code, st = pull_json(w, "2027-01-15", "--fail-on-slip")
        check_against(st, exp)
        assert code == 0


def test_pull_markdown_names_what_slipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.work(example, LATE)
        r = w.run("pull", "--as-of", "2027-01-21")
        assert r.exit_code == 0, r.output
        out = r.stdout
        assert out.startswith("# Status of `notif-center` on 2027-01-21")
        assert "**State: slipping.**" in out and "(+2 working days)" in out
        assert "Forecast finish 2027-02-16" in out  # 2 working days after Friday Feb 12
        names = {t.id: t.name for t in example.tasks}
        slipped = out.split("## What slipped", 1)[1].split("\n## ", 1)[0]
        assert names["backend-api"] in slipped and names["frontend-ui"] in slipped
        assert names["security-review"] not in slipped


def test_pull_before_any_push_says_to_push_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with world(tmp_path, monkeypatch) as w:
        r = w.run("pull", "--as-of", "2027-01-04")
        assert r.exit_code == 2 and r.stdout == ""
        assert "Error:" in r.stderr and "syncsvc push" in r.stderr and "first" in r.stderr
        assert w.fake.calls == []
        # a state that knows another plan, but not this one: still "push first", no Jira call
        other = w.tmp / "other.toml"
        other.write_text(
            EXAMPLE.read_text().replace('plan_id       = "notif-center"', 'plan_id       = "other-plan"')
        )
        assert w.run("push", spec=other).exit_code == 0
        n = len(w.fake.calls)
        r = w.run("pull", "--as-of", "2027-01-04", "--format", "json")
        assert r.exit_code == 2 and r.stdout == ""
        assert "notif-center" in r.stderr and "syncsvc push" in r.stderr
        assert len(w.fake.calls) == n
        r = w.run("pull", "--as-of", "Jan 4")
        assert r.exit_code == 2 and "--as-of" in r.stderr and "YYYY-MM-DD" in r.stderr
        for far in ("9999-12-31", "0001-01-01"):  # off the calendar: a usage error, no call
            r = w.run("pull", "--as-of", far)
            assert r.exit_code == 2, r.output
            assert r.stderr.startswith(f"Error: --as-of: {far} is outside the dates"), r.stderr
        assert len(w.fake.calls) == n


def test_rebaseline_after_a_scope_change_compares_against_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan_of
) -> None:
    text = EXAMPLE.read_text()
    with world(tmp_path, monkeypatch, spec_text=text) as w:
        assert w.run("push").exit_code == 0
        old = plan_of(text)
        # scope change: QA grows from 3 to 5 days (+2 on the critical path)
        grown = text.replace(
            'id = "qa"\nname = "QA"\nphase = "verify"\nestimate = "3d"',
            'id = "qa"\nname = "QA"\nphase = "verify"\nestimate = "5d"',
        )
        assert grown != text
        w.spec.write_text(grown)
        new = plan_of(grown)
        cal = WorkCalendar(new.start_date, new.holidays)
        assert cal.wd(old.finish_date, new.finish_date) == 2
        # before re-baselining, the recorded baseline (QA at 3 days) is what counts
        _, st = pull_json(w, "2027-01-04")
        assert st["baseline_finish"] == old.finish_date.isoformat() and st["slip_days"] == 0
        r = w.run("baseline", "--note", "QA grows to 5 days")
        assert r.exit_code == 0, r.output
        assert "baseline #2 recorded (1 earlier kept)" in r.stdout
        assert new.finish_date.isoformat() in r.stdout
        _, st = pull_json(w, "2027-01-04")
        assert st["baseline_finish"] == new.finish_date.isoformat()
        check_against(st, expected(new, {}, D(2027, 1, 4)))
        qa = next(t for t in st["tasks"] if t["id"] == "qa")
        assert qa["baseline_finish"] == next(t.early_finish for t in new.tasks if t.id == "qa").isoformat()
        with State.open(w.state_path) as s:
            kept = s.baselines("notif-center")
        assert len(kept) == 2
        assert [b.plan_json["finish_date"] for b in kept] == [
            old.finish_date.isoformat(),
            new.finish_date.isoformat(),
        ]
        # the scope change made the plan late against the first baseline only: slip 0 now
        moves: Moves = {
            "design-review": (D(2027, 1, 4), D(2027, 1, 5)),
            "backend-api": (D(2027, 1, 4), None),
            "load-test": (D(2027, 1, 4), None),
        }
        w.work(new, moves)
        _, st = pull_json(w, "2027-01-06")
        check_against(st, expected(new, moves, D(2027, 1, 6)))
        assert st["slip_days"] == 0 and st["state"] == "on_track"
