"""The rollout ladder per risk tolerance (mappings/phases.toml)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from syncsvc.catalog.base import CatalogModel


class PhaseTemplate(CatalogModel):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
    name: str
    exposure_percent: Annotated[float, Field(ge=0, le=100)]
    monitoring_hours: Annotated[int, Field(ge=1, le=24 * 60)]
    gate: str
    audience: str = ""

    @property
    def days(self) -> int:
        """Working days the phase takes: its monitoring window, at least one day."""
        return max(1, -(-self.monitoring_hours // 24))


class Ladder(CatalogModel):
    summary: str
    phases: Annotated[list[PhaseTemplate], Field(min_length=2)]

    @model_validator(mode="after")
    def _ends_at_full(self) -> Ladder:
        if self.phases[-1].exposure_percent != 100:
            raise ValueError("the last phase must expose 100% of users")
        pcts = [p.exposure_percent for p in self.phases]
        if pcts != sorted(pcts):
            raise ValueError("exposure must not go down from one phase to the next")
        return self


class PhaseCatalog(CatalogModel):
    low: Ladder
    medium: Ladder
    high: Ladder

    def ladder(self, tolerance: str) -> Ladder:
        ladder: Ladder = getattr(self, tolerance)
        return ladder
