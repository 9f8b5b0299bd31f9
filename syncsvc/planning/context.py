"""What the planning steps share: the scheduled timeline of a plan and the context the fit,
stakeholder and rollback steps read of it (built by `build_plan`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from syncsvc.calendar import WorkCalendar
from syncsvc.model import Phase, PlannedTask
from syncsvc.planning.drafts import TaskDraft
from syncsvc.planning.levelling import LevelledPlan
from syncsvc.planning.profiles import Profiles
from syncsvc.schedule import Schedule
from syncsvc.spec import Spec


@dataclass(frozen=True)
class PlanContext:
    """What the stakeholder and rollback steps read of the scheduled plan."""

    spec: Spec
    pm: str
    calendar: WorkCalendar
    deadline: dt.date
    tasks: list[PlannedTask]
    phases: list[Phase]
    critical_path: list[str]
    profiles: Profiles = field(default_factory=Profiles)
    strategy: str = "percentage_ramp"


@dataclass(frozen=True)
class Timeline:
    """The tasks of a plan, their CPM schedule and their levelled schedule."""

    drafts: list[TaskDraft]
    sched: Schedule
    levelled: LevelledPlan
    given_rollouts: bool
