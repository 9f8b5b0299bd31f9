"""Faults against the fake Jira: lost answers, interruptions, 429 storms, auth and setup errors."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.jira_env import TOKEN_ENV, JiraEnv, chain, jira_env, plan

from syncsvc.errors import ConfigError, RemoteError
from syncsvc.http import RETRY_AFTER_MAX as MAX_RETRY_DELAY
from syncsvc.http import retry_after_seconds

PID = "notif-center"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[JiraEnv]:
    with jira_env(tmp_path, monkeypatch) as e:
        yield e


def one_issue_per_task(env: JiraEnv, n: int) -> None:
    for i in range(n):
        assert len(env.fake.by_task(PID, f"t{i:04d}")) == 1, f"t{i:04d}"


def test_lost_create_answer_is_looked_up_not_blindly_retried(env: JiraEnv) -> None:
    env.fake.drop("POST", r"^issue/bulk$", skip=2)  # the second task chunk: done, answer lost
    tasks = chain(110)
    r = env.push(plan(tasks))
    assert r.status == "success" and r.linked == 109 and len(r.created) == 111
    one_issue_per_task(env, 110)
    posts = [c for c in env.fake.calls if c.path == "issue/bulk"]
    assert len(posts) == 4  # epic, chunk 1, the lost chunk 2 (found, not re-sent), chunk 3
    # found by key (strongly consistent), above the highest key known before the create
    assert len([c for c in env.fake.calls if c.path == "search/jql"]) == 1
    look = [c for c in env.fake.calls if c.path == "issue/bulkfetch"]
    assert len(look) == 1 and look[0].body["issueIdsOrKeys"][:2] == ["NOTIF-52", "NOTIF-53"]
    n = env.count()
    env.push(plan(tasks))
    assert env.fake.writes()[-1:] and [c for c in env.fake.calls[n:] if c.write] == []


def test_lost_epic_answer_is_looked_up(env: JiraEnv) -> None:
    env.fake.drop("POST", r"^issue/bulk$")
    r = env.push(plan(chain(3)))
    assert r.status == "success"
    epics = [i for i in env.fake.issues.values() if i["fields"]["issuetype"]["name"] == "Epic"]
    assert len(epics) == 1


def test_interrupted_push_is_finished_by_the_next_run(env: JiraEnv) -> None:
    tasks = chain(130)
    env.fake.fail("POST", r"^issue/bulk$", 503, skip=3, times=50)  # the third chunk never lands
    r = env.push(plan(tasks))
    assert r.status == "partial" and len(r.created) == 101 and r.linked == 0
    assert "kept answering 503" in (r.error or "")
    with pytest.raises(RemoteError) as e:
        r.raise_for_status()
    assert "created 101" in e.value.message and "run push again" in str(e.value)
    env.fake.faults.clear()
    r = env.push(plan(tasks))
    assert r.status == "success" and len(r.created) == 30 and r.linked == 129
    one_issue_per_task(env, 130)
    assert len(env.fake.blocks()) == 129


def test_a_failing_link_stops_the_links_and_the_next_run_adds_the_rest(env: JiraEnv) -> None:
    tasks = chain(10)
    # a link may be sent again (Jira keeps one): a 500 is retried, so only a 500 that outlasts
    # the retries (4 in the config) fails the link
    env.fake.fail("POST", r"^issueLink$", 500, skip=4, times=5)
    r = env.push(plan(tasks))
    assert r.status == "partial" and r.linked == 4 and "5 attempts" in (r.error or "")
    r = env.push(plan(tasks))
    assert r.linked == 5 and len(env.fake.blocks()) == 9 and r.created == []


def test_429_with_retry_after_seconds_is_honoured(env: JiraEnv) -> None:
    env.fake.fail("GET", r"^search/jql$", 429, times=2, headers={"Retry-After": "7"})
    assert env.push(plan(chain(3))).status == "success"
    assert len(env.sleeps) == 2 and all(7 <= s <= 7 * 1.2 for s in env.sleeps)


def test_429_with_retry_after_http_date_is_honoured(env: JiraEnv) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    env.fake.fail("POST", r"^issueLink$", 429, headers={"Retry-After": when})
    assert env.push(plan(chain(3))).status == "success"
    assert len(env.sleeps) == 1 and 28 <= env.sleeps[0] <= 30 * 1.2
    assert len(env.fake.blocks()) == 2


def test_retry_after_parsing_and_cap() -> None:
    assert retry_after_seconds("12", 0.0) == 12.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert retry_after_seconds("soon", 0.0) is None and retry_after_seconds(None, 0.0) is None


def test_a_429_storm_gives_up_after_max_retries_with_capped_waits(env: JiraEnv) -> None:
    env.fake.fail("POST", r"^issueLink$", 429, times=1000, headers={"Retry-After": "3600"})
    r = env.push(plan(chain(4)))
    assert r.status == "partial" and r.linked == 0 and "kept answering 429" in (r.error or "")
    assert len(env.sleeps) == 4 and max(env.sleeps) <= MAX_RETRY_DELAY * 1.2
    assert len([c for c in env.fake.calls if c.path == "issueLink"]) == 5


def test_503_without_retry_after_backs_off_and_succeeds(env: JiraEnv) -> None:
    env.fake.fail("GET", r"^serverInfo$", 503, times=2)
    assert env.push(plan(chain(2))).status == "success"
    assert len(env.sleeps) == 2


def test_missing_token_is_a_config_error_before_any_call(
    env: JiraEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV)
    with pytest.raises(ConfigError) as e:
        env.push(plan(chain(2)))
    assert e.value.exit_code == 2 and TOKEN_ENV in e.value.message
    assert env.fake.calls == []


def test_401_names_site_user_and_env_var_never_the_token(
    env: JiraEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "wrong-token-123")
    with pytest.raises(RemoteError) as e:
        env.push(plan(chain(2)))
    text = str(e.value)
    assert e.value.exit_code == 2 and "401" in text and env.fake.base in text
    assert "pm@example.com" in text and TOKEN_ENV in text and "Nothing was changed" in text
    assert "wrong-token-123" not in text and env.fake.token not in text
    assert len(env.fake.calls) == 1


def test_403_is_named(env: JiraEnv) -> None:
    env.fake.fail("GET", r"^field$", 403)
    with pytest.raises(RemoteError, match="denied pm@example.com.*HTTP 403"):
        env.push(plan(chain(2)))


def test_unknown_project_lists_the_projects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with jira_env(tmp_path, monkeypatch, project="NOPE") as env:
        with pytest.raises(RemoteError) as e:
            env.push(plan(chain(2)))
        assert "project NOPE does not exist" in e.value.message and "NOTIF" in e.value.message
        assert env.fake.writes() == []


def test_unknown_issue_type_lists_the_types(env: JiraEnv) -> None:
    env.cfg = env.cfg.model_copy(
        update={
            "jira": env.cfg.jira.model_copy(  # type: ignore[union-attr]
                update={"epic_issue_type": "Saga"}
            )
        }
    )
    with pytest.raises(RemoteError) as e:
        env.push(plan(chain(2)))
    assert "Task, Story, Bug, Epic" in e.value.message
    assert env.fake.issues == {}
