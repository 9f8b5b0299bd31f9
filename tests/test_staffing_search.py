"""Quick mode's virtual team (planning/staffing.team_for) against the plain search it replaces:
every split tried from scratch, its team built, the least-loaded busiest person winning, then
the larger team, then the first tried. Same team, same names, same order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncsvc.planning.staffing import Member, RoleWork, team_for
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
