"""SIGINT/SIGTERM during push, publish and sync: the batch in flight is finished and recorded,
the run stops with exit 130/143 and a note of what is done and left, and the next run finishes.

In-process tests signal the test process itself while a call is in flight; the end-to-end tests
run `python -m syncsvc` in a subprocess against the fake Jira on a loopback port (slowed down so
the signal lands mid-run) and send it a real SIGTERM or SIGINT.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from fakes.fake_jira import FakeJira
from fakes.faultbed import Bed, fault_bed, jira_state
from fakes.jira_env import chain, plan
from fakes.jira_server import serve
from fakes.sheets import SIX, SPREADSHEET_ID

from syncsvc import signals
from syncsvc.errors import Interrupted
from syncsvc.jira.push import PushReport, push_plan
from syncsvc.model import Plan
from syncsvc.sheets.publish import publish_plan
from syncsvc.state import State
from syncsvc.tracking import SyncReport, run_sync

MP = pytest.MonkeyPatch
PID = "notif-center"
TOKEN_ENV = "SYNCSVC_SIGNAL_TEST_TOKEN"


# -- the handler ---------------------------------------------------------------------------------


def test_a_signal_is_held_until_the_next_checkpoint() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Interrupted) as e, signals.deferred_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        assert signals.pending() == signal.SIGTERM  # nothing raised yet: the batch goes on
        signals.checkpoint(lambda: "3 of 5 done")
    assert e.value.exit_code == 143 and "SIGTERM received: 3 of 5 done" in e.value.message
    assert signal.getsignal(signal.SIGTERM) == before and signals.pending() is None


def test_a_signal_after_the_last_batch_still_exits_with_its_code() -> None:
    with pytest.raises(Interrupted) as e, signals.deferred_signals():
        os.kill(os.getpid(), signal.SIGINT)
    assert e.value.exit_code == 130 and "nothing is left" in e.value.message


def test_a_second_signal_stops_at_once() -> None:
    with pytest.raises(Interrupted) as e, signals.deferred_signals():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("not reached")
    assert e.value.exit_code == 143 and "second SIGTERM" in e.value.message


# -- in process: push, publish, sync ------------------------------------------------------------


def _push(bed: Bed, p: Plan) -> PushReport:
    return push_plan(p, bed.cfg, dry_run=False)


def test_push_signalled_during_a_create_chunk_finishes_it_then_stops(tmp_path: Path, monkeypatch: MP) -> None:
    p = plan(chain(130))  # epic, chunks of 50, 50, 30; 129 links
    # calls: serverInfo, field, search, epic, chunk 1, chunk 2 <- SIGINT while in flight
    with fault_bed(tmp_path, monkeypatch, k=6, mode="SIGINT") as bed:
        with pytest.raises(Interrupted) as e:
            _push(bed, p)
        assert e.value.exit_code == 130
        assert "created 101" in e.value.message and "Left: 30 creates, 129 links" in e.value.message
        assert len(bed.jira.issues) == 101 and bed.jira.links == {}
        with State.open(bed.cfg.state_path()) as st:
            assert len(st.issues(PID)) == 101  # the chunk in flight was recorded
            assert st.latest_baseline(PID) is not None
        n = len(bed.jira.calls)
        r = _push(bed, p)
        assert r.status == "success" and len(r.created) == 30 and r.linked == 129
        assert [c.path for c in bed.jira.calls[n:] if c.write].count("issue/bulk") == 1
        jira_state(bed.jira)  # no duplicate issue or link
        assert len(bed.jira.issues) == 131 and len(bed.jira.blocks()) == 129


def test_push_signalled_during_the_links_records_the_links_made(tmp_path: Path, monkeypatch: MP) -> None:
    p = plan(chain(8, fan=2))  # 13 links; call 5 is the bulk create, 6.. the links
    with fault_bed(tmp_path, monkeypatch, k=9, mode="SIGTERM") as bed:
        with pytest.raises(Interrupted) as e:
            _push(bed, p)
        assert e.value.exit_code == 143 and "linked 4" in e.value.message
        assert "Left: 9 links" in e.value.message
        with State.open(bed.cfg.state_path()) as st:
            assert len(st.links(PID)) == 4
        n = len(bed.jira.calls)
        r = _push(bed, p)
        assert r.status == "success" and r.created == [] and r.linked == 9
        assert len([c for c in bed.jira.calls[n:] if c.write]) == 9
        assert len(bed.jira.blocks()) == 13


def test_publish_signalled_during_the_read_writes_nothing(tmp_path: Path, monkeypatch: MP) -> None:
    p = plan(chain(5))
    now = dt.datetime(2027, 1, 4, 9, 30)
    with fault_bed(tmp_path, monkeypatch, k=1, mode="SIGTERM") as bed:

        def publish() -> object:
            return publish_plan(p, bed.cfg, dry_run=False, client_factory=bed.sheets_factory(), now=now)

        with pytest.raises(Interrupted) as e:
            publish()
        assert e.value.exit_code == 143 and "0 of 1 applied" in e.value.message
        assert bed.sheets.titles(SPREADSHEET_ID) == ["Sheet1"]
        assert bed.sheets.api_calls("batchUpdate") == 0
        publish()
        assert bed.sheets.titles(SPREADSHEET_ID) == ["Sheet1", *SIX]


def test_sync_signalled_in_the_first_plan_names_the_plans_not_started(
    tmp_path: Path, monkeypatch: MP
) -> None:
    plans = {Path("a.toml"): plan(chain(4), "plan-a"), Path("b.toml"): plan(chain(3), "plan-b")}
    with fault_bed(tmp_path, monkeypatch, k=5, mode="SIGINT") as bed:

        def cfg_run() -> SyncReport:
            return run_sync(
                list(plans),
                bed.cfg,
                as_of=dt.date(2027, 1, 8),
                dry_run=False,
                load=lambda s: (plans[s], {}, None),
                sheets_factory=bed.sheets_factory(),
            )

        with pytest.raises(Interrupted) as e:
            cfg_run()
        msg = e.value.message
        assert e.value.exit_code == 130
        assert "Plans synced: none; not started: b.toml" in msg and "plan-a: SIGINT" in msg
        assert {i["properties"]["syncsvc"]["plan_id"] for i in bed.jira.issues.values()} == {"plan-a"}
        report = cfg_run()
        assert [r.ok for r in report.runs] == [True, True]
        state = jira_state(bed.jira)
        assert len(state["issues"]) == 4 + 3 + 2 and len(state["links"]) == 3 + 2


# -- end to end: a real signal to a real process ---------------------------------------------


def _config(tmp: Path, url: str, retries: int = 1) -> Path:
    p = tmp / "syncsvc.toml"
    p.write_text(
        f'[jira]\nurl = "{url}"\nemail = "pm@example.com"\ntoken_env = "{TOKEN_ENV}"\n'
        f'project = "NOTIF"\nmax_retries = {retries}\n\n[state]\npath = "state.db"\n'
    )
    return p


def _start(command: str, config: Path, token: str) -> subprocess.Popen[str]:
    env = {**os.environ, TOKEN_ENV: token, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "syncsvc", command, str(EXAMPLE), "--config", str(config)],
        cwd=config.parent,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(fake: FakeJira, what: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not what():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.01)


def _links_done(fake: FakeJira) -> int:
    return sum(1 for c in list(fake.calls) if c.path == "issueLink" and c.status == 201)


@pytest.mark.parametrize(
    ("command", "sig", "code"), [("push", signal.SIGTERM, 143), ("sync", signal.SIGINT, 130)]
)
def test_a_signalled_cli_run_exits_with_a_note_and_the_next_run_finishes(
    tmp_path: Path, command: str, sig: int, code: int, plan_of: Callable[[str], Plan]
) -> None:
    example = plan_of(EXAMPLE.read_text())
    links = sum(len(t.depends_on) for t in example.tasks)
    with serve(delay=0.05) as fake:
        config = _config(tmp_path, fake.base)
        proc = _start(command, config, fake.token)
        _wait_for(fake, lambda: _links_done(fake) >= 3, proc)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == code, err
        assert "Interrupted:" in err and "Traceback" not in err
        assert signal.Signals(sig).name in err and "Left:" in err and " links" in err
        assert fake.token not in err + out
        made = _links_done(fake)
        assert 3 <= made < links  # stopped mid-way
        with State.open(tmp_path / "state.db") as st:
            assert len(st.links(PID)) == made  # every link made is recorded
            assert st.latest_baseline(PID) is not None
        proc = _start(command, config, fake.token)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        state = jira_state(fake)  # no duplicate issue or link
        assert len(state["issues"]) == len(example.tasks) + 1 and len(state["links"]) == links
        assert fake.violations == []


def test_a_push_killed_mid_run_is_finished_and_baselined_by_the_next(tmp_path: Path) -> None:
    """SIGKILL: no handler, no `finally`; the issues were made and recorded, the baseline not."""
    with serve(delay=0.05) as fake:
        config = _config(tmp_path, fake.base)
        proc = _start("push", config, fake.token)
        _wait_for(fake, lambda: _links_done(fake) >= 2, proc)
        proc.kill()
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        with State.open(tmp_path / "state.db") as st:
            assert st.issues(PID) and st.latest_baseline(PID) is None
        n = len(fake.calls)
        proc = _start("push", config, fake.token)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "created 0" in out  # everything was made before the kill
        assert [c.path for c in fake.calls[n:] if c.write].count("issue/bulk") == 0
        jira_state(fake)  # no duplicate issue or link
        with State.open(tmp_path / "state.db") as st:
            assert st.latest_baseline(PID) is not None  # so pull and sync can start


def test_from_outside_lost_answers_429s_and_a_signal_leave_no_duplicate(
    tmp_path: Path, plan_of: Callable[[str], Plan]
) -> None:
    """A separate process against the fault-injecting loopback Jira: the create's answer lost
    after the work, 429s (Retry-After as seconds and as a past HTTP date), a 503 on the search,
    SIGTERM in the middle of the links; then a clean rerun."""
    example = plan_of(EXAMPLE.read_text())
    links = sum(len(t.depends_on) for t in example.tasks)
    past = "Wed, 21 Oct 2015 07:28:00 GMT"
    with serve(delay=0.03) as fake:
        fake.fail("GET", r"^search/jql$", 503)
        fake.drop("POST", r"^issue/bulk$", skip=1)  # the tasks' chunk: made, answer lost
        fake.fail("POST", r"^issueLink$", 429, times=2, headers={"Retry-After": "0"})
        fake.fail("POST", r"^issueLink$", 429, times=1, skip=1, headers={"Retry-After": past})
        config = _config(tmp_path, fake.base, retries=4)
        proc = _start("push", config, fake.token)
        _wait_for(fake, lambda: _links_done(fake) >= 4, proc)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 143, err
        assert "created 14" in err and fake.token not in out + err
        proc = _start("push", config, fake.token)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        state = jira_state(fake)  # no duplicate issue or link, no lost task
        assert len(state["issues"]) == len(example.tasks) + 1 and len(state["links"]) == links
        assert [c.path for c in fake.calls if c.write].count("issue/bulk") == 2  # never re-sent
        assert fake.violations == []
