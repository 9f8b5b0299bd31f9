"""`syncsvc diff`: changes between two plans and the parts of the plan to revisit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import EXAMPLE
from fakes.sheets_plan import make_plan

from syncsvc.cli import app
from syncsvc.diff import EVENTS, PART_COMMAND, PlanDiff, diff_plans
from syncsvc.model import Plan, Stakeholder


def kinds(d: PlanDiff) -> set[tuple[str, str, str]]:
    return {(c.area, c.kind, c.subject) for c in d.changes}


def parts(d: PlanDiff) -> set[str]:
    return {r.part for r in d.revisit}


def with_task(plan: Plan, tid: str, **update: object) -> Plan:
    tasks = [t.model_copy(update=update) if t.id == tid else t for t in plan.tasks]
    return plan.model_copy(update={"tasks": tasks})


def test_same_plan_has_no_changes() -> None:
    d = diff_plans(make_plan(), make_plan())
    assert not d.changed and d.changes == () and d.revisit == ()
    assert d.to_json()["changed"] is False


def test_task_owner_change_means_raci_risk_owners_and_timeline() -> None:
    old = make_plan()
    new = with_task(old, "t1", owner="Zoe")
    d = diff_plans(old, new)
    assert ("tasks", "owner", "t1") in kinds(d)
    assert ("team", "joined", "Zoe") in kinds(d)
    assert parts(d) == set(EVENTS["team"][1]) == {"RACI matrix", "risk owners", "timeline"}
    assert all(r.events == ("Team member leaves/joins",) for r in d.revisit)


def test_new_dependency_means_timeline_and_risk_matrix() -> None:
    old = make_plan()
    t = old.task("t6")
    new = with_task(old, "t6", depends_on=[*t.depends_on, "t0"])
    d = diff_plans(old, new)
    change = next(c for c in d.changes if c.kind == "depends_on")
    assert change.subject == "t6" and "+t0" in change.message
    assert parts(d) == {"timeline", "risk matrix"}
    assert {r.command for r in d.revisit} == {"generate-timeline", "assess-risks"}


def test_scope_changes_tasks_added_removed_and_estimate() -> None:
    old = make_plan()
    extra = old.tasks[0].model_copy(update={"id": "docs", "name": "Write the docs"})
    tasks = [t for t in old.tasks if t.id != "t2"] + [extra]
    new = with_task(old.model_copy(update={"tasks": tasks}), "t3", estimate_days=9)
    d = diff_plans(old, new)
    assert {("tasks", "added", "docs"), ("tasks", "removed", "t2"), ("tasks", "estimate", "t3")} <= kinds(d)
    assert {"risk matrix", "timeline", "stakeholder map"} <= parts(d)


def test_risks_matched_by_title_rescored_reowned_added_removed() -> None:
    old = make_plan()
    risks = list(old.risks)
    top = risks[0]
    risks[0] = top.model_copy(
        update={"likelihood": "low", "score": top.score // 3, "id": "R9", "owner": "Sam"}
    )
    dropped = risks.pop()
    risks.append(top.model_copy(update={"title": "Brand-new risk", "id": "R10"}))
    d = diff_plans(old, old.model_copy(update={"risks": risks}))
    assert {
        ("risks", "rescored", top.title),
        ("risks", "reowned", top.title),
        ("risks", "removed", dropped.title),
        ("risks", "added", "Brand-new risk"),
    } <= kinds(d)
    rescored = next(c for c in d.changes if c.kind == "rescored")
    assert (rescored.old, rescored.new) == (top.score, top.score // 3)
    assert {"risk matrix", "rollback triggers", "risk owners"} <= parts(d)


def test_stakeholders_added_removed_and_cadence() -> None:
    old = make_plan()
    lead = old.stakeholders[0]
    legal = Stakeholder(
        name="Legal",
        group="legal",
        order="second",
        influence="high",
        interest="low",
        cadence="monthly",
        channel="email",
    )
    new = old.model_copy(update={"stakeholders": [lead.model_copy(update={"cadence": "weekly"}), legal]})
    d = diff_plans(old, new)
    assert {("stakeholders", "cadence", "Leadership"), ("stakeholders", "added", "Legal")} <= kinds(d)
    gone = diff_plans(new, old)
    assert ("stakeholders", "removed", "Legal") in kinds(gone)
    assert {"stakeholder map", "RACI matrix", "stakeholder comms"} <= parts(d)


def test_dates_and_critical_path() -> None:
    old = make_plan()
    path = [t for t in old.critical_path if t != old.critical_path[0]]
    new = old.model_copy(
        update={
            "deadline": old.deadline - dt.timedelta(days=7),
            "fits_timeline": not old.fits_timeline,
            "finish_date": old.finish_date + dt.timedelta(days=2),
            "critical_path": path,
        }
    )
    d = diff_plans(old, new)
    assert {
        ("dates", "deadline", "deadline"),
        ("dates", "finish_date", "finish"),
        ("dates", "fits_timeline", "fits timeline"),
        ("critical_path", "changed", "critical path"),
    } <= kinds(d)
    finish = next(c for c in d.changes if c.kind == "finish_date")
    assert finish.new == (old.finish_date + dt.timedelta(days=2)).isoformat()
    cp = next(c for c in d.changes if c.area == "critical_path")
    assert f"left: {old.critical_path[0]}" in cp.message
    assert {"timeline", "risk matrix", "stakeholder comms"} <= parts(d)


def test_revisit_follows_part_order_and_json_shape() -> None:
    old = make_plan()
    new = with_task(old.model_copy(update={"risk_tolerance": "low"}), "t1", owner="Zoe")
    doc = diff_plans(old, new).to_json()
    assert doc["schema"] == "syncsvc.diff/1"
    assert set(doc) == {"schema", "old", "new", "changed", "counts", "changes", "revisit"}
    order = list(PART_COMMAND)
    got = [r["part"] for r in doc["revisit"]]
    assert got == sorted(got, key=order.index)
    assert "rollout phases" in got and "RACI matrix" in got
    json.dumps(doc)  # JSON-ready


def _modified_example(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('estimate = "7d"', 'estimate = "12d"', 1)  # backend-api
    text = text.replace(
        'depends_on = ["qa", "security-review"]', 'depends_on = ["qa", "security-review", "push-digest"]'
    )
    text = text.replace('cadence = "biweekly"', 'cadence = "weekly"')
    assert text.count("12d") == 1
    p = tmp_path / "v2.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_cli_diff_md_names_changed_task_and_revisit(tmp_path: Path, runner) -> None:
    new = _modified_example(tmp_path)
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(new)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "task backend-api estimate 7d → 12d" in out
    assert "task staging dependencies +push-digest" in out
    assert "stakeholder Leadership cadence biweekly → weekly" in out
    assert "## Revisit" in out
    for part in ("risk matrix", "timeline", "stakeholder map", "stakeholder comms"):
        assert f"| {part} |" in out


def test_cli_diff_json_and_output_file(tmp_path: Path, runner) -> None:
    new = _modified_example(tmp_path)
    target = tmp_path / "diff.json"
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(new), "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["schema"] == "syncsvc.diff/1" and doc["changed"] is True
    est = [c for c in doc["changes"] if c["kind"] == "estimate"]
    assert est == [
        {
            "area": "tasks",
            "kind": "estimate",
            "subject": "backend-api",
            "old": 7,
            "new": 12,
            "message": "task backend-api estimate 7d → 12d",
            "event": "Scope change",
        }
    ]
    assert {"timeline", "risk matrix"} <= {r["part"] for r in doc["revisit"]}


def test_cli_diff_identical_exits_0(runner) -> None:
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "No differences" in result.stdout


def test_cli_diff_missing_file_exits_2(tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error:") and "nope.toml" in result.stderr
    assert "Traceback" not in result.output


# -- the whole plan, every section ----------------------------------------------------------------

EX = EXAMPLE.read_text()


def _diff_specs(runner_tmp: Path, old: str, new: str) -> dict:
    from typer.testing import CliRunner

    a, b = runner_tmp / "a.toml", runner_tmp / "b.toml"
    a.write_text(old)
    b.write_text(new)
    r = CliRunner().invoke(app, ["diff", str(a), str(b), "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _edit(old: str, new: str) -> str:
    assert old in EX, old
    return EX.replace(old, new)


SPEC_EDITS = {
    "threshold": (
        'operator = ">", threshold = 2,',
        'operator = ">", threshold = 3,',
        "rollback.triggers[error_rate].threshold",
    ),
    "window": (
        'threshold = 2, unit = "%", window_minutes = 15',
        'threshold = 2, unit = "%", window_minutes = 30',
        "rollback.triggers[error_rate].window_minutes",
    ),
    "flag_key": ('flag_key      = "notifications-center"', 'flag_key      = "notif-v2"', "rollback.switch"),
    "flag_provider": ('flag_provider = "LaunchDarkly"', 'flag_provider = "Unleash"', "rollback.switch"),
}


def test_diff_sees_rollback_triggers_flag_and_mitigations(tmp_path: Path) -> None:
    for name, (old, new, path) in SPEC_EDITS.items():
        out = _diff_specs(tmp_path, EX, _edit(old, new))
        assert out["changed"] is True, name
        assert path in {c["subject"] for c in out["changes"]}, (name, out["changes"])
    risk = next(r for r in tomllib_loads(EX)["risks"] if r.get("mitigation"))
    out = _diff_specs(tmp_path, EX, _edit(f'mitigation = "{risk["mitigation"]}"', 'mitigation = "Pray"'))
    (change,) = [c for c in out["changes"] if c["subject"].endswith(".mitigation")]
    assert change["old"] == risk["mitigation"] and change["new"] == "Pray"
    assert change["area"] == "risks" and "risk matrix" in {r["part"] for r in out["revisit"]}


def test_a_spec_risk_replaced_by_the_catalog_risk_of_the_same_title_is_a_change(
    tmp_path: Path, plan_of
) -> None:
    title = next(r.title for r in plan_of(EX).risks if r.source == "catalog")
    own = (
        f'\n[[risks]]\ntitle = "{title}"\nlikelihood = "low"\nimpact = "low"\nowner = "Mike"\n'
        'mitigation = "Our own way"\n'
    )
    out = _diff_specs(tmp_path, EX + own, EX)
    subjects = {c["subject"] for c in out["changes"]}
    assert out["changed"] is True
    key = " ".join(title.lower().split())
    assert f"risks[{key}].source" in subjects and f"risks[{key}].mitigation" in subjects


def tomllib_loads(text: str) -> dict:
    import tomllib

    return tomllib.loads(text)


def _leaves(value: object, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(value, list) and value:
        return _leaves(value[0], (*path, 0))
    return [path]


def test_every_field_of_the_plan_is_diffed_when_no_curated_comparison_words_it(plan_of) -> None:
    """Generic over the model: perturb each leaf of the example plan's dump (the first item of
    every list): either a curated comparison of diff.py covers that key, or the walker reports
    it. A field added to the model later is in the dump, so it is covered too."""
    import copy

    from syncsvc.diff_fields import CURATED_TOP, OTHER, SECTIONS, field_changes

    base = plan_of(EX).model_dump(mode="json", by_alias=True)
    checked = 0
    for path in _leaves(base):
        top = path[0]
        sec = SECTIONS.get(top, OTHER)
        first = next((p for p in path[1:] if isinstance(p, str)), None)
        if top in CURATED_TOP or (
            first in sec.covered and (len(path) > 1 and (path[1] == first or isinstance(path[1], int)))
        ):
            continue
        changed = copy.deepcopy(base)
        node = changed
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = "__changed__"
        found = list(field_changes(base, changed))
        assert found, path
        checked += 1
    assert checked > 40  # the walk reached rollback steps, triggers, stakeholders, phases, ...
