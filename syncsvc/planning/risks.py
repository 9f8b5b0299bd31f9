"""`assess_risks`: the risk matrix, owners, mitigations and mitigation tasks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from syncsvc.catalog import Catalog
from syncsvc.catalog.base import fill
from syncsvc.catalog.changes import Brings, ChangeProfile, Facet
from syncsvc.catalog.conditions import Situation
from syncsvc.catalog.risks import RiskCatalog, RiskTemplate, Traits
from syncsvc.catalog.stakeholders import NamedPeople
from syncsvc.catalog.textmatch import Lexicon
from syncsvc.model import Finding, Level, Risk
from syncsvc.network import chain_finish
from syncsvc.planning.drafts import MitigationDraft, TaskDraft
from syncsvc.spec import GROUP_WORDS, RiskSpec, Spec, TeamMember

SCALE: dict[str, int] = {"low": 1, "medium": 2, "high": 3}

# "150K users", "1.2 million MAU", "20,000 customers": the largest such count in the text.
_USERS_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|b|thousand|million|billion)?\+?\s*"
    r"(?:monthly |daily |weekly )?(?:active )?"
    r"(users|mau|dau|wau|customers|accounts|subscribers|members|players|merchants|"
    r"tenants|devices|visitors|people|learners|students|patients|drivers|riders|sellers|"
    r"buyers|shoppers|clients|employees|readers|viewers|listeners|households|guests)\b",
    re.IGNORECASE,
)
_MULTIPLIER = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}


@dataclass(frozen=True)
class RiskAssessment:
    risks: list[Risk]
    findings: list[Finding] = field(default_factory=list)
    mitigations: list[MitigationDraft] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    """One risk before ids: from the spec (maybe overriding a template) or from the catalog."""

    title: str
    likelihood: Level
    impact: Level
    mitigation: str
    spec: RiskSpec | None
    template: RiskTemplate | None
    order: int

    @property
    def score(self) -> int:
        return SCALE[self.likelihood] * SCALE[self.impact]

    def sort_key(self) -> tuple[int, int, int, int, int]:
        # CONTRACT §2: score, impact, likelihood (desc), spec before catalog, then as written
        return (
            -self.score,
            -SCALE[self.impact],
            -SCALE[self.likelihood],
            0 if self.spec is not None else 1,
            self.order,
        )


@dataclass(frozen=True)
class _Owner:
    name: str | None
    role: str | None
    person: bool  # one person (or a role standing in for one in quick mode), not a group
    fallback: bool = False  # nobody holds the catalog role: the PM stands in


def assess_risks(
    spec: Spec,
    catalog: Catalog,
    profiles: Sequence[ChangeProfile] = (),
    facets: Sequence[Facet] = (),
    *,
    text: Situation | None = None,
) -> RiskAssessment:
    """The risks of the plan's change profiles, of what the feature does (its facets) and of the
    cross-cutting catalog that apply, plus the spec's; baseline risks fill the categories
    nothing else covers; scored, sorted, owned, with mitigation tasks. `text`: the feature's
    name and description as the profiles read them (`Profiles.text`), to share its word index."""
    cat = catalog.risks
    ids = frozenset(p.id for p in profiles)
    staff = named_staff(spec, catalog.stakeholders.named)
    traits = spec_traits(
        spec,
        ids,
        lexicon=catalog.condition_lexicon,
        text=text,
        facets=frozenset(f.id for f in facets),
        named_staff=staff,
    )
    entries = _entries(spec, _templates(cat, [*profiles, *facets]), traits)
    entries.sort(key=_Entry.sort_key)
    risks: list[Risk] = []
    findings: list[Finding] = []
    mitigations: list[MitigationDraft] = []
    # catalog texts may name the feature and its flag ({feature_name}, {flag_key}...), as the
    # rollback plan names them
    values = {**placeholder_values(spec, catalog), "named_staff": _people(staff)}
    for i, e in enumerate(entries, 1):
        rid = f"R{i}"
        if e.spec is None:
            e = replace(e, title=fill(e.title, values), mitigation=fill(e.mitigation, values))
        if e.spec is not None:
            owner = _spec_owner(spec, e.spec)
        else:
            assert e.template is not None  # a catalog entry always has its template
            owner = _catalog_owner(spec, cat, e.template.owner_role)
        findings += _owner_findings(rid, e, owner, spec, cat)
        task_id, draft, suggestion = _mitigation(rid, e, owner, spec, catalog)
        if draft is not None:
            mitigations.append(draft)
        if suggestion is not None:
            findings.append(suggestion)
        if not e.mitigation.strip():
            findings.append(
                Finding(
                    kind="unmitigated_risk",
                    message=(
                        f"{rid} '{e.title}' has no mitigation: write what will lower its "
                        "likelihood or impact, and who does it by when."
                    ),
                    subjects=[rid, e.title],
                )
            )
        risks.append(
            Risk(
                id=rid,
                title=e.title,
                likelihood=e.likelihood,
                impact=e.impact,
                score=e.score,
                owner=owner.name,
                mitigation=e.mitigation,
                source="spec" if e.spec is not None else "catalog",
                owner_role=owner.role,
                mitigation_task=task_id,
                category=e.template.category if e.template else None,
            )
        )
    return RiskAssessment(risks, findings, mitigations)


def spec_traits(
    spec: Spec,
    profiles: frozenset[str] = frozenset(),
    *,
    lexicon: Lexicon | None = None,
    text: Situation | None = None,
    facets: frozenset[str] = frozenset(),
    named_staff: tuple[str, ...] = (),
) -> Traits:
    """What the catalog's triggers look at, read from the spec (`lexicon`: the catalog's
    condition keywords, see `Situation`; `text`: a Situation of the same name and description
    and lexicon whose word index the traits share)."""
    users = spec.users if spec.users is not None else users_in_text(spec.description)
    days = work_days(spec)
    facts: dict[str, Any] = {
        "users": users,
        "team_size": spec.team_size,
        "work_days": days,
        "schedule_load": _schedule_load(spec, days),
        "deployment": spec.deployment,
        "tolerance": spec.risk_tolerance,
        "profiles": profiles,
        "facets": facets,
        "named_staff": named_staff,
    }
    own = f"{spec.feature_name}\n{spec.description}"
    if text is not None and text.text == own and text.lexicon is lexicon:
        return text.with_facts(**facts)
    return Traits(text=own, lexicon=lexicon, **facts)


def _templates(cat: RiskCatalog, profiles: Sequence[Brings]) -> list[RiskTemplate]:
    """The profiles' risks (primary first; a risk two profiles share counts once), then the
    facets', then the cross-cutting catalog's."""
    out: dict[str, RiskTemplate] = {}
    for p in profiles:
        for r in p.risks:
            out.setdefault(r.id, r)
    for r in cat.risks:
        out.setdefault(r.id, r)
    return list(out.values())


def named_staff(spec: Spec, named: NamedPeople | None) -> tuple[str, ...]:
    """The organisation's own people the feature's text names ("Therapists", "Front desk"), as
    its stakeholders name them; none who have left ("a former employee" built the database), nor
    a head that as often names another organisation's people (`NamedPeople.outside_staff`).
    Read by the risks and the stakeholders' conditions (`NamedPeople.find` keeps the last text's
    names, so the second reading is a lookup)."""
    if named is None:
        return ()
    outside = set(named.outside_staff)
    found = [
        n
        for n, t in named.find(spec.feature_name, spec.description)
        if t is named.staff_template
        and n.split()[-1].lower() not in outside
        and not n.lower().startswith(("former ", "ex-", "retired "))
    ]
    # "lab" says no more than "lab technicians" beside it
    return tuple(n for n in found if not any(m.lower().startswith(n.lower() + " ") for m in found))


def _people(names: Sequence[str]) -> str:
    """Names as a phrase inside a sentence: "therapists", "supervisors and volunteers"."""
    words = [n if n[:2].isupper() else n[:1].lower() + n[1:] for n in names]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def placeholder_values(spec: Spec, catalog: Catalog) -> dict[str, str]:
    """What a catalog text's {feature_name}, {plan_id}, {flag_provider}, {flag_key} and
    {old_channel} say."""
    plan_id = spec.plan_id or ""
    return {
        "feature_name": as_name(spec.feature_name),
        "plan_id": plan_id,
        "flag_provider": spec.flag_provider or catalog.rollback.defaults.flag_provider,
        "flag_key": spec.flag_key or plan_id,
        "old_channel": old_channel(f"{spec.feature_name}. {spec.description}"),
    }


# short words a title leaves in lower case ("Pay in Three Instalments")
_MINOR_WORD = re.compile(r"a|an|and|as|at|but|by|for|from|in|into|of|on|or|per|the|to|up|via|with|vs")


def as_name(feature_name: str) -> str:
    """The feature's name as catalog texts quote it: a title ("In-App Notifications Center") as
    it is, a name written as a sentence ("Coffee stamps expire after a year") in quotes, so that
    "Messages from {feature_name} land in spam" still reads as one sentence."""
    name = feature_name.strip()
    words = re.findall(r"[^\W\d_][\w'’-]*", name)
    if (
        len(words) <= 2
        or name[:1] in "\"“'‘"
        or all(
            _MINOR_WORD.fullmatch(w) or not w.islower() or any(ch.isdigit() for ch in w) for w in words[1:]
        )
    ):
        return name
    return f"“{name}”"


# the channel a messaging change replaces, as the text says it: "replacing email-only alerts",
# "instead of SMS", "no longer by letter"
_OLD_CHANNEL_RE = re.compile(
    r"\b(?:instead of|replacing|replaces|replace|rather than|in place of|no longer by|switching from|"
    r"moving from|move from|moves from)\s+(?:the\s+|our\s+|their\s+|a\s+|an\s+)?(?:printed\s+|paper\s+)?"
    r"(e-?mails?|sms|text messages?|texts?|letters?|post|phone calls?|calls|push notifications?|push|"
    r"whatsapp)\b",
    re.IGNORECASE,
)
# the channel's name by how the word the text uses begins
_CHANNEL_NAMES = (
    ("e", "email"),
    ("sms", "SMS"),
    ("text", "SMS"),
    ("letter", "letters"),
    ("post", "post"),
    ("phone", "phone calls"),
    ("call", "phone calls"),
    ("push", "push"),
    ("whatsapp", "WhatsApp"),
)


def old_channel(text: str) -> str:
    """The channel a messaging change replaces, named from the text, else "the messages sent
    today" (a change that replaces no channel keeps what is sent now)."""
    m = _OLD_CHANNEL_RE.search(text)
    if m is None:
        return "the messages sent today"
    word = m.group(1).lower()
    return next(name for start, name in _CHANNEL_NAMES if word.startswith(start))


def users_in_text(text: str) -> int | None:
    """The largest user count written in the text ("150K users" → 150000), or None."""
    best: int | None = None
    for m in _USERS_RE.finditer(text):
        number = float(m.group(1).replace(",", ""))
        mult = _MULTIPLIER.get((m.group(2) or "").lower(), 1)
        n = int(number * mult)
        best = n if best is None else max(best, n)
    return best


def work_days(spec: Spec) -> int:
    """Working days in the timeline: 5 a week, less holidays on weekdays inside it."""
    n, unit = spec.timeline_parts
    if unit == "days":
        return n
    start = spec.start_date
    if start is None:
        return 5 * n
    end = start + dt.timedelta(days=7 * n)
    off = {h for h in spec.holidays if start <= h < end and h.weekday() < 5}
    return max(1, 5 * n - len(off))


def _schedule_load(spec: Spec, days: int) -> float | None:
    # the longest chain of estimates (no buffers) against the working days available: one
    # forward pass of the scheduler's network (the risks come before the schedule: they decide
    # the mitigation tasks it holds)
    if not spec.tasks:
        return None
    tasks = spec.tasks
    finish = chain_finish(
        [t.id for t in tasks], [t.depends_on for t in tasks], [t.estimate or 0 for t in tasks]
    )
    return finish / max(1, days)


def _entries(spec: Spec, templates: list[RiskTemplate], traits: Traits) -> list[_Entry]:
    applying: list[tuple[RiskTemplate, tuple[Level, Level]]] = []
    for t in templates:
        levels = t.applies(traits)
        if levels is not None:
            applying.append((t, levels))
    # one risk said once: a risk another applying one says more closely is left out (a risk
    # that covers others is never itself left out)
    covered_ids = {rid for t, _ in applying for rid in t.covers}
    if covered_ids:
        applying = [(t, lv) for t, lv in applying if t.id not in covered_ids or t.covers]
    by_title = {t: tpl for tpl in templates for t in tpl.titles}
    out: list[_Entry] = []
    overridden: set[str] = set()
    for i, r in enumerate(spec.risks):
        # the same risk by title or alias, else one that applies and says the same thing
        tpl: RiskTemplate | None = by_title.get(r.title.strip().lower()) or next(
            (t for t, _ in applying if t.id not in overridden and same_risk(r.title, t.titles)), None
        )
        if tpl is not None:
            overridden.add(tpl.id)
        mitigation = r.mitigation.strip() or (tpl.mitigation if tpl else "")
        out.append(_Entry(r.title, r.likelihood, r.impact, mitigation, r, tpl, i))
    covered = {e.template.category for e in out if e.template is not None}
    for i, (tpl, levels) in enumerate(applying):
        if tpl.id in overridden or tpl.baseline:
            continue
        if tpl.fills_category:
            covered.add(tpl.category)
        out.append(_Entry(tpl.title, levels[0], levels[1], tpl.mitigation, None, tpl, i))
    for i, (tpl, levels) in enumerate(applying):
        if tpl.baseline and tpl.id not in overridden and tpl.category not in covered:
            covered.add(tpl.category)
            out.append(_Entry(tpl.title, levels[0], levels[1], tpl.mitigation, None, tpl, len(applying) + i))
    return out


_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "without",
        "may",
        "can",
        "could",
        "will",
        "not",
        "no",
        "new",
        "our",
        "their",
        "this",
        "that",
    }
)


def _content_words(text: str) -> set[str]:
    return {
        w[:-1] if w.endswith("s") and len(w) > 3 else w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in _STOP
    }


def same_risk(title: str, others: Sequence[str]) -> bool:
    """Whether a risk title says what one of `others` says: most content words shared."""
    mine = _content_words(title)
    for o in others:
        theirs = _content_words(o)
        shared = mine & theirs
        if len(shared) >= 2 and len(shared) >= 0.6 * min(len(mine), len(theirs)):
            return True
    return False


def _spec_owner(spec: Spec, r: RiskSpec) -> _Owner:
    """A spec risk's owner as given: a person, a stakeholder, or a role held by one person."""
    given = (r.owner or "").strip()
    if not given:
        return _Owner(None, None, person=False)
    if given.lower() in GROUP_WORDS:
        return _Owner(given, None, person=False)
    member = next((m for m in spec.team if m.name == given), None)
    if member is not None:
        return _Owner(member.name, member.role or None, person=True)
    if any(s.name == given for s in spec.stakeholders):
        return _Owner(given, None, person=True)
    holders = [m for m in spec.team if m.role and m.role.strip().lower() == given.lower()]
    if len(holders) == 1:
        return _Owner(holders[0].name, given, person=True)
    return _Owner(given, None, person=True)


def _catalog_owner(spec: Spec, cat: RiskCatalog, role: str) -> _Owner:
    """The team member who holds the role, else the PM; without a team, the role itself."""
    pm = spec.pm or "PM"
    areas, _ = cat.role_areas(role)
    if "pm" in areas:
        return _Owner(pm, role, person=True)
    if not spec.team:
        return _Owner(role, role, person=True)
    member = role_holder(spec.team, cat, role)
    if member is None:
        return _Owner(pm, role, person=True, fallback=True)
    return _Owner(member.name, role, person=True)


def role_holder(team: list[TeamMember], cat: RiskCatalog, role: str) -> TeamMember | None:
    """The team member whose role best matches `role`: the same words, then the same area.

    "Backend Lead" finds a "Backend Lead" first, then a "Back-end Engineering Lead", then a
    "Senior Backend Engineer", then someone who may stand in (a "Tech Lead"); among equals,
    the first listed.
    """
    want, want_rank = cat.role_areas(role)
    best: TeamMember | None = None
    best_tier = 0
    for m in team:
        if not m.role.strip():
            continue
        have, have_rank = cat.role_areas(m.role)
        if m.role.strip().lower() == role.strip().lower():
            tier = 4
        elif want and want <= have:
            tier = 3 if want_rank <= have_rank else 2
        elif want and want <= cat.covered(have):
            tier = 1
        else:
            continue
        if tier > best_tier:
            best, best_tier = m, tier
    return best


def _owner_findings(rid: str, e: _Entry, owner: _Owner, spec: Spec, cat: RiskCatalog) -> list[Finding]:
    subjects = [rid, e.title]
    if e.spec is not None and not owner.person:
        hint = ""
        if e.template is not None:
            alt = _catalog_owner(spec, cat, e.template.owner_role)
            hint = f" The catalog would give it to the {e.template.owner_role}" + (
                f" ({alt.name})." if alt.name != e.template.owner_role else "."
            )
        if owner.name is None:
            return [
                Finding(
                    kind="unowned_risk",
                    subjects=subjects,
                    message=(
                        f"{rid} '{e.title}' has no owner. Name one person: one person, one risk." + hint
                    ),
                )
            ]
        # CONTRACT §4 has one kind for both: no owner, or a group word (named in subjects)
        return [
            Finding(
                kind="unowned_risk",
                subjects=[*subjects, owner.name],
                message=(
                    f"{rid} '{e.title}' is owned by '{owner.name}', and a group owns nothing. Name one "
                    "person: one person, one risk." + hint
                ),
            )
        ]
    if owner.fallback and owner.role:
        return [
            Finding(
                kind="risk_owner_fallback",
                subjects=[*subjects, owner.role],
                message=(
                    f"{rid} '{e.title}': no team member holds the {owner.role} role, so the PM "
                    f"({owner.name}) owns it. Hand it to a {owner.role} if one joins, or keep it "
                    "deliberately."
                ),
            )
        ]
    return []


def _mitigation(
    rid: str, e: _Entry, owner: _Owner, spec: Spec, catalog: Catalog
) -> tuple[str | None, MitigationDraft | None, Finding | None]:
    """(task id in the plan, the draft to insert, a suggestion finding) for one risk."""
    task_owner = owner.name if owner.person else None
    mt = e.spec.mitigation_task if e.spec is not None else None
    if mt is not None:
        draft = TaskDraft(
            mt.id,
            mt.name,
            mt.phase,
            "task",
            mt.owner or task_owner,
            mt.risk or "medium",
            mt.estimate,
            tuple(mt.depends_on),
            "mitigation",
            role=None if mt.owner else owner.role,
        )
        return mt.id, MitigationDraft(draft, mt.before, e.title), None
    tpl = e.template.mitigation_task if e.template is not None else None
    if tpl is None:
        return None, None, None
    planned = {t.id for t in spec.tasks} | {
        r.mitigation_task.id for r in spec.risks if r.mitigation_task is not None
    }
    if tpl.id in planned:  # the spec already plans a task by that id: that one mitigates it
        return (tpl.id if spec.quick_mode else None), None, None
    if spec.quick_mode:
        draft = TaskDraft(
            tpl.id,
            tpl.name,
            tpl.phase,
            "task",
            task_owner,
            tpl.risk,
            tpl.estimate,
            tuple(tpl.depends_on),
            "mitigation",
            role=owner.role,
        )
        return tpl.id, MitigationDraft(draft, tpl.before, e.title), None
    if tpl.name.strip().lower() in {t.name.strip().lower() for t in spec.tasks}:
        return None, None, None
    spec_names = {t.id: t.name for t in spec.tasks}
    if tpl.before in spec_names:
        where = f"before '{tpl.before}' ({spec_names[tpl.before]})"
    else:
        default = next((t.name for t in catalog.tasks.tasks if t.id == tpl.before), tpl.before)
        where = (
            f"before your {default.lower()} work (this plan has no task "
            f"'{tpl.before}'; make that work depend on it)"
        )
    who = f", owned by {task_owner}" if task_owner else ""
    days = f"{tpl.estimate} working day{'s' if tpl.estimate != 1 else ''}"
    return (
        None,
        None,
        Finding(
            kind="suggested_task",
            subjects=[rid, tpl.id, tpl.before],
            message=(
                f"{rid} '{e.title}': consider a task '{tpl.id}' ({tpl.name}, {days}{who}) "
                f"{where}. Add it to [[tasks]] or as the risk's mitigation_task; syncsvc does "
                "not change a hand-made timeline by itself."
            ),
        ),
    )
