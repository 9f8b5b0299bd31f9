"""Score quick-mode plans against a PM-written evaluation set (issue 11): recall, profiles, rollout, rollback.

A features file (TOML) holds `[[feature]]` tables: the five quick inputs (plus optional `users`), an
`id`, and `[feature.expected]` with `profiles`, `strategy`, `mechanism`, `risks`, `stakeholders`,
`triggers` (lists of `{concept, any = [regex, ...]}`) and `must_not` (regexes). See README.md here.

The scorer reads plans through attributes or mapping keys and treats a missing field as empty, so
a plan from an older planner (no `change_profiles`, no `rollout`) scores 0 where it has nothing,
and never crashes the run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from syncsvc.catalog import Catalog, load_catalog

HERE = Path(__file__).resolve().parent
FEATURES = HERE / "features.toml"
HELDOUT = HERE / "heldout.toml"
EVERYDAY = HERE / "everyday.toml"  # plain product changes, written before the facets were built
HELDOUT7 = HERE / "heldout7.toml"  # blind for round 7; development data from round 8 on
START_DATE = dt.date(2027, 3, 1)
TODAY = dt.date(2026, 11, 27)

# the ids an expected list may name: the bundled catalog's profiles
PROFILE_IDS = frozenset(load_catalog().changes.ids)
STRATEGIES = frozenset(
    {
        "percentage_ramp",
        "cohort_ramp",
        "shadow_cutover",
        "window_cutover",
        "staged_app_release",
        "dark_launch",
    }
)
MECHANISMS = frozenset(
    {
        "flag_off",
        "fail_back",
        "stop_dual_write",
        "halt_release",
        "lift_enforcement",
        "redeploy_previous",
        "restore_backup",
        "route_back",
    }
)
OTHER = "other"  # in an expected mechanism list: any mechanism outside the named eight
QUICK_KEYS = ("feature_name", "description", "team_size", "timeline", "risk_tolerance", "users")
# the finding a plan gives when it recognised no kind of change (CONTRACT §4 names low_coverage)
UNRECOGNISED_KIND = re.compile(
    r"low_coverage|unrecogni[sz]ed|not_recogni[sz]ed|no_profile|unknown_change", re.IGNORECASE
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
_METHOD = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class EvalFileError(ValueError):
    """A features file that does not follow the format; the message names the file and the feature."""


@dataclass(frozen=True)
class Concept:
    """One thing a PM expects to see, and the patterns any one of which shows it is there."""

    concept: str
    patterns: tuple[re.Pattern[str], ...]

    def found_in(self, texts: Iterable[str]) -> bool:
        return any(p.search(t) for t in texts for p in self.patterns)


@dataclass(frozen=True)
class Expected:
    profiles: tuple[str, ...]
    strategy: frozenset[str]
    mechanism: frozenset[str]
    risks: tuple[Concept, ...]
    stakeholders: tuple[Concept, ...]
    triggers: tuple[Concept, ...]
    must_not: tuple[re.Pattern[str], ...]

    @property
    def recognisable(self) -> bool:
        return bool(self.profiles)


@dataclass(frozen=True)
class Feature:
    id: str
    inputs: Mapping[str, Any]
    expected: Expected
    # the evaluation set (file name) it is from: scored with that set's known examples left out
    set: str = ""


@dataclass
class Recall:
    hit: int = 0
    total: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def value(self) -> float | None:
        return None if self.total == 0 else self.hit / self.total


@dataclass
class FeatureScore:
    id: str
    risks: Recall
    risks_distinct: int  # concepts covered when each plan risk may cover only one of them
    stakeholders: Recall
    triggers: Recall
    profiles_got: list[str]
    primary_got: str | None
    primary_ok: bool
    secondaries: Recall
    strategy_got: str | None
    strategy_ok: bool | None  # None: not scored (nothing expected)
    mechanism_got: str | None
    mechanism_ok: bool | None
    wrong_sense: list[str]
    flagged_unrecognised: bool
    error: str | None = None


@dataclass
class Totals:
    features: int
    risk_recall: float
    risk_recall_distinct: float  # the same with one plan risk per expected risk
    stakeholder_recall: float
    trigger_recall: float
    primary_right: float
    secondary_recall: float
    strategy_right: float
    mechanism_right: float
    wrong_sense_hits: int
    min_risk_recall: float
    none_features: int
    none_clean: int  # "none" features with no profile and an unrecognised-change finding


# ───────────────────────────── loading ─────────────────────────────


def load_features(path: Path | str = FEATURES) -> list[Feature]:
    """The features of one evaluation file, checked; a bad file raises EvalFileError."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise EvalFileError(f"{p.name}: cannot read: {e}") from e
    rows = data.get("feature")
    if not isinstance(rows, list) or not rows:
        raise EvalFileError(f"{p.name}: no [[feature]] tables")
    out: list[Feature] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        where = f"{p.name}: feature {row.get('id', i + 1)!r}"
        f = replace(_feature(row, where), set=p.stem)
        if f.id in seen:
            raise EvalFileError(f"{where}: duplicate id")
        seen.add(f.id)
        out.append(f)
    return out


def _feature(row: Mapping[str, Any], where: str) -> Feature:
    fid = row.get("id")
    if not isinstance(fid, str) or not _SLUG.match(fid):
        raise EvalFileError(f"{where}: `id` must be a lowercase slug")
    missing = [k for k in QUICK_KEYS[:5] if k not in row]
    if missing:
        raise EvalFileError(f"{where}: missing {', '.join(missing)}")
    unknown = set(row) - {*QUICK_KEYS, "id", "expected"}
    if unknown:
        raise EvalFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    inputs = {k: row[k] for k in QUICK_KEYS if k in row}
    exp = row.get("expected")
    if not isinstance(exp, Mapping):
        raise EvalFileError(f"{where}: missing [feature.expected]")
    return Feature(fid, inputs, _expected(exp, where))


def _expected(exp: Mapping[str, Any], where: str) -> Expected:
    known = {"profiles", "strategy", "mechanism", "risks", "stakeholders", "triggers", "must_not"}
    unknown = set(exp) - known
    if unknown:
        raise EvalFileError(f"{where}: unknown expected key(s) {', '.join(sorted(unknown))}")
    profiles = tuple(_strings(exp.get("profiles", []), f"{where}: expected.profiles"))
    bad = [x for x in profiles if x not in PROFILE_IDS]
    if bad:
        raise EvalFileError(f"{where}: unknown profile id(s) {', '.join(bad)}")
    strategy = frozenset(_strings(exp.get("strategy", []), f"{where}: expected.strategy"))
    if strategy - STRATEGIES:
        raise EvalFileError(f"{where}: unknown strategy {', '.join(sorted(strategy - STRATEGIES))}")
    mechanism = frozenset(_strings(exp.get("mechanism", []), f"{where}: expected.mechanism"))
    if any(not _METHOD.match(m) for m in mechanism):
        raise EvalFileError(f"{where}: expected.mechanism entries are snake_case names")
    recognisable = bool(profiles)
    if recognisable and (not strategy or not mechanism):
        raise EvalFileError(f"{where}: a feature with profiles needs a strategy and a mechanism")
    risks = _concepts(exp.get("risks", []), f"{where}: expected.risks")
    people = _concepts(exp.get("stakeholders", []), f"{where}: expected.stakeholders")
    triggers = _concepts(exp.get("triggers", []), f"{where}: expected.triggers")
    lo_people, lo_triggers = (2, 1) if recognisable else (0, 0)
    for name, items, lo, hi in (
        ("risks", risks, 4, 8),
        ("stakeholders", people, lo_people, 5),
        ("triggers", triggers, lo_triggers, 4),
    ):
        if not lo <= len(items) <= hi:
            raise EvalFileError(f"{where}: expected.{name} has {len(items)} items (want {lo}..{hi})")
    must_not = tuple(
        _regex(x, f"{where}: expected.must_not")
        for x in _strings(exp.get("must_not", []), f"{where}: expected.must_not")
    )
    return Expected(profiles, strategy, mechanism, risks, people, triggers, must_not)


def _strings(v: Any, where: str) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise EvalFileError(f"{where} must be a list of non-empty strings")
    return list(v)


def _regex(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as e:
        raise EvalFileError(f"{where}: bad regex {text!r}: {e}") from e


def _concepts(v: Any, where: str) -> tuple[Concept, ...]:
    if not isinstance(v, list):
        raise EvalFileError(f"{where} must be a list of {{concept, any}} tables")
    out = []
    for item in v:
        if not isinstance(item, Mapping) or set(item) != {"concept", "any"}:
            raise EvalFileError(f'{where}: each item is {{ concept = "...", any = ["regex", ...] }}')
        pats = tuple(_regex(x, f"{where} {item['concept']!r}") for x in _strings(item["any"], where))
        out.append(Concept(str(item["concept"]), pats))
    return tuple(out)


# ───────────────────────────── planning ─────────────────────────────


def build_feature_plan(feature: Feature, catalog: Any = None) -> Any:
    """The quick-mode plan for a feature's inputs, start date fixed to 2027-03-01."""
    from syncsvc.planning.build import build_plan
    from syncsvc.specload import check_spec

    data = {**feature.inputs, "start_date": START_DATE}
    spec = check_spec(data, label=f"{feature.id}.toml", today=TODAY, source=None)
    return build_plan(spec, catalog if catalog is not None else load_catalog())


# ───────────────────────────── scoring ─────────────────────────────


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _items(obj: Any, name: str) -> list[Any]:
    v = _get(obj, name)
    return list(v) if isinstance(v, Sequence) and not isinstance(v, str | bytes) else []


def _text(obj: Any, *names: str) -> str:
    return " ".join(str(v) for n in names if (v := _get(obj, n)) is not None)


def _recall(concepts: Sequence[Concept], texts: Sequence[str]) -> Recall:
    r = Recall(total=len(concepts))
    for c in concepts:
        if c.found_in(texts):
            r.hit += 1
        else:
            r.missed.append(c.concept)
    return r


def distinct_cover(concepts: Sequence[Concept], texts: Sequence[str]) -> int:
    """How many concepts distinct items cover (a maximum matching, one item for one concept)."""
    covers = [[i for i, t in enumerate(texts) if c.found_in([t])] for c in concepts]
    owner: dict[int, int] = {}  # item -> concept

    def place(ci: int, seen: set[int]) -> bool:
        for item in covers[ci]:
            if item in seen:
                continue
            seen.add(item)
            if item not in owner or place(owner[item], seen):
                owner[item] = ci
                return True
        return False

    return sum(place(ci, set()) for ci in range(len(concepts)))


def plan_profiles(plan: Any) -> tuple[list[str], str | None]:
    """The profile ids a plan used, and its primary one (the one marked primary, else the first)."""
    uses = _items(plan, "change_profiles")
    ids = [str(i) for u in uses if (i := _get(u, "id"))]
    primary = next((str(_get(u, "id")) for u in uses if _get(u, "primary") and _get(u, "id")), None)
    return ids, primary or (ids[0] if ids else None)


def _mechanism_ok(got: str | None, accepted: frozenset[str]) -> bool:
    if not got:
        return False
    return got in accepted or (OTHER in accepted and got not in MECHANISMS and got != OTHER)


def score_plan(feature: Feature, plan: Any) -> FeatureScore:
    """How a plan (a syncsvc Plan, a dict of its JSON, or anything with the same names) scores."""
    exp = feature.expected
    risks = _items(plan, "risks")
    people = _items(plan, "stakeholders")
    rollback = _get(plan, "rollback")
    triggers = _items(rollback, "triggers")
    risk_texts = [_text(r, "title", "mitigation") for r in risks]
    people_texts = [_text(s, "name", "group", "why") for s in people]
    trigger_texts = [_text(t, "metric", "unit") for t in triggers]

    ids, primary = plan_profiles(plan)
    # a feature that fits no profile is right only when the plan claims none
    primary_ok = primary == exp.profiles[0] if exp.recognisable else not ids
    secondaries = Recall(total=len(exp.profiles[1:]))
    for pid in exp.profiles[1:]:
        if pid in ids:
            secondaries.hit += 1
        else:
            secondaries.missed.append(pid)

    strategy = _get(_get(plan, "rollout"), "strategy")
    mechanism = _get(rollback, "mechanism")
    strategy_s = str(strategy) if strategy else None
    mechanism_s = str(mechanism) if mechanism else None

    wrong = []
    titles = [str(_get(r, "title") or "") for r in risks]
    metrics = [str(_get(t, "metric") or "") for t in triggers]
    for pat in exp.must_not:
        wrong += [f"risk {t!r} ~ /{pat.pattern}/" for t in titles if pat.search(t)]
        wrong += [f"trigger {m!r} ~ /{pat.pattern}/" for m in metrics if pat.search(m)]

    flagged = any(UNRECOGNISED_KIND.search(str(_get(f, "kind") or "")) for f in _items(plan, "findings"))
    return FeatureScore(
        id=feature.id,
        risks=_recall(exp.risks, risk_texts),
        risks_distinct=distinct_cover(exp.risks, risk_texts),
        stakeholders=_recall(exp.stakeholders, people_texts),
        triggers=_recall(exp.triggers, trigger_texts),
        profiles_got=ids,
        primary_got=primary,
        primary_ok=primary_ok,
        secondaries=secondaries,
        strategy_got=strategy_s,
        strategy_ok=(strategy_s in exp.strategy) if exp.strategy else None,
        mechanism_got=mechanism_s,
        mechanism_ok=_mechanism_ok(mechanism_s, exp.mechanism) if exp.mechanism else None,
        wrong_sense=wrong,
        flagged_unrecognised=flagged,
    )


def failed_score(feature: Feature, error: str) -> FeatureScore:
    """The score of a feature whose plan could not be built: nothing found, the error kept."""
    s = score_plan(feature, None)
    s.primary_ok = False
    s.error = error
    return s


def leave_out(catalog: Catalog, set_name: str) -> Catalog:
    """The catalog with the known examples of one evaluation set left out (its features would
    otherwise find themselves among the nearest examples: a self-match, not a reading)."""
    if not set_name or set_name not in catalog.changes.examples.sets:
        return catalog
    key = (id(catalog), set_name)
    got = _LEFT_OUT.get(key)
    if got is None or got[0] is not catalog:
        changes = catalog.changes.model_copy(update={"examples": catalog.changes.examples.without(set_name)})
        got = _LEFT_OUT[key] = (catalog, dataclasses.replace(catalog, changes=changes))
    return got[1]


_LEFT_OUT: dict[tuple[int, str], tuple[Catalog, Catalog]] = {}


def score_features(features: Sequence[Feature], *, catalog: Any = None) -> list[FeatureScore]:
    """Plan and score every feature, each with its own set's known examples left out of the
    catalog (`leave_out`); a planner exception scores that feature 0 and is kept."""

    base = catalog if catalog is not None else load_catalog()
    out = []
    for f in features:
        cat = leave_out(base, f.set) if isinstance(base, Catalog) else base
        try:
            plan = build_feature_plan(f, cat)
        except Exception as e:  # noqa: BLE001 — a crash on one feature is that feature's score
            out.append(failed_score(f, f"{type(e).__name__}: {e}"))
            continue
        out.append(score_plan(f, plan))
    return out


def _ratio(hit: int, total: int) -> float:
    return hit / total if total else 1.0


def totals(features: Sequence[Feature], scores: Sequence[FeatureScore]) -> Totals:
    """The overall figures (recall is micro: all hits over all expected items)."""
    by_id = {f.id: f for f in features}

    def micro(pick: str) -> float:
        rs = [getattr(s, pick) for s in scores]
        return _ratio(sum(r.hit for r in rs), sum(r.total for r in rs))

    strat = [s.strategy_ok for s in scores if s.strategy_ok is not None]
    mech = [s.mechanism_ok for s in scores if s.mechanism_ok is not None]
    none = [s for s in scores if not by_id[s.id].expected.recognisable]
    risk_values = [v for s in scores if (v := s.risks.value) is not None]
    return Totals(
        features=len(scores),
        risk_recall=micro("risks"),
        risk_recall_distinct=_ratio(
            sum(s.risks_distinct for s in scores), sum(s.risks.total for s in scores)
        ),
        stakeholder_recall=micro("stakeholders"),
        trigger_recall=micro("triggers"),
        primary_right=_ratio(sum(s.primary_ok for s in scores), len(scores)),
        secondary_recall=micro("secondaries"),
        strategy_right=_ratio(sum(bool(x) for x in strat), len(strat)),
        mechanism_right=_ratio(sum(bool(x) for x in mech), len(mech)),
        wrong_sense_hits=sum(len(s.wrong_sense) for s in scores),
        min_risk_recall=min(risk_values, default=1.0),
        none_features=len(none),
        none_clean=sum(1 for s in none if s.primary_ok and s.flagged_unrecognised),
    )


def evaluate(path: Path | str = FEATURES) -> tuple[list[Feature], list[FeatureScore], Totals]:
    """Load a features file, plan and score every feature, and total the scores."""
    features = load_features(path)
    scores = score_features(features)
    return features, scores, totals(features, scores)
