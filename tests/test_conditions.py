"""The one matcher of catalog conditions (risks, stakeholders, communications, triggers, tasks)."""

from __future__ import annotations

from syncsvc.catalog.changes import ProfileTrigger
from syncsvc.catalog.conditions import Situation
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
