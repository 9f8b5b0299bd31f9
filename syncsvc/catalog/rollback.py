"""Rollback catalog (mappings/rollback.toml): steps per deployment, triggers, comms, 2am-test rules."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from syncsvc.catalog.base import CatalogModel, check_placeholders
from syncsvc.catalog.risks import Keyword
from syncsvc.model import Deployment, Level

# The names a catalog text may use as {placeholder}; `fill` replaces exactly these.
# {old_channel}: the channel a messaging change replaces ("email" for "replacing email-only alerts")
PLACEHOLDERS = frozenset(
    {"flag_provider", "flag_key", "plan_id", "feature_name", "decision_maker", "pm", "old_channel"}
)
DEPLOYMENTS: tuple[Deployment, ...] = ("feature_flag", "canary", "blue_green", "big_bang")
Operator = Literal[">", ">=", "<", "<=", "==", "!="]


def _known_placeholders(text: str) -> str:
    return check_placeholders(text, PLACEHOLDERS)


Template = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_known_placeholders)
]
Metric = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$")]
Minutes = Annotated[int, Field(ge=1, le=24 * 60)]


class StepTemplate(CatalogModel):
    """One rollback step: who does what, exactly, what they should then see, and how long."""

    actor: Template
    action: Template
    expected_result: Template
    max_minutes: Minutes


class DeploymentTemplate(CatalogModel):
    """How one deployment type is rolled back."""

    label: str
    switch: Template
    assumptions: list[Template] = Field(default_factory=list)
    decision_maker: str | None = None
    steps: Annotated[list[StepTemplate], Field(min_length=1)]
    verification: Annotated[list[Template], Field(min_length=1)]


class TriggerTemplate(CatalogModel):
    """A default trigger; thresholds may tighten in early phases or scale with exposure."""

    metric: Metric
    operator: Operator
    threshold: float
    unit: str
    window_minutes: Minutes
    early_threshold: float | None = None
    scale_with_exposure: bool = False
    min_threshold: float | None = None
    source: str = ""  # the dashboard, query or log the number comes from

    @model_validator(mode="after")
    def _scaling(self) -> TriggerTemplate:
        if self.scale_with_exposure and (self.operator not in (">", ">=") or self.min_threshold is None):
            raise ValueError("scale_with_exposure needs operator '>' or '>=' and min_threshold")
        return self


class ToleranceDefaults(CatalogModel):
    """Decision maker and triggers for one risk tolerance."""

    decision_maker: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    early_exposure_percent: Annotated[float, Field(ge=0, le=100)]
    triggers: Annotated[list[TriggerTemplate], Field(min_length=1)]


class RollbackNotice(CatalogModel):
    """Who tells whom, where, within how many minutes of the rollback decision, and what."""

    who: Template
    whom: Template
    channel: Template
    within_minutes: Minutes
    message: Template


class LintRules(CatalogModel):
    """The 2am test: words that make a step vague, group words, the time limit."""

    vague_phrases: Annotated[list[str], Field(min_length=1)]
    group_words: list[str] = Field(default_factory=list)
    max_total_minutes: Minutes = 30
    # an actor naming one of these (or the decision maker) is on call at 2am
    on_call_words: list[str] = Field(default_factory=lambda: ["on-call", "on call"])


class Defaults(CatalogModel):
    """What a spec that names no deployment or flag provider gets (the flag key: the plan id)."""

    deployment: Deployment = "feature_flag"
    flag_provider: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class RollbackCatalog(CatalogModel):
    """Everything `build_rollback` and the 2am-test linter read."""

    defaults: Defaults
    deployments: dict[Deployment, DeploymentTemplate]
    tolerances: dict[Level, ToleranceDefaults]
    verification: list[Template] = Field(default_factory=list)
    communication: Annotated[list[RollbackNotice], Field(min_length=1)]
    lint: LintRules
    # a tolerance's trigger left out where the feature's words say it has nothing to watch
    # (metric -> the words): a page's latency for work run in batches while nobody waits on a page
    left_out: dict[Metric, list[Keyword]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> RollbackCatalog:
        for d in DEPLOYMENTS:
            if d not in self.deployments:
                raise ValueError(f"deployments.{d} is missing (every deployment type needs steps)")
        for lv in ("low", "medium", "high"):
            if lv not in self.tolerances:
                raise ValueError(f"tolerances.{lv} is missing")
        return self

    def deployment(self, kind: Deployment) -> DeploymentTemplate:
        return self.deployments[kind]

    def tolerance(self, level: Level) -> ToleranceDefaults:
        return self.tolerances[level]
