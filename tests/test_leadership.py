"""The leadership page that opens the Markdown plan, and each conflict and finding listed once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from fakes.sheets_plan import make_plan

from syncsvc.model import ChangeProfileUse, Confidence, Conflict, Finding, Plan, Rollout
from syncsvc.rendering.markdown import render_md

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
PAGE_LINES = 60  # one screen


def page_of(md: str) -> str:
    """From `## For leadership` to the next `## ` heading."""
    return md.split("## For leadership", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_opens_with_a_one_screen_leadership_page(
    plan_of: Callable[..., Plan], path: Path
) -> None:
    plan = plan_of(path.read_text(encoding="utf-8"))
    md = render_md(plan)
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[0] == "## For leadership"
    page = page_of(md)
    assert len(("## For leadership" + page).splitlines()) <= PAGE_LINES
    for part in (
        "**What ships:**",
        "**Decisions and help needed:**",
        "**Dates:**",
        "**Fits the deadline:**",
        "**Top risks:**",
        "**Rollout:**",
        "**Rollback:**",
        "**Assumed:**",
    ):
        assert part in page, part
    assert plan.deadline.isoformat() in page and plan.finish_date.isoformat() in page
    for r in plan.risks[:3]:  # the top three risks, with their owners
        row = next(line for line in page.splitlines() if line.startswith(f"| {r.id} "))
        assert r.owner is None or r.owner in row
    assert all(f"| {r.id} " not in page for r in plan.risks[3:])
    assert ("yes," in page) == plan.fits_timeline
    # every section the page links to exists under that anchor
    for anchor in re.findall(r"\]\(#([a-z-]+)\)", page):
        assert any(re.sub(r"[^a-z -]", "", h[3:].lower()).replace(" ", "-") == anchor for h in headings), (
            anchor
        )


def test_a_late_plan_asks_for_a_decision_with_the_numbers() -> None:
    plan = make_plan(12, weeks=1)
    assert not plan.fits_timeline
    page = page_of(render_md(plan))
    ask = next(line for line in page.splitlines() if "Decide the date or the scope" in line)
    assert plan.finish_date.isoformat() in ask and plan.deadline.isoformat() in ask
    assert "**no**" in page
    assert "**Name one owner** for R" in page  # make_plan has an unowned risk


def test_confidence_and_change_profiles_are_shown_once_the_planners_fill_them() -> None:
    base = make_plan(12)
    plan = base.model_copy(
        update={
            "confidence": Confidence(
                p50=dt.date(2027, 2, 1),
                p80=dt.date(2027, 2, 8),
                p95=dt.date(2027, 2, 15),
                deadline_probability=0.62,
                samples=5000,
                seed=1,
            ),
            "change_profiles": [
                ChangeProfileUse(
                    id="notifications",
                    title="Notifications",
                    primary=True,
                    source="detected",
                    signals=["notifications", "real-time"],
                ),
                ChangeProfileUse(
                    id="infra-cutover", title="Infrastructure cutover", primary=False, source="spec"
                ),
            ],
            "rollout": Rollout(strategy="cohort_ramp", summary="Workspaces in three waves."),
        }
    )
    page = page_of(render_md(plan))
    assert "P50 2027-02-01 · P80 2027-02-08 · P95 2027-02-15" in page
    assert "met in 62% of them" in page
    assert "Primary change: **Notifications** (detected from “notifications”, “real-time”)" in page
    assert "Also: **Infrastructure cutover** (set in the spec)" in page
    assert "**Rollout:** Workspaces in three waves." in page
    if base.fits_timeline:
        assert "**Accept the odds or move the date:**" in page and "2027-02-08" in page


def test_each_conflict_and_finding_is_listed_once() -> None:
    base = make_plan(12)
    conflicts = [
        Conflict(kind="overallocation", message=f"Mike double-booked {i}", subjects=["Mike"])
        for i in range(3)
    ]
    conflicts += [
        Conflict(kind="review_after_launch", message="Security review late", subjects=["sec"]),
        Conflict(kind="something_new", message="A new kind of conflict"),
    ]
    findings = [
        Finding(kind="unowned_risk", message="R9 has no owner"),
        Finding(kind="timeline", message="A timeline finding"),
    ]
    md = render_md(base.model_copy(update={"conflicts": conflicts, "findings": findings}))
    for c in conflicts:
        assert md.count(c.message) == 1, c.message
    for f in findings:
        assert md.count(f.message) == 1, f.message
    tail = md.split("\n## Conflicts", 1)[1]
    assert "4 conflicts are listed above" in tail and "A new kind of conflict" in tail


def test_an_unrecognised_change_asks_leadership_what_it_is() -> None:
    plan = make_plan(12)
    assert not plan.change_profiles
    page = page_of(render_md(plan))
    assert "**Say what kind of change this is:**" in page
    assert "The kind of change was **not recognised**" in page
