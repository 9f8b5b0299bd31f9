"""Markdown views of a plan: one per planning tool, and the whole shareable document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from syncsvc.columns import column
from syncsvc.model import Conflict, Finding, Plan
from syncsvc.planning.confidence import SAMPLES, standard_error
from syncsvc.planning.risks import users_in_text
from syncsvc.rendering import md_leadership, md_risks, md_rollback, md_stakeholders
from syncsvc.rendering.gantt import gantt
from syncsvc.rendering.labels import MECHANISM_LABELS, STRATEGY_LABELS
from syncsvc.rendering.text import md, table


def render_md(plan: Plan, part: str | None = None) -> str:
    """The Markdown for one tool (`part` = command name) or the full plan (None)."""
    if part is None or part == "create-rollout-plan":
        return document(plan)
    title = {
        "assess-risks": "Risk assessment",
        "map-stakeholders": "Stakeholder map",
        "generate-timeline": "Timeline",
        "build-rollback-plan": "Rollback plan",
    }[part]
    body = _SECTIONS[part](plan)
    return f"# {md(plan.feature_name)}: {title}\n\n{summary_line(plan)}\n\n{body.strip()}\n"


def summary_line(plan: Plan) -> str:
    fit = (
        "fits the timeline"
        if plan.fits_timeline
        else f"**does not fit the timeline** (deadline {plan.deadline.isoformat()})"
    )
    return (
        f"Plan `{plan.plan_id}` · {plan.risk_tolerance} risk tolerance · team of "
        f"{plan.team_size} · {plan.timeline} from {plan.start_date.isoformat()} · "
        f"finishes {(plan.levelled_finish or plan.finish_date).isoformat()}, {fit}"
    )


NB_HYPHEN = "\u2011"
# the table's columns: registry labels, and "Days" (estimate+buffer in one cell)
_TIMELINE_HEADERS = [
    *(column("timeline", k).label for k in ("name", "phase", "owner", "start", "finish")),
    "Days",
    *(column("timeline", k).label for k in ("total_float", "depends_on")),
]
TIMELINE_CONFLICTS = ("timeline_overrun", "past_deadline", "review_after_launch", "resource_delay")


def timeline_section(plan: Plan, *, conflict_kinds: tuple[str, ...] = TIMELINE_CONFLICTS) -> str:
    """Task table, critical path line, Mermaid gantt, rollout ladder and timeline conflicts."""
    names = {t.id: t.name for t in plan.tasks}
    rows = (
        (
            _task_cell(t.id, t.name, bold=t.critical),
            md(t.phase),
            md(t.owner or "—"),
            _day(t.planned_start),
            _day(t.planned_finish),
            _days(t.estimate_days, t.buffer_days),
            str(t.total_float),
            md(", ".join(t.depends_on)) or "—",
        )
        for t in plan.tasks
    )
    out = [
        "## Timeline",
        "",
        f"Start {plan.start_date.isoformat()} · deadline {plan.deadline.isoformat()} · "
        f"finish {(plan.levelled_finish or plan.finish_date).isoformat()} · "
        + ("fits the timeline." if plan.fits_timeline else "**overruns the deadline.**"),
        "",
        "Days = estimate+buffer: 20% on critical-path tasks, 30% on high-risk tasks (rounded "
        "up). Critical tasks (float 0) are in bold. Dates are working days (Mon–Fri minus "
        "holidays), start to finish inclusive; each task's risk and late dates are in "
        "`timeline.csv` and `dashboard.xlsx`.",
        "",
        table(_TIMELINE_HEADERS, rows),
        "",
        "**Critical path:** " + (" → ".join(md(names[i]) for i in plan.critical_path) or "—"),
        "",
        gantt(plan),
    ]
    if plan.phases:
        out += [
            "",
            "### Rollout ladder",
            "",
            table(
                ["Phase", "Exposure", "Monitoring", "Gate to next phase", "Dates"],
                [
                    [
                        md(p.name),
                        f"{p.exposure_percent:g}%",
                        f"{p.monitoring_hours} h",
                        md(p.gate),
                        _phase_dates(plan, p.task_id),
                    ]
                    for p in plan.phases
                ],
            ),
        ]
    conflicts = [c for c in plan.conflicts if c.kind in conflict_kinds]
    if conflicts:
        out += ["", "### Timeline conflicts", ""]
        out += [f"- **{c.kind}**: {md(c.message)}" for c in conflicts]
    return "\n".join(out)


def _task_cell(task_id: str, name: str, *, bold: bool) -> str:
    text = md(name)
    return (f"**{text}**" if bold else text) + f" (`{md(task_id)}`)"


def _day(d: dt.date) -> str:
    # Non-breaking hyphens: a browser otherwise breaks a date in a narrow column ("2027-" / "03-01")
    return d.isoformat().replace("-", NB_HYPHEN)


def _days(estimate: int, buffer: int) -> str:
    return f"{estimate}+{buffer}" if buffer else str(estimate)


def _phase_dates(plan: Plan, task_id: str | None) -> str:
    if task_id is None:
        return "—"
    t = plan.task(task_id)
    return f"{t.planned_start.isoformat()} → {t.planned_finish.isoformat()}"


def change_kinds(plan: Plan) -> str:
    """ "Payments and billing (primary: 'stripe', 'checkout'); ..." or a plain "not recognised"."""
    if not plan.change_profiles:
        return "**not recognised** (see the note above)"
    out = []
    for p in plan.change_profiles:
        why = (
            "set in the spec"
            if p.source == "spec"
            else "words: " + ", ".join(f"'{md(w)}'" for w in p.signals)
        )
        if p.like:
            why += "; like the known features " + ", ".join(f"'{md(n)}'" for n in p.like)
        out.append(f"{md(p.title)} ({'primary; ' if p.primary else ''}{why})")
    return "; ".join(out)


def _not_recognised(plan: Plan) -> list[str]:
    """The low-coverage note at the top: the kind of change not recognised, or read narrowly
    (a plan with profiles whose reading was close)."""
    note = next((f for f in plan.findings if f.kind == "low_coverage"), None)
    if note is None:
        return []
    label = "Read narrowly." if plan.change_profiles else "Not recognised."
    return [f"> **{label}** {md(note.message)}", ""]


def findings_section(plan: Plan, *, shown: frozenset[str] = frozenset()) -> str:
    """`## Findings`: every finding, or only those whose kind no section above showed."""
    if not plan.findings:
        return (
            "## Findings\n\nNo findings: every risk has one owner, every RACI row has one "
            "Accountable, and the rollback plan passes the 2am test."
        )
    return _listed("Findings", "finding", plan.findings, shown)


def conflicts_section(plan: Plan, *, shown: frozenset[str] = frozenset()) -> str:
    """`## Conflicts`: every conflict, or only those whose kind no section above showed."""
    if not plan.conflicts:
        return "## Conflicts\n\nNo conflicts found."
    return _listed("Conflicts", "conflict", plan.conflicts, shown)


def _listed(title: str, what: str, items: Sequence[Finding | Conflict], shown: frozenset[str]) -> str:
    rest = [x for x in items if x.kind not in shown]
    out = [f"## {title}"]
    if len(rest) < len(items):
        out.append(_elsewhere(len(items) - len(rest), what))
    if rest:
        out.append(
            table(
                ["Kind", what.capitalize(), "About"],
                [[md(x.kind), md(x.message), md(", ".join(x.subjects))] for x in rest],
            )
        )
    return "\n\n".join(out)


def _elsewhere(n: int, what: str) -> str:
    if n == 1:
        return f"1 {what} is listed above, in the section it belongs to."
    return f"{n} {what}s are listed above, each in the section it belongs to."


MAINTENANCE = """## Keeping this plan alive

A rollout plan is a living artifact. Update it when:

| Event | What to update |
|---|---|
| Scope change | Risk matrix, timeline, stakeholder map |
| New dependency discovered | Timeline (dependencies), risk matrix |
| Team member leaves or joins | RACI matrix, risk owners, timeline |
| Incident on a related system | Risk matrix, rollback triggers |
| Phase gate passed | Mark tasks complete, update stakeholder comms |
| Feedback from canary users | Risk priorities, rollback triggers |

**Weekly rollout check-in (15 minutes):**

1. Review the risk matrix: has any risk materialised or changed priority?
2. Check the timeline: on track? Is the critical path slipping? (`syncsvc pull`)
3. Stakeholder update: any new conflicts or concerns?
4. Rollback readiness: is the plan still accurate for the current phase?"""


def document(plan: Plan) -> str:
    """The whole plan as one Markdown document a PM can share: the leadership page first, then
    the reference sections; each conflict and finding is listed once."""
    return "\n".join(document_parts(plan)) + "\n"


def write_document(plan: Plan, f: BinaryIO) -> None:
    """`document(plan)` as UTF-8 into `f`, a part at a time (the text of a 20,000-task plan
    is never whole in memory, nor beside its bytes)."""
    for i, part in enumerate(document_parts(plan)):
        f.write(b"\n" if i else b"")
        f.write(part.encode())
    f.write(b"\n")


def document_parts(plan: Plan) -> Iterator[str]:
    """The lines and sections of `document(plan)`, each made when it is asked for."""
    yield from [
        f"# Rollout plan: {md(plan.feature_name)}",
        "",
        f"Version {md(plan.version)} · plan `{plan.plan_id}` · PM: {md(plan.pm)}",
        "",
        md_leadership.page(plan),
        "",
        *_changelog(plan),
        "## Summary",
        "",
        md(plan.description),
        "",
        *_not_recognised(plan),
        table(
            ["Item", "Value"],
            [
                *_confidence_rows(plan),
                ["Team", f"{plan.team_size} people"],
                [
                    "Timeline",
                    f"{md(plan.timeline)}: {plan.start_date.isoformat()} → deadline "
                    f"{plan.deadline.isoformat()}",
                ],
                ["Planned finish", _planned_finish(plan)],
                ["Fits the timeline", "yes" if plan.fits_timeline else "**no**"],
                ["Risk tolerance", plan.risk_tolerance],
                ["Kind of change", change_kinds(plan)],
                [
                    "Rollout",
                    f"{md(STRATEGY_LABELS.get(plan.rollout.strategy, plan.rollout.strategy))}: "
                    + (" → ".join(md(p.name) for p in plan.phases) or "—"),
                ],
                [
                    "Rollback",
                    md(MECHANISM_LABELS.get(plan.rollback.mechanism, plan.rollback.mechanism))
                    if plan.rollback
                    else "—",
                ],
                ["Top risk", md(plan.risks[0].title) if plan.risks else "—"],
                ["Users", _users(plan)],
            ],
        ),
    ]
    # the stakeholder map shows the review-after-launch conflicts: the timeline does not repeat them
    timeline_kinds = tuple(k for k in TIMELINE_CONFLICTS if k not in md_stakeholders.CONFLICT_KINDS)
    yield ""
    yield _SECTIONS["assess-risks"](plan).strip()
    yield ""
    yield _SECTIONS["map-stakeholders"](plan).strip()
    yield ""
    yield timeline_section(plan, conflict_kinds=timeline_kinds).strip()
    yield ""
    yield _SECTIONS["build-rollback-plan"](plan).strip()
    shown_findings = frozenset(
        {
            *(f.kind for f in md_risks.risk_findings(plan)),
            *md_stakeholders.FINDING_KINDS,
            *md_rollback.ROLLBACK_KINDS,
        }
    )
    shown_conflicts = frozenset({*timeline_kinds, *md_stakeholders.CONFLICT_KINDS})
    yield from ("", conflicts_section(plan, shown=shown_conflicts), "")
    yield from (findings_section(plan, shown=shown_findings), "", MAINTENANCE)


def _changelog(plan: Plan) -> list[str]:
    if not plan.changelog:
        return []
    return ["**Change log**", "", *(f"- {md(line)}" for line in plan.changelog), ""]


_SECTIONS: dict[str, Callable[[Plan], str]] = {
    "assess-risks": md_risks.section,
    "map-stakeholders": md_stakeholders.section,
    "generate-timeline": timeline_section,
    "build-rollback-plan": md_rollback.section,
}


def _confidence_rows(plan: Plan) -> list[list[str]]:
    c = plan.confidence
    if c is None:
        return []
    return [
        ["Finish P50 / P80 / P95", f"{c.p50.isoformat()} / {c.p80.isoformat()} / {c.p95.isoformat()}"],
        ["Chance of meeting the deadline", f"{c.deadline_probability:.0%}"],
        *_sample_rows(c.samples, c.deadline_probability),
    ]


def _sample_rows(samples: int, probability: float) -> list[list[str]]:
    """A plan too large for the full Monte Carlo says how many runs it got and what that costs."""
    if samples >= SAMPLES:
        return []
    if 0 < probability < 1:
        precision = (
            f"the chance of meeting the deadline is known to "
            f"±{standard_error(probability, samples) * 100:.1f} percentage points "
            "(one standard error, √(p(1−p)/n))"
        )
    else:  # the standard error is 0 here: say what a 0% or 100% from n runs can hide
        precision = (
            f"{'none' if probability == 0 else 'all'} of the runs met the deadline; a chance "
            f"within {300 / samples:.1f} percentage points of that still shows as "
            f"{probability:.0%} (3/n, 95% confidence)"
        )
    return [["Simulated runs", f"{samples:,} (plans this size get fewer than {SAMPLES:,}): {precision}"]]


def _planned_finish(plan: Plan) -> str:
    lev = plan.levelled_finish
    if lev is None or lev == plan.finish_date:
        return plan.finish_date.isoformat()
    return (
        f"{lev.isoformat()} (dependencies alone: {plan.finish_date.isoformat()}; people "
        "work on one task at a time)"
    )


def _users(plan: Plan) -> str:
    """The spec's user count, else the one the description gives (which the risks were sized
    by), said to be read from it."""
    if plan.users is not None:
        return f"{plan.users:,}"
    read = users_in_text(plan.description)
    return f"{read:,} (read from the description; set `users` to confirm)" if read is not None else "—"
