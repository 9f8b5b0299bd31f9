"""Quick mode's people: the team (or a virtual one) and who works on each task, by role.

With `[[team]]`, a task goes to the members whose role matches the task's role (the same role,
or one sharing its first word: "Backend Lead" work goes to a "Backend Engineer"); when nobody
matches, to the whole team. Members with `allocation = 0` get no work.

Without `[[team]]`, a virtual team of `team_size` people covers the roles the breakdown needs
(those with effort, outside reviews not counted): with at least one person per role, each role
gets one person, and each further person joins the role with the most work per head among those
that can still use one more (a role can use as many people as its widest task's `max_people`);
people beyond that have no work. With fewer people than roles, the roles (largest effort first)
go to whoever has the least work so far, so one person covers several roles, except that a
role with at least two people's share of the work (by effort) first gets that many people. A virtual person
is named after their role ("Backend Lead", "Backend Lead 2", "QA Lead + Support Lead").
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
    roles = [r for r in needed if r.effort > 0]
    size = spec.team_size
    if not roles:
        return []
    if size >= len(roles):
        heads = {r.role: 1 for r in roles}
        for _ in range(size - len(roles)):
            open_roles = [r for r in roles if heads[r.role] < r.max_people]
            if not open_roles:
                break
            pick = max(open_roles, key=lambda r: r.effort / heads[r.role])
            heads[pick.role] += 1
        return [Member(r.role if k == 0 else f"{r.role} {k + 1}", (r.role,), virtual=True)
                for r in roles for k in range(heads[r.role])]
    # Fewer people than roles: a role with at least a whole person's share of the work gets
    # people in proportion to it (a backend-heavy breakdown gets two backend people out of
    # five), keeping one person for the roles still uncovered; the rest share those roles.
    total = sum(r.effort for r in roles) or 1.0
    members: list[Member] = []
    rest = sorted(roles, key=lambda r: -r.effort)
    left = size
    while rest:
        r = rest[0]
        n = min(r.max_people, int(r.effort / total * size), left - (1 if len(rest) > 1 else 0))
        if n < 2:  # a single head gains nothing over sharing the role below
            break
        members += [Member(r.role if k == 0 else f"{r.role} {k + 1}", (r.role,), virtual=True)
                    for k in range(n)]
        left -= n
        rest.pop(0)
    covers: list[list[str]] = [[] for _ in range(left)]
    load = [0.0] * left
    for r in rest:
        k = min(range(left), key=lambda k: load[k])
        covers[k].append(r.role)
        load[k] += r.effort
    return members + [Member(" + ".join(c), tuple(c), virtual=True) for c in covers if c]


def holders(members: Sequence[Member], role: str) -> list[Member]:
    """The members who hold `role` (the same role, or one sharing its first word)."""
    want = role.strip().lower()
    first = want.split()[0] if want.split() else want
    exact = [m for m in members if any(r.strip().lower() == want for r in m.roles)]
    if exact:
        return exact
    return [m for m in members
            if any(first and first in r.strip().lower().split() for r in m.roles)]


class Assigner:
    """Gives each task the least-loaded holders of its role, as many as it can use."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.members = list(members)
        self.load = {m.name: 0.0 for m in members}

    def assign(self, role: str, effort: float, max_people: int) -> list[Member]:
        pool = holders(self.members, role) or self.members
        if not pool:
            return []
        chosen = sorted(pool, key=lambda m: (self.load[m.name] / (m.allocation / 100),
                                             self.members.index(m)))[:max_people]
        for m in chosen:
            self.load[m.name] += effort / len(chosen)
        return chosen

    def idle(self) -> list[str]:
        """Members who got no work."""
        return [m.name for m in self.members if self.load[m.name] == 0]
