"""`map_stakeholders`: stakeholders, RACI, conflicts and the communication plan."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Literal

from syncsvc.catalog import Catalog
from syncsvc.catalog.base import fill
from syncsvc.catalog.changes import ChangeProfile
from syncsvc.catalog.stakeholders import (
    CommTemplate,
    Facts,
    StakeholderCatalog,
    StakeholderTemplate,
    TaskMatcher,
    TaskSelector,
    normalize,
    phrase_search,
)
from syncsvc.model import CommItem, Conflict, Finding, PlannedTask, RaciRow, Stakeholder
from syncsvc.planning.context import PlanContext
from syncsvc.planning.risks import named_staff, users_in_text
from syncsvc.spec import Spec, StakeholderSpec

_STRATEGY_RANK = {"manage closely": 0, "keep satisfied": 1, "keep informed": 2, "monitor": 3}
_EVERY = {
    "daily": "Every working day",
    "weekly": "Every week",
    "biweekly": "Every two weeks",
    "monthly": "Every month",
}


@dataclass(frozen=True)
class StakeholderMap:
    stakeholders: list[Stakeholder] = field(default_factory=list)
    raci: list[RaciRow] = field(default_factory=list)
    communication_plan: list[CommItem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # task id -> the stakeholder behind it (a review's requester), for conflict messages
    owner_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Party:
    """A stakeholder with the catalog template that tells how to engage it (None: unknown group)."""

    out: Stakeholder
    template: StakeholderTemplate | None
    explicit_cadence: bool
    is_pm: bool = False


@dataclass(frozen=True)
class _Rollout:
    """The rollout tasks of the timeline split by who they expose, and the task matcher."""

    tasks: list[PlannedTask]
    exposing: list[PlannedTask]
    full: PlannedTask | None
    matcher: TaskMatcher

    def matching(self, sels: list[TaskSelector]) -> frozenset[str]:
        return self.matcher.matching(sels)

    def any_match(self, sels: list[TaskSelector], t: PlannedTask) -> bool:
        return bool(sels) and t.id in self.matcher.matching(sels)


def map_stakeholders(
    spec: Spec, catalog: Catalog, ctx: PlanContext, *, with_raci: bool = True
) -> StakeholderMap:
    """First- and second-order stakeholders, RACI per task, conflicts, communication plan.

    `with_raci=False` leaves out the RACI and the communication plan (and their findings: kinds
    "raci" and "stakeholder"), for outputs that show neither; the stakeholders, conflicts and
    owner labels are the same either way.

    Accountable: the PM, for every task, because the PM is accountable for the plan; except a
    task of a sign-off kind (`[raci] signoff_kinds`: reviews) that a stakeholder owns or
    requests (`owns` in the catalog, or the stakeholder is its owner): that stakeholder is
    Accountable for the verdict and the PM is Consulted. Responsible: the task owner (a role in
    `[raci] pm_roles` stands for the PM), plus stakeholders whose `responsible` selectors match
    (SRE / on-call watches each rollout phase). Consulted and Informed: the stakeholders whose
    `consulted` / `informed` selectors match the task's kind, phase, words or rollout scope.
    """
    cat = catalog.stakeholders
    rollout = _rollout(ctx, cat)
    facts = _facts(spec, cat, ctx.profiles.chosen)
    parties = _parties(spec, cat, ctx, rollout, facts)
    labels = _owner_labels(ctx.tasks, parties, rollout)
    gaps = _cadence_gaps(ctx, cat, parties, rollout)
    raci: list[RaciRow] = []
    findings: list[Finding] = []
    comms: list[CommItem] = []
    late: list[Finding] = []
    if with_raci:
        raci, findings = _raci(ctx, cat, parties, labels, rollout)
        # the communication templates' conditions read the same traits, but no change profiles
        plain = replace(facts, profiles={})
        comms, late = _communication(ctx, cat, parties, rollout, labels, plain, skip_gates=set(gaps))
    return StakeholderMap(
        stakeholders=[p.out for p in parties],
        raci=raci,
        communication_plan=comms,
        conflicts=_overallocation(ctx, spec) + list(gaps.values()),
        findings=findings + late,
        owner_labels=labels,
    )


# ------------------------------------------------------------------ who the stakeholders are


def _rollout(ctx: PlanContext, cat: StakeholderCatalog) -> _Rollout:
    tasks = sorted((t for t in ctx.tasks if t.kind == "rollout"), key=lambda t: t.early_start)
    exposure = {p.task_id: p.exposure_percent for p in ctx.phases if p.task_id}
    exposing = [
        t
        for t in tasks
        if (
            exposure[t.id] > 0
            if t.id in exposure
            else not phrase_search(cat.rollout.internal_words, f"{t.id} {t.name}")
        )
    ]
    full = next((t for t in tasks if exposure.get(t.id) == 100), exposing[-1] if exposing else None)
    exposed = {t.id for t in exposing}
    scopes = {
        t.id: {
            "any",
            "exposing" if t.id in exposed else "internal",
            *(["full"] if full is not None and t.id == full.id else []),
        }
        for t in tasks
    }
    return _Rollout(tasks, exposing, full, TaskMatcher(ctx.tasks, scopes))


def _parties(
    spec: Spec, cat: StakeholderCatalog, ctx: PlanContext, rollout: _Rollout, facts: Facts
) -> list[_Party]:
    mine = [_from_spec(s, cat) for s in spec.stakeholders]
    covered = {p.template.id for p in mine if p.template is not None}
    taken = {s.name for s in spec.stakeholders} | {m.name for m in spec.team}
    first: list[_Party] = []
    second: list[_Party] = []
    # the stakeholders the plan's kinds of change bring in, and the first profile to name each
    brought: dict[str, str] = {}
    for p in ctx.profiles.chosen:
        for sid in p.stakeholders:
            brought.setdefault(sid, f"this is a {p.title.lower()} change")
    for h in ctx.profiles.facets:
        for sid in h.facet.stakeholders:
            brought.setdefault(sid, f"the feature {h.facet.title}")

    def find(sels: list[TaskSelector]) -> str | None:
        ids = rollout.matching(sels)  # matched once per selector list, then looked up
        return next((t.name for t in ctx.tasks if t.id in ids), None) if ids else None

    staff_words = _staff_words(spec, cat)
    for t in cat.stakeholders:
        if t.id in covered:
            continue
        if t.order == "first":
            is_pm = "{pm}" in t.name
            name = fill(t.name, pm=ctx.pm)
            if name in {s.name for s in spec.stakeholders}:
                continue
            if name in taken and not is_pm:
                name = f"{name} ({t.group})"
            first.append(_Party(_out(t, cat, name, "first", t.why), t, False, is_pm=is_pm))
            continue
        reason = next((r for w in t.when if (r := facts.reason(w, find))), None)
        if reason is None and t.id in brought and not _ruled_out(t, facts):
            reason = brought[t.id]
        if reason is None:
            continue
        name = t.name if t.name not in taken else f"{t.name} ({t.group})"
        # what the organisation calls them: "Customer Support (contact centre)"
        if (alias := next((k.name for k in t.known_as if facts.reason(k.when, find)), None)) is not None:
            name = f"{name} ({alias})"
        elif t.id == "customers" and (own := _public_word(spec, cat, t)) is not None:
            name = f"{name} ({own})"  # the text's own word for them: "Customers and end users (members)"
        elif own_names := staff_words.get(t.id):
            name = f"{name} ({', '.join(own_names)})"  # "Internal users of the tool ... (nursery staff)"
        second.append(_Party(_out(t, cat, name, "second", f"{t.why} Added because: {reason}."), t, False))
    named = _named(spec, cat, [*first, *mine, *second], taken)
    ordered = sorted([*first, *mine, *named], key=lambda p: (not p.is_pm, _rank(p)))
    return ordered + sorted(second, key=_rank)


_POSSESSIVE = re.compile(r"['’]s?$")


def _public_word(spec: Spec, cat: StakeholderCatalog, customers: StakeholderTemplate) -> str | None:
    """The word the feature's text uses for the people it serves ("members", "residents",
    "patients"), when it is not one of the customers stakeholder's own aliases ("users",
    "customers"): the first such word not used as a modifier ("member prices", "guest passes")."""
    named = cat.named
    if named is None:
        return None
    public = set(named.public)
    modified = set(named.things_after) | public
    software = set(named.things_before)
    # the words its name already says ("customers", "users"); an alias such as "clients" is
    # worth saying: a home-care PM looks for the clients, not the customers
    plain = set(re.findall(r"[a-z]+", customers.name.lower()))
    public -= set(named.not_served)
    for text in (spec.feature_name, spec.description):
        # a possessive is still the people ("the client's front door" serves clients)
        low = [_POSSESSIVE.sub("", w.lower()) for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text)]
        for i, w in enumerate(low):
            if (
                (w in public or w + "s" in public)
                and (i + 1 == len(low) or low[i + 1] not in modified)
                and (i == 0 or low[i - 1] not in software)  # "the API client" is no client
            ):
                plural = w + "s" if not w.endswith("s") and w + "s" in public else w
                return None if plural in plain else plural
    return None


def _staff_words(spec: Spec, cat: StakeholderCatalog) -> dict[str, list[str]]:
    """The organisation's own people the text names whom a second-order template stands for, by
    its id ("nursery staff" -> the tool's internal users): `_named` leaves them out as covered, so
    the template says them instead, at most two, in the text's words. A name that is one of the
    template's own aliases ("support agents") says nothing more and is not repeated."""
    if cat.named is None or spec.stakeholders:
        return {}
    out: dict[str, list[str]] = {}
    for name, t in cat.named.find(spec.feature_name, spec.description):
        if t is not cat.named.staff_template or (known := cat.template_for("", name)) is None:
            continue
        if known.order == "first" or normalize(name) in {normalize(a) for a in known.aliases}:
            continue
        names = out.setdefault(known.id, [])
        if len(names) < 2:
            names.append(name.lower())
    return out


def _named(spec: Spec, cat: StakeholderCatalog, parties: list[_Party], taken: set[str]) -> list[_Party]:
    """The people the feature's text names, for a spec that lists no stakeholders of its own:
    each one the plan does not have yet (by name, or a generic word that a party's template
    already stands for: "support team" when Customer Support is there), at most `named.most`."""
    if cat.named is None or spec.stakeholders:
        return []
    have = {p.out.name.lower() for p in parties} | {n.lower() for n in taken}
    have |= {m.role.lower() for m in spec.team}
    templates = {p.template.id for p in parties if p.template is not None}
    out: list[_Party] = []
    for name, t in cat.named.find(spec.feature_name, spec.description):
        known = cat.template_for("", name)
        if name.lower() in have or (known is not None and known.id in templates):
            continue
        if len(out) == cat.named.most:
            break
        have.add(name.lower())
        out.append(_Party(_out(t, cat, name, "first", t.why), t, False))
    return out


def _ruled_out(t: StakeholderTemplate, facts: Facts) -> bool:
    # a template's `unless_traits` (customers for an internal-only tool) hold against profiles too
    return any(u in facts.traits for w in t.when for u in w.unless_traits) or any(
        u in facts.traits for u in t.not_traits
    )


def _facts(spec: Spec, cat: StakeholderCatalog, profiles: Sequence[ChangeProfile] = ()) -> Facts:
    users = spec.users if spec.users is not None else users_in_text(spec.description)
    return cat.facts(
        f"{spec.feature_name}\n{spec.description}",
        users=users,
        team_size=spec.team_size,
        tolerance=spec.risk_tolerance,
        deployment=spec.deployment or "feature_flag",
        profiles={p.id: p.title for p in profiles},
        named_staff=named_staff(spec, cat.named),
    )


def _label(t: PlannedTask) -> str:
    """A rollout task's phase as people say it: "Canary (5% of users)", not "Rollout: Canary..."."""
    return re.sub(r"^\s*rollout\s*[:\-–]\s*", "", t.name, flags=re.IGNORECASE) or t.name


def _rank(p: _Party) -> int:
    return _STRATEGY_RANK[p.out.strategy]


def _out(
    t: StakeholderTemplate, cat: StakeholderCatalog, name: str, order: Literal["first", "second"], why: str
) -> Stakeholder:
    return Stakeholder(
        name=name,
        group=t.group,
        order=order,
        influence=t.influence,
        interest=t.interest,
        cadence=t.cadence,
        channel=t.channel,
        strategy=cat.strategy(t.influence, t.interest),
        why=why,
    )


def _from_spec(s: StakeholderSpec, cat: StakeholderCatalog) -> _Party:
    template = cat.template_for(s.group, s.name)
    strategy = cat.strategy(s.influence, s.interest)
    defaults = cat.engagement(strategy)
    cadence = s.cadence or (template.cadence if template else defaults.cadence)
    why = " ".join(x for x in (s.notes.strip(), template.why if template else "") if x)
    out = Stakeholder(
        name=s.name,
        group=s.group or (template.group if template else ""),
        order="first",
        influence=s.influence,
        interest=s.interest,
        cadence=cadence,
        channel=template.channel if template else defaults.channel,
        strategy=strategy,
        why=why or defaults.description,
    )
    return _Party(out, template, s.cadence is not None)


# ------------------------------------------------------------------------------------ RACI


def _owner_labels(tasks: list[PlannedTask], parties: list[_Party], rollout: _Rollout) -> dict[str, str]:
    """Task id → the stakeholder who owns or requests it (the owner when it is a stakeholder)."""
    names = {p.out.name for p in parties if not p.is_pm}
    requester: dict[str, str] = {}  # task id -> the first party (in order) that owns it
    for p in parties:
        if p.template:
            for tid in rollout.matching(p.template.owns):
                requester.setdefault(tid, p.out.name)
    out: dict[str, str] = {}
    for t in tasks:
        if t.owner in names:
            out[t.id] = t.owner
        elif t.id in requester:
            out[t.id] = requester[t.id]
    return out


def _raci(
    ctx: PlanContext,
    cat: StakeholderCatalog,
    parties: list[_Party],
    labels: dict[str, str],
    rollout: _Rollout,
) -> tuple[list[RaciRow], list[Finding]]:
    rows: list[RaciRow] = []
    findings: list[Finding] = []
    pm_roles = {r.lower() for r in cat.raci.pm_roles}
    # task id -> the parties (in their order) each role's selectors give it: one pass over each
    # party's matches, not a lookup per task and party
    by_task: tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]] = ({}, {}, {})
    for p in parties:
        selectors = (
            p.template.responsible if p.template else [],
            p.template.consulted if p.template else [],
            p.template.informed if p.template else cat.engagement(p.out.strategy).informed,
        )
        for role, sels in zip(by_task, selectors, strict=True):
            for tid in rollout.matching(sels):
                role.setdefault(tid, []).append(p.out.name)
    by_resp, by_consulted, by_informed = by_task
    for t in ctx.tasks:
        owner = t.owner
        if owner is not None and owner.strip().lower() in pm_roles:
            owner = ctx.pm
        resp = [owner] if owner else []
        resp += by_resp.get(t.id, ())
        consulted: list[str] = list(by_consulted.get(t.id, ()))
        informed: list[str] = list(by_informed.get(t.id, ()))
        accountable: str | None = ctx.pm or None
        if t.kind in cat.raci.signoff_kinds and t.id in labels:
            accountable = labels[t.id]
            consulted.insert(0, ctx.pm)
        resp = list(dict.fromkeys(resp))
        consulted = [c for c in dict.fromkeys(consulted) if c not in resp and c != accountable]
        informed = [
            i for i in dict.fromkeys(informed) if i not in resp and i != accountable and i not in consulted
        ]
        rows.append(
            RaciRow(
                activity=t.id,
                responsible=resp,
                accountable=accountable,
                consulted=consulted,
                informed=informed,
            )
        )
        if not resp:
            findings.append(
                Finding(
                    kind="raci",
                    subjects=[t.id],
                    message=f"{t.name} ({t.id}) has no Responsible: nobody owns the work. Set "
                    f"`owner` on the task to the one person who will do it.",
                )
            )
        if not accountable:
            findings.append(
                Finding(
                    kind="raci",
                    subjects=[t.id],
                    message=f"{t.name} ({t.id}) has no Accountable: name the PM in the spec (`pm`).",
                )
            )
    return rows, findings


# ------------------------------------------------------------------------------- conflicts


def _overallocation(ctx: PlanContext, spec: Spec) -> list[Conflict]:
    """One conflict per cluster of overlapping tasks with the same (person) owner."""
    groups = {s.name for s in spec.stakeholders}  # a group can run work in parallel
    by_owner: dict[str, list[PlannedTask]] = {}
    for t in ctx.tasks:
        if t.owner and t.owner not in groups and t.kind != "milestone" and t.duration_days > 0:
            by_owner.setdefault(t.owner, []).append(t)
    out: list[Conflict] = []
    for person, tasks in by_owner.items():
        tasks.sort(key=_EARLY_DATES)
        clusters: list[list[PlannedTask]] = []
        end = dt.date.min
        for t in tasks:
            if clusters and t.early_start <= end:
                clusters[-1].append(t)
            else:
                clusters.append([t])
            end = max(end, t.early_finish)
        out += [_overlap(person, c) for c in clusters if len(c) > 1]
    return out


_EARLY_DATES = attrgetter("early_start", "early_finish")


def _overlap(person: str, tasks: list[PlannedTask]) -> Conflict:
    shown = tasks[:8]
    listed = [
        f"{t.name} ({t.id}, {t.early_start.isoformat()} to {t.early_finish.isoformat()})" for t in shown
    ]
    more = f" and {len(tasks) - len(shown)} more" if len(tasks) > len(shown) else ""
    both = " and ".join(listed) if len(listed) == 2 else ", ".join(listed) + more
    return Conflict(
        kind="overallocation",
        message=(
            f"{person} is Responsible for overlapping tasks: {both}. Give one to someone "
            f"else, or make one depend on the other and accept the later finish."
        ),
        subjects=[person, *(t.id for t in tasks)],
    )


def _gates_for(p: _Party, cat: StakeholderCatalog, rollout: _Rollout) -> list[PlannedTask]:
    gates = p.template.gates if p.template else cat.engagement(p.out.strategy).gates
    if gates == "all":
        return sorted(rollout.tasks, key=lambda t: t.early_finish)
    if gates == "exposing":
        return sorted(rollout.exposing, key=lambda t: t.early_finish)
    if gates == "full":
        return [rollout.full] if rollout.full else []
    return []


def _cadence_gaps(
    ctx: PlanContext, cat: StakeholderCatalog, parties: list[_Party], rollout: _Rollout
) -> dict[str, Conflict]:
    """Stakeholders whose chosen cadence is slower than the gates they must hear about."""
    out: dict[str, Conflict] = {}
    for p in parties:
        every = cat.interval(p.out.cadence)
        gates = _gates_for(p, cat, rollout)
        if not p.explicit_cadence or every is None or len(gates) < 2:
            continue
        close = [
            (a, b, ctx.calendar.wd(a.early_finish, b.early_finish))
            for a, b in zip(gates, gates[1:], strict=False)
        ]
        close = [(a, b, n) for a, b, n in close if 0 < n < every]  # same day: heard at once
        if not close:
            continue
        pairs = "; ".join(
            f"{_label(a)} ({a.early_finish.isoformat()}) → {_label(b)} "
            f"({b.early_finish.isoformat()}), {n} working day{'s' * (n != 1)}"
            for a, b, n in close
        )
        out[p.out.name] = Conflict(
            kind="cadence_gap",
            message=(
                f"{p.out.name} hears {p.out.cadence} (every {every} working days), but "
                f"the rollout gates they must hear about come faster: {pairs}. They would "
                f"learn a gate's result after the next phase began. Add per-phase gate "
                f'notices for the rollout weeks, or set cadence = "per-phase".'
            ),
            subjects=[p.out.name, *dict.fromkeys(t.id for a, b, _ in close for t in (a, b))],
        )
    return out


# -------------------------------------------------------------------- communication plan


def _communication(
    ctx: PlanContext,
    cat: StakeholderCatalog,
    parties: list[_Party],
    rollout: _Rollout,
    labels: dict[str, str],
    facts: Facts,
    *,
    skip_gates: set[str],
) -> tuple[list[CommItem], list[Finding]]:
    items: list[CommItem] = []
    findings: list[Finding] = []
    start = ctx.calendar.start
    finish = max((t.early_finish for t in ctx.tasks), default=start)
    told: list[str] = []  # audiences who follow the rollout: they hear of a rollback
    for p in parties:
        if p.is_pm:
            continue
        audience = (
            p.out.name
            if not p.out.group or phrase_search([p.out.group, p.out.group.replace("-", " ")], p.out.name)
            else f"{p.out.name} ({p.out.group})"
        )
        templates = p.template.comms if p.template else []
        if not any(c.kind == "regular" for c in templates):
            defaults = cat.engagement(p.out.strategy)
            templates = [
                CommTemplate(kind="regular", content=p.template.needs if p.template else defaults.needs),
                *templates,
            ]
            if not p.template and defaults.gates != "none":
                templates.append(
                    CommTemplate(kind="at_gates", content="Gate result for {phase} and what happens next")
                )
        for c in templates:
            if not c.holds(facts):  # its traits / unless_traits
                continue
            if c.kind == "at_gates" and p.out.name in skip_gates:
                continue
            new, late = _items(c, p, audience, ctx, cat, rollout, labels, (start, finish))
            items += new
            findings += late
        if _gates_for(p, cat, rollout) or (p.template and p.template.group == "leadership"):
            told.append(audience)
    if told and rollout.exposing:
        items.append(_on_rollback(ctx, told))
    return items, findings


def _on_rollback(ctx: PlanContext, audiences: list[str]) -> CommItem:
    """The one message everyone who follows the rollout gets if it is rolled back."""
    return CommItem(
        audience=", ".join(audiences),
        cadence="on rollback",
        channel="Incident channel, then a written note",
        when="Within 30 minutes of a rollback decision, in any phase",
        content=(
            f"Rollback of {ctx.spec.feature_name}: the phase, the trigger that fired, who "
            "was affected, what users see now, and when the next update comes"
        ),
    )


def _items(
    c: CommTemplate,
    p: _Party,
    audience: str,
    ctx: PlanContext,
    cat: StakeholderCatalog,
    rollout: _Rollout,
    labels: dict[str, str],
    span: tuple[dt.date, dt.date],
) -> tuple[list[CommItem], list[Finding]]:
    """The dated lines one communication template gives for one audience."""
    start, finish = span
    channel = fill(c.channel or p.out.channel, feature=ctx.spec.feature_name, pm=ctx.pm)

    def item(cadence: str, when: str, on: dt.date | None, **vals: str) -> CommItem:
        content = fill(c.content, feature=ctx.spec.feature_name, pm=ctx.pm, **vals)
        return CommItem(
            audience=audience, cadence=cadence, channel=channel, content=content, when=when, date=on
        )

    if c.kind in ("regular", "fixed"):
        cadence = p.out.cadence if c.kind == "regular" else (c.cadence or p.out.cadence)
        if cadence == "per-phase":
            return [], []
        when = f"{_EVERY[cadence]} from {start.isoformat()} to {finish.isoformat()}"
        return [item(cadence, when, start)], []
    if c.kind == "at_gates":
        gates = _gates_for(p, cat, rollout)
        if not gates:
            return [], []
        when = "; ".join(f"{g.early_finish.isoformat()} ({_label(g)} gate)" for g in gates)
        phase = _label(gates[0]) if len(gates) == 1 else "each phase"
        return [item("per-phase" if len(gates) > 1 else "once", when, gates[0].early_finish, phase=phase)], []
    if c.kind == "before_exposure":
        # before the first external exposure; before every ramp step only for an audience
        # that works each step (Responsible for the rollout tasks, as SRE / on-call is)
        acts = p.template is not None and any(
            rollout.any_match(p.template.responsible, t) for t in rollout.exposing
        )
        targets = rollout.exposing if acts else rollout.exposing[:1]
    elif c.kind == "before_full":
        targets = [rollout.full] if rollout.full else []
    else:  # before_owned
        targets = [t for t in ctx.tasks if labels.get(t.id) == p.out.name and t.kind != "rollout"]
    out: list[CommItem] = []
    short: list[tuple[PlannedTask, str, int]] = []
    for t in targets:
        name = _label(t)
        date = (
            max(ctx.calendar.date(ctx.calendar.index(t.early_start) - c.days), start)
            if c.days
            else t.early_start
        )
        lead = ctx.calendar.wd(date, t.early_start)
        when = (
            f"{date.isoformat()} ({lead} working day{'s' * (lead != 1)} before {name} "
            f"starts {t.early_start.isoformat()})"
            if lead
            else f"{date.isoformat()} (the day {name} starts)"
        )
        out.append(
            item(
                "per-phase" if len(targets) > 1 and t.kind == "rollout" else "once",
                when,
                date,
                phase=name,
                task=name,
                start=t.early_start.isoformat(),
                date=date.isoformat(),
                days=str(c.days),
            )
        )
        if lead < c.days:
            short.append((t, name, lead))
    if not short:
        return out, []
    listed = ", ".join(
        f"{name} ({t.early_start.isoformat()}, {lead} working day{'s' * (lead != 1)})"
        for t, name, lead in short[:5]
    )
    more = f" and {len(short) - 5} more" if len(short) > 5 else ""
    return out, [
        Finding(
            kind="stakeholder",
            subjects=[p.out.name, *(t.id for t, _, _ in short)],
            message=(
                f"{p.out.name} needs {c.days} working days' notice, but the plan starts too "
                f"late for it before {listed}{more}: tell them at kickoff "
                f"({start.isoformat()}) and confirm they can make the date."
            ),
        )
    ]
