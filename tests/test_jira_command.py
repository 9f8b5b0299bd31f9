"""`syncsvc push` end to end through the CLI, against the fake Jira served on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.fake_jira import FakeJira
from fakes.jira_server import serve
from typer.testing import CliRunner

from syncsvc.cli import app

TOKEN_ENV = "SYNCSVC_CLI_JIRA_TOKEN"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    with serve() as f:
        monkeypatch.setenv(TOKEN_ENV, f.token)
        monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", lambda s: None)
        yield f
        assert f.violations == []


def write_config(tmp: Path, url: str, **extra: str) -> Path:
    lines = [
        f'url = "{url}"',
        'email = "pm@example.com"',
        f'token_env = "{TOKEN_ENV}"',
        'project = "NOTIF"',
        "max_retries = 1",
    ] + [f'{k} = "{v}"' for k, v in extra.items()]
    p = tmp / "syncsvc.toml"
    p.write_text("[jira]\n" + "\n".join(lines) + '\n\n[state]\npath = "state/state.db"\n')
    return p


def push(runner: CliRunner, example_path: Path, config: Path, *args: str):
    return runner.invoke(app, ["push", str(example_path), "--config", str(config), *args])


def test_dry_run_then_push_then_nothing_to_do(
    runner: CliRunner, example_path: Path, tmp_path: Path, fake: FakeJira
) -> None:
    cfg = write_config(tmp_path, fake.base)
    r = push(runner, example_path, cfg, "--dry-run")
    assert r.exit_code == 0, r.output
    assert 'create Task "Backend API" (backend-api)' in r.stdout
    assert "link: backend-api blocks integration" in r.stdout
    assert "nothing was written" in r.stdout and fake.writes() == []
    r = push(runner, example_path, cfg)
    assert r.exit_code == 0, r.output
    assert "failed 0" in r.stdout and fake.writes()
    api, integ = fake.key_of("notif-center", "backend-api"), fake.key_of("notif-center", "integration")
    assert (api, integ) in fake.blocks()
    n = len(fake.calls)
    r = push(runner, example_path, cfg)
    assert r.exit_code == 0 and "created 0, updated 0" in r.stdout
    assert [c for c in fake.calls[n:] if c.write] == []


def test_token_is_never_printed_logged_or_stored(
    runner: CliRunner, example_path: Path, tmp_path: Path, fake: FakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write_config(tmp_path, fake.base)
    r = push(runner, example_path, cfg, "-v", "--log-format", "json")
    assert r.exit_code == 0, r.output
    assert fake.token not in r.output
    for f in (tmp_path / "state").iterdir():
        assert fake.token.encode() not in f.read_bytes()
    monkeypatch.setenv(TOKEN_ENV, "not-the-right-one-42")
    r = push(runner, example_path, cfg, "-v")
    assert r.exit_code == 2  # a configuration mistake (CONTRACT §3): routed to whoever owns it
    assert f"Jira at {fake.base} refused the credentials of pm@example.com" in r.stderr
    assert TOKEN_ENV in r.stderr and "not-the-right-one-42" not in r.output
    assert "Traceback" not in r.output


def test_missing_token_exits_2_before_any_call(
    runner: CliRunner, example_path: Path, tmp_path: Path, fake: FakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV)
    r = push(runner, example_path, write_config(tmp_path, fake.base))
    assert r.exit_code == 2 and f"{TOKEN_ENV} (jira.token_env) is not set" in r.stderr
    assert fake.calls == []


def test_plain_http_to_a_remote_host_exits_2(
    runner: CliRunner, example_path: Path, tmp_path: Path, fake: FakeJira
) -> None:
    r = push(runner, example_path, write_config(tmp_path, "http://jira.example.com"))
    assert r.exit_code == 2 and "must use https" in r.stderr and fake.calls == []


def test_a_run_that_fails_part_way_exits_1_saying_what_was_done(
    runner: CliRunner, example_path: Path, tmp_path: Path, fake: FakeJira
) -> None:
    cfg = write_config(tmp_path, fake.base)
    fake.fail("POST", r"^issueLink$", 503, skip=3, times=10)
    r = push(runner, example_path, cfg)
    assert r.exit_code == 1
    assert "stopped part-way. Done: created" in r.stderr and "linked 3" in r.stderr
    assert "run push again" in r.stderr
    fake.faults.clear()
    r = push(runner, example_path, cfg)
    assert r.exit_code == 0 and "created 0" in r.stdout


def test_lost_answer_over_real_http_makes_no_duplicate(
    runner: CliRunner, example_path: Path, tmp_path: Path, fake: FakeJira
) -> None:
    cfg = write_config(tmp_path, fake.base)
    fake.drop("POST", r"^issue/bulk$", skip=1)
    r = push(runner, example_path, cfg)
    assert r.exit_code == 0, r.output
    ids = [i["properties"]["syncsvc"].get("task_id") for i in fake.issues.values()]
    assert len(ids) == len(set(ids))
