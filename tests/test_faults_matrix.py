"""Fault matrix: push, publish and sync interrupted at every k-th call, then run again to the end.

Each case runs an uninterrupted reference once, then for call k (every call of a small plan, a
sample of a bigger one) and each fault mode: a fresh bed, the run with the fault at call k, one
more run without faults, and a comparison of the whole Jira and Sheets state with the reference
(issues, fields, labels, properties, links; worksheets, cells, formats), with no duplicate issue
or link. Counts are collected in COUNTS and printed at the end (figures in RELIABILITY.md).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.faultbed import MODES, Bed, fault_bed, jira_state, run_killable, sheets_state
from fakes.jira_env import chain, plan, task
from fakes.sheets import SIX, SPREADSHEET_ID

from syncsvc.errors import SyncsvcError
from syncsvc.jira.push import push_plan
from syncsvc.model import Plan
from syncsvc.sheets.publish import publish_plan
from syncsvc.state import State
from syncsvc.tracking import run_sync

MP = pytest.MonkeyPatch
PID = "notif-center"
NOW = dt.datetime(2027, 1, 4, 9, 30)
AS_OF = dt.date(2027, 1, 8)
COUNTS: Counter[str] = Counter()
ASSIGNEES = {"Mike": "acc-mike"}


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    if COUNTS:
        print("\nfault matrix: " + ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items())))


def v1() -> Plan:
    return plan(chain(6, fan=2))


def v2() -> Plan:
    """v1 with a renamed task, a flipped critical flag, a removed task, two new tasks and a
    dropped dependency (so updates, a removal label, creates, links and an unlink)."""
    ts = [t for t in chain(6, fan=2) if t.id != "t0005"]
    ts[1] = ts[1].model_copy(update={"name": "Renamed task"})
    ts[2] = ts[2].model_copy(update={"critical": not ts[2].critical})
    ts[4] = ts[4].model_copy(update={"depends_on": ["t0003"]})
    ts += [task("t0006", deps=("t0003",), start=6), task("t0007", deps=("t0006",), start=8)]
    return plan(ts)


def push(bed: Bed, p: Plan) -> Any:
    return push_plan(p, bed.cfg, dry_run=False, assignees=ASSIGNEES)


def publish(bed: Bed, p: Plan) -> Any:
    return publish_plan(p, bed.cfg, dry_run=False, client_factory=bed.sheets_factory(), now=NOW)


def sync(bed: Bed, p: Plan) -> Any:
    report = run_sync(
        [Path("spec.toml")],
        bed.cfg,
        as_of=AS_OF,
        dry_run=False,
        load=lambda _: (p, ASSIGNEES, None),
        sheets_factory=bed.sheets_factory(),
        now=lambda: dt.datetime(2027, 1, 8, 6, tzinfo=dt.UTC),
    )
    if report.failed:
        raise SyncsvcError(report.failed[0].error or "failed")
    return report


Step = Callable[[Bed], Any]


def _state(bed: Bed) -> tuple[Any, Any]:
    return jira_state(bed.jira), sheets_state(bed.sheets)


def _matrix(
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    setup: list[Step],
    step: Step,
    *,
    ks: Callable[[int], list[int]] | None = None,
    modes: tuple[str, ...] = MODES,
    settle: bool = False,
    server: bool = False,
    lag: int = 0,
) -> None:
    """`setup` runs once without faults; `step` runs with the fault at call k (counted from the
    start of `step`), then once more without; the end state must equal the uninterrupted one.
    With `settle`, Jira is compared then, and both beds run `step` once more before Sheets are
    compared (a sync shows the keys of issues it created from the next sync on). `server`:
    Jira Server/DC (search with startAt, Epic Link field, no bulk fetch, a personal token)."""
    kw: dict[str, Any] = {"cloud": False, "email": None} if server else {}
    if lag:
        kw["search_lag"] = lag  # search sees an issue only `lag` calls after it was made
    with fault_bed(tmp / f"{name}-ref", monkeypatch, **kw) as bed:
        for s in setup:
            s(bed)
        saved = bed.save()
        before = bed.calls()
        assert run_killable(lambda: step(bed)) == "ok"
        total = bed.calls() - before
        want = _state(bed)
        if settle:
            assert run_killable(lambda: step(bed)) == "ok"
            assert jira_state(bed.jira) == want[0]
            want = _state(bed)
        assert run_killable(lambda: step(bed)) == "ok"  # a rerun of a finished job changes nothing
        assert _state(bed) == want
    chosen = ks(total) if ks else list(range(1, total + 1))
    for k in chosen:
        for mode in modes:
            with fault_bed(tmp / f"{name}-{k}-{mode}", monkeypatch, k=k, mode=mode, **kw) as bed:
                bed.load(saved)
                first = run_killable(lambda: step(bed))  # noqa: B023
                bed.inj.k = 0
                again = run_killable(lambda: step(bed))  # noqa: B023
                assert again == "ok", f"{name} k={k} {mode}: first {first}; rerun {again}"
                if settle:
                    assert jira_state(bed.jira) == want[0], f"{name} k={k} {mode}: {first}"
                    assert run_killable(lambda: step(bed)) == "ok"  # noqa: B023
                assert _state(bed) == want, f"{name} k={k} {mode}: first {first}"
                COUNTS["faults injected"] += bed.inj.injected
                COUNTS["runs"] += 2
                COUNTS[f"{name} cases"] += 1
    COUNTS[f"{name} calls in an uninterrupted run"] = total


def _sample(total: int, every: int = 5, head: int = 8) -> list[int]:
    """Every call among the first `head` (reads, epic, creates), then every `every`-th, and
    the last."""
    return sorted(set(range(1, min(head, total) + 1)) | set(range(head, total + 1, every)) | {total})


# -- push ----------------------------------------------------------------------------------------


def test_first_push_interrupted_at_every_call(tmp_path: Path, monkeypatch: MP) -> None:
    _matrix(tmp_path, monkeypatch, "push-first", [], lambda b: push(b, v1()))


def test_changed_plan_push_interrupted_at_every_call(tmp_path: Path, monkeypatch: MP) -> None:
    _matrix(tmp_path, monkeypatch, "push-change", [lambda b: push(b, v1())], lambda b: push(b, v2()))


def test_three_chunk_push_interrupted_at_sampled_calls(tmp_path: Path, monkeypatch: MP) -> None:
    big = plan(chain(105, fan=1))  # the epic, chunks of 50, 50 and 5, 104 links
    _matrix(
        tmp_path,
        monkeypatch,
        "push-105",
        [],
        lambda b: push(b, big),
        ks=functools.partial(_sample, every=17),
        modes=("kill-before", "kill-after", "drop"),
    )


# -- publish -------------------------------------------------------------------------------------


def test_publish_interrupted_at_every_call(tmp_path: Path, monkeypatch: MP) -> None:
    _matrix(tmp_path, monkeypatch, "publish-first", [], lambda b: publish(b, v1()))
    _matrix(tmp_path, monkeypatch, "publish-change", [lambda b: publish(b, v1())], lambda b: publish(b, v2()))


# -- sync ----------------------------------------------------------------------------------------


def _work(bed: Bed) -> None:
    """A person starts t0000 and finishes t0001 (so the pull has changelogs to read)."""
    when = dt.datetime(2027, 1, 5, 10, tzinfo=dt.UTC)
    bed.jira.move(bed.jira.key_of(PID, "t0000"), "In Progress", when)
    bed.jira.move(bed.jira.key_of(PID, "t0000"), "Done", when + dt.timedelta(days=1))
    bed.jira.move(bed.jira.key_of(PID, "t0001"), "In Progress", when)


def test_sync_interrupted_at_every_call(tmp_path: Path, monkeypatch: MP) -> None:
    monkeypatch.setattr(
        "syncsvc.sheets.publish.publish_plan", functools.partial(publish_plan, now=NOW)
    )  # a fixed "last synced"
    _matrix(
        tmp_path,
        monkeypatch,
        "sync",
        [lambda b: push(b, v1()), _work],
        lambda b: sync(b, v2()),
        settle=True,
        modes=("kill-before", "kill-after", "drop", "500"),
    )


def test_a_login_page_answering_any_call_is_recovered(tmp_path: Path, monkeypatch: MP) -> None:
    # issue 16.9: a proxy's login page (200, HTML) answers one call without doing it; the run
    # says so (exit 2), never takes a write for done, and the next run converges
    monkeypatch.setattr("syncsvc.sheets.publish.publish_plan", functools.partial(publish_plan, now=NOW))
    _matrix(
        tmp_path,
        monkeypatch,
        "push-change-html",
        [lambda b: push(b, v1())],
        lambda b: push(b, v2()),
        modes=("html",),
    )
    _matrix(
        tmp_path,
        monkeypatch,
        "sync-html",
        [lambda b: push(b, v1()), _work],
        lambda b: sync(b, v2()),
        settle=True,
        modes=("html",),
    )


def test_server_dc_push_and_sync_interrupted_at_every_call(tmp_path: Path, monkeypatch: MP) -> None:
    monkeypatch.setattr("syncsvc.sheets.publish.publish_plan", functools.partial(publish_plan, now=NOW))
    modes = ("kill-before", "kill-after", "drop")
    _matrix(tmp_path, monkeypatch, "server-push", [], lambda b: push(b, v1()), modes=modes, server=True)
    _matrix(
        tmp_path,
        monkeypatch,
        "server-sync",
        [lambda b: push(b, v1()), _work],
        lambda b: sync(b, v2()),
        settle=True,
        modes=modes,
        server=True,
    )


def test_pushes_interrupted_at_every_call_under_search_lag(tmp_path: Path, monkeypatch: MP) -> None:
    """The rerun cannot see the issues the interrupted run made through search: what it made
    is found by key (the intent recorded before each create), never made twice."""
    modes = ("kill-before", "kill-after", "drop")
    _matrix(tmp_path, monkeypatch, "lag-push-first", [], lambda b: push(b, v1()), modes=modes, lag=10**6)
    # calls 4-7 are the epic's and the three chunks' bulk creates (1-3: serverInfo, field,
    # the search that finds nothing)
    _matrix(
        tmp_path,
        monkeypatch,
        "lag-push-105",
        [],
        lambda b: push(b, plan(chain(105))),
        ks=lambda total: [4, 5, 6, 7],
        modes=("kill-after", "drop"),
        lag=10**6,
    )


# -- storms, bursts and people ---------------------------------------------------------------


def _reference(tmp: Path, monkeypatch: pytest.MonkeyPatch, steps: list[Step]) -> tuple[Any, Any]:
    with fault_bed(tmp / "reference", monkeypatch) as bed:
        for s in steps:
            assert run_killable(lambda: s(bed)) == "ok"  # noqa: B023
        return _state(bed)


def test_429_storms_with_retry_after_seconds_and_http_date(tmp_path: Path, monkeypatch: MP) -> None:
    want = _reference(tmp_path, monkeypatch, [lambda b: push(b, v1()), lambda b: publish(b, v1())])
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    with fault_bed(tmp_path / "storm", monkeypatch) as bed:
        for path in (r"^serverInfo$", r"^search/jql$", r"^issue/bulk$", r"^issueLink$"):
            method = "GET" if path in (r"^serverInfo$", r"^search/jql$") else "POST"
            bed.jira.fail(method, path, 429, times=2, headers={"Retry-After": "7"})
            bed.jira.fail(method, path, 429, times=1, headers={"Retry-After": later})
        bed.sheets.fail_next("get", 429, times=2, headers={"Retry-After": "5"})
        bed.sheets.fail_next("batchUpdate", 429, times=2, headers={"Retry-After": later})
        assert run_killable(lambda: push(bed, v1())) == "ok"
        assert run_killable(lambda: publish(bed, v1())) == "ok"
        assert _state(bed) == want
        # one policy for both: Retry-After is waited exactly (never sooner, no jitter on top)
        assert sum(1 for s in bed.sleeps if s == 7) == 8
        assert sum(1 for s in bed.sleeps if 25 <= s <= 30) == 4 + 2  # the date, ~30 s
        assert sum(1 for s in bed.sleeps if s == 5) == 2
        assert len(bed.sleeps) == 8 + 6 + 2
        COUNTS["faults injected"] += 16
        COUNTS["runs"] += 2


def test_5xx_bursts_and_a_storm_beyond_the_retries(tmp_path: Path, monkeypatch: MP) -> None:
    want = _reference(tmp_path, monkeypatch, [lambda b: push(b, v1()), lambda b: publish(b, v1())])
    with fault_bed(tmp_path / "burst", monkeypatch) as bed:
        bed.jira.fail("GET", r"^search/jql$", 503, times=3)
        bed.jira.fail("POST", r"^issueLink$", 503, times=4, skip=2)  # within 4 retries
        bed.sheets.fail_next("batchUpdate", 503, times=3)
        assert run_killable(lambda: push(bed, v1())) == "ok"
        assert run_killable(lambda: publish(bed, v1())) == "ok"
        assert _state(bed) == want
    with fault_bed(tmp_path / "beyond", monkeypatch) as bed:
        bed.jira.fail("POST", r"^issueLink$", 503, times=5, skip=3)  # one link never lands
        bed.sheets.fail_next("batchUpdate", 500, times=9)
        first = run_killable(lambda: push(bed, v1()))
        assert first.startswith("partial") or first.startswith("error")
        assert run_killable(lambda: publish(bed, v1())).startswith("error: Google Sheets")
        assert run_killable(lambda: push(bed, v1())) == "ok"
        assert run_killable(lambda: publish(bed, v1())) == "ok"
        assert _state(bed) == want
    COUNTS["faults injected"] += 3 + 4 + 3 + 5 + 9
    COUNTS["runs"] += 6


def test_spreadsheet_deleted_between_runs(tmp_path: Path, monkeypatch: MP) -> None:
    want = _reference(tmp_path, monkeypatch, [lambda b: publish(b, v2())])
    with fault_bed(tmp_path / "deleted", monkeypatch) as bed:
        assert run_killable(lambda: publish(bed, v1())) == "ok"
        del bed.sheets.spreadsheets[SPREADSHEET_ID]
        out = run_killable(lambda: publish(bed, v2()))
        assert out == f"error: Google Sheets: spreadsheet {SPREADSHEET_ID} not found (404)"
        bed.sheets.create_spreadsheet(SPREADSHEET_ID)  # the person makes it again (empty)
        assert run_killable(lambda: publish(bed, v2())) == "ok"
        assert bed.sheets.titles(SPREADSHEET_ID) == ["Sheet1", *SIX]
        assert _state(bed)[1] == want[1]
    COUNTS["faults injected"] += 1
    COUNTS["runs"] += 3


def test_deleted_issue_is_made_again_and_removed_link_added_again(tmp_path: Path, monkeypatch: MP) -> None:
    want = _reference(tmp_path, monkeypatch, [lambda b: push(b, v1())])
    with fault_bed(tmp_path / "people", monkeypatch) as bed:
        assert run_killable(lambda: push(bed, v1())) == "ok"
        bed.jira.delete_issue(bed.jira.key_of(PID, "t0003"))  # its 4 links go with it
        a, b = bed.jira.key_of(PID, "t0000"), bed.jira.key_of(PID, "t0001")
        lid = next(i for i, v in bed.jira.links.items() if v == ("Blocks", a, b))
        del bed.jira.links[lid]
        foreign = bed.jira.link(a, bed.jira.key_of(PID, "t0004"), "Relates")
        n = bed.calls()
        assert run_killable(lambda: push(bed, v1())) == "ok"
        writes = bed.jira.writes()
        assert [c.path for c in writes[-6:]].count("issueLink") == 5  # 4 + the removed one
        assert bed.calls() > n
        del bed.jira.links[foreign]  # the person's own link was left alone; drop it to compare
        assert _state(bed)[0] == want[0]
        n = len(bed.jira.calls)
        assert run_killable(lambda: push(bed, v1())) == "ok"
        assert [c for c in bed.jira.calls[n:] if c.write] == []
    COUNTS["faults injected"] += 2
    COUNTS["runs"] += 3


def test_issue_moved_to_another_project_keeps_its_task(tmp_path: Path, monkeypatch: MP) -> None:
    want = _reference(tmp_path, monkeypatch, [lambda b: push(b, v1()), lambda b: push(b, v2())])
    with fault_bed(tmp_path / "moved", monkeypatch) as bed:
        assert run_killable(lambda: push(bed, v1())) == "ok"
        old = bed.jira.key_of(PID, "t0003")
        new = bed.jira.move_to_project(old, "OPS")
        assert run_killable(lambda: push(bed, v2())) == "ok"
        with State.open(bed.cfg.state_path()) as st:
            assert st.issues(PID)["t0003"].issue_key == new  # the state follows the move
        got = _state(bed)[0]
        assert got["issues"]["t0003"]["project"] == "OPS"
        got["issues"]["t0003"]["project"] = "NOTIF"
        assert got == want[0]
        n = len(bed.jira.calls)
        assert run_killable(lambda: push(bed, v2())) == "ok"
        assert [c for c in bed.jira.calls[n:] if c.write] == []  # nothing re-linked each run
        assert run_killable(lambda: sync(bed, v2())) == "ok"
    COUNTS["faults injected"] += 1
    COUNTS["runs"] += 4
