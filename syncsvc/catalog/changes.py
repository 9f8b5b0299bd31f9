"""Change profiles (mappings/changes/*.toml): the kinds of change a plan recognises, and what
each brings: risks, stakeholders, triggers, a work breakdown, a rollout and a rollback."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from syncsvc.catalog.base import CatalogModel, Recent, load_model
from syncsvc.catalog.conditions import Condition, Situation
from syncsvc.catalog.examples import BLEND, Blend, ExampleIndex, Neighbour, also_kinds, blend_kinds, vote
from syncsvc.catalog.phases import PhaseTemplate
from syncsvc.catalog.risks import Keyword, RiskTemplate, Slug, Text, _no_dupes
from syncsvc.catalog.rollback import Metric, Minutes, Operator, StepTemplate, Template
from syncsvc.catalog.textmatch import Lexicon, Texts, WordIndex, new_way
from syncsvc.errors import ConfigError
from syncsvc.model import Level

Strategy = Literal[
    "percentage_ramp", "cohort_ramp", "shadow_cutover", "window_cutover", "staged_app_release", "dark_launch"
]
Mechanism = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")]


class Signal(CatalogModel):
    """Words that point to a kind of change; a group counts once, with its weight.

    `words` follow the keyword rules of risks.toml (whole words, plural allowed, "migrat*" for
    any ending). With `also`, the group counts only when one of those words is there too
    ("migrate" and "data"); with `and_also` as well, one of those words too.
    """

    words: Annotated[list[Keyword], Field(min_length=1)]
    weight: Annotated[float, Field(gt=0, le=10)] = 1
    also: list[Keyword] = Field(default_factory=list)
    # and one of these as well (a sentence's second part: "moved" + "to a hosted service" + "in
    # each depot" is a running thing moved from one place to another, each part alone is not)
    and_also: list[Keyword] = Field(default_factory=list)
    # words that say where a feature lives (a page, a website), not what kind of change it is:
    # they count towards recognising the profile, not towards leading a product feature
    where: bool = False
    # and none of these anywhere in the text ("version 2" is an app's, unless the text is about
    # an API whose version it is)
    unless: list[Keyword] = Field(default_factory=list)


class AboutWork(CatalogModel):
    """A piece of work people do, read from two parts of the sentence together: what they do
    ("get ready for", "terms of reference") and what it is for (an assessor's visit, a board).
    Neither part alone says the work is not a change to a product; both together do, unless the
    text names a product surface that changes (`unless`: an app, a page, a tool)."""

    words: Annotated[list[Keyword], Field(min_length=1)]
    also: Annotated[list[Keyword], Field(min_length=1)]
    unless: list[Keyword] = Field(default_factory=list)


class ProfilePhase(PhaseTemplate):
    """A phase of a strategy that names its own phases; `only` limits it to some tolerances.

    `monitoring_hours` is the medium-tolerance window; low doubles it, high halves it.
    """

    only: list[Level] = Field(default_factory=list)


class RolloutTemplate(CatalogModel):
    """How exposure grows for this kind of change."""

    strategy: Strategy
    summary: Template
    # percentage_ramp uses the tolerance's ladder (phases.toml); other strategies name phases
    phases: list[ProfilePhase] = Field(default_factory=list)

    @model_validator(mode="after")
    def _phases(self) -> RolloutTemplate:
        if self.strategy != "percentage_ramp" and len(self.phases) < 2:
            raise ValueError(f"strategy {self.strategy!r} needs its own phases (at least 2)")
        if self.phases and self.phases[-1].exposure_percent != 100:
            raise ValueError("the last rollout phase must expose 100% of users")
        _no_dupes("rollout phase id", [p.id for p in self.phases])
        return self


class RollbackTemplate(CatalogModel):
    """The mechanism that undoes this kind of change, its steps, and what it cannot undo."""

    mechanism: Mechanism
    switch: Template
    # can turning a feature flag off undo this change? (False: a flag-off rollback is wrong)
    flag_undoes: bool = False
    point_of_no_return: Template | None = None
    limits: list[Template] = Field(default_factory=list)
    assumptions: list[Template] = Field(default_factory=list)
    steps: Annotated[list[StepTemplate], Field(min_length=1)]
    verification: Annotated[list[Template], Field(min_length=1)]

    @model_validator(mode="after")
    def _limits_stated(self) -> RollbackTemplate:
        if not self.flag_undoes and not self.limits:
            raise ValueError("a rollback the flag cannot undo must state its `limits`")
        return self


class Variant(Condition):
    """What makes a variant of a profile's rollout or rollback apply: one of `keywords` in the
    feature's text, none of `unless`."""

    keywords: Annotated[list[Keyword], Field(min_length=1)]
    # words saying the text is another sort of change that merely names these (a database
    # upgrade that mentions its read replicas is not adding one): with one, the variant is not used
    unless: list[Keyword] = Field(default_factory=list)

    def applies(self, text: Situation) -> bool:
        return self.holds(text)


class RollbackVariant(RollbackTemplate, Variant):
    """A rollback for one sort of change within a profile (a consent banner, not a deletion job),
    used instead of the profile's `rollback` when it applies to the feature's text."""


class RolloutVariant(RolloutTemplate, Variant):
    """A rollout for one sort of change within a profile (a move of a provider that sends
    messages cannot run both providers on the same traffic), used instead of the profile's
    `rollout` when it applies to the feature's text."""


class ProfileTrigger(Condition):
    """A rollback trigger this kind of change needs, with where its number comes from."""

    metric: Metric
    operator: Operator
    thresholds: dict[Level, float]
    unit: str
    window_minutes: Minutes
    source: Annotated[Template, Field(min_length=3)]  # may name {feature_name}, {flag_key}...
    verification: Template | None = None
    # only when one of these words is in the feature's name or description ("websocket")
    keywords: list[Keyword] = Field(default_factory=list)
    # and none of these (another sort of change that merely names the keywords)
    unless: list[Keyword] = Field(default_factory=list)
    # the keywords count only outside the sentences about how things are done today
    beyond_today: bool = False
    # and none of these facets has taken over the kind's way back (a plan's entitlement check
    # means nothing where points that expire are what changes)
    not_facets: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _all_levels(self) -> ProfileTrigger:
        missing = [lv for lv in ("low", "medium", "high") if lv not in self.thresholds]
        if missing:
            raise ValueError(f"thresholds needs low, medium and high (missing {missing[0]})")
        if self.beyond_today and not self.keywords:
            raise ValueError("'beyond_today' needs 'keywords' (it says where they count)")
        return self


class WorkItem(CatalogModel):
    """One piece of work this change needs, for quick mode's timeline.

    `effort` is person-days at the base size; `max_people` how many can share it; `before`
    names tasks (of this breakdown or the generic skeleton) that must wait for it.
    """

    id: Slug
    name: Text
    phase: str
    kind: Literal["task", "review", "milestone"] = "task"
    role: Text
    effort: Annotated[float, Field(ge=0, le=500)]
    max_people: Annotated[int, Field(ge=1, le=20)] = 1
    risk: Level = "medium"
    depends_on: list[Slug] = Field(default_factory=list)
    before: list[Slug] = Field(default_factory=list)
    min_team_size: Annotated[int, Field(ge=1)] = 1


class Brings(CatalogModel):
    """What a profile or a facet brings to a plan, and the words that call it in."""

    signals: Annotated[list[Signal], Field(min_length=1)]
    # phrases whose words do not count here ("email template" is not email delivery)
    guards: list[Keyword] = Field(default_factory=list)
    risks: list[RiskTemplate] = Field(default_factory=list)
    triggers: list[ProfileTrigger] = Field(default_factory=list)
    stakeholders: list[Slug] = Field(default_factory=list)  # ids in stakeholders.toml
    questions: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_brought(self) -> Brings:
        _no_dupes("risk id", [r.id for r in self.risks])
        _no_dupes("trigger metric", [t.metric for t in self.triggers])
        return self


class ChangeProfile(Brings):
    """One kind of change."""

    id: Slug
    title: Text
    summary: Text
    priority: int = 0  # breaks ties for the primary profile
    threshold: Annotated[float, Field(gt=0)] = 3
    rollout: RolloutTemplate
    rollback: RollbackTemplate
    rollout_variants: list[RolloutVariant] = Field(default_factory=list)
    rollback_variants: list[RollbackVariant] = Field(default_factory=list)
    # recognised at all, this kind of change leads: a move from one provider to another is
    # planned as a migration first, whatever the provider does
    leads: bool = False
    # with words here, the profile leads only when one of them is in the text (a mobile release
    # leads with an app-store or app-version sense, not with staff using a handheld app)
    leads_with: list[Keyword] = Field(default_factory=list)
    # ...and not when one of these is: the platforms listed beside the web are where a change
    # is shown ("on iPhone, Android and the web"), not an app release
    leads_unless: list[Keyword] = Field(default_factory=list)
    # recognised only when no other profile is: the general kind (a product feature) that a
    # more specific profile replaces
    fallback: bool = False
    # phrases saying the text is not this kind of change at all (an office move, a policy
    # document): with one in the name or description, the profile is not recognised
    vetoes: list[Keyword] = Field(default_factory=list)
    # a veto found only in the description is lifted by one of these (a capability stated:
    # "HR admins will be able to..." after "after every reorg")
    veto_unless: list[Keyword] = Field(default_factory=list)
    # a place in the product where people do the thing ("in the app", "a page where"): a veto
    # word anywhere is then what the product is about (meeting rooms, a rota), not the work
    veto_lifted_by: list[Keyword] = Field(default_factory=list)
    # which of the tolerance's default triggers (rollback.toml) fit this change; None: all
    default_triggers: list[Metric] | None = None
    uses: list[Slug] = Field(default_factory=list)  # generic tasks (tasks.toml) it needs
    work: list[WorkItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ChangeProfile:
        _no_dupes("work id", [w.id for w in self.work])
        return self


def _percentage_ramp() -> list[Strategy]:
    return ["percentage_ramp"]


class Facet(Brings):
    """What a feature does (stores new data, shares things with other people, runs on a
    schedule, sends messages...), read from its verbs and objects whatever its kind of change.

    A facet attaches to any plan that recognised a kind of change, and brings the risks,
    triggers and stakeholders that doing that thing has; its risks come after the profiles'
    (a profile's risk of the same id wins). `not_profiles`: profiles that already cover it
    (`not_primary`: when they lead).
    """

    id: Slug
    title: Text  # what the feature does, as a reason: "stores new data"
    threshold: Annotated[float, Field(gt=0)] = 2
    not_profiles: list[Slug] = Field(default_factory=list)
    # profiles that cover it only when they lead the plan: a deletion job that PMs also call a
    # data migration is still a deletion; a data migration that deletes the old copy is not
    not_primary: list[Slug] = Field(default_factory=list)
    # only in a plan with one of these profiles (empty: any)
    profiles: list[Slug] = Field(default_factory=list)
    # risks of other facets this one brings too, by id (one risk, wherever two facets need it)
    borrows: list[Slug] = Field(default_factory=list)
    # how exposure grows instead of a percentage of users, when the plan's kind of change would
    # ramp by percentage: work done at the business's own sites goes site by site
    rollout: RolloutTemplate | None = None
    # the rollout's first phase is one of the sites the text counts ("our 40 clinics": 3%), with
    # its first signal group's words as the sites; a later phase no larger than it is left out
    per_site: bool = False
    # the strategies of the plan's kind of change that `rollout` replaces
    rollout_over: list[Strategy] = Field(default_factory=_percentage_ramp)
    # how this thing is undone where the kind of change's own way back cannot undo it: points
    # that expired come back from their ledger entries, not by turning a flag off
    rollback: RollbackTemplate | None = None
    # the mechanisms of the plan's kind of change that `rollback` replaces
    rollback_over: list[Mechanism] = Field(default_factory=list)
    # with one of these words in the text, the kind of change keeps its own rollout and rollback
    # (a new plan whose monthly credits expire is still undone by restoring the previous plans)
    kind_keeps_with: list[Keyword] = Field(default_factory=list)
    # the work this thing needs instead of the kind's (quick mode), by id: an item replaces the
    # kind's item of the same id; `drops_work` names the kind's items that do not apply at all
    work: list[WorkItem] = Field(default_factory=list)
    drops_work: list[Slug] = Field(default_factory=list)

    def open_to(self, profiles: Sequence[str]) -> bool:
        """Can a plan with these profile ids (primary first) have this facet: none of them
        covers it (`not_profiles`, `not_primary` when it leads) and one is of `profiles`."""
        return not (
            set(self.not_profiles) & set(profiles)
            or (bool(profiles) and profiles[0] in self.not_primary)
            or (self.profiles and not set(self.profiles) & set(profiles))
        )

    def replaces(self, text: Situation) -> bool:
        """Whether this facet's rollout and rollback may replace the kind of change's own."""
        return not self.kind_keeps_with or text.index.keyword(self.kind_keeps_with) is None

    @model_validator(mode="after")
    def _own_phases(self) -> Facet:
        if self.rollout is not None and self.rollout.strategy in self.rollout_over:
            strategy = self.rollout.strategy.replace("_", " ")
            raise ValueError(f"a facet's rollout replaces a {strategy}: give it another strategy")
        if self.rollback is not None and not self.rollback_over:
            raise ValueError("a facet's rollback needs `rollback_over`: the mechanisms it replaces")
        if self.rollback is not None and self.rollback.flag_undoes:
            raise ValueError("a facet's rollback replaces a way back that cannot undo it: not a flag")
        return self


@dataclass(frozen=True)
class FacetHit:
    """A facet the text shows, and the words that showed it."""

    facet: Facet
    signals: tuple[str, ...]


@dataclass(frozen=True)
class Detection:
    """A profile the text points to: its score and the words that made it so."""

    profile: ChangeProfile
    score: float
    signals: tuple[str, ...]
    # the score without the signal groups that only say where the feature lives
    own: float | None = None
    # the similar known features that made it lead (examples.py), nearest first
    like: tuple[str, ...] = ()
    # read from those features alone: the feature's own words did not point to it
    from_examples: bool = False
    # the kind the feature's own words pointed to first, when those features led over it
    over: str | None = None

    @property
    def kind_score(self) -> float:
        return self.score if self.own is None else self.own


@dataclass(frozen=True)
class Reading:
    """The kinds of change read from a feature's text (`ChangeCatalog.read`), best first; when
    the known features like it dropped the rules' kind: that reading, and those features."""

    kinds: list[Detection]
    dropped: Detection | None = None
    like: tuple[str, ...] = ()


class ChangeCatalog(CatalogModel):
    """Every change profile, in file-name order."""

    profiles: list[ChangeProfile]
    # the questions a PM should answer when no profile is recognised
    questions: list[Text] = Field(default_factory=list)
    # phrases saying the work is about a technology, not a change to it: thresholds triple
    about_guards: list[Keyword] = Field(default_factory=list)
    # an about-guard only in the description is lifted by one of these there (a capability stated)
    about_unless: list[Keyword] = Field(default_factory=list)
    # an about-guard anywhere, the name too, is lifted by one of these anywhere: the product
    # people use named as where the thing happens ("open our app", "in our software"; not
    # "using our", which says who the users are)
    about_lifted_by: list[Keyword] = Field(default_factory=list)
    # people's work read from the sentence's parts together (preparing for an assessment,
    # running a board): thresholds triple as with an about-guard
    about_work: list[AboutWork] = Field(default_factory=list)
    # product surfaces that keep every `about_work` group's text a change (an app, a page, "users
    # can"), beside each group's own `unless`
    about_surfaces: list[Keyword] = Field(default_factory=list)
    # product surfaces whose naming keeps known features of no kind from dropping the rules'
    # reading (`read`): a portal or a page changed is a change, whatever people's work is like it
    drop_surfaces: list[Keyword] = Field(default_factory=list)
    # phrases where a veto's or an about-guard's word has another sense (a hotel's front desk is
    # no office desk, plant hire no hiring): masked before vetoes and the about reading (guards and
    # people's work) are read
    other_senses: list[Keyword] = Field(default_factory=list)
    # what a feature does, whatever its kind (mappings/changes/_facets.toml)
    facets: list[Facet] = Field(default_factory=list)
    # known features and their kinds (mappings/changes/_examples.toml), indexed by their words
    examples: ExampleIndex = Field(default_factory=lambda: ExampleIndex(()))

    @model_validator(mode="after")
    def _unique(self) -> ChangeCatalog:
        _no_dupes("change profile id", [p.id for p in self.profiles])
        _no_dupes("facet id", [f.id for f in self.facets])
        return self

    def get(self, pid: str) -> ChangeProfile | None:
        return next((p for p in self.profiles if p.id == pid), None)

    def profile(self, pid: str) -> ChangeProfile:
        got = self.get(pid)
        if got is None:
            raise KeyError(pid)
        return got

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.profiles]

    @cached_property
    def surface_teams(self) -> tuple[str, ...]:
        """A product surface named as a team ("the platform team", "the app team"): people, not a
        surface that changes (`about_surfaces`)."""
        return tuple(f"{s} team" for s in self.about_surfaces if " " not in s)

    @cached_property
    def lexicon(self) -> Lexicon:
        """Every keyword detection searches for (signals, vetoes and their exceptions, about
        guards, lead words) and the guard phrases, compiled once per catalog (kept in the
        compiled catalog cache)."""
        keywords: list[str] = [
            *self.about_guards,
            *self.about_unless,
            *self.about_lifted_by,
            *self.about_surfaces,
            *self.drop_surfaces,
        ]
        for w in self.about_work:
            keywords += [*w.words, *w.also, *w.unless]
        guards: list[str] = [*self.surface_teams, *self.other_senses]
        for b in [*self.profiles, *self.facets]:
            for s in b.signals:
                keywords += [*s.words, *s.also, *s.and_also, *s.unless]
            guards += b.guards
            if isinstance(b, ChangeProfile):
                keywords += [*b.vetoes, *b.veto_unless, *b.veto_lifted_by, *b.leads_with, *b.leads_unless]
        return Lexicon(keywords, guards)

    @cached_property
    def signal_index(self) -> dict[str, tuple[tuple[int, int], ...]]:
        """Each signal word -> the (owner, group position) pairs holding it, owners numbered
        profiles first, then facets. A text fires only the groups of the lexicon keywords it has
        (every signal word is one), so one pass over its keywords gives the groups it fires for
        every profile and facet at once (`_Fired`); the rest need no lookup. Compiled once per
        catalog."""
        out: dict[str, list[tuple[int, int]]] = {}
        for owner, block in enumerate([*self.profiles, *self.facets]):
            for k, sig in enumerate(block.signals):
                for w in dict.fromkeys(sig.words):
                    out.setdefault(w, []).append((owner, k))
        return {w: tuple(pairs) for w, pairs in out.items()}

    @cached_property
    def guard_facets(self) -> dict[str, tuple[int, ...]]:
        """Each facet guard phrase -> the facets (by position) it guards. With `signal_index`,
        which facets a text can show (`_open_facets`). Compiled once per catalog."""
        out: dict[str, list[int]] = {}
        for k, f in enumerate(self.facets):
            for g in dict.fromkeys(f.guards):
                out.setdefault(g, []).append(k)
        return {g: tuple(ks) for g, ks in out.items()}

    def _texts(self, name: str, description: str) -> Texts:
        """The word indexes of this feature's texts: `detect_facets` right after `detect` of the
        same feature reads the indexes `detect` built (the last feature's are kept)."""
        return _RECENT.get(self.lexicon, (name, description), lambda: Texts(self.lexicon))

    def about_not_change(self, name: str, description: str) -> bool:
        """Does the text say the work is about a technology or is people's work, not a change
        to a product (`about_guards`, `about_work`)? Then every threshold triples. (The last
        text's answer is kept, as `_scores`'s: reading a feature asks two or three times, and
        each asking searches the text for some hundreds of guard words.)"""
        return _ABOUT.get(self, (name, description), lambda: self._about(name, description))

    def _about(self, name: str, description: str) -> bool:
        seen = self._texts(name, description)
        n, d = self._sensed(name, description, seen)
        guarded = bool(self.about_guards) and _found(self.about_guards, self.about_unless, n, d, seen)
        # read in the texts as written: `other_senses` masks a rota named as software ("a rota
        # tool"), the very words that lift the guard of another rota in the text
        if guarded and self.about_lifted_by and _found(self.about_lifted_by, (), name, description, seen):
            guarded = False
        if guarded and seen.index(n).keyword(self.about_guards) is None and self._name_reads(name):
            # the description's guard names what the change carries or keeps ("flock records
            # (feed, vaccinations)", "the daily headcount"), not the work: the name alone reads as
            # a specific kind of change
            guarded = False
        return guarded or _people_work(self.about_work, self.about_surfaces, self.surface_teams, n, d, seen)

    def _surfaced(self, name: str, description: str) -> bool:
        """Does the text name a product surface that keeps its reading (`drop_surfaces`: an app,
        a page, a portal), outside the names of teams ("the app team")?"""
        if not self.drop_surfaces:
            return False
        seen = self._texts(name, description)
        return any(
            seen.index(seen.unguarded(t, self.surface_teams)).keyword(self.drop_surfaces) is not None
            for t in (name, description)
        )

    def _sensed(self, name: str, description: str, seen: Texts) -> tuple[str, str]:
        """The name and description with `other_senses` masked: the texts vetoes and
        about-guards are read in (themselves when no such phrase is in them, the usual case)."""
        return seen.unguarded(name, self.other_senses), seen.unguarded(description, self.other_senses)

    def _name_reads(self, name: str) -> bool:
        """Does the name alone read as a move of a system or its data (a kind cut over, not
        ramped: "Move the turnstiles to a new access control provider"), at its threshold and by
        two words at least? A name that reads as a ramped kind may still be people's work
        ("Swap shifts between warehouse staff" is a rota, not a tool)."""
        return any(
            d.score >= d.profile.threshold and len(d.signals) >= 2 and d.profile.rollout.strategy in _CUTOVERS
            for d in self._read_scores(name, "")
        )

    def open_kinds(self, name: str, description: str) -> list[str]:
        """The kinds the nearest known features may give this text: none when the text says it is
        not a change to a product (`about_not_change`), else every kind whose vetoes it does not
        fire (an office move is never a vendor move because its neighbours are)."""
        if self.about_not_change(name, description):
            return []
        seen = self._texts(name, description)
        n, d = self._sensed(name, description, seen)
        return [p.id for p in self.profiles if not (p.vetoes and _vetoed(p, n, d, seen))]

    def _scores(self, name: str, description: str) -> list[Detection]:
        """Every profile the text does not veto with the signal groups it fires, whatever its
        score (a profile with none is left out), in the catalog's order (the last text's are
        kept: `detect` and `own_words` read them both, and a warm server reads one text often)."""
        return _SCORES.get(self, (name, description), lambda: self._read_scores(name, description))

    def _read_scores(self, name: str, description: str) -> list[Detection]:
        out: list[Detection] = []
        seen = self._texts(name, description)  # one index per distinct (guarded) text
        fired = _Fired(self.signal_index)
        n, d = self._sensed(name, description, seen)
        for owner, p in enumerate(self.profiles):
            if p.vetoes and _vetoed(p, n, d, seen):
                continue
            score, hits, where = _score_where(p.signals, p.guards, name, description, seen, fired.of(owner))
            if score > 0:
                out.append(Detection(p, score, hits, score - where))
        return out

    def own_words(self, name: str, description: str) -> dict[str, Detection]:
        """The kinds the text's own words point to at all, under their thresholds too (profile
        id -> its reading): the kinds open to secondary readings from known features."""
        if self.about_not_change(name, description):
            return {}
        return {d.profile.id: d for d in self._scores(name, description)}

    def detect(self, name: str, description: str, *, most: int = 4) -> list[Detection]:
        """The profiles the feature's name and description point to, best first.

        Each signal group counts once with its weight, half as much again when it is in the
        feature name. A profile is recognised at its threshold; secondaries must reach half the
        primary's score. The fallback kind (a product feature) leads when every other recognised
        kind yields to it (see `_yields`): a product feature that has a page is a product
        feature first; the page's kind follows it.
        """
        seen = self._texts(name, description)
        about = self.about_not_change(name, description)
        found = [
            d for d in self._scores(name, description) if d.score >= d.profile.threshold * (3 if about else 1)
        ]
        specific = [d for d in found if not d.profile.fallback]
        fallback = next((d for d in found if d.profile.fallback), None)
        if fallback is not None and specific:
            if all(_yields(d, fallback) for d in specific):
                specific.sort(key=lambda d: (-d.score, -d.profile.priority))
                return [fallback, *specific][:most]
            found = specific
        if not found:
            return []
        top = max(d.score for d in found)

        # a leading kind leads only when it is a real part of the text (a quarter of the best
        # score), and with its own sense when it names one (`leads_with`): a passing "vendor"
        # in a database upgrade does not make it a vendor move
        def leads(d: Detection) -> bool:
            p = d.profile
            if not p.leads or d.score < top / 4:
                return False

            def says(words: Sequence[str]) -> bool:
                return any(seen.index(t).keyword(words) is not None for t in (name, description))

            return (not p.leads_with or says(p.leads_with)) and not (p.leads_unless and says(p.leads_unless))

        found.sort(key=lambda d: (not leads(d), -d.score, -d.profile.priority))
        # with a cutover first, a second kind read only from where the feature lives (a page named
        # in a database move) is where people notice the cutover, not a second kind of change
        cutover = found[0].profile.rollout.strategy in _CUTOVERS
        return [
            found[0],
            *[
                d
                for d in found[1:]
                if d.score >= top / 2 and not (cutover and d.kind_score < d.profile.threshold)
            ],
        ][:most]

    def neighbours(self, name: str, description: str, k: int) -> list[Neighbour]:
        """The k known features nearest the text (the last text's are kept: the MCP server and
        quick mode read one feature several times)."""
        return _NEAREST.get(
            self.examples, (k, name, description), lambda: self.examples.nearest(name, description, k)
        )

    def read_kinds(
        self, name: str, description: str, *, most: int = 4, blend: Blend = BLEND
    ) -> list[Detection]:
        """The kinds of change of a feature, best first (`read`)."""
        return self.read(name, description, most=most, blend=blend).kinds

    def read(self, name: str, description: str, *, most: int = 4, blend: Blend = BLEND) -> Reading:
        """The kinds of change of a feature, best first: the signal rules' reading (`detect`),
        with the nearest known features (examples.py) heard as `blend` says (`blend_kinds`):
        enough of them agreeing on another kind lead (over a sure reading, only to a kind the
        text's own words point to at all); when the rules see no kind, enough of them
        agreeing give theirs; enough of them being changes of no kind drop a kind the rules read
        unsurely (the reading then names the dropped kind and those features). Then enough of
        them listing a kind the text's own words point to add it as a secondary kind
        (`also_kinds`), never changing the primary."""
        rules = self.detect(name, description, most=most)
        if not len(self.examples):
            return Reading(rules)
        heard = blend.heard(self.neighbours(name, description, blend.k))
        v = vote(heard, weighted=blend.weighted)
        ids = [d.profile.id for d in rules]
        # how surely the rules read a kind at all: the surest of their kinds (a vendor move that
        # leads by its priority may be read less surely than the payments kind beside it)
        strength = max((d.score / d.profile.threshold for d in rules), default=0.0)
        # the kinds open to the known features matter only when theirs is another kind
        asks = v is not None and v.kind is not None and ids[:1] != [v.kind]
        known: Sequence[str] = self.open_kinds(name, description) if asks else ()
        lead_sure = blend.lead_sure or blend.sure
        if asks and ids and lead_sure and strength >= lead_sure:
            # over a reading the rules are sure of, known features lead only to a kind the text's
            # own words point to at all: a lift pass shown in the resort app is a product
            # feature, however many known features like it were whole app releases
            own = self.own_words(name, description)
            known = [k for k in known if k in own]
        if asks and not ids and blend.fill_own and v.count < blend.override:  # type: ignore[union-attr]
            # a kind given by fewer than would lead over the rules: one the text's words point to
            known = [
                k
                for k, d in self.own_words(name, description).items()
                if d.score >= d.profile.threshold * blend.fill_own
            ]
            if blend.fill_among_own and v is not None and v.kind not in (None, *known):
                # the most of them agree on a kind the text does not point to: hear those that
                # agree on one it does (four everyday changes beside three price changes, for a
                # text that goes part of the way to a price change)
                v = vote([nb for nb in heard if nb.kind in known], weighted=blend.weighted) or v
        held = sum(nb.similarity for nb in heard if ids[:1] and ids[0] in nb.profiles)
        # a text that names the product surface it changes (a portal, a page, an app) is like
        # people's work of its trade (hiring drives, audits) in topic, not in what changes
        surfaced = bool(blend.drop_surfaced) and v is not None and v.kind is None and bool(ids)
        surfaced = surfaced and self._surfaced(name, description)
        kinds = blend_kinds(ids, v, blend, known=known, strength=strength, held=held, surfaced=surfaced)
        if v is None:
            return Reading(rules)
        if not kinds:
            if not ids:
                return Reading(rules)
            # enough known features like it are changes of no kind
            return Reading([], dropped=rules[0], like=tuple(nb.name for nb in v.neighbours))
        by_id = {d.profile.id: d for d in rules}
        if ids[:1] == kinds[:1]:
            found = list(rules)
        else:
            like = tuple(nb.name for nb in v.neighbours)
            over = ids[0] if ids else None
            lead = by_id.get(kinds[0])
            if lead is not None:
                first = replace(lead, like=like, over=over)
            else:
                shared = self.examples.shared(name, description, v.neighbours)[:6]
                first = Detection(
                    self.profile(kinds[0]), 0.0, tuple(shared), like=like, from_examples=True, over=over
                )
            found = [first, *(by_id[k] for k in kinds[1:])][:most]
        return Reading([*found, *self._also(name, description, found, heard, blend, most)])

    def _also(
        self,
        name: str,
        description: str,
        found: Sequence[Detection],
        heard: Sequence[Neighbour],
        blend: Blend,
        most: int,
    ) -> list[Detection]:
        """The secondary kinds the known features add to a reading (`also_kinds`): kinds the
        text's own words point to, if under their thresholds, that enough of them list; each
        explained by those features and the text's own words that point to that kind."""
        ids = [d.profile.id for d in found]
        if not blend.also or len(ids) >= most or not any(set(nb.profiles) - set(ids) for nb in heard):
            return []
        own = self.own_words(name, description)
        # the everyday kind (the fallback) stands for a change no specific kind reads; beside a
        # specific kind it would only add generic work, so known features never add it
        known = [
            k
            for k, d in own.items()
            if d.score >= d.profile.threshold * blend.also_own and not d.profile.fallback
        ]
        out = []
        for kind, who in also_kinds(ids, heard, blend, known=known, most=most):
            out.append(
                Detection(
                    self.profile(kind),
                    0.0,
                    own[kind].signals,  # `known` holds only kinds the text's own words point to
                    like=tuple(nb.name for nb in who),
                    from_examples=True,
                )
            )
        return out

    def detect_facets(self, name: str, description: str, profiles: Sequence[str]) -> list[FacetHit]:
        """The facets the feature's text shows, for a plan with these profile ids (none when
        the plan recognised no kind of change: a facet describes a change, it is not one)."""
        if not profiles:
            return []
        out: list[FacetHit] = []
        seen = self._texts(name, description)
        fired = _Fired(self.signal_index)
        first = len(self.profiles)
        for k in self._open_facets(name, description, seen, fired):
            f = self.facets[k]
            if not f.open_to(profiles):
                continue
            score, hits, _ = _score_where(f.signals, f.guards, name, description, seen, fired.of(first + k))
            if score >= f.threshold:
                out.append(FacetHit(f, hits))
        return out

    def _open_facets(self, name: str, description: str, seen: Texts, fired: _Fired) -> list[int]:
        """The facets (positions, in order) that can score on this text: those with a signal
        word in it, and those with a guard in it (blanking a guard joins the words either side
        into n-grams the text did not have). Any other facet reads the text unguarded, where
        none of its signal groups fires: it scores nothing."""
        first = len(self.profiles)
        out: set[int] = set()
        for text in (name, description):
            ix = seen.index(text)
            out.update(owner - first for owner in fired.owners(ix) if owner >= first)
            if len(ix.text) != len(text):  # `Texts.unguarded` masks such a text whatever it holds
                out.update(k for k, f in enumerate(self.facets) if f.guards)
                continue
            for g in ix.lexicon_phrases():
                out.update(self.guard_facets.get(g, ()))
        return sorted(out)


# the word indexes of the last feature read (see ChangeCatalog._texts)
_RECENT: Recent[Texts] = Recent()
# every profile's reading of the last feature read (see ChangeCatalog._scores)
_SCORES: Recent[list[Detection]] = Recent()
# whether the last feature read is about a technology or people's work (about_not_change)
_ABOUT: Recent[bool] = Recent()
# the nearest known features of the last feature read (see ChangeCatalog.neighbours)
_NEAREST: Recent[list[Neighbour]] = Recent()

# the fallback kind leads when every other recognised kind scores under this many times its
# threshold (and no more than the fallback)
FALLBACK_LEADS = 1.5


def _yields(d: Detection, fallback: Detection) -> bool:
    """Does a recognised kind follow the fallback (a product feature) rather than lead it? When
    it is weakly read (under FALLBACK_LEADS times its threshold, not counting the words that
    only say where the feature lives: a page, a website), scores no more than the fallback,
    and is undone the way a product feature is (its flag turned off): then leading would
    change no way back, only which kind the plan is first. A kind with its own way back (a
    cutover, a dark launch, an app release) keeps the lead."""
    p = d.profile
    return (
        d.kind_score <= fallback.score
        and d.kind_score < p.threshold * FALLBACK_LEADS
        and p.rollback.mechanism == fallback.profile.rollback.mechanism
        and p.rollout.strategy in _RAMPS
    )


# strategies that ramp a flag (by users or by accounts), as a product feature does
_RAMPS = frozenset({"percentage_ramp", "cohort_ramp"})
# strategies that move everything at once under the product (a database, a provider)
_CUTOVERS = frozenset({"window_cutover", "shadow_cutover"})


def _vetoed(p: ChangeProfile, name: str, description: str, seen: Texts) -> bool:
    """A veto in the name always counts; one only in the description counts unless the
    description states what someone can now do (`veto_unless`), and never in its sentences about
    how things are done today ("Today the office keys the forms in" says who does the work now,
    not that the work is an office move); none counts when the text names a place in the product
    where people do it (`veto_lifted_by`)."""
    if not _found(p.vetoes, p.veto_unless, name, new_way(description), seen):
        return False
    return not (
        p.veto_lifted_by and any(seen.index(t).keyword(p.veto_lifted_by) for t in (name, description))
    )


def _found(words: Sequence[str], unless: Sequence[str], name: str, description: str, seen: Texts) -> bool:
    """One of `words` in the name, or in a description that has none of `unless`."""
    if seen.index(name).keyword(words) is not None:
        return True
    d = seen.index(description)
    return d.keyword(words) is not None and not (unless and d.keyword(unless) is not None)


def _people_work(
    groups: Sequence[AboutWork],
    surfaces: Sequence[str],
    teams: Sequence[str],
    name: str,
    description: str,
    seen: Texts,
) -> bool:
    """One group's both parts in the feature's texts and none of its product surfaces (the
    catalog's `surfaces`, not where they name a team, and the group's own `unless`)."""
    if not groups:
        return False
    texts = (seen.index(name), seen.index(description))

    def has(words: Sequence[str]) -> bool:
        return bool(words) and any(t.keyword(words) is not None for t in texts)

    def surfaced() -> bool:
        return any(
            seen.index(seen.unguarded(t, teams)).keyword(surfaces) is not None for t in (name, description)
        )

    return any(has(g.words) and has(g.also) and not (surfaced() or has(g.unless)) for g in groups)


class _Fired:
    """The signal groups each text index fires, for every owner (profile or facet) at once,
    from the catalog's `signal_index`: one pass over each index's lexicon keywords instead of
    one per owner."""

    def __init__(self, index: Mapping[str, tuple[tuple[int, int], ...]]) -> None:
        self._index = index
        self._by_ix: dict[int, tuple[WordIndex, dict[int, set[int]]]] = {}

    def _table(self, ix: WordIndex) -> dict[int, set[int]]:
        # owner -> the groups of its that this text index fires
        got = self._by_ix.get(id(ix))
        if got is None or got[0] is not ix:
            table: dict[int, set[int]] = {}
            for kw in ix.lexicon_keywords():
                for o, k in self._index.get(kw, ()):
                    table.setdefault(o, set()).add(k)
            got = self._by_ix[id(ix)] = (ix, table)
        return got[1]

    def groups(self, ix: WordIndex, owner: int) -> set[int]:
        return self._table(ix).get(owner, _NONE)

    def owners(self, ix: WordIndex) -> Iterable[int]:
        """The owners with a signal group this text index fires."""
        return self._table(ix).keys()

    def of(self, owner: int) -> Callable[[WordIndex], set[int]]:
        return lambda ix: self.groups(ix, owner)


_NONE: set[int] = set()


def _score_where(
    signals: Sequence[Signal],
    guards: Sequence[str],
    name: str,
    description: str,
    seen: Texts | None = None,
    fired_in: Callable[[WordIndex], set[int]] | None = None,
) -> tuple[float, tuple[str, ...], float]:
    """Each signal group counts once with its weight, half as much again in the name; guard
    phrases are blanked first, and name and description are searched apart (a phrase must
    not run from one into the other). `seen` shares the word indexes of texts no guard
    changed between profiles (their n-gram tables are built once). The third number is the part
    of the score from groups that only say where the feature lives (`Signal.where`). `fired_in`
    (`_Fired.of` these signals' owner, with `seen`'s lexicon holding them): only the groups with
    a keyword the texts have are read, in their order (the others add nothing)."""
    seen = Texts() if seen is None else seen
    ixs = tuple(seen.index(seen.unguarded(t, guards)) for t in (name, description))
    if fired_in is not None and seen.lexicon is not None:
        signals = [signals[k] for k in sorted(fired_in(ixs[0]) | fired_in(ixs[1]))]
    score = where = 0.0
    hits: list[str] = []
    for s in signals:
        pair = [ix.keyword(s.words) for ix in ixs]
        hit = pair[0] or pair[1]
        if hit is None or any(
            more and all(ix.keyword(more) is None for ix in ixs) for more in (s.also, s.and_also)
        ):
            continue
        if s.unless and any(ix.keyword(s.unless) is not None for ix in ixs):
            continue
        points = s.weight * (1.5 if pair[0] is not None else 1)
        score += points
        if s.where:
            where += points
        if hit not in hits:
            hits.append(hit)
    return score, tuple(hits), where


def load_changes(folders: Sequence[Path]) -> ChangeCatalog:
    """Every `*.toml` of the folders (a later folder's file replaces one of the same name);
    files starting with "_" hold the catalog-wide settings (`_catalog.toml`: questions,
    about_guards; `_facets.toml`: facets; `_examples.toml`: known features and their kinds),
    added together. An example naming a kind no profile has is refused, naming its file."""
    files: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for f in sorted(folder.glob("*.toml")):
                files[f.name] = f
    profiles: list[ChangeProfile] = []
    settings: dict[str, list[object]] = {
        "questions": [],
        "about_guards": [],
        "about_unless": [],
        "about_lifted_by": [],
        "about_work": [],
        "about_surfaces": [],
        "drop_surfaces": [],
        "other_senses": [],
        "facets": [],
    }
    examples: list[tuple[str, ExampleIndex]] = []  # (file label, its examples)
    for fname in sorted(files):
        path = files[fname]
        label = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
        if fname.startswith("_"):
            part = load_model(path, ChangeCatalog, label=label, prepare=_no_profiles)
            for key in settings:
                settings[key] += getattr(part, key)
            if len(part.examples):
                examples.append((label, part.examples))
        else:
            profiles.append(load_model(path, ChangeProfile, label=label))
    settings["facets"] = _with_borrowed(settings["facets"])
    known = {p.id for p in profiles}
    for where, index in examples:
        unknown = sorted(index.kinds() - known)
        if unknown:
            raise ConfigError(
                f"{where}: examples: unknown change profile {unknown[0]!r}",
                hint="use the id of a profile in changes/, or rebuild the examples from the evaluation sets",
            )
    try:
        return ChangeCatalog.model_validate(
            {"profiles": profiles, **settings, "examples": ExampleIndex.joined(i for _, i in examples)}
        )
    except ValidationError as e:
        raise ConfigError(f"changes/: {e.errors(include_url=False)[0]['msg']}") from None


def _with_borrowed(facets: list[Any]) -> list[Any]:
    """Each facet with the risks it borrows from other facets added to its own."""
    owned = {r.id: r for f in facets for r in f.risks}
    out = []
    for f in facets:
        if f.borrows:
            missing = [rid for rid in f.borrows if rid not in owned]
            if missing:
                raise ConfigError(f"changes/: facet {f.id!r} borrows unknown risk id(s) {', '.join(missing)}")
            f = f.model_copy(update={"risks": [*f.risks, *(owned[rid] for rid in f.borrows)]})
        out.append(f)
    return out


def _no_profiles(data: dict[str, Any]) -> dict[str, Any]:
    return {"profiles": [], **data}
