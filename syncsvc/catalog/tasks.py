"""The generic work breakdown of quick mode (mappings/tasks.toml): effort, roles, and sizing."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from syncsvc.catalog.base import CatalogModel
from syncsvc.catalog.conditions import Condition

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Factor = Annotated[float, Field(gt=0, le=10)]
Tolerance = Literal["low", "medium", "high"]


class TaskTemplate(Condition):
    """One item of a work breakdown (the generic one, or a change profile's)."""

    id: Slug
    name: str
    phase: str
    kind: Literal["task", "review", "milestone"] = "task"
    # person-days of work at the base size (see Sizing); milestones: 0
    effort: Annotated[float, Field(ge=0, le=10_000)]
    # how many people can work on it at once (the task takes effort / people days)
    max_people: Annotated[int, Field(ge=1, le=100)] = 1
    role: str
    # done by an outside stakeholder (a review or approval): not a team member's time
    outside: bool = False
    depends_on: list[Slug] = Field(default_factory=list)
    risk: Literal["low", "medium", "high"] = "medium"
    min_team_size: Annotated[int, Field(ge=1)] = 1


_VERIFY: dict[Tolerance, float] = {"low": 1.3, "medium": 1.0, "high": 0.8}


class Sizing(CatalogModel):
    """How the size drivers scale a breakdown's effort (1.0 at the base size)."""

    base_users: Annotated[int, Field(ge=1)] = 10_000
    # extra effort per tenfold users above base_users, and the most users can add
    per_tenfold_users: Annotated[float, Field(ge=0, le=5)] = 0.15
    max_users_factor: Factor = 1.6
    # extra effort per change profile beyond the first (integration between them)
    per_extra_profile: Annotated[float, Field(ge=0, le=5)] = 0.15
    # review and verify work by risk tolerance (low tolerance: more testing and review)
    verify_factor: dict[Tolerance, Factor] = Field(default_factory=lambda: dict(_VERIFY))
    verify_phases: list[str] = Field(default_factory=lambda: ["verify"])


class TaskCatalog(CatalogModel):
    tasks: Annotated[list[TaskTemplate], Field(min_length=1)]
    sizing: Sizing = Field(default_factory=Sizing)

    @model_validator(mode="after")
    def _refs(self) -> TaskCatalog:
        ids = [t.id for t in self.tasks]
        if len(set(ids)) != len(ids):
            raise ValueError("task ids must be unique")
        for t in self.tasks:
            for ref in t.depends_on:
                if ref not in ids or ids.index(ref) >= ids.index(t.id):
                    raise ValueError(f"task '{t.id}': '{ref}' must be an earlier task id")
            if t.kind == "milestone" and t.effort:
                raise ValueError(f"task '{t.id}': a milestone has no effort (effort = 0)")
        return self
