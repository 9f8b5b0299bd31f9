"""Push under a bad day (issue 16 items 1-4, issue 14 items 1 and 13): plan identity, the lock,
kills during a bulk create under search lag, edited properties, a deleted epic, a lost state."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.faultbed import fault_bed, jira_state, run_killable
from fakes.jira_env import JiraEnv, chain, config, jira_env, plan, task

from syncsvc.errors import InputError, LockHeldError
from syncsvc.jira import keep
from syncsvc.jira.push import push_plan
from syncsvc.model import Plan
from syncsvc.state import Baseline, State
from syncsvc.tracking import run_sync, sync_lock

PID = "notif-center"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[JiraEnv]:
    with jira_env(tmp_path, monkeypatch) as e:
        yield e


def three() -> list[Any]:
    return [
        task("design", critical=True, owner="Priya"),
        task("backend-api", deps=("design",), start=2, days=5, critical=True, risk="high"),
        task("qa", deps=("backend-api",), start=7, owner=None),
    ]


def renamed(p: Plan, name: str) -> Plan:
    return p.model_copy(update={"feature_name": name})


def epics(env: JiraEnv) -> list[dict[str, Any]]:
    return [i for i in env.fake.issues.values() if i["fields"]["issuetype"]["name"] == "Epic"]


# -- item 16.3: killed during a bulk create, rerun while search cannot see young issues -----------


def _bulk_calls(tmp: Path, monkeypatch: pytest.MonkeyPatch, p: Plan) -> list[int]:
    """The call numbers (1-based, as the injector counts) of every bulk create of a first push."""
    with fault_bed(tmp / "ref", monkeypatch) as bed:
        push_plan(p, bed.cfg, dry_run=False)
        return [n for n, c in enumerate(bed.jira.calls, 1) if c.path == "issue/bulk"]


@pytest.mark.parametrize("mode", ["kill-after", "drop"])
def test_killed_bulk_create_rerun_under_search_lag_creates_no_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    p = plan(chain(80))
    ks = _bulk_calls(tmp_path, monkeypatch, p)
    assert len(ks) == 3  # the epic, then 2 chunks of <= 50
    for k in ks:
        with fault_bed(tmp_path / f"{mode}-{k}", monkeypatch, k=k, mode=mode) as bed:
            bed.jira.search_lag = 10**6  # search sees no issue made in this test
            first = run_killable(lambda: push_plan(p, bed.cfg, dry_run=False))  # noqa: B023
            bed.inj.k = 0
            again = run_killable(lambda: push_plan(p, bed.cfg, dry_run=False))  # noqa: B023
            assert again == "ok", f"k={k} {mode}: first {first}; rerun {again}"
            issues = jira_state(bed.jira)["issues"]  # raises on two issues for one task
            assert len(issues) == 81, f"k={k} {mode}: {len(issues)} issues"
            assert len(bed.jira.blocks()) == 79
            with State.open(bed.cfg.state_path()) as st:
                assert st.pending(PID) == {} and len(st.issues(PID)) == 81
            # what the lost create made was read by key, never looked for by search
            reads = [c for c in bed.jira.calls if c.path == "issue/bulkfetch"]
            assert reads, f"k={k} {mode}"


def test_create_intent_is_recorded_before_the_create(env: JiraEnv) -> None:
    seen: list[dict[str, Any]] = []
    real = env.fake._bulk

    def spy(body: dict[str, Any]) -> Any:
        with State.open(env.cfg.state_path()) as st:
            seen.append(st.pending(PID))
        return real(body)

    env.fake._bulk = spy  # type: ignore[method-assign]
    env.push(plan(chain(60)))
    assert seen[0] == {"#epic": ("NOTIF", None)}  # nothing known in the project yet
    assert set(seen[1]) == {f"t{i:04d}" for i in range(50)}
    assert {v for v in seen[1].values()} == {("NOTIF", 1)}  # above the epic's number
    with State.open(env.cfg.state_path()) as st:
        assert st.pending(PID) == {}


# -- item 16.2: one writer at a time; state check finds issues it does not know -----------------


def test_push_takes_the_sync_lock(env: JiraEnv) -> None:
    with sync_lock(env.cfg.state_path()):
        with pytest.raises(LockHeldError) as e:
            env.push(plan(three()))
        assert e.value.exit_code == 75
        assert env.fake.calls == []  # exits at once, before any call
        assert env.push(plan(three()), dry_run=True).status == "success"  # reads only
    assert env.fake.writes() == []
    assert env.push(plan(three())).status == "success"


def sync_three(env: JiraEnv) -> None:
    """A sync of the three-task plan as of 2027-01-05, which must not fail."""
    report = run_sync(
        [Path("s.toml")],
        env.cfg,
        as_of=dt.date(2027, 1, 5),
        dry_run=False,
        load=lambda _: (plan(three()), {}, None),
    )
    assert report.failed == [], report.failed[0].error


def test_sync_holding_the_lock_pushes(env: JiraEnv) -> None:
    env.push(plan(three()))
    sync_three(env)


# -- item 16.1: plan identity -----------------------------------------------------------------


def test_another_feature_under_the_same_plan_id_is_refused_by_the_state(env: JiraEnv) -> None:
    env.push(plan(three()))
    n = len(env.fake.writes())
    with pytest.raises(InputError) as e:
        env.push(renamed(plan(three()), "C# SDK"))
    msg = str(e.value)
    assert "plan_id 'notif-center' belongs to the feature 'In-App Notifications Center'" in msg
    assert "'C# SDK'" in msg and "own plan_id" in msg and "syncsvc baseline" in msg
    assert e.value.exit_code == 2 and len(env.fake.writes()) == n


def test_another_feature_under_the_same_plan_id_is_refused_by_jira(env: JiraEnv, tmp_path: Path) -> None:
    env.push(plan(three()))
    n = len(env.fake.writes())
    other = config(tmp_path / "other", env.fake.base)  # another machine: its own state file
    with pytest.raises(InputError) as e:
        push_plan(renamed(plan(three()), "C# SDK"), other, dry_run=False)
    assert "belongs to the feature 'In-App Notifications Center'" in str(e.value)
    assert len(env.fake.writes()) == n


def test_a_rename_recorded_as_a_baseline_is_pushed(env: JiraEnv) -> None:
    env.push(plan(three()))
    new = renamed(plan(three()), "Notifications Hub")
    with State.open(env.cfg.state_path()) as st:
        st.add_baseline(PID, json.loads(new.model_dump_json()), recorded_at="t", note="rename")
    r = env.push(new)
    assert r.status == "success"
    (epic,) = epics(env)
    assert epic["fields"]["summary"] == "Notifications Hub"
    assert epic["properties"]["syncsvc"]["feature_name"] == "Notifications Hub"
    assert len(epic["properties"]["syncsvc"]["baselines"]) == 2


def test_remote_commands_need_plan_id_and_start_date(runner: Any, tmp_path: Path) -> None:
    from syncsvc.cli import app

    spec = tmp_path / "c-sdk.toml"
    spec.write_text(
        'feature_name = "C++ SDK"\ndescription = "d"\nteam_size = 2\n'
        'timeline = "4 weeks"\nrisk_tolerance = "low"\n'
    )
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[jira]\nurl = "https://x.atlassian.net"\nemail = "a@b.c"\n'
        'token_env = "SYNCSVC_TEST_UNSET_TOKEN"\nproject = "XX"\n'
        '[state]\npath = "state.db"\n'
    )
    for cmd in (["push"], ["pull"], ["baseline", "--note", "x"], ["sync"]):
        if cmd == ["sync"]:  # the commands of one plan write nothing (sync opens its state)
            assert not (tmp_path / "state.db").exists()
        r = runner.invoke(app, [*cmd, str(spec), "--config", str(cfg)], env={"SYNCSVC_TEST_UNSET_TOKEN": "t"})
        assert r.exit_code == 2, (cmd, r.output)
        assert "plan_id and start_date missing" in r.stderr, (cmd, r.stderr)
        assert 'plan_id = "c-sdk"' in r.stderr and "start_date = 20" in r.stderr
    spec.write_text(spec.read_text() + 'plan_id = "cpp-sdk"\n')
    r = runner.invoke(app, ["push", str(spec), "--config", str(cfg)], env={"SYNCSVC_TEST_UNSET_TOKEN": "t"})
    assert r.exit_code == 2 and "start_date missing" in r.stderr
    assert "plan_id" not in r.stderr.split("missing")[0]


# -- item 16.4: an edited syncsvc property -----------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [{"plan_id": PID, "task_id": "backend-api"}, {"plan_id": "other-plan", "task_id": "qa"}, "garbage"],
)
def test_an_edited_property_is_put_back_never_forked(env: JiraEnv, said: Any) -> None:
    env.push(plan(three()))
    qa, api = env.fake.key_of(PID, "qa"), env.fake.key_of(PID, "backend-api")
    env.fake.move(qa, "In Progress", dt.datetime(2027, 1, 5, 10))  # history worth keeping
    env.fake.issues[qa]["properties"]["syncsvc"] = said
    n_issues, n = len(env.fake.issues), len(env.fake.calls)
    dry = env.push(plan(three()), dry_run=True)
    assert f"restore the syncsvc property of {qa}: task qa" in " ".join(dry.changes)
    assert [c for c in env.fake.calls[n:] if c.write] == []
    r = env.push(plan(three()))
    assert r.status == "success" and r.created == []
    assert len(env.fake.issues) == n_issues
    assert env.fake.key_of(PID, "qa") == qa and env.fake.key_of(PID, "backend-api") == api
    n = len(env.fake.calls)
    assert env.push(plan(three())).status == "success"
    assert [c for c in env.fake.calls[n:] if c.write] == []


# -- issue 14 item 1: a deleted epic -----------------------------------------------------------


@pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "server"])
def test_a_deleted_epic_is_created_again_and_never_reaches_jql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cloud: bool
) -> None:
    kw: dict[str, Any] = {} if cloud else {"cloud": False, "email": None}
    with jira_env(tmp_path, monkeypatch, **kw) as env:
        env.push(plan(three()))
        (old,) = epics(env)
        env.fake.delete_issue(old["key"])
        design = env.fake.key_of(PID, "design")
        env.fake.delete_issue(design)  # a task to re-create: it must not get the dead parent
        n = len(env.fake.calls)
        r = env.push(plan(three()))
        assert r.status == "success", r.error
        (new,) = epics(env)
        assert new["key"] != old["key"]
        link = "parent" if cloud else "customfield_10014"
        for tid in ("design", "backend-api", "qa"):
            f = env.fake.by_task(PID, tid)[0]["fields"]
            assert (f[link]["key"] if cloud else f[link]) == new["key"], tid
        jql = [p for c in env.fake.calls[n:] for p in c.params.get("jql", [])]
        assert jql and not any(old["key"] in q for q in jql)
        assert new["properties"]["syncsvc"]["baselines"]  # the baselines kept on the new epic


def test_a_deleted_epic_during_sync(env: JiraEnv) -> None:
    env.push(plan(three()))
    (old,) = epics(env)
    env.fake.delete_issue(old["key"])
    for _ in range(2):
        sync_three(env)
    assert len(epics(env)) == 1 and epics(env)[0]["key"] != old["key"]


# -- issue 14 item 13: a lost state file rebuilt with the original baselines -------------------


def test_a_lost_state_is_rebuilt_with_the_original_baselines(env: JiraEnv) -> None:
    first = plan(three())
    env.push(first)
    with State.open(env.cfg.state_path()) as st:
        original = st.baselines(PID)
    later = plan([*three(), task("docs", deps=("qa",), start=9)])
    with State.open(env.cfg.state_path()) as st:  # `syncsvc baseline`: a scope change
        st.add_baseline(
            PID, json.loads(later.model_dump_json()), recorded_at="2027-01-06T08:00", note="scope v2"
        )
        original = st.baselines(PID)
    r = env.push(later)  # keeps the new baseline on the epic
    assert r.status == "success"
    writes = [c for c in env.fake.writes() if "/properties/" in c.path]
    assert writes  # the new baseline's chunk and the index
    n = len(env.fake.calls)
    assert env.push(later).status == "success"
    assert [c for c in env.fake.calls[n:] if c.write] == []  # kept once, not every run
    env.cfg.state_path().unlink()  # an ephemeral runner lost its cache
    shifted = plan([*three(), task("docs", deps=("qa",), start=12)])  # today's plan moved
    r = env.push(shifted)
    assert r.status == "success" and r.created == [] and not r.baseline_recorded
    with State.open(env.cfg.state_path()) as st:
        rebuilt = st.baselines(PID)
    assert [(b.recorded_at, b.note, b.plan_json) for b in rebuilt] == [
        (b.recorded_at, b.note, b.plan_json) for b in original
    ]


def test_baselines_bigger_than_one_property_round_trip() -> None:
    big = {
        **json.loads(plan(chain(50)).model_dump_json()),
        "description": random.Random(4).randbytes(60_000).hex(),
    }  # compresses badly
    bs = [
        Baseline(0, PID, "2027-01-04T09:00:00+00:00", "first push", big),
        Baseline(0, PID, "2027-02-01T09:00:00+00:00", "v2", {"feature_name": "x"}),
    ]
    index, chunks = keep.to_store(bs, [])
    assert index[0]["parts"] > 1 and all(len(json.dumps(v)) <= 32768 for _, v in chunks)
    store = dict(chunks)
    back = keep.restore(index, store.get, PID)
    assert [(b.recorded_at, b.note, b.plan_json) for b in back] == [
        (b.recorded_at, b.note, b.plan_json) for b in bs
    ]
    assert keep.to_store(bs, index)[1] == []  # nothing to write again
    store[keep.chunk_key(1, 2)] = {"data": "damaged"}
    assert keep.restore(index, store.get, PID) == []  # a damaged chunk is never half-read


def test_a_lost_state_keeps_a_persons_edit_as_the_state_would(env: JiraEnv) -> None:
    env.push(plan(three()))
    design = env.fake.key_of(PID, "design")
    env.fake.issues[design]["fields"]["summary"] = "Design (owned by UX)"  # a person's edit
    env.cfg.state_path().unlink()
    n = len(env.fake.calls)
    r = env.push(plan(three()))
    assert r.status == "success" and r.updated == [] and r.created == []
    assert [c for c in env.fake.calls[n:] if c.write] == []
    assert env.fake.issues[design]["fields"]["summary"] == "Design (owned by UX)"
    moved = [task("design", critical=True, owner="Priya", days=3), *three()[1:]]
    r = env.push(plan(moved))  # the plan changed the task: its values are pushed again
    assert r.updated == [design] and env.fake.issues[design]["fields"]["duedate"] == "2027-01-06"


def test_an_epic_moved_to_another_project_is_followed(env: JiraEnv) -> None:
    env.push(plan(three()))
    (epic,) = epics(env)
    new = env.fake.move_to_project(epic["key"], "OPS")
    r = env.push(plan(three()))
    assert r.status == "success" and r.created == []
    n = len(env.fake.calls)
    assert env.push(plan(three())).status == "success"
    assert [c for c in env.fake.calls[n:] if c.write] == []  # settled: no write every run
    assert env.fake.by_task(PID, "qa")[0]["fields"]["parent"]["key"] == new
    with State.open(env.cfg.state_path()) as st:
        assert st.issues(PID)["#epic"].issue_key == new  # JQL and reads use the live key
    env.push(plan([*three(), task("docs", deps=("qa",), start=9)]))
    (create,) = [c for c in env.fake.calls if c.path == "issue/bulk"][-1:]
    assert create.body["issueUpdates"][0]["fields"]["parent"] == {"key": new}


def test_a_dead_parent_refused_once_then_the_epic_is_made_again(env: JiraEnv) -> None:
    env.push(plan(three()))
    (old,) = epics(env)
    del env.fake.issues[old["key"]]  # gone, while its children still show it (a stale view)
    grown = plan([*three(), task("docs", deps=("qa",), start=9)])
    r = env.push(grown)
    assert r.status == "error" and "create docs: parent:" in " ".join(r.failed)
    assert f"the epic {old['key']} no longer exists in Jira; the next push creates it" in (r.error or "")
    r = env.push(grown)
    assert r.status == "success", r.error
    (new,) = epics(env)
    assert env.fake.by_task(PID, "docs")[0]["fields"]["parent"]["key"] == new["key"]
    jql = [q for c in env.fake.calls for q in c.params.get("jql", [])]
    assert not any(old["key"] in q for q in jql)


def test_the_epic_is_left_out_of_the_search_by_a_label_not_by_key(env: JiraEnv) -> None:
    env.push(plan(three()))
    (epic,) = epics(env)
    assert "syncsvc_epic" in epic["fields"]["labels"]
    n = len(env.fake.calls)
    env.push(plan(three()))
    (search,) = [c for c in env.fake.calls[n:] if c.path == "search/jql"]
    assert search.params["jql"] == [
        'project = "NOTIF" AND labels = "syncsvc-notif-center" AND labels != "syncsvc_epic" ORDER BY key ASC'
    ]
    # one page: the site facts are cached in the state, and the epic is not read
    assert len(env.fake.calls[n:]) == 1


def test_a_refused_search_blames_the_project_only_when_it_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syncsvc.errors import RemoteError

    with jira_env(tmp_path / "a", monkeypatch) as env:
        env.fake.fail("GET", r"^search/jql$", 400)
        with pytest.raises(RemoteError) as e:
            env.push(plan(three()))
        assert "[jira] project" not in f"{e.value} {e.value.hint}"
        assert "project NOTIF has the issue types" in str(e.value)
    with jira_env(tmp_path / "b", monkeypatch, project="NOPE") as env:
        with pytest.raises(RemoteError) as e:
            env.push(plan(three()))
        assert "[jira] project" in (e.value.hint or "") and "NOPE does not exist" in str(e.value)


def test_a_create_jira_refused_leaves_no_intent(env: JiraEnv) -> None:
    env.fake.fail("POST", r"^issue/bulk$", 503, skip=1, times=50)  # the tasks: always busy
    r = env.push(plan(three()))
    assert r.status == "partial" and "kept answering 503" in (r.error or "")
    with State.open(env.cfg.state_path()) as st:
        assert st.pending(PID) == {}  # Jira answered: nothing was made, nothing to look for
    env.fake.faults.clear()
    n = len(env.fake.calls)
    assert env.push(plan(three())).status == "success"
    assert not [c for c in env.fake.calls[n:] if c.path == "issue/bulkfetch"]


def test_push_cli_exits_75_while_a_sync_holds_the_lock(
    runner: Any, example_path: Path, tmp_path: Path
) -> None:
    from syncsvc.cli import app

    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[jira]\nurl = "https://x.atlassian.net"\nemail = "a@b.c"\n'
        'token_env = "SYNCSVC_TEST_LOCK_TOKEN"\nproject = "NOTIF"\n'
        '[state]\npath = "state.db"\n'
    )
    with sync_lock(tmp_path / "state.db"):
        r = runner.invoke(
            app, ["push", str(example_path), "--config", str(cfg)], env={"SYNCSVC_TEST_LOCK_TOKEN": "t"}
        )
    assert r.exit_code == 75, r.output
    assert "holds the lock" in r.stderr and "Traceback" not in r.output


def test_a_sync_after_a_lost_state_keeps_the_original_baseline(env: JiraEnv) -> None:
    first = plan(three())
    env.push(first)
    with State.open(env.cfg.state_path()) as st:
        original = st.baselines(PID)
    env.cfg.state_path().unlink()
    later = plan([*three(), task("docs", deps=("qa",), start=9)])
    for _ in range(2):
        report = run_sync(
            [Path("s.toml")],
            env.cfg,
            as_of=dt.date(2027, 1, 5),
            dry_run=False,
            load=lambda _: (later, {}, None),
        )
        assert report.failed == [], report.failed[0].error
    with State.open(env.cfg.state_path()) as st:
        assert [(b.recorded_at, b.plan_json) for b in st.baselines(PID)] == [
            (b.recorded_at, b.plan_json) for b in original
        ]
    assert report.runs[0].slip_days is not None  # the second run forecast against it


@pytest.mark.parametrize(
    "index",
    [
        [{"n": "x", "parts": 1, "sha": "0"}],
        [{"n": 1, "parts": "many"}],
        ["text", 3, None],
        [{"n": 1, "parts": 1, "sha": "", "recorded_at": "t"}],
        [{}],
    ],
)
def test_a_damaged_baseline_index_restores_nothing_and_never_crashes(index: list[Any]) -> None:
    store = {keep.chunk_key(1, 1): {"data": "not base64!"}}
    assert keep.restore(index, store.get, PID) == []
    entries, chunks = keep.to_store([Baseline(0, PID, "t", "n", {"a": 1})], index)
    assert len(entries) == 1 and chunks  # the damaged entry is written again


def test_a_second_issue_for_a_task_is_labelled_removed_not_only_warned(env: JiraEnv) -> None:
    env.push(plan(three()))
    qa = env.fake.key_of(PID, "qa")
    dup = env.fake._new_issue(
        "NOTIF",
        "Task",
        {  # what a second run at once made
            "summary": "Qa",
            "labels": ["syncsvc", f"syncsvc-{PID}"],
        },
        [{"key": "syncsvc", "value": {"plan_id": PID, "task_id": "qa"}}],
    )["key"]
    r = env.push(plan(three()))
    assert r.status == "success" and r.removed_labelled == [dup]
    assert f"label {dup} syncsvc-removed (a second issue for task qa; {qa} is kept)" in r.changes
    assert "syncsvc-removed" not in env.fake.issues[qa]["fields"]["labels"]
    n = len(env.fake.calls)
    assert env.push(plan(three())).status == "success"
    assert [c for c in env.fake.calls[n:] if c.write] == []
    env.cfg.state_path().unlink()  # a rebuilt state keeps the same issue, not the set-aside one
    r = env.push(plan(three()))
    assert r.status == "success" and r.removed_labelled == [] and r.updated == []
    with State.open(env.cfg.state_path()) as st:
        assert st.issues(PID)["qa"].issue_key == qa


def test_of_two_issues_without_a_state_the_one_not_set_aside_is_kept() -> None:
    from syncsvc.jira.adapter import SiteFields
    from syncsvc.jira.find import Finder
    from syncsvc.jira.payload import Site

    site = Site(True, SiteFields(), "NOTIF", PID, "syncsvc-critical", "syncsvc-removed")

    def issue(key: str, labels: list[str]) -> dict[str, Any]:
        return {
            "key": key,
            "id": key[6:],
            "fields": {"labels": labels, "summary": "Qa"},
            "properties": {"syncsvc": {"plan_id": PID, "task_id": "qa"}},
        }

    with State.open(None) as st:
        find = Finder(None, site, st, dry_run=True)  # type: ignore[arg-type]
        aside = issue("NOTIF-3", ["syncsvc", f"syncsvc-{PID}", "syncsvc-removed"])
        out = find.remote([aside, issue("NOTIF-9", ["syncsvc", f"syncsvc-{PID}"])], {})
    assert out["qa"].key == "NOTIF-9" and list(find.duplicates) == ["NOTIF-3"]


@pytest.fixture
def cli_jira(
    example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Any, list[str]]]:
    """The fake Jira over loopback, a way to run the CLI, and the example's spec + config."""
    from fakes.jira_server import serve
    from typer.testing import CliRunner

    from syncsvc.cli import app

    with serve() as fake:
        monkeypatch.setenv("SYNCSVC_TEST_CHECK_TOKEN", fake.token)
        cfg = tmp_path / "c.toml"
        cfg.write_text(
            f'[jira]\nurl = "{fake.base}"\nemail = "pm@example.com"\n'
            'token_env = "SYNCSVC_TEST_CHECK_TOKEN"\nproject = "NOTIF"\n'
            'max_retries = 1\n[state]\npath = "state.db"\n'
        )
        yield fake, lambda *a: CliRunner().invoke(app, list(a)), [str(example_path), "--config", str(cfg)]


def test_state_check_names_labelled_issues_the_state_does_not_know(
    cli_jira: tuple[Any, Any, list[str]],
) -> None:
    fake, run, args = cli_jira
    assert run("push", *args).exit_code == 0
    assert run("state", "check", *args).exit_code == 0
    dup = fake._new_issue(
        "NOTIF",
        "Task",
        {"summary": "QA", "labels": ["syncsvc", f"syncsvc-{PID}"]},
        [{"key": "syncsvc", "value": {"plan_id": PID, "task_id": "qa"}}],
    )["key"]
    r = run("state", "check", *args)
    assert r.exit_code == 1, r.output
    assert (
        f"{dup}: carries the label syncsvc-{PID} but the state does not know it (its property says task 'qa'"
    ) in r.stdout


def test_state_check_names_baselines_the_epic_does_not_keep(cli_jira: tuple[Any, Any, list[str]]) -> None:
    _, run, args = cli_jira
    assert run("push", *args).exit_code == 0
    assert run("baseline", *args, "--note", "v2").exit_code == 0
    r = run("state", "check", *args)
    assert r.exit_code == 0, r.stdout  # not a disagreement: the next push stores it
    assert "note: NOTIF-1 (the epic): keeps 1 of the state's 2 baseline(s)" in r.stdout
    assert run("push", *args).exit_code == 0  # stores it
    r = run("state", "check", *args)
    assert r.exit_code == 0 and "note:" not in r.stdout, r.stdout
