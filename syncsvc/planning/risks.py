"""`assess_risks`: the risk matrix, owners, mitigations and mitigation tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

from syncsvc.catalog import Catalog
from syncsvc.model import Finding, Risk
from syncsvc.planning.drafts import MitigationDraft, TaskDraft
from syncsvc.spec import Spec

SCALE = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True)
class RiskAssessment:
    risks: list[Risk]
    findings: list[Finding] = field(default_factory=list)
    mitigations: list[MitigationDraft] = field(default_factory=list)


def assess_risks(spec: Spec, catalog: Catalog) -> RiskAssessment:
    """Spec risks, scored and sorted, with their mitigation tasks (catalog risks: to come)."""
    del catalog
    rows = []
    mitigations = []
    for r in spec.risks:
        score = SCALE[r.likelihood] * SCALE[r.impact]
        rows.append((score, r))
        mt = r.mitigation_task
        if mt is not None:
            task = TaskDraft(mt.id, mt.name, mt.phase, "task", mt.owner or r.owner,
                             mt.risk or "medium", mt.estimate, tuple(mt.depends_on), "mitigation")
            mitigations.append(MitigationDraft(task, mt.before, r.title))
    rows.sort(key=lambda x: (-x[0], -SCALE[x[1].impact], -SCALE[x[1].likelihood]))
    risks = [
        Risk(id=f"R{i}", title=r.title, likelihood=r.likelihood, impact=r.impact, score=s,
             owner=r.owner, mitigation=r.mitigation,
             mitigation_task=r.mitigation_task.id if r.mitigation_task else None)
        for i, (s, r) in enumerate(rows, 1)
    ]
    return RiskAssessment(risks, [], mitigations)
