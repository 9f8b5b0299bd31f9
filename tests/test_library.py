"""`import syncsvc`: the library face the README shows, one result type with one exit-code
policy, and the quick inputs declared once (CLI help, loader, MCP schema)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from fakes.fake_jira import FakeJira
from test_jira_command import fake, write_config
from typer.testing import CliRunner

import syncsvc
from syncsvc.errors import RemoteError, SpecError
from syncsvc.results import Result, exit_code

__all__ = ["fake"]  # the fake Jira fixture of test_jira_command


def test_the_readme_library_snippet_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Library use") :]
    code = section[section.index("```python") + len("```python") : section.index("```\n", 10)]
    monkeypatch.chdir(ROOT)
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert scope["text"] == syncsvc.render(scope["plan"], part="assess-risks")  # type: ignore[arg-type]
    assert str(scope["text"]).startswith("# In-App Notifications Center: Risk assessment")


def test_load_spec_takes_a_file_or_the_five_quick_inputs() -> None:
    quick = {
        "feature_name": "Dark mode",
        "description": "A dark theme",
        "team_size": 3,
        "timeline": "4 weeks",
        "risk_tolerance": "LOW",
    }
    spec = syncsvc.load_spec(quick)
    assert spec.quick_mode and spec.risk_tolerance == "low" and spec.label == "quick inputs"
    with pytest.raises(SpecError, match="team_size"):
        syncsvc.load_spec({**quick, "team_size": 0})
    plan = syncsvc.build_plan(ROOT / "examples" / "notifications-center.toml", with_confidence=False)
    assert plan.plan_id == "notif-center" and plan.confidence is None
    assert syncsvc.render(plan, part="generate-timeline", format="json").startswith("{")


@pytest.mark.parametrize(
    ("status", "fail_on_slip", "code"),
    [
        ("success", False, 0),
        ("slipping", False, 0),
        ("slipping", True, 3),
        ("partial", False, 1),
        ("error", True, 1),
        ("invalid", False, 2),
    ],
)
def test_one_exit_code_policy(status: str, fail_on_slip: bool, code: int) -> None:
    assert exit_code(Result(status, None), fail_on_slip=fail_on_slip) == code  # type: ignore[arg-type]


def test_push_pull_and_check_state_return_results(tmp_path: Path, fake: FakeJira) -> None:
    example = ROOT / "examples" / "notifications-center.toml"
    cfg = write_config(tmp_path, fake.base)
    dry = syncsvc.push(example, config=cfg, dry_run=True)
    assert dry.status == "success" and dry.report.changes and fake.writes() == []
    done = syncsvc.push(example, config=cfg)
    assert (done.status, exit_code(done), done.error) == ("success", 0, None)
    assert done.plan is not None and done.plan.plan_id == "notif-center"
    pulled = syncsvc.pull(example, config=cfg, as_of="2027-01-11")
    assert pulled.status in ("success", "slipping") and pulled.report.status.plan_id == "notif-center"
    checked = syncsvc.check_state(example, config=cfg)
    assert checked.status == "success" and checked.report.issues > 0


def test_a_push_stopped_part_way_is_partial_with_the_error_to_print(
    tmp_path: Path, fake: FakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syncsvc.jira.report import PushReport

    def stopped(*args: object, **kwargs: object) -> PushReport:
        return PushReport("notif-center", "NOTIF", False, created=["NOTIF-1"], failed=["task x: 500"])

    monkeypatch.setattr("syncsvc.jira.push.push_plan", stopped)
    result = syncsvc.push(
        ROOT / "examples" / "notifications-center.toml", config=write_config(tmp_path, fake.base)
    )
    assert result.status == "partial" and exit_code(result) == 1
    assert isinstance(result.error, RemoteError) and "stopped part-way" in result.error.message
    with pytest.raises(RemoteError):
        result.raise_for_status()


def test_the_quick_inputs_are_declared_once(runner: CliRunner) -> None:
    from syncsvc import inputs, spec
    from syncsvc.cli import app
    from syncsvc.mcp_server import input_schema

    assert inputs.MAX_TEXT == spec.MAX_TEXT and inputs.CHANGE_TYPE_PATTERN == spec.SLUG_RE
    model = syncsvc.QuickInputs
    assert tuple(model.model_fields) == tuple(inputs.FIELDS)
    assert [n for n, f in model.model_fields.items() if f.is_required()] == list(inputs.QUICK_INPUTS)
    props = input_schema()["properties"]
    for name, field in inputs.FIELDS.items():  # the MCP schema is the model's
        assert props[name]["description"] == field.description == model.model_fields[name].description
        assert {k: v for k, v in props[name].items() if k != "description"} == field.schema
    helptext = " ".join(runner.invoke(app, ["assess-risks", "--help"], terminal_width=2000).stdout.split())
    for name in inputs.FIELDS:  # the CLI's help is the model's description
        assert " ".join(inputs.cli_help(name).split()) in helptext
    with pytest.raises(ValueError, match="team_size"):
        model(feature_name="x", description="y", team_size=0, timeline="6 weeks", risk_tolerance="low")
    timeline = re.compile(inputs.TIMELINE_PATTERN)
    assert timeline.match("6 weeks") and not timeline.match("six weeks")
