"""`map_stakeholders`: stakeholders, RACI, conflicts and the communication plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from syncsvc.catalog import Catalog
from syncsvc.model import CommItem, Conflict, Finding, RaciRow, Stakeholder
from syncsvc.spec import Spec

if TYPE_CHECKING:
    from syncsvc.planning.build import PlanContext


@dataclass(frozen=True)
class StakeholderMap:
    stakeholders: list[Stakeholder] = field(default_factory=list)
    raci: list[RaciRow] = field(default_factory=list)
    communication_plan: list[CommItem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # task id -> the stakeholder behind it (a review's requester), for conflict messages
    owner_labels: dict[str, str] = field(default_factory=dict)


def map_stakeholders(spec: Spec, catalog: Catalog, ctx: PlanContext) -> StakeholderMap:
    """First- and second-order stakeholders, RACI per task, conflicts, communication plan."""
    del spec, catalog, ctx
    return StakeholderMap()
