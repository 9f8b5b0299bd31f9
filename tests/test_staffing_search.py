"""Quick mode's virtual team (planning/staffing.team_for) against the plain search it replaces:
every split tried from scratch, its team built, the least-loaded busiest person winning, then
the larger team, then the first tried. Same team, same names, same order; and the same when one
search (or one breakdown, `QuickWork`) serves several team sizes, asked in any order."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncsvc.catalog import load_catalog
from syncsvc.catalog.conditions import CHECKS, Situation
from syncsvc.catalog.tasks import TaskTemplate
from syncsvc.planning.drafts import QuickWork, TaskDraft, _kept_positions, quick_tasks
from syncsvc.planning.profiles import choose_profiles, profile_templates
from syncsvc.planning.risks import assess_risks
from syncsvc.planning.staffing import Assigner, Member, RoleWork, TeamSearch, holders, team_for
from syncsvc.spec import Spec
from syncsvc.specload import check_spec

QUICK = {
    "feature_name": "Dark mode",
    "description": "A dark theme",
    "team_size": 3,
    "timeline": "4 weeks",
    "risk_tolerance": "medium",
}


def _spec(team_size: int) -> Spec:
    return check_spec(QUICK, label="t.toml", today=dt.date(2026, 11, 27), source=None).model_copy(
        update={"team_size": team_size}
    )


def _plain_split(
    heavy: Sequence[RoleWork], light: Sequence[RoleWork], own: int, shared: int
) -> tuple[float, list[Member]]:
    heads = {r.role: 1 for r in heavy}
    for _ in range(own - len(heavy)):
        open_roles = [r for r in heavy if heads[r.role] < r.max_people]
        if not open_roles:
            break
        pick = max(open_roles, key=lambda r: r.effort / heads[r.role])
        heads[pick.role] += 1
    team = [
        Member(r.role if k == 0 else f"{r.role} {k + 1}", (r.role,), virtual=True)
        for r in heavy
        for k in range(heads[r.role])
    ]
    loads = [r.effort / heads[r.role] for r in heavy]
    covers: list[list[str]] = [[] for _ in range(shared)]
    shared_load = [0.0] * shared
    for r in light:
        k = min(range(shared), key=lambda k: shared_load[k])
        covers[k].append(r.role)
        shared_load[k] += r.effort
    team += [Member(" + ".join(c), tuple(c), virtual=True) for c in covers if c]
    return max([*loads, *shared_load], default=0.0), team


def _plain_team(team_size: int, needed: Sequence[RoleWork]) -> list[Member]:
    roles = sorted((r for r in needed if r.effort > 0), key=lambda r: -r.effort)
    if not roles:
        return []
    best: tuple[tuple[float, int], list[Member]] | None = None
    for heavy in range(len(roles) + 1):
        light = roles[heavy:]
        for shared in range(1 if light else 0, len(light) + 1):
            own = team_size - shared
            if own < heavy or (shared == 0 and light):
                continue
            load, team = _plain_split(roles[:heavy], light, own, shared)
            key = (round(load, 6), -len(team))
            if best is None or key < best[0]:
                best = (key, team)
    assert best is not None
    return best[1]


efforts = st.one_of(
    st.just(0.0), st.integers(1, 60).map(lambda n: n / 2), st.floats(0.01, 40, allow_nan=False)
)
roles = st.lists(st.tuples(efforts, st.integers(1, 6)), max_size=8).map(
    lambda rs: [RoleWork(f"Role {i}", e, m) for i, (e, m) in enumerate(rs)]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 14), roles)
def test_the_virtual_team_is_the_plain_searchs(team_size: int, needed: list[RoleWork]) -> None:
    assert team_for(_spec(team_size), needed) == _plain_team(team_size, needed)


def test_equal_efforts_tie_the_same_way() -> None:
    needed = [RoleWork(f"R{i}", 10.0, 3) for i in range(5)]
    for size in range(1, 12):
        assert team_for(_spec(size), needed) == _plain_team(size, needed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles, st.lists(st.integers(1, 14), min_size=1, max_size=8))
def test_one_search_asked_for_several_sizes_in_any_order(needed: list[RoleWork], sizes: list[int]) -> None:
    search = TeamSearch(needed)
    for size in sizes:
        assert team_for(_spec(size), needed, search=search) == _plain_team(size, needed)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles, st.lists(st.integers(1, 14), min_size=1, max_size=8))
def test_a_search_shared_by_plans_of_the_same_work_gives_each_size_the_plain_team(
    needed: list[RoleWork], sizes: list[int]
) -> None:
    # `TeamSearch.of`: one search per work needed, its teams remembered; each plan gets its own
    # list (a plan changing it changes no other plan's team)
    for size in sizes:
        team = TeamSearch.of(list(needed)).team(size)
        assert team == _plain_team(size, needed)
        team.append(Member("someone else", ("X",)))
        assert TeamSearch.of(list(needed)).team(size) == _plain_team(size, needed)
    assert TeamSearch.of(list(needed)) is TeamSearch.of(tuple(needed))


def test_one_breakdown_staffed_for_several_sizes_is_each_size_staffed_afresh() -> None:
    # the change profiles' breakdown of the seed (min_team_size drops tasks for small teams),
    # with the risks' mitigation tasks: every size in a shuffled order, against quick_tasks
    catalog = load_catalog()
    spec = _spec(5).model_copy(
        update={
            "feature_name": "In-App Notifications Center",
            "description": "Replacing email-only alerts with in-app, push and digest notifications "
            "for 150K users; migrate the preferences data",
            "users": 150_000,
        }
    )
    profiles = choose_profiles(spec, catalog)
    breakdown = profile_templates(profiles, catalog)
    mitigations = assess_risks(spec, catalog, profiles.chosen, profiles.facet_list).mitigations
    assert mitigations and any(t.min_team_size > 1 for t in breakdown)
    sizing, n = catalog.tasks.sizing, max(1, len(profiles.chosen))
    work = QuickWork(spec, breakdown, sizing=sizing, profiles=n, extra=mitigations)
    sizes = [None, *range(1, 13)]
    random.Random(7).shuffle(sizes)
    for size in sizes:
        fresh = quick_tasks(spec, breakdown, sizing=sizing, profiles=n, extra=mitigations, team_size=size)
        assert work.tasks(size) == fresh, size


def _eval_features() -> list[dict[str, object]]:
    import tomllib
    from pathlib import Path

    keys = ("feature_name", "description", "team_size", "timeline", "risk_tolerance")
    out: list[dict[str, object]] = []
    for path in sorted((Path(__file__).parent / "eval").glob("*.toml")):
        with path.open("rb") as f:
            out += [{k: feat[k] for k in keys} for feat in tomllib.load(f).get("feature", [])]
    return out


EVAL_FEATURES = _eval_features()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EVAL_FEATURES), st.permutations([None, *range(1, 15)]))
def test_later_sizes_reuse_the_mitigations_layout_of_the_first(
    inputs: dict[str, object], sizes: list
) -> None:
    # QuickWork places the mitigation tasks of a kept set once (insert_mitigations, on the
    # first size asked) and re-uses where they went for the others: every size, whatever the
    # order, equals that size staffed afresh
    work, fresh_tasks = _quick_work(inputs)
    for size in sizes:
        assert work.tasks(size) == fresh_tasks(size), size


def _quick_work(inputs: dict[str, object]) -> tuple[QuickWork, Callable[[int | None], list[TaskDraft]]]:
    """The quick inputs' `QuickWork`, and a function staffing its breakdown afresh (`quick_tasks`)."""
    catalog = load_catalog()
    spec = check_spec(inputs, label="t.toml", today=dt.date(2026, 11, 27), source=None)
    profiles = choose_profiles(spec, catalog)
    breakdown = profile_templates(profiles, catalog)
    mitigations = assess_risks(spec, catalog, profiles.chosen, profiles.facet_list).mitigations
    sizing, n = catalog.tasks.sizing, max(1, len(profiles.chosen))
    work = QuickWork(spec, breakdown, sizing=sizing, profiles=n, extra=mitigations)

    def fresh(size: int | None) -> list[TaskDraft]:
        return quick_tasks(spec, breakdown, sizing=sizing, profiles=n, extra=mitigations, team_size=size)

    return work, fresh


def test_sizes_of_equal_staffing_get_equal_tasks() -> None:
    # the "add people" search stops at a size staffed as the one before it (planning/fit.py,
    # `_more_people`): that size's tasks must be the same, for every eval feature and size
    equal = 0
    for inputs in EVAL_FEATURES:
        work, fresh_tasks = _quick_work(inputs)
        seen: dict[object, list[TaskDraft]] = {}
        for size in range(1, 16):
            fresh = fresh_tasks(size)
            tasks = seen.setdefault(work.staffing(size), fresh)
            equal += tasks is not fresh
            assert tasks == fresh, (inputs["feature_name"], size)
    assert equal > len(EVAL_FEATURES)  # most features run out of tasks for more people


def test_a_task_templates_one_condition_is_its_min_team_size() -> None:
    # drafts._kept_positions compares the team size with min_team_size instead of asking
    # `holds`: right while that is the only condition field a task template has
    assert [name for name in CHECKS if name in TaskTemplate.model_fields] == ["min_team_size"]
    catalog = load_catalog()
    templates = list(catalog.tasks.tasks)
    for inputs in EVAL_FEATURES[::5]:
        spec = check_spec(inputs, label="t.toml", today=dt.date(2026, 11, 27), source=None)
        templates += profile_templates(choose_profiles(spec, catalog), catalog)
    assert any(t.min_team_size > 1 for t in templates)
    for size in range(1, 16):
        team = Situation(text="", team_size=size)
        want = tuple(i for i, t in enumerate(templates) if t.holds(team))
        assert _kept_positions(templates, size) == want, size


def _plain_holders(members: Sequence[Member], role: str) -> list[Member]:
    # holders before the role matches were kept across calls
    want = role.strip().lower()
    first = want.split()[0] if want.split() else want
    exact = [m for m in members if any(r.strip().lower() == want for r in m.roles)]
    if exact:
        return exact
    return [m for m in members if any(first and first in r.strip().lower().split() for r in m.roles)]


_ROLE_WORDS = st.sampled_from(["Backend", "backend", "Lead", "QA", " Support", "Engineer ", "", " ", "Data"])
_ROLE_NAMES = st.lists(_ROLE_WORDS, max_size=3).map(" ".join)


@given(
    st.lists(st.tuples(_ROLE_NAMES, st.lists(_ROLE_NAMES, min_size=1, max_size=3)), max_size=6),
    st.lists(_ROLE_NAMES, min_size=1, max_size=6),
)
def test_holders_with_remembered_role_matches_equal_the_plain_match(
    team: list[tuple[str, list[str]]], roles: list[str]
) -> None:
    members = [Member(f"{name} {k}", tuple(rs)) for k, (name, rs) in enumerate(team)]
    for role in roles:  # asked again and again, as for every team size of the search
        assert holders(members, role) == _plain_holders(members, role)


class _PlainAssigner(Assigner):
    # Assigner before the sort kept ties in the team's order by its stability: positions
    # looked up in the team
    def assign(self, role: str, effort: float, max_people: int, *, strict: bool = False) -> list[Member]:
        pool = holders(self.members, role) or ([] if strict else self.members)
        chosen = sorted(
            pool, key=lambda m: (self.load[m.name] / (m.allocation / 100), self.members.index(m))
        )[:max_people]
        for m in chosen:
            self.load[m.name] += effort / len(chosen)
        return chosen


_ALLOCATIONS = st.sampled_from([100, 100, 50, 25, 80])
_WORK = st.lists(
    st.tuples(_ROLE_NAMES, st.sampled_from([0.0, 1.0, 2.0, 2.5, 3.0]), st.integers(1, 4), st.booleans()),
    min_size=1,
    max_size=25,
)


@given(
    st.lists(st.tuples(st.lists(_ROLE_NAMES, min_size=1, max_size=2), _ALLOCATIONS), min_size=1, max_size=7),
    _WORK,
)
def test_assigning_the_least_loaded_keeps_the_teams_order_on_ties(
    team: list[tuple[list[str], int]], work: list[tuple[str, float, int, bool]]
) -> None:
    # equal efforts make ties on load likely
    members = [Member(f"P{k}", tuple(rs), alloc) for k, (rs, alloc) in enumerate(team)]
    fast, plain = Assigner(members), _PlainAssigner(members)
    for role, effort, most, strict in work:
        assert fast.assign(role, effort, most, strict=strict) == plain.assign(
            role, effort, most, strict=strict
        )
    assert fast.load == plain.load
