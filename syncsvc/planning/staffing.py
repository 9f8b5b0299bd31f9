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


def team_for(spec: Spec, needed: Sequence[RoleWork]) -> list[Member]:
    """The people quick-mode work is assigned to (see the module docstring)."""
    if spec.team:
        return [Member(m.name, (m.role,), m.allocation) for m in spec.team if m.allocation > 0]
    roles = sorted((r for r in needed if r.effort > 0), key=lambda r: -r.effort)
    if not roles:
        return []
    best: tuple[tuple[float, int], Split] | None = None
    # the `heavy` largest roles get people of their own; the rest share `shared` people
    for heavy in range(len(roles) + 1):
        light = roles[heavy:]
        for shared in range(1 if light else 0, len(light) + 1):
            own = spec.team_size - shared
            if own < heavy or (shared == 0 and light):
                continue
            split = _split(roles[:heavy], light, own, shared)
            key = (round(split.load, 6), -split.people)  # the least-loaded busiest person, then more hands
            if best is None or key < best[0]:
                best = (key, split)
    assert best is not None
    return best[1].team()


@dataclass(frozen=True)
class Split:
    """One way to staff the roles: heads per heavy role, the light roles each shared person
    covers, and the largest load per person (the team itself is built for the winner only)."""

    heavy: Sequence[RoleWork]
    heads: dict[str, int]
    covers: list[list[str]]
    load: float

    @property
    def people(self) -> int:
        return sum(self.heads.values()) + sum(1 for c in self.covers if c)

    def team(self) -> list[Member]:
        team = [
            Member(r.role if k == 0 else f"{r.role} {k + 1}", (r.role,), virtual=True)
            for r in self.heavy
            for k in range(self.heads[r.role])
        ]
        return team + [Member(" + ".join(c), tuple(c), virtual=True) for c in self.covers if c]


def _split(heavy: Sequence[RoleWork], light: Sequence[RoleWork], own: int, shared: int) -> Split:
    """`own` people for the heavy roles (each role as many as its work per head calls for, up
    to its widest task), `shared` people covering the light roles between them (largest
    first, to whoever has least)."""
    heads = {r.role: 1 for r in heavy}
    for _ in range(own - len(heavy)):
        open_roles = [r for r in heavy if heads[r.role] < r.max_people]
        if not open_roles:
            break
        pick = max(open_roles, key=lambda r: r.effort / heads[r.role])
        heads[pick.role] += 1
    loads = [r.effort / heads[r.role] for r in heavy]
    covers: list[list[str]] = [[] for _ in range(shared)]
    shared_load = [0.0] * shared
    for r in light:
        k = min(range(shared), key=lambda k: shared_load[k])
        covers[k].append(r.role)
        shared_load[k] += r.effort
    return Split(heavy, heads, covers, max([*loads, *shared_load], default=0.0))


def holders(members: Sequence[Member], role: str) -> list[Member]:
    """The members who hold `role` (the same role, or one sharing its first word)."""
    want = role.strip().lower()
    first = want.split()[0] if want.split() else want
    exact = [m for m in members if any(r.strip().lower() == want for r in m.roles)]
    if exact:
        return exact
    return [m for m in members if any(first and first in r.strip().lower().split() for r in m.roles)]


class Assigner:
    """Gives each task the least-loaded holders of its role, as many as it can use."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.members = list(members)
        self.load = {m.name: 0.0 for m in members}
        self._holders: dict[str, list[Member]] = {}

    def assign(self, role: str, effort: float, max_people: int, *, strict: bool = False) -> list[Member]:
        """`strict`: only holders of the role (else, nobody holding it, the whole team)."""
        if role not in self._holders:
            self._holders[role] = holders(self.members, role)
        pool = self._holders[role] or ([] if strict else self.members)
        if not pool:
            return []
        chosen = sorted(
            pool, key=lambda m: (self.load[m.name] / (m.allocation / 100), self.members.index(m))
        )[:max_people]
        for m in chosen:
            self.load[m.name] += effort / len(chosen)
        return chosen
