"""Quick mode's people: the team (or a virtual one) and who works on each task, by role.

With `[[team]]`, a task goes to the members whose role matches the task's role (the same role,
or one sharing its first word: "Backend Lead" work goes to a "Backend Engineer"); when nobody
matches, to the whole team. Members with `allocation = 0` get no work.

Without `[[team]]`, a virtual team of `team_size` people covers the roles the breakdown needs
(those with effort, outside reviews not counted). The roles with the most work get people of
their own, one each and then each further person to the role with the most work per head (a
role can use as many people as its widest task's `max_people`); the other roles are shared by
the remaining people, largest first to whoever has the least work. Of all such splits, the one
whose busiest person has the least work wins, then the one using more people (with 2 people:
the back end alone, everything else on the other; with 5: two on the back end). People beyond
what the work can use get none. A virtual person is named after their role ("Backend Lead",
"Backend Lead 2", "QA Lead + Support Lead").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from syncsvc.spec import Spec


@dataclass(frozen=True)
class Member:
    name: str
    roles: tuple[str, ...]
    allocation: int = 100
    virtual: bool = False


@dataclass(frozen=True)
class RoleWork:
    """A role's work in the breakdown: its total effort and its widest task."""

    role: str
    effort: float
    max_people: int


def team_for(
    spec: Spec, needed: Sequence[RoleWork], *, search: TeamSearch | None = None, team_size: int | None = None
) -> list[Member]:
    """The people quick-mode work is assigned to (see the module docstring). `search`: the
    `TeamSearch` of this same `needed`, shared by several team sizes; `team_size`: in place of
    the spec's (a `[[team]]` has its own size)."""
    if spec.team:
        return [Member(m.name, (m.role,), m.allocation) for m in spec.team if m.allocation > 0]
    size = spec.team_size if team_size is None else team_size
    return (search if search is not None else TeamSearch(needed)).team(size)


# people per heavy role, the largest load per head, and how many people that is
Heads = tuple[dict[str, int], float, int]
# a split: how many heavy roles, how many people share the light ones, the heavy roles' heads
# as people are added, the light roles each sharer covers, the largest sharer's load, and how
# many sharers have work
_Split = tuple[int, int, list[Heads], list[list[str]], float, int]


class TeamSearch:
    """The virtual team's search over the splits of one breakdown's roles. What no team size
    changes is worked out once, for every size asked: each split's heavy roles' heads as
    people are added one by one (a size takes a prefix of the same additions), and its light
    roles' covering."""

    def __init__(self, needed: Sequence[RoleWork]) -> None:
        self.roles = sorted((r for r in needed if r.effort > 0), key=lambda r: -r.effort)
        self._splits: list[_Split] | None = None
        self._members: dict[tuple[str, tuple[str, ...]], Member] = {}
        self._teams: dict[int, list[Member]] = {}  # by team size

    @staticmethod
    def of(needed: Sequence[RoleWork]) -> TeamSearch:
        """The search of `needed`, shared by every plan needing the same work (a warm server
        plans the same breakdown often): its splits and each size's team worked out once."""
        return _shared_search(tuple(needed))

    def team(self, team_size: int) -> list[Member]:
        got = self._teams.get(team_size)
        if got is None:
            got = self._teams[team_size] = self._team(team_size)
        return list(got)

    def _team(self, team_size: int) -> list[Member]:
        roles = self.roles
        if not roles:
            return []
        best: tuple[tuple[float, int], _Split, dict[str, int]] | None = None
        # the `heavy` largest roles get people of their own; the rest share `shared` people
        for split in self._every_split():
            heavy, shared, ladder, covers, shared_load, sharers = split
            own = team_size - shared
            if own < heavy:
                continue
            heads, heavy_load, heavy_people = ladder[min(own - heavy, len(ladder) - 1)]
            # the least-loaded busiest person, then more hands
            key = (round(max(heavy_load, shared_load), 6), -(heavy_people + sharers))
            if best is None or key < best[0]:
                best = (key, split, heads)
        assert best is not None
        _, (heavy, _, _, covers, _, _), heads = best
        team = [
            self._member(r.role if k == 0 else f"{r.role} {k + 1}", (r.role,))
            for r in roles[:heavy]
            for k in range(heads[r.role])
        ]
        return team + [self._member(" + ".join(c), tuple(c)) for c in covers if c]

    def _member(self, name: str, roles: tuple[str, ...]) -> Member:
        # one (frozen) person for every size whose team has them: sizes share most people
        m = self._members.get((name, roles))
        if m is None:
            m = self._members[name, roles] = Member(name, roles, virtual=True)
        return m

    def _every_split(self) -> list[_Split]:
        # in the order they are tried (the first of equal keys wins)
        if self._splits is None:
            roles, self._splits = self.roles, []
            for heavy in range(len(roles) + 1):
                light = roles[heavy:]
                ladder = [
                    (heads, load, sum(heads.values()))
                    for heads, load in _ladder(roles[:heavy], sum(r.max_people for r in roles[:heavy]))
                ]
                for shared in range(1 if light else 0, len(light) + 1):
                    covers, loads = _cover(light, shared)
                    sharers = sum(1 for c in covers if c)
                    self._splits.append((heavy, shared, ladder, covers, max(loads, default=0.0), sharers))
        return self._splits


@functools.lru_cache(maxsize=256)
def _shared_search(needed: tuple[RoleWork, ...]) -> TeamSearch:
    return TeamSearch(needed)


def _ladder(heavy: Sequence[RoleWork], extra: int) -> list[tuple[dict[str, int], float]]:
    """The heavy roles' heads (one each, then up to `extra` more people, each to the role with
    the most work per head that its widest task can still use) and the largest load per head,
    after 0, 1, 2... added people; it ends early when no role can use another person."""
    heads = {r.role: 1 for r in heavy}
    out = [(dict(heads), max((r.effort / heads[r.role] for r in heavy), default=0.0))]
    for _ in range(max(0, extra)):
        open_roles = [r for r in heavy if heads[r.role] < r.max_people]
        if not open_roles:
            break
        pick = max(open_roles, key=lambda r: r.effort / heads[r.role])
        heads[pick.role] += 1
        out.append((dict(heads), max(r.effort / heads[r.role] for r in heavy)))
    return out


def _cover(light: Sequence[RoleWork], shared: int) -> tuple[list[list[str]], list[float]]:
    """`shared` people covering the light roles between them (largest first, to whoever has
    least): the roles each covers, and each one's load."""
    covers: list[list[str]] = [[] for _ in range(shared)]
    shared_load = [0.0] * shared
    for r in light:
        k = shared_load.index(min(shared_load))  # the first of the least loaded
        covers[k].append(r.role)
        shared_load[k] += r.effort
    return covers, shared_load


def holders(members: Sequence[Member], role: str) -> list[Member]:
    """The members who hold `role` (the same role, or one sharing its first word)."""
    exact = [m for m in members if _holds(m.roles, role)[0]]
    if exact:
        return exact
    return [m for m in members if _holds(m.roles, role)[1]]


@functools.lru_cache(maxsize=4096)
def _holds(roles: tuple[str, ...], role: str) -> tuple[bool, bool]:
    # (one of `roles` is `role`, one of them has `role`'s first word): the "add people" search
    # staffs the same roles for every team size it tries
    want = role.strip().lower()
    first = want.split()[0] if want.split() else want
    return (
        any(r.strip().lower() == want for r in roles),
        any(first and first in r.strip().lower().split() for r in roles),
    )


class Assigner:
    """Gives each task the least-loaded holders of its role, as many as it can use."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.members = list(members)
        self.load = {m.name: 0.0 for m in members}
        self._holders: dict[str, list[Member]] = {}
        # each role as `holders` compares it (stripped, lowercased) -> the members holding it,
        # in the team's order: the exact holders of a role in one look-up
        self._exact: dict[str, list[Member]] = {}
        for m in self.members:
            for key in dict.fromkeys(r.strip().lower() for r in m.roles):
                self._exact.setdefault(key, []).append(m)

    def assign(self, role: str, effort: float, max_people: int, *, strict: bool = False) -> list[Member]:
        """`strict`: only holders of the role (else, nobody holding it, the whole team)."""
        if role not in self._holders:
            # `holders` itself when nobody holds it exactly (then the first word decides)
            self._holders[role] = self._exact.get(role.strip().lower()) or holders(self.members, role)
        pool = self._holders[role] or ([] if strict else self.members)
        if not pool:
            return []
        # the least loaded first; a tie keeps the team's order (`pool` is in that order and the
        # sort is stable; names are unique, as the loads are kept by name)
        chosen = sorted(pool, key=lambda m: self.load[m.name] / (m.allocation / 100))[:max_people]
        for m in chosen:
            self.load[m.name] += effort / len(chosen)
        return chosen
