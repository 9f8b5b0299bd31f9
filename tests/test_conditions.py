"""The one matcher of catalog conditions (risks, stakeholders, communications, triggers, tasks)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from syncsvc.catalog import load_catalog
from syncsvc.catalog.changes import ProfileTrigger
from syncsvc.catalog.conditions import Condition, Situation, _checks_of
from syncsvc.catalog.risks import RiskWhen
from syncsvc.catalog.stakeholders import CommTemplate, When
from syncsvc.catalog.tasks import TaskTemplate

SIT = Situation(
    text="Realtime notifications\nPush alerts to 50,000 users over websockets",
    users=50_000,
    team_size=4,
    tolerance="medium",
    deployment="feature_flag",
    work_days=30,
    profiles={"notifications-messaging": "Notifications"},
    traits={"external": "users"},
)


def test_a_risk_keyword_takes_plurals_and_a_stakeholder_keyword_is_a_whole_phrase() -> None:
    assert RiskWhen(keywords=["websocket"]).holds(SIT)
    assert not When(keywords=["websocket"]).holds(SIT)
    assert When(keywords=["websockets"]).holds(SIT)


def test_every_condition_given_must_hold_and_the_reasons_come_in_one_order() -> None:
    w = When(
        min_users=10_000, keywords=["push alerts"], traits=["external"], profiles=["notifications-messaging"]
    )
    assert SIT.reason(w) == (
        "this is a notifications change and the description mentions 'users' and the description "
        "mentions 'push alerts' and 50,000 users (10,000 or more)"
    )
    assert SIT.reason(When(min_users=100_000, keywords=["push alerts"])) is None
    assert SIT.reason(When(always=True)) == "every launch needs them"
    assert RiskWhen(min_users=1, max_team_size=5, recognised=True, not_profiles=["payments"]).holds(SIT)
    assert not RiskWhen(recognised=False).holds(SIT)
    assert not RiskWhen(min_users=1, also=["sms"], keywords=["push"]).holds(SIT)


def test_communications_triggers_and_tasks_use_the_same_conditions() -> None:
    assert CommTemplate(kind="regular", content="x", traits=["external"]).holds(SIT)
    assert not CommTemplate(kind="regular", content="x", unless_traits=["external"]).holds(SIT)
    trigger = dict(metric="m", operator=">", thresholds={"low": 1, "medium": 1, "high": 1}, unit="%")
    assert ProfileTrigger(**trigger, window_minutes=5, source="dash", keywords=["websocket"]).holds(SIT)
    assert not ProfileTrigger(**trigger, window_minutes=5, source="dash", keywords=["sms"]).holds(SIT)
    task = dict(id="t", name="T", phase="build", effort=1, role="dev")
    assert TaskTemplate(**task, min_team_size=4).holds(SIT)
    assert not TaskTemplate(**task, min_team_size=5).holds(SIT)


def _conditions(value: object) -> list[Condition]:
    """Every condition in a catalog model (or a list or dict of them), nested ones too."""
    out: list[Condition] = []
    if isinstance(value, BaseModel):
        if isinstance(value, Condition):
            out.append(value)
        for name in type(value).model_fields:
            out += _conditions(getattr(value, name))
    elif isinstance(value, list | tuple):
        for v in value:
            out += _conditions(v)
    elif isinstance(value, dict):
        for v in value.values():
            out += _conditions(v)
    return out


_CATALOG = load_catalog()
_PARTS = (_CATALOG.risks, _CATALOG.stakeholders, _CATALOG.rollback, _CATALOG.changes, _CATALOG.tasks)
_CONDITIONS = [c for part in _PARTS for c in _conditions(part)]
_KEYWORDS = sorted(_CATALOG.condition_lexicon.keywords)
_TEXT_WORDS = st.sampled_from(_KEYWORDS).map(lambda w: w.rstrip("*") + ("ing" if w.endswith("*") else ""))
_SEPARATORS = st.sampled_from([" ", "-", "s ", "es, ", " the ", "\n", ""])
_CONDITION_TEXTS = st.lists(st.tuples(_TEXT_WORDS, _SEPARATORS), min_size=1, max_size=10).map(
    lambda parts: "".join(w + sep for w, sep in parts)
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CONDITION_TEXTS)
def test_the_condition_lexicon_changes_no_answer(text: str) -> None:
    # a Situation with the catalog's condition lexicon looks keywords up instead of searching
    # for each: every catalog condition gives the same reasons as with the plain search
    assert len(_CONDITIONS) > 300 and len(_KEYWORDS) > 1000
    plain = Situation(text=text, users=50_000, team_size=4, traits={"external": "users"})
    fast = replace(plain, lexicon=_CATALOG.condition_lexicon)
    answers = [c.reasons(plain) for c in _CONDITIONS]
    assert [c.reasons(fast) for c in _CONDITIONS] == answers
    assert any(a for a in answers)  # some keyword condition holds


def test_the_condition_lexicon_holds_every_keyword_a_condition_searches() -> None:
    searched = {
        kw
        for c in _CONDITIONS
        for kw in [*(getattr(c, "keywords", None) or []), *(getattr(c, "also", None) or [])]
        if c.keyword_rule == "keyword" or kw in (getattr(c, "also", None) or [])
    }
    assert searched <= _CATALOG.condition_lexicon.keywords


def test_a_situation_with_other_facts_shares_the_texts_word_index() -> None:
    text = replace(SIT, users=None, traits={}, lexicon=_CATALOG.condition_lexicon)
    other = text.with_facts(users=50_000, team_size=9)
    assert other.index is text.index
    assert (other.text, other.users, other.team_size, other.tolerance) == (text.text, 50_000, 9, "medium")
    when = RiskWhen(min_users=10_000, min_team_size=8, keywords=["websocket"])
    assert when.holds(other) and not when.holds(text)


def test_each_condition_reads_the_fields_it_gives_and_a_copy_those_it_gives() -> None:
    # `Condition.given` is worked out at the first reading: a copy with other fields reads its own
    w = When(traits=["internal"], min_users=10_000)
    assert w.given == ("min_users", "traits") and not w.holds(SIT)
    lifted = w.model_copy(update={"traits": []})
    assert lifted.given == ("min_users",) and SIT.reason(lifted) == "50,000 users (10,000 or more)"
    # every catalog condition: the reasons of reading every field declared
    catalog = load_catalog()
    conds: list[Condition] = [c for r in catalog.risks.risks for c in [*r.when, *r.adjust]]
    conds += [c for t in catalog.stakeholders.stakeholders for c in [*t.when, *t.comms]]
    for c in conds:
        assert c.given == tuple(
            n for n, _, _ in _checks_of(type(c)) if getattr(c, n) is not None and getattr(c, n) != []
        )
        assert c.reasons(SIT) == c.model_copy().reasons(SIT)
