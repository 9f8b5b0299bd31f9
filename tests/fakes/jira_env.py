"""A ready test bed for pushes: a fake Jira on `responses`, a config, a state path, no sleeping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import responses
from fakes.fake_jira import FakeJira

from syncsvc.config import Config
from syncsvc.jira.push import PushReport, push_plan
from syncsvc.model import Plan, PlannedTask

TOKEN_ENV = "SYNCSVC_TEST_JIRA_TOKEN"
D0 = dt.date(2027, 1, 4)


def config(
    tmp: Path,
    base: str,
    *,
    email: str | None = "pm@example.com",
    epic: str = "Epic",
    project: str = "NOTIF",
    max_retries: int = 4,
) -> Config:
    jira: dict[str, Any] = {
        "url": base,
        "token_env": TOKEN_ENV,
        "project": project,
        "epic_issue_type": epic,
        "max_retries": max_retries,
    }
    if email:
        jira["email"] = email
    return Config.model_validate(
        {"jira": jira, "state": {"path": str(tmp / "state.db")}, "base_dir": tmp}, strict=False
    )


def task(
    tid: str,
    *,
    deps: tuple[str, ...] = (),
    start: int = 0,
    days: int = 2,
    critical: bool = False,
    name: str | None = None,
    owner: str | None = "Mike",
    risk: str = "medium",
    kind: str = "task",
) -> PlannedTask:
    s, f = D0 + dt.timedelta(days=start), D0 + dt.timedelta(days=start + days - 1)
    return PlannedTask(
        id=tid,
        name=name or tid.replace("-", " ").title(),
        phase="build",
        kind=kind,
        owner=owner,
        risk=risk,
        estimate_days=days,
        buffer_days=0,
        duration_days=days,
        depends_on=list(deps),
        early_start=s,
        early_finish=f,
        late_start=s,
        late_finish=f,
        total_float=0 if critical else 3,
        critical=critical,
    )


def plan(tasks: list[PlannedTask], plan_id: str = "notif-center") -> Plan:
    end = max((t.early_finish for t in tasks), default=D0)
    return Plan(
        plan_id=plan_id,
        feature_name="In-App Notifications Center",
        description="d",
        risk_tolerance="medium",
        team_size=3,
        timeline="6 weeks",
        pm="Dana",
        start_date=D0,
        deadline=end,
        finish_date=end,
        fits_timeline=True,
        tasks=tasks,
    )


def chain(n: int, *, fan: int = 1) -> list[PlannedTask]:
    """n tasks; task i depends on the `fan` tasks before it (n*fan - fan*(fan+1)/2 edges)."""
    out = []
    for i in range(n):
        deps = tuple(f"t{j:04d}" for j in range(max(0, i - fan), i))
        out.append(task(f"t{i:04d}", deps=deps, start=i, critical=i % 3 == 0))
    return out


class JiraEnv:
    """The fake, the config and a `push(plan)` that runs the real engine against them."""

    def __init__(self, tmp: Path, fake: FakeJira, cfg: Config) -> None:
        self.tmp, self.fake, self.cfg = tmp, fake, cfg
        self.sleeps: list[float] = []
        self.assignees = {"Mike": "acc-mike", "Priya": "acc-priya"}

    def push(self, p: Plan, *, dry_run: bool = False, **kw: Any) -> PushReport:
        kw.setdefault("assignees", self.assignees)
        return push_plan(p, self.cfg, dry_run=dry_run, **kw)

    def count(self) -> int:
        return len(self.fake.calls)


@contextmanager
def jira_env(tmp: Path, monkeypatch: pytest.MonkeyPatch, **fake_kw: Any) -> Iterator[JiraEnv]:
    cfg_kw = {k: fake_kw.pop(k) for k in ("epic", "project", "max_retries") if k in fake_kw}
    fake = FakeJira(**fake_kw)
    env = JiraEnv(tmp, fake, config(tmp, fake.base, email=fake.email, **cfg_kw))
    monkeypatch.setenv(TOKEN_ENV, fake.token)
    monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", env.sleeps.append)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        yield env
    assert fake.violations == [], fake.violations
