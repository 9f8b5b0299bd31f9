"""Quick mode from effort and people: team sizes, role assignment, holidays, the fit advice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests_support import quick_args
from typer.testing import CliRunner

from syncsvc.catalog import load_catalog
from syncsvc.catalog.tasks import TaskTemplate
from syncsvc.cli import app
from syncsvc.model import Plan
from syncsvc.planning.drafts import quick_tasks
from syncsvc.spec import Spec

SEED = """
feature_name   = "In-App Notifications Center"
description    = "Replacing email-only alerts with in-app, push and digest notifications for 150K users"
team_size      = {n}
timeline       = "6 weeks"
risk_tolerance = "medium"
start_date     = 2027-01-04
"""


def _work_days(plan: Plan) -> dict[str, set[dt.date]]:
    """Each person's working days, from the levelled dates."""
    from syncsvc.calendar import WorkCalendar

    cal = WorkCalendar(plan.start_date, plan.holidays)
    out: dict[str, set[dt.date]] = {}
    for t in plan.tasks:
        if t.duration_days == 0 or not t.people:
            continue
        assert t.start is not None and t.finish is not None
        days = {cal.date(i) for i in range(cal.index(t.start), cal.index(t.finish) + 1)}
        for p in t.people:
            assert not days & out.get(p, set()), f"{p} double-booked on {t.id}"
            out.setdefault(p, set()).update(days)
    return out


def _levelled_finish(plan: Plan) -> dt.date:
    assert plan.levelled_finish is not None, "a built plan is levelled"
    return plan.levelled_finish


def test_two_five_and_twenty_people_give_three_plausible_schedules(plan_of: Callable[[str], Plan]) -> None:
    plans = {n: plan_of(SEED.format(n=n)) for n in (2, 5, 20)}
    finishes = {n: _levelled_finish(p) for n, p in plans.items()}
    assert len(set(finishes.values())) == 3, finishes
    assert finishes[2] > finishes[5] > finishes[20]  # more people, sooner; never by a deadline
    for n, plan in plans.items():
        people = set(_work_days(plan)) - {plan.pm}  # the PM is not counted in the team size
        assert 1 <= len(people) <= n
        assert plan.fits_timeline == (_levelled_finish(plan) <= plan.deadline)
        for t in plan.tasks:  # every dependency held in the levelled dates
            for d in t.depends_on:
                assert plan.task(d).finish <= t.start  # type: ignore[operator]
    # the same Backend API work: one person alone takes longer than three together
    api = {n: p.task("backend-api").estimate_days for n, p in plans.items()}
    assert api[2] > api[20] and api[2] >= 2 * api[20]
    # two people cover every role between them; twenty stop where the work cannot use more
    assert len(set(_work_days(plans[2])) - {"PM"}) == 2
    assert len(set(_work_days(plans[20])) - {"PM"}) < 20
    spare = next(f for f in plans[20].findings if "have no work in this plan" in f.message)
    assert "of the 20 people" in spare.message
    assert not any("have no work" in f.message for f in plans[2].findings)


def test_the_deadline_never_sets_a_duration(plan_of: Callable[[str], Plan]) -> None:
    short = plan_of(SEED.format(n=5).replace('"6 weeks"', '"1 week"'))
    long = plan_of(SEED.format(n=5).replace('"6 weeks"', '"52 weeks"'))
    assert [t.estimate_days for t in short.tasks] == [t.estimate_days for t in long.tasks]
    assert not short.fits_timeline and long.fits_timeline


def test_an_overrun_says_by_how_much_which_chain_and_what_would_fit(plan_of: Callable[[str], Plan]) -> None:
    plan = plan_of(SEED.format(n=2).replace('"6 weeks"', '"7 weeks"'))
    assert not plan.fits_timeline
    overrun = next(c for c in plan.conflicts if c.kind == "timeline_overrun")
    assert plan.levelled_finish.isoformat() in overrun.message  # type: ignore[union-attr]
    assert "working days after the deadline" in overrun.message
    advice = next(f for f in plan.findings if f.kind == "timeline")
    assert f"move the deadline to {plan.levelled_finish.isoformat()}" in advice.message  # type: ignore[union-attr]
    assert "add " in advice.message and "a team of" in advice.message
    n = int(advice.message.split("add ")[1].split()[0])
    bigger = plan_of(SEED.format(n=2 + n).replace('"6 weeks"', '"7 weeks"'))
    assert bigger.fits_timeline  # the suggested team size really fits
    if n > 1:
        assert not plan_of(SEED.format(n=1 + n).replace('"6 weeks"', '"7 weeks"')).fits_timeline
    hopeless = plan_of(SEED.format(n=2).replace('"6 weeks"', '"2 weeks"'))
    advice = next(f for f in hopeless.findings if f.kind == "timeline")
    assert "more people alone would not make it" in advice.message


def test_size_drivers_scale_the_effort(plan_of: Callable[[str], Plan]) -> None:
    small = plan_of(SEED.format(n=5) + "users = 5000\n")
    big = plan_of(SEED.format(n=5) + "users = 5000000\n")
    low = plan_of(SEED.format(n=5).replace('"medium"', '"low"') + "users = 5000\n")
    total = lambda p: sum(t.estimate_days for t in p.tasks if t.source == "catalog")  # noqa: E731
    assert total(big) > total(small)
    assert low.task("qa").estimate_days > small.task("qa").estimate_days
    spec_5 = Spec.model_validate(
        {
            "feature_name": "x",
            "description": "y",
            "team_size": 5,
            "timeline": 6,
            "risk_tolerance": "medium",
            "start_date": dt.date(2027, 1, 4),
        }
    )
    cat = load_catalog().tasks
    one = quick_tasks(spec_5, cat.tasks, sizing=cat.sizing, profiles=1)
    three = quick_tasks(spec_5, cat.tasks, sizing=cat.sizing, profiles=3)
    assert sum(t.estimate_days for t in three) > sum(t.estimate_days for t in one)


def test_quick_tasks_take_any_breakdown() -> None:
    """A change profile's own breakdown goes through the same function."""
    spec = Spec.model_validate(
        {
            "feature_name": "x",
            "description": "y",
            "team_size": 4,
            "timeline": 6,
            "risk_tolerance": "medium",
            "start_date": dt.date(2027, 1, 4),
        }
    )
    templates = [
        TaskTemplate(
            id="replica", name="Set up the replica", phase="build", effort=6, max_people=2, role="DBA"
        ),
        TaskTemplate(
            id="rehearse",
            name="Rehearse the cutover",
            phase="verify",
            effort=2,
            role="DBA",
            depends_on=["replica"],
        ),
        TaskTemplate(
            id="cab",
            name="Change board approval",
            phase="verify",
            kind="review",
            effort=1,
            role="Change Board",
            outside=True,
            depends_on=["rehearse"],
        ),
    ]
    tasks = quick_tasks(spec, templates, sizing=load_catalog().tasks.sizing)
    by_id = {t.id: t for t in tasks}
    assert by_id["replica"].estimate_days == 3 and len(by_id["replica"].people) == 2
    assert by_id["cab"].people == () and by_id["cab"].estimate_days == 1


def test_a_named_team_gets_the_work_by_role(plan_of: Callable[[str], Plan]) -> None:
    plan = plan_of(
        SEED.format(n=3)
        + """
[[team]]
name = "Mike"
role = "Backend Engineer"
[[team]]
name = "Sam"
role = "Frontend Engineer"
allocation = 50
[[team]]
name = "Lee"
role = "QA Engineer"
"""
    )
    assert plan.task("backend-api").people == ["Mike"]
    assert plan.task("frontend-ui").people == ["Sam"]
    assert plan.task("qa").people == ["Lee"]
    ui = plan.task("frontend-ui")
    from syncsvc.calendar import WorkCalendar

    cal = WorkCalendar(plan.start_date, plan.holidays)
    # Sam is half-time on this plan: the UI takes twice its duration in working days
    assert cal.wd(ui.start, ui.finish) + 1 == 2 * ui.duration_days  # type: ignore[arg-type]
    _work_days(plan)


def test_quick_mode_puts_no_work_on_the_countrys_holidays(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        app,
        [
            "generate-timeline",
            "--feature-name",
            "Notif",
            "--description",
            "in-app notifications",
            "--team-size",
            "5",
            "--timeline",
            "8 weeks",
            "--risk-tolerance",
            "medium",
            "--start-date",
            "2027-11-15",
            "--country",
            "US",
            "--holidays",
            "2027-11-26",
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0, r.output
    import json

    from syncsvc.calendar import WorkCalendar

    data = json.loads(r.stdout)
    # Thanksgiving and the day the spec adds, Christmas and New Year's Day 2028 observed (both Saturdays)
    days_off = {dt.date(2027, 11, 25), dt.date(2027, 11, 26), dt.date(2027, 12, 24), dt.date(2027, 12, 31)}
    listed = {dt.date.fromisoformat(d) for d in data.get("holidays", [])} or days_off
    cal = WorkCalendar(dt.date(2027, 11, 15), days_off)
    worked = 0
    for t in data["tasks"]:
        start, finish = dt.date.fromisoformat(t["start"]), dt.date.fromisoformat(t["finish"])
        assert start not in days_off and finish not in days_off, t["id"]
        if t["duration_days"] and not t["people"]:
            continue
        if t["duration_days"]:
            # the task's working days skip the holidays: as many as its levelled duration
            assert cal.wd(start, finish) + 1 == t["duration_days"], t["id"]
            worked += start <= dt.date(2027, 11, 25) <= finish
    assert worked  # some task spans Thanksgiving, and works around it
    assert listed >= days_off


def test_country_and_dates_are_checked(tmp_path: Path) -> None:
    base = quick_args(feature_name="N", description="d", timeline="2 weeks")
    r = CliRunner().invoke(app, [*base, "--country", "ZZ"])
    assert r.exit_code == 2 and "--country: unknown country code 'ZZ'" in r.stderr
    r = CliRunner().invoke(app, [*base, "--start-date", "monday"])
    assert r.exit_code == 2 and "--start-date: 'monday' is not a date" in r.stderr
    r = CliRunner().invoke(app, [*base, "--holidays", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "neither a file nor a list of dates" in r.stderr
    f = tmp_path / "days.txt"
    f.write_text("2027-01-01  # new year\n2027-02-30\n")
    r = CliRunner().invoke(app, [*base, "--holidays", str(f)])
    assert r.exit_code == 2 and "days.txt:2: '2027-02-30' is not a date" in r.stderr


BAD_KEYS = [
    ('[[team]]\nname = "Ana"\nallocation = 120\n', "team[0].allocation: must be <= 100"),
    (
        '[[team]]\nname = "Ana"\nallocation = 0\n[[tasks]]\nid = "a"\nname = "A"\nestimate = 2\n'
        'owner = "Ana"\n',
        "task 'a': owner 'Ana' has allocation 0",
    ),
    (
        '[[tasks]]\nid = "a"\nname = "A"\nestimate = "5d"\nestimate_range = "6d..9d"\n',
        "the range 6d..9d must contain the estimate (5d)",
    ),
    (
        '[[tasks]]\nid = "a"\nname = "A"\nestimate = "5d"\nestimate_range = "9d..4d"\n',
        "the optimistic end must come first",
    ),
    (
        '[[tasks]]\nid = "a"\nname = "A"\nestimate = "5d"\nestimate_range = "about a week"\n',
        "cannot read range 'about a week'",
    ),
    ('holidays_country = "XX"\n', "holidays_country: unknown country code 'XX'"),
    ('holidays_country = "United States"\n', "holidays_country: must be a country code"),
]


def test_bad_new_keys_name_the_key_and_exit_2(tmp_path: Path) -> None:
    for extra, message in BAD_KEYS:
        top, _, tables = extra.partition("[[")
        text = SEED.format(n=2) + top + (("[[" + tables) if tables else "")
        spec = tmp_path / "bad.toml"
        spec.write_text(text)
        r = CliRunner().invoke(app, ["generate-timeline", str(spec)])
        assert r.exit_code == 2, (extra, r.output)
        assert message in r.stderr, (message, r.stderr)
        assert r.stderr.startswith("Error: bad.toml")


def test_a_huge_holiday_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("2027-01-01\n" * 120_000)
    r = CliRunner().invoke(
        app,
        [*quick_args(feature_name="N", description="d", timeline="2 weeks"), "--holidays", str(big)],
    )
    assert r.exit_code == 2 and "is larger than 1024 KB" in r.stderr
