"""Spec loading: the happy path, defaults, and that every error names the file, key and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import EXAMPLE, MINIMAL, TODAY
from tests_support import write

from syncsvc.errors import SpecError
from syncsvc.specload import find_cycle, load_spec, locate_line, spec_from_inputs


def test_example_loads_with_its_values() -> None:
    spec = load_spec(EXAMPLE, today=TODAY)
    assert spec.plan_id == "notif-center"
    assert spec.pm == "Dana"
    assert spec.start_date == dt.date(2027, 1, 4)
    assert spec.timeline_parts == (6, "weeks")
    backend = next(t for t in spec.tasks if t.id == "backend-api")
    assert backend.estimate == 7 and backend.risk == "high"


def test_defaults_plan_id_start_date_and_pm(spec_of) -> None:
    spec = spec_of(MINIMAL.replace("start_date = 2027-03-01\n", ""))
    assert spec.plan_id == "dark-mode"
    assert spec.start_date == dt.date(2026, 11, 30)  # the Monday after Friday 2026-11-27
    assert spec.pm == "PM"
    assert spec.quick_mode


def test_pm_defaults_to_the_product_manager_on_the_team(spec_of) -> None:
    spec = spec_of(MINIMAL + '[[team]]\nname = "Ana"\nrole = "Senior Product Manager"\n')
    assert spec.pm == "Ana"


@pytest.mark.parametrize(("raw", "days"), [("3d", 3), ("2w", 10), (4, 4)])
def test_estimates(spec_of, raw, days) -> None:
    est = f'"{raw}"' if isinstance(raw, str) else raw
    spec = spec_of(MINIMAL + f'[[tasks]]\nid = "a"\nname = "A"\nestimate = {est}\n')
    assert spec.tasks[0].estimate == days


def test_quick_inputs_make_a_quick_mode_spec() -> None:
    spec = spec_from_inputs(feature_name="Search v2", description="Faster search",
                            team_size=4, timeline="30 days", risk_tolerance="low", today=TODAY)
    assert spec.quick_mode and spec.timeline_parts == (30, "days")
    assert spec.plan_id == "search-v2"


def test_quick_inputs_are_validated_like_a_file() -> None:
    with pytest.raises(SpecError, match=r"quick inputs: risk_tolerance: must be one of"):
        spec_from_inputs(feature_name="X", description="Y", team_size=2, timeline="2 weeks",
                         risk_tolerance="extreme", today=TODAY)


def test_validation_error_names_file_key_and_line(tmp_path: Path) -> None:
    p = write(tmp_path, "s.toml", MINIMAL + '[[tasks]]\nid = "a"\nname = "A"\nestimate = "3d"\n'
              '[[tasks]]\nid = "b"\nname = "B"\nestimate = "3 days"\n')
    with pytest.raises(SpecError) as e:
        load_spec(p, today=TODAY)
    assert str(e.value).startswith("s.toml:15: tasks[1].estimate: cannot read estimate '3 days'")


def test_cycle_lists_ids_in_order() -> None:
    assert find_cycle({"a": ["c"], "b": ["a"], "c": ["b"]}) == ["a", "b", "c"]
    assert find_cycle({"a": [], "b": ["a"]}) is None


def test_locate_line_finds_nested_keys() -> None:
    text = 'a = 1\n[[tasks]]\nid = "x"\n[[tasks]]\nid = "y"\ndepends_on = ["z"]\n'
    assert locate_line(text, ("tasks", 1, "depends_on", 0)) == 6
    assert locate_line(text, ("a",)) == 1


QUICK_RISK = MINIMAL + """
[[risks]]
title = "Contrast fails accessibility checks"
likelihood = "medium"
impact = "medium"
owner = "PM"
mitigation = "Audit contrast before QA"
mitigation_task = { id = "contrast-audit", name = "Contrast audit", estimate = "2d", before = "BEFORE" }
"""


def test_quick_mode_mitigation_task_goes_before_a_generated_task(plan_of) -> None:
    plan = plan_of(QUICK_RISK.replace("BEFORE", "qa"))
    qa = plan.task("qa")
    assert "contrast-audit" in qa.depends_on
    assert plan.task("contrast-audit").owner == "PM"


def test_quick_mode_mitigation_task_before_an_unknown_task_is_refused(plan_of) -> None:
    with pytest.raises(SpecError, match=r"^t.toml: risks\[0\].mitigation_task.before: unknown "
                                        r"task 'qaa'; in quick mode the timeline's tasks are: "
                                        r"kickoff, .*\bqa\b"):
        plan_of(QUICK_RISK.replace("BEFORE", "qaa"))


def test_quick_mode_mitigation_cycle_is_refused(plan_of) -> None:
    text = QUICK_RISK.replace('before = "BEFORE"',
                              'before = "qa", depends_on = ["launch-readiness"]')
    with pytest.raises(SpecError, match="dependency cycle through a mitigation task: "
                                        "contrast-audit → qa → .*launch-readiness → "
                                        "contrast-audit"):
        plan_of(text)
