"""Which kinds of change a plan is (change profiles), and what each brings to the plan."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from syncsvc.catalog import Catalog
from syncsvc.catalog.base import fill
from syncsvc.catalog.changes import Brings, ChangeProfile, Facet, FacetHit, RolloutTemplate, WorkItem
from syncsvc.catalog.conditions import Situation
from syncsvc.catalog.phases import PhaseTemplate
from syncsvc.catalog.tasks import TaskTemplate
from syncsvc.errors import SpecError
from syncsvc.model import ChangeProfileUse, Finding, Level, Rollout
from syncsvc.spec import Spec

# How a tolerance stretches the monitoring windows of a strategy's own phases (medium = as written).
_MONITORING = {"low": 2.0, "medium": 1.0, "high": 0.5}


@dataclass(frozen=True)
class Profiles:
    """The plan's change profiles, primary first, and why each was chosen."""

    chosen: list[ChangeProfile] = field(default_factory=list)
    uses: list[ChangeProfileUse] = field(default_factory=list)
    # what the feature does (stores data, shares, runs on a schedule...), whatever its kind
    facets: list[FacetHit] = field(default_factory=list)
    # the feature's name and description, for the variants of a profile's rollout
    text: Situation = field(default_factory=lambda: Situation(text=""))
    # every detected reading (profile id, score, words), best first; empty when set by hand
    readings: list[tuple[str, float, tuple[str, ...]]] = field(default_factory=list)
    # when similar known features chose the primary kind: the kind the feature's own words
    # pointed to first ("" for none), and whether they pointed to the primary at all
    over: tuple[str, bool] | None = None
    # when known features of no kind dropped the rules' kind: that kind, its words, and those
    # features
    dropped: tuple[str, tuple[str, ...], tuple[str, ...]] | None = None

    @property
    def primary(self) -> ChangeProfile | None:
        return self.chosen[0] if self.chosen else None

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.chosen)

    @property
    def sources(self) -> list[Brings]:
        """Where the plan's risks, triggers and stakeholders come from: the profiles, primary
        first, then the facets."""
        return [*self.chosen, *(h.facet for h in self.facets)]

    @property
    def facet_list(self) -> list[Facet]:
        return [h.facet for h in self.facets]

    @property
    def taking_over(self) -> list[Facet]:
        """The facets that may replace the kind of change's own rollout, rollback and work (the
        text does not keep the kind's way: `Facet.replaces`)."""
        return [h.facet for h in self.facets if h.facet.replaces(self.text)]


def choose_profiles(spec: Spec, catalog: Catalog) -> Profiles:
    """`change_types` from the spec when given (checked against the catalog), else detected;
    then the facets the feature's text shows."""
    chosen = _choose(spec, catalog)
    facets = catalog.changes.detect_facets(spec.feature_name, spec.description, [p.id for p in chosen.chosen])
    text = Situation(text=f"{spec.feature_name}\n{spec.description}", lexicon=catalog.condition_lexicon)
    return Profiles(chosen.chosen, chosen.uses, facets, text, chosen.readings, chosen.over, chosen.dropped)


def _choose(spec: Spec, catalog: Catalog) -> Profiles:
    changes = catalog.changes
    if spec.change_types is not None:
        chosen: list[ChangeProfile] = []
        for i, pid in enumerate(spec.change_types):
            p = changes.get(pid)
            if p is None:
                raise SpecError(
                    f"{spec.label}: change_types[{i}]: unknown change type {pid!r}",
                    hint="use one of: " + ", ".join(changes.ids),
                )
            if p not in chosen:
                chosen.append(p)
        found = {
            d.profile.id: d
            for d in changes.detect(spec.feature_name, spec.description, most=len(changes.profiles))
        }
        uses = [
            ChangeProfileUse(
                id=p.id,
                title=p.title,
                primary=i == 0,
                source="spec",
                signals=list(found[p.id].signals) if p.id in found else [],
            )
            for i, p in enumerate(chosen)
        ]
        return Profiles(chosen, uses)
    reading = changes.read(spec.feature_name, spec.description)
    detected = reading.kinds
    return Profiles(
        [d.profile for d in detected],
        [
            ChangeProfileUse(
                id=d.profile.id,
                title=d.profile.title,
                primary=i == 0,
                source="detected",
                signals=list(d.signals),
                like=list(d.like),
            )
            for i, d in enumerate(detected)
        ],
        # a secondary kind added by known features alone is no reading of the text's own words
        readings=[
            (d.profile.id, d.score, d.signals) for i, d in enumerate(detected) if not (i and d.from_examples)
        ],
        over=(detected[0].over or "", not detected[0].from_examples)
        if detected and detected[0].like
        else None,
        dropped=(reading.dropped.profile.id, reading.dropped.signals, reading.like)
        if reading.dropped is not None
        else None,
    )


def rollout_for(
    profiles: Profiles,
    tolerance: Level,
    ladder: Sequence[PhaseTemplate],
    ladder_summary: str,
    *,
    values: dict[str, str],
) -> tuple[Rollout, list[PhaseTemplate]]:
    """The primary profile's strategy and its phases, shaped by the risk tolerance; `values`
    fill the summary's placeholders ({feature_name}, {flag_key}...).

    A percentage ramp (and a plan with no profile) uses the tolerance's ladder (CONTRACT §2).
    """
    p = profiles.primary
    chosen: RolloutTemplate | None = (
        None if p is None else next((v for v in p.rollout_variants if v.applies(profiles.text)), p.rollout)
    )
    per_site: int | None = None
    if chosen is not None:
        # a percentage of users means little where the work is done at the business's sites:
        # a facet that says so ramps site by site instead
        facet = next(
            (f for f in profiles.taking_over if f.rollout is not None and chosen.strategy in f.rollout_over),
            None,
        )
        if facet is not None:
            chosen = facet.rollout
            per_site = site_count(profiles.text.text, facet.signals[0].words) if facet.per_site else None
    if chosen is None or chosen.strategy == "percentage_ramp":
        summary = fill(chosen.summary, values) if chosen is not None else ladder_summary
        return Rollout(strategy="percentage_ramp", summary=summary), list(ladder)
    factor = _MONITORING[tolerance]
    phases = [
        PhaseTemplate(
            id=ph.id,
            name=ph.name,
            exposure_percent=ph.exposure_percent,
            monitoring_hours=max(4, min(24 * 60, round(ph.monitoring_hours * factor))),
            gate=ph.gate,
            audience=ph.audience,
        )
        for ph in chosen.phases
        if not ph.only or tolerance in ph.only
    ]
    if per_site and len(phases) > 1:
        first = max(1, round(100 / per_site))
        phases = [
            phases[0].model_copy(update={"exposure_percent": first}),
            *(ph for ph in phases[1:-1] if ph.exposure_percent > first),
            phases[-1],
        ]
    return Rollout(strategy=chosen.strategy, summary=fill(chosen.summary, values)), phases


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}


def site_count(text: str, sites: Sequence[str]) -> int | None:
    """How many sites the text counts: a number (or a number word up to twenty) up to two words
    before one of `sites` ("our 40 dental clinics", "three warehouses"); the largest such count,
    None when there is none or it is under 2."""
    words = "|".join(re.escape(w.rstrip("*")) for w in sorted(sites, key=len, reverse=True))
    best = 0
    for m in re.finditer(
        rf"\b(\d{{1,3}}(?:,\d{{3}})*|{'|'.join(_NUMBER_WORDS)})\s+(?:[a-z'-]+\s+){{0,2}}(?:{words})\b",
        text.lower(),
    ):
        n = m.group(1)
        best = max(best, _NUMBER_WORDS[n] if n in _NUMBER_WORDS else int(n.replace(",", "")))
    return best if best >= 2 else None


# Roles of people outside the delivery team (their reviews and sign-offs take none of the
# team's time in the levelled schedule; they still take calendar time).
OUTSIDE_ROLES = frozenset(
    {"Legal Counsel", "Privacy Officer", "Finance Lead", "Marketing Lead", "Security Reviewer"}
)


def profile_templates(profiles: Profiles, catalog: Catalog) -> list[TaskTemplate]:
    """Quick mode's work breakdown: the generic skeleton tasks the profiles use, then each
    profile's own work (first profile to name an id wins), with `before` edges applied.

    With no profile, the whole generic task set (tasks.toml).
    """
    generic = catalog.tasks.tasks
    if not profiles.chosen:
        return list(generic)
    used = {tid for p in profiles.chosen for tid in p.uses} | {"kickoff", "launch-readiness"}
    work: dict[str, WorkItem] = {}
    # what the feature does, where it takes over the kind's way (points that expire), does its
    # own work instead of the kind's items of the same ids
    taking_over = profiles.taking_over
    dropped = {wid for f in taking_over for wid in f.drops_work}
    for f in taking_over:
        for w in f.work:
            work.setdefault(w.id, w)
    for p in profiles.chosen:
        for w in p.work:
            if w.id not in dropped:
                work.setdefault(w.id, w)
    waits: dict[str, list[str]] = {}
    for w in work.values():
        for b in w.before:
            waits.setdefault(b, []).append(w.id)
    # work nothing waits for: QA tests what was built, and the go/no-go waits for the rest
    waited = {d for w in work.values() for d in w.depends_on} | {w.id for w in work.values() if w.before}
    for w in work.values():
        if w.id not in waited:
            gate = "qa" if w.phase in ("design", "build") and "qa" in used else "launch-readiness"
            waits.setdefault(gate, []).append(w.id)
    kept = [t for t in generic if t.id in used]
    out = [_with_waits(t, waits.get(t.id, [])) for t in _drop_missing(kept, generic)]
    ids = {t.id for t in out} | set(work)
    for w in work.values():
        deps = [d for d in [*w.depends_on, *waits.get(w.id, [])] if d in ids] or ["kickoff"]
        out.append(
            TaskTemplate(
                id=w.id,
                name=w.name,
                phase=w.phase,
                kind=w.kind,
                effort=w.effort,
                max_people=w.max_people,
                role=w.role,
                outside=w.kind == "review" or w.role in OUTSIDE_ROLES,
                depends_on=list(dict.fromkeys(deps)),
                risk=w.risk,
                min_team_size=w.min_team_size,
            )
        )
    return _ordered(out)


def _with_waits(t: TaskTemplate, extra: list[str]) -> TaskTemplate:
    if not extra:
        return t
    return t.model_copy(update={"depends_on": list(dict.fromkeys([*t.depends_on, *extra]))})


def _drop_missing(kept: list[TaskTemplate], generic: Sequence[TaskTemplate]) -> list[TaskTemplate]:
    """A dependency on a generic task the profiles do not use becomes one on its own deps."""
    by_id = {t.id: t for t in generic}
    keep = {t.id for t in kept}

    def resolve(dep: str) -> list[str]:
        if dep in keep:
            return [dep]
        return [x for d in by_id[dep].depends_on for x in resolve(d)] if dep in by_id else []

    return [
        t.model_copy(update={"depends_on": list(dict.fromkeys(x for d in t.depends_on for x in resolve(d)))})
        for t in kept
    ]


def _ordered(tasks: list[TaskTemplate]) -> list[TaskTemplate]:
    """Dependencies before dependents, otherwise as listed (a stable topological order)."""
    by_id = {t.id: t for t in tasks}
    out: list[TaskTemplate] = []
    seen: set[str] = set()

    def visit(tid: str, path: frozenset[str]) -> None:
        if tid in seen or tid not in by_id:
            return
        if tid in path:  # a catalog cycle: refused by the tests of the bundled catalog
            raise SpecError(f"change profiles: dependency cycle through work item {tid!r}")
        for d in by_id[tid].depends_on:
            visit(d, path | {tid})
        seen.add(tid)
        out.append(by_id[tid])

    for t in tasks:
        visit(t.id, frozenset())
    return out


# the runner-up reading is close when it scores at least this share of the primary's score
CLOSE_READING = 0.75


def coverage_findings(profiles: Profiles, catalog: Catalog) -> list[Finding]:
    """When no kind of change was recognised: say so, and what the PM should answer. When it
    was recognised narrowly (a close second reading, or a primary read from one group of
    words), say that too, with the two readings and their words."""
    if profiles.chosen:
        if profiles.over is not None:
            return [_from_examples(profiles, *profiles.over)]
        return _close_readings(profiles)
    kinds = ", ".join(catalog.changes.ids)
    questions = list(catalog.changes.questions)
    why = "syncsvc did not recognise the kind of change from the feature name and description"
    if profiles.dropped is not None:
        kind, words, like = profiles.dropped
        why = (
            f"syncsvc did not take this for a change to a product: its words pointed to {kind} "
            f"({', '.join(words)}), but most of the known features like it are work of no kind of "
            "change (" + ", ".join(f"'{n}'" for n in like[:4]) + ")"
        )
    return [
        Finding(
            kind="low_coverage",
            message=(
                f"{why}, so this plan holds only generic risks, tasks and a default "
                "percentage ramp; it is a checklist, not a plan. Set change_types in the spec "
                f"(one or more of: {kinds}) or describe what changes, then answer: " + " ".join(questions)
            ),
            subjects=questions,
        )
    ]


def _from_examples(profiles: Profiles, over: str, named: bool) -> Finding:
    """A `low_coverage` finding when similar known features chose the primary kind of change:
    which features, and what the feature's own words pointed to (`over`, "" for no kind;
    `named`: they pointed to the primary too, but not first); `change_types` confirms it."""
    lead, *rest = profiles.uses
    like = ", ".join(f"'{n}'" for n in lead.like)
    own = (
        "its own words pointed to no kind of change"
        if not over
        else f"its own words pointed first to {over}"
        + (f" and to {lead.id} after it" if named else "")
        + (" (kept as a secondary kind)" if over in profiles.ids else "")
    )
    kinds = [lead.id, *(u.id for u in rest)]
    return Finding(
        kind="low_coverage",
        message=(
            f"The kind of change, {lead.id}, was read from similar known features: {like}; {own}. "
            f"If that is right, confirm it with change_types = {_toml_list(kinds)} in the spec; "
            "if not, set the right kinds there."
        ),
        subjects=kinds,
    )


def _toml_list(ids: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in ids) + "]"


def _close_readings(profiles: Profiles) -> list[Finding]:
    """A `low_coverage` finding when the detected primary kind of change won narrowly: the
    runner-up scores at least CLOSE_READING of it, or more while a kind that leads (a vendor
    move, first on a lower score) is barely past its threshold; or the primary rests on one
    group of words. The PM
    settles it with `change_types`."""
    if len(profiles.readings) < 2:
        return []
    (first, top, words), (second, score, other) = profiles.readings[:2]
    lead = profiles.chosen[0]
    if (
        lead.leads and score > top
    ):  # a kind that leads (a vendor move) is sure of itself well past its threshold
        if top >= lead.threshold * 1.5 and len(words) > 1:
            return []
    elif score < top * CLOSE_READING and len(words) > 1:
        return []

    def reading(pid: str, points: float, hits: tuple[str, ...]) -> str:
        return f"{pid} ({points:g} points, from: {', '.join(hits)})"

    close = "scores higher" if score > top else "is close"
    return [
        Finding(
            kind="low_coverage",
            message=(
                f"The kind of change was read narrowly: {reading(first, top, words)} leads, but "
                f"{reading(second, score, other)} {close}. If the plan reads the change wrongly, "
                f'set change_types = ["{second}"] (or the right kinds) in the spec.'
            ),
            subjects=[first, second],
        )
    ]
