"""The "add people" search levels only the team sizes that can matter, and says what levelling
every size would say (the smallest team that fits, else the earliest finish)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Callable
from typing import Any

import pytest
from conftest import ROOT, TODAY

from syncsvc.catalog import load_catalog
from syncsvc.planning import fit
from syncsvc.planning.build import build_plan
from syncsvc.specload import check_spec

FEATURES = tomllib.loads((ROOT / "tests" / "eval" / "features.toml").read_text(encoding="utf-8"))["feature"]


def _every_size(size: int, now: dt.date, deadline: dt.date, replan: Callable[[int], fit.Restaffed]) -> str:
    """The search as it was: level each size in turn (the reference)."""
    best: tuple[int, dt.date] | None = None
    used = -1
    for extra in range(1, fit.MAX_EXTRA_PEOPLE + 1):
        team = replan(size + extra)
        finish = team.finish()
        if finish <= deadline:
            return (
                f"add {extra} {'person' if extra == 1 else 'people'} (a team of "
                f"{size + extra} finishes {finish.isoformat()})"
            )
        if best is None or finish < best[1]:
            best = (size + extra, finish)
        if team.working <= used:
            break
        used = team.working
    if best is None or best[1] >= now:
        return "more people would not help: the chain's tasks already have as many people as they can use"
    return (
        f"more people alone would not make it: a team of {best[0]} still finishes "
        f"{best[1].isoformat()} (each task can use only so many people)"
    )


def _quick(feature: dict[str, Any], team_size: int, timeline: str) -> str:
    lines = [f"{k} = {json.dumps(feature[k])}" for k in ("feature_name", "description", "risk_tolerance")]
    return "\n".join(
        [*lines, f"team_size = {team_size}", f'timeline = "{timeline}"', "start_date = 2027-03-01"]
    )


@pytest.mark.parametrize(
    ("index", "team_size", "timeline"),
    [(i, n, t) for i in (0, 7, 14, 21, 28, 35) for n, t in ((1, "3 weeks"), (3, "5 weeks"), (5, "6 weeks"))],
)
def test_pruned_search_says_what_levelling_every_size_says(
    index: int, team_size: int, timeline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feature = FEATURES[index]
    text = _quick(feature, team_size, timeline)
    calls: list[tuple[str, str, int, int]] = []
    pruned = fit._more_people

    def both(size: int, now: dt.date, deadline: dt.date, replan: Callable[[int], fit.Restaffed]) -> str:
        levelled: list[int] = []
        made: list[int] = []

        def counting(n: int) -> fit.Restaffed:
            made.append(n)
            team = replan(n)
            finish = team.finish

            def count() -> dt.date:
                levelled.append(n)
                return finish()

            team.finish = count  # type: ignore[method-assign]
            return team

        got = pruned(size, now, deadline, counting)
        tried = len(levelled)
        if got.startswith("add "):  # the smallest size that fits: no larger one is made
            assert made == list(range(size + 1, size + 1 + int(got.split()[1])))
        levelled.clear()
        want = _every_size(size, now, deadline, counting)
        calls.append((got, want, len(set(levelled)), tried))
        return got

    monkeypatch.setattr(fit, "_more_people", both)
    spec = check_spec(tomllib.loads(text), label="q.toml", today=TODAY, source=text)
    build_plan(spec, load_catalog(), with_confidence=False)
    for got, want, every, tried in calls:
        assert got == want
        assert tried <= every


def test_the_seed_overrun_levels_fewer_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    # the seed's inputs (5 people, 6 weeks) fit with no team size: the old search levelled
    # every size up to the one whose extra person gets no work
    from test_quick_mode import SEED

    sizes: list[int] = []
    levelled: list[int] = []
    people, level = fit.task_people, fit.level_plan

    def counted_people(*a: Any) -> Any:
        sizes.append(1)
        return people(*a)

    def counted_level(*a: Any) -> Any:
        levelled.append(1)
        return level(*a)

    monkeypatch.setattr(fit, "task_people", counted_people)
    monkeypatch.setattr(fit, "level_plan", counted_level)
    text = SEED.format(n=5)
    plan = build_plan(check_spec(tomllib.loads(text), label="s", today=TODAY, source=text), load_catalog())
    assert any("more people alone would not make it" in f.message for f in plan.findings)
    assert len(sizes) >= 5 and len(levelled) < len(sizes) / 2, (len(sizes), len(levelled))


def test_a_size_staffed_as_the_one_before_is_not_made(monkeypatch: pytest.MonkeyPatch) -> None:
    # the seed's inputs (5 people): a larger team stops adding working people when no task can
    # use another one; that size gets the same staffing (tasks kept, people) as the size before,
    # so the same timeline: the search stops there without making its tasks or schedule
    from test_quick_mode import SEED

    search = fit._more_people
    staffings: dict[int, object] = {}
    made: list[int] = []
    results: list[tuple[str, str]] = []

    def counting(size: int, now: dt.date, deadline: dt.date, replan: Callable[[int], fit.Restaffed]) -> str:
        def counted(n: int) -> fit.Restaffed:
            team = replan(n)
            staffings[n] = team.staffing
            make = team.make

            def made_now() -> Any:
                made.append(n)
                return make()

            team.make = made_now
            return team

        got = search(size, now, deadline, counted)
        results.append((got, _every_size(size, now, deadline, replan)))
        return got

    monkeypatch.setattr(fit, "_more_people", counting)
    text = SEED.format(n=5)
    build_plan(check_spec(tomllib.loads(text), label="s", today=TODAY, source=text), load_catalog())
    [(got, want)] = results
    assert got == want and got.startswith("more people alone would not make it")
    last = max(staffings)
    assert staffings[last] == staffings[last - 1]
    assert made == sorted(staffings)[:-1]


@pytest.mark.parametrize("index", [0, 9, 18, 27, 36])
def test_each_size_gets_its_tasks_and_schedule_whatever_the_sizes_before_it(
    index: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the search's sizes share the rollout tasks and the dependency network of sizes with the
    # same task ids and dependencies: each size's tasks are still what with_rollouts adds to
    # its own breakdown, and its CPM numbers (and schedule) those of a network made afresh,
    # also when it shares the CPM of a size before it whose tasks CPM reads alike
    from syncsvc.planning import build

    captured: dict[str, Any] = {}
    schedule_tasks = build.schedule_tasks

    def capture(spec: Any, base: Any, mitigations: Any, ladder: Any, cal: Any) -> Any:
        captured.update(spec=spec, mitigations=mitigations, ladder=ladder, cal=cal)
        return schedule_tasks(spec, base, mitigations, ladder, cal)

    checked: list[int] = []

    def every_size(size: int, now: dt.date, deadline: dt.date, replan: Callable[[int], fit.Restaffed]) -> str:
        for n in [*range(1, 16), 3, 9, 2]:
            team = replan(n)
            base = [t for t in team.drafts if t.source != "rollout"]
            assert team.drafts[: len(base)] == base
            c = captured
            want = build.with_rollouts(c["spec"], base, c["mitigations"], c["ladder"])[0]
            assert team.drafts == want, n
            fresh = build.cpm(want, c["cal"])
            assert (team.cpm.durations, team.cpm.finish_date) == (fresh.durations, fresh.finish_date)
            # sizes whose tasks CPM reads alike share one CPM: its whole schedule is this size's
            got, own = team.cpm.schedule, fresh.schedule
            assert (got.ids, got.buffers, got.early_start, got.late_finish, got.total_float) == (
                own.ids,
                own.buffers,
                own.early_start,
                own.late_finish,
                own.total_float,
            )
            assert got.critical_path == own.critical_path, n
            checked.append(n)
        return "checked"

    monkeypatch.setattr(build, "schedule_tasks", capture)
    monkeypatch.setattr(fit, "_more_people", every_size)
    text = _quick(FEATURES[index], 1, "1 week")  # a team of 1 in a week: never fits
    build_plan(check_spec(tomllib.loads(text), label="q.toml", today=TODAY, source=text), load_catalog())
    assert len(checked) == 18
