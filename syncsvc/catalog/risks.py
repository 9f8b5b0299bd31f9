"""Risk templates (mappings/risks.toml): triggers, default scores, owners, mitigation tasks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from syncsvc.catalog.base import CatalogModel, check_placeholders
from syncsvc.catalog.conditions import Condition, Situation
from syncsvc.catalog.textmatch import WordIndex
from syncsvc.model import Deployment, Level
from syncsvc.spec import parse_estimate

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Keyword = Annotated[str, Field(min_length=1, max_length=100)]
# The categories every risk register covers (issue: change profiles)
Category = Literal[
    "technical", "data", "security_privacy", "timeline", "people", "dependency", "user_impact", "operations"
]
CATEGORIES: tuple[str, ...] = (
    "technical",
    "data",
    "security_privacy",
    "timeline",
    "people",
    "dependency",
    "user_impact",
    "operations",
)


def find_keyword(keywords: Sequence[str], text: str) -> str | None:
    """The first text matched by any keyword of the group, or None."""
    return WordIndex(text).keyword(keywords)


Traits = Situation  # what the triggers look at (see `planning.risks.spec_traits`)


class RiskWhen(Condition):
    """One case in which a risk applies: every condition given must hold.

    `keywords`: any of them in the feature name or description; `also`: and any of these too.
    A case may carry its own likelihood/impact (e.g. higher at scale).
    """

    keywords: list[Keyword] = Field(default_factory=list)
    also: list[Keyword] = Field(default_factory=list)
    min_users: Annotated[int, Field(ge=0)] | None = None
    max_users: Annotated[int, Field(ge=0)] | None = None
    min_team_size: Annotated[int, Field(ge=1)] | None = None
    max_team_size: Annotated[int, Field(ge=1)] | None = None
    min_work_days: Annotated[int, Field(ge=1)] | None = None
    max_work_days: Annotated[int, Field(ge=1)] | None = None
    # estimated longest task chain / working days in the timeline (specs with tasks only)
    min_schedule_load: Annotated[float, Field(gt=0, le=100)] | None = None
    deployment: list[Deployment] = Field(default_factory=list)
    tolerance: list[Level] = Field(default_factory=list)
    # any of these change profiles is in the plan / none of them is
    profiles: list[Slug] = Field(default_factory=list)
    not_profiles: list[Slug] = Field(default_factory=list)
    recognised: bool | None = None  # the plan recognised (True) / did not (False) a change
    # none of these facets (what the feature does) is in the plan / one of them is
    not_facets: list[Slug] = Field(default_factory=list)
    facets: list[Slug] = Field(default_factory=list)
    # the text names (True) / names none (False) of the organisation's own people
    names_staff: bool | None = None
    # words saying the text is another sort of change that merely names the keywords (records
    # moved into a new system with the old one frozen names "move" but dual-writes nothing)
    unless: list[Keyword] = Field(default_factory=list)
    # the keywords count only outside the description's sentences about how things are done
    # today ("Today clients email marked-up PDFs" names the old way, not an email the feature sends)
    beyond_today: bool = False
    likelihood: Level | None = None
    impact: Level | None = None

    @model_validator(mode="after")
    def _has_condition(self) -> RiskWhen:
        data = self.model_dump(exclude={"likelihood", "impact", "beyond_today"})
        if not any(v not in (None, []) for v in data.values()):
            raise ValueError("a trigger case needs at least one condition")
        if self.beyond_today and not self.keywords:
            raise ValueError("'beyond_today' needs 'keywords' (it says where they count)")
        if self.also and not self.keywords:
            raise ValueError("'also' needs 'keywords' (it narrows them)")
        return self

    def matches(self, t: Traits) -> bool:
        """True when every condition of this case holds for the traits (none of `unless` is in
        the text)."""
        return self.holds(t)


class Adjust(RiskWhen):
    """Moves a risk's likelihood and impact when its conditions hold (steps of one level)."""

    likelihood_step: Annotated[int, Field(ge=-2, le=2)] = 0
    impact_step: Annotated[int, Field(ge=-2, le=2)] = 0


_LEVELS: tuple[Level, ...] = ("low", "medium", "high")


def _step(level: Level, by: int) -> Level:
    return _LEVELS[max(0, min(2, _LEVELS.index(level) + by))]


class MitigationTaskTemplate(CatalogModel):
    """A task that carries out a mitigation; `before` is a quick-mode task id (tasks.toml)."""

    id: Slug
    name: Text
    estimate: int
    before: Slug
    depends_on: list[Slug] = Field(default_factory=list)
    phase: str = "build"
    risk: Level = "medium"

    @field_validator("estimate", mode="before")
    @classmethod
    def _estimate(cls, v: Any) -> int:
        days = parse_estimate(v)
        if days < 1:
            raise ValueError("a mitigation task takes at least 1 working day")
        return days


# the names a risk's title or mitigation may use as {placeholder}
RISK_PLACEHOLDERS = frozenset({"feature_name", "plan_id", "flag_provider", "flag_key", "named_staff"})


class RiskTemplate(CatalogModel):
    """A risk that applies to a feature when any of its `when` cases matches (a change
    profile's risk without `when` applies whenever the profile does). Every `adjust` whose
    conditions hold then moves its likelihood and impact."""

    id: Slug
    title: Text
    aliases: list[Text] = Field(default_factory=list)
    category: Category | None = None
    likelihood: Level
    impact: Level
    owner_role: Text
    mitigation: Text
    when: list[RiskWhen] = Field(default_factory=list)
    adjust: list[Adjust] = Field(default_factory=list)
    mitigation_task: MitigationTaskTemplate | None = None
    # a baseline risk fills its category only when no other risk of the plan covers it
    baseline: bool = False
    # False: this risk does not count as covering its category for the baselines (abuse of a
    # feature is a security risk, but says nothing of the security and privacy review)
    fills_category: bool = True
    # risks (by id, of any profile, facet or the cross-cutting catalog) that say the same thing
    # less closely: when this one applies they are left out ("Exports of the largest workspaces
    # time out" and the screen's "CSV exports of large accounts time out" are one risk); an id
    # no catalog has (a user's file replaced the one that had it) leaves nothing out
    covers: list[Slug] = Field(default_factory=list)

    @field_validator("title", "mitigation")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        # the names `planning.risks.placeholder_values` fills; any other would reach the plan
        # as "{name}"
        return check_placeholders(v, RISK_PLACEHOLDERS)

    @model_validator(mode="after")
    def _names_when_named(self) -> RiskTemplate:
        # {named_staff} is empty unless the text names the organisation's people: a risk that
        # says it must apply only then, or it would reach a plan as "()"
        if "{named_staff}" in self.title + self.mitigation and not (
            self.when and all(w.names_staff for w in self.when)
        ):
            raise ValueError(
                "a risk that says {named_staff} needs names_staff = true in each of its `when` cases"
            )
        return self

    def applies(self, traits: Traits) -> tuple[Level, Level] | None:
        """(likelihood, impact) of the first matching case, or None when none matches."""
        levels: tuple[Level, Level] | None = None
        if not self.when:
            levels = self.likelihood, self.impact
        for case in self.when:
            if case.matches(traits):
                levels = case.likelihood or self.likelihood, case.impact or self.impact
                break
        if levels is None:
            return None
        like, imp = levels
        for a in self.adjust:
            if a.matches(traits):
                like, imp = _step(like, a.likelihood_step), _step(imp, a.impact_step)
        return like, imp

    @property
    def titles(self) -> list[str]:
        """The title and its aliases, lowercased: what a spec risk overrides it by."""
        return [s.strip().lower() for s in (self.title, *self.aliases)]


class RoleArea(CatalogModel):
    """Words that name one area of work in a role ("back-end", "server" → backend).

    `covers`: areas a holder of this one may stand in for when nobody on the team holds them
    (a tech lead for the backend lead).
    """

    name: Slug
    words: Annotated[list[Keyword], Field(min_length=1)]
    covers: list[Slug] = Field(default_factory=list)


class RiskCatalog(CatalogModel):
    """All risk templates, in the order ties are listed, and the role vocabulary."""

    risks: Annotated[list[RiskTemplate], Field(min_length=1)]
    roles: list[RoleArea] = Field(default_factory=list)
    # words in a role that say nothing about its area
    role_filler: list[Keyword] = Field(default_factory=list)
    # words in a role that give its seniority ("lead", "head"): preferred, not required
    role_seniority: list[Keyword] = Field(default_factory=list)
    _areas: dict[str, tuple[frozenset[str], frozenset[str]]] = PrivateAttr(default_factory=dict)

    @field_validator("role_filler", "role_seniority")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return [w.strip().lower() for w in v]

    @model_validator(mode="after")
    def _unique(self) -> RiskCatalog:
        _no_dupes("risk id", [r.id for r in self.risks])
        _no_dupes("risk title or alias", [t for r in self.risks for t in r.titles])
        _no_dupes("mitigation task id", [r.mitigation_task.id for r in self.risks if r.mitigation_task])
        _no_dupes("role area", [a.name for a in self.roles])
        names = {a.name for a in self.roles}
        for a in self.roles:
            unknown = [c for c in a.covers if c not in names]
            if unknown:
                raise ValueError(f"role area {a.name!r} covers unknown area {unknown[0]!r}")
        return self

    def covered(self, areas: frozenset[str]) -> frozenset[str]:
        """The areas a generalist role (only areas that cover others) may stand in for.

        A "Tech Lead" covers the backend; a "Back-end Engineering Lead" is a specialist and
        covers nothing beyond the backend.
        """
        covering = {a.name: a.covers for a in self.roles if a.covers}
        if not areas or not areas <= covering.keys():
            return frozenset()
        return frozenset(c for a in areas for c in covering[a])

    def by_title(self) -> dict[str, RiskTemplate]:
        """Lowercased title or alias → template."""
        return {t: r for r in self.risks for t in r.titles}

    def role_areas(self, role: str) -> tuple[frozenset[str], frozenset[str]]:
        """(areas, seniority words) of a role: "Back-end Engineering Lead" → ({backend}, {lead}).

        Words no area knows, other than filler and seniority, count as areas of their own, so
        "Growth Lead" still finds "Growth Lead".
        """
        text = role.lower()
        cached = self._areas.get(text)
        if cached is not None:
            return cached
        areas: set[str] = set()
        rest = text
        index = WordIndex(text)
        for area in self.roles:
            hit = index.keyword(area.words)
            if hit is not None:
                areas.add(area.name)
                rest = rest.replace(hit, " ")
        tokens = re.findall(r"[a-z0-9]+", text)
        seniority = frozenset(t for t in tokens if t in self.role_seniority)
        skip = {*self.role_filler, *self.role_seniority}
        areas.update(t for t in re.findall(r"[a-z0-9]+", rest) if t not in skip)
        self._areas[text] = (frozenset(areas), seniority)
        return self._areas[text]


def _no_dupes(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what} {v!r}")
        seen.add(v)
