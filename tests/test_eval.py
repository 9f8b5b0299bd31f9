"""Issue 11's evaluation set: quick-mode plans against what a senior PM expects; and the scorer itself."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from eval.score import (
    EVERYDAY,
    FEATURES,
    HELDOUT,
    HELDOUT7,
    HERE,
    PROFILE_IDS,
    Concept,
    EvalFileError,
    Expected,
    Feature,
    FeatureScore,
    Totals,
    load_features,
    score_features,
    score_plan,
    totals,
)

# ───────────────────────────── the evaluation set ─────────────────────────────


Scored = tuple[list[Feature], list[FeatureScore], Totals]


def _scored(path: Path) -> Scored:
    """Every feature of an eval set planned in quick mode and scored, with the set's totals."""
    features = load_features(path)
    scores = score_features(features)
    return features, scores, totals(features, scores)


@pytest.fixture(scope="module")
def evaluated() -> Scored:
    return _scored(FEATURES)


def _table(scores: list[FeatureScore], pick: str) -> str:
    return "; ".join(f"{s.id}: {getattr(s, pick)}" for s in scores)


def test_every_feature_is_planned(evaluated: Scored) -> None:
    _, scores, _ = evaluated
    assert [s.id for s in scores if s.error] == [], _table([s for s in scores if s.error], "error")


def test_overall_risk_recall_at_least_80_percent(
    evaluated: Scored,
) -> None:
    _, _, t = evaluated
    assert t.risk_recall >= 0.80, f"risk recall {t.risk_recall:.2f}"


def test_every_feature_has_half_its_risks(
    evaluated: Scored,
) -> None:
    _, scores, _ = evaluated
    low = [
        f"{s.id} {s.risks.hit}/{s.risks.total} (missed: {', '.join(s.risks.missed)})"
        for s in scores
        if (s.risks.value or 0.0) < 0.5
    ]
    assert low == []


def test_no_risk_or_trigger_in_the_wrong_sense(
    evaluated: Scored,
) -> None:
    _, scores, _ = evaluated
    wrong = [f"{s.id}: {w}" for s in scores for w in s.wrong_sense]
    assert wrong == []


def test_primary_profile_right_on_90_percent(
    evaluated: Scored,
) -> None:
    features, scores, t = evaluated
    expected = {f.id: (f.expected.profiles or ("(none)",))[0] for f in features}
    wrong = [f"{s.id}: want {expected[s.id]}, got {s.primary_got}" for s in scores if not s.primary_ok]
    assert t.primary_right >= 0.90, wrong


def test_strategy_and_mechanism_right_on_90_percent(
    evaluated: Scored,
) -> None:
    _, scores, t = evaluated
    assert t.strategy_right >= 0.90, [f"{s.id}: {s.strategy_got}" for s in scores if s.strategy_ok is False]
    assert t.mechanism_right >= 0.90, [
        f"{s.id}: {s.mechanism_got}" for s in scores if s.mechanism_ok is False
    ]


def test_unrecognised_changes_get_no_profile_and_say_so(
    evaluated: Scored,
) -> None:
    features, scores, t = evaluated
    none_ids = {f.id for f in features if not f.expected.recognisable}
    assert len(none_ids) >= 6
    bad = [
        f"{s.id}: profiles {s.profiles_got}, finding {s.flagged_unrecognised}"
        for s in scores
        if s.id in none_ids and not (s.primary_ok and s.flagged_unrecognised)
    ]
    assert bad == []
    assert t.none_clean == t.none_features


# ───────────────────────────── the files themselves ─────────────────────────────


@pytest.mark.parametrize(
    "path", [FEATURES, HELDOUT, EVERYDAY, HELDOUT7], ids=["features", "heldout", "everyday", "heldout7"]
)
def test_eval_files_follow_the_format(path: Path) -> None:
    features = load_features(path)
    recognised = [f for f in features if f.expected.recognisable]
    assert all(4 <= len(f.expected.risks) <= 8 for f in features)
    assert all(
        2 <= len(f.expected.stakeholders) <= 5 and 1 <= len(f.expected.triggers) <= 4 for f in recognised
    )
    if path == FEATURES:
        assert len(features) >= 36 and len(features) - len(recognised) >= 6
        # the fifteen kinds of the issue; the product-feature fallback is checked by everyday.toml
        kinds = PROFILE_IDS - {"product-feature"}
        count = {p: sum(p in f.expected.profiles for f in features) for p in kinds}
        assert min(count.values()) >= 2, count
        assert sum(len(f.expected.profiles) > 1 for f in features) >= 3
    else:
        assert len(features) >= 10
    assert not {f.id for f in load_features(FEATURES)} & {f.id for f in load_features(HELDOUT)}


# ───────────── everyday product changes (product-feature fallback and facets) ─────────────


@pytest.fixture(scope="module", params=[EVERYDAY, HELDOUT7], ids=["everyday", "heldout7"])
def everyday(request: pytest.FixtureRequest) -> Scored:
    # everyday.toml, and heldout7.toml (scored once blind after round 7, then used to develop
    # round 8: localisation, sharing by link, automation rules, approval steps, deletion...)
    return _scored(request.param)


def test_everyday_product_changes_are_recognised_and_get_their_risks(
    everyday: Scored,
) -> None:
    # plain "users can now..." changes: recognised (product-feature or a domain profile), with
    # the risks of what they do (facets), and non-product work still not recognised
    features, scores, t = everyday
    assert t.risk_recall >= 0.85, f"risk recall {t.risk_recall:.2f}"
    low = [
        f"{s.id} {s.risks.hit}/{s.risks.total} {s.risks.missed}"
        for s in scores
        if (s.risks.value or 0) < 0.75
    ]
    assert low == []
    assert [f"{s.id}: {w}" for s in scores for w in s.wrong_sense] == []
    recognisable = {f.id for f in features if f.expected.recognisable}
    assert [s.id for s in scores if s.id in recognisable and not s.profiles_got] == []
    assert t.none_clean == t.none_features >= 2
    assert t.strategy_right == 1.0 and t.mechanism_right == 1.0


# round 10: heldout9 (scored once blind after round 9) and four sets of everyday features in
# domains no other set uses, each scored once before the work it then helped to check; round 11:
# heldout10 (scored once blind after round 10) and everyday7-9, written the same way; round 12:
# everyday10-12, written the same way; round 13: core1-3 (the core kinds of change in plain words);
# round 14: core4, written the same way
ROUND10 = [
    "heldout9",
    "everyday3",
    "everyday4",
    "everyday5",
    "everyday6",
    "heldout10",
    "everyday7",
    "everyday8",
    "everyday9",
    "everyday10",
    "everyday11",
    "everyday12",
    "core1",
    "core2",
    "core3",
    "core4",
]


@pytest.fixture(scope="module", params=ROUND10, ids=ROUND10)
def round10(request: pytest.FixtureRequest) -> Scored:
    return _scored(HERE / f"{request.param}.toml")


def test_features_in_other_domains_are_read_in_the_right_sense(
    round10: Scored,
) -> None:
    features, scores, t = round10
    assert [f"{s.id}: {w}" for s in scores for w in s.wrong_sense] == []
    recognisable = {f.id for f in features if f.expected.recognisable}
    unread = [s for s in scores if s.id in recognisable and not s.profiles_got]
    # similar known features that are work of no kind may drop a kind the words read unsurely
    # (cross-validated: it removes more wrong readings than it costs, BENCHMARKS.md "Kinds of
    # change from similar known features"); at most one feature of a set, and the plan says so
    assert len(unread) <= 1, [s.id for s in unread]
    assert all(s.flagged_unrecognised for s in unread)
    assert t.none_clean == t.none_features >= 2
    assert t.risk_recall >= 0.70, f"risk recall {t.risk_recall:.2f}"
    assert t.strategy_right >= 0.9 and t.mechanism_right >= 0.9


def test_a_bad_features_file_names_the_feature(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(
        '[[feature]]\nid = "x"\nfeature_name = "X"\ndescription = "d"\nteam_size = 1\n'
        'timeline = "2 weeks"\nrisk_tolerance = "low"\n[feature.expected]\n'
        'profiles = ["ui-frontned"]\nstrategy = ["percentage_ramp"]\nmechanism = ["flag_off"]\n'
        "risks = []\nstakeholders = []\ntriggers = []\n",
        encoding="utf-8",
    )
    with pytest.raises(EvalFileError, match=r"bad\.toml: feature 'x': unknown profile id\(s\) ui-frontned"):
        load_features(p)


# ───────────────────────────── the scorer ─────────────────────────────


def _c(name: str, *pats: str) -> Concept:
    return Concept(name, tuple(re.compile(p, re.IGNORECASE) for p in pats))


FAKE = Feature(
    id="pg",
    inputs={},
    expected=Expected(
        profiles=("infra-cutover", "data-migration"),
        strategy=frozenset({"window_cutover"}),
        mechanism=frozenset({"fail_back", "other"}),
        risks=(
            _c("lag", "replicat"),
            _c("downtime", "downtime", "window"),
            _c("no way back", "fail.?back"),
            _c("drivers", "driver"),
        ),
        stakeholders=(_c("dba", r"\bdba"), _c("sre", "sre")),
        triggers=(_c("lag", "(?<![a-z])lag"), _c("errors", "error")),
        must_not=(re.compile("accessib", re.IGNORECASE), re.compile("crash", re.IGNORECASE)),
    ),
)


def _plan(**over: object) -> SimpleNamespace:
    base: dict[str, object] = dict(
        change_profiles=[
            SimpleNamespace(id="data-migration", primary=False),
            SimpleNamespace(id="infra-cutover", primary=True),
        ],
        risks=[
            SimpleNamespace(title="Replication falls behind", mitigation="watch it"),
            SimpleNamespace(title="Cutover overruns", mitigation="rehearse the downtime twice"),
            SimpleNamespace(title="Screen reader accessibility", mitigation="audit"),
        ],
        stakeholders=[SimpleNamespace(name="DBA on call", group="engineering", why="")],
        rollout=SimpleNamespace(strategy="window_cutover"),
        rollback=SimpleNamespace(
            mechanism="fail_back",
            triggers=[
                SimpleNamespace(metric="feature_flag_errors", unit="%"),
                SimpleNamespace(metric="crash_free_sessions", unit="%"),
            ],
        ),
        findings=[],
    )
    base.update(over)
    return SimpleNamespace(**base)


def test_scorer_counts_what_the_fake_plan_covers() -> None:
    s = score_plan(FAKE, _plan())
    assert (s.risks.hit, s.risks.total, s.risks.missed) == (2, 4, ["no way back", "drivers"])
    assert s.risks_distinct == 2
    assert (s.stakeholders.hit, s.stakeholders.missed) == (1, ["sre"])
    # "feature_flag_errors" has "error" but no "lag" standing on its own
    assert (s.triggers.hit, s.triggers.missed) == (1, ["lag"])
    assert s.primary_ok and s.primary_got == "infra-cutover" and s.secondaries.hit == 1
    assert s.strategy_ok is True and s.mechanism_ok is True
    assert s.wrong_sense == [
        "risk 'Screen reader accessibility' ~ /accessib/",
        "trigger 'crash_free_sessions' ~ /crash/",
    ]


def test_scorer_reads_plan_json_dicts_and_other_mechanisms() -> None:
    plan = {
        "change_profiles": [{"id": "data-migration", "primary": True}],
        "risks": [{"title": "No fail-back path", "mitigation": "reverse replication"}],
        "rollout": {"strategy": "percentage_ramp"},
        "rollback": {"mechanism": "swap_dns_back", "triggers": []},
    }
    s = score_plan(FAKE, plan)
    assert (s.risks.hit, s.primary_ok, s.secondaries.hit) == (2, False, 1)
    assert s.strategy_ok is False
    assert s.mechanism_ok is True  # "other" accepts a mechanism outside the named eight
    assert score_plan(FAKE, {**plan, "rollback": {"mechanism": "flag_off"}}).mechanism_ok is False


def test_scorer_gives_zero_and_no_crash_for_a_plan_without_the_new_fields() -> None:
    bare = SimpleNamespace(risks=[SimpleNamespace(title="Downtime", mitigation=None)], rollback=None)
    s = score_plan(FAKE, bare)
    assert (s.risks.hit, s.triggers.hit, s.stakeholders.hit) == (1, 0, 0)
    assert s.profiles_got == [] and not s.primary_ok
    assert s.strategy_ok is False and s.mechanism_ok is False
    assert score_plan(FAKE, None).risks.hit == 0


def test_a_none_feature_is_right_only_without_profiles() -> None:
    none = Feature(
        id="office",
        inputs={},
        expected=Expected((), frozenset(), frozenset(), FAKE.expected.risks, (), (), ()),
    )
    quiet = score_plan(
        none,
        _plan(
            change_profiles=[],
            findings=[SimpleNamespace(kind="low_coverage", message="no kind of change recognised")],
        ),
    )
    assert quiet.primary_ok and quiet.flagged_unrecognised
    assert quiet.strategy_ok is None and quiet.mechanism_ok is None
    assert not score_plan(none, _plan()).primary_ok


def test_one_risk_covers_one_concept_in_the_distinct_count() -> None:
    # one risk names both lag and downtime; the other only downtime: two concepts, two risks
    both = SimpleNamespace(title="Replication lag stretches the downtime window", mitigation="")
    only = SimpleNamespace(title="Downtime overruns", mitigation="")
    s = score_plan(FAKE, _plan(risks=[both, only]))
    assert (s.risks.hit, s.risks_distinct) == (2, 2)
    s = score_plan(FAKE, _plan(risks=[both]))
    assert (s.risks.hit, s.risks_distinct) == (2, 1)


def test_totals_are_micro_averages() -> None:
    a, b = score_plan(FAKE, _plan()), score_plan(FAKE, _plan(risks=[]))
    t = totals([FAKE], [a, b])
    assert t.risk_recall == pytest.approx(2 / 8)
    assert t.risk_recall_distinct == pytest.approx(2 / 8)
    assert t.min_risk_recall == 0.0
    assert t.wrong_sense_hits == 2 + 1  # the second plan keeps the crash trigger
