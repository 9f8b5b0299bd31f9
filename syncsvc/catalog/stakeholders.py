"""Stakeholder templates, traits and communication defaults (mappings/stakeholders.toml)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from syncsvc.catalog.base import CatalogModel, Recent, check_placeholders
from syncsvc.catalog.conditions import Condition, Situation
from syncsvc.catalog.textmatch import PhraseIndex, WordIndex, words_of
from syncsvc.model import Deployment, Level, PlannedTask, TaskKind

Cadence = Literal["daily", "weekly", "biweekly", "monthly", "per-phase"]
Strategy = Literal["manage closely", "keep satisfied", "keep informed", "monitor"]
RolloutScope = Literal["any", "exposing", "internal", "full"]
Gates = Literal["none", "all", "exposing", "full"]
CommKind = Literal[
    "regular",
    "fixed",
    "before_exposure",
    "before_full",
    "at_gates",
    "before_owned",
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
TraitName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Words = list[Annotated[str, Field(min_length=1)]]

# Placeholders a catalog text may use; anything else in braces is refused when loading.
PLACEHOLDERS = frozenset({"feature", "phase", "date", "days", "pm", "task", "start"})


def _check_placeholders(text: str) -> str:
    return check_placeholders(text, PLACEHOLDERS)


def whole_words(v: list[str]) -> list[str]:
    """A validator of keywords matched as written (whole words and phrases): a `*` in one would
    be looked for as written and never match, so the catalog says so where it loads."""
    starred = [w for w in v if "*" in w]
    if starred:
        raise ValueError(
            f"'{starred[0]}': these keywords are whole words and phrases, matched as written; "
            'write each form instead of a "*" ("supplier", "suppliers")'
        )
    return v


class TaskSelector(CatalogModel):
    """Which planned tasks a rule is about: every condition given must hold; lists are any-of."""

    kinds: list[TaskKind] = Field(default_factory=list)
    phases: Words = Field(default_factory=list)
    # whole words or phrases in the task's id or name
    keywords: Words = Field(default_factory=list)
    rollout: RolloutScope | None = None

    @field_validator("keywords")
    @classmethod
    def _whole_words(cls, v: list[str]) -> list[str]:
        return whole_words(v)

    @model_validator(mode="after")
    def _not_empty(self) -> TaskSelector:
        if not (self.kinds or self.phases or self.keywords or self.rollout):
            raise ValueError("a task selector needs kinds, phases, keywords or rollout")
        return self


class When(Condition):
    """One way a template applies to a spec: every condition given must hold.

    A template applies when any of its `when` entries holds. Its keywords are whole words or
    phrases (no plurals or word endings, unlike a risk's).
    """

    keyword_rule: ClassVar[Literal["keyword", "phrase"]] = "phrase"

    always: bool = False
    traits: Words = Field(default_factory=list)  # any of these traits is present
    all_traits: Words = Field(default_factory=list)  # every one of these traits is present
    unless_traits: Words = Field(default_factory=list)  # none of these traits is present
    # any of these words or phrases in the feature name or description
    keywords: Words = Field(default_factory=list)
    min_users: Annotated[int, Field(ge=0)] | None = None
    min_team_size: Annotated[int, Field(ge=1)] | None = None
    tolerance: list[Level] = Field(default_factory=list)
    deployment: list[Deployment] = Field(default_factory=list)
    tasks: list[TaskSelector] = Field(default_factory=list)  # some task of the timeline matches
    profiles: list[Slug] = Field(default_factory=list)  # any of these change profiles is in the plan
    not_profiles: list[Slug] = Field(default_factory=list)  # none of these profiles is in it
    # the text names the organisation's own people (`planning.risks.named_staff`), or it does not
    names_staff: bool | None = None
    # the plan recognised a kind of change (true), or none (false)
    recognised: bool | None = None
    # and one of these words too (by the keyword rules: "drivers" finds "driver")
    also: Words = Field(default_factory=list)

    @field_validator("keywords")
    @classmethod
    def _whole_words(cls, v: list[str]) -> list[str]:
        return whole_words(v)

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        given = (
            self.traits
            or self.all_traits
            or self.unless_traits
            or self.keywords
            or self.min_users is not None
            or self.min_team_size is not None
            or self.tolerance
            or self.deployment
            or self.tasks
            or self.profiles
            or self.names_staff is not None
            or self.recognised is not None
        )
        if self.always and given:
            raise ValueError("`always = true` cannot be combined with other conditions")
        if not self.always and not given:
            raise ValueError("a `when` entry needs at least one condition (or always = true)")
        return self


class CommTemplate(Condition):
    """One line of the communication plan for an audience.

    kind: regular (the stakeholder's cadence, overridable in the spec), fixed (its own cadence),
    before_exposure (`days` working days before each rollout phase that exposes users),
    before_full (`days` before the full rollout starts), at_gates (at each gate in `gates`),
    before_owned (`days` before each task the stakeholder signs off starts).
    """

    kind: CommKind
    content: Annotated[str, Field(min_length=1)]
    cadence: Cadence | None = None
    channel: str | None = None
    days: Annotated[int, Field(ge=0, le=250)] = 0
    traits: Words = Field(default_factory=list)  # only when one of these traits is present
    unless_traits: Words = Field(default_factory=list)  # only when none of these is present

    @field_validator("content", "channel")
    @classmethod
    def _placeholders(cls, v: str | None) -> str | None:
        return v if v is None else _check_placeholders(v)

    @model_validator(mode="after")
    def _fixed_needs_cadence(self) -> CommTemplate:
        if self.kind == "fixed" and self.cadence is None:
            raise ValueError("a `fixed` communication needs a cadence")
        return self


class KnownAs(CatalogModel):
    """Another name the group goes by where `when` holds, shown beside its own name: Customer
    Support is the contact centre of an organisation its customers phone."""

    name: Annotated[str, Field(min_length=1)]
    when: When


class StakeholderTemplate(CatalogModel):
    """A stakeholder group: when it matters, how to engage it, where it sits in the RACI."""

    id: Slug
    name: Annotated[str, Field(min_length=1)]
    group: Slug
    order: Literal["first", "second"] = "second"
    # other group names and words that mean this group in a spec
    aliases: Words = Field(default_factory=list)
    influence: Level
    interest: Level
    cadence: Cadence
    channel: Annotated[str, Field(min_length=1)]
    why: Annotated[str, Field(min_length=1)]
    needs: Annotated[str, Field(min_length=1)]
    gates: Gates = "none"  # rollout gates whose result this group must hear
    when: list[When] = Field(default_factory=list)
    # never in a plan whose text shows one of these traits, whoever brings it (a change profile
    # too): an app on staff devices under device management passes no app store's review
    not_traits: Words = Field(default_factory=list)
    owns: list[TaskSelector] = Field(default_factory=list)  # tasks it requests or signs off
    responsible: list[TaskSelector] = Field(default_factory=list)  # tasks it helps do
    consulted: list[TaskSelector] = Field(default_factory=list)
    informed: list[TaskSelector] = Field(default_factory=list)
    comms: list[CommTemplate] = Field(default_factory=list)
    # the first of these whose condition holds names the group in the plan ("Customer Support
    # (contact centre)"); a second-order group only
    known_as: list[KnownAs] = Field(default_factory=list)

    @field_validator("name", "why", "needs", "channel")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        return _check_placeholders(v)

    @model_validator(mode="after")
    def _second_needs_triggers(self) -> StakeholderTemplate:
        if self.order == "first" and self.when:
            raise ValueError(f"stakeholder '{self.id}': a first-order default is always added; remove `when`")
        if self.order == "first" and self.known_as:
            raise ValueError(
                f"stakeholder '{self.id}': `known_as` names a second-order group only; remove it"
            )
        return self


class StrategyDefaults(CatalogModel):
    """How to engage a stakeholder whose group the catalog does not know."""

    description: Annotated[str, Field(min_length=1)]
    cadence: Cadence
    channel: Annotated[str, Field(min_length=1)]
    needs: Annotated[str, Field(min_length=1)]
    gates: Gates = "none"
    informed: list[TaskSelector] = Field(default_factory=list)


def _review_kinds() -> list[TaskKind]:
    return ["review"]


class RaciRules(CatalogModel):
    """How RACI rows are filled (see the comments in the TOML file)."""

    pm_roles: Words = Field(default_factory=list)  # role owners that stand for the PM
    signoff_kinds: list[TaskKind] = Field(default_factory=_review_kinds)


class RolloutRules(CatalogModel):
    """Telling a user-exposing rollout task from an internal one, for specs that give their own."""

    internal_words: Words = Field(default_factory=list)


class NamedPeople(CatalogModel):
    """The people a feature's own text names ("kitchen supervisors", "parents", "the contact
    centre"): first-order stakeholders of a quick draft, since the PM wrote them down.

    A name is a head word of `staff` or `public`, with the word before it when that word can
    start a name (not in `not_before`, not a verb ending in -ing or -ed, not an adverb), else the
    head alone unless it is `generic` ("customers" alone is the catalog's customers); a word
    before "team" or "teams" (up to two: "electoral services team"); or a phrase of `units`
    (people at work named by their place: "reception", "the lab"). A head after a word of
    `things_before` is software ("API clients", "AI agents"), and one before a word of
    `things_after` names a thing of theirs ("patient records"): no name. A plan lists at most `most`
    of them, after leaving out those it already has.
    """

    staff: Words  # people who work for the organisation (or for it as volunteers)
    public: Words  # people the organisation serves, sells to or works with
    # organisations outside it that the change reaches or leans on (councils, bus operators,
    # rescue centres, insurers): named with the word before them, as people are
    partners: Words = Field(default_factory=list)
    units: Words = Field(default_factory=list)
    generic: Words = Field(default_factory=list)
    not_before: Words = Field(default_factory=list)
    # after one of these the head is software, not people ("API clients", "AI agents")
    things_before: Words = Field(default_factory=list)
    # before one of these the head names a thing of theirs ("patient records", "member portal")
    things_after: Words = Field(default_factory=list)
    # the organisation's own places where its people work ("our 40 salons", "the box office",
    # "each depot"): the staff there are named by the place ("Salon staff", "Box office staff");
    # partner words among them ("clubs") only where they are the organisation's own
    places: Words = Field(default_factory=list)
    # places said only with the word before them ("box office", "data centre": "the office" may
    # be anybody's); the others are named by the place alone ("nearest clinic" -> "Clinic staff")
    places_with_word: Words = Field(default_factory=list)
    # words before a place word that make it a thing, not a place people work in ("app store",
    # "data store", "release branch", "card terminal")
    not_before_places: Words = Field(default_factory=list)
    # words after a place word that make it a thing of the place ("hotel voucher", "practice
    # software", "school holidays"); `things_after` and another place word ("school office") too
    not_after_places: Words = Field(default_factory=list)
    # words that may come just before a place word that stands alone ("our salons", "each depot")
    place_openers: Words = Field(default_factory=list)
    most: Annotated[int, Field(ge=0, le=10)] = 4
    # staff heads that as often name people of another organisation (a customer's drivers, the
    # courier, auditors): stakeholders, but not the organisation's own people whose routine changes
    outside_staff: Words = Field(default_factory=list)
    # public heads that name businesses the organisation works with, never the people it serves:
    # not the word for its customers ("an assistance partner", "our suppliers")
    not_served: Words = Field(default_factory=list)
    # how each kind is engaged: a template whose `name` is replaced by the name found
    staff_template: StakeholderTemplate
    public_template: StakeholderTemplate
    partner_template: StakeholderTemplate | None = None

    @model_validator(mode="after")
    def _heads_once(self) -> NamedPeople:
        lists = (("staff", self.staff), ("public", self.public), ("partners", self.partners))
        for i, (a, one) in enumerate(lists):
            for b, other in lists[i + 1 :]:
                both = sorted(set(one) & set(other))
                if both:
                    raise ValueError(f"named: {', '.join(both)} listed as both {a} and {b}; keep one")
        if self.partners and self.partner_template is None:
            raise ValueError("named: partners need a partner_template")
        return self

    def find(self, *texts: str) -> list[tuple[str, StakeholderTemplate]]:
        """Every name in `texts` (in order, each head or unit once) and the template of each
        (the last texts' are kept, as `StakeholderCatalog.facts` keeps their traits)."""
        return list(_NAMED.get(self, texts, lambda: _named(self, texts)))


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z]")


def _named(n: NamedPeople, texts: Sequence[str]) -> list[tuple[str, StakeholderTemplate]]:
    staff, public, generic, stop = set(n.staff), set(n.public), set(n.generic), set(n.not_before)
    partners = set(n.partners)
    things, theirs = set(n.things_before), set(n.things_after)
    heads = staff | public | partners
    places, with_word = set(n.places), set(n.places_with_word)
    not_places, openers = set(n.not_before_places) | things, set(n.place_openers)
    place_things = set(n.not_after_places) | theirs | places | heads | {"team", "teams", "staff"}
    units = {" ".join(words_of(u)) for u in n.units}

    def template(word: str) -> StakeholderTemplate:
        if word in staff:
            return n.staff_template
        if word in partners and n.partner_template is not None:
            return n.partner_template
        return n.public_template

    def starts(word: str) -> bool:
        # can this word start a name ("kitchen" supervisors), not a verb or a function word
        return (
            word.isalpha()
            and len(word) > 1
            and word not in stop
            and word not in heads
            and not word.endswith(("ing", "ed", "ly"))
        )

    out: list[tuple[str, StakeholderTemplate]] = []
    seen: set[str] = set()
    at: list[tuple[str, str]] = []  # the staff of places, after the people named outright
    worked: set[str] = set()  # places where people named outright work ("groomers at our salons")

    def add(name: str, key: str, template: StakeholderTemplate) -> None:
        if key not in seen:
            seen.add(key)
            out.append((name, template))

    for text in texts:
        tokens = [m.group(0) for m in _TOKEN.finditer(text)]
        low = [t.lower() for t in tokens]
        for i, w in enumerate(low):
            before = [low[j] for j in (i - 2, i - 1) if j >= 0]
            after = low[i + 1] if i + 1 < len(low) else ""
            # a head before another head or a thing of theirs is a modifier ("volunteer marshals")
            # "our 14 dance schools", "one of our three comedy clubs": the organisation's own
            # places, not a partner outside it
            own = w in _PLACES and w in partners and _after_our(low, i)
            if (
                w in heads
                and not own
                and not (before and before[-1] in things)
                and after not in theirs | heads
            ):
                # a word before the head starts the name when what comes before it cannot be a
                # subject ("Show kitchen supervisors", "the trip leader"); after a content word it
                # is likely a verb ("the centre answers drivers")
                lead = before[0] if len(before) == 2 else None
                opens = lead is None or lead in stop or not lead.isalpha()
                mod = before[-1] if before and starts(before[-1]) and opens else None
                # a unit of two words before the head names it whole ("contact centre agents",
                # not "centre agents")
                if len(before) == 2 and (unit := " ".join(words_of(f"{before[0]} {before[1]}"))) in units:
                    add(" ".join(tokens[i - 2 : i + 1]), _singular(w), template(w))
                    seen.add(unit)  # the unit is named with them, not again on its own
                    continue
                if mod is None and w in generic:
                    continue
                words = [*([tokens[i - 1]] if mod else []), tokens[i]]
                add(" ".join(words), _singular(w), template(w))
            elif (
                w in places
                and tokens[i].islower()  # "Notifications Center", "Riverside Clinic": names
                and (w not in heads or own)
                and after not in place_things
                and (mod := _place(tokens, i, before, starts, stop, not_places, openers)) is not None
                and (mod or w not in with_word)
            ):
                word = _singular(w)
                name = f"{mod} {word}" if mod and w in with_word else word
                at.append((f"{name} staff", "place:" + word))
                if _workplace_of(low, i, staff):
                    worked.add("place:" + word)
            elif w in ("team", "teams") and before and starts(before[-1]):
                words = [tokens[i - 2]] if len(before) == 2 and starts(before[0]) else []
                words += [tokens[i - 1], tokens[i]]
                add(" ".join(words), " ".join(words).lower(), n.staff_template)
        for unit in n.units:
            key = " ".join(words_of(unit))  # "contact centre" and "contact center" are one unit
            if key not in seen and (hit := phrase_search([unit], text)):
                add(" ".join(hit.lower().split()), key, n.staff_template)  # as the text spells it
    for name, key in at:
        if key not in worked:
            add(name, key, n.staff_template)
    return [(name[:1].upper() + name[1:], t) for name, t in out]


# partner words that name places an organisation may run itself ("our swim schools")
_PLACES = frozenset({"schools", "clubs", "centres", "centers", "surgeries", "hospitals"})


def _back_in_clause(low: Sequence[str], i: int, most: int) -> Iterable[int]:
    """The positions of up to `most` tokens before token `i`, nearest first, stopping at the
    punctuation that ends the clause (a number's digits are tokens of their own)."""
    for j in range(i - 1, max(-1, i - 1 - most), -1):
        if low[j] in (".", ",", ";", ":", "!", "?"):
            return
        yield j


def _after_our(low: Sequence[str], i: int) -> bool:
    """Whether "our" comes a few words before token `i`, in the same clause ("each of our 26
    snooker and pool clubs")."""
    return any(low[j] == "our" for j in _back_in_clause(low, i, 8))


def _workplace_of(low: Sequence[str], i: int, staff: Collection[str]) -> bool:
    """Whether the place at token `i` is where people just named work ("groomers at our salons",
    "dentists in our 120 practices"): those people name the staff there already."""
    for j in _back_in_clause(low, i, 6):
        if low[j] in ("at", "in", "across", "from") and j > 0:
            return low[j - 1] in staff
    return False


def _place(
    tokens: Sequence[str],
    i: int,
    before: Sequence[str],
    starts: Callable[[str], bool],
    stop: Collection[str],
    not_places: Collection[str],
    openers: Collection[str],
) -> str | None:
    """The word before a place (`tokens[i]`) that names it ("box" office, "nearest" clinic), or
    "" when the place stands alone after an opener or a number ("our 40 salons", "each depot");
    None when the words before make it no place ("app store", "we store", "readings store").
    """
    prev = before[-1] if before else ""
    if prev and starts(prev) and prev not in not_places:
        lead = before[0] if len(before) == 2 else None
        if lead in not_places:  # "online pet shop"
            return None
        if lead is None or lead in stop or not lead.isalpha():
            return tokens[i - 1]
    if not prev or prev in openers or prev.isdigit():
        return ""
    return None


def _singular(word: str) -> str:
    """The head once, whether the text says "family" or "families", "nurse" or "nurses"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word.removesuffix("s")


# the people named in the last texts read (see NamedPeople.find)
_NAMED: Recent[list[tuple[str, StakeholderTemplate]]] = Recent()
# the traits found in the last text read (see StakeholderCatalog.facts)
_TRAITS: Recent[dict[str, str]] = Recent()

_LEVELS = ("low", "medium", "high")
_CADENCE_DAYS = {"daily": 1, "weekly": 5, "biweekly": 10, "monthly": 21}


class StakeholderCatalog(CatalogModel):
    """Everything `map_stakeholders` reads from the catalog."""

    traits: dict[TraitName, Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]]
    grid: dict[Level, dict[Level, Strategy]]
    strategies: dict[Strategy, StrategyDefaults]
    cadence_days: dict[Cadence, Annotated[int, Field(ge=1, le=366)]] = Field(
        default_factory=lambda: dict(_CADENCE_DAYS)  # type: ignore[arg-type]
    )
    raci: RaciRules
    rollout: RolloutRules
    stakeholders: Annotated[list[StakeholderTemplate], Field(min_length=1)]
    # the people the feature's text names (a quick draft's first-order stakeholders); None: none
    named: NamedPeople | None = None

    @model_validator(mode="after")
    def _consistent(self) -> StakeholderCatalog:
        for infl in _LEVELS:
            row = self.grid.get(infl)  # type: ignore[call-overload]
            if row is None or any(i not in row for i in _LEVELS):
                raise ValueError(
                    f"grid: give a strategy for every influence/interest pair (missing under '{infl}')"
                )
        missing = {"manage closely", "keep satisfied", "keep informed", "monitor"} - set(self.strategies)
        if missing:
            raise ValueError(f"strategies: missing {', '.join(sorted(missing))}")
        ids = [t.id for t in self.stakeholders]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        if dup:
            raise ValueError(f"stakeholder id '{dup}' is used twice")
        for t in self.stakeholders:
            for w in t.when:
                for trait in (*w.traits, *w.all_traits, *w.unless_traits):
                    if trait not in self.traits:
                        raise ValueError(
                            f"stakeholder '{t.id}': unknown trait '{trait}' (define it under [traits])"
                        )
            for c in t.comms:
                for trait in (*c.traits, *c.unless_traits):
                    if trait not in self.traits:
                        raise ValueError(
                            f"stakeholder '{t.id}': unknown trait '{trait}' in "
                            "comms (define it under [traits])"
                        )
        return self

    def template_for(self, group: str, name: str) -> StakeholderTemplate | None:
        """The template a spec stakeholder belongs to: by its group, else by its name.

        A group (or a whole name) matches a template's group, id or alias; failing that, the
        first template, in file order, with an alias among the name's words.
        """
        # the PM's own template ("{pm}") describes the plan's owner, never another stakeholder
        groups = [t for t in self.stakeholders if "{pm}" not in t.name]
        keys = [normalize(group)] if group.strip() else []
        for key in [*keys, normalize(name)]:
            for t in groups:
                if key in {t.group, t.id, *(normalize(a) for a in t.aliases)}:
                    return t
        return next((t for t in groups if phrase_search([t.group.replace("-", " "), *t.aliases], name)), None)

    def facts(
        self,
        text: str,
        *,
        users: int | None,
        team_size: int,
        tolerance: str,
        deployment: str,
        profiles: dict[str, str] | None = None,
        named_staff: tuple[str, ...] = (),
    ) -> Facts:
        """The traits found in `text` and the numbers `when` conditions compare with."""
        # some hundreds of trait words searched in the text: the last text's finds are kept
        # (a warm server reads one feature often)
        found = _TRAITS.get(
            self,
            text,
            lambda: {name: hit for name, words in self.traits.items() if (hit := phrase_search(words, text))},
        )
        return Facts(
            text=text,
            users=users,
            team_size=team_size,
            tolerance=tolerance,
            deployment=deployment,
            profiles=profiles or {},
            traits=dict(found),
            named_staff=named_staff,
        )

    def strategy(self, influence: str, interest: str) -> Strategy:
        """The power–interest grid's engagement strategy."""
        return self.grid[influence][interest]  # type: ignore[index]

    def engagement(self, strategy: str) -> StrategyDefaults:
        """The defaults of an engagement strategy (a value of `grid`)."""
        return self.strategies[strategy]  # type: ignore[index]

    def interval(self, cadence: str) -> int | None:
        """Working days between two updates at this cadence (None: per-phase)."""
        return self.cadence_days.get(cadence)  # type: ignore[call-overload]


def normalize(text: str) -> str:
    """A group or name as the catalog spells groups: `Customer Success` → `customer-success`."""
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def phrase_search(words: list[str] | tuple[str, ...], text: str) -> str | None:
    """The first of `words` found in `text` as a whole word or phrase (case-insensitive)."""
    if not words:
        return None
    return _index(text).phrase(words)


@lru_cache(maxsize=256)
def _index(text: str) -> WordIndex:
    # the same description is searched for every trait and template: split it once
    return WordIndex(text)


Facts = Situation  # what the `when` conditions read of a spec (see `planning.stakeholders._facts`)


class TaskMatcher:
    """Which tasks of a timeline match a list of selectors, one pass per list (cached)."""

    def __init__(self, tasks: Sequence[PlannedTask], scopes: dict[str, set[str]]) -> None:
        """`scopes`: rollout task id -> its scopes ("any", "exposing" or "internal", "full")."""
        self._tasks = tasks
        self._scopes = scopes
        self._texts: PhraseIndex | None = None
        self._matched: dict[int, tuple[list[TaskSelector], frozenset[str]]] = {}
        self._ids = {t.id for t in tasks}
        self._groups: dict[str, dict[str, set[str]]] = {}

    def matching(self, sels: list[TaskSelector]) -> frozenset[str]:
        """The ids of the tasks that match any of `sels`."""
        hit = self._matched.get(id(sels))
        if hit is not None and hit[0] is sels:
            return hit[1]
        ids: set[str] = set()
        for sel in sels:
            cands: set[str] | None = None  # None: every task
            if sel.kinds:
                cands = self._among(cands, self._group("kind", lambda t: t.kind), sel.kinds)
            if sel.phases:
                phases = {p.lower() for p in sel.phases}
                cands = self._among(cands, self._group("phase", lambda t: t.phase.lower()), phases)
            if sel.rollout is not None:
                cands = self._among(cands, self._group("scope", None), (sel.rollout,))
            if sel.keywords:
                having = self._text().having(sel.keywords)
                cands = having & self._ids if cands is None else cands & having
            ids.update(self._ids if cands is None else cands)
        found = frozenset(ids)
        self._matched[id(sels)] = (sels, found)
        return found

    def _group(self, name: str, key: Callable[[PlannedTask], str] | None) -> dict[str, set[str]]:
        # the task ids by one field's value (kind, lower-cased phase; None: the rollout scopes),
        # built once per matcher instead of one pass over the tasks per selector
        groups = self._groups.get(name)
        if groups is None:
            groups = {}
            for t in self._tasks:
                for value in self._scopes.get(t.id, ()) if key is None else (key(t),):
                    groups.setdefault(value, set()).add(t.id)
            self._groups[name] = groups
        return groups

    @staticmethod
    def _among(cands: set[str] | None, groups: dict[str, set[str]], values: Iterable[str]) -> set[str]:
        hit: set[str] = set()
        for v in values:
            hit |= groups.get(v, set())
        return hit if cands is None else cands & hit

    def _text(self) -> PhraseIndex:
        # the id twice (as written and with spaces) so "security-review" matches "security review"
        if self._texts is None:
            self._texts = PhraseIndex({t.id: f"{t.id} {t.name}" for t in self._tasks})
        return self._texts
