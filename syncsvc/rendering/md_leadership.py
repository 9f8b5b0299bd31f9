"""The leadership page that opens the Markdown plan: one screen, read in two minutes."""

from __future__ import annotations

import datetime as dt
import re

from syncsvc.calendar import WorkCalendar
from syncsvc.model import Plan, Risk
from syncsvc.rendering.labels import MECHANISM_LABELS, STRATEGY_LABELS
from syncsvc.rendering.md_risks import owner_text, risk_findings
from syncsvc.rendering.text import md, table

_THE = re.compile(r"^the\s+", re.I)
TARGET_ODDS = 0.8  # below this chance of meeting the deadline, leadership is asked to choose
TIGHT_DAYS = 2  # a plan with this little slack asks leadership to hold the scope
# The sections after this page, with the anchors GitHub gives their headings.
SECTIONS = (
    ("Summary", "summary"),
    ("Risks", "risk-assessment"),
    ("Stakeholders", "stakeholders"),
    ("Communication", "communication-plan"),
    ("Timeline", "timeline"),
    ("Rollback", "rollback-plan"),
    ("Conflicts", "conflicts"),
    ("Findings", "findings"),
)


def page(plan: Plan) -> str:
    """`## For leadership`: what ships, the asks, dates, fit, top risks, rollout, rollback and
    what was assumed; the rest of the document is reference a reader can skip."""
    out = [
        "## For leadership",
        "",
        f"**What ships:** {md(plan.description.strip().rstrip('.'))}.",
        "",
        "**Decisions and help needed:**",
        "",
        *(f"- {a}" for a in asks(plan)),
        "",
        f"**Dates:** {_dates(plan)}",
        "",
        f"**Fits the deadline:** {_fit(plan)}",
        "",
    ]
    top = plan.risks[:3]
    if not top:
        out += ["**Top risks:** none named by the spec or matched from the catalog.", ""]
    else:
        findings = risk_findings(plan)
        out += [
            "**Top risks:**",
            "",
            table(
                ["Risk", "Likelihood × impact", "Owner"],
                [[f"{r.id} {md(r.title)}", _li(r), owner_text(r, plan, findings)] for r in top],
            ),
            "",
        ]
    out += [
        f"**Rollout:** {_rollout(plan)}",
        "",
        f"**Rollback:** {_rollback(plan)}",
        "",
        "**Assumed:**",
        "",
        *(f"- {a}" for a in _assumed(plan)),
        "",
        "The rest is reference, to read as needed: "
        + " · ".join(f"[{name}](#{anchor})" for name, anchor in SECTIONS)
        + ".",
    ]
    return "\n".join(out)


def finish(plan: Plan) -> dt.date:
    """The plan's finish: levelled when levelling has run, else the CPM finish."""
    return plan.levelled_finish or plan.finish_date


def asks(plan: Plan) -> list[str]:
    """What leadership must decide or provide, most pressing first; never empty."""
    out: list[str] = []
    end = finish(plan)
    cal = WorkCalendar(plan.start_date, plan.holidays)
    if not plan.fits_timeline:
        late = cal.wd(plan.deadline, end)
        out.append(
            f"**Decide the date or the scope:** the plan finishes {end.isoformat()}, "
            f"{late} working day{'s' * (late != 1)} after the deadline "
            f"{plan.deadline.isoformat()}. Move the deadline, cut scope on the critical "
            "path, or add people to it."
        )
    elif plan.confidence is not None and plan.confidence.deadline_probability < TARGET_ODDS:
        c = plan.confidence
        out.append(
            f"**Accept the odds or move the date:** the deadline is met in "
            f"{c.deadline_probability:.0%} of simulated runs; the date met 80% of the "
            f"time is {c.p80.isoformat()}."
        )
    else:
        spare = cal.wd(end, plan.deadline)
        if spare <= TIGHT_DAYS:
            out.append(
                f"**Hold the scope:** the plan fits with {spare} working day"
                f"{'s' * (spare != 1)} to spare; any new work moves the launch past "
                f"{plan.deadline.isoformat()}."
            )
    if not plan.change_profiles:
        out.append(
            "**Say what kind of change this is:** it was not recognised, so the plan "
            "has no rollback mechanism and only generic risks (see the Summary)."
        )
    unowned = [
        r.id
        for r in plan.risks
        if r.owner is None or any(f.kind == "group_owned_risk" and r.id in f.subjects for f in plan.findings)
    ]
    if unowned:
        out.append(
            f"**Name one owner** for {_list(unowned)}: a risk owned by nobody, or by a group, is nobody's."
        )
    rb = plan.rollback
    if rb is not None and not rb.decision_maker:
        out.append("**Name the one person who decides a rollback** when a trigger fires.")
    leaders = {s.name for s in plan.stakeholders if s.group == "leadership"}
    names = {t.id: t for t in plan.tasks}
    for r in plan.raci:
        t = names.get(r.activity)
        if t is not None and r.accountable in leaders:
            out.append(
                f"**{md(r.accountable or '')} signs off** {md(t.name)} on {t.early_finish.isoformat()}."
            )
    reviews = [c for c in plan.conflicts if c.kind == "review_after_launch"]
    if reviews:
        out.append(
            f"**Unblock {len(reviews)} review{'s' * (len(reviews) != 1)}** that would "
            "end after launch (see Conflicts): start earlier or accept the launch "
            "without it."
        )
    return out or ["Nothing to decide now; the status update comes at leadership's cadence."]


def _list(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def _dates(plan: Plan) -> str:
    text = (
        f"start {plan.start_date.isoformat()} · deadline {plan.deadline.isoformat()} · "
        f"planned finish {finish(plan).isoformat()}"
    )
    c = plan.confidence
    if c is None:
        return text + "."
    return (
        text + f". Finish in {c.samples:,} simulated runs: P50 {c.p50.isoformat()} · "
        f"P80 {c.p80.isoformat()} · P95 {c.p95.isoformat()}; the deadline is met in "
        f"{c.deadline_probability:.0%} of them."
    )


def _fit(plan: Plan) -> str:
    cal = WorkCalendar(plan.start_date, plan.holidays)
    end = finish(plan)
    margin = cal.wd(end, plan.deadline)
    why = ""
    if plan.levelled_finish and plan.levelled_finish > plan.finish_date:
        n = sum(c.kind == "overallocation" for c in plan.conflicts)
        why = (
            f" People booked on overlapping tasks ({n} over-allocation{'s' * (n != 1)}) move "
            f"the finish from {plan.finish_date.isoformat()} to {end.isoformat()}."
        )
    path = [t.name for t in plan.tasks if t.id in set(plan.critical_path)]
    chain = f" The critical path has {len(path)} task{'s' * (len(path) != 1)}" + (
        f", from {md(path[0])} to {md(path[-1])}." if path else "."
    )
    if plan.fits_timeline:
        spare = (
            f"with {margin} working day{'s' * (margin != 1)} to spare"
            if margin > 0
            else "with no working day to spare"
        )
        return f"yes, {spare}.{why}{chain}"
    return f"**no**, {-margin} working day{'s' * (margin != -1)} late.{why}{chain}"


def _li(r: Risk) -> str:
    return f"{r.likelihood.capitalize()} × {r.impact.capitalize()} ({r.score})"


def _rollout(plan: Plan) -> str:
    if plan.rollout.summary:  # its first sentence: the page gives each subject one
        return md(re.split(r"(?<=[.!?])\s+", plan.rollout.summary.strip(), maxsplit=1)[0])
    if not plan.phases:
        return "no rollout phases."
    steps = " → ".join(f"{md(p.name)} ({p.exposure_percent:g}%)" for p in plan.phases)
    label = STRATEGY_LABELS.get(plan.rollout.strategy, plan.rollout.strategy.replace("_", " "))
    return f"{md(label)}: {steps}."


def _rollback(plan: Plan) -> str:
    rb = plan.rollback
    if rb is None:
        return "**no rollback plan** was built."
    if rb.mechanism == "undetermined":
        return (
            "**not determined**: the kind of change was not recognised, so no rollback "
            "was guessed (see the Summary and Findings)."
        )
    how = md(MECHANISM_LABELS.get(rb.mechanism, rb.mechanism.replace("_", " ")))
    if rb.switch:
        switch = _THE.sub("", rb.switch.strip())
        how += f", with the {md(switch)}"
    who = md(rb.decision_maker) if rb.decision_maker else "**nobody named yet**"
    minutes = rb.estimated_minutes or sum(s.max_minutes for s in rb.steps)
    return (
        f"{how} ({who} decides when a trigger fires; {len(rb.steps)} "
        f"step{'s' * (len(rb.steps) != 1)}, {minutes} minutes at most)."
    )


def _assumed(plan: Plan) -> list[str]:
    out = (
        []
        if plan.change_profiles
        else [
            "The kind of change was **not recognised**: the plan guesses no change-specific risks, "
            "triggers or rollback (see the Summary)."
        ]
    )
    for p in plan.change_profiles:
        why = (
            "set in the spec"
            if p.source == "spec"
            else "detected from " + ", ".join(f"“{md(s)}”" for s in p.signals[:4])
            if p.signals
            else "detected"
        )
        if p.like:
            why += "; like the known features " + ", ".join(f"“{md(n)}”" for n in p.like[:3])
        out.append(f"{'Primary change' if p.primary else 'Also'}: **{md(p.title)}** ({why}).")
    if plan.quick_mode:
        out.append(
            "Tasks and estimates come from the catalog (the spec lists no tasks): "
            "replace them with the team's own."
        )
    catalog = sum(r.source == "catalog" for r in plan.risks)
    if catalog:
        out.append(
            f"{catalog} of {len(plan.risks)} risks come from the catalog, matched to "
            "the description: confirm they apply."
        )
    out.append(
        f"A team of {plan.team_size}, working Monday to Friday"
        + (f" minus {len(plan.holidays)} holiday{'s' * (len(plan.holidays) != 1)}" if plan.holidays else "")
        + "; estimates carry the buffers of the Timeline."
    )
    if plan.rollback is not None and plan.rollback.assumptions:
        n = len(plan.rollback.assumptions)
        out.append(f"{n} rollback assumption{'s' * (n != 1)} to confirm before launch (see Rollback plan).")
    return out
