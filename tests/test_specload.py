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
    spec = spec_from_inputs(
        feature_name="Search v2",
        description="Faster search",
        team_size=4,
        timeline="30 days",
        risk_tolerance="low",
        today=TODAY,
    )
    assert spec.quick_mode and spec.timeline_parts == (30, "days")
    assert spec.plan_id == "search-v2"


def test_quick_inputs_are_validated_like_a_file() -> None:
    with pytest.raises(SpecError, match=r"quick inputs: risk_tolerance: must be one of"):
        spec_from_inputs(
            feature_name="X",
            description="Y",
            team_size=2,
            timeline="2 weeks",
            risk_tolerance="extreme",
            today=TODAY,
        )


def test_validation_error_names_file_key_and_line(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "s.toml",
        MINIMAL + '[[tasks]]\nid = "a"\nname = "A"\nestimate = "3d"\n'
        '[[tasks]]\nid = "b"\nname = "B"\nestimate = "3 days"\n',
    )
    with pytest.raises(SpecError) as e:
        load_spec(p, today=TODAY)
    assert str(e.value).startswith("s.toml:15: tasks[1].estimate: cannot read estimate '3 days'")


def test_cycle_lists_ids_in_order() -> None:
    assert find_cycle({"a": ["c"], "b": ["a"], "c": ["b"]}) == ["a", "b", "c"]
    assert find_cycle({"a": [], "b": ["a"]}) is None
    assert find_cycle({"a": ["a"]}) == ["a"]
    assert find_cycle({"a": ["x"], "b": ["a", "y"]}) is None  # ids not listed are not tasks


def test_the_in_order_shortcut_gives_what_the_search_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    import graphlib
    import random

    import syncsvc.specload as specload

    rng = random.Random(17)
    graphs = []
    for _ in range(400):
        n = rng.randint(1, 8)
        ids = [f"t{i}" for i in range(n)]
        backward = rng.random() < 0.5  # listed in dependency order, or any order
        graphs.append(
            {
                t: rng.sample(ids[:i] if backward else ids, k=rng.randint(0, min(2, i if backward else n)))
                + (["gone"] if rng.random() < 0.1 else [])
                for i, t in enumerate(ids)
            }
        )
    fast = [find_cycle(g) for g in graphs]
    monkeypatch.setattr(specload, "_listed_in_order", lambda deps: False)
    assert fast == [find_cycle(g) for g in graphs]
    for g, cycle in zip(graphs, fast, strict=True):
        try:
            graphlib.TopologicalSorter({k: [d for d in v if d in g] for k, v in g.items()}).prepare()
            assert cycle is None
        except graphlib.CycleError:
            assert cycle is not None
    assert sum(c is None for c in fast) > 100 and sum(c is not None for c in fast) > 50


def test_locate_line_finds_nested_keys() -> None:
    text = 'a = 1\n[[tasks]]\nid = "x"\n[[tasks]]\nid = "y"\ndepends_on = ["z"]\n'
    assert locate_line(text, ("tasks", 1, "depends_on", 0)) == 6
    assert locate_line(text, ("a",)) == 1


QUICK_RISK = (
    MINIMAL
    + """
[[risks]]
title = "Contrast fails accessibility checks"
likelihood = "medium"
impact = "medium"
owner = "PM"
mitigation = "Audit contrast before QA"
mitigation_task = { id = "contrast-audit", name = "Contrast audit", estimate = "2d", before = "BEFORE" }
"""
)


def test_quick_mode_mitigation_task_goes_before_a_generated_task(plan_of) -> None:
    plan = plan_of(QUICK_RISK.replace("BEFORE", "qa"))
    qa = plan.task("qa")
    assert "contrast-audit" in qa.depends_on
    assert plan.task("contrast-audit").owner == "PM"


def test_quick_mode_mitigation_task_before_an_unknown_task_is_refused(plan_of) -> None:
    with pytest.raises(
        SpecError,
        match=r"^t.toml: risks\[0\].mitigation_task.before: unknown "
        r"task 'qaa'; in quick mode the timeline's tasks are: "
        r"kickoff, .*\bqa\b",
    ):
        plan_of(QUICK_RISK.replace("BEFORE", "qaa"))


def test_quick_mode_mitigation_cycle_is_refused(plan_of) -> None:
    text = QUICK_RISK.replace('before = "BEFORE"', 'before = "qa", depends_on = ["launch-readiness"]')
    with pytest.raises(
        SpecError,
        match="dependency cycle through a mitigation task: "
        "contrast-audit → qa → .*launch-readiness → "
        "contrast-audit",
    ):
        plan_of(text)


# -- dates the calendar can hold, and one message for every problem ----------------------------

TASK = '\n[[tasks]]\nid = "a"\nname = "A"\nestimate = {}\n'


@pytest.mark.parametrize(
    ("edit", "where", "says"),
    [
        (
            lambda s: s.replace("2027-03-01", "0001-01-01"),
            "t.toml:6: start_date:",
            "must be between 1900-01-01 and 8999-12-31 (got 0001-01-01)",
        ),
        (lambda s: s.replace("2027-03-01", "9999-12-31"), "t.toml:6: start_date:", "must be between"),
        (
            lambda s: s + TASK.format('"999999w"'),
            "t.toml:11: tasks[0].estimate:",
            "'999999w' is 4999995 working days; an estimate may be at most 10000",
        ),
        (lambda s: s + TASK.format(2**63), "t.toml:11: tasks[0].estimate:", "at most 10000"),
        (
            lambda s: (
                s.replace("2027-03-01", "8999-01-04")
                + "".join(TASK.format('"2000w"').replace('"a"', f'"a{i}"') for i in range(30))
            ),
            "t.toml:11: tasks[0].estimate:",
            "the plan would end after the year 9999",
        ),
        (lambda s: s + "holidays = [0001-01-01]\n", "t.toml:7: holidays[0]:", "on or after 1900"),
    ],
)
def test_dates_off_the_calendar_are_spec_errors_naming_the_key(spec_of, edit, where, says) -> None:
    with pytest.raises(SpecError) as e:
        spec_of(edit(MINIMAL.lstrip()))
    assert e.value.message.startswith(where) and says in e.value.message, e.value.message


def test_a_wall_of_holidays_is_a_spec_error_not_a_traceback(tmp_path: Path, runner) -> None:
    from syncsvc.cli import app

    day, walls = dt.date(8999, 1, 1), []
    while day.year < 10000 and day < dt.date.max:
        walls.append(day.isoformat())
        day += dt.timedelta(days=1)
    spec = write(
        tmp_path, "s.toml", MINIMAL.replace("2027-03-01", "8998-12-01") + f"holidays = [{', '.join(walls)}]\n"
    )
    r = runner.invoke(app, ["generate-timeline", str(spec)])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith(
        "Error: s.toml: start_date, holidays, estimates: the schedule runs past the last date of the calendar"
    ), r.stderr


def test_a_milestone_with_an_estimate_is_refused(spec_of) -> None:
    with pytest.raises(
        SpecError,
        match=r"tasks\[0\].estimate: task 'a' is a milestone and takes "
        "no time",
    ):
        spec_of(MINIMAL + TASK.format('"5d"') + 'kind = "milestone"\n')
    assert spec_of(MINIMAL + TASK.format(0) + 'kind = "milestone"\n').tasks[0].estimate == 0


def test_every_problem_is_listed_misspelled_keys_first(spec_of) -> None:
    text = MINIMAL.replace("team_size = 3", "teamsize = 3").replace('"medium"', '"meduim"')
    with pytest.raises(SpecError) as e:
        spec_of(text)
    assert e.value.message.splitlines() == [
        "t.toml:4: teamsize: unknown key; did you mean 'team_size'?",
        "t.toml: team_size: missing required key",
        "t.toml:6: risk_tolerance: must be one of 'low', 'medium' or 'high' (got a string 'meduim')",
    ]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_trigger_threshold_must_be_a_real_number(spec_of, value: str) -> None:
    text = MINIMAL + (
        '[rollback]\ntriggers = [{ metric = "error_rate", operator = ">", '
        f'threshold = {value}, unit = "%", window_minutes = 15 }}]\n'
    )
    with pytest.raises(SpecError, match=r"rollback.triggers\[0\].threshold"):
        spec_of(text)


@pytest.mark.parametrize("text", ["\x1b[2J\x1b]0;pwned\x07", "bell\x07", "csi\x9b31m"])
def test_terminal_control_characters_in_spec_text_are_refused(spec_of, text: str) -> None:
    toml = MINIMAL.replace(
        '"Dark mode"', '"Dark mode ' + text.encode("unicode_escape").decode().replace("\\x", "\\u00") + '"'
    )
    with pytest.raises(
        SpecError,
        match=r"^t.toml:2: feature_name: contains the control "
        r"character U\+00",
    ):
        spec_of(toml)
    assert spec_of(MINIMAL.replace('"Dark mode"', '"Dark\\tmode"')).feature_name == "Dark\tmode"


def test_estimates_read_the_same_every_time() -> None:
    # estimate texts are read once per process and remembered; errors are not remembered
    from syncsvc.spec import parse_estimate

    for _ in range(2):
        assert (parse_estimate("3d"), parse_estimate(" 2w "), parse_estimate(4)) == (3, 10, 4)
        with pytest.raises(ValueError, match="cannot read estimate '3 days'"):
            parse_estimate("3 days")
        with pytest.raises(ValueError, match="at most 10000 working days"):
            parse_estimate("2001w")
        with pytest.raises(ValueError, match="not True"):
            parse_estimate(True)
