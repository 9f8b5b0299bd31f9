"""Does the work fit the timeline? Conflicts on the levelled schedule, and what would make it fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property

from syncsvc.calendar import WorkCalendar
from syncsvc.model import Conflict, Finding, PlannedTask
from syncsvc.planning.context import PlanContext, Timeline
from syncsvc.planning.drafts import TaskDraft
from syncsvc.planning.levelling import LevelledPlan, level_plan, task_people
from syncsvc.schedule import Cpm, Schedule
from syncsvc.spec import Spec

# How many people a "add people" suggestion may try adding, at most.
MAX_EXTRA_PEOPLE = 50
_SHOWN = 5


def timeline_conflicts(
    ctx: PlanContext, sched: Schedule, owner_labels: dict[str, str], lev: LevelledPlan
) -> list[Conflict]:
    """Tasks past the deadline (the chain that drives the levelled finish), the delay each
    person causes, and reviews that land after launch. Dates are the levelled ones."""
    out: list[Conflict] = []
    by_id = {t.id: t for t in ctx.tasks}
    late = [t for t in ctx.tasks if t.planned_finish > ctx.deadline]
    if late:
        finish = lev.finish_date
        days = ctx.calendar.wd(ctx.deadline, finish)
        why = ""
        if finish > sched.finish_date:
            why = (
                f" (the dependencies alone would finish {sched.finish_date.isoformat()}; "
                "the rest comes from people doing one task at a time)"
            )
        what = (
            "the critical path"
            if lev.chain == sched.critical_path
            else "the chain (dependencies and people's time)"
        )
        out.append(
            Conflict(
                kind="timeline_overrun",
                message=(
                    f"The plan finishes {finish.isoformat()}, {_days(days)} after the deadline "
                    f"{ctx.deadline.isoformat()}{why}; {what} drives it: "
                    + " → ".join(_link(by_id[i], lev) for i in lev.chain)
                ),
                subjects=list(lev.chain),
            )
        )
        chain = set(lev.chain)
        out += [_late_task(t, ctx, owner_labels) for t in late if t.id in chain or t.critical]
    out += _person_delays(lev)
    first_exposure = next((t for t in ctx.tasks if t.kind == "rollout" and t.id != _internal_id(ctx)), None)
    if first_exposure is not None:
        exposed = first_exposure.planned_start
        for t in ctx.tasks:
            if t.kind == "review" and t.planned_finish >= exposed:
                who = _who(t, owner_labels)
                out.append(
                    Conflict(
                        kind="review_after_launch",
                        message=(
                            f"{t.name} ({t.id}) finishes {t.planned_finish.isoformat()}, after "
                            f"users are first exposed on {exposed.isoformat()}"
                            f" ({first_exposure.name}); {who}. Schedule the review earlier or "
                            f"make {first_exposure.id} depend on it."
                        ),
                        subjects=[
                            t.id,
                            *([t.owner] if t.owner else []),
                            *([owner_labels[t.id]] if t.id in owner_labels else []),
                        ],
                    )
                )
    return out


@dataclass
class Restaffed:
    """A quick-mode timeline for another team size: who works on which tasks (`staffing`), its
    tasks and their CPM schedule (made on first use), levelled only when asked (levelling is
    most of the cost, and the search below rarely needs it)."""

    spec: Spec
    cal: WorkCalendar
    # what the size changes (the tasks kept, the people): sizes of equal staffing get the
    # same tasks, so the same timeline
    staffing: Hashable
    make: Callable[[], tuple[list[TaskDraft], Cpm]]  # the tasks and their CPM numbers
    _finish: dt.date | None = field(default=None, init=False)

    @cached_property
    def _made(self) -> tuple[list[TaskDraft], Cpm]:
        return self.make()

    @property
    def drafts(self) -> list[TaskDraft]:
        return self._made[0]

    @property
    def cpm(self) -> Cpm:
        """Its dates and critical chain are built only if this size is levelled."""
        return self._made[1]

    @cached_property
    def _people(self) -> dict[str, list[str]]:
        return task_people(self.spec, self.drafts)

    @cached_property
    def lower_bound(self) -> dt.date:
        """No levelled finish is earlier than this: levelling only delays tasks (so not before
        the CPM finish), and each person does their tasks one after another (so not before the
        busiest person's work, end to end, is done)."""
        load: dict[str, int] = {}
        for i, t in enumerate(self.drafts):
            for p in self._people[t.id]:
                load[p] = load.get(p, 0) + self.cpm.durations[i]
        busiest = max(load.values(), default=0)
        finish = self.cpm.finish_date
        return max(finish, self.cal.date(busiest - 1)) if busiest else finish

    @property
    def working(self) -> int:
        """How many people have work (levelling does not change who does what)."""
        return len({p for ps in self._people.values() for p in ps})

    def finish(self) -> dt.date:
        """The levelled finish."""
        if self._finish is None:
            self._finish = level_plan(self.spec, self.drafts, self.cpm.schedule, self.cal).finish_date
        return self._finish


def fit_findings(
    spec: Spec, tl: Timeline, deadline: dt.date, cal: WorkCalendar, *, replan: Callable[[int], Restaffed]
) -> list[Finding]:
    """When the levelled finish is past the deadline: what would make it fit (a later date,
    less work on the driving chain, or, for a quick-mode team, how many more people)."""
    lev = tl.levelled
    if lev.finish_date <= deadline:
        return []
    short = cal.wd(deadline, lev.finish_date)
    durations = {t.id: lev.durations[t.id] for t in tl.drafts}
    biggest = sorted((i for i in lev.chain if durations[i] > 0), key=lambda i: -durations[i])
    ways = [f"move the deadline to {lev.finish_date.isoformat()} or later"]
    if biggest:
        ways.append(
            f"cut or split at least {_days(short)} of work on the chain that drives "
            "the finish (largest: " + ", ".join(f"{i} {durations[i]} d" for i in biggest[:3]) + ")"
        )
    if spec.quick_mode and not spec.team:
        ways.append(_more_people(spec.team_size, lev.finish_date, deadline, replan))
    elif lev.delays and any(d.on_chain_days for d in lev.delays):
        who = [d.person for d in lev.delays if d.on_chain_days]
        ways.append(
            "give some of the work of "
            + ", ".join(who[:_SHOWN])
            + " to someone else (the chain waits for them)"
        )
    return [
        Finding(
            kind="timeline",
            subjects=[*lev.chain[-1:], *biggest[:3]],
            message=(
                f"The work does not fit: {_days(short)} past the deadline "
                f"{deadline.isoformat()}. To fit: " + "; or ".join(ways) + "."
            ),
        )
    ]


def idle_people(spec: Spec, tl: Timeline) -> list[Finding]:
    """Quick mode: people the work breakdown gives nothing to do."""
    if not spec.quick_mode:
        return []
    working = {p for ps in tl.levelled.people.values() for p in ps} - {spec.pm}
    if spec.team:
        idle = [m.name for m in spec.team if m.allocation > 0 and m.name not in working and m.name != spec.pm]
        if not idle:
            return []
        return [
            Finding(
                kind="timeline",
                subjects=idle,
                message=(
                    f"No task of this work breakdown matches the role of {', '.join(idle)}: they have "
                    "no work in this plan (give them a role the breakdown uses, or tasks of their own)."
                ),
            )
        ]
    spare = spec.team_size - len(working)
    if spare <= 0:
        return []
    return [
        Finding(
            kind="timeline",
            subjects=[],
            message=(
                f"This work breakdown can use {len(working)} of the {spec.team_size} people (each task "
                f"takes at most its max_people); the other {spare} have no work in this plan."
            ),
        )
    ]


def _more_people(size: int, now: dt.date, deadline: dt.date, replan: Callable[[int], Restaffed]) -> str:
    """The smallest team that fits (adding people while the extra person still gets work), else
    the team with the earliest levelled finish (the smaller on a tie). Levelling each size is
    most of a quick plan's time: a size is levelled only when its CPM finish (a lower bound of
    its levelled finish) leaves it a chance to fit, or to beat the best finish found so far."""
    sizes: list[tuple[int, Restaffed]] = []
    used = -1
    for extra in range(1, MAX_EXTRA_PEOPLE + 1):
        team = replan(size + extra)
        if sizes and team.staffing == sizes[-1][1].staffing:
            # the same people on the same tasks as one person fewer: the same timeline (so it
            # does not fit either, and loses the tie for the earliest finish) and the same
            # number of people working, where the check below would stop: it is not made
            break
        sizes.append((extra, team))
        # the smallest that fits is the answer: the larger sizes need not be made
        if team.lower_bound <= deadline and (finish := team.finish()) <= deadline:
            return (
                f"add {extra} {'person' if extra == 1 else 'people'} (a team of "
                f"{size + extra} finishes {finish.isoformat()})"
            )
        working = team.working
        if working <= used:
            break  # the extra person got no work: the tasks cannot use more people
        used = working
    best: tuple[dt.date, int] | None = None  # (levelled finish, team size)
    for extra, team in sorted(sizes, key=lambda s: (s[1].lower_bound, s[0])):
        if best is not None and (team.lower_bound, size + extra) >= best:
            break  # this size and every later one cannot beat the best
        key = (team.finish(), size + extra)
        if best is None or key < best:
            best = key
    if best is None or best[0] >= now:
        return "more people would not help: the chain's tasks already have as many people as they can use"
    return (
        f"more people alone would not make it: a team of {best[1]} still finishes "
        f"{best[0].isoformat()} (each task can use only so many people)"
    )


def _person_delays(lev: LevelledPlan) -> list[Conflict]:
    out = []
    for d in lev.delays:
        shown = ", ".join(f"{tid} waits {_days(n)}" for tid, n in d.waits[:_SHOWN])
        more = f" and {len(d.waits) - _SHOWN} more" if len(d.waits) > _SHOWN else ""
        effect = (
            f"this delays the finish by {_days(d.on_chain_days)}"
            if d.on_chain_days
            else "the finish does not move"
        )
        out.append(
            Conflict(
                kind="resource_delay",
                message=(
                    f"{d.person} works on one task at a time, so tasks wait for them: "
                    f"{shown}{more}; {effect}."
                ),
                subjects=[d.person, *(tid for tid, _ in d.waits[:_SHOWN])],
            )
        )
    return out


def _link(t: PlannedTask, lev: LevelledPlan) -> str:
    person = lev.chain_waits.get(t.id)
    return f"{t.name} (waits for {person})" if person else t.name


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def _late_task(t: PlannedTask, ctx: PlanContext, owner_labels: dict[str, str]) -> Conflict:
    what = "review" if t.kind == "review" else "task"
    return Conflict(
        kind="past_deadline",
        message=(
            f"The {what} {t.name} ({t.id}) finishes {t.planned_finish.isoformat()}, past the "
            f"deadline {ctx.deadline.isoformat()}; {_who(t, owner_labels)}."
        ),
        subjects=[
            t.id,
            *([t.owner] if t.owner else []),
            *([owner_labels[t.id]] if t.id in owner_labels and owner_labels[t.id] != t.owner else []),
        ],
    )


def _who(t: PlannedTask, owner_labels: dict[str, str]) -> str:
    behind = owner_labels.get(t.id)
    owner = t.owner or "no owner"
    if behind and behind != t.owner:
        return f"owner: {owner}, on behalf of {behind}"
    return f"owner: {owner}"


def _internal_id(ctx: PlanContext) -> str | None:
    first = next((p for p in ctx.phases if p.exposure_percent == 0), None)
    return first.task_id if first else None
