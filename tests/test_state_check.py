"""`syncsvc state check`: the state against the fake Jira (served on loopback) and the pure
comparison behind it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.fake_jira import FakeJira
from fakes.jira_server import serve
from typer.testing import CliRunner

from syncsvc.cli import app
from syncsvc.statecheck import Record, compare

TOKEN_ENV = "SYNCSVC_STATECHECK_TOKEN"
PID = "notif-center"


@pytest.fixture(params=[True, False], ids=["cloud", "server"])
def fake(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    with serve(cloud=request.param) as f:
        monkeypatch.setenv(TOKEN_ENV, f.token)
        monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", lambda s: None)
        yield f
        assert f.violations == []


def write_config(tmp: Path, url: str) -> Path:
    p = tmp / "syncsvc.toml"
    p.write_text(
        f'[jira]\nurl = "{url}"\nemail = "pm@example.com"\ntoken_env = "{TOKEN_ENV}"\n'
        'project = "NOTIF"\nmax_retries = 1\n\n[state]\npath = "state/state.db"\n'
    )
    return p


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_consistent_then_people_break_it_then_push_repairs(
    example_path: Path, tmp_path: Path, fake: FakeJira
) -> None:
    cfg = write_config(tmp_path, fake.base)
    assert invoke("push", str(example_path), "--config", str(cfg)).exit_code == 0
    writes = len(fake.writes())
    r = invoke("state", "check", str(example_path), "--config", str(cfg))
    assert r.exit_code == 0, r.output
    assert "OK: Jira agrees with the state" in r.stdout and "problem" not in r.stdout
    api, integ = fake.key_of(PID, "backend-api"), fake.key_of(PID, "integration")
    gone = fake.key_of(PID, "design-review")
    fake.delete_issue(gone)
    link_id = next(i for i, (t, a, b) in fake.links.items() if (a, b) == (api, integ))
    del fake.links[link_id]
    fake.issues[integ]["fields"]["labels"].remove(f"syncsvc-{PID}")
    r = invoke("state", "check", str(example_path), "--config", str(cfg))
    assert r.exit_code == 1, r.output
    out = r.stdout
    assert f"{gone} (task design-review): not found in Jira" in out
    assert f"link {api} blocks {integ} (backend-api blocks integration): not in Jira" in out
    assert f"{integ} (task integration): label syncsvc-{PID} missing" in out
    assert "`syncsvc push SPEC --config FILE` repairs them" in out
    assert len(fake.writes()) == writes  # the check never writes to Jira
    fake.issues[integ]["fields"]["labels"].append(f"syncsvc-{PID}")  # see RELIABILITY.md
    assert invoke("push", str(example_path), "--config", str(cfg)).exit_code == 0
    r = invoke("state", "check", str(example_path), "--config", str(cfg))
    assert r.exit_code == 0, r.output


def test_bad_input_exits_2_before_any_call(
    example_path: Path, tmp_path: Path, fake: FakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write_config(tmp_path, fake.base)
    r = invoke("state", "check", str(example_path), "--config", str(cfg))
    assert r.exit_code == 2 and "no state file at" in r.stderr and "syncsvc push" in r.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("feature_name = 3\n")
    r = invoke("state", "check", str(bad), "--config", str(cfg))
    assert r.exit_code == 2 and "bad.toml" in r.stderr
    monkeypatch.delenv(TOKEN_ENV)
    r = invoke("state", "check", str(example_path), "--config", str(cfg))
    assert r.exit_code == 2 and f"{TOKEN_ENV} (jira.token_env) is not set" in r.stderr
    assert fake.calls == [] and "Traceback" not in r.output


def test_a_refused_token_is_a_configuration_mistake(
    example_path: Path, tmp_path: Path, fake: FakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write_config(tmp_path, fake.base)
    assert invoke("push", str(example_path), "--config", str(cfg)).exit_code == 0
    monkeypatch.setenv(TOKEN_ENV, "wrong-token-123")
    r = invoke("state", "check", str(example_path), "--config", str(cfg))
    assert r.exit_code == 2 and "HTTP 401" in r.stderr and "wrong-token-123" not in r.output


def issue(
    key: str,
    task: str | None,
    *,
    iid: str = "1",
    labels: tuple[str, ...] = ("syncsvc", f"syncsvc-{PID}"),
    plan: str = PID,
    project: str = "NOTIF",
    links: list[dict] | None = None,
    role: str | None = None,
) -> dict:
    prop: dict = {"plan_id": plan, "task_id": task}
    if role:
        prop["role"] = role
    return {
        "id": iid,
        "key": key,
        "properties": {"syncsvc": prop},
        "fields": {"labels": list(labels), "project": {"key": project}, "issuelinks": links or []},
    }


def test_compare_finds_each_kind_of_disagreement() -> None:
    recs = [
        Record("#epic", "NOTIF-1", "1"),
        Record("a", "NOTIF-2", "2"),
        Record("b", "NOTIF-3", "3"),
        Record("c", "NOTIF-4", "4", removed=True),
        Record("d", "NOTIF-5", "5"),
    ]
    issues = [
        issue("NOTIF-1", None, iid="1", role="epic"),
        issue(
            "NOTIF-2", "a", iid="2", links=[{"type": {"name": "Blocks"}, "outwardIssue": {"key": "NOTIF-3"}}]
        ),
        issue("OTHER-9", "b", iid="3", project="OTHER"),  # moved: found by id
        issue("NOTIF-4", "c", iid="4"),  # removed from the spec, but no removed label
        issue("NOTIF-5", "x", iid="5", plan="another-plan"),
    ]
    res = compare(PID, "NOTIF", recs, {("a", "b"), ("b", "d")}, issues)
    assert res.issues == 5 and res.links == 2
    assert res.problems == [
        "NOTIF-3 (task b): the issue's key is now OTHER-9 (moved)",
        "NOTIF-3 (task b): in project OTHER, not NOTIF",
        "NOTIF-4 (task c): label syncsvc-removed missing",
        "NOTIF-5 (task d): its 'syncsvc' property says plan 'another-plan', task 'x'",
        "link NOTIF-2 blocks OTHER-9 (a blocks b): not in Jira (removed by someone)",
        "link OTHER-9 blocks NOTIF-5 (b blocks d): not in Jira (removed by someone)",
    ]


def test_compare_consistent_and_empty() -> None:
    links = [{"type": {"name": "Blocks"}, "outwardIssue": {"key": "NOTIF-3"}}]
    ok = compare(
        PID,
        "NOTIF",
        [Record("a", "NOTIF-2"), Record("b", "NOTIF-3")],
        {("a", "b")},
        [issue("NOTIF-2", "a", links=links), issue("NOTIF-3", "b", iid="3")],
    )
    assert ok.ok and ok.problems == []
    assert compare(PID, "NOTIF", [], set(), []).ok
    bare = issue("NOTIF-2", "a", labels=())
    bare["properties"] = {}
    res = compare(PID, "NOTIF", [Record("a", "NOTIF-2")], set(), [bare])
    assert res.problems == [
        "NOTIF-2 (task a): has no 'syncsvc' issue property",
        f"NOTIF-2 (task a): labels syncsvc, syncsvc-{PID} missing",
    ]
