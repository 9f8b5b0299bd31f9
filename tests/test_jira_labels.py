"""A person who strips syncsvc's labels from an issue gets them back on the next push."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.jira_env import chain, jira_env, plan


@pytest.mark.parametrize("label", ["syncsvc", "syncsvc-notif-center"])
def test_a_stripped_label_is_put_back_without_a_duplicate(tmp_path: Path, monkeypatch, label: str) -> None:
    p = plan(chain(4))
    with jira_env(tmp_path, monkeypatch) as env:
        env.push(p)
        key = env.fake.key_of("notif-center", "t0001")
        env.fake.issues[key]["fields"]["labels"].remove(label)
        n = len(env.fake.calls)
        report = env.push(p)
        assert report.status == "success" and report.created == []
        assert label in env.fake.issues[key]["fields"]["labels"]
        assert len(env.fake.by_task("notif-center", "t0001")) == 1
        writes = [c for c in env.fake.calls[n:] if c.write]
        assert [(c.method, c.path) for c in writes] == [("PUT", f"issue/{key}")]
        n = len(env.fake.calls)
        env.push(p)
        assert [c for c in env.fake.calls[n:] if c.write] == []
