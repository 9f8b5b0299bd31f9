"""Change profiles: the catalog, detection with reasons, and what each profile brings to a plan."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from syncsvc.catalog import bundled_dir, load_catalog
from syncsvc.catalog.risks import CATEGORIES
from syncsvc.cli import app
from syncsvc.errors import ConfigError, SpecError
from syncsvc.model import Plan
from syncsvc.planning.rollback import lint_rollback

PlanOf = Callable[[str], Plan]
STRATEGIES = {
    "percentage_ramp",
    "cohort_ramp",
    "shadow_cutover",
    "window_cutover",
    "staged_app_release",
    "dark_launch",
}
# the kinds of change issue 11 names; each must have a profile
REQUIRED = {
    "ui-frontend",
    "backend-api",
    "public-api-sdk",
    "data-migration",
    "infra-cutover",
    "vendor-migration",
    "payments-billing",
    "identity-access",
    "mobile-release",
    "ml-llm",
    "notifications-messaging",
    "search-recommendations",
    "pricing-packaging",
    "privacy-compliance",
    "internal-tooling",
}


def _spec(name: str, description: str, *, tolerance: str = "medium", extra: str = "") -> str:
    return (
        f'feature_name = "{name}"\ndescription = "{description}"\nteam_size = 4\n'
        f'timeline = "8 weeks"\nrisk_tolerance = "{tolerance}"\nstart_date = 2027-03-01\n' + extra
    )


def _ids(plan: Plan) -> list[str]:
    return [p.id for p in plan.change_profiles]


# ---- the catalog ---------------------------------------------------------------------------


def test_every_required_kind_of_change_has_a_rich_profile() -> None:
    changes = load_catalog().changes
    assert set(changes.ids) >= REQUIRED
    for p in changes.profiles:
        cats = {r.category for r in p.risks}
        assert len(p.risks) >= 7 and len(cats) >= 5, p.id
        assert p.rollout.strategy in STRATEGIES
        assert p.triggers and all(t.source for t in p.triggers), p.id
        assert p.work and p.questions and p.stakeholders, p.id
        for rb in (p.rollback, *p.rollback_variants):
            if not rb.flag_undoes:  # what the mechanism leaves behind is said
                assert rb.limits, p.id
        if p.rollout.strategy in ("window_cutover", "shadow_cutover", "staged_app_release"):
            # no flag moves data back, recalls an app build, or switches a cutover back
            assert p.rollback.mechanism != "flag_off", p.id


def test_profile_strategies_and_mechanisms_fit_the_change() -> None:
    by_id = {p.id: p for p in load_catalog().changes.profiles}
    expect = {
        "infra-cutover": ("window_cutover", "fail_back"),
        "data-migration": ("shadow_cutover", "stop_dual_write"),
        "mobile-release": ("staged_app_release", "halt_release"),
        "identity-access": ("cohort_ramp", "lift_enforcement"),
        "ui-frontend": ("percentage_ramp", "flag_off"),
    }
    for pid, (strategy, mechanism) in expect.items():
        assert (by_id[pid].rollout.strategy, by_id[pid].rollback.mechanism) == (strategy, mechanism)
    assert by_id["ml-llm"].rollout.strategy == "dark_launch"


@pytest.mark.parametrize("tolerance", ["low", "medium", "high"])
def test_every_profile_rollback_passes_the_2am_test(plan_of: PlanOf, tolerance: str) -> None:
    for pid in load_catalog().changes.ids:
        plan = plan_of(_spec("Launch", "A change", tolerance=tolerance, extra=f'change_types = ["{pid}"]\n'))
        two_am = [f for f in plan.findings if f.kind == "two_am_test"]
        assert two_am == [], (pid, two_am)
        assert "{" not in plan.rollout.summary and plan.rollout.summary, pid
        assert plan.rollback is not None and plan.rollback.estimated_minutes <= 30


def test_a_profile_naming_an_unknown_stakeholder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "changes").mkdir()
    text = (bundled_dir() / "changes" / "infra-cutover.toml").read_text(encoding="utf-8")
    (tmp_path / "changes" / "infra-cutover.toml").write_text(
        text.replace('stakeholders = ["dba"', 'stakeholders = ["dbas"'), encoding="utf-8"
    )
    with pytest.raises(
        ConfigError,
        match=r"changes/infra-cutover\.toml: stakeholders: unknown "
        r"stakeholder template 'dbas'",
    ):
        load_catalog(tmp_path)


def test_a_users_profile_folder_adds_and_replaces_profiles(tmp_path: Path) -> None:
    (tmp_path / "changes").mkdir()
    src = (bundled_dir() / "changes" / "infra-cutover.toml").read_text(encoding="utf-8")
    mine = src.replace('id = "infra-cutover"', 'id = "warehouse-move"').replace(
        "Infrastructure or platform upgrade with a cutover", "Warehouse move"
    )
    (tmp_path / "changes" / "warehouse-move.toml").write_text(mine, encoding="utf-8")
    changes = load_catalog(tmp_path).changes
    assert "warehouse-move" in changes.ids and "infra-cutover" in changes.ids
    shutil.copy(bundled_dir() / "changes" / "infra-cutover.toml", tmp_path / "changes" / "infra-cutover.toml")
    assert load_catalog(tmp_path).changes.ids.count("infra-cutover") == 1


def test_a_broken_profile_names_its_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "changes").mkdir()
    src = (bundled_dir() / "changes" / "infra-cutover.toml").read_text(encoding="utf-8")
    (tmp_path / "changes" / "infra-cutover.toml").write_text(
        src.replace('strategy = "window_cutover"', 'strategy = "yolo"'), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"infra-cutover\.toml:\d+: rollout\.strategy: must be one of"):
        load_catalog(tmp_path)


# ---- detection -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description", "primary"),
    [
        ("Postgres 16 upgrade", "Move our primary Postgres 11 cluster to 16 with a cutover", "infra-cutover"),
        ("Enforce SAML SSO", "Require SAML single sign-on for every enterprise workspace", "identity-access"),
        ("iOS app v5", "Ship the new home screen in version 5 of our iOS and Android apps", "mobile-release"),
        ("Ticket summaries", "Summarise support tickets with an LLM for agents", "ml-llm"),
        ("Dark mode", "A dark theme for the web app", "ui-frontend"),
    ],
)
def test_detection_finds_the_primary_kind_with_its_words(
    plan_of: PlanOf, name: str, description: str, primary: str
) -> None:
    plan = plan_of(_spec(name, description))
    assert plan.change_profiles and plan.change_profiles[0].id == primary
    first = plan.change_profiles[0]
    assert first.primary and first.source == "detected" and first.signals
    text = f"{name} {description}".lower()
    assert all(any(w in text for w in s.lower().split()) for s in first.signals)


def test_a_payment_provider_move_is_payments_and_a_vendor_move(plan_of: PlanOf) -> None:
    plan = plan_of(_spec("Stripe to Adyen", "Move card payments and subscriptions from Stripe to Adyen"))
    assert {"payments-billing", "vendor-migration"} <= set(_ids(plan))
    assert plan.rollback is not None and plan.rollback.mechanism == "fail_back"
    assert plan.rollout.strategy in ("cohort_ramp", "shadow_cutover")


def test_a_billing_provider_move_is_several_kinds(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Billing provider move",
            "Migrate subscriptions, invoices and stored customer payment data from Stripe to Chargebee",
        )
    )
    assert {"vendor-migration", "payments-billing"} <= set(_ids(plan))
    assert sum(p.primary for p in plan.change_profiles) == 1


def test_sense_guards_keep_wrong_senses_out(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Email template editor",
            "A drag-and-drop editor for the HTML email templates our customers design in the web app",
        )
    )
    assert "notifications-messaging" not in _ids(plan)
    metrics = {t.metric for t in plan.rollback.triggers} if plan.rollback else set()
    assert not {m for m in metrics if "deliver" in m or "bounce" in m}
    assert not [r for r in plan.risks if "deliverab" in r.title.lower()]


def test_an_email_client_is_not_the_product_sending_email(plan_of: PlanOf) -> None:
    # the mail in an email app is its users' own: summarising it sends nothing, so no
    # deliverability risk; the same app sending its own digest email is messaging
    plan = plan_of(
        _spec(
            "Thread summaries",
            "In our email app a long thread gets a short summary and a suggested reply people edit "
            "before sending",
        )
    )
    assert "notifications-messaging" not in _ids(plan)
    assert not [r for r in plan.risks if "deliverab" in r.title.lower()]
    plan = plan_of(
        _spec("Weekly digest", "Our email app sends each user a weekly digest email of unread threads")
    )
    assert "notifications-messaging" in _ids(plan)


def test_nothing_recognised_says_so_with_questions(plan_of: PlanOf) -> None:
    plan = plan_of(_spec("Office move", "Move the London team to the new office on floor 3"))
    assert plan.change_profiles == []
    [note] = [f for f in plan.findings if f.kind == "low_coverage"]
    assert "did not recognise" in note.message and len(note.subjects) >= 4
    assert all(q.endswith("?") for q in note.subjects)
    # no software risk invented for it: only baseline risks that fit any project
    assert {r.category for r in plan.risks} <= {"timeline", "people", "dependency", "user_impact"}


def test_spec_change_types_set_the_kinds_by_hand(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Project Falcon", "The Q3 initiative", extra='change_types = ["data-migration", "ui-frontend"]\n'
        )
    )
    assert _ids(plan) == ["data-migration", "ui-frontend"]
    assert [p.source for p in plan.change_profiles] == ["spec", "spec"]
    assert plan.rollout.strategy == "shadow_cutover"


def test_an_unknown_change_type_is_refused_with_the_known_ones(plan_of: PlanOf) -> None:
    with pytest.raises(SpecError, match=r"change_types\[0\]: unknown change type 'cutover'") as e:
        plan_of(_spec("X", "Y", extra='change_types = ["cutover"]\n'))
    assert "infra-cutover" in (e.value.hint or "")


def test_cli_change_type_option_and_exit_2_for_unknown(runner: CliRunner) -> None:
    args = [
        "generate-timeline",
        "--feature-name",
        "Project Falcon",
        "--description",
        "Q3",
        "--team-size",
        "3",
        "--timeline",
        "6 weeks",
        "--risk-tolerance",
        "low",
        "--format",
        "json",
    ]
    ok = runner.invoke(app, [*args, "--change-type", "mobile-release"])
    assert ok.exit_code == 0, ok.output
    full = runner.invoke(app, ["create-rollout-plan", *args[1:], "--change-type", "mobile-release"])
    data = json.loads(full.stdout)
    assert data["rollout"]["strategy"] == "staged_app_release"
    assert data["rollback"]["mechanism"] == "halt_release"
    bad = runner.invoke(app, [*args, "--change-type", "nope"])
    assert bad.exit_code == 2
    assert "unknown change type 'nope'" in bad.output and "Traceback" not in bad.output


# ---- what a profile brings -----------------------------------------------------------------


def test_a_cutover_gets_its_own_rollout_rollback_and_triggers(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Postgres 16 upgrade", "Move our primary Postgres 11 cluster to 16 with a cutover for 200K users"
        )
    )
    rb = plan.rollback
    assert rb is not None
    assert plan.rollout.strategy == "window_cutover" and rb.mechanism == "fail_back"
    assert rb.point_of_no_return and rb.limits
    assert not any("flag" in s.action.lower() and "turn" in s.action.lower() for s in rb.steps)
    metrics = {t.metric: t for t in rb.triggers}
    assert "replication_lag_seconds" in metrics and metrics["replication_lag_seconds"].source
    assert any(s.name == "Database administrators" for s in plan.stakeholders)
    assert [p.name for p in plan.phases][-1] == "cutover-window"
    assert "frontend-ui" not in {t.id for t in plan.tasks}
    assert {"data-sync", "reverse-replication"} <= {t.id for t in plan.tasks}


def test_tolerance_shapes_a_strategys_own_phases(plan_of: PlanOf) -> None:
    def hours(tol: str) -> dict[str, int]:
        plan = plan_of(_spec("Postgres 16 upgrade", "Postgres cluster upgrade with a cutover", tolerance=tol))
        return {p.name: p.monitoring_hours for p in plan.phases}

    low, medium, high = hours("low"), hours("medium"), hours("high")
    assert low["cutover-window"] == 2 * medium["cutover-window"]
    assert high["cutover-window"] < medium["cutover-window"]
    assert "shadow-reads" in medium and "shadow-reads" not in high


@pytest.mark.parametrize("tolerance", ["low", "medium", "high"])
def test_every_recognised_register_covers_every_category(plan_of: PlanOf, tolerance: str) -> None:
    for pid in load_catalog().changes.ids:
        plan = plan_of(_spec("Launch", "A change", tolerance=tolerance, extra=f'change_types = ["{pid}"]\n'))
        assert {r.category for r in plan.risks} == set(CATEGORIES), pid
        titles = [r.title.lower() for r in plan.risks]
        assert len(titles) == len(set(titles)), pid


def test_likelihood_and_impact_move_with_users(plan_of: PlanOf) -> None:
    def levels(users: int) -> dict[str, tuple[str, str]]:
        plan = plan_of(
            _spec(
                "Postgres 16 upgrade", "Postgres cluster upgrade with a cutover", extra=f"users = {users}\n"
            )
        )
        return {r.title: (r.likelihood, r.impact) for r in plan.risks}

    small, big = levels(1000), levels(2_000_000)
    moved = [t for t in small if t in big and small[t] != big[t]]
    assert moved


def test_a_spec_risk_merges_with_the_catalog_risk_it_restates(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Postgres 16 upgrade",
            "Postgres cluster upgrade with a cutover",
            extra='[[risks]]\ntitle = "Replication lag loses writes during the switch"\n'
            'likelihood = "high"\nimpact = "high"\nowner = "Dana"\n'
            '[[stakeholders]]\nname = "Dana"\ngroup = "dba"\ninfluence = "high"\n'
            'interest = "high"\n',
        )
    )
    lag = [r for r in plan.risks if "replication lag" in r.title.lower()]
    assert len(lag) == 1 and lag[0].source == "spec" and lag[0].category == "data"


# ---- the 2am test knows the mechanism ------------------------------------------------------


def test_a_flag_deployment_for_a_cutover_is_a_finding(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Postgres 16 upgrade",
            "Postgres cluster upgrade with a cutover",
            extra='deployment = "feature_flag"\n',
        )
    )
    [f] = [f for f in plan.findings if f.kind == "two_am_test" and "deployment" in f.subjects]
    assert "does not undo" in f.message and "fail_back" in f.message
    assert plan.rollback is not None and plan.rollback.mechanism == "fail_back"


def test_a_one_way_change_without_a_point_of_no_return_is_a_finding(
    tmp_path: Path, spec_of: Callable[..., object]
) -> None:
    from syncsvc.planning.build import build_plan

    (tmp_path / "changes").mkdir()
    src = (bundled_dir() / "changes" / "infra-cutover.toml").read_text(encoding="utf-8")
    start = src.index("point_of_no_return = ")
    end = src.index("\n", start)
    (tmp_path / "changes" / "infra-cutover.toml").write_text(src[:start] + src[end + 1 :], encoding="utf-8")
    spec = spec_of(_spec("Postgres 16 upgrade", "Postgres cluster upgrade with a cutover"))
    plan = build_plan(spec, load_catalog(tmp_path))  # type: ignore[arg-type]
    assert any(f.kind == "two_am_test" and "point_of_no_return" in f.subjects for f in plan.findings)


def test_a_trigger_without_a_data_source_and_an_off_rota_actor_are_findings(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Postgres 16 upgrade",
            "Postgres cluster upgrade with a cutover",
            extra='[rollback]\ntriggers = [{ metric = "vibes", operator = "<", threshold = 3, '
            'unit = "score", window_minutes = 10 }, { metric = "error_rate", operator = ">", '
            'threshold = 2, unit = "%", window_minutes = 15 }]\n',
        )
    )
    two_am = [f for f in plan.findings if f.kind == "two_am_test"]
    assert [f.subjects for f in two_am] == [["trigger vibes"]]
    assert plan.rollback is not None
    rb = plan.rollback.model_copy(
        update={"steps": [plan.rollback.steps[0].model_copy(update={"actor": "Database consultant"})]}
    )
    assert any("not on call" in f.message for f in lint_rollback(rb))


def test_a_vendor_move_leads_whatever_the_vendor_does(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec("SendGrid to Amazon SES", "Move all transactional email from SendGrid to Amazon SES")
    )
    assert _ids(plan)[0] == "vendor-migration"
    assert "notifications-messaging" in _ids(plan)
    # a sending provider cannot be shadowed (a message sent twice reaches people twice): the
    # sends are ramped by our adapter's routing flag, whose off state is the old provider
    assert plan.rollout.strategy == "percentage_ramp"
    assert plan.rollback is not None and plan.rollback.mechanism == "flag_off"
    assert plan.rollback.steps and "suppression sync" in " ".join(s.action for s in plan.rollback.steps)
    assert any("cannot be recalled" in x for x in plan.rollback.limits)


def test_a_vendor_move_that_sends_nothing_keeps_its_shadow_run(plan_of: PlanOf) -> None:
    plan = plan_of(_spec("Help desk move", "Move our help desk from Zendesk to Intercom with ticket history"))
    assert _ids(plan)[0] == "vendor-migration"
    assert plan.rollout.strategy == "shadow_cutover"
    assert plan.rollback is not None and plan.rollback.mechanism == "fail_back"


def test_a_passing_vendor_word_does_not_make_a_database_upgrade_a_vendor_move(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Billing database to MySQL 8",
            "Upgrade the billing MySQL cluster and its two read replicas to MySQL 8 before the "
            "vendor support ends, on a new cluster fed by replication, switching over in a window.",
        )
    )
    assert _ids(plan)[0] == "infra-cutover" and "vendor-migration" not in _ids(plan)
    # its read replicas do not make it the "add a read replica" sort of change
    assert plan.rollback is not None and plan.rollback.mechanism == "fail_back"


def test_work_about_a_technology_is_not_a_change_to_it(plan_of: PlanOf) -> None:
    talk = plan_of(
        _spec("Talk at KubeCon", "Give a talk at KubeCon about how we run our Kubernetes clusters")
    )
    assert talk.change_profiles == []
    for name, text in [
        (
            "Split the platform team",
            "Split the platform team into two squads, each with its own manager and backlog",
        ),
        (
            "Logging vendor renewal",
            "Negotiate the renewal of our logging vendor's contract and cap the overage fees",
        ),
    ]:
        plan = plan_of(_spec(name, text))
        assert plan.change_profiles == [], name
        assert any(f.kind == "low_coverage" for f in plan.findings)
    change = plan_of(_spec("EKS upgrade", "Upgrade our Kubernetes clusters from 1.24 to 1.29"))
    assert _ids(change)[0] == "infra-cutover"


def test_a_rollback_variant_fits_the_sort_of_change(plan_of: PlanOf) -> None:
    changes = load_catalog().changes
    with_variants = [p for p in changes.profiles if p.rollback_variants]
    assert with_variants
    for p in with_variants:
        for v in p.rollback_variants:
            word = v.keywords[0].rstrip("*")
            plan = plan_of(_spec("Launch", f"A change to the {word}", extra=f'change_types = ["{p.id}"]\n'))
            assert plan.rollback is not None
            assert plan.rollback.mechanism == v.mechanism, (p.id, word)
            assert [f for f in plan.findings if f.kind == "two_am_test"] == [], (p.id, word)
        plain = plan_of(_spec("Launch", "A change", extra=f'change_types = ["{p.id}"]\n'))
        assert plain.rollback is not None and plain.rollback.mechanism == p.rollback.mechanism


# ---- everyday product changes: the product-feature fallback and facets ----------------------


def _titles(plan: Plan) -> str:
    return "\n".join(r.title for r in plan.risks)


def test_a_plain_product_change_is_a_product_feature_with_the_risks_of_what_it_does(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Shared shopping lists",
            "Members can keep shopping lists and share a list with people outside their household, "
            "who can view and tick items off.",
        )
    )
    assert _ids(plan) == ["product-feature"]
    assert plan.rollout.strategy == "percentage_ramp" and plan.rollback is not None
    assert plan.rollback.mechanism == "flag_off"
    assert any("stays where it is" in x for x in plan.rollback.limits)  # what flag-off cannot undo
    titles = _titles(plan)
    assert "shared items reach the wrong people" in titles  # shares-access
    assert "outlives its owner" in titles  # stores-data
    assert "is used or helps" in titles  # every product change: analytics
    assert "access_denied_rate_change" in {t.metric for t in plan.rollback.triggers}
    security = next(s for s in plan.stakeholders if s.group == "security")
    assert "shares things with other people" in security.why
    assert not [f for f in plan.findings if f.kind == "low_coverage"]
    assert {r.category for r in plan.risks} == set(CATEGORIES)


def test_product_feature_is_only_a_fallback(plan_of: PlanOf) -> None:
    plan = plan_of(_spec("Dark mode", "Users can switch the web app to a dark theme in their settings."))
    assert _ids(plan) == ["ui-frontend"]


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Handbook refresh",
            "Rewrite the employee handbook so people can find the leave policy and share it.",
        ),
        ("Customer summit", "Run a summit where customers can meet our product managers and share feedback."),
        ("Support rota", "A new rota so agents can take Fridays off while customers still get answers."),
        (
            "Launch sign-off",
            "The launch needs sign-off from legal and the leadership team before the press release goes out.",
        ),
        # session 12: an awareness campaign of talks and leaflets, with volunteers signing people up
        (
            "Fraud awareness week",
            "Our council runs a week of talks at libraries and community centres about online fraud, with "
            "volunteers, a leaflet drop to 10,000 homes and 300 sign-ups to our alerts scheme as the goal.",
        ),
        (
            "Sponsored walk for the hospice",
            "Our hospice's spring fundraiser: a 10-mile sponsored walk along the coast, with 400 walkers "
            "signing up online, marshals at each checkpoint and a target of £60,000.",
        ),
        (
            "Open a bug bounty for the banking app",
            "Invite outside security researchers to report flaws in our banking app and website through a "
            "bug bounty platform, with rewards from £200 to £20,000 and a team to triage reports in two "
            "days.",
        ),
    ],
)
def test_non_product_work_in_product_words_stays_unrecognised(
    plan_of: PlanOf, name: str, description: str
) -> None:
    plan = plan_of(_spec(name, description))
    assert _ids(plan) == []
    assert [f.kind for f in plan.findings if f.kind == "low_coverage"] == ["low_coverage"]
    # a facet describes a change; with none recognised, none attaches
    assert "shared items reach the wrong people" not in _titles(plan)


def test_facets_attach_inside_a_known_profile(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Invoice reminder endpoint",
            "A REST API endpoint and a job that runs every night to flag overdue invoices for each account.",
        )
    )
    assert _ids(plan)[0] == "backend-api"
    titles = _titles(plan)
    assert "fail silently or are missed" in titles and "daylight-saving" in titles
    assert plan.rollback is not None
    assert "scheduled_job_failure_rate" in {t.metric for t in plan.rollback.triggers}


def test_a_facet_stays_off_where_a_profile_covers_it(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec("Weekly digest email", "Send every member a weekly email digest of unread notifications.")
    )
    assert "notifications-messaging" in _ids(plan)
    assert "still get them after opting out" not in _titles(plan)  # sends-messages facet: off


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            'stakeholders = ["privacy", "sre"]',
            'stakeholders = ["privacy", "sres"]',
            r"facet 'stores-data': stakeholders: unknown stakeholder template 'sres'",
        ),
        (
            'borrows = ["facet-manual-step-exclusion"]',
            'borrows = ["facet-no-such-risk"]',
            r"facet 'fault-reports' borrows unknown risk id\(s\) facet-no-such-risk",
        ),
    ],
    ids=["unknown-stakeholder", "unknown-borrowed-risk"],
)
def test_a_facet_naming_an_unknown_stakeholder_or_risk_is_refused(
    tmp_path: Path, old: str, new: str, error: str
) -> None:
    (tmp_path / "changes").mkdir()
    text = (bundled_dir() / "changes" / "_facets.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "changes" / "_facets.toml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError, match=error):
        load_catalog(tmp_path)


def test_settings_files_add_up_and_a_users_file_replaces_the_bundled_one(tmp_path: Path) -> None:
    bundled = load_catalog().changes
    assert bundled.facets and bundled.questions and bundled.about_guards  # from two "_" files
    (tmp_path / "changes").mkdir()
    (tmp_path / "changes" / "_facets.toml").write_text("facets = []\n", encoding="utf-8")
    mine = load_catalog(tmp_path).changes
    assert mine.facets == [] and mine.questions == bundled.questions


# ---- kinds of product change read from their general words (facets) -------------------------


@pytest.mark.parametrize(
    ("name", "description", "title_part", "metric"),
    [
        (
            "Portuguese and Italian dashboard",
            "Make the dashboard screens available in Portuguese and Italian, chosen from each "
            "user's preferred language.",
            "long words overflow or are truncated",
            "untranslated_string_count",
        ),
        (
            "Public forms",
            "Let customers publish a form at a public URL so people without an account can fill it in.",
            "guessed or enumerated",
            "abuse_report_count",
        ),
        (
            "Deal automations",
            "Let sales teams build automations: whenever a deal is marked won, create an invoice "
            "draft and notify finance.",
            "trigger each other in a loop",
            "rule_executions_vs_baseline",
        ),
        (
            "Leave requests need approval",
            "Add an approval step to leave requests: managers approve or reject requests before the "
            "dates are booked.",
            "self-approval",
            "time_to_approval_p90_hours",
        ),
        (
            "Purge old chat transcripts",
            "Permanently delete chat transcripts older than two years for all customers unless they "
            "opt into longer retention.",
            "deleted for good",
            "restore_request_count",
        ),
        (
            "Custom properties on tickets",
            "Admins can add custom properties to tickets (text, number, picklist) and use them in views.",
            "changing its type destroys",
            None,
        ),
        (
            "Welcome tour",
            "Show new users a short welcome tour after signup with an example project they can play with.",
            "Sample data clutters",
            "activation_rate_drop",
        ),
        (
            "Expense sign-off",
            "Expense reports above 500 EUR need sign-off from the employee's manager before "
            "reimbursement; the company admin sets the limit.",
            "self-approval",
            "pending_approvals_over_3_days",
        ),
        (
            "Import from Trello",
            "Let teams bring their boards and cards over from Trello in one step.",
            "creates duplicates",
            "import_job_failure_rate",
        ),
        (
            "Book a class",
            "Members of the gym can book a place in a class from the app, up to 7 days ahead, with a "
            "waitlist when it is full.",
            "book the same slot at once",
            "overbooked_slot_count",
        ),
    ],
)
def test_a_kind_of_product_change_brings_its_own_risks_and_triggers(
    plan_of: PlanOf, name: str, description: str, title_part: str, metric: str | None
) -> None:
    plan = plan_of(_spec(name, description))
    assert plan.change_profiles
    assert title_part in _titles(plan)
    assert plan.rollback is not None
    if metric is not None:
        trigger = next(t for t in plan.rollback.triggers if t.metric == metric)
        assert trigger.source


@pytest.mark.parametrize(
    ("name", "description", "title_part"),
    [
        (
            "Link your Google account",
            "Let users link their Google account to import contacts from it.",
            "enumerated",
        ),
        (
            "Billing test suite",
            "Build an automated test suite for the billing service and run it in CI on every merge.",
            "in a loop",
        ),
        (
            "Retention dashboard",
            "Let the success team see customer retention rate by cohort and plan on a dashboard page.",
            "deleted for good",
        ),
        (
            "Monday summary",
            "Every Monday morning each member receives a summary of what changed in their projects.",
            "rank or watch individuals",
        ),
        (
            "Ask the docs",
            "Let users ask questions in natural language and a large language model answers from the docs.",
            "Translations of",
        ),
        (
            "Tax on imported goods",
            "Calculate import duties on orders shipped from outside the EU at checkout.",
            "creates duplicates",
        ),
        (
            "Appointment reminders by text",
            "Text patients a reminder 24 hours before their appointment; they reply C to confirm.",
            "book the same slot at once",
        ),
    ],
)
def test_a_kind_of_product_change_is_not_read_from_a_word_in_another_sense(
    plan_of: PlanOf, name: str, description: str, title_part: str
) -> None:
    assert title_part not in _titles(plan_of(_spec(name, description)))


def test_a_sales_push_in_a_language_is_not_a_messaging_change(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Korean version of the web app",
            "Offer the web app and transactional emails in Korean, from the browser language, for the "
            "sales push in Seoul.",
        )
    )
    assert _ids(plan)[0] == "ui-frontend" and "notifications-messaging" not in _ids(plan)
    assert "Translations fall behind" in _titles(plan)
    loc = next(s for s in plan.stakeholders if s.group == "localization")
    assert "other languages" in loc.why


def test_no_rollback_text_of_any_profile_or_variant_is_vague() -> None:
    # the 2am test's vague words, checked in every rollback the catalog can give, variants included
    catalog = load_catalog()
    vague = [
        re.compile(rf"(?<![\w-]){re.escape(p)}(?![\w-])", re.IGNORECASE)
        for p in catalog.rollback.lint.vague_phrases
    ]
    found = []
    for p in catalog.changes.profiles:
        for rb in [p.rollback, *p.rollback_variants]:
            texts = [
                rb.switch,
                *rb.verification,
                *(t for s in rb.steps for t in (s.action, s.expected_result)),
            ]
            found += [f"{p.id}: {rx.pattern} in {t!r}" for t in texts for rx in vague if rx.search(t)]
    sources = [(p.id, p.triggers) for p in catalog.changes.profiles]
    sources += [(f.id, f.triggers) for f in catalog.changes.facets]
    for sid, triggers in sources:
        texts = [x for t in triggers for x in (t.verification, t.unit, t.source) if x]
        found += [f"{sid}: {rx.pattern} in {t!r}" for t in texts for rx in vague if rx.search(t)]
    assert found == []


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Reschedule from the reminder",
            "Patients can open their reminder and pick another time; visits can be moved online up to a "
            "day before, and free times come from each provider's calendar.",
        ),
        (
            "Move a booking",
            "Guests can move a booking to another date from the confirmation page; each provider's "
            "availability decides which dates are offered.",
        ),
        (
            "Mentions toggle",
            "Admins can switch it off for their whole workspace, and members can switch between mention "
            "styles; the provider of each workspace decides the default.",
        ),
    ],
)
def test_a_vendor_move_needs_an_old_and_a_new_vendor(name: str, description: str) -> None:
    # "provider" as a care or service provider, "move" as moving an appointment, "switch" as a
    # toggle: none of them is a move from one vendor to another
    found = [d.profile.id for d in load_catalog().changes.detect(name, description)]
    assert "vendor-migration" not in found


@pytest.mark.parametrize(
    ("name", "description", "recognised"),
    [
        (
            "Bulk upload of listings",
            "Sellers upload a spreadsheet of their product listings to create them in one go.",
            True,
        ),
        (
            "Procurement app: order import",
            "Buyers in our procurement software upload a CSV file of purchase orders.",
            True,
        ),
        ("Timesheets to payroll", "Managers export approved timesheets as a CSV file for payroll.", True),
        (
            "Import duty",
            "Finance must pay the new import duty on licences bought from the US supplier.",
            False,
        ),
        (
            "New charting library",
            "Engineers import the library in each module and export the chart as a file in the build.",
            False,
        ),
        (
            "Board pack",
            "The finance team exports the quarterly revenue report to a spreadsheet file for the board.",
            False,
        ),
    ],
)
def test_moving_records_in_or_out_as_files_is_product_work(
    name: str, description: str, recognised: bool
) -> None:
    found = [d.profile.id for d in load_catalog().changes.detect(name, description)]
    assert bool(found) is recognised, found


def _narrow(plan: Plan) -> list[str]:
    return [f.message for f in plan.findings if f.kind == "low_coverage" and "read narrowly" in f.message]


def test_a_narrow_reading_of_the_kind_of_change_is_said_with_both_readings_and_their_words(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(_spec("Password reset emails", "Send password reset emails through a new provider."))
    [message] = _narrow(plan)
    first, second = _ids(plan)[:2]
    assert f"{first} (" in message and f"{second} (" in message
    assert "from: new provider" in message and "from: password" in message
    assert f'change_types = ["{second}"]' in message


@pytest.mark.parametrize(
    ("name", "description"),
    [
        ("Checkout page redesign", "Redesign the checkout page."),
        (
            "Move card payments to Adyen",
            "Move card payments and saved cards from Stripe to Adyen before the Stripe contract ends.",
        ),
    ],
)
def test_a_clear_reading_or_one_set_by_hand_has_no_narrow_finding(
    plan_of: PlanOf, name: str, description: str
) -> None:
    assert _narrow(plan_of(_spec(name, description))) == []
    by_hand = plan_of(
        _spec(
            "Password reset emails",
            "Send password reset emails through a new provider.",
            extra='change_types = ["identity-access"]\n',
        )
    )
    assert _narrow(by_hand) == []


@pytest.mark.parametrize(
    ("name", "description", "facet", "attaches"),
    [
        (
            "Book and move classes",
            "Members of our gym app can cancel or reschedule a class up to two hours before it starts.",
            "bookings",
            True,
        ),
        (
            "Tag teammates",
            "Agents can @mention a colleague in an internal note; they get a notification.",
            "mentions-people",
            True,
        ),
        (
            "Filter by size",
            "Shoppers can filter products in the catalogue by size and brand.",
            "filters-listings",
            True,
        ),
        (
            "Spending card",
            "Users see a card on the home screen projecting their spending and balance.",
            "financial-figures",
            True,
        ),
        (
            "Skip a delivery",
            "Subscribers can skip next week's delivery or pause their subscription.",
            "pauses-recurring",
            True,
        ),
        (
            "Reply templates",
            "Agents can save a reply as a template their team can reuse.",
            "team-templates",
            True,
        ),
        (
            "Accounting export",
            "Accountants can export invoices as a CSV file ready to import into their ledger.",
            "exports-to-system",
            True,
        ),
        (
            "Accounting export",
            "Accountants can export invoices as a CSV file ready to import into their ledger.",
            "imports-data",
            False,
        ),
        (
            "Spam filter",
            "Users can see fewer junk emails because the spam filter filters out more phishing.",
            "filters-listings",
            False,
        ),
        (
            "Release notes",
            "As mentioned above, users can see the release notes page in the app.",
            "mentions-people",
            False,
        ),
        (
            "Pause the rollout",
            "Admins can pause the rollout of the new editor to their workspace.",
            "pauses-recurring",
            False,
        ),
        (
            "Reminder texts",
            "Text patients a reminder 24 hours before their appointment; they reply C to confirm.",
            "bookings",
            False,
        ),
    ],
)
def test_everyday_kinds_of_change_bring_their_facet_and_not_in_another_sense(
    name: str, description: str, facet: str, attaches: bool
) -> None:
    changes = load_catalog().changes
    ids = [d.profile.id for d in changes.detect(name, description)]
    assert ids, "the feature is recognised as a change"
    assert (facet in [h.facet.id for h in changes.detect_facets(name, description, ids)]) is attaches


# ---- round 10: a kind of change needs its own sense, not a shared word -----------------------


def _kinds(name: str, description: str) -> list[str]:
    return [d.profile.id for d in load_catalog().changes.detect(name, description)]


def test_a_non_product_word_in_the_context_does_not_veto_a_stated_capability() -> None:
    # "reorg" says why the feature is wanted; "admins can change" says what changes
    assert _kinds(
        "Change job titles in one go",
        "After the annual reorg, admins can change the job title of many people at once "
        "from the people list.",
    )[:1] == ["product-feature"]
    # without a capability, the same word still says the work is a reorganisation
    assert _kinds("Design team changes", "After the reorg, the design team moves under product.") == []


def test_a_product_feature_leads_a_kind_read_only_from_where_it_lives() -> None:
    # a page and a website say where the feature is, not that it is a front-end change
    kinds = _kinds(
        "Certificates of attendance",
        "Members can download their certificate of attendance as a PDF from the course page on our website.",
    )
    assert kinds[0] == "product-feature" and "ui-frontend" in kinds
    # said without a person: what a page shows, or "your team"
    kinds = _kinds(
        "Delivery dates on product pages",
        "Each product page on our shop website shows shoppers the expected delivery date for their postcode.",
    )
    assert kinds[0] == "product-feature" and "ui-frontend" in kinds
    assert _kinds("Pinned reports", "Pin a report to your team's home page and share it with your team.")[
        :1
    ] == ["product-feature"]
    # a kind with its own way back (a dark launch) keeps the lead
    assert _kinds(
        "Suggested tags for notes",
        "Users see tags suggested by a machine learning model trained on their own notes "
        "and can accept them.",
    )[:1] == ["ml-llm"]


@pytest.mark.parametrize(
    ("name", "description", "not_kind"),
    [
        (
            "Packing web orders",
            "Store staff see web orders in the handheld app they already use and mark each one packed; "
            "shoppers get a message when it is ready.",
            "mobile-release",
        ),
        ("Split the bill", "Diners can split the bill at the table from their phone.", "data-migration"),
        (
            "Archive the paper files",
            "Box up the paper files of both branches and move the records to an off-site archive.",
            "data-migration",
        ),
        (
            "Security reviews for prospects",
            "Share our SOC 2 report with prospects under NDA through the sales team.",
            "privacy-compliance",
        ),
        ("Renew a lease online", "Tenants can renew their lease online and sign it.", "payments-billing"),
        (
            "Merge duplicate patients",
            "Front-desk staff can merge two duplicate patient records into one from the patient list.",
            "data-migration",
        ),
        (
            "Ticket prices on the receipt",
            "Visitors can see the price per ticket on the receipt they get by email.",
            "pricing-packaging",
        ),
        # session 28: "written" beside "automatically" is content a model writes, not a notice
        # given in writing
        (
            "New storage unit prices",
            "Unit prices rise 4% from 1 June; customers get 30 days' written notice and the new price "
            "applies automatically at their next monthly payment.",
            "ml-llm",
        ),
    ],
)
def test_a_kind_is_not_read_from_a_word_in_another_sense(name: str, description: str, not_kind: str) -> None:
    assert not_kind not in _kinds(name, description)


def test_the_same_words_in_their_own_sense_still_make_the_kind() -> None:
    assert _kinds(
        "One contact list after the acquisition",
        "Merge the contacts of the two CRMs into one data model after the acquisition, "
        "deduplicating records.",
    )[:1] == ["data-migration"]
    assert "ml-llm" in _kinds(
        "Meter reading from a photo",
        "Customers take a photo of their meter and we read the numbers from the photo for their bill.",
    )
    assert "payments-billing" in _kinds(
        "Annual plan renewals", "Customers on annual plans get their renewal charged to the card on file."
    )
    assert "payments-billing" in _kinds(
        "Tap to ride", "Riders can pay their fare by tapping a contactless bank card at the gate."
    )
    assert "ml-llm" in _kinds(
        "Selfie check", "Users verify their account with a selfie checked by facial recognition."
    )
    assert "pricing-packaging" in _kinds(
        "New prices", "Raise the prices of the Pro and Business plans by 10%."
    )
    assert "payments-billing" in _kinds(
        "Rent by direct debit", "Tenants can set up a direct debit for their rent payments online."
    )
    assert "payments-billing" not in _kinds(
        "Address changes", "Donors who once signed a direct debit form can update their address online."
    )
    assert "ml-llm" in _kinds(
        "Barrier-free exit", "Cameras read the number plate of each car at the car park exit."
    )
    assert _kinds(
        "Scan to ride", "Riders unlock scooters in the app by scanning the QR code on the handlebar."
    )[:1] == ["product-feature"]
    # a person doing a product action without "can" is product language too
    assert _kinds(
        "Overpayments from the app",
        "Borrowers check their repayment schedule and submit an overpayment from the app.",
    )[:1] == ["product-feature"]
    # where it is used (online, in the app) is product language too
    assert _kinds(
        "Pick your seats", "Concert-goers pick their seats on a seat map when they buy tickets online."
    )[:1] == ["product-feature"]


def _facets(name: str, description: str, profiles: list[str]) -> set[str]:
    return {h.facet.id for h in load_catalog().changes.detect_facets(name, description, profiles)}


# what a feature does, who acts on it and where it is used, in words of my own (round 10)
@pytest.mark.parametrize(
    ("name", "description", "facet"),
    [
        (
            "Merge duplicate members",
            "Gym staff can find members who signed up twice and merge the two records into one.",
            "merges-records",
        ),
        (
            "Parking permits online",
            "Residents can apply for a parking permit on the council website and download it as a PDF "
            "instead of queuing at the counter with a paper form.",
            "official-documents",
        ),
        (
            "Parking permits online",
            "Residents can apply for a parking permit on the council website and download it as a PDF "
            "instead of queuing at the counter with a paper form.",
            "replaces-manual-step",
        ),
        (
            "Invite a friend",
            "Members who invite a friend get a free month when the friend signs up.",
            "incentives",
        ),
        (
            "Collect your groceries",
            "Shoppers see which items are in stock at their local store and collect the order there.",
            "store-stock",
        ),
        (
            "Report a broken streetlight",
            "Residents can report a broken streetlight on the city website and are told when it is fixed. "
            "Today they ring the contact centre.",
            "replaces-manual-step",
        ),
        (
            "Report a broken streetlight",
            "Residents can report a broken streetlight on the city website; the report goes onto the repair "
            "crew's job list.",
            "staff-act-on-it",
        ),
        (
            "Meter photos from the doorstep",
            "Meter readers take a photo of each meter on site with their phone and mark the visit done.",
            "field-work",
        ),
        (
            "Tax IDs for invoices",
            "Sellers can enter their tax ID, and we submit each invoice to the tax authority "
            "before it is sent.",
            "sends-to-authority",
        ),
        (
            "Timed swim sessions",
            "Members pick a session slot for the pool when they book, with a few places kept for walk-ins.",
            "bookings",
        ),
        (
            "Expense sign-off",
            "Employees submit expenses and their manager reviews and signs them off before payroll.",
            "approval-steps",
        ),
        (
            "Test results in the app",
            "Patients can see their blood test results once their doctor has reviewed them.",
            "health-care",
        ),
        (
            "Reading log for pupils",
            "Parents can see which books their child read at school this week and add a comment.",
            "children",
        ),
        (
            "Overtime requests",
            "Employees can request overtime hours and their manager approves them before the payroll run.",
            "pay-rules",
        ),
        (
            "Gym entry by phone",
            "Members scan a QR code at the gym door on their phone instead of showing a card.",
            "phone-at-the-door",
        ),
        (
            "Late fees on library loans",
            "Members see the late fee for each overdue book, worked out automatically from the due date.",
            "calculates-values",
        ),
        (
            "Verified sellers",
            "Sellers prove their identity with a photo ID before their first payout.",
            "verifies-identity",
        ),
        (
            "Pay at the meter by phone",
            "Update the firmware of our parking meters so drivers can pay by phone at each one.",
            "device-fleet",
        ),
        ("Book a tour", "Visitors can book a tour slot online for the old town.", "bookings"),
        (
            "Referrals to specialists",
            "Doctors can send a referral that arrives in the hospital's booking system.",
            "syncs-records",
        ),
        (
            "Parking permits by card",
            "Residents can renew their parking permit online and pay the fee by card.",
            "takes-payment",
        ),
        (
            "Where is my parcel",
            "Customers see the live position of their parcel on the tracking page, "
            "updated from the couriers' feed.",
            "shows-live-status",
        ),
        (
            "Beds free tonight",
            "Outreach workers see tonight's free beds at each shelter on their phones.",
            "shows-live-status",
        ),
        (
            "Plant finder",
            "Shoppers can check which plants are in stock at their local garden centre.",
            "shows-live-status",
        ),
        (
            "Reorder in one tap",
            "Shoppers can repeat last week's order in one tap from the home screen.",
            "one-click-action",
        ),
        (
            "Coaching sessions",
            "Members can sign up for one of the six places in a coaching session and drop out a day before.",
            "bookings",
        ),
        # session 23: tablets fitted in the cab are field work, and the driver reads them there
        (
            "Job list in the gritter cab",
            "Our 40 gritter drivers get their routes on in-cab tablets instead of paper, and mark each "
            "road treated.",
            "field-work",
        ),
        (
            "Job list in the gritter cab",
            "Our 40 gritter drivers get their routes on in-cab tablets instead of paper, and mark each "
            "road treated.",
            "in-vehicle",
        ),
    ],
)
def test_everyday_actions_bring_their_facet(name: str, description: str, facet: str) -> None:
    assert facet in _facets(name, description, ["product-feature"])


def test_footage_of_in_cab_cameras_is_no_screen_the_driver_uses() -> None:
    assert "in-vehicle" not in _facets(
        "Keep in-cab camera footage for 30 days",
        "Footage from the in-cab cameras of our 200 lorries is deleted after 30 days unless an "
        "incident is flagged.",
        ["privacy-compliance"],
    )


def test_staff_moved_to_a_new_system_need_getting_ready_whatever_moved_underneath() -> None:
    # a records move (not only a supplier move) changes the tool staff use all day
    assert "staff-move-system" in _facets(
        "Pupil records to the new system",
        "Our schools' pupil records move to the new records system over the summer; office staff "
        "use it from the first day of term.",
        ["data-migration"],
    )
    # files moved to another store change no one's daily tool
    assert "staff-move-system" not in _facets(
        "Attachments to object storage",
        "Move every uploaded attachment from our database to an object store bucket.",
        ["data-migration"],
    )


def test_information_that_changes_needs_seeing_to_be_a_shown_status() -> None:
    # prices or stock in a text are not shown information unless people see or check them
    assert "shows-live-status" not in _facets(
        "Stock levels job",
        "A nightly job recalculates stock levels and prices for the warehouse.",
        ["product-feature"],
    )


# the same facets' words in another sense
@pytest.mark.parametrize(
    ("name", "description", "profiles", "facet"),
    [
        (
            "Merge requests need two reviews",
            "Developers can open merge requests; each merge request needs two approvals.",
            ["product-feature"],
            "merges-records",
        ),
        (
            "TLS certificate renewal",
            "Automate the TLS certificate renewal of the load balancers before the old ones expire.",
            ["infra-cutover"],
            "official-documents",
        ),
        (
            "Saved cards",
            "Customers can keep their credit card on file to pay faster next time.",
            ["payments-billing"],
            "incentives",
        ),
        (
            "Store listing refresh",
            "New screenshots and text for our app store listing, so people see what is in stock for them.",
            ["mobile-release"],
            "store-stock",
        ),
        (
            "Call the customer back",
            "Agents can see the customer's phone number on the ticket page.",
            ["product-feature"],
            "replaces-manual-step",
        ),
        (
            "Import from spreadsheets",
            "Teachers can import class lists instead of typing them in by hand.",
            ["product-feature"],
            "replaces-manual-step",
        ),
        (
            "Driver update",
            "Update the database driver on the website's servers to the new version.",
            ["infra-cutover"],
            "field-work",
        ),
        (
            "Registry move",
            "Move our container images to a new container registry and update the deploy scripts.",
            ["vendor-migration"],
            "sends-to-authority",
        ),
        (
            "Account health score",
            "Account managers can see a health score for each customer and the checks behind it.",
            ["product-feature"],
            "health-care",
        ),
        (
            "Child records in the tree view",
            "Users can expand a parent record to see its child records in the tree view.",
            ["product-feature"],
            "children",
        ),
        (
            "Pay online",
            "Customers can pay the bill online by card and leave a comment.",
            ["product-feature"],
            "pay-rules",
        ),
        (
            "Faster security scans",
            "Developers can scan the repository for vulnerabilities from the dashboard.",
            ["product-feature"],
            "phone-at-the-door",
        ),
        (
            "Launch the beta early",
            "Product managers can take a calculated risk and show the beta to ten customers.",
            ["product-feature"],
            "calculates-values",
        ),
        (
            "Email check",
            "Users verify their email address with a verification code.",
            ["product-feature"],
            "verifies-identity",
        ),
        (
            "Signed-in devices",
            "Users can see which devices are signed in to their account and sign one out.",
            ["product-feature"],
            "device-fleet",
        ),
        (
            "Design system refresh",
            "Refresh the design system components and their documentation.",
            ["ui-frontend"],
            "syncs-records",
        ),
        (
            "Right to left",
            "Arabic readers get mirrored layouts and right-to-left text in the editor.",
            ["ui-frontend"],
            "syncs-records",
        ),
        (
            "Payroll export",
            "Managers can export the hours of their team for payroll and pay rises.",
            ["product-feature"],
            "takes-payment",
        ),
        (
            "Chat support goes live",
            "Support agents can answer customers in live chat from the help desk.",
            ["product-feature"],
            "shows-live-status",
        ),
    ],
)
def test_everyday_facets_stay_off_words_in_another_sense(
    name: str, description: str, profiles: list[str], facet: str
) -> None:
    assert facet not in _facets(name, description, profiles)


@pytest.mark.parametrize(
    ("name", "description", "title", "present"),
    [
        (
            "Postgres 15 cluster",
            "Move the orders database to a new PostgreSQL 15 cluster fed by logical replication and cut over "
            "in a window.",
            "Logical replication leaves things behind",
            True,
        ),
        (
            "Postgres 15 in place",
            "Upgrade the orders database to PostgreSQL 15 in place with pg_upgrade in a maintenance window.",
            "Logical replication leaves things behind",
            False,
        ),
        (
            "Spam filter for reviews",
            "A machine learning classifier hides abusive product reviews and suspends repeat offenders.",
            "cannot see why or appeal",
            True,
        ),
        (
            "Smarter search ranking",
            "A machine learning model ranks search results, shipped behind a feature flag.",
            "cannot see why or appeal",
            False,
        ),
        (
            "Security keys for admins",
            "Admins must sign in with two-factor authentication from June; enforcement starts per workspace.",
            "Enforcement misses other ways in",
            True,
        ),
    ],
)
def test_a_sort_of_change_brings_its_own_risk_only_with_its_words(
    plan_of: PlanOf, name: str, description: str, title: str, present: bool
) -> None:
    assert (title in _titles(plan_of(_spec(name, description)))) is present


# ---- work done at the business's own sites goes site by site ---------------------------------


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Allergy notes on the tablet",
            "Waiters in our 12 restaurants see each table's allergy notes on a tablet instead of a paper "
            "pad, and the kitchen sees them at once.",
        ),
        (
            "Prescriptions ready text",
            "Customers of our 80 pharmacies get a message when their prescription is ready to collect "
            "at the counter staff's desk.",
        ),
        (
            "Order screens in the kitchen",
            "Cooks in our 18 restaurants see incoming orders on a screen above the pass instead of "
            "printed tickets.",
        ),
        (
            "Guided put-away",
            "Forklift drivers in our four distribution centres see on their handheld scanners where to "
            "put each pallet away, instead of a paper put-away list.",
        ),
    ],
)
def test_work_at_the_business_sites_rolls_out_site_by_site(
    plan_of: PlanOf, name: str, description: str
) -> None:
    plan = plan_of(_spec(name, description))
    assert plan.rollout.strategy == "cohort_ramp"
    assert "site by site" in plan.rollout.summary
    names = [p.name for p in plan.phases]
    assert names[0] == "pilot-site" and names[-1] == "all-sites"
    # the way back is still the kind of change's own (a flag targeted by site, turned off)
    assert plan.rollback is not None and plan.rollback.mechanism == "flag_off"


@pytest.mark.parametrize(
    ("name", "description"),
    [
        # an online page of a chain's stock: no work at its sites
        (
            "Stock across depots",
            "Buyers on our website can search the used vans in stock across all our depots at once.",
        ),
        # sites in another sense: the customers' own, the web's, a code repository's
        (
            "Partner widget",
            "Retailers put our price-check widget on their own sites; their staff see who used it.",
        ),
        (
            "Branch previews",
            "Developers get a preview link for their feature branches, and staff reviewers open it.",
        ),
    ],
)
def test_sites_in_another_sense_keep_the_percentage_ramp(
    plan_of: PlanOf, name: str, description: str
) -> None:
    plan = plan_of(_spec(name, description))
    assert plan.change_profiles and plan.rollout.strategy == "percentage_ramp"


def test_site_waves_follow_the_risk_tolerance(plan_of: PlanOf) -> None:
    text = (
        "Class check-in at reception",
        "Members of our 30 gyms check in to a class at reception by showing a code, instead of "
        "signing a paper list.",
    )
    low = plan_of(_spec(*text, tolerance="low"))
    high = plan_of(_spec(*text, tolerance="high"))
    assert [p.name for p in low.phases] == ["pilot-site", "first-wave", "all-sites"]
    assert [p.name for p in high.phases] == ["pilot-site", "all-sites"]  # no first wave
    assert low.phases[0].monitoring_hours > high.phases[0].monitoring_hours


def test_a_facet_rollout_must_replace_a_percentage_ramp_with_another_strategy(tmp_path: Path) -> None:
    (tmp_path / "changes").mkdir()
    text = (bundled_dir() / "changes" / "_facets.toml").read_text(encoding="utf-8")
    old = '[facets.rollout]\nstrategy = "cohort_ramp"'
    assert old in text
    (tmp_path / "changes" / "_facets.toml").write_text(
        text.replace(old, '[facets.rollout]\nstrategy = "percentage_ramp"'), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="a facet's rollout replaces a percentage ramp"):
        load_catalog(tmp_path)


# ---- what people hold taken away, an app's old versions blocked: a way back that undoes it ----


# each way back, with what the plan must say of it: (mechanism, a word of a step or the switch, the
# strategy, the first phase, a risk title it brings)
_EXPIRY = ("reinstate_balances", "reversal entry", "dark_launch", "report-only-run", "cannot be given back")
_SWITCHED = (
    "restore_previous_settings",
    "snapshot",
    "cohort_ramp",
    "own-accounts-switched",
    "account by account",
)


@pytest.mark.parametrize(
    ("name", "description", "expect"),
    [
        # balances that expire: reversed from the ledger, after a run that removes nothing
        (
            "Air miles lapse after 18 months",
            "Frequent flyers lose miles that have sat unused in their account for 18 months; a monthly "
            "job takes the lapsed miles off their balance after emailing them first.",
            _EXPIRY,
        ),
        (
            "Wallet balance expiry",
            "Money customers keep in their wallet on our food delivery website now expires a year after "
            "it was added, and whatever balance is left is removed.",
            _EXPIRY,
        ),
        # a setting switched for every existing account: set back from a snapshot, in batches
        (
            "Weekly digest for everyone",
            "Every existing user of our recipe site is switched to the weekly digest email unless they opt "
            "out in their settings before the end of the month.",
            _SWITCHED,
        ),
        (
            "Team spaces become private",
            "Team spaces in our wiki that anyone can read today are made private on 1 June, unless the "
            "owners choose to keep them open.",
            _SWITCHED,
        ),
    ],
)
def test_what_a_flag_cannot_undo_has_a_way_back_that_does(
    plan_of: PlanOf, name: str, description: str, expect: tuple[str, str, str, str, str]
) -> None:
    mechanism, step_word, strategy, first_phase, title = expect
    plan = plan_of(_spec(name, description, tolerance="low"))
    assert plan.rollback is not None and plan.rollback.mechanism == mechanism
    assert step_word in plan.rollback.switch + " ".join(s.action for s in plan.rollback.steps)
    # nothing is changed for everyone before a phase that changes nobody or a first batch
    assert plan.rollout.strategy == strategy and plan.phases[0].name == first_phase
    assert plan.phases[0].exposure_percent == 0
    titles = _titles(plan)
    assert title in titles
    # no plan is changed: neither the plans' risk nor their trigger
    assert "Entitlements do not match the new plans" not in titles
    assert "entitlement_mismatch_count" not in {t.metric for t in plan.rollback.triggers}
    assert [f for f in plan.findings if f.kind == "two_am_test"] == []


def test_points_that_expire_are_built_as_an_expiry_not_as_new_plans(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Loyalty points expire",
            "Points in our pet shop's loyalty scheme now expire two years after they were earned, and a "
            "monthly job takes them off members' balances.",
        )
    )
    ids = {t.id for t in plan.tasks}
    assert {"expiry-rules", "expiry-job-ledger", "reinstatement-job"} <= ids
    # a price change's work (plans in the billing catalog, an experiment) is not built
    assert not ids & {"plan-catalog", "pricing-experiment", "existing-customer-migration"}
    # the way back is built and tested before QA signs off
    qa = next(t for t in plan.tasks if t.id == "qa")
    assert "reinstatement-job" in qa.depends_on


def test_a_new_default_for_new_accounts_only_keeps_the_flag(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Weekly digest on by default",
            "New accounts on our recipe site start with the weekly digest email switched on; people can "
            "turn it off in their settings.",
        )
    )
    assert plan.rollback is not None and plan.rollback.mechanism == "flag_off"
    assert "cannot be undone account by account" not in _titles(plan)


@pytest.mark.parametrize("tolerance", ["low", "high"])
def test_blocking_old_app_versions_is_undone_by_lowering_the_minimum_again(
    plan_of: PlanOf, tolerance: str
) -> None:
    plan = plan_of(
        _spec(
            "Banking app needs 7.2 or later",
            "Customers on older versions of the app will have to update before they can log in, because "
            "the old login service is switched off in May.",
            tolerance=tolerance,
        )
    )
    assert _ids(plan)[0] == "mobile-release"
    # halting a release or turning a flag off leaves the old versions blocked
    assert plan.rollback is not None and plan.rollback.mechanism == "lift_enforcement"
    assert "minimum supported version" in plan.rollback.switch
    assert plan.rollout.strategy == "cohort_ramp"
    names = [p.name for p in plan.phases]
    assert names[0] == "skippable-prompt" and names[-1] == "all-below-minimum-blocked"
    assert ("oldest-versions-blocked" in names) is (tolerance == "low")
    assert "locked out" in _titles(plan)
    assert [f for f in plan.findings if f.kind == "two_am_test"] == []


def test_older_versions_of_an_app_are_not_version_history_or_older_people() -> None:
    hits = load_catalog().changes.detect_facets(
        "Tram app: stop supporting versions before 4.0",
        "People on older versions of the app will see a screen asking them to update before they can "
        "show their ticket.",
        ["mobile-release"],
    )
    # not "stores new data" (older versions kept as history), not "serves older people"
    assert [h.facet.id for h in hits] == ["minimum-app-version"]


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ('rollback_over = ["flag_off", "redeploy_previous", "halt_release"]\n', "", "needs `rollback_over`"),
        (
            'flag_undoes = false\nlimits = [\n  "People who already updated',
            'flag_undoes = true\nlimits = [\n  "People who already updated',
            "not a flag",
        ),
    ],
)
def test_a_facet_rollback_names_what_it_replaces_and_is_no_flag(
    tmp_path: Path, old: str, new: str, error: str
) -> None:
    (tmp_path / "changes").mkdir()
    text = (bundled_dir() / "changes" / "_facets.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tmp_path / "changes" / "_facets.toml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError, match=error):
        load_catalog(tmp_path)


@pytest.mark.parametrize(
    ("description", "channel"),
    [
        ("Members get their class reminders on WhatsApp instead of SMS.", "(SMS)"),
        ("Replacing the printed letters with an email and a push notification for renewals.", "(letters)"),
        ("Send renewal reminders by push rather than email.", "(email)"),
        ("Send a push notification when a renewal is due.", "(the messages sent today)"),
    ],
)
def test_a_messaging_rollout_keeps_the_channel_the_text_replaces(
    plan_of: PlanOf, description: str, channel: str
) -> None:
    plan = plan_of(_spec("Renewal reminders", description))
    assert _ids(plan)[0] == "notifications-messaging"
    assert f"keeping the old delivery path {channel} running" in plan.rollout.summary


def test_a_reminder_answered_to_cancel_takes_no_place_so_no_double_booking(plan_of: PlanOf) -> None:
    reminder = plan_of(
        _spec(
            "Reply to cancel a vet appointment",
            "Pet owners get a reminder two days before their appointment and can reply to cancel it; "
            "the front desk sees each reply on the booking screen.",
        )
    )
    titles = _titles(reminder)
    assert "Cancellations, reschedules and no-shows" in titles  # the bookings facet is there
    assert "Two people book the same slot" not in titles
    booking = plan_of(
        _spec(
            "Book a vet appointment online",
            "Pet owners can book an appointment in a free slot on our website instead of calling.",
        )
    )
    assert "Two people book the same slot" in _titles(booking)


@pytest.mark.parametrize(
    ("name", "description", "title", "present"),
    [
        # a cap on a price increase limits what customers pay, not what they may use
        (
            "Prices per active user replace tiers",
            "Accounts will pay per active user each month instead of three tiers; existing customers "
            "switch at their renewal, with a price cap of 15% for the first year.",
            "held hostage",
            False,
        ),
        # credits that expire in a new plan: the plan is the change, not an expiry job
        (
            "Pro plan with monthly AI credits",
            "A new Pro plan at $30 a month includes 500 AI credits; credits not used by the end of the "
            "month expire.",
            "Entitlements do not match the new plans",
            True,
        ),
    ],
)
def test_a_change_to_plans_is_undone_by_restoring_the_previous_plans(
    plan_of: PlanOf, name: str, description: str, title: str, present: bool
) -> None:
    plan = plan_of(_spec(name, description))
    assert _ids(plan)[0] == "pricing-packaging"
    assert plan.rollback is not None and plan.rollback.mechanism == "restore_previous_plans"
    assert (title in _titles(plan)) is present
    assert "entitlement_mismatch_count" in {t.metric for t in plan.rollback.triggers}


def test_usage_above_the_quota_billed_as_overage_holds_no_work_hostage(plan_of: PlanOf) -> None:
    metered = plan_of(
        _spec(
            "Metered pricing for exports",
            "Customers on the Team plan pay for exports above their included quota each month, as "
            "overage on the next invoice.",
        )
    )
    assert "held hostage" not in _titles(metered)
    # nothing is blocked, so there is no enforcement to lift, even with a spend cap the owner sets
    capped = plan_of(
        _spec(
            "Storage billed by the gigabyte",
            "Each workspace gets 50 GB included and pays $0.02 for each extra gigabyte a month, with a "
            "spend cap the workspace owner can set.",
        )
    )
    for plan in (metered, capped):
        assert plan.rollback is not None and plan.rollback.mechanism != "lift_enforcement"
    # a plan limit that blocks more work still brings it
    assert "held hostage" in _titles(
        plan_of(
            _spec(
                "Project limit on the free plan",
                "The free plan is limited to three projects; existing free workspaces over the limit "
                "become read-only for new projects.",
            )
        )
    )


def test_existing_duplicates_merged_once_are_a_data_migration_restored_from_a_snapshot(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Combine duplicate member profiles",
            "About 9,000 members have two accounts under the same email. Merge each pair into one "
            "profile, keeping bookings and credits, and close the other.",
        )
    )
    assert _ids(plan)[:1] == ["data-migration"]
    assert plan.rollback is not None and plan.rollback.mechanism == "restore_backup"
    assert plan.rollback.point_of_no_return
    # a way for staff to merge duplicates themselves is a product feature (flag off undoes it)
    tool = plan_of(
        _spec(
            "Duplicate member profiles merged by staff",
            "Gym staff get a list of likely duplicate member profiles and a button to merge two of "
            "them into one.",
        )
    )
    assert _ids(tool)[:1] == ["product-feature"]


def test_the_summary_gives_the_user_count_read_from_the_description(plan_of: PlanOf) -> None:
    from syncsvc.rendering.markdown import render_md

    text = (
        "Members of our climbing walls get a text when their route-setting class moves, about 8,000 members."
    )
    read = render_md(plan_of(_spec("Class move texts", text)))
    assert "| Users | 8,000 (read from the description; set `users` to confirm) |" in read
    given = render_md(plan_of(_spec("Class move texts", text, extra="users = 9000\n")))
    assert "| Users | 9,000 |" in given


def test_the_pilot_is_one_of_the_sites_the_text_counts(plan_of: PlanOf) -> None:
    many = plan_of(
        _spec(
            "Allergy notes on the tablet",
            "Waiters in our 12 restaurants see each table's allergy notes on a tablet instead of a paper "
            "pad, and the kitchen sees them at once.",
        )
    )
    assert [(p.name, p.exposure_percent) for p in many.phases] == [
        ("pilot-site", 8),
        ("first-wave", 25),
        ("all-sites", 100),
    ]
    # four sites: one is already a quarter, so no first wave of a quarter follows it
    few = plan_of(
        _spec(
            "Guided put-away",
            "Forklift drivers in our four distribution centres see on their handheld scanners where to "
            "put each pallet away, instead of a paper put-away list.",
        )
    )
    assert [(p.name, p.exposure_percent) for p in few.phases] == [("pilot-site", 25), ("all-sites", 100)]


# ---- session 11: merges we run, updates on a chosen channel, outside developers' keys, staff off paper ----


def test_accounts_we_merge_ourselves_are_unmerged_from_the_log(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "One login per swimming family",
            "Families who booked lessons with different email addresses have several accounts. We find "
            "the accounts that belong to the same family and merge them, carrying bookings and payments "
            "over to one account.",
            tolerance="low",
        )
    )
    assert plan.rollback is not None and plan.rollback.mechanism == "unmerge_from_log"
    assert "merge log" in plan.rollback.switch
    # in batches, and the first phase merges nothing
    assert plan.rollout.strategy == "cohort_ramp" and plan.phases[0].exposure_percent == 0
    assert "Two different people are merged because the match rule is too loose" in _titles(plan)
    assert [f for f in plan.findings if f.kind == "two_am_test"] == []
    # a merge staff choose in the product keeps the kind's way back: the flag takes the action away
    tool = plan_of(
        _spec(
            "Merge duplicate swimmer profiles",
            "Club staff can merge duplicate swimmer profiles: a duplicate finder suggests likely matches, "
            "and a button merges two of them into one, keeping bookings and payments.",
        )
    )
    assert tool.rollback is not None and tool.rollback.mechanism == "flag_off"


@pytest.mark.parametrize(
    ("name", "description", "kind"),
    [
        # updates about something of the customer's, on a channel they pick
        (
            "Repair progress on WhatsApp",
            "Customers of our phone repair shops can choose to get updates on a repair by WhatsApp: when "
            "it is diagnosed and when it is ready to collect. Today these go by email only.",
            "notifications-messaging",
        ),
        # outside developers on our API, limited per key
        (
            "Daily quota for the geocoding API",
            "Developers using our geocoding API on the free plan get 2,000 requests a day per key; above "
            "that the API answers 429 until midnight. Paid keys are not limited.",
            "public-api-sdk",
        ),
        # results put in an order made of several things
        (
            "Find a tutor by subject",
            "Parents look up a tutor by subject and postcode on our website, and results are ordered by a "
            "mix "
            "of distance, price and reviews instead of by surname.",
            "search-recommendations",
        ),
        # paid plans offered next to paying per visit
        (
            "Monthly plans for the vet clinic",
            "Pet owners pay for each visit to our vet clinics today. We will offer two monthly plans next to "
            "that: £9 a month for unlimited nurse checks and £19 a month for unlimited vet visits.",
            "pricing-packaging",
        ),
        # what the platform takes from each job changes
        (
            "Lower commission for cleaners",
            "Cleaners on our booking platform pay a flat 25% commission today; from 1 March they will pay "
            "18% "
            "and customers a 2% booking fee capped at £5.",
            "pricing-packaging",
        ),
        # money paid out to the people who earn it, sooner
        (
            "Same-day cash-out for hosts",
            "Hosts on our events platform can cash out their ticket sales to their bank account the same day "
            "instead of waiting for the monthly transfer.",
            "payments-billing",
        ),
        # our own agents' case screen
        (
            "A case view for the fraud team",
            "Our 30 trust and safety agents handle flagged payments by jumping between the admin panel and a "
            "shared spreadsheet; we are building one case view with the customer's history and one-click "
            "decisions.",
            "internal-tooling",
        ),
        # someone allowed to act for another
        (
            "Carers act for the people they look after",
            "People on our benefits website can let a carer act on their behalf: the carer is invited, "
            "accepts, "
            "and the person can remove their access at any time.",
            "identity-access",
        ),
        # staff at work move from a paper form to a handheld
        (
            "Van checks on a tablet",
            "Drivers at our depots record the morning van check on a tablet instead of a paper form, and "
            "faults go straight to the workshop.",
            "internal-tooling",
        ),
        # session 12: the customer's own identity provider feeding us users is no vendor move
        (
            "Seats from the customer's directory",
            "IT admins of our design tool's business customers connect Okta or Entra ID over SCIM, so "
            "designers are added and removed automatically; the files of someone removed move to their "
            "manager.",
            "identity-access",
        ),
        # a business's records moved into a new ledger, judged by the same figures coming out
        (
            "Client accounts into the new general ledger",
            "Our bookkeeping service moves 4,000 clients' books, ten years of transactions each, into the "
            "new general ledger; every report must show the same totals as before.",
            "data-migration",
        ),
        # a system built in-house replaced by one bought off the shelf
        (
            "Mortgages onto the bought servicing system",
            "We bought an off-the-shelf mortgage servicing system to replace the one we built in-house "
            "in 2004; each mortgage moves across at its next rate change.",
            "vendor-migration",
        ),
        # wages paid into bank accounts, the employer's account debited
        (
            "Early pay for hours already worked",
            "Employees of the 600 businesses on our payroll service can be paid for hours already worked "
            "before payday; the money goes out by same-day ACH and the employer's bank account is debited "
            "the same day.",
            "payments-billing",
        ),
        # a service other systems call in seconds, replacing an overnight batch
        (
            "Payslips for any month in seconds",
            "Employees get payslips from a nightly batch today; a service that builds the payslip for any "
            "month of the last 6 years in under 3 seconds will be called by the app and the HR desk.",
            "backend-api",
        ),
        # a region stood up and switched to account by account, with the data kept inside it
        (
            "Canadian customers onto a Montreal region",
            "Our analytics warehouse's 300 Canadian accounts must have their data inside the country under "
            "new contracts: we stand up a Montreal region, move each account's tables and keep them in "
            "sync, then switch the account's endpoint in a night window.",
            "infra-cutover",
        ),
    ],
)
def test_the_kind_is_read_from_what_the_change_does(
    plan_of: PlanOf, name: str, description: str, kind: str
) -> None:
    assert _ids(plan_of(_spec(name, description)))[:1] == [kind]


def test_a_model_answering_in_the_website_chat_has_the_assistants_risks(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Plant questions answered by AI",
            "Gardeners can ask our garden centre's website chat which plants suit their soil and what is in "
            "stock at their nearest centre; an AI model answers from our catalogue and hands over to a "
            "colleague when it is unsure.",
        )
    )
    titles = _titles(plan)
    assert (
        "Customer personal data is sent to the model provider without a DPA or zero-retention terms" in titles
    )
    assert (
        "LLM output leaks data or follows instructions injected into its input (prompt injection)" in titles
    )
    assert (
        "Answers quote stock, prices or product details that are out of date or wrong for the customer"
        in titles
    )
    # a chat with the business is not content other users post
    assert "Spam or abuse through user-generated content" not in titles


def test_a_billing_date_moved_for_everyone_is_set_back_from_a_snapshot(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Memberships paid on the 1st",
            "Gym members pay on the anniversary of the day they joined; from April every existing member "
            "is billed on the 1st, with the first bill covering the days in between.",
            tolerance="low",
        )
    )
    assert plan.rollback is not None and plan.rollback.mechanism == "restore_previous_settings"
    titles = _titles(plan)
    assert "first bill after the billing date moves" in titles
    assert "Collections on the new date fail or come twice" in titles
    assert "payment_failure_rate_increase" in {t.metric for t in plan.rollback.triggers}


# each risk a PM expected in a blind plan, brought by the words of a feature in other words (and by
# its kind of change), with a feature of the same kind that must not get it
@pytest.mark.parametrize(
    ("name", "description", "title", "unlike"),
    [
        (
            "Road tax renewal reminders by text",
            "Drivers get a text message a month before their vehicle tax expires, saying how to renew "
            "online.",
            "Scammers copy the messages of",
            (
                "Weekly match report texts",
                "Members of our hockey club get a text message with the weekend's results.",
            ),
        ),
        (
            "Baby milestone emails",
            "Parents on our baby tracking app are sent an email every month with their baby's milestones; "
            "nothing is "
            "sent once a loss is recorded.",
            "Messages keep coming after something sad has happened",
            (
                "Weekly match report texts",
                "Members of our hockey club get a text message with the weekend's results.",
            ),
        ),
        (
            "Crash reporting moves from Crashlytics to Sentry",
            "Our cycling app's iOS and Android builds switch their crash reporter from Crashlytics to "
            "Sentry in the "
            "next app release.",
            "Crash reports arrive unreadable",
            (
                "Dark map style in the app",
                "The iOS and Android versions of our cycling app get a dark map style in the next release.",
            ),
        ),
        (
            "Logs and metrics move from Splunk to Grafana Cloud",
            "Our platform team moves every service's logs, metrics and alerting from Splunk to Grafana "
            "Cloud, "
            "team by team.",
            "Alerts and pages go quiet during the move",
            (
                "Customer records move to a new CRM",
                "Sales moves its customer records from our old CRM vendor to HubSpot.",
            ),
        ),
        (
            "Orders database to a managed Postgres",
            "The orders database moves from our own MySQL servers to a managed Postgres cluster in a Sunday "
            "night cutover.",
            "Clients nobody listed still connect to the old database directly",
            (
                "Web servers to a new region",
                "Our static website moves to a new CDN region in a weekend cutover.",
            ),
        ),
        (
            "Sunset of the v2 reporting API",
            "Partners calling version 2 of our reporting API get six months' notice, then brownouts, then "
            "it is "
            "switched off.",
            "Callers nobody can reach still use the old version",
            (
                "Webhook retries for partners",
                "Partners calling our reporting API get webhooks with retries and signatures.",
            ),
        ),
        (
            "AI journaling prompts",
            "Users of our mood tracking app get a short reflection written by an AI model from what they "
            "wrote in "
            "their journal that day.",
            "The model misses or mishandles someone in crisis",
            ("AI titles for playlists", "Users of our music app get playlist titles written by an AI model."),
        ),
        (
            "Drivers cash out their earnings daily",
            "Delivery drivers can cash out their earnings to a debit card once a day instead of waiting for "
            "the "
            "weekly bank transfer.",
            "Money paid out early is later taken back",
            ("Card payments for deliveries", "Customers can pay for deliveries with Apple Pay at checkout."),
        ),
        (
            "Relatives get their own logins",
            "Families of people in our supported-living homes get their own logins to see visit notes and "
            "photos, instead of sharing the home's login.",
            "The wrong relative gets access to a person's records",
            (
                "Staff sign in with SSO",
                "Staff at our supported-living homes sign in to the rota app with Microsoft SSO.",
            ),
        ),
        (
            "Dental records to the new practice system",
            "Patient records, recalls and booked appointments of our 30 dental practices move from the old "
            "practice system to a new one over a weekend.",
            "Things scheduled in the old system",
            (
                "Patient records to the new practice system",
                "Patient notes and X-rays of our 30 dental practices move to a new practice system over a "
                "weekend.",
            ),
        ),
        (
            "Tiered fees for tutors",
            "Tutors on our lessons marketplace pay a flat 20% fee today; from 1 May they pay 12% on the "
            "first "
            "£2,000 billed with each student and 6% after that, capped at £40 a lesson.",
            "The new fees are worked out wrong in some cases",
            (
                "Annual price rise for tutors",
                "Tutors on our lessons marketplace pay £12 a month for the premium listing; from 1 May it "
                "goes up "
                "to £15.",
            ),
        ),
        (
            "Unlimited classes membership",
            "Our yoga studios add a membership at £95 a month for unlimited classes, next to the 10-class "
            "pass.",
            "Unlimited use is taken up by the heaviest users",
            (
                "Class pass price rise",
                "Our yoga studios' 10-class pass goes up from £90 to £99 for new buyers; current holders "
                "keep "
                "theirs.",
            ),
        ),
        (
            "Claims review queue for assessors",
            "Our staff who assess claims work from one shared list sorted oldest first; we are building a "
            "review queue that gives each claim to one assessor and puts urgent and vulnerable customers' "
            "claims ahead of routine ones.",
            "The queue's order buries urgent cases",
            (
                "Refunds in the admin console",
                "Our support agents get a button in the internal admin console to refund an order without "
                "asking engineering.",
            ),
        ),
        (
            "Reading app moves to a new supplier",
            "Our audiobook lending moves to a new supplier when the contract ends: members install the new "
            "supplier's app and sign in with their library card; loans carry over.",
            "People must install the new supplier's app or sign in again",
            (
                "Catalogue records to a new supplier",
                "Our library catalogue records move to a new supplier's system when the contract ends; staff "
                "search it as before.",
            ),
        ),
        # session 12
        (
            "Watch films offline on the plane",
            "Subscribers of our streaming service can download films and series episodes to watch offline "
            "for up to 30 days, on two phones per account.",
            "DRM offline licences expire",
            (
                "Continue watching row",
                "Subscribers of our streaming app see a row of the series and films they started, on the "
                "app's home screen.",
            ),
        ),
        (
            "Book now, pay after the stay",
            "Guests booking a cabin on our site give their card and we place a hold on it; we charge them "
            "after checkout, once the housekeeping team confirms nothing is broken.",
            "The card hold lapses before the later charge",
            (
                "Pay for a cabin in two parts",
                "Guests booking a cabin pay a deposit by card at booking and the rest by card a week before "
                "arrival.",
            ),
        ),
        (
            "Refund when you drop the parcel off",
            "Shoppers returning shoes get their refund at the drop-off point as soon as the parcel is "
            "scanned, instead of when our warehouse checks it.",
            "Refunds paid before the return reaches us invite fraud",
            (
                "Refund to store credit",
                "Shoppers returning shoes can choose a refund to store credit with 10% extra, paid when our "
                "warehouse checks the return.",
            ),
        ),
        (
            "Two-step sign-in for sellers",
            "Sellers on our craft marketplace must set up two-step sign-in with an authenticator app before "
            "they can withdraw their balances.",
            "Someone already in an account enrols their own passkey or second factor first",
            (
                "Sellers sign in with Google",
                "Sellers on our craft marketplace can sign in with their Google account as well as their "
                "password.",
            ),
        ),
        (
            "Passkeys for the energy app",
            "Customers of our energy supplier can sign in to the app with a passkey instead of a password.",
            "People do not understand passkeys",
            (
                "Texted codes for the energy app",
                "Customers of our energy supplier confirm a new device with a code sent by text when they "
                "sign in to the app.",
            ),
        ),
        (
            "Live score alerts for the rugby club",
            "Supporters get push alerts for tries, half-time and full-time scores of the club's matches, "
            "within 20 seconds, from our match data provider.",
            "An alert goes out on a live event that is then corrected",
            (
                "Ticket sale alerts",
                "Supporters get a push alert when tickets for the next home fixture go on sale.",
            ),
        ),
        (
            "Picks for each child's profile",
            "The kids profiles of our video app get a row of shows picked for each child from what they "
            "watched, with nothing explicit allowed.",
            "Explicit or age-unsuitable items reach children's profiles",
            (
                "Picks from what you watched",
                "Adults on our video app get a row of shows picked from what they watched last month.",
            ),
        ),
        (
            "Regulars' favourites first in search",
            "Shoppers on our grocery app see the products they buy most at the top of search results, above "
            "sponsored products from suppliers.",
            "Personal ordering pushes out sponsored places",
            (
                "Search fixes typos",
                "Shoppers on our grocery app find products even when they mistype the name in search.",
            ),
        ),
        (
            "Wine delivered by our own drivers",
            "Customers can add wine and beer to their grocery order; our drivers hand them over at the door "
            "after checking the customer is over 18.",
            "Age-restricted items (alcohol, knives, medicines) are handed over without the ID check",
            (
                "Flowers delivered by our own drivers",
                "Customers can add flowers to their grocery order; our drivers hand them over at the door.",
            ),
        ),
        (
            "Five free articles a month",
            "Readers of our regional news site get five free articles a month; after that they need a "
            "digital subscription at £6 a month.",
            "Readers get round the meter or paywall",
            (
                "Digital subscription price rise",
                "Our regional news site's digital subscription goes up from £6 to £7 a month at renewal.",
            ),
        ),
        (
            "Skip one repayment",
            "Customers paying off a phone in 24 monthly instalments can skip one repayment a year from "
            "the app; the skipped amount is added to the last one and no late fee is charged.",
            "A moved or missed instalment turns into arrears",
            (
                "Pay off a phone early",
                "Customers paying off a phone in 24 monthly payments can pay off the rest by card from "
                "the app.",
            ),
        ),
        (
            "Pet insurance onto the bought policy system",
            "Our 90,000 pet insurance policies move to the policy administration system we bought, each "
            "one at its renewal, with cover limits, vet fee claims in progress and no-claims years carried "
            "over.",
            "A policy moved to the new system comes out different",
            (
                "Vet records onto the bought practice system",
                "Our 12 vet practices move their 40,000 pet records to the practice system we bought, with "
                "vaccination histories carried over.",
            ),
        ),
    ],
)
def test_a_risk_pms_expect_is_brought_by_the_words_that_call_for_it(
    plan_of: PlanOf, name: str, description: str, title: str, unlike: tuple[str, str]
) -> None:
    plan = plan_of(_spec(name, description))
    assert title in _titles(plan), _titles(plan)
    other = plan_of(_spec(*unlike))
    assert set(_ids(other)) & set(_ids(plan))  # a kind of change in common, without the situation
    assert title not in _titles(other)


def test_a_site_moved_to_a_new_domain_goes_back_to_its_old_address(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "The bakery shop gets a new domain name",
            "Our bakery's online shop moves to a new domain name after the rebrand: the old pages redirect "
            "to the same page at the new address, and orders and accounts keep working.",
        )
    )
    assert plan.rollback is not None and plan.rollback.mechanism == "restore_old_address"
    assert "redirect" in plan.rollback.switch
    assert plan.rollback.limits and [f for f in plan.findings if f.kind == "two_am_test"] == []
    assert "organic_search_traffic_drop" in {t.metric for t in plan.rollback.triggers}
    titles = _titles(plan)
    assert "Search traffic drops after the move" in titles
    assert "Changed URLs break inbound links" not in titles  # said once, by the move's own risk
    # the work is the domain, the redirects and the search engines, not new screens
    ids = {t.id for t in plan.tasks}
    assert {"domain-setup", "address-redirect-map", "search-change-of-address"} <= ids
    assert "ui-states-spec" not in ids
    # a changed email address moves no website
    other = plan_of(
        _spec(
            "Change your email address",
            "Customers of our bakery's online shop can change the email address on their account and confirm "
            "the new address by a link.",
        )
    )
    assert other.rollback is not None and other.rollback.mechanism != "restore_old_address"
    assert "Search traffic drops after the move" not in _titles(other)


def test_offline_downloads_bring_storage_and_staleness(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Offline episodes in the podcast app",
            "Listeners of our podcast app on iOS and Android can download episodes to play offline on the "
            "plane; an episode is about 80 MB. It ships in the next app release.",
        )
    )
    titles = _titles(plan)
    assert "Downloads fill the phone's storage and use mobile data" in titles
    assert "Downloaded content goes out of date or outlives the right to it" in titles
    online = plan_of(
        _spec(
            "Playback speed in the podcast app",
            "Listeners of our podcast app on iOS and Android can play episodes at 1.5 or 2 times speed. It "
            "ships in the next app release.",
        )
    )
    assert "Downloads fill the phone's storage" not in _titles(online)


def test_the_people_served_are_named_in_the_texts_own_word(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Two membership levels at the zoo",
            "Our zoo's one membership becomes two: Explorer with free entry and Keeper with free entry, "
            "guest passes and behind-the-scenes tours. Current members move at their renewal.",
        )
    )
    names = [s.name for s in plan.stakeholders]
    assert "Customers and end users (members)" in names
    # guest passes are a benefit of the membership, not something shared with other people
    assert "Invitations and shared links are used to spam or reach people outside the account" not in _titles(
        plan
    )
    # the plain words are the stakeholder's own name already
    plain = plan_of(
        _spec("Saved searches", "Users of our job board can save a search and get an email of new jobs.")
    )
    assert "Customers and end users" in [s.name for s in plain.stakeholders]


def test_season_ticket_holders_reselling_seats_is_no_price_change(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Resale of unused season seats",
            "Season ticket holders at our rugby club can list a seat they cannot use; another member buys it "
            "at face value and the ticket moves to the buyer's phone.",
        )
    )
    assert "pricing-packaging" not in _ids(plan)[:1]
    assert plan.rollback is not None and plan.rollback.mechanism != "restore_previous_plans"


def test_a_change_patients_meet_brings_the_clinical_lead(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Repeat prescriptions in the surgery app",
            "Patients of our GP surgeries can order their repeat prescriptions in the app; a pharmacist "
            "checks each order before it is sent to the pharmacy they chose.",
        )
    )
    assert "Clinical lead and clinical safety officer" in [s.name for s in plan.stakeholders]
    # GPS in a running app is no GP, and a freeze for members is no care
    for name, description in (
        (
            "Runs recorded with GPS",
            "Runners can record a run with the phone's GPS and see their pace per kilometre.",
        ),
        (
            "Freeze a membership",
            "Gym members can freeze their membership for up to three months, for example in pregnancy.",
        ),
    ):
        other = plan_of(_spec(name, description))
        assert "Clinical lead and clinical safety officer" not in [s.name for s in other.stakeholders]


def test_payouts_and_queues_have_triggers_of_their_own(plan_of: PlanOf) -> None:
    payouts = plan_of(
        _spec(
            "Daily payouts for tutors",
            "Tutors on our lessons marketplace are paid once a month today; they will get a payout every day "
            "for lessons taught, and refunds after a payout are taken from the next one.",
        )
    )
    assert payouts.rollback is not None
    assert {"negative_balance_count", "payout_failure_rate"} <= {t.metric for t in payouts.rollback.triggers}
    queue = plan_of(
        _spec(
            "Review queue for our underwriters",
            "Our staff who underwrite policies work from one shared list sorted oldest first; we are "
            "building a "
            "review queue that gives each case to one underwriter and puts urgent cases first.",
        )
    )
    assert queue.rollback is not None
    assert "queue_oldest_case_age" in {t.metric for t in queue.rollback.triggers}


def test_people_served_at_a_counter_bring_the_front_line_staff(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Click and collect lockers at the post office",
            "Customers can pick a locker at one of our branches when they order online; parcels that do not "
            "fit are handed over at the counter.",
        )
    )
    names = [s.name for s in plan.stakeholders]
    assert any(n.startswith("Front-line staff") for n in names), names


def test_a_yearly_refresher_for_staff_is_training_not_a_change(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Yearly food hygiene refresher for kitchen staff",
            "Our 40 restaurants run the yearly food hygiene refresher for about 600 kitchen staff: a "
            "one-hour "
            "session run by the head chefs, a short test, and a signed record per restaurant kept for "
            "inspections.",
        )
    )
    assert _ids(plan) == []
    assert any(f.kind == "low_coverage" for f in plan.findings)


# words read in the wrong sense before: each feature must not get the risk or trigger that sense
# brought (a kind of change, a risk title, a trigger metric; any may be None)
@pytest.mark.parametrize(
    ("name", "description", "kind", "title", "metric"),
    [
        # a returned item put back on the shelf sells nothing from stock
        (
            "Returns booked in with a scanner",
            "Staff at our warehouse book in customer returns with a handheld scanner instead of a paper "
            "form: the item's condition is recorded and it is put back in stock or sent for repair.",
            None,
            "The new choice at ordering or checkout lowers conversion or slows the order flow",
            "checkout_conversion_drop",
        ),
        # a webhook through a message queue is no message to people
        (
            "Webhook deliveries through Kafka",
            "Our booking platform sends a webhook to partners' servers for every booking; the delivery "
            "workers move from our own message broker to a managed Kafka service, with a dead-letter queue.",
            None,
            "land in spam",
            "spam_complaint_rate",
        ),
        # a date that passes is no pass to check at the door
        (
            "Reminder when a library loan is overdue",
            "Borrowers of our library app get an alert on their phone each week once the due date passes "
            "with no return logged, until the book is back.",
            None,
            "Readers and staff cannot check passes without signal",
            None,
        ),
        # a text that says paying does not change gets no payments kind from its neighbours
        (
            "Clearer rent account pages",
            "Tenants signed in to their rent account see their balance, what is due on which date and their "
            "statements, on rebuilt pages that work on a phone. Nothing about how tenants pay changes; "
            "payments stay the same.",
            "payments-billing",
            "Payment failures or double charges",
            "double_charge_count",
        ),
        # session 12: a model that scores card purchases for fraud takes no money itself
        (
            "New fraud model for card purchases",
            "Every online card payment on our 800,000 debit cards is scored for fraud during "
            "authorisation; a new model trained on two years of confirmed fraud and chargebacks decides "
            "whether to approve or decline it.",
            None,
            "Payment failures or double charges",
            "double_charge_count",
        ),
        # payments shown, approved or blocked, never taken by the change: no double charge
        (
            "Bills due this month",
            "Customers of our bank see the direct debits and card subscriptions due to leave their account "
            "this month in the app, with the balance we expect after each one.",
            None,
            "Payment failures or double charges",
            "double_charge_count",
        ),
        (
            "Manager's PIN for till refunds",
            "Shop owners on our till app choose which staff may give refunds or big discounts; anyone else "
            "calls a manager, who approves on the same till with their PIN.",
            None,
            "Payment failures or double charges",
            "double_charge_count",
        ),
    ],
)
def test_words_in_another_sense_bring_nothing_of_that_sense(
    plan_of: PlanOf, name: str, description: str, kind: str | None, title: str, metric: str | None
) -> None:
    plan = plan_of(_spec(name, description))
    assert kind is None or kind not in _ids(plan)
    assert title not in _titles(plan)
    assert plan.rollback is not None
    assert metric is None or metric not in {t.metric for t in plan.rollback.triggers}


def test_a_change_to_how_the_service_runs_brings_the_operations_team(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Collection slots for the builders' merchant",
            "Trade customers pick a one-hour collection slot when they order online, and our warehouse "
            "teams at 12 depots pick the orders before the slot starts.",
        )
    )
    names = [s.name for s in plan.stakeholders]
    assert "Operations team and managers who run the service day to day" in names
    api = plan_of(
        _spec(
            "Version 3 routes of the orders API",
            "Partners calling our orders API get version 3 routes with cursor pages; version 2 keeps "
            "working.",
        )
    )
    assert "Operations team and managers who run the service day to day" not in [
        s.name for s in api.stakeholders
    ]


# ---- session 12 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description", "mechanism"),
    [
        # offered beside the password: nothing enforced, a flag hides it again
        (
            "Email sign-in links for readers",
            "Readers of our news site can ask for a sign-in link by email instead of typing their "
            "password; passwords keep working for anyone who prefers them.",
            "flag_off",
        ),
        (
            "Fingerprint sign-in in the pharmacy app",
            "Customers can add a passkey and sign in with their fingerprint or face; the code by text "
            "stays for new phones and account recovery.",
            "flag_off",
        ),
        # made the only way: lifting the enforcement is what undoes it
        (
            "Passkeys required for shop admins",
            "Every admin of a shop on our platform must sign in with a passkey from 1 May; passwords "
            "alone no longer work for admin accounts.",
            "lift_enforcement",
        ),
    ],
)
def test_a_sign_in_offered_beside_the_old_one_is_undone_by_its_flag(
    plan_of: PlanOf, name: str, description: str, mechanism: str
) -> None:
    plan = plan_of(_spec(name, description))
    assert _ids(plan)[:1] == ["identity-access"]
    assert plan.rollback is not None and plan.rollback.mechanism == mechanism
    if mechanism == "flag_off":
        assert plan.rollout.strategy == "percentage_ramp"
        assert any("removed their password" in limit for limit in plan.rollback.limits)
        assert [f for f in plan.findings if f.kind == "two_am_test"] == []
    else:
        assert plan.rollout.strategy == "cohort_ramp"


def test_a_new_app_version_whose_old_one_keeps_working_is_released_not_blocked(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Tram app 6: live departures",
            "Our tram app gets version 6 on iOS and Android with live departures and saved journeys. "
            "Version 5 keeps working for two months, then people are asked to update.",
        )
    )
    assert _ids(plan)[:1] == ["mobile-release"]
    assert plan.rollout.strategy == "staged_app_release"
    assert plan.rollback is not None and plan.rollback.mechanism == "halt_release"


def test_a_business_partner_is_not_the_word_for_the_people_served(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Roadside help button",
            "The breakdown app gets a help button that calls our recovery partner with the car's "
            "location; drivers on the roadside see when the truck will arrive.",
        )
    )
    names = [s.name for s in plan.stakeholders]
    assert "Customers and end users (partners)" not in names


def test_our_own_sign_in_moved_to_a_vendor_with_scim_is_still_a_vendor_move(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Sign-in moves from Cognito to Okta",
            "Our booking site's 900,000 accounts sign in through Amazon Cognito; we are moving to Okta "
            "Customer Identity for enterprise single sign-on and SCIM provisioning, importing password "
            "hashes so nobody has to reset a password.",
        )
    )
    assert "vendor-migration" in _ids(plan)


def test_an_app_on_managed_staff_devices_goes_site_by_site_through_device_management(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Table-side ordering on the waiters' tablet app",
            "The tablet app our waiters use in 30 restaurants gets table-side ordering that goes straight "
            "to the kitchen printer; the tablets are managed by our device management system.",
        )
    )
    assert _ids(plan)[:1] == ["mobile-release"]
    # never the public stores' phased release: the MDM's site groups, and back the same way
    assert plan.rollout.strategy == "cohort_ramp"
    assert "device-management" in plan.rollout.summary
    assert plan.rollback is not None and plan.rollback.mechanism == "redeploy_previous"
    assert [f for f in plan.findings if f.kind == "two_am_test"] == []
    # an app pushed through device management passes no store's review
    assert "App store review delays the mobile release" not in _titles(plan)
    assert "App store review (Apple, Google)" not in [s.name for s in plan.stakeholders]


def test_colleagues_at_a_supermarkets_collection_point_go_site_by_site(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Order ready screen at the collection point",
            "At our 90 supermarkets, colleagues at the click and collect point see on a screen which "
            "customers have arrived and which totes to bring out, instead of a printed list.",
        )
    )
    assert plan.rollout.strategy == "cohort_ramp"
    assert "site by site" in plan.rollout.summary


def test_known_features_of_no_kind_drop_only_a_kind_the_rules_read_unsurely() -> None:
    from eval.score import HERE, leave_out, load_features

    # a short text whose nearest known features are work of no kind (hiring plans, budget
    # reviews): its vendor move leads by priority and is read less surely than the payments kind
    # beside it, and the surest reading decides whether those features may drop the change
    feature = next(f for f in load_features(HERE / "heldout2.toml") if f.id == "avalara-tax-calc")
    changes = leave_out(load_catalog(), feature.set).changes
    reading = changes.read(feature.inputs["feature_name"], feature.inputs["description"])
    assert [d.profile.id for d in reading.kinds][:2] == ["vendor-migration", "payments-billing"]
    assert reading.dropped is None


def test_the_media_partners_a_text_names_are_stakeholders(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Consent before targeted podcast ads",
            "Listeners in the EU are asked for consent before ads are targeted; we stop passing listener "
            "ids to the three ad exchanges for those who decline.",
        )
    )
    assert any("ad exchanges" in s.name.lower() for s in plan.stakeholders), [
        s.name for s in plan.stakeholders
    ]


@pytest.mark.parametrize(
    ("name", "description", "kind", "mechanism"),
    [
        # a new API, or a new version beside the old: served behind a flag, turned off again
        (
            "Tracking API for shops",
            "Shops that send parcels with us can pull each parcel's tracking events into their own "
            "systems through a new API, with a key per shop.",
            "public-api-sdk",
            "flag_off",
        ),
        (
            "Timetable feed version 2",
            "Journey planners get version 2 of our timetable feed in GTFS beside version 1, with "
            "platform numbers and live delays.",
            "public-api-sdk",
            "flag_off",
        ),
        # what existing callers get changes: routing them back is the way back
        (
            "Switch off version 1 of the timetable feed",
            "Journey planners still call version 1 of our timetable feed; after two brownouts we switch "
            "version 1 off for good at the end of March.",
            "public-api-sdk",
            "route_to_previous_version",
        ),
        # session 28: details made private or hidden from public pages: nothing is deleted, the flag
        # shows them as before; a deletion is not undone by a flag
        (
            "Members' profiles private by default",
            "On our running club platform every member's profile, with their name, photo and race "
            "times, is public today. From May profiles become private by default, shown only to "
            "members of the same club, and members can make theirs public again.",
            "privacy-compliance",
            "flag_off",
        ),
        (
            "Delete old member profiles",
            "Profiles of members who left more than two years ago will be deleted every night, and "
            "hidden from public pages until then.",
            "privacy-compliance",
            "pause_and_restore",
        ),
    ],
)
def test_an_api_or_a_rule_added_beside_the_old_one_is_undone_by_its_flag(
    plan_of: PlanOf, name: str, description: str, kind: str, mechanism: str
) -> None:
    plan = plan_of(_spec(name, description))
    assert _ids(plan)[:1] == [kind]
    assert plan.rollback is not None and plan.rollback.mechanism == mechanism
    assert [f for f in plan.findings if f.kind == "two_am_test"] == []


def test_access_given_in_a_new_way_with_nothing_enforced_is_undone_by_its_flag(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Dental practice managers manage their own staff's logins",
            "Today our 150 dental practices email our support desk to create a login for each new "
            "nurse. Give each practice manager a screen to invite staff, choose their role and "
            "permissions, and close a login when someone leaves.",
        )
    )
    assert _ids(plan)[:1] == ["identity-access"]
    assert plan.rollback is not None and plan.rollback.mechanism == "flag_off"
    assert any("access report" in limit for limit in plan.rollback.limits)
    # by account in waves, and no phase says anything is enforced
    assert plan.rollout.strategy == "cohort_ramp"
    assert not any("nforce" in p.name for p in plan.phases)
    assert [f for f in plan.findings if f.kind == "two_am_test"] == []


# --- session 13 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Book a bulky rubbish collection online",
            "Residents book and pay for a collection of old furniture online; today they phone the "
            "council and pay at the counter.",
        ),
        (
            "Choir members confirm sign-in with a second step",
            "Every member of our community choir signs in to the rehearsal app with a text code "
            "as well as their password.",
        ),
    ],
)
def test_a_public_service_moved_online_names_the_people_it_shuts_out(
    plan_of: PlanOf, name: str, description: str
) -> None:
    plan = plan_of(_spec(name, description))
    # said once, whether by the cross-cutting risk or by the facet of a manual step moved online
    shut_out = [r for r in plan.risks if "no smartphone" in r.title or "without a smartphone" in r.title]
    assert len(shut_out) == 1 and "phone, paper" in shut_out[0].mitigation


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Move the booking database to managed Postgres",
            "Move the booking database for our online bookings to a managed Postgres cluster in "
            "a weekend window; residents cannot book while it moves.",
        ),
        (
            "Partner API for tee times",
            "Golf booking partners call our API to book tee times online for their members.",
        ),
    ],
)
def test_a_database_move_or_an_api_shuts_nobody_out(plan_of: PlanOf, name: str, description: str) -> None:
    titles = _titles(plan_of(_spec(name, description)))
    assert "People without a smartphone" not in titles


def test_a_tool_staff_must_adopt_says_so(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Brew log on the brewhouse tablet",
            "Brewers record each batch's temperatures and gravity readings on a tablet screen in "
            "the brewhouse instead of the paper log sheet.",
        )
    )
    assert "internal-tooling" in _ids(plan)
    risk = next(r for r in plan.risks if "real workflow" in r.title)
    assert "do not adopt it" in risk.title and "track adoption" in risk.mitigation


def test_what_is_in_stock_named_outright_is_selling_from_stock(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Plants available at your garden centre",
            "Customers can see in the app which plants are in stock at each of our garden "
            "centres before they drive over.",
        )
    )
    assert "Stock figures are wrong or late" in _titles(plan)


def test_a_stock_feed_for_resellers_has_no_checkout_of_its_own(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Stock levels feed version 2",
            "Resellers pull our stock levels and prices from our feed every few minutes; version 2 "
            "adds stock per depot.",
        )
    )
    assert "checkout" not in _titles(plan).lower()
    assert plan.rollback is not None
    assert "checkout_conversion_drop" not in {t.metric for t in plan.rollback.triggers}


# session 13: a veto or about-guard word (a meeting, a rota, an office) inside a product people
# use is what the product is about: "in our software", "forms online", "instead of phoning"...
@pytest.mark.parametrize(
    ("name", "description", "leads"),
    [
        (
            "Clients pick their own meeting time",
            "Accountants using our practice software can send a client a link to pick a meeting "
            "slot from the free times in their calendar.",
            False,
        ),
        (
            "Club members sign the trip forms online",
            "Parents sign the trip consent forms online instead of paper forms handed in at the "
            "weekly meeting.",
            False,
        ),
        # a guard word in the name, lifted by the product named as where the thing happens
        (
            "Two carers on one visit in the rota",
            "Home care agencies plan each carer's rota in our software. Some clients need two "
            "carers at once, so a visit will hold two carers and show on both of their rotas.",
            True,
        ),
        # "our sales office" is today's way, not the work, when the product replaces it; its own
        # words read the product weakly, so whether a plan reads it is the known features' call
        # (8 of its 13 nearest are product features since session 14's sets came in, one short of
        # what gives a kind): only the lifted veto is asserted
        (
            "Hold timber from one delivery",
            "Builders see how much of each timber delivery is left in our yard and hold a quantity "
            "against their order, instead of phoning our sales office.",
            None,
        ),
    ],
)
def test_a_veto_word_inside_a_product_people_use_is_what_the_product_is_about(
    plan_of: PlanOf, name: str, description: str, leads: bool | None
) -> None:
    assert "product-feature" in load_catalog().changes.open_kinds(name, description)
    if leads is None:
        return
    ids = _ids(plan_of(_spec(name, description)))
    assert "product-feature" in ids
    if leads:
        assert ids[:1] == ["product-feature"]


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Quarterly meeting with our top suppliers",
            "Hold a half-day meeting in our office with our ten biggest suppliers to agree next "
            "year's delivery plans.",
        ),
        # "using our" says who the product's users are, not where the work happens
        (
            "Weekend support rota for January",
            "Sole traders using our invoicing software write to us at weekends in January. Set up "
            "a paid weekend rota for the support team with a handover routine.",
        ),
        (
            "Move the sales office to the new building",
            "The sales team moves to the second floor of the new building in May; customers keep "
            "the same number instead of phoning a new one.",
        ),
        # an office moved and branches closed are people's work (session 15)
        (
            "Move the design agency to the mill building",
            "Our 30-person agency moves from a coworking space to the top floor of the old mill in "
            "August: desks for 30 staff, a meeting room and a photo studio; the fit-out contractor "
            "needs the layout agreed by May.",
        ),
        (
            "Close four of our garden centres",
            "We close 4 of our 22 garden centres over the winter: customers get 12 weeks' notice, "
            "plants are moved to the nearest centre, and 60 staff are offered redeployment or "
            "redundancy.",
        ),
    ],
)
def test_work_that_only_mentions_a_product_is_still_no_change(
    plan_of: PlanOf, name: str, description: str
) -> None:
    assert _ids(plan_of(_spec(name, description))) == []


# the triggers PMs named for a kind of work, with where their numbers come from: help desk volume
# for a sign-in change (session 13); a daily reconciliation for records kept in step, calls beside
# tickets, a deletion run's database load instead of a page's latency (session 14); the staff's
# backlog and turnaround when the system they work in moves (session 15)
@pytest.mark.parametrize(
    ("name", "description", "metric", "says", "absent"),
    [
        (
            "Two-step sign-in for every clinic account",
            "Every member of staff at our 60 clinics must confirm each sign-in with an "
            "authenticator app from 1 March.",
            "access_support_tickets",
            "help desk",
            None,
        ),
        (
            "Orders kept in sync with the warehouse system",
            "Web orders will be kept in sync with the warehouse management system both ways: new "
            "orders go into it within a minute and dispatch updates come back to the order page.",
            "sync_mismatch_count",
            "reconciliation",
            None,
        ),
        (
            "Tenants see their rent balance online",
            "Tenants can see their rent balance and the last 12 payments on our website instead of "
            "phoning the rent team.",
            "feature_support_tickets",
            "calls",
            None,
        ),
        (
            "Delete lapsed gym members' records after two years",
            "Members who left more than two years ago will have their personal records deleted "
            "for good by a nightly job, as our retention policy says; about 80,000 records.",
            "deletion_run_db_load",
            "lock waits",
            "p95_latency_increase",
        ),
        (
            "Move the housing repairs team to a new job system",
            "Our 45 repairs planners and 120 operatives move from the old repairs system to a new "
            "supplier's job system over one weekend, with 9,000 open jobs carried across.",
            "staff_work_backlog_growth",
            "turnaround",
            None,
        ),
    ],
)
def test_a_kind_of_work_is_held_on_the_triggers_pms_name(
    plan_of: PlanOf, name: str, description: str, metric: str, says: str, absent: str | None
) -> None:
    plan = plan_of(_spec(name, description))
    assert plan.rollback is not None
    trigger = next(t for t in plan.rollback.triggers if t.metric == metric)
    # what the trigger counts (its unit) or where the number comes from (its source)
    assert says in f"{trigger.unit} {trigger.source}"
    if absent is not None:
        assert absent not in {t.metric for t in plan.rollback.triggers}


def test_money_taken_is_watched_for_refunds_and_disputes_and_money_shown_is_not(plan_of: PlanOf) -> None:
    taken = plan_of(
        _spec(
            "Pay for the course in three instalments",
            "Learners can pay for a course by card in three monthly instalments, charged on the "
            "same day each month.",
        )
    )
    shown = plan_of(
        _spec(
            "Show the minimum due on the card statement page",
            "Cardholders see the minimum due and the date it leaves their account on the "
            "statement page of the app.",
        )
    )
    assert taken.rollback is not None and shown.rollback is not None
    assert "refund_dispute_rate_increase" in {t.metric for t in taken.rollback.triggers}
    assert "refund_dispute_rate_increase" not in {t.metric for t in shown.rollback.triggers}


def test_places_booked_online_are_watched_for_no_shows_and_double_bookings(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Book a slot at the recycling centre online",
            "Residents book a 15-minute time slot online before they drive to the recycling "
            "centre; each slot has room for 12 cars.",
        )
    )
    assert plan.rollback is not None
    units = {t.metric: t.unit for t in plan.rollback.triggers}
    assert "no-shows" in units["late_cancellation_rate"]
    assert "double bookings" in units["overbooked_slot_count"]


def test_ai_outputs_overridden_in_review_count_against_the_model(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Draft replies to customer emails with AI",
            "An LLM drafts a reply to each customer email and an agent edits or rejects it before "
            "it is sent.",
        )
    )
    assert plan.rollback is not None
    units = {t.metric: t.unit for t in plan.rollback.triggers}
    assert "overridden" in units["bad_output_report_rate"]


def test_a_feature_that_hands_out_value_is_gamed_and_still_gets_its_security_review(
    plan_of: PlanOf,
) -> None:
    vouchers = plan_of(
        _spec(
            "Gift vouchers for cookery classes",
            "Customers buy a gift voucher online for any amount and the person who receives it "
            "redeems the code against a class.",
        )
    )
    assert "People game or defraud" in _titles(vouchers)
    plan = plan_of(
        _spec(
            "Donors book sessions in the app",
            "Blood donors book appointments by phone today. Our iOS and Android app will let them "
            "book, move or cancel a session at a nearby centre; donors who are not yet eligible "
            "cannot book.",
        )
    )
    titles = _titles(plan)
    assert "People game or defraud" in titles
    # the abuse risk does not stand in for the security and privacy review of the new surface
    assert "without a security and privacy check" in titles


def test_an_app_used_where_the_network_is_poor_plans_for_no_signal(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Match scores entered pitchside",
            "Referees enter goals and substitutions in our app from the pitchside during "
            "grassroots matches, instead of on a paper sheet sent in after the game.",
        )
    )
    # a paper step moved into the app is a product change, whoever the people are
    assert _ids(plan)[:1] == ["product-feature"]
    assert "No signal or Wi-Fi where" in _titles(plan)


def test_a_feature_that_works_out_due_dates_plans_for_weekends_and_bank_holidays(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Next-day delivery before the cut-off",
            "Customers can choose next-day delivery in the app when they order before the 4pm cut-off.",
        )
    )
    risk = next(r for r in plan.risks if r.title.startswith("Due dates, deadlines and cut-offs"))
    assert "bank holiday" in risk.mitigation


def test_consumer_plans_meet_the_rules_on_showing_prices_and_business_plans_do_not(
    plan_of: PlanOf,
) -> None:
    consumer = plan_of(
        _spec(
            "Three membership plans for the climbing wall",
            "Climbers choose between off-peak, standard and family membership plans paid monthly "
            "instead of paying per visit.",
        )
    )
    business = plan_of(
        _spec(
            "Per-seat plans for the enterprise tier",
            "Enterprise customers move from a flat fee to per seat plans billed monthly.",
        )
    )
    assert "how prices are shown" in _titles(consumer)
    assert "how prices are shown" not in _titles(business)


# the people a feature's own words bring in: the operations team of a service run from an airport
# or a stadium, finance where credit notes move, legal for tenancies (session 13); the cloud
# provider of a move to the cloud, the supplier of the system moved, the quality manager for batch
# and lot records (session 14)
@pytest.mark.parametrize(
    ("name", "description", "group"),
    [
        (
            "Gate changes pushed to passengers",
            "Passengers at the airport get a push message in our app when their gate changes.",
            "operations",
        ),
        (
            "Credit notes for damaged deliveries",
            "Customers can report a damaged item in the app and get a credit note against their "
            "next order without calling us.",
            "finance",
        ),
        (
            "Renew your tenancy in the app",
            "Tenants can read and accept their tenancy renewal in the app instead of signing "
            "paper copies at the branch.",
            "legal",
        ),
        (
            "Move the ticketing servers to the cloud",
            "The ticketing system our box office uses moves from the server room under the stage "
            "to the cloud over one night in January, with its database copied ahead.",
            "cloud-provider-support",
        ),
        (
            "Move the library's catalogue servers to the new data centre",
            "The library catalogue and loans system, run by its supplier on our servers, moves "
            "to the council's new data centre over a weekend, with its database copied ahead.",
            "system-supplier",
        ),
        (
            "Batch records on tablets at the bakery",
            "Line leaders at our bakery will fill in batch records and lot numbers on tablets "
            "instead of paper sheets, so a recall can be traced in minutes.",
            "quality",
        ),
    ],
)
def test_the_texts_own_words_bring_in_the_people_who_run_it(
    plan_of: PlanOf, name: str, description: str, group: str
) -> None:
    assert group in {s.group for s in plan_of(_spec(name, description)).stakeholders}


def test_a_supplier_named_in_the_text_is_a_stakeholder_unless_the_change_moves_vendors(
    plan_of: PlanOf,
) -> None:
    named = plan_of(
        _spec(
            "Car park barriers read season permits from the app",
            "Season permit holders show a code in our app at the barrier; the barrier supplier "
            "adds a reader to each of the 14 car parks.",
        )
    )
    moved = plan_of(
        _spec(
            "Move our SMS sending to a new provider",
            "Switch our appointment texts from the old SMS vendor to a new provider before the "
            "contract ends in June.",
        )
    )
    assert "suppliers" in {s.group for s in named.stakeholders}
    assert "vendor-migration" in _ids(moved)
    assert "suppliers" not in {s.group for s in moved.stakeholders}


# ---- session 14: the senses the read blind sets (insurance, property, HR, legal) showed -------


def test_an_insurers_underwriters_are_not_lending_and_a_mortgage_underwriter_is() -> None:
    insurer = _facets(
        "Move the claims platform to a new data centre",
        "The system our 400 underwriters and claims handlers use to price and settle motor "
        "policies moves to a new data centre over one weekend.",
        ["infra-cutover"],
    )
    lender = _facets(
        "Faster mortgage underwriting",
        "Our underwriters will see an applicant's income and outgoings on one screen, so a "
        "mortgage loan decision takes a day instead of a week.",
        ["product-feature"],
    )
    assert "checks-credit" not in insurer
    assert "checks-credit" in lender


def test_a_paper_sign_in_sheet_is_no_sign_in_change(plan_of: PlanOf) -> None:
    name = "Yearly first-aid day for our drivers"
    description = (
        "Organise the yearly first-aid day at the depot for 60 drivers: the four hours of first "
        "aid the regulator requires, sign-in and sign-out sheets so each driver's hours can be "
        "reported, and certificates posted within two weeks."
    )
    # the rules alone, before the known features are heard: no sign-in change
    assert "identity-access" not in _kinds(name, description)
    assert _ids(plan_of(_spec(name, description))) == []


def test_people_who_pick_their_own_slot_from_a_link_is_a_product_feature() -> None:
    name = "Self-scheduling for recruitment interviews"
    description = (
        "Hiring teams send each applicant a link showing free times from the panel's "
        "calendars; the applicant picks a slot and everyone gets the invite. Applicants can "
        "reschedule up to 12 hours before."
    )
    # the cut-off's number is any number (a guard's "#", session 15)
    later = description.replace("12 hours", "36 hours")
    ids = _kinds(name, description)
    assert "product-feature" in ids
    # scheduling an interview is a booking, not a job that runs on a timer
    assert "scheduled-jobs" not in _facets(name, description, ids)
    assert "scheduled-jobs" not in _facets(name, later, ids)


# session 14: kinds of change said in other words than the kind's own: an interface for other
# organisations' systems, documents found by any word, texts to workers, a queue that hands cases
# to our staff, a draft a person edits, AI and search described without their words. `first`:
# the kind leads; otherwise it is read at all (whether texts or what they tell of leads is a coin
# toss among PMs, and a draft for recruiters may lead as a product)
@pytest.mark.parametrize(
    ("name", "description", "kind", "first"),
    [
        (
            "Accounting software files VAT returns with us directly",
            "Today accountants type each return into our web form. We will publish a documented "
            "interface and a sandbox so that accounting software suppliers can file returns "
            "machine-to-machine and get errors back at once.",
            "public-api-sdk",
            True,
        ),
        (
            "Find planning decisions by what they say",
            "Residents can only look up planning decisions by reference number today. They will "
            "find decisions by any words in the text, and see related decisions beside each one.",
            "search-recommendations",
            True,
        ),
        (
            "Shift changes by text for warehouse workers",
            "Warehouse workers hear about shift changes only on the noticeboard. They will get "
            "texts when a shift they work is moved or cancelled.",
            "notifications-messaging",
            False,
        ),
        (
            "Assignment queue for building inspectors",
            "Our 30 building inspectors take new complaints from a shared spreadsheet. We will "
            "build an assignment queue in our case system that gives each complaint to one "
            "inspector by area and workload.",
            "internal-tooling",
            True,
        ),
        (
            "Draft job adverts for recruiters",
            "When a recruiter opens a new vacancy, a generated first draft of the advert will "
            "appear, written from the role profile and the hiring manager's notes; the recruiter "
            "must edit and approve it before it is posted.",
            "ml-llm",
            False,
        ),
        (
            "Match a paint colour from a photo",
            "Customers take a photo of a cushion or a wall and we suggest the three closest of our "
            "60 paint colours, with a free tester pot.",
            "ml-llm",
            True,
        ),
        (
            "Ask the staff handbook a question",
            "Staff type a question about leave, expenses or travel and get a short answer drawn "
            "from the handbook and policy pages, with a link to the page it came from.",
            "ml-llm",
            True,
        ),
        (
            "Delivery notes checked before booking in",
            "A new assistant reads each supplier's delivery note and tells the goods-in clerk "
            "which lines do not match the purchase order before the delivery is booked in.",
            "ml-llm",
            True,
        ),
        (
            "Find a tent by the pitch you have booked",
            "Campers on our outdoor shop's website enter the size of their pitch and how many will "
            "sleep in it, and see which of our 200 tents fit, best rated first.",
            "search-recommendations",
            True,
        ),
        (
            "Filing status lookup for accountancy firms",
            "Firms phone us to ask whether a client's return has been filed. We will give each "
            "firm keys to an authenticated lookup that returns a return's status by reference.",
            "public-api-sdk",
            True,
        ),
        (
            "Parking by the minute",
            "Drivers in our 40 car parks will pay per minute instead of by the hour from 1 June, "
            "shown at the barrier and in the app.",
            "pricing-packaging",
            True,
        ),
    ],
)
def test_a_kind_said_in_other_words_is_read(name: str, description: str, kind: str, first: bool) -> None:
    kinds = _kinds(name, description)
    if first:
        assert kinds[:1] == [kind]
    else:
        assert kind in kinds


def test_money_paid_to_mobile_wallets_can_go_astray_and_is_not_card_fraud(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "School bursaries paid to parents' phones",
            "Each term, 3,000 parents are paid their child's bursary to their M-Pesa wallet "
            "automatically once the school confirms attendance.",
        )
    )
    titles = _titles(plan)
    assert "payments-billing" in _ids(plan)
    assert "Money sent out goes to a wrong, closed or mistyped account, wallet" in titles
    assert "Card testing" not in titles


def test_an_insurer_meets_its_rulebook_and_a_clinic_billing_insurers_does_not(plan_of: PlanOf) -> None:
    insurer = plan_of(
        _spec(
            "Add a caravan to your home insurance online",
            "Policyholders can add a touring caravan to their home insurance policy online and "
            "pay the extra premium for the rest of the year, instead of phoning us.",
        )
    )
    clinic = plan_of(
        _spec(
            "Bill insurers directly for physiotherapy",
            "Our 12 physiotherapy clinics will bill health insurers directly for insured patients "
            "instead of patients paying and claiming the money back.",
        )
    )
    assert "Insurance rules apply" in _titles(insurer)
    assert "Insurance rules apply" not in _titles(clinic)


# session 14: risks a kind of work brings, whatever the sector's words: a sector's rulebook,
# licences of content used anew, shared logins retired, a model that reads outsiders' text for a
# person to sign, a forecast its users must trust. Session 15: devices out in the world that must
# reconnect to a moved system, a forecast judged on the days that matter and on how often people
# change its figures, tax relief claimed on gifts, a text or screen that reaches people at the wheel,
# photos taken as proof, a score that decides how people's applications are checked, amounts paid
# out worked out from deliveries, an interface others' live operations depend on, plates and codes
# read by a camera; with the trigger the kind of work brings
@pytest.mark.parametrize(
    ("name", "description", "kind", "titles", "metric"),
    [
        (
            "Clients sign engagement letters online",
            "Clients of our 90-lawyer firm will read and sign their engagement letter and pay "
            "money on account online before the solicitor opens the matter.",
            None,
            ("Lawyers' professional rules apply",),
            None,
        ),
        (
            "Practise along with the original recording",
            "Pupils in our music lessons app can play along with the original recording of each "
            "song, slowed down to half speed, with the lyrics shown on screen.",
            None,
            ("The licences for the content or data",),
            None,
        ),
        (
            "Every warehouse picker signs in with their own login",
            "Pickers at our four warehouses share one login per scanner today. Each picker will "
            "sign in with their own login and a PIN, so we know who picked each order.",
            "identity-access",
            (
                "Retiring the shared login breaks what still runs on it",
                "Named logins are not kept up to date as people join, move and leave",
            ),
            None,
        ),
        (
            "AI summaries of objections to licence applications",
            "Licensing officers get an AI-drafted summary of the objections residents send about "
            "each premises licence application; the officer must edit and approve it before it "
            "goes to the committee.",
            "ml-llm",
            ("(prompt injection)", "(automation bias)"),
            None,
        ),
        (
            "Forecast tomorrow's bread orders for each shop",
            "A model will forecast how many loaves each of our 40 shops should bake tomorrow from "
            "past sales and the weather; shop managers can accept or change the figure.",
            "ml-llm",
            ("The people who act on the prediction do not trust it",),
            None,
        ),
        (
            "Move the parking meters to a new back office",
            "Our 2,400 street parking meters send payments over 4G to a back office whose contract "
            "ends in May; we will reconfigure every meter to connect to the new supplier's "
            "platform before then.",
            "vendor-migration",
            ("Devices in the field do not reconnect to the new system",),
            "devices_not_reconnected",
        ),
        (
            "Building sensors report to our own cloud",
            "The 9,000 temperature and occupancy sensors in our tenants' offices connect to a "
            "broker in our server room; we will move the broker and the readings database to our "
            "cloud account and re-point the sensors by host name.",
            "infra-cutover",
            ("Devices in the field do not reconnect to the new system",),
            "devices_not_reconnected",
        ),
        (
            "Call centre staffing forecast",
            "Team leaders plan each day's advisers by hand. A forecast learned from two years of "
            "call volumes and the school holidays will suggest how many advisers each half hour "
            "needs, and team leaders can adjust it before the rota is published.",
            "ml-llm",
            ("is wrong on the days that matter",),
            "forecast_override_rate",
        ),
        (
            "Donors get a tax receipt by email for every gift",
            "Donors to our food pantry will get a tax-deductible receipt by email within an hour of "
            "each gift, and a statement of the year's giving every January.",
            None,
            ("Tax relief on the gifts",),
            None,
        ),
        (
            "Freezer alarms for our school kitchens",
            "Each of our 60 school kitchens gets a probe in every freezer; the cook and the site "
            "manager get a text when a freezer is above -15°C for 20 minutes, and the catering "
            "manager is called if nobody acknowledges it within half an hour.",
            None,
            ("False alarms bury the real ones", "reaches nobody who can act"),
            "alerts_unacknowledged",
        ),
        (
            "Family court judgments published without names",
            "We will publish family court judgments online, with the names and addresses of "
            "children, victims and witnesses redacted from each PDF, the scanned older ones too.",
            "privacy-compliance",
            ("Redactions are missed", "Redaction can be undone", "Too much is hidden"),
            "unredacted_details_found",
        ),
        (
            "Loyalty data kept from partner brands until members agree",
            "Every loyalty member's purchases are shared with three partner brands today. We will "
            "stop the sharing until each member agrees in the app, let them withdraw at any time, "
            "and ask the partners to delete what they hold.",
            "privacy-compliance",
            ("Data keeps reaching partners without consent",),
            None,
        ),
        (
            "Erase lapsed alumni from the fundraising database",
            "Alumni with no contact for ten years will be erased from our fundraising database by "
            "a monthly job, keeping only a note of those who asked not to be contacted.",
            None,
            ("People erased are contacted again",),
            None,
        ),
        (
            "Bus drivers accept changed runs from the cab",
            "Bus drivers get a text when their next run changes and can accept it from the cab "
            "between stops; 600 drivers at 4 depots.",
            None,
            ("People use", "while driving"),
            None,
        ),
        (
            "Workshop check-in on a tablet",
            "Service advisers walk round each car with a tablet, photograph any damage and "
            "scratches, and the customer signs on the tablet before the keys are handed over.",
            None,
            ("do not settle disputes",),
            None,
        ),
        (
            "Grant applications checked by their risk score",
            "Each small-business grant application gets a risk score from a model trained on "
            "three years of past awards; low-scoring applications are paid with less evidence and "
            "high-scoring ones get extra checks by an officer.",
            "ml-llm",
            ("The score decides how people's claims or applications are treated",),
            "errors_found_in_low_scores",
        ),
        (
            "Weekly earnings for delivery riders",
            "Riders are paid every Friday by direct deposit for the week's deliveries, with a "
            "statement per delivery showing distance pay, tips and the platform's fee deductions.",
            "payments-billing",
            ("The amounts paid out are worked out wrong",),
            None,
        ),
        (
            "Insurance check for car hire desks",
            "Car hire companies will get keys to an authenticated lookup that returns, in real "
            "time, whether a driving licence has endorsements, before each rental is handed over.",
            "public-api-sdk",
            ("Other organisations now depend on",),
            None,
        ),
        (
            "Gate entry by number plate at the recycling centre",
            "Cameras at the entrance of our three recycling centres will read each car's number "
            "plate and open the barrier for residents who booked a slot online.",
            None,
            ("Codes, plates or labels fail to read in real conditions",),
            "scan_fallback_rate",
        ),
    ],
)
def test_a_kind_of_work_brings_its_risks_whatever_the_sector(
    plan_of: PlanOf,
    name: str,
    description: str,
    kind: str | None,
    titles: tuple[str, ...],
    metric: str | None,
) -> None:
    plan = plan_of(_spec(name, description))
    if kind is not None:
        assert kind in _ids(plan)
    for title in titles:
        assert title in _titles(plan)
    if metric is not None:
        assert plan.rollback is not None
        assert metric in {t.metric for t in plan.rollback.triggers}


def test_radiologists_or_clerks_moved_to_a_new_system_must_relearn_it() -> None:
    name = "Move the pathology lab's reporting to a new supplier's system"
    description = (
        "The lab's 14 pathologists and 30 clerks report and file results in a system whose "
        "supplier leaves the market in June; the clerks will move to the new supplier's system "
        "over one weekend."
    )
    assert "staff-move-system" in _facets(name, description, ["vendor-migration"])


def test_a_business_system_moved_under_its_staff_brings_their_operations_team(plan_of: PlanOf) -> None:
    moved = plan_of(
        _spec(
            "Move the case system to the cloud",
            "The case system our 120 court clerks use every day moves from our data centre to the "
            "cloud over one weekend, with its database copied ahead.",
        )
    )
    engine = plan_of(
        _spec(
            "Upgrade the orders database to PostgreSQL 16",
            "Upgrade the orders database from PostgreSQL 12 to 16 with logical replication and a "
            "cutover in a maintenance window.",
        )
    )
    assert "operations" in {s.group for s in moved.stakeholders}
    assert "operations" not in {s.group for s in engine.stakeholders}


# ---- session 15: what the read blind sets (agriculture, government, automotive, charities) showed -


# ...and the same words where that work is not done: servers that connect to a moved database are
# no devices out in the world; a weather forecast passed on is not our forecast; a price that
# falls below a shopper's figure is no reading crossing a threshold; drivers paying at a charger are
# not driving; a tutor's profile photo is no evidence; a sales lead's score decides no one's case;
# a virus scan reads no code; money paid out to sellers charges nobody twice; people reminded of a
# court hearing cannot churn
@pytest.mark.parametrize(
    ("name", "description", "kind", "title", "metric"),
    [
        (
            "Upgrade the orders database to PostgreSQL 16",
            "Upgrade the orders database from PostgreSQL 12 to 16 with a cutover in a maintenance "
            "window; the checkout servers connect to it by host name.",
            "infra-cutover",
            "Devices in the field",
            "devices_not_reconnected",
        ),
        (
            "Frost warnings for growers",
            "A model trained on ten years of our orchard sensors predicts frost at each orchard, "
            "and growers get a text when the weather forecast and the model both expect it.",
            "ml-llm",
            "is wrong on the days that matter",
            None,
        ),
        (
            "Price drop alerts",
            "Shoppers can save a product and get an email when its price falls below the price they set.",
            "product-feature",
            "False alarms bury the real ones",
            "alerts_unacknowledged",
        ),
        (
            "Pay per kWh at our chargers",
            "Drivers at our 300 chargers will pay per kWh instead of per minute, shown on the "
            "charger screen and in our app.",
            "pricing-packaging",
            "while driving",
            None,
        ),
        (
            "Profile photos and a video for tutors",
            "Tutors can add a profile photo and a short video introduction to their page, shown "
            "to parents who search for a tutor.",
            "product-feature",
            "do not settle disputes",
            None,
        ),
        (
            "Lead scores in the CRM",
            "Sales reps see a lead score for each new sign-up, from a model trained on two years "
            "of won and lost deals, and call the highest first.",
            "ml-llm",
            "The score decides how people's claims",
            "errors_found_in_low_scores",
        ),
        (
            "Virus scan for uploaded attachments",
            "Every attachment customers upload to a support ticket is given a virus scan before "
            "agents can open it; files that fail are quarantined.",
            "backend-api",
            "Codes, plates or labels fail to read",
            "scan_fallback_rate",
        ),
        (
            "Daily payouts for marketplace sellers",
            "Sellers on our craft marketplace get their payouts every day instead of every two "
            "weeks, sent to the bank account they gave us.",
            "payments-billing",
            "Payment failures or double charges",
            "double_charge_count",
        ),
        (
            "Court hearing reminders by text",
            "People due at the magistrates' court get a text reminder a week and a day before "
            "their hearing, with the address and what to bring.",
            "notifications-messaging",
            "churn",
            None,
        ),
    ],
)
def test_the_same_words_without_that_work_bring_none_of_it(
    plan_of: PlanOf, name: str, description: str, kind: str, title: str, metric: str | None
) -> None:
    plan = plan_of(_spec(name, description))
    assert kind in _ids(plan)
    assert title not in _titles(plan)
    assert plan.rollback is not None
    assert metric not in {t.metric for t in plan.rollback.triggers}


def test_a_forecast_learned_from_history_is_a_model_and_staff_trained_on_a_till_are_not() -> None:
    assert _kinds(
        "Bread orders filled in for each shop",
        "A forecast trained on three years of till sales and the weather will fill in each "
        "shop's bread order, which the manager can change.",
    )[:1] == ["ml-llm"]
    assert "ml-llm" not in _kinds(
        "Cashiers trained on the new till",
        "All 300 cashiers will be trained on the new till software before it goes live in March.",
    )


# session 15: a policy taken through consultation, an impact assessment and a council's or board's
# approval is people's work, even when it says when reminders are sent
@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "One complaints policy for the trust",
            "The board wants one complaints policy for all five hospitals by June: how we "
            "acknowledge, investigate and reply, and when we send reminders, with consultation "
            "with the patients' forum, an equality impact assessment and a board paper.",
        ),
        (
            "Council rent arrears policy",
            "A new rent arrears policy for our 11,000 tenancies: when reminders go out, when we "
            "offer a repayment plan and when cases go to court. It needs consultation with tenants' "
            "groups and a cabinet report in March.",
        ),
    ],
)
def test_a_policy_taken_through_consultation_and_approval_is_no_change(
    plan_of: PlanOf, name: str, description: str
) -> None:
    assert _ids(plan_of(_spec(name, description))) == []


def test_a_consent_banner_under_a_consulted_policy_is_still_a_change() -> None:
    assert "privacy-compliance" in _kinds(
        "Cookie consent banner under the new policy",
        "Our privacy policy changes in May after consultation with the regulator; the website's "
        "cookie banner will ask visitors before any analytics cookie is set.",
    )


# session 15: a facet a kind of change covers only when that kind leads (`not_primary`): a deletion
# job that PMs also call a data migration still deletes, messages sent beside another kind keep
# their risks; where the migration or the messaging leads, its own risks cover them
@pytest.mark.parametrize(
    ("name", "description", "facet", "kind", "other"),
    [
        (
            "Erase supporters who lapsed over seven years ago",
            "A nightly job will erase the personal details of supporters with no contact for seven "
            "years, keeping only anonymised giving totals for reporting.",
            "deletes-data",
            "privacy-compliance",
            "data-migration",
        ),
        (
            "Homeowners get a text when the technician sets off",
            "When a technician starts travelling to a job, the homeowner gets a text message with "
            "the technician's name and a link to follow the van on a map.",
            "sends-messages",
            "product-feature",
            "notifications-messaging",
        ),
    ],
)
def test_a_facet_stays_on_beside_the_kind_that_covers_it_when_that_kind_leads(
    name: str, description: str, facet: str, kind: str, other: str
) -> None:
    assert facet in _facets(name, description, [kind, other])
    assert facet not in _facets(name, description, [other, kind])


def test_sensitive_records_narrowed_to_a_few_with_a_code_by_text_is_access_not_messaging(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Only ward sisters see incident reports",
            "Every nurse on our 40 wards can open every incident report today. From May only the "
            "ward sisters will see them, for their own ward only, after a second sign-in step "
            "with an authenticator app or a text message code.",
        )
    )
    assert "identity-access" in _ids(plan)
    assert "notifications-messaging" not in _ids(plan)
    assert "Role or permission change grants access it should not" in _titles(plan)


@pytest.mark.parametrize(
    ("name", "description", "latency"),
    [
        # work run in batches while nobody waits on a page: no page latency to watch (session 15)
        (
            "Move the gym's membership direct debits to a new bureau",
            "Our 30,000 gym members pay monthly by direct debit through a bureau whose contract "
            "ends in June; move every mandate to the new bureau without members signing again.",
            False,
        ),
        (
            "Send renewal letters through a new mail house",
            "Our 200,000 yearly renewal letters will be printed and posted by a new mail house "
            "from a file we send each night.",
            False,
        ),
        # a checkout people wait on keeps it
        (
            "Move card checkout to a new payment provider",
            "Customers pay by card at checkout; move the checkout to a new payment provider's "
            "hosted fields before our contract with the old one ends.",
            True,
        ),
    ],
)
def test_a_pages_latency_is_watched_only_where_someone_waits_on_a_page(
    plan_of: PlanOf, name: str, description: str, latency: bool
) -> None:
    plan = plan_of(_spec(name, description))
    assert plan.rollback is not None
    assert ("p95_latency_increase" in {t.metric for t in plan.rollback.triggers}) is latency


def test_a_progressive_web_app_is_no_app_store_release_unless_native_apps_ship_beside_it(
    plan_of: PlanOf,
) -> None:
    # the whole reading (rules and known features): the known offline field apps are app releases
    pwa = _ids(
        plan_of(
            _spec(
                "Delivery drivers' run sheet works offline as a PWA",
                "Our 300 delivery drivers open today's run sheet in the browser on their phones; "
                "make it a PWA that works offline in rural areas and syncs proof of delivery when "
                "back in signal.",
            )
        )
    )
    assert "mobile-release" not in pwa and "ui-frontend" in pwa
    native = _ids(
        plan_of(
            _spec(
                "Offline mode in our apps",
                "Release version 5 of our iOS and Android apps through the App Store and Google "
                "Play with offline mode, and bring the same to our PWA.",
            )
        )
    )
    assert native[:1] == ["mobile-release"]


# ---- session 16: what the read blind sets (media, banking, hospitality, construction) showed -----


def _metrics(plan: Plan) -> set[str]:
    assert plan.rollback is not None
    return {t.metric for t in plan.rollback.triggers}


def test_what_staff_type_again_into_another_system_is_their_tool_unless_the_public_goes_online() -> None:
    assert _kinds(
        "Claims logged once",
        "Our claims handlers re-key every broker's email into the claims system; they will "
        "log each claim once, where the broker's details are already filled in.",
    )[:1] == ["internal-tooling"]
    # the public's form that staff type up is replaced by the public's own online route: its
    # typing points to no staff tool at all, under the threshold too
    assert "internal-tooling" not in load_catalog().changes.own_words(
        "Renew a fishing licence online",
        "Anglers renew their rod licence online. Today they post a paper form and our licensing "
        "team types it into the licence system.",
    )


def test_two_way_said_apart_from_the_sync_is_an_integration() -> None:
    assert _kinds(
        "Two-way GitHub sync for support tickets",
        "Let support agents link a customer ticket to a GitHub issue so that status changes and "
        "comments flow both ways between our ticket queue and GitHub.",
    )[:1] == ["backend-api"]


def test_money_sent_to_others_brings_scams_and_abroad_brings_sanctions_and_the_rate(plan_of: PlanOf) -> None:
    home = plan_of(
        _spec(
            "Pay a friend by phone number",
            "Customers can send money to a friend from the app using only their phone number; "
            "the money arrives in seconds by Faster Payments.",
        )
    )
    assert "authorised push payment fraud" in _titles(home)
    assert "exchange rate moves" not in _titles(home)
    abroad = plan_of(
        _spec(
            "Send money to family abroad",
            "Customers can send money abroad to 20 countries from the app, with the exchange "
            "rate and fee shown before they confirm; transfers go out over SWIFT.",
        )
    )
    assert "sanctions" in _titles(abroad) and "exchange rate moves" in _titles(abroad)
    assert "transfers_returned_or_held" in _metrics(abroad)


def test_a_text_said_as_a_noun_to_a_passenger_brings_the_risks_of_texts(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Bus is coming text",
            "Passengers on our rural routes can ask to get a text when their bus is ten minutes "
            "away from their stop.",
        )
    )
    assert "Texts reach the wrong person" in _titles(plan)


def test_hotel_guests_are_customers_and_guests_of_a_board_share_it() -> None:
    assert "shares-access" not in _facets(
        "Bill in the app",
        "Hotel guests see their room bill in the app before they check out.",
        ["product-feature"],
    )
    assert "shares-access" in _facets(
        "Guests on boards",
        "Teams can invite guests from other companies to a shared board.",
        ["product-feature"],
    )


def test_look_ups_that_find_nothing_today_are_search(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Find recipes by what is in them",
            "Today 30% of look-ups on our recipe site return nothing because only titles are "
            "matched; the new box also matches ingredients and method text, and children's "
            "profiles only show recipes rated for them.",
        )
    )
    assert _ids(plan)[:1] == ["search-recommendations"]
    assert "children's profiles" in _titles(plan)


def test_consent_before_personalised_ads_brings_the_revenue_it_costs(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Consent before personalised ads",
            "Visitors to our free recipe site will be asked to accept or reject personalised "
            "ads cookies; the site is ad-funded.",
        )
    )
    assert "Advertising revenue falls with the consent rate" in _titles(plan)
    assert "ad_revenue_per_1000_pages_drop" in _metrics(plan)


def test_a_channels_playout_moved_brings_off_air_ad_breaks_and_licence_duties(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Radio playout to the cloud",
            "Our radio station's playout moves from the studio servers to a cloud service, with "
            "the ad breaks and the schedule, and the signal to the transmitters over IP.",
        )
    )
    titles = _titles(plan)
    assert "goes off air" in titles and "Ad breaks are missed" in titles and "licence's duties" in titles
    assert "off_air_seconds" in _metrics(plan)


def test_programmes_whose_rights_windows_open_and_close_bring_the_licence_risk(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Continue watching row",
            "Viewers of our streaming service see a row of programmes to continue watching; "
            "programmes leave as their rights windows close.",
        )
    )
    assert "do not cover this use" in _titles(plan)


def test_firms_ranked_for_work_bring_fairness_stale_inputs_and_concentration(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Suggest hauliers for each load",
            "Our planners will see the hauliers on our approved list ranked by price, past "
            "on-time delivery and insurance status when they place a load.",
        )
    )
    titles = _titles(plan)
    assert "favours big, incumbent" in titles and "stale or missing inputs" in titles
    assert "top_firms_share_of_awards" in _metrics(plan)


def test_suppliers_paid_in_a_run_bring_holds_and_bank_detail_fraud_not_staff_pay(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Pay growers automatically in the weekly pay run",
            "Our system will add each accepted delivery from the growers who supply our packhouse "
            "to the weekly pay run automatically and email them a remittance advice; today the "
            "overdue backlog is paid by hand.",
        )
    )
    titles = _titles(plan)
    assert "should be held" in titles and "changes a supplier's bank details" in titles
    assert "backlog of overdue payments" in titles
    # growers paid for produce: no employment rules, and a remittance advice is no transfer service
    assert "Pay or leave is calculated wrongly" not in titles
    assert "sanctioned" not in titles


@pytest.mark.parametrize(
    ("description", "sent"),
    [
        ("Artists are paid their royalties by bank transfer each month instead of by cheque.", True),
        ("Customers can pay their invoices by bank transfer as well as by card.", False),
    ],
)
def test_a_bank_transfer_we_send_is_money_sent_out_and_one_we_receive_is_not(
    description: str, sent: bool
) -> None:
    facets = _facets("Monthly transfers", description, ["payments-billing"])
    assert ("sends-money-out" in facets) is sent


@pytest.mark.parametrize(
    ("name", "description", "card_testing"),
    [
        (
            "Pay a new payee from the app",
            "Customers can pay a new payee from the app by entering the sort code and account "
            "number, and the money is sent within seconds.",
            False,
        ),
        (
            "Save a card at checkout",
            "Shoppers can save a card at checkout and pay with one click next time.",
            True,
        ),
        (
            "Fees taken from a saved card",
            "At enrolment students save a card, and each term's fee is taken as a card charge on "
            "its due date.",
            True,
        ),
    ],
)
def test_card_testing_comes_with_cards_not_with_money_sent_from_an_account(
    plan_of: PlanOf, name: str, description: str, card_testing: bool
) -> None:
    # the kind set by hand: the risk's own words decide, whatever the reading
    plan = plan_of(_spec(name, description, extra='change_types = ["payments-billing"]\n'))
    assert ("Card testing" in _titles(plan)) is card_testing


# a word of people's work in another sense: a hire counter and tools hired out are no hiring; an
# office named as the team that works the old way, a gown hired for a day, a club's squad and a
# device that connects over Wi-Fi are no premises, hiring, reorg or network install; a tablet where
# staff do the work is a place in the product
@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Live stock for the tool hire counter",
            "Our tool hire shops rent out 3,000 power tools from 12 branches. Today the hire "
            "counter works from a list printed each night, so a drill hired out in the morning "
            "still shows as free; the new service works out what is free from live hire and "
            "return scans and answers our website within 200 ms.",
        ),
        (
            "Beds marked clean on the ward",
            "Porters will mark each bed as cleaned and ready on a shared tablet at the ward "
            "entrance. Today the ward office phones the bed managers, who update the bed board.",
        ),
        (
            "Offer a cancelled lesson slot to the waiting list",
            "When a pupil cancels a swimming lesson, the next child on the waiting list gets an "
            "email offering the slot for 12 hours. Today the bookings office rings round parents.",
        ),
        (
            "Book gown hire with your graduation tickets",
            "Graduates book their guest tickets, and hire and pay for their gown, on one page "
            "instead of two paper forms.",
        ),
        (
            "Three memberships for the swimming club",
            "Our swimming club moves from one annual fee to three memberships (casual, fitness "
            "and competitive squad), paid monthly or yearly through our membership system.",
        ),
        (
            "Every sleeper gets their own sleep history",
            "Our Wi-Fi bed sensors record sleep for both people in a bed under one account; each "
            "sleeper will get their own profile and sleep history.",
        ),
    ],
)
def test_people_work_words_in_another_sense_leave_a_product_change(
    plan_of: PlanOf, name: str, description: str
) -> None:
    assert _ids(plan_of(_spec(name, description)))


def test_people_at_a_show_who_use_our_app_there_use_the_product() -> None:
    # the rules alone (the known features nearest it are trade shows, which are people's work)
    assert _kinds(
        "Order stand power in advance",
        "Exhibitors at our trade fairs use our app to order power and furniture for their "
        "stand before the show instead of emailing the organiser's team.",
    )[:1] == ["product-feature"]


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "Open a sales office in Lyon",
            "Open a small sales office in Lyon for our French customers: take a serviced office, "
            "hire two account executives and translate our sales material.",
        ),
        (
            "Reception to the ground floor",
            "Move the reception desk and the waiting area to the ground floor over a weekend.",
        ),
        ("Two new support engineers", "We hired two engineers for the support team in May."),
        (
            "Summer graduation ceremonies",
            "Run six summer graduation ceremonies at the concert hall; the ceremonies office "
            "books the hall and the robemaker, and briefs the student ushers the day before.",
        ),
    ],
)
def test_a_desk_moved_an_office_opened_people_hired_and_ceremonies_run_are_still_peoples_work(
    name: str, description: str
) -> None:
    assert _kinds(name, description) == []


# people the product serves named by their trade, a camera's images judged by the product, and
# what people describe in their own words matched best first, registers merged and records brought
# over with their history, an assistant told to read and draft, packages sold with old prices kept
# (session 16)
@pytest.mark.parametrize(
    ("name", "description", "kind"),
    [
        (
            "Authors see their royalties",
            "Authors can see what each of their books earned last month and download the statement.",
            "product-feature",
        ),
        (
            "Sheep counted from the drone",
            "We fly a drone over each field every morning; use those images to count the sheep and "
            "spot any lying down.",
            "ml-llm",
        ),
        (
            "Find the right tool for the job",
            "Customers describe the job in their own words (hang a heavy mirror on a brick wall) and "
            "see the tools that match best first.",
            "search-recommendations",
        ),
        (
            "One register of boats",
            "Our sailing association keeps two boat registers built by different clubs, so a boat "
            "can have two entries. Merge them into a single register with one number per boat "
            "before the racing season.",
            "data-migration",
        ),
        (
            "Parking permits into the new system",
            "Bring all 5,000 live parking permits and their history into the new permits system "
            "before the old one is switched off.",
            "data-migration",
        ),
        (
            "Reference letters drafted for letting agents",
            "Have an assistant read the tenant's application and payslips and draft the reference "
            "letter for the agent to check and send.",
            "ml-llm",
        ),
        (
            "Escape room packages",
            "From May we sell three packages that include a game, drinks and a photo per player; "
            "groups already booked keep their old price.",
            "pricing-packaging",
        ),
    ],
)
def test_a_kind_said_in_everyday_words_of_its_own(name: str, description: str, kind: str) -> None:
    assert _kinds(name, description)[:1] == [kind]


def test_apps_said_to_be_left_out_bring_no_app_release_and_a_rate_against_the_old_is_pricing() -> None:
    assert "mobile-release" not in _kinds(
        "Saved searches on the website",
        "Shoppers can save a search on our website and get an email when new items match it; "
        "the feature is not in the iOS and Android apps yet.",
    )
    assert _kinds(
        "Student rate for the recipe club",
        "Students can join our recipe club for £3 a month instead of £9, with their student "
        "status checked at sign-up; the offer is on the website only, not in the apps.",
    )[:1] == ["pricing-packaging"]


def test_an_interface_providers_call_by_its_standard_and_traffic_is_a_public_api() -> None:
    # the providers that call it are its users, not our supplier; "version 4.0" of a standard is no app
    assert _kinds(
        "Move the pharmacy interface to version 4",
        "Registered providers (repeat prescription apps, care homes) make about 2 million calls a "
        "day to our pharmacy interface. We move it to version 4.0 of the standard with new consent "
        "fields; version 3 stays live for 6 months and is then switched off.",
    ) == ["public-api-sdk"]


def test_balances_moved_with_their_history_and_compared_nightly_are_a_data_migration_first() -> None:
    assert _kinds(
        "Gift card balances onto a new ledger",
        "The balances of our 400,000 gift cards sit in one column of the shop database, updated by "
        "nightly batch jobs. We are moving every card's balance and its history into a new ledger, "
        "running both side by side for two weeks and comparing balances every night; tills must not "
        "stop taking gift cards for more than 10 minutes at switch-over.",
    )[:1] == ["data-migration"]


def test_an_hour_spent_in_a_meeting_is_no_hourly_price() -> None:
    assert (
        _kinds(
            "Monthly review with our top hauliers",
            "Start a monthly review with our 10 largest hauliers: logistics prepares a scorecard for "
            "each with on-time collections, damages and price changes, and we meet each haulier for an "
            "hour to agree actions.",
        )
        == []
    )
    assert _kinds(
        "Charge meeting rooms by the hour",
        "Members will pay £12 an hour for meeting rooms instead of a flat day rate.",
    )[:1] == ["pricing-packaging"]


def test_a_day_of_events_people_plan_is_no_change_whatever_page_sells_its_tickets() -> None:
    assert (
        _kinds(
            "Family fun day at the rugby club",
            "On Saturday 6 June the club holds a family fun day for the air ambulance. Plan the day: a "
            "tag rugby tournament, a bouncy castle, a raffle and 30 volunteer marshals; the sponsor "
            "brings their banner, and tickets are sold through the booking page.",
        )
        == []
    )


def test_cover_sold_beside_the_product_brings_mis_selling_and_the_insurer_not_an_insurers_own_app(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Gadget cover at checkout",
            "Shoppers buying a laptop or phone on our site can add gadget insurance at checkout for "
            "£6 a month, after answering whether the device is under two years old.",
        )
    )
    assert "cannot use it: not eligible" in _titles(plan)
    assert "insurance_claims_declined_rate" in _metrics(plan)
    assert any(s.group == "insurer-partner" for s in plan.stakeholders)
    assert "sells-insurance" not in _facets(
        "Our travel insurance app, version 5",
        "Our travel insurance app adds a button that calls our medical assistance line from abroad.",
        ["mobile-release"],
    )


def test_booked_ads_served_by_a_new_ad_server_bring_under_delivery_and_a_counting_change(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "New ad server for the radio app",
            "Move the ads in our radio app's live streams to a new ad server provider; about 200 "
            "advertisers' campaigns run each month and are sold on impressions.",
        )
    )
    titles = _titles(plan)
    assert "Booked campaigns under-deliver" in titles and "counted differently" in titles
    assert "campaign_delivery_vs_booked" in _metrics(plan)


def test_files_moved_out_of_a_document_management_system_bring_the_risks_of_a_file_copy(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Design files into the cloud document store",
            "Move 1.2 million drawings and their revisions (20 TB) from our old document management "
            "system into our cloud document store before its licence ends in June.",
        )
    )
    assert "Files are missed, truncated or lose their metadata" in _titles(plan)


def test_a_passkey_brings_the_shared_device_and_where_money_moves_the_two_factor_rules(
    plan_of: PlanOf,
) -> None:
    bank = _titles(
        plan_of(
            _spec(
                "Sign in to the credit union with a passkey",
                "Members will be able to create a passkey on their phone or laptop and sign in to "
                "online banking with it instead of a password and a texted code.",
            )
        )
    )
    assert "shared or family computer" in bank and "strong customer authentication" in bank
    forum = _titles(
        plan_of(
            _spec(
                "Passkeys for the quilting forum",
                "Members of our quilting forum can create a passkey and sign in with it instead of a "
                "password.",
            )
        )
    )
    assert "shared or family computer" in forum and "strong customer authentication" not in forum


# ---- session 17: pricing line-ups, staff tools, rankings, caps and staff give-backs ---------


def test_a_line_up_of_fares_or_memberships_sold_beside_todays_is_a_pricing_change() -> None:
    assert "pricing-packaging" in _kinds(
        "Basic, Plus and Flexi crossings",
        "Ferry crossings are sold today as two fares. From April we sell three: Basic (foot "
        "passengers only), Plus (a car) and Flexi (free changes), on the website and at the port.",
    )
    assert "pricing-packaging" in _kinds(
        "Daytime swim membership",
        "Our pools sell one membership at £26 a month. Swimmers can now pick a new membership "
        "option for weekday daytimes at £18 a month, and the joining fee is waived for people "
        "who join online; members can switch down at renewal.",
    )
    # a picker that replaces a flat list is no flat fee
    assert "pricing-packaging" not in _kinds(
        "New cinema seat picker",
        "Customers pick seats from a flat list of row letters; the new picker draws each screen "
        "with its rows and shows which seats are free, while what seats cost stays the same.",
    )


def test_staff_work_sent_to_a_manager_by_email_today_moves_into_their_own_system() -> None:
    assert _kinds(
        "Inspection reports in the case system",
        "Our 60 housing officers write inspection reports in Word templates and email them to "
        "their line manager for review. Reports will be written, reviewed and signed in the "
        "case system, with the tenancy's details filled in.",
    )[:1] == ["internal-tooling"]
    assert _kinds(
        "Goodwill credits from the account screen",
        "Broadband advisers can give a goodwill credit today only by emailing a supervisor. "
        "They will get a credit button in the account screen they already use.",
    )[:1] == ["internal-tooling"]


def test_staff_tools_bring_adoption_training_and_the_work_in_flight_on_the_day(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Inspection reports in the case system",
            "Our 60 housing officers write inspection reports in Word templates and email them to "
            "their line manager for review. Reports will be written, reviewed and signed in the "
            "case system, with the tenancy's details filled in.",
        )
    )
    titles = _titles(plan)
    assert "staff do not adopt it" in titles and "no training time" in titles
    assert "documents half-written, requests waiting in someone's email" in titles
    # emailing a manager today is how the work moves now, not messages the feature sends
    assert "land in spam" not in titles


def test_ranking_items_by_how_well_they_fit_is_search_with_stale_status_and_fairness(
    plan_of: PlanOf,
) -> None:
    name = "Course finder ranks courses by fit"
    text = (
        "Learners type a subject and get every course that mentions it, sorted by date. We will "
        "rank courses by how well they fit the learner's level and by distance to the college "
        "that runs them, and courses that are full or closed drop to the bottom."
    )
    assert _kinds(name, text)[:1] == ["search-recommendations"]
    titles = _titles(plan_of(_spec(name, text)))
    assert "a stale status" in titles and "favours some sellers, sites or providers" in titles
    # a course that "mentions" a subject mentions nobody
    assert "mentions-people" not in _facets(name, text, ["search-recommendations"])


def test_an_app_named_beside_the_website_does_not_make_a_new_version_an_app_release() -> None:
    assert "mobile-release" not in _kinds(
        "Smarter answers box",
        "On our website and in the app, customers ask questions and get keyword matches. The new "
        "version ranks answers by meaning.",
    )


def test_a_provider_contract_ending_reads_a_move_and_a_credit_decision_is_no_payment() -> None:
    kinds = _kinds(
        "Tenant referencing moves to a new bureau",
        "Every tenancy application is credit checked before we accept it. Our contract with the "
        "current referencing bureau ends in May; the new bureau scores differently, so the "
        "accept, refer and decline rules change.",
    )
    assert kinds[:1] == ["vendor-migration"] and "payments-billing" not in kinds
    # renegotiating the contract with the same supplier is procurement work
    assert (
        _kinds(
            "Renegotiate the courier contract",
            "Our contract with the courier ends in August. Procurement will renegotiate it: "
            "next-day turnaround, a lower price per parcel and monthly reports, with a second "
            "supplier asked to quote.",
        )
        == []
    )


def test_a_spending_cap_brings_late_usage_wrongful_stops_and_their_triggers(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Monthly spending cap for children's accounts",
            "Parents can set a monthly spending cap on a child's game account. Purchases are "
            "counted as they clear, we email the parent at 80% and stop purchases at 100%.",
        )
    )
    titles = _titles(plan)
    assert "the cap is overshot" in titles and "stopped or blocked who should not be" in titles
    assert {"wrongful_cap_stops", "cap_overshoot_amount"} <= _metrics(plan)


def test_staff_who_waive_charges_bring_misuse_and_uneven_decisions_but_a_signed_waiver_does_not(
    plan_of: PlanOf,
) -> None:
    name, text = (
        "Refunds at the till without a manager",
        "Cashiers can refund a returned item on the spot from a till button, with a reason code "
        "and an allowance per colleague; a manager's approval over £100.",
    )
    plan = plan_of(_spec(name, text))
    assert "Staff misuse" in _titles(plan) and "Decisions differ" in _titles(plan)
    assert "waiver_cost_vs_budget" in _metrics(plan)
    assert "staff-give-money-back" not in _facets(
        "Online climbing waivers",
        "Climbers sign a liability waiver online before their first visit, and staff see it at the desk.",
        ["product-feature"],
    )


def test_a_board_or_screen_given_to_a_team_of_ours_is_their_tool() -> None:
    assert _kinds(
        "Ambulance status board for the control room",
        "Today the control room asks each crew by radio whether it is free. Give the room a board "
        "that shows each crew's status from the vehicle radios, and lets supervisors mark a crew "
        "off shift.",
    )[:1] == ["internal-tooling"]


def test_searching_near_people_brings_distance_crowding_languages_and_attribute_gaps(
    plan_of: PlanOf,
) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Find a tutor nearby",
                "Parents type a subject and their postcode and see tutors within 5 miles, ranked "
                "by how well their subjects and exam boards fit and by distance.",
                extra='change_types = ["search-recommendations"]\n',
            )
        )
    )
    assert "Distance is worked out wrongly" in titles
    assert "same few top results" in titles
    assert "Queries in other languages" in titles
    assert "attributes the new search relies on" in titles


def test_staff_readiness_says_training_and_personal_data_is_read_by_what_it_is(
    plan_of: PlanOf,
) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Pick a kayak when booking",
                "Paddlers book a trip on our website and choose a kayak that suits their height "
                "and weight; the instructors at the boathouse see each group's choices the "
                "evening before.",
            )
        )
    )
    assert "(instructors) are not ready for the new routine: no training time" in titles
    assert "collects personal data without the notice" in titles
    plates = _titles(
        plan_of(
            _spec(
                "Book a slot at the tip",
                "Residents book a slot online to visit the household waste site; the gate team "
                "checks each booking by number plate.",
            )
        )
    )
    assert "collects personal data without the notice" in plates


def test_results_and_tables_people_see_bring_the_stale_or_inaccurate_risk(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "League tables in the app",
                "Club secretaries enter scores after each match and players see results and league "
                "tables in the app within minutes.",
            )
        )
    )
    assert "is stale, out of date or inaccurate when its source lags" in titles


def test_a_changed_process_brings_the_items_already_under_way_when_it_switches_on(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Deposits held until the job is signed off",
                "Today customers of our building platform pay builders directly. From now on they pay "
                "each stage of a job into a held balance, released when they sign the stage off; "
                "contracts and jobs are agreed on the platform.",
            )
        )
    )
    assert "Items already under way when" in titles and "in flight" in titles


def test_a_rule_or_regulator_the_text_names_brings_the_rules_risk(plan_of: PlanOf) -> None:
    named = _titles(
        plan_of(
            _spec(
                "Nursery attendance records online",
                "Nursery staff will record each child's arrival and collection on a tablet instead "
                "of the paper register, which Ofsted inspectors check on visits.",
            )
        )
    )
    assert "statutory duties" in named
    plain = _titles(
        plan_of(
            _spec(
                "Climbing centre photo diary",
                "Climbing centre staff post photos of the day's sessions to each member's diary, and "
                "members see them in the app.",
            )
        )
    )
    assert "statutory duties" not in plain


def test_a_worker_followed_on_a_map_brings_their_privacy_and_safety() -> None:
    assert "shows-workers-location" in _facets(
        "Follow your plumber",
        "Customers waiting for a repair can follow the plumber on a map until they arrive.",
        ["product-feature"],
    )
    # a map of the customer's own deliveries shows no worker
    assert "shows-workers-location" not in _facets(
        "Delivery areas map",
        "Shoppers see our delivery areas on a map before they order.",
        ["product-feature"],
    )


def test_exact_locations_published_for_others_bring_the_exposure_risk(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Bat roost records in the open data feed",
                "Publish the bat roosts our surveyors record, with their grid references, as an "
                "open data feed that planners and other groups can query.",
            )
        )
    )
    assert "Exact locations" in titles and "put people, places or wildlife at risk" in titles


def test_spending_points_brings_points_taken_while_the_order_fails() -> None:
    assert "spends-points" in _facets(
        "Pay for coffee with stamps",
        "Members of our coffee loyalty card can pay with points for any drink in the app.",
        ["product-feature"],
    )
    # stores miles from the customer are no miles spent
    assert "spends-points" not in _facets(
        "Store finder",
        "Customers see the stores within 5 miles of them and their opening hours.",
        ["product-feature"],
    )


def test_a_screen_redrawn_with_what_it_shows_left_as_it_is_is_a_front_end_change() -> None:
    assert _kinds(
        "New seat map for coach bookings",
        "Passengers pick seats from a flat grid that shows no window seats. The new map draws the "
        "real coach for each vehicle and replaces the grid, on desktop and phone browsers; what "
        "seats cost stays as it is.",
    )[:1] == ["ui-frontend"]


def test_codes_sent_by_text_bring_sms_pumping(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Two-step sign-in for the donor portal",
                "Donors signing in to our portal will get a one-time code by text as a second "
                "step, required for everyone from May.",
            )
        )
    )
    assert "SMS pumping" in titles


def test_a_payment_said_with_what_is_paid_and_how_is_a_payment_step() -> None:
    assert "takes-payment" in _facets(
        "Allotment plots booked online",
        "Gardeners can pick a free plot on the map and pay the yearly rent and the entry fee by "
        "card, instead of posting a cheque.",
        ["product-feature"],
    )
    assert "takes-payment" in _facets(
        "Scooter rides from the app",
        "Riders unlock a scooter in the app, and the ride is charged per minute when they park it.",
        ["product-feature"],
    )


def test_an_open_api_brings_keys_shared_and_scraping(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Tide times API for partners",
                "Marinas and sailing apps will look up tide times through our API with a key for "
                "each partner, instead of copying the tables from our website.",
                extra='change_types = ["public-api-sdk"]\n',
            )
        )
    )
    assert "API keys are shared, leaked or multiplied" in titles


def test_money_paid_into_bank_details_people_can_change_brings_diversion(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Tutors paid weekly",
                "Tutors on our platform are paid every Friday into the bank account they give in "
                "their profile, and can change their bank details there.",
            )
        )
    )
    assert "changes the bank details" in titles


def test_a_deletion_job_over_years_of_old_records_brings_the_load_of_its_first_run(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Old order data cleared away",
                "Shipping addresses on orders older than six years are removed by a job that runs each "
                "night; the first run clears about 12 million orders from 2015 onwards.",
            )
        )
    )
    assert "The first deletion or anonymisation run over years of old records loads" in titles
    # one person deleting their own account is no bulk run
    own = _titles(
        plan_of(
            _spec(
                "Delete my account",
                "Customers can delete their account and order history themselves from the settings page.",
            )
        )
    )
    assert "The first deletion or anonymisation run" not in own
    # a copy people ask for is no data copied to a new place
    copy = _titles(
        plan_of(
            _spec(
                "Dental records kept eleven years",
                "Dental records are kept for eleven years after the last appointment, then destroyed; "
                "patients can ask for a copy of theirs online.",
                extra='change_types = ["privacy-compliance", "data-migration"]\n',
            )
        )
    )
    assert "dual writes" not in copy


def test_a_rota_named_as_software_and_what_a_plan_covers_are_no_peoples_work() -> None:
    # "the rota app" is a system people sign in to, not the work of drawing up a rota
    assert "identity-access" in _kinds(
        "Staff discount in the web shop through the staff sign-in",
        "Warehouse and store staff get 20% off, but online they type a shared code. Staff will connect "
        "their shop account to their staff sign-in once and the discount applies at checkout; many "
        "only have a login to the rota app.",
    )
    # vaccinations listed as what a pet plan pays for are no vaccination campaign for staff
    assert "payments-billing" in _kinds(
        "Puppy plan paid monthly",
        "Owners pay for the puppy plan (vaccinations, microchip and two checks) by monthly direct "
        "debit instead of up front, collected on the 1st of each month.",
    )
    # a login to a system someone shares is a system of ours, even where the word is "rota"
    assert _kinds(
        "Each lifeguard signs in with their own account",
        "Our 80 lifeguards share two logins to the pool's rota and incident system. Give each one "
        "their own account, and remove it when they stop working at the pool.",
    )[:1] == ["identity-access"]


def test_direct_debits_moved_to_a_new_collection_bureau_are_a_vendor_move_first() -> None:
    assert _kinds(
        "Member subscriptions collected by a new collection bureau",
        "12,000 club members pay their subscription by direct debit, collected by a bureau whose "
        "fees are rising; we will move every mandate across in one go.",
    )[:2] == ["vendor-migration", "payments-billing"]


def test_users_of_a_screen_they_use_daily_are_slowed_while_they_relearn_it(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Rebuilt dispatch screen",
                "Dispatchers work all shift in the job board, which reloads after every change. The "
                "new board shows jobs and drivers side by side and lets them drag a job to a driver.",
                extra='change_types = ["ui-frontend"]\n',
            )
        )
    )
    assert "slowed down while they relearn their habits" in titles


def test_removing_leavers_through_a_directory_brings_their_orphaned_work_and_the_endpoints_abuse(
    plan_of: PlanOf,
) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Leavers removed from the workspace by their directory",
                "Customers' IT teams connect their directory over SCIM, and people they offboard "
                "lose access to our project tool the same hour.",
            )
        )
    )
    assert "Work owned by people who are removed or deactivated loses its owner" in titles
    assert "The provisioning endpoint itself is abused" in titles


def test_data_bought_from_a_provider_and_moved_to_another_brings_changed_results_and_gaps() -> None:
    facets = _facets(
        "Fuel prices from a cheaper data provider",
        "Drivers compare pump prices at 8,000 stations in our app; the prices come from a data "
        "provider whose contract ends in June, and we will switch to a cheaper one.",
        ["vendor-migration"],
    )
    assert "data-from-provider" in facets
    # a payment provider moved is no data bought
    assert "data-from-provider" not in _facets(
        "New payment provider",
        "Card payments in our app move from our current payment provider to a cheaper one in June.",
        ["vendor-migration", "payments-billing"],
    )


def test_the_product_named_as_where_its_users_act_is_a_product_feature() -> None:
    assert "product-feature" in _kinds(
        "Sell gift sets that take stock from their items",
        "Florists using our shop software can set up a gift set, such as a vase and a bouquet, and "
        "sell it in their listings; the set shows as available only while each item is in stock.",
    )
    assert "product-feature" in _kinds(
        "Hand a survey to a colleague",
        "Surveys sent through our research service often reach the wrong person. The person who gets "
        "one will be able to hand it to a colleague by entering their email and a short note.",
    )
    # a talk about our software at a conference stays work about it
    assert (
        _kinds(
            "Talk at the retail tech conference",
            "Give a talk at the retail tech conference on how shops using our software can cut waste.",
        )
        == []
    )


def test_picks_from_what_people_like_them_bought_are_recommendations_with_cold_start_and_consent(
    plan_of: PlanOf,
) -> None:
    name = "Plants picked for each garden"
    text = (
        "Gardeners in our plant shop see plants picked for each of their gardens from the garden's "
        "soil and light in their profile, plus what owners of similar gardens bought."
    )
    assert _kinds(name, text)[:1] == ["search-recommendations"]
    titles = _titles(plan_of(_spec(name, text)))
    assert "(cold start)" in titles and "Personalisation uses personal data or history" in titles
    # a suggestion alone is a model's as often as a recommender's: no recommender from it
    assert "search-recommendations" not in _kinds(
        "Watering suggestions",
        "Growers get a suggested watering time in the app each morning, learned from soil sensors, "
        "and can accept it with one tap.",
    )


def test_people_limited_to_what_is_assigned_to_them_is_an_access_change() -> None:
    assert _kinds(
        "Caseworkers see their own cases only",
        "Every caseworker at a law centre can open every client's file today. Supervisors will "
        "assign caseworkers to clients, and caseworkers will see only their assigned clients.",
    )[:1] == ["identity-access"]


def test_a_list_ranked_by_what_matters_with_a_reason_for_each_place_is_a_ranking() -> None:
    assert "search-recommendations" in _kinds(
        "Fix-first list of overdue inspections",
        "Inspectors see 3,000 overdue checks in a list sorted by due date. The page will show each "
        "team a ranked top 50 based on how likely a failure is, with a one-line reason for each rank.",
    )


def test_a_card_added_from_our_app_to_the_phones_wallet_is_an_app_release() -> None:
    assert _kinds(
        "Library card in your phone's wallet",
        "Members will add their library card from our app to Apple Wallet or Google Wallet and show "
        "the barcode at the self-service kiosks instead of the plastic card.",
    )[:1] == ["mobile-release"]


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "A procedure for returning lost property",
            "Visitors' lost items wait weeks for an owner. The museum wants a written procedure: who logs "
            "each item, how long it is kept and when it goes to charity. Front-of-house staff keep using "
            "the existing online log, and the procedure goes to the trustees in May.",
        ),
        (
            "Darts presentation night",
            "The league's presentation night is in June at the Legion: the secretary books the venue and "
            "trophies, captains of the 20 teams confirm their players on the online form, and there is a "
            "raffle.",
        ),
        (
            "Spring stock count in the garden centres",
            "All 30 garden centres do a full stock count in the first week of March with an outside "
            "counting company; store teams label every bay the week before so the figures reach the "
            "accounts on time.",
        ),
    ],
)
def test_procedures_nights_out_and_counts_of_stock_are_no_change(name: str, description: str) -> None:
    assert _kinds(name, description) == []


def test_a_business_system_the_organisation_runs_on_moved_brings_its_staff_relearning() -> None:
    assert "staff-move-system" in _facets(
        "Garden centre stock and orders to a new system",
        "Our nine garden centres run stock, special orders and loyalty on a retail management system "
        "whose supplier stops supporting it in May; we will move each branch over a quiet weekend.",
        ["vendor-migration"],
    )
    assert "staff-move-system" not in _facets(
        "Event tables to the new warehouse",
        "Move the analytics event tables from the old warehouse to the new one and switch the "
        "nightly loads over.",
        ["data-migration"],
    )


def test_invoices_exchanged_as_documents_and_work_done_at_no_charge_take_no_payment(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Structured e-invoices for Dutch customers",
                "From July our Dutch customers must send invoices to other businesses as structured "
                "e-invoices over Peppol; they send invoices from the app as today and receive their "
                "suppliers' e-invoices into it.",
                extra='change_types = ["payments-billing"]\n',
            )
        )
    )
    assert "double charges" not in titles
    rules = _titles(
        plan_of(
            _spec(
                "Timesheet rules checked before the bill goes out",
                "Agencies check each timesheet line against the client's rules before they invoice: "
                "no charge for travel time, at most 8 hours a day per contractor.",
                extra='change_types = ["payments-billing"]\n',
            )
        )
    )
    assert "double charges" not in rules


def test_keys_that_move_a_cursor_and_users_copying_data_today_are_no_data_migration() -> None:
    assert "data-migration" not in _kinds(
        "Faster review queue for moderators",
        "Moderators review 2,000 posts a shift in a table. The new queue lets them use the arrow keys "
        "to move between posts and press A to approve, and remembers their filters.",
    )
    assert "data-migration" not in _kinds(
        "Members see only the rows shared with them",
        "In our spreadsheet tool, owners can set rules so that members see only rows assigned to them. "
        "Today everyone sees every row, so customers copy data into separate sheets.",
    )


def test_a_supplier_move_that_carries_data_over_has_no_dual_write_trigger(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Change supplier for the pool's lap counters",
            "The current supplier's contract ends in June; we are moving to a new supplier's counters "
            "and screens, and each swimmer's lap history must carry over into our app.",
            extra='change_types = ["vendor-migration", "data-migration"]\n',
        )
    )
    assert "dual_write_error_count" not in _metrics(plan)


def test_people_booking_for_themselves_where_records_exist_bring_duplicate_records(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Book a physio session online",
                "Patients will book physio sessions at our 12 clinics on the website instead of phoning "
                "reception, picking the physio and the time; new patients fill in a short form first.",
            )
        )
    )
    assert "create a second one when they book, register or ask online" in titles
    # moving the records system itself is a migration, with its own risks about duplicates
    moved = _titles(
        plan_of(
            _spec(
                "Physio patient records to the new system",
                "Move every patient record and booking from the old records system into the new one "
                "over a weekend.",
                extra='change_types = ["data-migration"]\n',
            )
        )
    )
    assert "create a second one when they book" not in moved


def test_a_redrawn_shopping_screen_is_watched_by_its_conversion(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "New seat map for the theatre's booking page",
            "Theatregoers pick seats on a flat list today. The new seat map draws the auditorium, and "
            "buyers tap seats on it before they pay.",
            extra='change_types = ["ui-frontend"]\n',
        )
    )
    assert "conversion_rate_drop" in _metrics(plan)


def test_a_product_that_reaches_bereaved_people_brings_their_tone_and_timing(plan_of: PlanOf) -> None:
    titles = _titles(
        plan_of(
            _spec(
                "Online condolence books",
                "Families of residents who died at our care homes can open an online condolence book, "
                "and friends leave messages and photos before the funeral.",
            )
        )
    )
    assert "What bereaved people read from" in titles
    assert "reaches-bereaved" not in _facets(
        "Ask for bereavement leave in the staff app",
        "Staff can ask for bereavement leave in the staff app and their manager approves it there.",
        ["product-feature"],
    )


def test_messages_people_get_are_watched_by_the_calls_and_tickets_about_them(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Bin collection reminders by text",
            "Households that sign up get a text the evening before their bin collection, with the "
            "bins due that week.",
            extra='change_types = ["notifications-messaging"]\n',
        )
    )
    assert "calls_and_tickets_about_messages" in _metrics(plan)


def test_an_old_api_version_switched_off_is_watched_by_its_remaining_traffic(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Timetable API v2",
            "Version 2 of our timetable API returns journeys instead of stops; version 1 is switched "
            "off in September, and the apps that call it must move before then.",
            extra='change_types = ["public-api-sdk"]\n',
        )
    )
    assert plan.rollback is not None
    units = {t.metric: t.unit for t in plan.rollback.triggers}
    assert "traffic still on the old version" in units["old_version_call_share"]
    assert "adoption of the new one" in units["old_version_call_share"]


def test_an_app_releases_request_triggers_say_what_fails(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Version 3 of the allotment app: log harvests offline",
            "Version 3 of our iPhone and Android app lets plot holders log harvests with no signal and "
            "uploads them when they are back online.",
            extra='change_types = ["mobile-release"]\n',
        )
    )
    assert plan.rollback is not None
    units = {t.metric: t.unit for t in plan.rollback.triggers}
    assert units["feature_api_error_rate"].endswith("from the new build that fail (errors and timeouts)")


def test_email_named_only_as_todays_way_brings_no_email_delivery_risk(plan_of: PlanOf) -> None:
    old_way = plan_of(
        _spec(
            "Tenants report repairs in the portal",
            "Tenants will report a repair in the portal with photos and see its status. Today they "
            "email the housing office, and requests get lost in a shared inbox.",
            extra='change_types = ["product-feature", "notifications-messaging"]\n',
        )
    )
    assert "deliverability" not in _titles(old_way)
    assert "email_bounce_rate" not in _metrics(old_way)
    sends = plan_of(
        _spec(
            "Repair updates by email",
            "Tenants get an email when a repair is booked and when the contractor is on the way.",
            extra='change_types = ["notifications-messaging"]\n',
        )
    )
    assert "deliverability" in _titles(sends)


def test_a_system_leaving_each_sites_own_server_makes_the_sites_link_critical(plan_of: PlanOf) -> None:
    moved = plan_of(
        _spec(
            "Garden centres onto the hosted till system",
            "Each of our 30 garden centres runs its tills and stock on a server in the back office. "
            "Move them, a few centres a week, to the supplier's hosted version.",
            extra='change_types = ["infra-cutover"]\n',
        )
    )
    assert "depends on its internet link" in _titles(moved)
    datacentre = plan_of(
        _spec(
            "Quote service to the cloud",
            "Our quote service runs on servers we rent in a data centre; move it to a cloud region.",
            extra='change_types = ["infra-cutover"]\n',
        )
    )
    assert "internet link" not in _titles(datacentre)


def test_a_price_per_child_names_children_without_exposing_them(plan_of: PlanOf) -> None:
    priced = plan_of(
        _spec(
            "Charge after-school clubs per enrolled child",
            "After-school clubs pay us one fee per site; from September they pay per enrolled child "
            "each term, with a minimum per site.",
            extra='change_types = ["pricing-packaging"]\n',
        )
    )
    assert "exposes children" not in _titles(priced)
    shown = plan_of(
        _spec(
            "Parents see photos from their child's swimming lesson",
            "Swimming teachers will share photos of each lesson with the children's parents in the app.",
            extra='change_types = ["product-feature"]\n',
        )
    )
    assert "exposes children" in _titles(shown)


def test_records_moved_off_an_in_house_system_go_back_by_restoring_not_by_dual_writes(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Move the school's pupil files to the trust's records service",
            "Our school keeps 12 years of pupil files in an in-house system written by a former "
            "teacher. Every file moves to the records service the trust's other schools use.",
            extra='change_types = ["data-migration"]\n',
        )
    )
    assert plan.rollback is not None
    assert plan.rollback.mechanism == "restore_backup"


def test_what_people_keep_today_moved_into_the_new_system_is_a_data_migration() -> None:
    kinds = _kinds(
        "Move our ferry tickets to the new ticketing system",
        "Our island ferry sells season tickets and car bookings through a system we have used "
        "since 2011. Move every season ticket, future car booking and customer into the new system "
        "before the summer timetable goes on sale.",
    )
    assert "data-migration" in kinds


def test_a_change_that_reaches_people_at_the_counter_readies_the_front_line(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Cinema club points spent on snacks",
            "Members of our cinema club can spend their points on snacks at the box office and in the "
            "app, from the first of May.",
            extra='change_types = ["product-feature"]\n',
        )
    )
    # the staff of the place it names are its people, readied by name
    assert "The people who do the work (box office staff) are not ready" in _titles(plan)
    counter = plan_of(
        _spec(
            "Cinema club points spent on snacks",
            "Members of our cinema club can spend their points on snacks at the counter and in the "
            "app, from the first of May.",
            extra='change_types = ["product-feature"]\n',
        )
    )
    assert "Front-line staff" in _titles(counter)
    api = plan_of(
        _spec(
            "Opening hours in the partners' API",
            "Tourism partners can read each museum's opening hours from our API.",
            extra='change_types = ["public-api-sdk"]\n',
        )
    )
    assert "Front-line staff" not in _titles(api)


def test_deleting_peoples_own_records_tells_them_first(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Delete old delivery history after three years",
            "Our grocery app keeps every order a customer has placed since 2012. Orders older than "
            "three years will be deleted each night.",
            extra='change_types = ["privacy-compliance"]\n',
        )
    )
    assert "find their own history gone" in _titles(plan)
    logs = plan_of(
        _spec(
            "Shorter gateway log retention",
            "The API gateway keeps request logs for ever; delete them after 30 days.",
            extra='change_types = ["privacy-compliance"]\n',
        )
    )
    assert "history gone" not in _titles(logs)


def test_a_message_asking_everyone_to_book_plans_for_the_surge_behind_it(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Flu jab invitations by text",
            "Every patient over 65 gets a text in September with a link to book their flu jab at the "
            "pharmacy.",
            extra='change_types = ["notifications-messaging"]\n',
        )
    )
    assert "acts at once" in _titles(plan)
    tracking = plan_of(
        _spec(
            "Parcel out for delivery texts",
            "Customers get a text when their parcel leaves the depot, with the driver's time window.",
            extra='change_types = ["notifications-messaging"]\n',
        )
    )
    assert "acts at once" not in _titles(tracking)


def test_a_ranking_of_others_listings_plans_for_them_gaming_it(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Driving instructors ranked by free lessons",
            "Learners searching our directory see driving instructors ranked by how many free "
            "lessons they have in the next two weeks, as the instructors report them.",
            extra='change_types = ["search-recommendations"]\n',
        )
    )
    assert "game the ranking" in _titles(plan)
    own = plan_of(
        _spec(
            "Better search of our help articles",
            "Search in our help centre matches synonyms and typos in article titles.",
            extra='change_types = ["search-recommendations"]\n',
        )
    )
    assert "game the ranking" not in _titles(own)


def test_a_redrawn_screens_completion_trigger_says_what_it_counts(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Redesigned timesheet screen",
            "The weekly timesheet screen gets a new layout with the days as columns and the projects as "
            "rows.",
            extra='change_types = ["ui-frontend"]\n',
        )
    )
    assert plan.rollback is not None
    units = {t.metric: t.unit for t in plan.rollback.triggers}
    assert "task completion" in units["core_task_completion_drop"]


def test_a_model_that_drafts_for_staff_is_watched_by_their_handling_time(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Draft replies for the claims desk",
            "Claims handlers get a drafted reply to each customer email, written from the policy and "
            "the claim notes, which they edit and send.",
            extra='change_types = ["ml-llm"]\n',
        )
    )
    assert "staff_handling_time_increase" in _metrics(plan)
    shoppers = plan_of(
        _spec(
            "Outfit ideas from a photo",
            "Shoppers upload a photo of an item and a model suggests three outfits from our catalogue.",
            extra='change_types = ["ml-llm"]\n',
        )
    )
    assert "staff_handling_time_increase" not in _metrics(shoppers)


def test_records_moved_while_the_business_runs_plan_for_what_is_open_that_day(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Kennel bookings into the new system",
            "Our boarding kennels move every future stay, deposit and customer's pet record from the "
            "old desktop program into the new system over a weekend.",
            extra='change_types = ["data-migration"]\n',
        )
    )
    assert "open on the day of the move" in _titles(plan)
    schema = plan_of(
        _spec(
            "Split the events table by month",
            "Partition the 2-billion-row events table by month and backfill the partitions.",
            extra='change_types = ["data-migration"]\n',
        )
    )
    assert "open on the day of the move" not in _titles(schema)


def test_a_platform_moved_under_live_payments_plans_for_the_work_in_flight(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Parking payments service to the new data centre",
            "The service that takes parking payments from our meters and app moves to the new data "
            "centre in one night.",
            extra='change_types = ["infra-cutover"]\n',
        )
    )
    assert "Work in progress at the moment of the switch" in _titles(plan)


def test_a_product_surface_that_will_act_keeps_a_rota_text_a_change() -> None:
    # "rota" alone says people's work; the screen that will suggest is the change
    assert _kinds(
        "Suggested bank nurse for each open shift",
        "Ward managers fill next month's rota by hand from a list of bank nurses. The staffing "
        "screen will suggest a nurse for each open shift, ranked by grade, ward experience and hours left.",
    )
    assert _kinds("Winter rota for the ward", "Ward managers agree next winter's rota with the nurses.") == []


def test_walk_ups_at_the_desk_are_no_office_desk() -> None:
    assert _kinds(
        "Timed entry for the winter lights trail",
        "Visitors will book a 15-minute entry slot online instead of queuing at the gate; a tenth of "
        "each slot is kept back for walk-ups at the desk.",
    )[:1] == ["product-feature"]
    assert _kinds("New desks for the office", "Replace the desks and chairs on the second floor.") == []


def test_keys_and_code_samples_for_outside_systems_are_a_public_api() -> None:
    assert "public-api-sdk" in _kinds(
        "Stock lookups for approved resellers",
        "Approved resellers will get keys to connect their own shop systems: look up each product's "
        "stock and reserve units, with documentation and code samples.",
    )


def test_a_model_or_a_detector_named_as_the_worker_is_machine_learning() -> None:
    assert "ml-llm" in _kinds(
        "Expense claims filled in from receipt photos",
        "Staff photograph each receipt and a model will read it and pre-fill the claim's merchant, date "
        "and amount; the claimant checks every field before submitting.",
    )
    assert "ml-llm" in _kinds(
        "Spot vans blocking the loading bay",
        "The yard cameras will run a vehicle detector trained on 50,000 labelled photos from our own sites "
        "and alert the gatehouse.",
    )
    # a car model is no machine-learning model
    assert "ml-llm" not in _kinds(
        "Book a service slot when configuring",
        "People configuring a model will be able to book a service slot at a nearby garage.",
    )


def test_results_put_in_order_by_a_finder_are_search() -> None:
    assert _kinds(
        "Course finder shows part-time options",
        "Learners look up courses in our portal, but only full-time courses appear. The course finder will "
        "also propose part-time and evening courses and order the results by distance, start date and fee.",
    )[:1] == ["search-recommendations"]


def test_a_shared_spreadsheet_replaced_by_a_tool_with_its_records_brought_in() -> None:
    kinds = _kinds(
        "Grants tracker for the funding team",
        "Our two grant officers track 400 applications a year in a shared spreadsheet and email. We will "
        "build a grants tracker where each application holds its budget, decision and payments, and bring "
        "in the 2,300 grants recorded in the spreadsheet since 2015.",
    )
    assert "internal-tooling" in kinds and "data-migration" in kinds


def test_a_veto_word_in_a_sentence_about_today_does_not_veto() -> None:
    text = (
        "Clear a blocked drain: customers book online",
        "Today customers phone the office, which keys each call-out into the diary. Customers will "
        "choose the engineer's arrival window themselves and pay the call-out fee up front.",
    )
    assert _kinds(*text)[:1] == ["product-feature"]
    # the same word in the change itself still says it is an office move
    assert _kinds("Move the office", "The office moves to the second floor in May.") == []


def test_a_third_party_or_a_desktop_program_is_no_party_or_office_desk() -> None:
    assert _kinds(
        "Delivery dates from third-party sellers on product pages",
        "Each product page will show when a marketplace seller's parcel is due, before the shopper pays.",
    )[:1] == ["product-feature"]
    assert _kinds(
        "Share a drawing from the desktop editor",
        "Designers share a drawing by link from our desktop editor and clients comment on it.",
    )[:1] == ["product-feature"]


def test_a_planner_being_built_for_a_rota_kept_in_a_spreadsheet_is_a_staff_tool() -> None:
    assert _kinds(
        "Surgery rota and locum planner",
        "Our nine practice managers plan the rota for 60 dental surgeries in a spreadsheet. We are building "
        "a planner that shows gaps in cover two weeks ahead and books locums from an approved list.",
    ) == ["internal-tooling"]
    # a rota agreed between people is still their work
    assert (
        _kinds(
            "Summer rota for the lock keepers",
            "Agree the summer rota with the lock keepers: who covers each lock at weekends.",
        )
        == []
    )


@pytest.mark.parametrize(
    ("name", "description", "staff_tool"),
    [
        (
            "Handheld scanners for the returns bay",
            "Our 60 warehouse staff check returned parcels against a printed pick list. They will "
            "get rugged handhelds that scan each item and record its condition.",
            True,
        ),
        (
            "Tablets in the bin lorries",
            "Our 40 refuse crews work from printed round sheets today. In-cab tablets will show the "
            "round in order and let them report a missed bin with one tap.",
            True,
        ),
        (
            "Quoting tool for the estimators",
            "Our 30 window estimators price jobs with their own spreadsheets. We are building a "
            "quoting tool that works out glass, frames and fitting time from the survey.",
            True,
        ),
        # a printed thing the customers hold, and a tablet in customers' warehouses, are the product
        (
            "Tickets in the app instead of on paper",
            "Our passengers show printed tickets to the conductor today. They will show a QR code "
            "in our app instead, and conductors scan it.",
            False,
        ),
        (
            "Stop the robots in one aisle from the floor tablet",
            "Our software runs picking robots in customers' warehouses. Shift leads will draw a zone "
            "on the floor tablet's map and pause only the robots in it.",
            False,
        ),
    ],
)
def test_a_device_or_a_printed_sheet_of_our_own_people_reads_a_staff_tool(
    name: str, description: str, staff_tool: bool
) -> None:
    kinds = _kinds(name, description)
    assert (kinds[:1] == ["internal-tooling"]) is staff_tool, kinds


@pytest.mark.parametrize(
    ("name", "description", "kind"),
    [
        # work offered to the nearest person is matching, not an everyday change
        (
            "Allocate jobs by nearest ETA",
            "Jobs are offered to drivers by zone queue today. We will switch auto-allocation to offer each "
            "job to the driver with the shortest road ETA.",
            "search-recommendations",
        ),
        # a fare fixed by zone and a supplement at busy times are prices
        (
            "Fixed airport fares and a night supplement",
            "Airport runs are priced on the mileage tariff today. We will introduce fixed fares by postcode "
            "zone and a 1.3x supplement on Friday and Saturday nights.",
            "pricing-packaging",
        ),
        # who may open a building's doors, taken away by a rule
        (
            "Door access follows membership",
            "Door access is managed in the access-control system. Out-of-hours access is suspended for "
            "accounts 21 days overdue and revoked the day after a membership ends.",
            "identity-access",
        ),
        # tablets at the sites where our own people work
        (
            "Changeover app for housekeepers",
            "Housekeeping teams work from a printed list today. The 300 housekeepers and supervisors will "
            "get a web app on park tablets showing their assigned units and a checklist.",
            "internal-tooling",
        ),
        # customers building their own order from a menu is a product feature
        ("Pizza menu builder", "Customers build their own takeaway pizza from our menu.", "product-feature"),
        # supplements sold in a shop are no price rule
        (
            "Vitamin supplements in the online shop",
            "Customers can buy our vitamin supplements in the online shop and have them delivered.",
            "product-feature",
        ),
        # session 28: a price rise given in written notice is a price change
        (
            "New storage unit prices",
            "Unit prices rise 4% from 1 June; customers get 30 days' written notice and the new price "
            "applies automatically at their next monthly payment.",
            "pricing-packaging",
        ),
        # business clients charged by a published rate card or a markup over pay
        (
            "Published rate cards for guarding clients",
            "Each of our 300 guarding clients has an hourly charge rate negotiated by its account "
            "manager. From 1 July every client moves to one of two published rate cards with a "
            "fixed markup over the officer's pay rate.",
            "pricing-packaging",
        ),
        # fines for lateness scrapped and a charge removed
        (
            "Go fine-free at the toy library",
            "Members pay 20p a day for late toys today. From 1 April we will stop overdue fines, "
            "write off what members owe and scrap the reservation charge.",
            "pricing-packaging",
        ),
        # a charge for shared services split by what each block actually costs
        (
            "Service charges by actual block costs",
            "Leaseholders in our 40 blocks pay the same flat service charge. From April each "
            "block's service charge will be its own share of actual cleaning and lift contract "
            "costs.",
            "pricing-packaging",
        ),
        # a job site's shift-pattern filter is no rota of ours
        (
            "Relevance-ranked shift search for bank nurses",
            "Bank nurses search 3,000 open shifts a week, sorted by date today. We will rank "
            "shifts by relevance with ward, grade, distance and shift-pattern filters, so nurses "
            "find the right shifts first.",
            "search-recommendations",
        ),
        # homes recommended to applicants, and a ranked shortlist for each
        (
            "Recommended homes for applicants",
            "About 5,000 households on the housing register bid for empty homes each year. "
            "Applicants will see recommended homes that fit their assessed need, and officers get "
            "a ranked shortlist for each advert.",
            "search-recommendations",
        ),
        # one console given to our own agents
        (
            "One console for our booking agents",
            "Our 60 customer care agents switch between the booking system, email and a "
            "spreadsheet of refunds. We will give them one console showing the booking, the hotel "
            "and the messages, with refunds up to a limit per agent level.",
            "internal-tooling",
        ),
        # an app named as our staff's own
        (
            "Staff tablet app for meter readers",
            "Meter readers write readings on paper cards in areas with no signal. We will give "
            "them a staff tablet app that works offline and syncs readings when it finds signal.",
            "internal-tooling",
        ),
        # how long personal data is kept, cut, and data no longer recorded
        (
            "Shorter retention of guest Wi-Fi logs",
            "Our hotels keep guest Wi-Fi session logs (room number, device and sites visited) for "
            "two years, and the Wi-Fi sign-in page asks for name and email. We will cut retention "
            "to 30 days, stop recording sites visited, replace the form with a click-through page "
            "and delete the historic data.",
            "privacy-compliance",
        ),
    ],
)
def test_what_a_text_says_it_changes_reads_its_kind(name: str, description: str, kind: str) -> None:
    assert _kinds(name, description)[:1] == [kind]


def test_a_text_that_reaches_a_driver_brings_the_risk_of_reading_it_at_the_wheel(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Texts when a loading slot moves",
            "When the warehouse changes a loading slot, the driver named on the booking will get an SMS with "
            "the new time within five minutes.",
        )
    )
    assert "while driving" in _titles(plan)
    # a text to a shopper about their delivery reaches nobody at the wheel
    shopper = plan_of(
        _spec(
            "Texts when a delivery slot moves",
            "When we change a delivery slot, the customer will get an SMS with the new time.",
        )
    )
    assert "while driving" not in _titles(shopper)


def test_a_login_change_names_the_support_load_it_brings(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Own logins for every club coach",
            "Coaches at our 80 clubs stop sharing one club login and sign in with their own password.",
        )
    )
    assert "Support load rises sharply in each wave: help desk calls" in _titles(plan)


def test_work_in_a_regulated_activity_names_its_sector_rules_unasked(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Order repeat inhalers in the app",
            "Patients on a repeat prescription can order their inhaler in our app and choose home delivery.",
        )
    )
    assert "The regulations, licence conditions or statutory duties" in _titles(plan)
    # a change in an unregulated trade names no rules it does not have
    bakery = plan_of(
        _spec(
            "Order birthday cakes in the app",
            "Customers can order a birthday cake in our app and choose home delivery.",
        )
    )
    assert "The regulations, licence conditions or statutory duties" not in _titles(bakery)


def test_a_permit_or_a_door_code_handed_out_by_the_product_brings_its_misuse(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Visitor parking permits in the app",
            "Residents can get a visitor parking permit in our app for each visitor's car registration.",
        )
    )
    assert "People game or defraud" in _titles(plan)


def test_a_round_people_enter_each_year_or_by_a_closing_date_brings_its_last_day_peak(
    plan_of: PlanOf,
) -> None:
    entries = plan_of(
        _spec(
            "Art fair entries online",
            "Each year about 6,000 artists enter our summer art fair by post. They will apply online "
            "instead, upload photos of two works and pay the entry fee.",
        )
    )
    assert "Everyone comes at once, before a closing date" in _titles(entries)
    on_sale = plan_of(
        _spec(
            "Choose your seat for the cup final",
            "Season ticket holders can pick a cup final seat in our app when the tickets go on sale.",
        )
    )
    assert "Everyone comes at once, before a closing date" in _titles(on_sale)
    favourites = plan_of(
        _spec("Save favourite artworks", "Visitors can save the artworks they like to a list in our app.")
    )
    assert "Everyone comes at once, before a closing date" not in _titles(favourites)


def test_a_model_whose_output_is_acted_on_says_who_answers_for_it(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "AI first draft of parking appeal decisions",
            "An AI model will draft the decision letter for each parking fine appeal from the driver's "
            "statement and the photos; an officer edits and sends it.",
            extra='change_types = ["ml-llm"]\n',
        )
    )
    assert "must answer for it" in _titles(plan)
    tags = plan_of(
        _spec(
            "Photo tags by AI",
            "An AI model tags each photo in our gallery app with what is in it, such as beach or dog.",
            extra='change_types = ["ml-llm"]\n',
        )
    )
    assert "must answer for it" not in _titles(tags)


def test_a_product_that_can_hurt_someone_when_wrong_keeps_a_hazard_log(plan_of: PlanOf) -> None:
    parts = plan_of(
        _spec(
            "Spare parts for this boiler",
            "Engineers scan a gas boiler's serial plate in our app and see only the spare parts that fit it.",
        )
    )
    assert "Safety: when" in _titles(parts)
    wallet = plan_of(
        _spec(
            "Prepaid ride wallet",
            "Riders top up a wallet in our app and pay for each e-bike ride from it.",
        )
    )
    assert "Safety: when" not in _titles(wallet)


def test_stock_shown_by_where_it_is_sells_from_stock_without_saying_in_stock() -> None:
    assert "store-stock" in _facets(
        "Which garden centre has this plant",
        "On our website, customers type a plant's name and see which of our branches near them have it on "
        "the shelf today.",
        ["product-feature"],
    )
    assert "store-stock" in _facets(
        "Timber offcuts online",
        "Joiners can search our stock by species and size and see which branch holds each piece.",
        ["product-feature"],
    )


def test_a_change_shown_in_the_phone_app_reaches_only_those_who_update(plan_of: PlanOf) -> None:
    app = plan_of(
        _spec(
            "Pause a streak for a day",
            "Members can pause their running streak for one day a month from the streaks screen in our app.",
        )
    )
    assert "older versions of the app" in _titles(app)
    web = plan_of(
        _spec(
            "Pause a streak for a day",
            "Members can pause their running streak for a day from the streaks page on our website.",
        )
    )
    assert "older versions of the app" not in _titles(web)


def _read(name: str, description: str) -> list[str]:
    # the rules with the nearest known features heard, as plans read a feature
    return [d.profile.id for d in load_catalog().changes.read(name, description).kinds]


def test_a_rota_tool_given_to_our_managers_is_a_staff_tool_not_the_work_of_a_rota() -> None:
    # session 21: many known features of no kind are rotas agreed between people; a rota tool
    # handed to our own managers is a change to the company's tools
    text = (
        "Rotas for the 900 kitchen porters at our 30 hotels are built by each head chef in a spreadsheet. We "
        "will give head chefs a rota tool that builds shifts from forecast covers and sends hours to payroll."
    )
    assert _read("Kitchen rota tool for our hotels", text)[:1] == ["internal-tooling"]
    assert _read("Kitchen rota for the winter", "Head chefs agree the winter rota with the porters.") == []


def test_a_back_office_tool_launched_for_a_duty_staff_sign_in_is_a_staff_tool() -> None:
    assert "internal-tooling" in _read(
        "Duty manager sign-in at each leisure centre",
        "Each of our 60 leisure centres must have a duty manager on site while it is open, recorded today "
        "in a paper book, and area managers plan the duty rota by phone. We will launch a back-office "
        "tool where duty managers sign in and out on the reception PC and head office sees which centres "
        "have none.",
    )


def test_we_will_let_people_do_it_states_a_capability_whatever_the_people_are_called() -> None:
    # a printer at the counter is no office printer when the text says what people will be let do
    assert _kinds(
        "Collect a repair ticket without paper",
        "Cyclists leaving a bike for repair sign a paper ticket at the counter. We will let riders take a "
        "QR code instead: the mechanic scans it and the job card prints on the workshop printer.",
    )[:1] == ["product-feature"]
    assert _kinds("Replace the office printers", "Replace the 40 office printers on every floor.") == []


def test_the_years_of_records_a_new_system_takes_over_make_it_a_data_migration() -> None:
    assert _kinds(
        "One fishing log for every boat",
        "Our 70 boats keep catch logs on paper or in an old desktop program. Every boat moves onto "
        "the new catch log, importing the last three years of entries and each quota balance.",
    )[:1] == ["data-migration"]
    assert "data-migration" in _kinds(
        "New member system for the sailing club",
        "The club switches to a new member system, bringing across each member's records and ten "
        "years of history.",
    )


def test_what_delivery_costs_changed_is_pricing() -> None:
    assert _kinds(
        "New delivery charges for the farm shop",
        "Our farm shop charges £4 delivery on every online order. From March, delivery is free on orders "
        "over £35, £4.50 below that, and members of the £19-a-year Delivery Pass get unlimited free "
        "next-day delivery.",
    )[:1] == ["pricing-packaging"]


def test_a_service_that_sends_devices_their_settings_plans_for_them_acting_on_it(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Peak-hour thermostat nudges",
            "For the 30,000 homes on our demand-response tariff, a new service will lower each smart "
            "thermostat by one degree during the evening peak, sending the new setpoint through the two "
            "thermostat makers' cloud APIs and putting it back afterwards.",
        )
    )
    titles = _titles(plan)
    assert "fail or arrive late at some devices" in titles
    assert "left on a wrong or half-applied plan" in titles
    assert "cloud APIs limit, change or go down" in titles
    assert plan.rollback is not None
    assert "device_commands_unconfirmed" in {t.metric for t in plan.rollback.triggers}
    # a phone's battery is no device the product sends commands to
    assert "commands-devices" not in _facets(
        "Battery saver for the walking app",
        "The app will use less battery on long walks by checking the location less often.",
        ["mobile-release"],
    )


def test_a_card_authorised_now_and_captured_later_plans_for_the_hold_lapsing(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Pay when the made-to-measure blind is cut",
            "Customers ordering made-to-measure blinds online pay in full at checkout, and 6% of orders are "
            "refunded by hand when a size cannot be made. We will authorise the card at checkout and capture "
            "payment only when the workshop cuts the blind.",
        )
    )
    assert "The card hold lapses before the later charge" in _titles(plan)


def test_food_and_drink_ordered_in_the_product_names_its_allergens() -> None:
    assert "food-people-eat" in _facets(
        "Order food and drink from your lane",
        "Bowlers will be able to order food and drinks from their lane on their phone and have them "
        "brought over.",
        ["product-feature"],
    )


def test_digital_goods_sold_inside_the_phone_apps_follow_the_stores_payment_rules(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Yearly plan for the crossword app",
            "Solvers pay £1.49 for each puzzle pack in our crossword app. We will sell a monthly or yearly "
            "plan with every pack included, after a seven-day free trial.",
        )
    )
    assert "app stores' payment rules" in _titles(plan)
    # parking paid in an app is a service used outside it: our own checkout
    plan = plan_of(
        _spec(
            "Monthly parking plan in the app",
            "Drivers pay for each stay in our car parks in the app. We will sell a monthly plan with "
            "unlimited parking at one car park, after a seven-day free trial.",
        )
    )
    assert "app stores' payment rules" not in _titles(plan)


def test_children_or_adults_at_risk_reached_through_it_bring_the_safeguarding_lead(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "Coaches message the swim squad",
            "Coaches at our 12 pools will be able to message the parents of the children in their squad "
            "in the app instead of through their own phones.",
        )
    )
    assert any(s.group == "safeguarding" for s in plan.stakeholders)
    plan = plan_of(_spec("Pallet labels", "Warehouse staff can print pallet labels from the handheld."))
    assert not any(s.group == "safeguarding" for s in plan.stakeholders)


def test_every_item_scored_to_pick_out_the_ones_worth_a_look_is_machine_learning() -> None:
    assert _kinds(
        "Point the claims team at the odd expense claims",
        "Our 40 claims checkers read a random tenth of the 9,000 monthly expense claims. Score every claim "
        "and put the most unusual at the top of their list.",
    )[:1] == ["ml-llm"]
    assert _kinds(
        "Highlight the calls worth a second look",
        "Mark the moments in each recorded sales call that look worth a second look for the team leader.",
    )[:1] == ["ml-llm"]
    assert "ml-llm" not in _kinds(
        "Gymnastics judges score on tablets",
        "Judges score each routine on a tablet and the results go up straight away.",
    )


def test_a_staff_tool_naming_our_people_by_trade_plans_their_training_and_habits(plan_of: PlanOf) -> None:
    plan = plan_of(
        _spec(
            "A review queue for our surveyors",
            "Our 30 building surveyors pick damp reports from one shared list, oldest first. The queue we "
            "are building gives each report to one surveyor and puts urgent ones first.",
        )
    )
    assert _ids(plan)[:1] == ["internal-tooling"]
    titles = _titles(plan)
    assert "Teams get no training time" in titles
    assert "staff do not adopt it" in titles
    # "we are building" and "building surveyors" name no build pipeline
    assert "A pipeline change blocks" not in titles


@pytest.mark.parametrize(
    ("name", "description", "payment"),
    [
        # wages a feature feeds are no payment it takes; people paying is
        (
            "Cleaners clock in with a tag",
            "Cleaners will log arrival at each office by tapping an NFC tag in the phone app; the times "
            "feed lateness alerts, the cleaners' pay and our monthly client invoices.",
            False,
        ),
        (
            "Unlimited dog washes for a monthly fee",
            "Owners pay £15 a month by card for unlimited washes at any of our 12 dog wash stations.",
            True,
        ),
        # "capture" alone is a camera's, a scale's or a form's; a card hold captured later is a payment
        (
            "Pickers weigh cheese on the tablet",
            "Pickers' tablets capture catch weights from Bluetooth scales, and the office no longer "
            "keys them in before the invoices go out.",
            False,
        ),
        (
            "New card terminals on the fuel pumps",
            "The pump terminals take a 150 pound pre-authorisation hold, captured at the final pumped "
            "amount.",
            True,
        ),
    ],
)
def test_a_payment_is_read_where_money_is_taken_not_from_wages_or_a_captured_weight(
    name: str, description: str, payment: bool
) -> None:
    assert ("payments-billing" in _kinds(name, description)) is payment


def test_records_migrated_out_of_a_system_that_is_then_retired_are_a_data_migration() -> None:
    # session 22: whatever the records are called, migrating what an old system holds before it is
    # switched off is a data migration (a removals firm's jobs, quotes and inventories read no kind)
    kinds = _kinds(
        "Casework onto the new platform",
        "The advice service keeps 40,000 cases, callbacks and letters in an in-house tool. We will "
        "migrate all of it into the platform we licensed in spring, then decommission the old system.",
    )
    assert kinds[:1] == ["data-migration"]
    # a migration of people to a new plan or a theme is none
    assert "data-migration" not in _kinds("New plans", "We will migrate customers to the new plans.")


def test_records_migrated_by_a_pronoun_are_a_data_migration_whatever_the_records_describe() -> None:
    # session 23: "migrate them into the ERP" moves the records named before it; the pallets the
    # records trace are no physical move that vetoes it
    kinds = _kinds(
        "Lot history into the new ERP",
        "Eight years of lot records live in a legacy quality package whose supplier ends support in "
        "June. We will migrate them into the ERP that runs our orders, so a pallet on the dock can be "
        "traced to its ingredient lots.",
    )
    assert kinds[:1] == ["data-migration"]
    # pallets moved by people to a new warehouse stay no data migration
    assert "data-migration" not in _kinds(
        "Move to the Leeds warehouse",
        "Our removal company moves 2,000 pallets and the racking to the new Leeds unit over a weekend.",
    )


# session 23: what a feature does brings its own risks and trigger, and a look-alike does not.
# (name, description, kind set by hand, title words present, title words absent, trigger metric)
_SESSION_23 = [
    # deciding who works which duty is a rota's work too, and who gets the overtime and the
    # offers is agreed with staff
    (
        "Duty board for the tram depots",
        "Supervisors at our two tram depots allocate the next day's duties to 300 drivers on a "
        "whiteboard. A duty board will propose who takes each duty, cover sickness from the spare "
        "list and show the overtime each driver has had this month.",
        "internal-tooling",
        ("working time limits", "drivers' hours", "go to the same few people"),
        (),
        None,
    ),
    # the business files what the product works out: wrong figures cost penalties, a filed
    # return cannot be taken back, and filing needs credentials
    (
        "Landfill tax return from the weighbridge",
        "Our finance team types each quarter's landfill tax return into the authority's portal from "
        "weighbridge reports. The new service will work the return out from the weighbridge tickets "
        "and file it through the authority's API after the finance director signs it off.",
        "backend-api",
        ("penalties and interest", "cannot be taken back", "fraud-prevention headers"),
        (),
        "return_variance_vs_parallel_calculation",
    ),
    # prices paid at a ticket machine or a till change overnight; a subscription's plan-to-feature
    # entitlements are no risk of theirs, and a subscription's tiers have no till
    (
        "New tram fares from April",
        "From 1 April the single fare on our tram network rises from £2.00 to £2.20 and the day "
        "ticket is cut to £5. The new fares go onto the 180 ticket machines and the app overnight.",
        "pricing-packaging",
        ("Wrong prices or fares are loaded", "are not briefed", "bought at the old price"),
        ("Entitlements do not match",),
        "price_disputes_and_overrides",
    ),
    (
        "Three plans for the invoicing app",
        "Our invoicing app moves from one paid plan to three tiers with new prices; existing "
        "subscribers keep their price for a year.",
        "pricing-packaging",
        ("Entitlements do not match",),
        ("Wrong prices or fares are loaded",),
        None,
    ),
    # an incident report drafted from a voice note can state wrong facts, but it has no prices
    # or discounts to get wrong
    (
        "Incident reports drafted from voice notes",
        "Security officers record a voice note after an incident; an LLM drafts the incident report, "
        "which the officer checks before it goes to the client's site manager.",
        "ml-llm",
        ("Drafts state wrong facts",),
        ("price", "Price"),
        None,
    ),
    # billing from the hours actually worked instead of a contract schedule: the records and
    # rates behind a line, and customers who cannot check it
    (
        "Window cleaning invoices from the hours worked",
        "Our office raises each client's monthly invoice from the contract schedule. The new system "
        "will invoice from the hours actually worked, logged by each cleaner's app, plus approved "
        "extra jobs.",
        "payments-billing",
        ("The records", "unapproved entries", "dispute invoices they cannot check"),
        (),
        "invoice_queries_per_100",
    ),
    # a reply drafted for a tenant in debt must not go out as a routine answer; a sales email
    # draft has no such reader
    (
        "Reply drafts for the housing team",
        "An LLM will draft a reply to each tenant's email about rent arrears and repairs, which a "
        "housing officer checks and sends.",
        "ml-llm",
        ("misses that the person is vulnerable",),
        (),
        None,
    ),
    (
        "Sales email drafts",
        "An LLM drafts a reply to each prospect's email from the CRM record, which the rep edits.",
        "ml-llm",
        (),
        ("misses that the person is vulnerable",),
        None,
    ),
]


_SESSION_24 = [
    # a route planner is judged by its routes: worse ones, broken constraints and orders left
    # unplanned, counted by on-time drops, miles per drop and unassigned orders
    (
        "New route planner for the bakery vans",
        "Our 30 bakery vans are planned each night in a route planner whose contract ends in May. We "
        "move route planning to a new provider, with each shop's delivery window carried across.",
        "vendor-migration",
        ("worse than today's", "leaves orders unassigned"),
        (),
        "unassigned_orders_after_planning",
    ),
    # a lockout where customers order through the login is lost orders; where staff read their
    # payslips it is not
    (
        "Two-step sign-in for the trade ordering site",
        "Our 4,000 trade customers place orders for timber and fixings through the trade site with "
        "a password. We will require a second step at sign-in for every account.",
        "identity-access",
        ("cannot order, book or work through it",),
        (),
        "orders_through_login_vs_baseline",
    ),
    # hired tools carry their inspection dates: lose them and an unsafe tool goes out on hire
    (
        "Tool hire onto the ERP's hire module",
        "Our 60 hire depots move tool hire onto the ERP's hire module: 14,000 tools come across with "
        "their lifting and electrical test certificates and next inspection dates.",
        "data-migration",
        ("a check is missed and unsafe",),
        (),
        "assets_in_use_past_due_check",
    ),
    # a rota that lets people work only with a current licence check fails both ways
    (
        "Rota blocks drivers with a lapsed licence check",
        "Drivers can only be rostered onto a shift when their driving licence check and CPC training "
        "are in date; the rota tool will block anyone whose check has lapsed.",
        "internal-tooling",
        ("is rostered, booked or let work anyway",),
        (),
        "lapsed_people_assigned",
    ),
    # a price that follows the customer's postcode is only as right as the band it reads; a season's
    # price bands are dates, not where the customer is
    (
        "Lesson prices by postcode band",
        "From March our driving lessons are priced by the learner's postcode in three bands (£34, £38 "
        "and £45 an hour), shown when they book in the app.",
        "pricing-packaging",
        ("put in the wrong price band",),
        (),
        "charged_band_mismatches",
    ),
    (
        "Seasonal price bands for boat hire",
        "Our canal boats get three seasonal price bands (low, shoulder and high season) instead of one "
        "weekly price.",
        "pricing-packaging",
        (),
        ("put in the wrong price band",),
        None,
    ),
    # another engine is a conversion (stored code, types, query results); the same engine's new
    # version is not
    (
        "Diary database to managed PostgreSQL",
        "Our lesson diary runs on a self-hosted MySQL 5.7 server. We will move it to a managed "
        "PostgreSQL service in the cloud over one weekend, with a way back.",
        "infra-cutover",
        ("Moving to another database engine changes the SQL", "Integrations, jobs, scripts"),
        (),
        None,
    ),
    (
        "MySQL 5.7 to 8.0",
        "Our lesson diary runs on a self-hosted MySQL 5.7 server. We will upgrade it to MySQL 8.0 over "
        "one weekend, with a way back.",
        "infra-cutover",
        (),
        ("Moving to another database engine",),
        None,
    ),
    # a partner order API's next version: the channel's volume is at stake and new credentials
    # are refused
    (
        "Orders API v2 for partners",
        "Our 40 partner shops send orders through our orders API with an API key. Version 2 moves them "
        "to OAuth client credentials; v1 is switched off in June.",
        "public-api-sdk",
        ("the partner channel's revenue is lost",),
        (),
        "api_auth_failure_rate",
    ),
    # what a deletion run must never touch, counted after each run
    (
        "Dashcam footage deleted after 30 days",
        "Footage from our 300 vans' dashcams is kept for ever. From May it is deleted after 30 days, "
        "unless an insurance claim or an incident flags it.",
        "privacy-compliance",
        (),
        (),
        "held_records_deleted",
    ),
    # two-step sign-in is paced by enrolment before enforcement
    (
        "Two-step sign-in for councillors",
        "Our 60 councillors sign in to the casework system with a password; we will require two-factor "
        "authentication from September, after an enrolment month.",
        "identity-access",
        (),
        (),
        "mfa_enrolment_completion",
    ),
    # a price paid per sale is judged by revenue and margin per sale
    (
        "Next-day delivery pass at £4",
        "Customers of our online pharmacy will pay £4 a month for free next-day delivery on every order, "
        "instead of £3.50 per order.",
        "pricing-packaging",
        (),
        (),
        "revenue_per_sale_vs_forecast",
    ),
    # a finder that matches items to a need is judged by whether they suit it; a grave finder
    # matches a name, not a need
    (
        "Plant finder for your garden",
        "Customers answer three questions about their garden (sun or shade, soil, space) and the plant "
        "finder suggests plants from our range for it.",
        "search-recommendations",
        ("do not suit it",),
        (),
        "unsuitable_returns_rate",
    ),
    (
        "Grave finder",
        "Families search our burial records by name to find a grave and see it on the cemetery map.",
        "search-recommendations",
        (),
        ("do not suit it",),
        None,
    ),
    # a public app's release is read in its store reviews, redesigned or not
    (
        "Plant scan in the garden club app",
        "Members of our garden club app can scan a plant label to see care tips; the release goes to "
        "iOS and Android.",
        "mobile-release",
        (),
        (),
        "app_store_rating_drop",
    ),
    # a booking database's switch shows first in double bookings; a billing one's in bill runs
    (
        "Chapel bookings database to the cloud",
        "Our crematoria's chapel bookings live in an on-premise SQL Server; funeral directors book "
        "service slots through it. We will move the database to a managed cloud service over a weekend.",
        "infra-cutover",
        (),
        (),
        "double_bookings_after_switch",
    ),
    (
        "Billing database to the cloud",
        "The water billing system's Oracle database moves to our cloud tenancy over a weekend, with the "
        "nightly bill run and payment files repointed.",
        "infra-cutover",
        (),
        (),
        "scheduled_runs_missed_or_doubled",
    ),
    # trade customers who paid invoices when they chose meet Direct Debit with resistance and
    # disputed invoices; returns and cancelled mandates are counted each run
    (
        "Direct Debit for trade accounts",
        "Our 2,400 trade account customers pay monthly invoices by bank transfer, often late. From "
        "April we will collect each month's statement by Direct Debit ten days after it is sent.",
        "payments-billing",
        ("resist Direct Debit", "under query is collected anyway"),
        (),
        "direct_debit_returns_and_cancellations",
    ),
    # an assistant that answers the public is held on what its guardrails catch
    (
        "AI assistant for passengers",
        "An AI assistant on our airport website and app answers passengers' questions about parking, "
        "security queues and special assistance, from our own pages, using an LLM.",
        "ml-llm",
        (),
        (),
        "guardrail_flag_rate",
    ),
    (
        "Two-step sign-in for the HR system",
        "Staff sign in to the HR system to see their payslips and holiday; we will require a second "
        "step at sign-in for everyone.",
        "identity-access",
        (),
        ("cannot order, book or work through it",),
        None,
    ),
]


def test_a_subscriptions_tiers_are_judged_by_conversion_and_churn_not_revenue_per_sale(
    plan_of: PlanOf,
) -> None:
    plan = plan_of(
        _spec(
            "Three plans for the invoicing app",
            "Our invoicing app moves from one paid plan to three tiers with new prices; existing "
            "subscribers keep their price for a year.",
            extra='change_types = ["pricing-packaging"]\n',
        )
    )
    assert plan.rollback is not None
    metrics = {t.metric for t in plan.rollback.triggers}
    assert "revenue_per_sale_vs_forecast" not in metrics and "churn_or_downgrade_rate_increase" in metrics


@pytest.mark.parametrize(
    ("name", "description", "profile", "facet"),
    [
        # marshals assigning vehicles to lanes across the day's shifts allocate no one's work
        (
            "Lane tablets for the port marshals",
            "Marshals get a tablet showing each vehicle's assigned lane, and can reassign a lane with "
            "one tap; 85 marshals use it across shifts that run around the clock.",
            "product-feature",
            "shift-swaps",
        ),
        # a journey planner plans people's trips, not vehicles' routes; ticket routing plans none
        (
            "Journey planner in the bus app",
            "Passengers plan routes across our buses and trams in the app, with walking routes to the "
            "stops and live departures.",
            "product-feature",
            "plans-routes",
        ),
        (
            "Ticket routing for the help desk",
            "Routing rules send each support ticket to the right team; the route planner of tickets by "
            "product area replaces the manual triage.",
            "internal-tooling",
            "plans-routes",
        ),
        # customers booking their own car's MOT keep no register of our assets' checks
        (
            "Book your MOT online",
            "Customers book an MOT or a service at our 12 workshops online and get a reminder the day "
            "before.",
            "product-feature",
            "inspections-due",
        ),
        # an ebook licence that runs out is the library's stock, not a person's qualification
        (
            "Ebook loans from the new supplier",
            "Library members borrow ebooks from the new supplier; our ebook licences expire after 26 "
            "loans, and the app shows members when a loan runs out.",
            "vendor-migration",
            "qualifications-expire",
        ),
        # a reminder of the deadline files nothing
        (
            "VAT deadline reminders",
            "Clients get a reminder a week before their VAT return is due, and another the day before.",
            "notifications-messaging",
            "files-returns",
        ),
    ],
)
def test_look_alikes_of_session_23_and_24s_facets_do_not_read_them(
    name: str, description: str, profile: str, facet: str
) -> None:
    assert facet not in _facets(name, description, [profile])


def test_drinks_ordered_where_people_drink_them_bring_the_age_check_and_the_licence(
    plan_of: Callable[[str], Plan],
) -> None:
    # session 23: pints ordered at the table in a taproom are alcohol handed over, though the text
    # never says "alcohol"; the licence also forbids serving someone who is drunk
    name = "Order at the table in our taprooms"
    description = (
        "Guests in our four taprooms will order pints and snacks from their table by scanning a QR "
        "code and paying in the browser; bar staff bring the order out."
    )
    plan = plan_of(_spec(name, description, extra='change_types = ["product-feature"]\n'))
    risk = next((r for r in plan.risks if r.title.startswith("Age-restricted items")), None)
    assert risk is not None, _titles(plan)
    assert "someone who is drunk" in risk.mitigation


def test_screens_in_public_places_bring_stale_content_hardware_readability_and_emergency_risks(
    plan_of: Callable[[str], Plan],
) -> None:
    # session 22: screens people read where they cannot ask anything (a bus station's departure
    # boards, a cinema's menu boards), many models of them, switched over zone by zone
    name = "New layout for the departure boards"
    description = (
        "The departure boards in our 12 bus stations get a new layout with bigger stand numbers "
        "and live delay reasons, station by station."
    )
    plan = plan_of(_spec(name, description, extra='change_types = ["ui-frontend"]\n'))
    titles = _titles(plan)
    for words in (
        "wrong, stale, frozen or blank",
        "media players",
        "cannot read the new screens",
        "Emergency",
    ):
        assert words in titles, words
    assert plan.rollback is not None
    assert "screens_not_updating" in [t.metric for t in plan.rollback.triggers]
    # a screen reader, or a phone's screens, are no screens in public
    assert "public-screens" not in _facets(
        "Screen reader labels",
        "Every button on the booking screens gets a screen reader label.",
        ["ui-frontend"],
    )


def test_a_system_an_operation_runs_on_gets_a_manual_fallback_for_its_switch(
    plan_of: Callable[[str], Plan],
) -> None:
    # session 22: the people who run an operation on a system moved to new hosting need a way to
    # keep working in the window and if the switch fails; a service with nobody working on it does not
    ops = plan_of(
        _spec(
            "Lab sample tracking to the cloud",
            "The sample tracking database our 60 lab technicians use on every shift moves from the "
            "server room to managed PostgreSQL over one weekend.",
            extra='change_types = ["infra-cutover"]\n',
        )
    )
    assert "no tested way to keep working" in _titles(ops)
    api = plan_of(
        _spec(
            "Search cluster upgrade",
            "Upgrade the search cluster behind our public API from Elasticsearch 7 to 8 with a "
            "blue-green switch.",
            extra='change_types = ["infra-cutover"]\n',
        )
    )
    assert "no tested way to keep working" not in _titles(api)


def test_a_change_where_people_queue_to_be_served_watches_the_wait(plan_of: Callable[[str], Plan]) -> None:
    # session 22: a change at the place people are served is judged first by the line it makes
    plan = plan_of(
        _spec(
            "Scan tickets from phones at the turnstiles",
            "Fans show the ticket in our app at the turnstiles of the ground instead of a paper ticket.",
            extra='change_types = ["product-feature"]\n',
        )
    )
    assert plan.rollback is not None
    assert "queue_wait_minutes" in [t.metric for t in plan.rollback.triggers]
    assert "Queues build where people are served" in _titles(plan)
    # a queue of work or of mail is no line of people
    for name, description in (
        ("Holds on e-books", "Members join a queue for a popular e-book and borrow it when it is free."),
        ("Faster sending", "Split the mail queue so one large send no longer delays the others."),
    ):
        assert "people-queue" not in _facets(name, description, ["product-feature"]), name


# session 25: what PMs of one kind of change named across sectors. Each case: the feature, its
# kind (set by hand), risk titles that must be there and must not, trigger metrics that must be
# there and must not. The second case of each pair is a look-alike of that kind that must not
# get them.
_SESSION_25 = [
    # a rota tool that replaces a spreadsheet and feeds payroll: its take-up, the shifts it
    # leaves uncovered and the hours it pays
    (
        "Rota tool for the garden centres",
        "Managers at our 60 garden centres build staff rotas in a shared spreadsheet. The new rota "
        "tool lets staff swap shifts on their phones and sends hours and overtime to payroll.",
        "internal-tooling",
        (),
        (),
        ("tool_adoption_shortfall", "unfilled_or_uncovered_shifts", "payroll_discrepancies"),
        (),
    ),
    (
        "Refund screen in the support console",
        "Support agents will issue partial refunds from a new screen in the support console, with "
        "a reason and a limit per agent.",
        "internal-tooling",
        (),
        (),
        (),
        ("tool_adoption_shortfall", "unfilled_or_uncovered_shifts", "payroll_discrepancies"),
    ),
    (
        "Stock register for the depots' chemicals",
        "Technicians sign chemicals in and out of each depot's store on a tablet instead of the "
        "paper log book, and head office sees stock by depot.",
        "internal-tooling",
        (),
        (),
        ("stock_count_discrepancies", "tool_adoption_shortfall"),
        ("payroll_discrepancies",),
    ),
    # a provider that serves a step customers go through is judged by how many complete it
    (
        "Online shop payments to a new provider",
        "Our web shop's checkout, refunds and saved cards move from one payment provider to "
        "another before the contract ends in June.",
        "vendor-migration",
        (),
        (),
        ("conversion_drop_at_provider_step",),
        (),
    ),
    (
        "Reminder texts through a new SMS provider",
        "Appointment reminder texts move from one SMS provider to a cheaper one; the wording and "
        "timing stay the same.",
        "vendor-migration",
        (),
        (),
        (),
        ("conversion_drop_at_provider_step",),
    ),
    # a cutover of a system that sites and devices depend on: the devices that stop reporting
    # and the work per hour of the sites
    (
        "Warehouse system to the cloud",
        "The warehouse management system of our two distribution centres moves from the server "
        "room to a hosted cloud database over a weekend; 300 handheld scanners drive picking and "
        "dispatch.",
        "infra-cutover",
        (),
        (),
        ("devices_offline_or_not_reporting", "site_throughput_drop"),
        (),
    ),
    (
        "Customer portal database to the cloud",
        "The database behind our customer portal moves from our own servers to a managed cloud "
        "database in one night's window.",
        "infra-cutover",
        (),
        (),
        (),
        ("devices_offline_or_not_reporting", "site_throughput_drop"),
    ),
    # records that carry money: the bills and balances the new system produces
    (
        "Acquired clinics' client records into our system",
        "The client records of 12 clinics we bought, with prepaid treatment packages and account "
        "balances, move into our practice system.",
        "data-migration",
        (),
        (),
        ("billing_or_balance_errors_after_migration",),
        (),
    ),
    (
        "Product photos to new storage",
        "Four million product photos move from the old file server to object storage, with the "
        "links in the catalogue rewritten.",
        "data-migration",
        (),
        (),
        (),
        ("billing_or_balance_errors_after_migration",),
    ),
    # named logins for staff at work: the emergency way round, and the work it makes late
    (
        "Personal till logins with a second step",
        "Staff at our 200 shops share one login per till today. Each will sign in with their own "
        "login and a second step on a phone or key.",
        "identity-access",
        (),
        (),
        ("break_glass_or_override_use", "work_started_late_after_sign_in_change"),
        (),
    ),
    (
        "Passkeys for the banking app",
        "Customers of our banking app can sign in with a passkey instead of a password and a one-time code.",
        "identity-access",
        (),
        (),
        (),
        ("break_glass_or_override_use", "work_started_late_after_sign_in_change"),
    ),
    # the app is the key to a door: lockouts, keys that should not work, failed openings
    (
        "Open the gym doors with the app",
        "Version 5 of our members' iOS and Android app will unlock the doors of our 90 gyms over "
        "Bluetooth, instead of the key fob.",
        "mobile-release",
        ("locked out when the app is the key", "open doors they should not"),
        (),
        ("unlock_failure_rate", "unauthorised_access_events"),
        (),
    ),
    (
        "Membership card in the gym app",
        "Version 5 of our members' iOS and Android app shows the membership card and class "
        "timetable on a new home screen.",
        "mobile-release",
        (),
        ("locked out when the app is the key",),
        (),
        ("unlock_failure_rate", "unauthorised_access_events"),
    ),
    # an app that sends its users reminders is watched for opt-outs and uninstalls
    (
        "Class reminders in the gym app",
        "Version 5 of our members' iOS and Android app sends a reminder an hour before each class "
        "they booked.",
        "mobile-release",
        (),
        (),
        ("push_opt_out_or_uninstall_rate",),
        (),
    ),
    (
        "Job reminders in our engineers' app",
        "Version 5 of the app our engineers use on site sends a reminder an hour before each job.",
        "mobile-release",
        (),
        (),
        (),
        ("push_opt_out_or_uninstall_rate",),
    ),
    # a message that reaches the wrong person, or says the wrong thing
    (
        "Texts when an order is ready to collect",
        "Customers get a text when their repair is ready to collect from the shop, with the shop's "
        "opening hours.",
        "notifications-messaging",
        (),
        (),
        ("wrong_recipient_or_wrong_content_reports",),
        (),
    ),
    (
        "Quiet hours for push notifications",
        "Users choose hours in which our app sends them no push notifications.",
        "notifications-messaging",
        (),
        (),
        (),
        ("wrong_recipient_or_wrong_content_reports",),
    ),
    # prices sold through more than one channel
    (
        "Peak and off-peak prices for the escape rooms",
        "Our 30 escape rooms move to peak and off-peak prices, shown on our website and on the two "
        "resellers' booking sites that sell our games.",
        "pricing-packaging",
        ("inconsistent across channels",),
        (),
        (),
        (),
    ),
    (
        "Three tiers for the invoicing app",
        "Our invoicing app moves from one paid plan to three tiers, sold on our own website only.",
        "pricing-packaging",
        (),
        ("inconsistent across channels",),
        (),
        (),
    ),
    # a ranking across many providers feeds on its own popularity and is unfair to those it hides
    (
        "Tutors ranked by how well they match",
        "Parents searching our tutoring marketplace will see tutors ranked by how well they match "
        "the subject, level and times asked for, instead of by newest first.",
        "search-recommendations",
        ("favours what is already popular",),
        (),
        (),
        (),
    ),
    (
        "Search the help centre",
        "Customers can search our help centre's 600 articles from every page of the site.",
        "search-recommendations",
        (),
        ("favours what is already popular",),
        (),
        (),
    ),
    # a text-message provider switch: the texts that must arrive on time, and what they make happen
    (
        "Appointment texts through a new SMS provider",
        "Our 40 clinics send appointment reminders and running-late texts through an SMS provider "
        "whose contract ends in May; we move them to another provider.",
        "vendor-migration",
        ("Texts that must arrive on time",),
        (),
        ("no_shows_and_uncollected_vs_baseline",),
        (),
    ),
    (
        "Full text search from a new search provider",
        "The help centre's full text search moves from one hosted search provider to another.",
        "vendor-migration",
        (),
        ("Texts that must arrive on time",),
        (),
        ("no_shows_and_uncollected_vs_baseline",),
    ),
    # records moved off an old system: the interfaces to finance, payroll and reports around it
    (
        "Hire contracts off the old hire system",
        "We are replacing our 15-year-old in-house hire system: 9,000 open hire contracts, customer "
        "accounts and invoices move to the new hire platform, which posts to finance.",
        "data-migration",
        ("Downstream interfaces of the old system are not rebuilt",),
        (),
        (),
        (),
    ),
    (
        "Product photos into the new image store",
        "Four million product photos move from the old file server into the new image store.",
        "data-migration",
        (),
        ("Downstream interfaces of the old system are not rebuilt",),
        (),
        (),
    ),
    # a yearly charge split into monthly collections: cash flow and those who leave mid-year
    (
        "Monthly Direct Debit for annual pitch fees",
        "Caravan owners pay their pitch fee once a year in advance today; from April they can pay "
        "it by monthly Direct Debit instead.",
        "payments-billing",
        ("Splitting the yearly charge into monthly collections",),
        (),
        (),
        (),
    ),
    (
        "Show what subscriptions cost a month and a year",
        "Our money app's new page lists the subscriptions it finds in people's card payments, with "
        "what each costs a month and a year.",
        "payments-billing",
        (),
        ("Splitting the yearly charge into monthly collections",),
        (),
        (),
    ),
    # an app's reminders annoy or fail
    (
        "Booking reminders in the cinema app",
        "Version 4 of our cinema app for iOS and Android sends push reminders before each film a "
        "member has booked.",
        "mobile-release",
        ("Push reminders and alerts",),
        (),
        (),
        (),
    ),
    (
        "Dark theme in the cinema app",
        "Version 4 of our cinema app for iOS and Android adds a dark theme.",
        "mobile-release",
        (),
        ("Push reminders and alerts",),
        (),
        (),
    ),
    # a deletion run that takes the wrong records says so, and that it cannot be undone
    (
        "Delete lapsed customers' details",
        "Customers with no order for six years will have their personal details deleted each night.",
        "privacy-compliance",
        ("deletes the wrong records", "irreversible"),
        (),
        (),
        (),
    ),
]


_SESSION_26 = [
    # money only paid out: the payout partner's outage and status events, not checkout's risks
    (
        "Pay our growers every Friday",
        "We pay our 800 growers by cheque each month today. From June they are paid into their bank "
        "account every Friday through our bank's payout service, with a statement per delivery.",
        "payments-billing",
        ("transfer partner's outage", "Payouts are sent twice"),
        ("double charges", "stop customers paying", "orders and subscriptions"),
        (),
        ("double_charge_count",),
    ),
    (
        "Withdraw winnings to a debit card",
        "Players will withdraw up to 500 pounds a day from their balance to their debit card within "
        "an hour, instead of a bank transfer that takes three days.",
        "payments-billing",
        ("transfer partner's outage", "Payouts are sent twice"),
        ("stop customers paying", "orders and subscriptions"),
        (),
        (),
    ),
    # a marketplace that takes money and pays it out has the risks of both
    (
        "Sellers paid out every Monday",
        "Buyers pay by card at checkout, we hold the money for seven days, and sellers are paid out "
        "every Monday.",
        "payments-billing",
        ("double charges", "transfer partner's outage"),
        (),
        ("double_charge_count",),
        (),
    ),
    # a stronger login is judged by what it is for: takeovers stopped, records opened outside a
    # caseload, codes that never arrive; a plain single sign-on has none of them
    (
        "Passkeys for the investing app",
        "Customers will sign in to our investing app with a passkey, and a second check is needed "
        "before a withdrawal to a new bank account, after fraudsters took over 40 accounts last year.",
        "identity-access",
        (),
        (),
        ("account_takeover_or_fraud_cases",),
        (),
    ),
    (
        "Counsellors see only their own clients' notes",
        "Each counsellor will see only the notes of their own clients; opening another client's "
        "notes needs a reason and is logged.",
        "identity-access",
        (),
        (),
        ("record_openings_outside_own_caseload",),
        (),
    ),
    (
        "Sign-in code for the trade portal",
        "Trade customers will sign in with a one-time code by text or email instead of a shared password.",
        "identity-access",
        (),
        (),
        ("one_time_code_delivery_failures",),
        (),
    ),
    # a supplier whose devices stand at our sites: the devices that go offline or fail there
    (
        "Card terminals from a new acquirer",
        "Our 200 shops will take card payments on terminals from a new acquirer when the old "
        "contract ends; each shop's terminals are swapped overnight.",
        "vendor-migration",
        (),
        (),
        ("site_devices_offline_or_failing",),
        (),
    ),
    (
        "Newsletters from a new email provider",
        "Our weekly newsletters and receipts move from one email provider to another in May.",
        "vendor-migration",
        (),
        (),
        (),
        ("site_devices_offline_or_failing",),
    ),
    # a price list is judged by the prices charged; a band's price by its nightly band re-check
    (
        "Peak prices for day tickets",
        "Day tickets will cost more on Saturdays and in school holidays and less midweek, at the "
        "ticket office and online.",
        "pricing-packaging",
        (),
        (),
        ("sales_charged_off_the_price_list",),
        (),
    ),
    (
        "Delivery priced by postcode zone",
        "Delivery charges will be set by postcode zone instead of one national price.",
        "pricing-packaging",
        (),
        (),
        ("charged_band_mismatches",),
        ("sales_charged_off_the_price_list",),
    ),
    # a staff tool that works something out, and one beside the system of record; a CI change
    # is neither
    (
        "Duty allocation for the depot controllers",
        "Our 24 depot controllers allocate drivers to duties on a whiteboard. The new allocation "
        "tool suggests matches and checks drivers' hours and rest rules before a duty is confirmed.",
        "internal-tooling",
        ("rules or calculations the tool works out",),
        (),
        (),
        (),
    ),
    (
        "Tablet check-in for the service advisors",
        "Our service advisors fill in a paper job card and retype it into the dealer system. They "
        "will check cars in on a tablet that sends each job straight into the dealer system.",
        "internal-tooling",
        ("system of record it works beside",),
        (),
        (),
        (),
    ),
    (
        "Faster CI for every team",
        "Our CI pipeline will run the test suite in parallel on new runners, for all engineering teams.",
        "internal-tooling",
        (),
        ("rules or calculations the tool works out", "system of record it works beside"),
        (),
        (),
    ),
    # our people who sign in to serve someone hold up that work when they cannot get in; a
    # shopper's passkey holds up nobody
    (
        "Second step for the clinical system",
        "Optometrists in our 200 practices will sign in to the clinical system on the test-room PCs "
        "with a second step, and the screen locks after 5 idle minutes.",
        "identity-access",
        ("Staff who cannot sign in quickly",),
        (),
        (),
        (),
    ),
    (
        "Passkeys for our shoppers",
        "Shoppers can sign in to our online shop with a passkey instead of a password.",
        "identity-access",
        (),
        ("Staff who cannot sign in quickly",),
        (),
        (),
    ),
    # records someone's safety rests on, moved; a product catalogue has none
    (
        "Patient records into the hosted system",
        "Each of our 30 dental practices moves its patient records, medical history and allergies "
        "into the new hosted system over a weekend.",
        "data-migration",
        ("Fields that someone's safety rests on",),
        (),
        (),
        (),
    ),
    (
        "Product catalogue into a new PIM",
        "Our 40,000 product descriptions and prices move into a new product information system.",
        "data-migration",
        (),
        ("Fields that someone's safety rests on",),
        (),
        (),
    ),
    # a camera's recordings are not a form's typed passwords; a session replay's are
    (
        "Person detection on the outdoor cameras",
        "Our outdoor cameras will detect people and save a 20-second clip when someone walks up the drive.",
        "ml-llm",
        ("Recordings, photos, scans or locations",),
        ("passwords, card numbers",),
        (),
        (),
    ),
    (
        "Session replays of the checkout",
        "Record session replays of the checkout pages to find where people give up.",
        "product-feature",
        ("passwords, card numbers",),
        (),
        (),
        (),
    ),
    # devices used where the work is done: the conditions there, and Wi-Fi dead spots on our
    # own sites; a form at an office desk has neither
    (
        "Pick lists on rugged tablets",
        "Our 140 pickers in the freezer and chillers will work from rugged tablets on the shop floor "
        "instead of printed pick lists.",
        "internal-tooling",
        ("devices fail in the conditions of the work", "No signal or Wi-Fi"),
        (),
        (),
        (),
    ),
    (
        "Expense claims in a web form",
        "Office staff will submit expense claims in a web form instead of a spreadsheet.",
        "internal-tooling",
        (),
        ("devices fail in the conditions of the work",),
        (),
        (),
    ),
    # a model that decides about people is watched for the gap between groups
    (
        "Shortlisting applicants with a model",
        "A model will rank the 3,000 applicants for our graduate scheme and shortlist the top 300 "
        "for interview.",
        "ml-llm",
        (),
        (),
        ("outcome_gap_between_groups",),
        (),
    ),
    (
        "Product descriptions drafted by AI",
        "A large language model drafts descriptions for our 20,000 products, checked by the copy team.",
        "ml-llm",
        (),
        (),
        (),
        ("outcome_gap_between_groups",),
    ),
    # a reminder is judged by what people do after it; an alarm by the false ones; a shipping
    # email by neither
    (
        "Reminder before the boiler service is due",
        "Customers get a text and an email a month before their yearly boiler service is due, with a "
        "link to book.",
        "notifications-messaging",
        (),
        (),
        ("reminded_action_rate_drop",),
        ("false_or_needless_alert_rate",),
    ),
    (
        "Freezer temperature alarms",
        "Sensors in our 40 shops' freezers text the duty manager when a freezer goes outside its "
        "range, and call the next person if nobody acknowledges within 10 minutes.",
        "notifications-messaging",
        (),
        (),
        ("false_or_needless_alert_rate",),
        (),
    ),
    (
        "Order shipped email",
        "Customers get an email when their order ships, with the tracking link.",
        "notifications-messaging",
        (),
        (),
        (),
        ("reminded_action_rate_drop", "false_or_needless_alert_rate"),
    ),
    (
        "Single sign-on for the staff wiki",
        "Staff will sign in to the wiki with the company's single sign-on instead of a separate password.",
        "identity-access",
        (),
        (),
        (),
        (
            "account_takeover_or_fraud_cases",
            "record_openings_outside_own_caseload",
            "one_time_code_delivery_failures",
        ),
    ),
]

_SESSION_27 = [
    # work offered to people paid by the job by an algorithm: fairness, gaming and declined offers;
    # work allocated to employed engineers has neither
    (
        "Offer each job to the nearest driver",
        "Jobs go to the driver who has waited longest on the rank today. We will offer each job to the "
        "driver with the shortest road ETA, for all 400 self-employed drivers.",
        "search-recommendations",
        ("offered as unfair",),
        (),
        ("offered_job_decline_rate",),
        (),
    ),
    (
        "Allocate call-outs to the closest engineer",
        "Our planners allocate boiler call-outs by postcode area today. The system will allocate each "
        "call-out to the closest qualified engineer on shift.",
        "search-recommendations",
        (),
        ("offered as unfair",),
        (),
        ("offered_job_decline_rate",),
    ),
    # a voice agent on the phone lines: mishearing, a caller in distress, a working hand-off
    (
        "AI voice agent for out-of-hours calls",
        "An AI voice agent will answer our out-of-hours lines, take the caller's address and the fault, "
        "and book an engineer, passing the call to a person when it cannot.",
        "ml-llm",
        ("voice agent does not recognise", "Speech recognition mishears", "no clear or working handoff"),
        (),
        ("call_abandonment_rate", "bot_escalation_rate"),
        (),
    ),
    (
        "Transcribe carers' voice notes",
        "Carers record a voice note after each visit and the app transcribes it into the visit record "
        "for the office to check.",
        "ml-llm",
        ("Speech recognition mishears",),
        ("voice agent does not recognise",),
        (),
        ("call_abandonment_rate",),
    ),
    # prices moved by a rule with demand: a wrong price set by the rule, bookings re-priced, the
    # channels out of line; a plain price rise has none of them
    (
        "Demand-based prices for parking",
        "Parking at our 30 car parks costs a fixed hourly rate today. Prices will move daily with "
        "occupancy and booking pace, within a floor and ceiling each site sets, for drivers booking online.",
        "pricing-packaging",
        ("moves prices with demand", "re-priced", "inconsistent across channels"),
        (),
        ("prices_at_floor_or_ceiling",),
        (),
    ),
    (
        "New membership price",
        "Our monthly membership goes up from 30 to 35 pounds in May; members who joined before then keep "
        "their current price until renewal.",
        "pricing-packaging",
        (),
        ("moves prices with demand", "re-priced"),
        (),
        ("prices_at_floor_or_ceiling",),
    ),
    # children and vulnerable passengers carried on routes
    (
        "Route planner for school transport",
        "We run 60 home-to-school routes for the council, many with a passenger assistant on board. A "
        "planner will assign drivers and escorts to routes and print the run sheets.",
        "internal-tooling",
        ("Missed or late pickups",),
        (),
        ("missed_or_late_pickups",),
        (),
    ),
    (
        "Parents give permission for school trips online",
        "Parents will give permission for their child's school trips in the school app instead of on a "
        "paper slip.",
        "product-feature",
        (),
        ("Missed or late pickups",),
        (),
        ("missed_or_late_pickups",),
    ),
    # records holding health or religious data, and requests acted on for the right person
    (
        "Retention rules for client records",
        "Our 40 salons keep client records, including health questions and allergy notes for treatments, "
        "forever. Records of clients not seen for three years will be deleted, and clients can ask us to "
        "erase their details.",
        "privacy-compliance",
        ("Special category data", "data request is acted on without checking"),
        (),
        (),
        (),
    ),
    (
        "Delete old invoices after seven years",
        "Invoices older than seven years will be deleted from the billing system each January.",
        "privacy-compliance",
        (),
        ("Special category data", "data request is acted on without checking"),
        (),
        (),
    ),
    # scores that decide results, and a score of another sort
    (
        "Live scoring in the club app",
        "Members will enter their competition scores hole by hole in the club app, and the leaderboard "
        "and handicaps update when the round is signed off.",
        "mobile-release",
        ("Scores that decide results",),
        (),
        ("score_corrections_or_disputes",),
        (),
    ),
    (
        "Credit score shown in the banking app",
        "Customers will see their credit score and what changed it in the banking app each month.",
        "product-feature",
        (),
        ("Scores that decide results",),
        (),
        ("score_corrections_or_disputes",),
    ),
    # access taken away when someone stops paying or leaves; pausing by choice takes nothing away
    (
        "Door access follows membership status",
        "Door access cards are removed by hand today. Access will be suspended automatically for "
        "accounts 21 days overdue and revoked the day after a membership ends.",
        "identity-access",
        ("suspended or revoked on wrong, stale or late status", "should lose access keep it"),
        ("post spam",),
        ("wrongful_suspension_count",),
        (),
    ),
    (
        "Members pause their membership",
        "Members can pause their gym membership for up to three months from the app.",
        "product-feature",
        (),
        ("suspended or revoked on wrong, stale or late status",),
        (),
        ("wrongful_suspension_count",),
    ),
    # a phone's live location: battery, background limits and accuracy; a tracking number is no GPS
    (
        "Follow the locksmith on a map",
        "Customers can follow the locksmith on a map until they arrive, using the location of the "
        "locksmith's phone.",
        "product-feature",
        ("Live location drains phone batteries", "Phone positions are wrong"),
        (),
        (),
        (),
    ),
    (
        "Tracking number in the dispatch email",
        "Customers get the parcel tracking number in the dispatch email with a link to the carrier's page.",
        "product-feature",
        (),
        ("Live location drains phone batteries", "Phone positions are wrong"),
        (),
        (),
    ),
    # a season's fee in one invoice split into monthly Direct Debits: cash flow, leavers, credit rules
    (
        "Pitch fees by monthly Direct Debit",
        "Owners get one pitch-fee invoice for the next season today. They will pay it by ten monthly "
        "Direct Debits set up in the owner portal.",
        "payments-billing",
        ("Splitting the yearly charge",),
        (),
        (),
        (),
    ),
    # work handed out by a rule or a suggestion: how often people change its choice by hand
    (
        "Suggested carer for each unfilled visit",
        "Coordinators fill the rota by hand today. The rota tool will suggest the nearest free carer for "
        "each unfilled visit, and coordinators accept or change it.",
        "search-recommendations",
        (),
        (),
        ("assignment_override_rate",),
        (),
    ),
    (
        "Suggested cost codes for expense lines",
        "Our finance staff code 20,000 expense lines a month. An AI model will suggest the cost code for "
        "each line, and staff accept or change it.",
        "ml-llm",
        (),
        (),
        ("suggestion_override_or_reject_rate",),
        (),
    ),
    # a check charged per call on an invoice takes no card payment
    (
        "Check whether a SIM was swapped",
        "Banks will ask our API whether the SIM behind a mobile number was changed in the last few days, "
        "charged per check.",
        "payments-billing",
        (),
        ("double charges",),
        (),
        ("double_charge_count",),
    ),
    # an app's access to a connected account, not a person's consent to their data
    (
        "Connect the accounting app",
        "Customers connect their Xero account with OAuth, and their invoices sync to it every hour.",
        "backend-api",
        ("OAuth tokens expire",),
        ("lose consent",),
        (),
        (),
    ),
    # staff who sign in where they serve people: the queue and the time per customer
    (
        "Named logins with a second step for reception",
        "Reception staff at our 24 parks share one login on the front desk PCs today. Each will sign in "
        "with their own login and a second step.",
        "identity-access",
        (),
        (),
        ("service_time_at_sign_in_points",),
        (),
    ),
    (
        "Passkeys for customers",
        "Customers will be able to sign in to their account with a passkey instead of a password.",
        "identity-access",
        (),
        (),
        (),
        ("service_time_at_sign_in_points",),
    ),
    # a second check before bank details change guards money: takeovers and fraud
    (
        "A second check before members change their bank details",
        "Members of our pension scheme will need a second check, a code to their phone, before they "
        "change their bank details online.",
        "identity-access",
        (),
        (),
        ("account_takeover_or_fraud_cases",),
        (),
    ),
    # money paid out fast: fraud cashes out there
    (
        "Earned wages early",
        "Shift workers at our client firms can take up to half their earned wages early, paid to their "
        "debit card within minutes.",
        "payments-billing",
        (),
        (),
        ("payout_fraud_and_chargebacks",),
        (),
    ),
    # a balance paid to drivers by BACS is no direct debit collected from them
    (
        "Daily payouts to drivers",
        "Drivers are paid their weekly balance by BACS on Thursday today. They will get daily payouts "
        "by Faster Payments, with rent and commission deducted.",
        "payments-billing",
        ("amounts paid out are worked out wrong",),
        ("Direct debits break the scheme's rules",),
        (),
        ("direct_debit_returns_and_cancellations",),
    ),
]

_SESSION_28 = [
    # session 28: part of the pay drawn before payday: the advance must come off the next pay run
    (
        "Early pay for care workers",
        "Care workers are paid monthly. They will be able to draw up to half of their earned "
        "wages early from the app, and what they draw is deducted in the monthly payroll.",
        "payments-billing",
        ("Pay drawn early",),
        (),
        ("advances_not_deducted",),
        (),
    ),
    (
        "Weekly pay for care workers",
        "Care workers are paid monthly by BACS today. From June they will be paid weekly for the "
        "hours approved each week.",
        "payments-billing",
        (),
        ("Pay drawn early", "Self-billing"),
        (),
        ("advances_not_deducted",),
    ),
    # a sign-in rule enforced on staff and contractors: the busiest days, their own phones; a rule
    # customers may turn on has neither
    (
        "MFA for depot staff",
        "About 900 depot staff and 150 contractor drivers sign in to the dispatch system with a "
        "password. We will require multi-factor authentication through an authenticator app for "
        "everyone and replace shared logins with named accounts.",
        "identity-access",
        ("Enforcement lands on the busiest days", "Staff and contractors told to use their own phones"),
        (),
        (),
        (),
    ),
    (
        "Two-step sign-in for shoppers",
        "Shoppers will be able to turn on two-step sign-in with an authenticator app from their "
        "account settings.",
        "identity-access",
        (),
        (
            "Enforcement lands on the busiest days",
            "Staff and contractors told to use their own phones",
            "Attacks on sign-in go on",
        ),
        (),
        (),
    ),
    # a password rule brought in after attacks: the attacks go on
    (
        "Passwords instead of PINs for members",
        "After credential-stuffing attempts, members will need a 10-character password instead of "
        "their 4-digit PIN, and accounts lock for 15 minutes after 5 failed attempts.",
        "identity-access",
        ("Attacks on sign-in go on",),
        (),
        (),
        (),
    ),
    # an identity check inside onboarding: people who give up part way, the manual review queue
    (
        "Right-to-work checks with a new provider",
        "Every new warehouse starter must pass a right-to-work check before their first shift. We "
        "will move to a certified identity service provider that reads the passport and does the "
        "share-code check inside our onboarding app.",
        "vendor-migration",
        ("give up part way",),
        (),
        ("verification_manual_review_share",),
        (),
    ),
    # clocking in by the phone's position: wrong or faked hours; a position shown to customers is no clock-in
    (
        "Clock in at the client site",
        "Our cleaners sign a paper sheet at each office they clean. Version 4 of the cleaners' "
        "app lets them clock in and clock out when their phone's GPS shows they are on site, and "
        "feeds the hours to payroll.",
        "mobile-release",
        ("Clocking in by location",),
        (),
        ("clock_in_failures_and_corrections",),
        (),
    ),
    (
        "Show customers where the engineer is",
        "Customers waiting for a boiler repair will see the engineer's live position on a map for "
        "the last 30 minutes before the visit.",
        "product-feature",
        (),
        ("Clocking in by location", "Two people accept"),
        (),
        ("clock_in_failures_and_corrections",),
    ),
    # a shift offered to many, the first to accept getting it: two people accept the same place
    (
        "Offer open shifts to many at once",
        "When a shift is not filled, supervisors phone bank staff one by one. We will send the "
        "shift offer by text to the 30 best-matched bank staff, and the first to accept gets the "
        "shift.",
        "notifications-messaging",
        ("Two people accept the same shift",),
        (),
        ("double_booked_offers",),
        (),
    ),
    # work sent to whoever ranks top on scores: the same few get most of it; the closest engineer
    # alone is no ranking
    (
        "Route each job to the best-ranked installer",
        "Jobs go to the installer nearest the customer today. We will rank installers by "
        "distance, open jobs, past acceptance and quality scores, and send each job to the "
        "top-ranked installer automatically.",
        "search-recommendations",
        ("Ranking by scores sends most work",),
        (),
        ("work_share_top_tenth",),
        (),
    ),
    (
        "Allocate call-outs to the closest engineer",
        "Our planners allocate boiler call-outs by postcode area today. The system will allocate "
        "each call-out to the closest qualified engineer on shift.",
        "search-recommendations",
        (),
        ("Ranking by scores", "Two people accept"),
        (),
        ("work_share_top_tenth",),
    ),
    # a model's suggested priority: urgent cases under-rated
    (
        "AI call notes for the repairs line",
        "Advisors type up each call and raise the repair by hand. An AI assistant will transcribe "
        "the call, write the note and draft the repair order with a suggested priority, which the "
        "advisor checks.",
        "ml-llm",
        ("under-rates urgent",),
        (),
        ("suggested_priority_raised_by_staff",),
        (),
    ),
    # an assistant answering residents hears disclosures of harm; a shop's assistant is not asked
    (
        "AI assistant on the council website",
        "An AI assistant on the council website will answer residents' questions about bins, "
        "parking permits and council tax from our own pages, day and night.",
        "ml-llm",
        ("disclose harm",),
        (),
        (),
        (),
    ),
    (
        "Shopping assistant on our store",
        "An AI assistant on our online shop will answer shoppers' questions about sizes and "
        "delivery from our product pages.",
        "ml-llm",
        (),
        ("disclose harm", "under-rates urgent"),
        (),
        (),
    ),
    # photos sent from an app with a report; a gallery on a page is no upload
    (
        "Report a leak with photos in the app",
        "The next release of our tenant app lets people report a leak with up to five photos and "
        "follow its status.",
        "mobile-release",
        ("Photos sent from the app fail",),
        (),
        (),
        (),
    ),
    (
        "Photo gallery on product pages",
        "Product pages will show up to eight photos in a swipeable gallery on the website.",
        "ui-frontend",
        (),
        ("Photos sent from the app fail",),
        (),
        (),
    ),
    # payouts to partners with self-billing statements; weekly pay for staff is neither
    (
        "Weekly payouts to partner garages",
        "Partner garages are paid monthly for the jobs they complete. We will pay them weekly "
        "with a self-billing statement and deduct refunds automatically.",
        "payments-billing",
        ("Self-billing statements",),
        (),
        ("payouts_duplicated_or_off_statement",),
        (),
    ),
    # people who book their own repair visit pick the wrong job type; a table booked online has none
    (
        "Book a boiler repair online",
        "Customers who report a boiler fault wait for a call back today. They will be able to pick a "
        "slot straight away from our engineers' live availability.",
        "product-feature",
        ("pick the wrong type or length",),
        (),
        (),
        (),
    ),
    (
        "Book a table online",
        "Diners can pick a slot and book a table online for up to eight people.",
        "product-feature",
        (),
        ("pick the wrong type or length",),
        (),
        (),
    ),
    # people who sign in to what moves: sign-in failures against the week before; stock records
    # moved under staff who do not sign in to them have none
    (
        "Members' accounts onto the new booking platform",
        "The 40,000 members of the clubs we took over sign in to their old booking site. Their "
        "accounts, bookings and passwords move to our platform on one night in May.",
        "data-migration",
        (),
        (),
        ("sign_in_failures_after_switch",),
        (),
    ),
    (
        "Stock records into the new ERP",
        "Move the 80,000 stock records and open purchase orders of our two warehouses into the new ERP "
        "over one weekend, then switch the old system off.",
        "data-migration",
        (),
        (),
        (),
        ("sign_in_failures_after_switch",),
    ),
]

# sessions 23 and 24 named one trigger per case (or none); session 25 names several, and those a
# look-alike must not get
_WHAT_A_FEATURE_DOES = (
    [
        (name, description, kind, present, absent, (metric,) if metric else (), ())
        for name, description, kind, present, absent, metric in _SESSION_23 + _SESSION_24
    ]
    + _SESSION_25
    + _SESSION_26
    + _SESSION_27
    + _SESSION_28
)


@pytest.mark.parametrize(
    ("name", "description", "kind", "present", "absent", "metrics", "no_metrics"), _WHAT_A_FEATURE_DOES
)
def test_what_a_feature_does_brings_its_risks_and_trigger_and_a_look_alike_does_not(
    plan_of: PlanOf,
    name: str,
    description: str,
    kind: str,
    present: tuple[str, ...],
    absent: tuple[str, ...],
    metrics: tuple[str, ...],
    no_metrics: tuple[str, ...],
) -> None:
    plan = plan_of(_spec(name, description, extra=f'change_types = ["{kind}"]\n'))
    titles = _titles(plan)
    for words in present:
        assert words in titles, (words, titles)
    for words in absent:
        assert words not in titles, (words, titles)
    assert plan.rollback is not None
    got = {t.metric for t in plan.rollback.triggers}
    assert set(metrics) <= got, (set(metrics) - got, got)
    assert not set(no_metrics) & got, (set(no_metrics) & got, got)
