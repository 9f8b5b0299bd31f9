"""One matcher for every catalog condition: when a risk applies (risks.toml, change profiles), when
a stakeholder group matters and which of its communications apply (stakeholders.toml).

A catalog entry that applies only in some situations is a `Condition`: each condition field it
declares and the catalog gives must hold (a list: any of its members). The situation, read once
from a spec, is a `Situation`. The fields a model declares are the conditions it accepts, so each
catalog keeps its vocabulary and its unknown-key errors; what a field means is defined once here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any, ClassVar, Literal, Self

from syncsvc.catalog.base import CatalogModel
from syncsvc.catalog.textmatch import Lexicon, WordIndex, beyond_today

# finds a timeline task matching any of some task selectors (its name), or None
FindTask = Callable[[Any], str | None]


@dataclass(frozen=True, eq=False)
class Situation:
    """What the conditions look at, read from a spec (see `planning.risks.spec_traits` and
    `planning.stakeholders._facts`)."""

    text: str  # the feature's name and description
    users: int | None = None
    team_size: int = 1
    tolerance: str = "medium"
    deployment: str | None = None
    work_days: int = 0
    schedule_load: float | None = None  # estimated longest chain / working days (specs with tasks)
    # the change profiles of the plan (id -> title when the reason is to name them)
    profiles: Mapping[str, str] | frozenset[str] = frozenset()
    traits: Mapping[str, str] = field(default_factory=dict)  # trait -> the word that revealed it
    # what the feature does (the facet ids the plan found) and the organisation's own people its
    # text names ("therapists", "the front desk"), as the stakeholders name them
    facets: frozenset[str] = frozenset()
    named_staff: tuple[str, ...] = ()
    # the catalog's condition keywords compiled once (`Catalog.condition_lexicon`): the same
    # answers, each keyword looked up instead of searched for
    lexicon: Lexicon | None = None

    @cached_property
    def index(self) -> WordIndex:
        return WordIndex(self.text, self.lexicon)

    @cached_property
    def new_way_index(self) -> WordIndex:
        """The word index of the text without its sentences about today's way (`beyond_today`).
        Without the lexicon: a few conditions ask it for a few keywords, which plain lookups
        answer faster than a pass of the whole lexicon over the text."""
        return WordIndex(beyond_today(self.text))

    def with_facts(self, **facts: Any) -> Situation:
        """The same text with other facts (users, team size, profiles...), sharing this one's
        word indexes: the text is read (a lexicon pass, ~0.1 ms) once for both."""
        out = replace(self, **facts)
        assert out.text == self.text and out.lexicon is self.lexicon
        out.__dict__["index"] = self.index  # where `cached_property` keeps it
        if "new_way_index" in self.__dict__:
            out.__dict__["new_way_index"] = self.__dict__["new_way_index"]
        return out

    def reason(self, cond: Condition, find_task: FindTask | None = None) -> str | None:
        """Why `cond` holds, as a phrase ("the description mentions 'sso'"); None when it does not."""
        if getattr(cond, "always", False):
            return "every launch needs them"
        why = cond.reasons(self, find_task)
        if why is None:
            return None
        return " and ".join(why) or "the launch reaches people outside the team"


# A check: (the condition's value, the situation, find_task) -> None when it does not hold, else
# the reason it holds ("" when there is nothing to say).
_Check = Callable[[Any, Situation, FindTask | None], str | None]


def _any_trait(v: list[str], s: Situation, _: FindTask | None) -> str | None:
    hit = next((t for t in v if t in s.traits), None)
    return None if hit is None else f"the description mentions '{s.traits[hit]}'"


def _all_traits(v: list[str], s: Situation, _: FindTask | None) -> str | None:
    if any(t not in s.traits for t in v):
        return None
    return "the description mentions " + ", ".join(f"'{s.traits[t]}'" for t in v)


def _profiles(v: list[str], s: Situation, _: FindTask | None) -> str | None:
    hit = next((p for p in v if p in s.profiles), None)
    if hit is None:
        return None
    title = s.profiles[hit] if isinstance(s.profiles, Mapping) else hit
    return f"this is a {title.lower()} change"


def _tasks(v: Any, s: Situation, find_task: FindTask | None) -> str | None:
    task = find_task(v) if find_task is not None else None
    return None if task is None else f"the timeline has '{task}'"


def _holds(ok: bool) -> str | None:
    return "" if ok else None


def _named_staff(v: bool, s: Situation) -> str | None:
    if not v:
        return _holds(not s.named_staff)
    return f"the description names {' and '.join(s.named_staff)}" if s.named_staff else None


# name -> (check, reason rank). Checked in this order (cheap first, the text search last);
# reasons are listed by rank.
CHECKS: dict[str, tuple[_Check, int]] = {
    "unless_traits": (lambda v, s, _: _holds(not any(t in s.traits for t in v)), 0),
    "tolerance": (lambda v, s, _: _holds(s.tolerance in v), 0),
    "deployment": (lambda v, s, _: _holds(s.deployment in v), 0),
    "min_users": (
        lambda v, s, _: None if s.users is None or s.users < v else f"{s.users:,} users ({v:,} or more)",
        5,
    ),
    "max_users": (lambda v, s, _: _holds(s.users is not None and s.users <= v), 0),
    "min_team_size": (lambda v, s, _: None if s.team_size < v else f"a team of {s.team_size}", 6),
    "max_team_size": (lambda v, s, _: _holds(s.team_size <= v), 0),
    "min_work_days": (lambda v, s, _: _holds(s.work_days >= v), 0),
    "max_work_days": (lambda v, s, _: _holds(s.work_days <= v), 0),
    "min_schedule_load": (lambda v, s, _: _holds(s.schedule_load is not None and s.schedule_load >= v), 0),
    "not_profiles": (lambda v, s, _: _holds(not any(p in s.profiles for p in v)), 0),
    "not_facets": (lambda v, s, _: _holds(not any(f in s.facets for f in v)), 0),
    "facets": (lambda v, s, _: _holds(any(f in s.facets for f in v)), 0),
    "names_staff": (lambda v, s, _: _named_staff(v, s), 6),
    "recognised": (lambda v, s, _: _holds(v == bool(s.profiles)), 0),
    "profiles": (_profiles, 1),
    "traits": (_any_trait, 2),
    "all_traits": (_all_traits, 3),
    "keywords": (lambda v, s, _: None, 4),  # by the model's keyword rule: see Condition.reasons
    # the keywords only count outside the sentences about today's way (read with `keywords`)
    "beyond_today": (lambda v, s, _: "", 0),
    "also": (lambda v, s, _: _holds(s.index.keyword(v) is not None), 0),
    # words saying the text is another sort of change that merely names the keywords
    "unless": (lambda v, s, _: _holds(s.index.keyword(v) is None), 0),
    "tasks": (_tasks, 7),
}


class Condition(CatalogModel):
    """Base of a catalog entry that applies only in some situations (see the module's text).

    `keywords` are searched in the feature's name and description: by the keyword rules
    (`textmatch.WordIndex.keyword`: plurals, "real-time"/"realtime", "notif*"), or, where the
    catalog says so (`keyword_rule = "phrase"`), as whole words and phrases only."""

    keyword_rule: ClassVar[Literal["keyword", "phrase"]] = "keyword"

    @cached_property
    def given(self) -> tuple[str, ...]:
        """The condition fields this entry gives (a catalog entry gives a few of the dozen or
        so its model declares), in `_checks_of`'s order: worked out at the first `reasons`
        (the model is frozen; `model_copy` drops it)."""
        return tuple(
            name
            for name, _, _ in _checks_of(type(self))
            if not ((value := getattr(self, name)) is None or (isinstance(value, list) and not value))
        )

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        out = super().model_copy(update=update, deep=deep)
        out.__dict__.pop("given", None)  # the copy's fields may not be the ones given here
        return out

    def reasons(self, s: Situation, find_task: FindTask | None = None) -> list[str] | None:
        """The reasons every condition given holds, in rank order; None when one does not."""
        found: list[tuple[int, str]] = []
        for name in self.given:
            value = getattr(self, name)
            check, rank = CHECKS[name]
            if name == "keywords":
                index = s.new_way_index if getattr(self, "beyond_today", False) else s.index
                hit = index.keyword(value) if self.keyword_rule == "keyword" else index.phrase(value)
                why = None if hit is None else f"the description mentions '{hit}'"
            else:
                why = check(value, s, find_task)
            if why is None:
                return None
            if why:
                found.append((rank, why))
        return [why for _, why in sorted(found, key=lambda f: f[0])]

    def holds(self, s: Situation, find_task: FindTask | None = None) -> bool:
        """True when every condition given holds."""
        return self.reasons(s, find_task) is not None


@cache
def _checks_of(model: type[Condition]) -> tuple[tuple[str, _Check, int], ...]:
    """The checks of the condition fields `model` declares, keyword search last but one."""
    fields = model.model_fields
    last = ("keywords", "also", "unless", "tasks")
    names = [n for n in CHECKS if n in fields and n not in last]
    names += [n for n in last if n in fields]
    return tuple((n, *CHECKS[n]) for n in names)
