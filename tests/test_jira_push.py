"""Push against the stateful fake Jira: first push, re-push, changes, removals, links, dry run."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.jira_env import JiraEnv, chain, jira_env, plan, task

from syncsvc.state import State

PID = "notif-center"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[JiraEnv]:
    with jira_env(tmp_path, monkeypatch) as e:
        yield e


def three() -> list:
    return [
        task("design", critical=True, owner="Priya"),
        task("backend-api", deps=("design",), start=2, days=5, critical=True, risk="high"),
        task("integration", deps=("backend-api",), start=7, owner=None),
    ]


def test_first_push_creates_issues_labels_properties_and_links(env: JiraEnv) -> None:
    r = env.push(plan(three()))
    assert r.status == "success" and r.linked == 2 and len(r.created) == 4  # 3 tasks + epic
    f = env.fake
    design, api, integ = (f.key_of(PID, t) for t in ("design", "backend-api", "integration"))
    # `depends_on = ["design"]` on backend-api: design blocks backend-api
    assert f.blocks() == {(design, api), (api, integ)}
    bodies = [c.body for c in f.calls if c.path == "issueLink"]
    assert {
        "type": {"name": "Blocks"},
        "inwardIssue": {"key": design},
        "outwardIssue": {"key": api},
    } in bodies
    d = f.issues[design]["fields"]
    assert d["labels"] == ["syncsvc", f"syncsvc-{PID}", "syncsvc-critical"]
    assert "syncsvc-critical" not in f.issues[integ]["fields"]["labels"]
    prop = f.issues[api]["properties"]["syncsvc"]
    assert {k: prop[k] for k in ("plan_id", "task_id")} == {"plan_id": PID, "task_id": "backend-api"}
    assert len(prop["hash"]) == 64  # the values pushed: a rebuilt state tells edits from changes
    assert d["duedate"] == "2027-01-05" and d["customfield_10015"] == "2027-01-04"
    assert d["assignee"]["accountId"] == "acc-priya" and "assignee" not in f.issues[integ]["fields"]
    assert f.issues[api]["fields"]["priority"]["name"] == "High"
    epic = [i for i in f.issues.values() if i["fields"]["issuetype"]["name"] == "Epic"]
    assert len(epic) == 1 and d["parent"]["key"] == epic[0]["key"]
    assert epic[0]["properties"]["syncsvc"]["role"] == "epic"
    # the links show from each side as Jira shows them
    view = f._issuelinks(api)
    assert {"inwardIssue", "outwardIssue"} == {k for x in view for k in x if k.endswith("Issue")}


def test_call_budget_first_push_and_unchanged_repush(env: JiraEnv) -> None:
    tasks = chain(120, fan=2)
    edges = sum(len(t.depends_on) for t in tasks)
    env.push(plan(tasks))
    assert env.count() <= 4 + math.ceil(120 / 50) + edges
    n = env.count()
    r = env.push(plan(tasks))
    again = env.fake.calls[n:]
    assert r.unchanged == 120 and r.status == "success"
    assert [c for c in again if c.write] == []
    assert len(again) <= 2 + math.ceil(120 / 100)


def test_one_changed_task_costs_exactly_one_write(env: JiraEnv) -> None:
    tasks = three()
    env.push(plan(tasks))
    n = env.count()
    moved = [*tasks[:2], task("integration", deps=("backend-api",), start=9, owner=None)]
    r = env.push(plan(moved))
    writes = [c for c in env.fake.calls[n:] if c.write]
    key = env.fake.key_of(PID, "integration")
    assert len(writes) == 1 and writes[0].method == "PUT" and writes[0].path == f"issue/{key}"
    assert set(writes[0].body) == {"fields", "properties"}  # the changed fields, no labels
    assert (
        writes[0].body["properties"][0]["value"]["hash"]
        == env.fake.issues[key]["properties"]["syncsvc"]["hash"]
    )  # in the same write: the hash of the values pushed
    assert set(writes[0].body["fields"]) == {"duedate", "customfield_10015", "description"}
    assert writes[0].body["fields"]["duedate"] == "2027-01-14"
    assert r.updated == [key] and r.unchanged == 2
    assert env.fake.issues[key]["fields"]["duedate"] == "2027-01-14"


def test_critical_flag_moves_the_label_without_touching_other_labels(env: JiraEnv) -> None:
    tasks = three()
    env.push(plan(tasks))
    key = env.fake.key_of(PID, "design")
    env.fake.issues[key]["fields"]["labels"].append("team-alpha")  # a person's label
    calm = [task("design", critical=False, owner="Priya"), *tasks[1:]]
    env.push(plan(calm))
    assert env.fake.issues[key]["fields"]["labels"] == ["syncsvc", f"syncsvc-{PID}", "team-alpha"]


def test_renamed_and_removed_tasks(env: JiraEnv) -> None:
    tasks = three()
    env.push(plan(tasks))
    f = env.fake
    api, integ = f.key_of(PID, "backend-api"), f.key_of(PID, "integration")
    n_issues = len(f.issues)
    renamed = [
        tasks[0],
        task("backend-api", deps=("design",), start=2, days=5, critical=True, risk="high", name="Public API"),
    ]
    r = env.push(plan(renamed))
    assert f.issues[api]["fields"]["summary"] == "Public API"
    assert "syncsvc-removed" in f.issues[integ]["fields"]["labels"]
    assert r.removed_labelled == [integ] and len(f.issues) == n_issues  # never deleted
    assert (api, integ) not in f.blocks() and r.unlinked == 1
    # the task comes back: same issue, label taken off, link made again
    r = env.push(plan(tasks))
    assert "syncsvc-removed" not in f.issues[integ]["fields"]["labels"]
    assert (api, integ) in f.blocks() and len(f.issues) == n_issues
    n = env.count()
    assert env.push(plan(tasks)).status == "success"
    assert [c for c in f.calls[n:] if c.write] == []


def test_links_diffed_both_ways_and_foreign_links_untouched(env: JiraEnv) -> None:
    tasks = three()
    env.push(plan(tasks))
    f = env.fake
    design, api, integ = (f.key_of(PID, t) for t in ("design", "backend-api", "integration"))
    mine = f.link(integ, design)  # a person's link between plan issues
    relates = f.link(design, integ, "Relates")
    gone = next(i for i, v in f.links.items() if v[1:] == (design, api))
    del f.links[gone]  # a person removed one of ours
    rewired = [tasks[0], tasks[1], task("integration", deps=("design",), start=7, owner=None)]
    r = env.push(plan(rewired))
    assert r.linked == 2 and r.unlinked == 1  # design→api again, design→integ; api→integ gone
    assert f.blocks() == {(design, api), (design, integ), (integ, design)}
    assert mine in f.links and relates in f.links


def test_person_deleted_issue_is_created_again(env: JiraEnv) -> None:
    env.push(plan(three()))
    f = env.fake
    old = f.key_of(PID, "integration")
    f.delete_issue(old)
    r = env.push(plan(three()))
    new = f.key_of(PID, "integration")
    assert new != old and r.created == [new] and r.linked == 1
    assert (f.key_of(PID, "backend-api"), new) in f.blocks()


def test_issue_that_lost_its_label_is_read_by_key_not_duplicated(env: JiraEnv) -> None:
    env.push(plan(three()))
    f = env.fake
    key = f.key_of(PID, "design")
    f.issues[key]["fields"]["labels"] = []
    env.push(plan(three()))
    assert len(f.by_task(PID, "design")) == 1


def test_lost_state_is_rebuilt_from_labels_and_property(env: JiraEnv) -> None:
    tasks = three()
    env.push(plan(tasks))
    f = env.fake
    before = {k: dict(v["fields"]) for k, v in f.issues.items()}
    (env.tmp / "state.db").unlink()
    n = env.count()
    r = env.push(plan(tasks))
    assert r.status == "success" and r.created == [] and r.unchanged == 3
    assert [c for c in f.calls[n:] if c.write] == []
    assert {k: v["fields"] for k, v in f.issues.items()} == before
    with State.open(env.tmp / "state.db") as st:
        assert set(st.issues(PID)) == {"#epic", "design", "backend-api", "integration"}
        assert st.links(PID) == {("design", "backend-api"), ("backend-api", "integration")}
    n = env.count()
    env.push(plan(tasks))
    assert [c for c in f.calls[n:] if c.write] == []


def test_lost_state_with_a_changed_plan_updates_against_jira(env: JiraEnv) -> None:
    tasks = three()
    env.push(plan(tasks))
    (env.tmp / "state.db").unlink()
    n = env.count()
    env.push(plan([*tasks[:2], task("integration", deps=("backend-api",), start=9, owner=None)]))
    writes = [c for c in env.fake.calls[n:] if c.write]
    assert [w.method for w in writes] == ["PUT"]
    assert set(writes[0].body["fields"]) == {"duedate", "customfield_10015", "description"}


def test_dry_run_makes_no_write_and_says_what_it_would_do(env: JiraEnv) -> None:
    r = env.push(plan(three()), dry_run=True)
    assert env.fake.writes() == [] and env.fake.issues == {}
    assert 'create Task "Backend Api" (backend-api)' in r.changes
    assert "link: design blocks backend-api" in r.changes
    assert r.changes[0] == 'create Epic "In-App Notifications Center" (epic)'
    assert not (env.tmp / "state.db").exists()
    env.push(plan(three()))
    moved = [*three()[:2], task("integration", deps=("backend-api",), start=9, owner=None)]
    r = env.push(plan(moved), dry_run=True)
    key = env.fake.key_of(PID, "integration")
    assert r.changes == [
        f"update {key}: description (changed); duedate 2027-01-12 → 2027-01-14; start 2027-01-11 → 2027-01-13"
    ]
    assert env.fake.issues[key]["fields"]["duedate"] == "2027-01-12"


def test_no_epic_when_epic_issue_type_is_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with jira_env(tmp_path, monkeypatch, epic="") as env:
        tasks = chain(10)
        env.push(plan(tasks))
        assert all("parent" not in i["fields"] for i in env.fake.issues.values())
        assert env.count() <= 3 + 1 + 9  # no epic call: under the budget by one


def test_server_dc_uses_search_startat_names_and_epic_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with jira_env(tmp_path, monkeypatch, cloud=False, email=None) as env:
        env.fake.page_size = 7
        tasks = chain(20)
        r = env.push(plan(tasks))
        f = env.fake
        assert r.status == "success", r.failed
        k = f.key_of(PID, "t0001")
        epic = next(i for i in f.issues.values() if i["fields"]["issuetype"]["name"] == "Epic")
        assert f.issues[k]["fields"]["customfield_10014"] == epic["key"]
        assert epic["fields"]["customfield_10011"] == "In-App Notifications Center"
        assert f.issues[k]["fields"]["assignee"]["name"] == "acc-mike"
        n = env.count()
        assert env.push(plan(tasks)).unchanged == 20
        paths = [c.path for c in f.calls[n:]]
        assert paths.count("search") == math.ceil(20 / 7) and "search/jql" not in paths


def test_cloud_search_pages_with_next_page_token(env: JiraEnv) -> None:
    env.fake.page_size = 4
    tasks = chain(10)
    env.push(plan(tasks))
    n = env.count()
    assert env.push(plan(tasks)).unchanged == 10
    searches = [c for c in env.fake.calls[n:] if c.path == "search/jql"]
    assert len(searches) == 3 and "nextPageToken" in searches[1].params


def test_first_push_records_the_baseline_once(env: JiraEnv) -> None:
    r = env.push(plan(three()))
    assert r.baseline_recorded
    with State.open(env.tmp / "state.db") as st:
        b = st.latest_baseline(PID)
        assert b is not None and b.note == "first push"
        assert [t["id"] for t in b.plan_json["tasks"]] == ["design", "backend-api", "integration"]
    r = env.push(plan([*three(), task("docs", start=3)]))
    assert not r.baseline_recorded and len(State.open(env.tmp / "state.db").baselines(PID)) == 1


def test_a_refused_task_fails_alone_and_nothing_is_unlinked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with jira_env(tmp_path, monkeypatch, users={"acc-mike", "acc-priya"}) as env:
        tasks = three()
        assert env.push(plan(tasks)).status == "success"
        env.assignees = {**env.assignees, "Lee": "acc-gone"}
        changed = [
            task("design", critical=True, owner="Priya"),
            tasks[1],
            task("qa", deps=("design",), start=3, owner="Lee"),
        ]
        r = env.push(plan(changed))
        assert r.status == "partial"
        assert any(m.startswith("create qa:") and "acc-gone" in m for m in r.failed)
        assert any("link: design blocks qa" in m and "no issue" in m for m in r.failed)
        # integration left the spec: labelled; its link is kept because something failed
        integ = env.fake.key_of(PID, "integration")
        assert "syncsvc-removed" in env.fake.issues[integ]["fields"]["labels"]
        assert (env.fake.key_of(PID, "backend-api"), integ) in env.fake.blocks()
        assert r.unlinked == 0
