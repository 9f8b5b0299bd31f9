"""The default task set for quick mode (mappings/tasks.toml), scaled to timeline and team."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from syncsvc.catalog.base import CatalogModel

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]


class TaskTemplate(CatalogModel):
    id: Slug
    name: str
    phase: str
    kind: Literal["task", "review", "milestone"] = "task"
    weight: Annotated[float, Field(ge=0, le=100)]
    role: str
    depends_on: list[Slug] = Field(default_factory=list)
    risk: Literal["low", "medium", "high"] = "medium"
    min_team_size: Annotated[int, Field(ge=1)] = 1
    # With fewer people than this, the task waits for `serial_after` instead of running in
    # parallel with it (one engineer cannot build the API and the UI at once).
    parallel_min_team: Annotated[int, Field(ge=1)] = 1
    serial_after: Slug | None = None


class TaskCatalog(CatalogModel):
    tasks: Annotated[list[TaskTemplate], Field(min_length=1)]

    @model_validator(mode="after")
    def _refs(self) -> TaskCatalog:
        ids = [t.id for t in self.tasks]
        if len(set(ids)) != len(ids):
            raise ValueError("task ids must be unique")
        for t in self.tasks:
            for ref in [*t.depends_on, *([t.serial_after] if t.serial_after else [])]:
                if ref not in ids or ids.index(ref) >= ids.index(t.id):
                    raise ValueError(f"task '{t.id}': '{ref}' must be an earlier task id")
        return self
