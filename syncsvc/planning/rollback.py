"""`build_rollback`: deployment type, triggers, decision maker, steps and the 2am test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from syncsvc.catalog import Catalog
from syncsvc.model import Finding, Rollback
from syncsvc.spec import Spec

if TYPE_CHECKING:
    from syncsvc.planning.build import PlanContext


@dataclass(frozen=True)
class RollbackResult:
    rollback: Rollback
    findings: list[Finding] = field(default_factory=list)


def build_rollback(spec: Spec, catalog: Catalog, ctx: PlanContext) -> RollbackResult:
    """The rollback plan for the spec's deployment type (catalog steps: to come)."""
    del catalog, ctx
    return RollbackResult(Rollback(deployment=spec.deployment or "feature_flag",
                                   decision_maker=None, triggers=[], steps=[], verification=[]))
