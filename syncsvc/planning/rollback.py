"""`build_rollback`: deployment type, triggers, decision maker, steps and the 2am test."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from syncsvc.catalog import Catalog, load_catalog
from syncsvc.catalog.base import fill
from syncsvc.catalog.changes import Brings, ChangeProfile, Facet, ProfileTrigger, RollbackTemplate
from syncsvc.catalog.conditions import Situation
from syncsvc.catalog.rollback import (
    LintRules,
    RollbackNotice,
    ToleranceDefaults,
    TriggerTemplate,
)
from syncsvc.model import Deployment, Finding, Level, Phase, Rollback, RollbackStep, Trigger
from syncsvc.planning.context import PlanContext
from syncsvc.planning.risks import placeholder_values
from syncsvc.spec import GROUP_WORDS, Spec, TriggerSpec

TWO_AM = "two_am_test"
_UNNAMED = "the decision maker (not named)"


@dataclass(frozen=True)
class RollbackResult:
    rollback: Rollback
    findings: list[Finding] = field(default_factory=list)


# The mechanism a deployment type gives a change that a flag or a redeploy can undo.
_DEPLOYMENT_MECHANISM = {
    "feature_flag": "flag_off",
    "canary": "abort_canary",
    "blue_green": "switch_back",
    "big_bang": "redeploy_previous",
}
# Changes that move data or traffic for good at some step: their point of no return must be stated.
_CUTOVERS = frozenset({"window_cutover", "shadow_cutover"})
_ONE_WAY_MECHANISMS = frozenset({"fail_back", "stop_dual_write", "restore_backup"})
# The deployment a strategy implies when the spec names none.
_STRATEGY_DEPLOYMENT: dict[str, Deployment] = {
    "window_cutover": "big_bang",
    "shadow_cutover": "blue_green",
    "staged_app_release": "canary",
}


def build_rollback(spec: Spec, catalog: Catalog, ctx: PlanContext) -> RollbackResult:
    """The rollback plan: the primary change profile's mechanism (or, for a change a flag or a
    redeploy undoes, the deployment type's steps), its triggers with their data sources, and the
    2am-test findings."""
    cat = catalog.rollback
    profile = ctx.profiles.primary
    # the feature's name and description (with the catalog's condition lexicon), for their
    # keywords: the profiles' own, so its word index is built once
    text = ctx.profiles.text
    chosen = _rollback_for(profile, text) if profile is not None else None
    if chosen is not None:
        chosen = _facet_rollback(ctx.profiles.taking_over, chosen)
    own = chosen if chosen is not None and not chosen.flag_undoes else None
    kind: Deployment = spec.deployment or _STRATEGY_DEPLOYMENT.get(ctx.strategy, cat.defaults.deployment)
    dep = cat.deployment(kind)
    tol = cat.tolerance(spec.risk_tolerance)
    given = spec.rollback
    if given is not None and given.decision_maker is not None:
        decision_maker: str | None = given.decision_maker.strip() or None
    else:
        decision_maker = dep.decision_maker or tol.decision_maker
    values = {**placeholder_values(spec, catalog), "decision_maker": decision_maker or _UNNAMED, "pm": ctx.pm}
    # the facets whose way back replaces the kind's (`Facet.replaces`), for triggers' `not_facets`
    taking_over = frozenset(f.id for f in ctx.profiles.taking_over)
    extra = _profile_triggers(
        ctx.profiles.sources, spec.risk_tolerance, text.with_facts(facets=taking_over), values
    )
    findings: list[Finding] = []

    # Nothing recognised and no deployment named: a flag rollback and web-service triggers would
    # be a guess dressed as a plan; leave them out and let the 2am test ask for them.
    unknown_change = profile is None and spec.deployment is None
    if given is not None and given.triggers is not None:
        triggers, unknown = _spec_triggers(given.triggers, ctx.phases, sources=_sources(tol, extra))
        findings += unknown
    elif unknown_change:
        triggers = []
    else:
        keep = profile.default_triggers if profile is not None else None
        left_out = {m for m, words in cat.left_out.items() if text.index.keyword(words) is not None}
        if left_out:
            keep = [
                t.metric
                for t in tol.triggers
                if t.metric not in left_out and (keep is None or t.metric in keep)
            ]
        triggers = default_triggers(tol, ctx.phases, extra=[t for t, _ in extra], keep=keep)

    checks = [fill(t.verification, values) for _, t in extra if t.verification]
    if own is not None:
        steps_src, switch, mechanism = own.steps, own.switch, own.mechanism
        verification = [fill(v, values) for v in own.verification]
        assumptions = [fill(a, values) for a in own.assumptions]
    elif unknown_change:
        steps_src, switch, mechanism = [], "", "undetermined"
        verification, assumptions = [], []
    else:
        steps_src, switch = dep.steps, dep.switch
        mechanism = (
            chosen.mechanism if chosen is not None and kind == "feature_flag" else _DEPLOYMENT_MECHANISM[kind]
        )
        verification = [fill(v, values) for v in dep.verification]
        assumptions = [fill(a, values) for a in dep.assumptions]
    limits = [fill(x, values) for x in chosen.limits] if chosen is not None else []
    steps = [
        RollbackStep(
            order=i,
            actor=fill(s.actor, values),
            action=fill(s.action, values),
            expected_result=fill(s.expected_result, values),
            max_minutes=s.max_minutes,
        )
        for i, s in enumerate(steps_src, start=1)
    ]
    rollback = Rollback(
        deployment=kind,
        mechanism=mechanism,
        decision_maker=decision_maker,
        triggers=triggers,
        steps=steps,
        verification=(
            verification + checks + [fill(v, values) for v in cat.verification] if not unknown_change else []
        ),
        communication=[]
        if unknown_change
        else [_communication(c, values) for c in sorted(cat.communication, key=lambda c: c.within_minutes)],
        estimated_minutes=sum(s.max_minutes for s in steps),
        switch=fill(switch, values),
        assumptions=assumptions,
        limits=limits,
        point_of_no_return=(
            fill(own.point_of_no_return, values) if own is not None and own.point_of_no_return else None
        ),
    )
    if own is None and kind == "feature_flag" and not unknown_change:
        findings += _flag_defaults(spec, values)
    findings += _mechanism_findings(spec, profile, own)
    # the feature's own name is quoted into the steps: its words ("as soon as they finish") are
    # what the feature is called, not an instruction to the on-call engineer
    names = (spec.feature_name, values["plan_id"], values["flag_key"])
    return RollbackResult(rollback, findings + lint_rollback(rollback, cat.lint, quoted=names))


def _rollback_for(profile: ChangeProfile, text: Situation) -> RollbackTemplate:
    """The profile's rollback, or the variant for the sort of change the text names."""
    return next((v for v in profile.rollback_variants if v.applies(text)), profile.rollback)


def _facet_rollback(taking_over: Sequence[Facet], chosen: RollbackTemplate) -> RollbackTemplate:
    """The way back of a thing the feature does (points that expire), where the kind of
    change's own cannot undo it (a flag turned off does not give the points back)."""
    return next(
        (f.rollback for f in taking_over if f.rollback is not None and chosen.mechanism in f.rollback_over),
        chosen,
    )


def _profile_triggers(
    profiles: Sequence[Brings], level: Level, text: Situation, values: dict[str, str]
) -> list[tuple[Trigger, ProfileTrigger]]:
    """Each profile's (then facet's) triggers at this tolerance (those with keywords only when
    the text has one); a metric two of them share counts once. A data source may name the
    feature or its flag (`values`)."""
    out: dict[str, tuple[Trigger, ProfileTrigger]] = {}
    for p in profiles:
        for t in p.triggers:
            if not t.holds(text):  # its keywords
                continue
            out.setdefault(
                t.metric,
                (
                    Trigger(
                        metric=t.metric,
                        operator=t.operator,
                        threshold=_number(t.thresholds[level]),
                        unit=t.unit,
                        window_minutes=t.window_minutes,
                        source=fill(t.source, values),
                    ),
                    t,
                ),
            )
    return list(out.values())


def _sources(tol: ToleranceDefaults, extra: Sequence[tuple[Trigger, ProfileTrigger]]) -> dict[str, str]:
    """Metric → where its number comes from, for the triggers the catalog knows."""
    known = {t.metric: t.source for t in tol.triggers if t.source}
    known.update({t.metric: t.source for t, _ in extra})
    return known


def _mechanism_findings(
    spec: Spec, profile: ChangeProfile | None, own: RollbackTemplate | None
) -> list[Finding]:
    """The 2am test knows the mechanism: a flag cannot undo a cutover, a one-way change needs
    its point of no return stated."""
    if profile is None or own is None:
        return []
    out: list[Finding] = []
    if spec.deployment == "feature_flag" and own.mechanism != "flag_off":
        why = own.limits[0] if own.limits else ""
        out.append(
            Finding(
                kind=TWO_AM,
                subjects=["deployment", profile.id],
                message=(
                    f'The spec sets deployment = "feature_flag", but turning a flag off does not undo '
                    f"a {profile.title.lower()} change. {why} This plan rolls back by {own.mechanism} "
                    "instead; keep the flag only as the switch for the new code path."
                ),
            )
        )
    one_way = profile.rollout.strategy in _CUTOVERS or own.mechanism in _ONE_WAY_MECHANISMS
    if one_way and own.point_of_no_return is None:
        out.append(
            Finding(
                kind=TWO_AM,
                subjects=["point_of_no_return", profile.id],
                message=(
                    f"The {own.mechanism} rollback of this {profile.title.lower()} change states no "
                    "point of no return: say after which step going back is no longer possible, and "
                    "what rolling back means after it."
                ),
            )
        )
    return out


def default_triggers(
    tol: ToleranceDefaults,
    phases: Sequence[Phase],
    *,
    extra: Sequence[Trigger] = (),
    keep: Sequence[str] | None = None,
) -> list[Trigger]:
    """The tolerance's triggers (those named in `keep`, when given) and `extra` for every
    phase, then the phase rows that differ."""
    base = [t for t in tol.triggers if keep is None or t.metric in keep]
    out = [_trigger(t, t.threshold) for t in base] + list(extra)
    for phase in phases:
        for t in base:
            th = phase_threshold(t, phase.exposure_percent, tol.early_exposure_percent)
            if th != t.threshold:
                out.append(_trigger(t, th, phase=phase.name))
    return out


def phase_threshold(t: TriggerTemplate, exposure: float, early_max: float) -> float:
    """A trigger's threshold in a phase exposing `exposure` percent of users."""
    th = t.early_threshold if t.early_threshold is not None and exposure <= early_max else t.threshold
    if t.scale_with_exposure and t.min_threshold is not None:
        th = max(t.min_threshold, float(math.ceil(th * exposure / 100)))
    return th


def triggers_for_phase(rollback: Rollback, phase: str) -> list[Trigger]:
    """The triggers in force during `phase`: its own rows replace all-phase rows of a metric."""
    own = [t for t in rollback.triggers if t.phase == phase]
    mine = {t.metric for t in own}
    return [t for t in rollback.triggers if t.phase is None and t.metric not in mine] + own


def _number(x: float) -> float:
    # 2, not 2.0, in the JSON and the Markdown when the threshold is whole (CONTRACT §4 example)
    return int(x) if float(x).is_integer() else x


def _trigger(t: TriggerTemplate, threshold: float, phase: str | None = None) -> Trigger:
    return Trigger(
        metric=t.metric,
        operator=t.operator,
        threshold=_number(threshold),
        unit=t.unit,
        window_minutes=t.window_minutes,
        phase=phase,
        source=t.source,
    )


def _spec_triggers(
    given: Iterable[TriggerSpec], phases: Sequence[Phase], *, sources: dict[str, str]
) -> tuple[list[Trigger], list[Finding]]:
    names = {p.name.lower(): p.name for p in phases}
    out: list[Trigger] = []
    findings: list[Finding] = []
    for t in given:
        data = t.model_dump()
        phase = data.get("phase")
        if phase is not None and phase.strip().lower() in names:
            data["phase"] = names[phase.strip().lower()]
        elif phase is not None:
            findings.append(
                Finding(
                    kind="rollback",
                    message=(
                        f"Rollback trigger {data['metric']} names phase {phase!r}, which is not "
                        f"a phase of this rollout ({', '.join(p.name for p in phases)}); it "
                        "will never be in force. Use one of those phase names."
                    ),
                    subjects=[f"trigger {data['metric']}", phase],
                )
            )
        data["threshold"] = _number(data["threshold"])
        data["source"] = sources.get(data["metric"], "")
        out.append(Trigger(**data))
    return out, findings


def _communication(c: RollbackNotice, values: dict[str, str]) -> str:
    return (
        f"Within {c.within_minutes} min: {fill(c.who, values)} → {fill(c.whom, values)}, "
        f"via {fill(c.channel, values)}: {fill(c.message, values)}"
    )


def _flag_defaults(spec: Spec, values: dict[str, str]) -> list[Finding]:
    missing = [k for k in ("flag_key", "flag_provider") if getattr(spec, k) is None]
    if not missing:
        return []
    used = " and ".join(f"{k} = {values[k]!r}" for k in missing)
    return [
        Finding(
            kind="rollback",
            message=(
                f"The spec sets no {' or '.join(missing)}: the rollback steps assume {used}. "
                "Set the real value in the spec so the on-call engineer flips the right switch."
            ),
            subjects=missing,
        )
    ]


# ---- the 2am test ---------------------------------------------------------------------------


def lint_rollback(
    rollback: Rollback, rules: LintRules | None = None, *, quoted: Sequence[str] = ()
) -> list[Finding]:
    """2am-test findings for any Rollback: vague words, missing actors, results, numbers, windows,
    no decision maker, and a rollback longer than the limit. Names in `quoted` (the feature's
    name, its flag key) are read as names: a vague word inside one is not an instruction."""
    rules = rules or _bundled_rules()
    vague = _vague_matcher(tuple(rules.vague_phrases))
    names = [n for n in quoted if n.strip()]
    unquote = (
        re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.IGNORECASE)
        if names
        else None
    )
    out: list[Finding] = []

    def flag(subject: str, message: str) -> None:
        out.append(Finding(kind=TWO_AM, message=message, subjects=[subject]))

    def words(subject: str, what: str, text: str) -> None:
        hits = vague(unquote.sub(" ", text) if unquote is not None else text)
        if hits:
            flag(
                subject,
                f"{subject.capitalize()}: {what} {_quote(text)} is vague "
                f"({', '.join(repr(h) for h in hits)}); say exactly what, who, "
                "how much or by when.",
            )

    out += _decision_maker_findings(rollback.decision_maker, rules, vague)
    if not rollback.triggers:
        flag(
            "triggers",
            "No rollback triggers: name the metrics, thresholds and windows that make the decision for you.",
        )
    for t in rollback.triggers:
        subject = f"trigger {t.metric or '(no metric)'}" + (f" ({t.phase})" if t.phase else "")
        if not t.metric.strip():
            flag(subject, "A rollback trigger has no metric: name what is measured.")
        if not isinstance(t.threshold, int | float) or not math.isfinite(t.threshold):
            flag(subject, f"{subject.capitalize()} has no number: give the threshold that fires it.")
        if not t.operator.strip():
            flag(subject, f"{subject.capitalize()} has no operator (>, <, ...).")
        if t.window_minutes <= 0:
            flag(
                subject,
                f"{subject.capitalize()} has no window: say over how many minutes the threshold must hold.",
            )
        words(subject, "metric", f"{t.metric} {t.unit}".strip())
        if not t.source.strip() and t.phase is None:
            flag(
                subject,
                f"{subject.capitalize()} has no data source: say which dashboard, "
                "query or log gives its number, or nobody can tell at 2am that it fired.",
            )
    if not rollback.steps:
        flag("steps", "No rollback steps: write who does what, exactly, and what they then see.")
    for s in rollback.steps:
        subject = f"step {s.order}"
        if not s.actor.strip():
            flag(subject, f"Step {s.order} has no actor: name the one role that runs it.")
        if not s.action.strip():
            flag(subject, f"Step {s.order} has no action: give the exact flag, command or switch.")
        if not s.expected_result.strip():
            flag(subject, f"Step {s.order} has no expected result: say what the actor sees when it worked.")
        if s.max_minutes <= 0:
            flag(subject, f"Step {s.order} has no time limit: give its maximum minutes.")
        if s.actor.strip() and not _on_call(s.actor, rollback.decision_maker, rules):
            flag(
                subject,
                f"Step {s.order} needs {s.actor!r}, who is not on call at 2am: give "
                "the step to an on-call role, or put that person on the launch rota "
                "and name it (e.g. 'On-call DBA').",
            )
        for what, text in (("actor", s.actor), ("action", s.action), ("expected result", s.expected_result)):
            words(subject, what, text)
    if not rollback.verification:
        flag("verification", "No verification checks: say how you know the rollback worked.")
    for i, v in enumerate(rollback.verification, start=1):
        words(f"verification {i}", "check", v)
    for i, c in enumerate(rollback.communication, start=1):
        words(f"communication {i}", "message", c)
    total = rollback.estimated_minutes or sum(max(0, s.max_minutes) for s in rollback.steps)
    if total > rules.max_total_minutes:
        flag(
            "estimated_minutes",
            f"The rollback takes up to {total} minutes, more than {rules.max_total_minutes}: "
            "cut steps, automate them, or make the switch faster (a flag beats a redeploy).",
        )
    return out


def _on_call(actor: str, decision_maker: str | None, rules: LintRules) -> bool:
    low = actor.strip().lower()
    if decision_maker and low == decision_maker.strip().lower():
        return True
    return low == _UNNAMED or any(w.lower() in low for w in rules.on_call_words)


def _decision_maker_findings(who: str | None, rules: LintRules, vague: _Matcher) -> list[Finding]:
    subject = "decision_maker"
    if who is None or not who.strip():
        msg = (
            "No decision maker: name the one person (a role on call at 2am, such as "
            "'On-call engineering lead') who decides to roll back."
        )
    elif who.strip().lower() in GROUP_WORDS | {g.lower() for g in rules.group_words}:
        msg = f"Decision maker {who!r} is a group, not a person: at 2am one named role decides, no vote."
    elif hits := vague(who):
        msg = f"Decision maker {who!r} is vague ({', '.join(repr(h) for h in hits)})."
    else:
        return []
    return [Finding(kind=TWO_AM, message=msg, subjects=[subject])]


class _Matcher:
    """Finds the vague phrases in a text, whole words, case-insensitive, longest first."""

    def __init__(self, phrases: tuple[str, ...]) -> None:
        ordered = sorted({p.lower(): p for p in phrases}.items(), key=lambda kv: -len(kv[0]))
        self._names = dict(ordered)
        # one alternation, longest first: "etc." wins over "etc" at the same place (no group
        # per phrase: groups make the search several times slower)
        pattern = r"(?<!\w)(?:" + "|".join(re.escape(k) for k, _ in ordered) + r")(?!\w)"
        self._re = re.compile(pattern, re.IGNORECASE)
        # between ASCII texts and phrases, ignoring case is matching the lowercased text (the
        # same positions and word boundaries): a third faster than the case-blind search
        self._lowered = re.compile(pattern) if all(k.isascii() for k in self._names) else None
        # the phrases found, by text: a rollback's texts are mostly its catalog's, filled the
        # same way plan after plan (the regex is most of the lint's time)
        self._found: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> list[str]:
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= _MATCHER_TEXTS:
                self._found.clear()
            found = self._found[text] = tuple(self._search(text))
        return list(found)

    def _search(self, text: str) -> list[str]:
        seen: list[str] = []
        if self._lowered is not None and text.isascii():
            found = [m.group(0) for m in self._lowered.finditer(text.lower())]
        else:
            found = [m.group(0) for m in self._re.finditer(text)]
        for f in found:
            phrase = self._names.get(f.lower()) or self._spelled_otherwise(f)
            if phrase not in seen:
                seen.append(phrase)
        return seen

    def _spelled_otherwise(self, found: str) -> str:
        # the regex ignores case by Unicode's rules ("ſ", the long s, matches "s"), so what it
        # matched, lowercased, need not be a phrase: the first phrase that matches it whole
        return next(p for k, p in self._names.items() if re.fullmatch(re.escape(k), found, re.IGNORECASE))


# the most texts a matcher keeps its answers for (then it starts again)
_MATCHER_TEXTS = 4096


@lru_cache(maxsize=16)
def _vague_matcher(phrases: tuple[str, ...]) -> _Matcher:
    return _Matcher(phrases)


def _bundled_rules() -> LintRules:
    return load_catalog().rollback.lint


def _quote(text: str, limit: int = 80) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'"{short}"'
