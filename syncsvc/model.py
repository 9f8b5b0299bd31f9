"""The plan as data: what every renderer, adapter and the MCP server read (CONTRACT §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, BinaryIO, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from syncsvc.rendering.jsontext import (
    json_bytes,
    json_pieces,
    model_json_bytes,
    model_json_text,
    write_model_json,
)

Level = Literal["low", "medium", "high"]
TaskKind = Literal["task", "review", "milestone", "rollout"]
Deployment = Literal["feature_flag", "canary", "blue_green", "big_bang"]
TaskSource = Literal["spec", "catalog", "mitigation", "rollout"]

PLAN_SCHEMA = "syncsvc.plan/1"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


_M = TypeVar("_M", bound=_Out)


def built(cls: type[_M], values: dict[str, Any], fields_set: set[str]) -> _M:
    """A `cls` holding `values` as they are: every field of `cls`, in its order, each of its
    field's type (the caller vouches; tests compare such rows with their validated selves).

    `cls.model_construct(fields_set, **values)` gives the same model, but loops over the
    fields (aliases, defaults) in Python: ~10 us a row against ~1 here, 0.2 s for the 20,000
    tasks of a plan. Built the way unpickling builds a model (pydantic's `__setstate__`,
    kept compatible so that pickles load), on models without extras, private attributes or a
    post-init. `fields_set` is shared by the rows, not copied."""
    m = cls.__new__(cls)
    m.__setstate__(
        {
            "__dict__": values,
            "__pydantic_fields_set__": fields_set,
            "__pydantic_extra__": None,
            "__pydantic_private__": None,
        }
    )
    return m


class Finding(_Out):
    """Something the PM should look at: a broken rule, a vague step, a suggestion."""

    kind: str
    message: str
    subjects: list[str] = Field(default_factory=list)


class Conflict(_Out):
    """A clash between the plan and its constraints (deadline, people, cadences)."""

    kind: str
    message: str
    subjects: list[str] = Field(default_factory=list)


class Risk(_Out):
    id: str
    title: str
    likelihood: Level
    impact: Level
    score: int
    owner: str | None
    mitigation: str
    source: Literal["spec", "catalog"] = "spec"
    owner_role: str | None = None
    mitigation_task: str | None = None
    category: str | None = None


class Stakeholder(_Out):
    name: str
    group: str
    order: Literal["first", "second"]
    influence: Level
    interest: Level
    cadence: str
    channel: str
    strategy: str = ""
    why: str = ""


class RaciRow(_Out):
    activity: str
    responsible: list[str]
    accountable: str | None
    consulted: list[str] = Field(default_factory=list)
    informed: list[str] = Field(default_factory=list)


class CommItem(_Out):
    audience: str
    cadence: str
    channel: str
    content: str
    when: str = ""
    date: dt.date | None = None  # the first (or only) date this goes out, when it has one


class Phase(_Out):
    name: str
    exposure_percent: int | float
    monitoring_hours: int
    gate: str = ""
    task_id: str | None = None


class PlannedTask(_Out):
    """One task of the timeline with its CPM schedule; dates are inclusive working days."""

    id: str
    name: str
    phase: str
    kind: TaskKind
    owner: str | None
    risk: Level
    estimate_days: int
    buffer_days: int
    duration_days: int
    depends_on: list[str]
    early_start: dt.date
    early_finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int
    critical: bool
    source: TaskSource = "spec"
    # levelled dates (CONTRACT §2 "Levelling"): equal to the early dates when nobody is
    # over-allocated; None only on plans built before levelling existed
    start: dt.date | None = None
    finish: dt.date | None = None
    # the levelled network: tasks this one waits for because the same person does them first
    waits_for: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)  # whose time it takes (levelling)
    estimate_range: list[int] | None = None  # [optimistic, pessimistic] working days, if given

    @property
    def planned_start(self) -> dt.date:
        """When the work is planned to start: the levelled date (the early date on old plans)."""
        return self.start or self.early_start

    @property
    def planned_finish(self) -> dt.date:
        """When the work is planned to finish: the levelled date (the early date on old plans)."""
        return self.finish or self.early_finish


class Trigger(_Out):
    metric: str
    operator: str
    threshold: int | float
    unit: str
    window_minutes: int
    phase: str | None = None
    source: str = ""  # where the number comes from: a dashboard, query or log


class RollbackStep(_Out):
    order: int
    actor: str
    action: str
    expected_result: str
    max_minutes: int


class Rollback(_Out):
    deployment: Deployment
    mechanism: str = "flag_off"
    decision_maker: str | None
    triggers: list[Trigger]
    steps: list[RollbackStep]
    verification: list[str]
    communication: list[str] = Field(default_factory=list)
    estimated_minutes: int = 0
    switch: str = ""
    assumptions: list[str] = Field(default_factory=list)
    limits: list[str] = Field(default_factory=list)  # what the mechanism cannot undo
    point_of_no_return: str | None = None


class ChangeProfileUse(_Out):
    """A change profile the plan used, and why (CONTRACT §4 `change_profiles`)."""

    id: str
    title: str
    primary: bool
    source: Literal["detected", "spec"]
    signals: list[str] = Field(default_factory=list)
    # the similar known features that made a detected kind lead (names), when they did
    like: list[str] = Field(default_factory=list)


class Rollout(_Out):
    """How exposure grows (CONTRACT §2 strategies)."""

    strategy: str = "percentage_ramp"
    summary: str = ""


class Confidence(_Out):
    """The Monte Carlo finish range over the levelled network (CONTRACT §2 "Confidence")."""

    p50: dt.date
    p80: dt.date
    p95: dt.date
    deadline_probability: float
    samples: int
    seed: int
    criticality: dict[str, float] = Field(default_factory=dict)


class Plan(_Out):
    """The whole rollout plan; `to_json(part)` gives the CONTRACT §4 objects."""

    schema_: str = Field(default=PLAN_SCHEMA, alias="schema")
    plan_id: str
    feature_name: str
    description: str
    risk_tolerance: Level
    team_size: int
    timeline: str
    pm: str
    users: int | None = None
    start_date: dt.date
    holidays: list[dt.date] = Field(default_factory=list)
    deadline: dt.date
    finish_date: dt.date
    fits_timeline: bool
    levelled_finish: dt.date | None = None
    confidence: Confidence | None = None
    change_profiles: list[ChangeProfileUse] = Field(default_factory=list)
    rollout: Rollout = Field(default_factory=Rollout)
    risks: list[Risk] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    raci: list[RaciRow] = Field(default_factory=list)
    communication_plan: list[CommItem] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    tasks: list[PlannedTask] = Field(default_factory=list)
    critical_path: list[str] = Field(default_factory=list)
    rollback: Rollback | None = None
    conflicts: list[Conflict] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    quick_mode: bool = False
    version: str = "v1"
    changelog: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def task(self, task_id: str) -> PlannedTask:
        """The planned task with this id (KeyError when absent)."""
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)


# Keys each single-tool command prints besides schema, plan_id and findings (CONTRACT §4).
PART_KEYS: dict[str, tuple[str, ...]] = {
    "assess-risks": ("risks",),
    "map-stakeholders": ("stakeholders", "raci", "conflicts", "communication_plan"),
    "generate-timeline": (
        "start_date",
        "deadline",
        "finish_date",
        "levelled_finish",
        "fits_timeline",
        "phases",
        "tasks",
        "critical_path",
        "conflicts",
    ),
    "build-rollback-plan": ("phases", "rollback"),
}


def shows_raci(part: str | None) -> bool:
    """Whether the output of `part` (a command name; None: the whole plan) shows the RACI, the
    communication plan or their findings (kinds "raci" and "stakeholder"), as JSON or Markdown:
    the other parts need not build them (a RACI row per task)."""
    if part is None or part == "create-rollout-plan":
        return True
    return "raci" in PART_KEYS[part] or "communication_plan" in PART_KEYS[part]


# Fields that are internal detail of the plan, left out of the public JSON.
_PRIVATE = {"quick_mode"}


def to_json(plan: Plan, part: str | None = None) -> dict[str, Any]:
    """The JSON object for the whole plan (`part=None`) or for one planning tool."""
    if part is None or part == "create-rollout-plan":
        return plan.model_dump(mode="json", by_alias=True, exclude=_PRIVATE)
    keys = ("schema", "plan_id", *PART_KEYS[part], "findings")
    # dump this part's fields only: a timeline of 20,000 tasks need not dump 20,000 RACI rows
    full = plan.model_dump(
        mode="json", by_alias=True, include={"schema_" if k == "schema" else k for k in keys}
    )
    out = {k: full[k] for k in keys}
    out["findings"] = [f for f in full["findings"] if _finding_part(f["kind"]) in (part, None)]
    return out


def _part_fields(plan: Plan, part: str) -> dict[str, Any]:
    # `to_json(plan, part)` with the fields' values as they are (models, dates), not dumped
    out = {
        k: getattr(plan, "schema_" if k == "schema" else k) for k in ("schema", "plan_id", *PART_KEYS[part])
    }
    out["findings"] = [f for f in plan.findings if _finding_part(f.kind) in (part, None)]
    return out


def to_json_text(plan: Plan, part: str | None = None) -> str:
    """`to_json(plan, part)` as `json.dumps(indent=2, ensure_ascii=False)` writes it, faster."""
    if part is None or part == "create-rollout-plan":
        return model_json_text(plan, by_alias=True, exclude=_PRIVATE)
    return to_json_bytes(plan, part).decode()


def to_json_bytes(plan: Plan, part: str | None = None) -> bytes:
    """`to_json_text(plan, part)` as UTF-8 bytes, without the text in between (the export and
    the planning commands write them to their files as they are)."""
    if part is None or part == "create-rollout-plan":
        return model_json_bytes(plan, by_alias=True, exclude=_PRIVATE)
    return b"".join(to_json_pieces(plan, part))


def to_json_pieces(plan: Plan, part: str) -> Iterator[bytes]:
    """`to_json_bytes(plan, part)` of one planning tool's part, in pieces: its tasks a slice
    at a time (a file or stdout need never hold the whole text of a large plan)."""
    # the models written straight to text: no dict per task first (half the time at 20,000 tasks)
    data = _part_fields(plan, part)
    if "tasks" not in data:
        yield json_bytes(data, plain=lambda: to_json(plan, part))
        return
    yield from json_pieces(data, streamed="tasks", plain=lambda: to_json(plan, part))


def write_json(plan: Plan, f: BinaryIO) -> None:
    """Write `to_json_bytes(plan)` into the seekable `f`, the plan's tasks and RACI rows a
    slice at a time (the whole text of a 20,000-task plan is ~17 MB)."""
    write_model_json(f, plan, streamed=("tasks", "raci"), by_alias=True, exclude=_PRIVATE)


# Which tool a finding kind belongs to, so each tool shows the findings of its own part.
FINDING_PART: dict[str, str] = {
    "unowned_risk": "assess-risks",
    "suggested_task": "assess-risks",
    "risk_owner_fallback": "assess-risks",
    "unmitigated_risk": "assess-risks",
    "raci": "map-stakeholders",
    "stakeholder": "map-stakeholders",
    "two_am_test": "build-rollback-plan",
    "rollback": "build-rollback-plan",
    "timeline": "generate-timeline",
}


def _finding_part(kind: str) -> str | None:
    return FINDING_PART.get(kind)
