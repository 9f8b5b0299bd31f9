"""Markdown views of a plan: one per planning tool, and the whole shareable document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from syncsvc.model import Plan
from syncsvc.render.md_rollback import MECHANISM_LABELS
from syncsvc.render.text import md, mermaid, table

_ONE = dt.timedelta(days=1)


def render_md(plan: Plan, part: str | None = None) -> str:
    """The Markdown for one tool (`part` = command name) or the full plan (None)."""
    if part is None or part == "create-rollout-plan":
        return document(plan)
    title = {"assess-risks": "Risk assessment", "map-stakeholders": "Stakeholder map",
             "generate-timeline": "Timeline", "build-rollback-plan": "Rollback plan"}[part]
    body = _SECTIONS[part]()(plan)
    return f"# {md(plan.feature_name)}: {title}\n\n{summary_line(plan)}\n\n{body.strip()}\n"


def summary_line(plan: Plan) -> str:
    fit = ("fits the timeline" if plan.fits_timeline
           else f"**does not fit the timeline** (deadline {plan.deadline.isoformat()})")
    return (f"Plan `{plan.plan_id}` · {plan.risk_tolerance} risk tolerance · team of "
            f"{plan.team_size} · {plan.timeline} from {plan.start_date.isoformat()} · "
            f"finishes {(plan.levelled_finish or plan.finish_date).isoformat()}, {fit}")


def timeline_section(plan: Plan) -> str:
    """Task table, critical path line, Mermaid gantt, rollout ladder and timeline conflicts."""
    names = {t.id: t.name for t in plan.tasks}
    rows = [
        [md(t.id), md(t.name), md(t.phase), md(t.owner or "—"), t.risk,
         (t.start or t.early_start).isoformat(), (t.finish or t.early_finish).isoformat(),
         str(t.estimate_days),
         str(t.buffer_days), str(t.total_float), "**yes**" if t.critical else "",
         md(", ".join(t.depends_on)) or "—"]
        for t in plan.tasks
    ]
    out = [
        "## Timeline", "",
        f"Start {plan.start_date.isoformat()} · deadline {plan.deadline.isoformat()} · "
        f"finish {(plan.levelled_finish or plan.finish_date).isoformat()} · "
        + ("fits the timeline." if plan.fits_timeline else "**overruns the deadline.**"),
        "",
        "Buffers: 20% on critical-path tasks, 30% on high-risk tasks (rounded up). Dates are "
        "working days (Mon–Fri minus holidays), start to finish inclusive.",
        "",
        table(["ID", "Task", "Phase", "Owner", "Risk", "Start", "Finish", "Est. (d)",
               "Buffer (d)", "Float (d)", "Critical", "Depends on"], rows),
        "",
        "**Critical path:** " + (" → ".join(md(names[i]) for i in plan.critical_path) or "—"),
        "",
        gantt(plan),
    ]
    if plan.phases:
        out += ["", "### Rollout ladder", "",
                table(["Phase", "Exposure", "Monitoring", "Gate to next phase", "Dates"],
                      [[md(p.name), f"{p.exposure_percent:g}%", f"{p.monitoring_hours} h",
                        md(p.gate), _phase_dates(plan, p.task_id)] for p in plan.phases])]
    conflicts = [c for c in plan.conflicts if c.kind in ("timeline_overrun", "past_deadline",
                                                           "resource_delay",
                                                           "review_after_launch")]
    if conflicts:
        out += ["", "### Timeline conflicts", ""]
        out += [f"- **{c.kind}**: {md(c.message)}" for c in conflicts]
    return "\n".join(out)


def _phase_dates(plan: Plan, task_id: str | None) -> str:
    if task_id is None:
        return "—"
    t = plan.task(task_id)
    return f"{(t.start or t.early_start).isoformat()} → {(t.finish or t.early_finish).isoformat()}"


def gantt(plan: Plan) -> str:
    """A Mermaid gantt block that GitHub renders; critical tasks marked `crit`."""
    lines = ["```mermaid", "gantt", f"    title {mermaid(plan.feature_name)}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %b %d",
             "    excludes " + ", ".join(["weekends", *(d.isoformat() for d in plan.holidays)])]
    by_phase: dict[str, list[int]] = {}
    for i, t in enumerate(plan.tasks):
        by_phase.setdefault(t.phase, []).append(i)
    for phase, idxs in by_phase.items():
        lines.append(f"    section {mermaid(phase)}")
        for i in idxs:
            t = plan.tasks[i]
            tags = ["crit"] if t.critical else []
            start, finish = t.start or t.early_start, t.finish or t.early_finish  # levelled
            if t.kind == "milestone" or t.duration_days == 0:
                tags.append("milestone")
                span = f"{start.isoformat()}, 0d"
            else:
                span = f"{start.isoformat()}, {(finish + _ONE).isoformat()}"
            lines.append(f"    {mermaid(t.name)} :{', '.join([*tags, f't{i}'])}, {span}")
    lines.append("```")
    return "\n".join(lines)


STRATEGY_LABELS = {
    "percentage_ramp": "Percentage ramp behind a flag",
    "cohort_ramp": "Cohorts in waves",
    "shadow_cutover": "Shadow run, then cut over",
    "window_cutover": "Rehearsed cutover in a window",
    "staged_app_release": "Staged app-store release with a server-side kill switch",
    "dark_launch": "Dark launch, then ramp",
}


def change_kinds(plan: Plan) -> str:
    """"Payments and billing (primary: 'stripe', 'checkout'); ..." or a plain "not recognised"."""
    if not plan.change_profiles:
        return "**not recognised** (see the note above)"
    out = []
    for p in plan.change_profiles:
        why = ("set in the spec" if p.source == "spec" else
               "words: " + ", ".join(f"'{md(w)}'" for w in p.signals))
        out.append(f"{md(p.title)} ({'primary; ' if p.primary else ''}{why})")
    return "; ".join(out)


def _not_recognised(plan: Plan) -> list[str]:
    note = next((f for f in plan.findings if f.kind == "low_coverage"), None)
    return [f"> **Not recognised.** {md(note.message)}", ""] if note else []


def findings_section(plan: Plan) -> str:
    if not plan.findings:
        return "## Findings\n\nNo findings: every risk has one owner, every RACI row has one " \
               "Accountable, and the rollback plan passes the 2am test."
    rows = [[md(f.kind), md(f.message), md(", ".join(f.subjects))] for f in plan.findings]
    return "## Findings\n\n" + table(["Kind", "Finding", "About"], rows)


def conflicts_section(plan: Plan) -> str:
    if not plan.conflicts:
        return "## Conflicts\n\nNo conflicts found."
    rows = [[md(c.kind), md(c.message), md(", ".join(c.subjects))] for c in plan.conflicts]
    return "## Conflicts\n\n" + table(["Kind", "Conflict", "About"], rows)


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
    """The whole plan as one Markdown document a PM can share."""
    parts = [
        f"# Rollout plan: {md(plan.feature_name)}",
        "",
        f"Version {md(plan.version)} · plan `{plan.plan_id}` · PM: {md(plan.pm)}",
        "",
        *_changelog(plan),
        "## Summary",
        "",
        md(plan.description),
        "",
        *_not_recognised(plan),
        table(["", ""], [
            *_confidence_rows(plan),
            ["Team", f"{plan.team_size} people"],
            ["Timeline", f"{md(plan.timeline)}: {plan.start_date.isoformat()} → deadline "
                         f"{plan.deadline.isoformat()}"],
            ["Planned finish", _planned_finish(plan)],
            ["Fits the timeline", "yes" if plan.fits_timeline else "**no**"],
            ["Risk tolerance", plan.risk_tolerance],
            ["Kind of change", change_kinds(plan)],
            ["Rollout", f"{md(STRATEGY_LABELS.get(plan.rollout.strategy, plan.rollout.strategy))}: "
                        + (" → ".join(md(p.name) for p in plan.phases) or "—")],
            ["Rollback", md(MECHANISM_LABELS.get(plan.rollback.mechanism, plan.rollback.mechanism))
             if plan.rollback else "—"],
            ["Top risk", md(plan.risks[0].title) if plan.risks else "—"],
            ["Users", f"{plan.users:,}" if plan.users is not None else "—"],
        ]),
    ]
    for part in ("assess-risks", "map-stakeholders", "generate-timeline", "build-rollback-plan"):
        parts += ["", _SECTIONS[part]()(plan).strip()]
    parts += ["", conflicts_section(plan), "", findings_section(plan), "", MAINTENANCE]
    return "\n".join(parts) + "\n"


def _confidence_rows(plan: Plan) -> list[list[str]]:
    c = plan.confidence
    if c is None:
        return []
    return [["Finish P50 / P80 / P95", f"{c.p50.isoformat()} / {c.p80.isoformat()} / "
                                        f"{c.p95.isoformat()}"],
            ["Chance of meeting the deadline", f"{c.deadline_probability:.0%}"]]


def _planned_finish(plan: Plan) -> str:
    lev = plan.levelled_finish
    if lev is None or lev == plan.finish_date:
        return plan.finish_date.isoformat()
    return (f"{lev.isoformat()} (dependencies alone: {plan.finish_date.isoformat()}; people "
            "work on one task at a time)")


def _changelog(plan: Plan) -> list[str]:
    if not plan.changelog:
        return []
    return ["**Change log**", "", *(f"- {md(line)}" for line in plan.changelog), ""]


def _risks() -> Callable[[Plan], str]:
    from syncsvc.render import md_risks

    return md_risks.section


def _stakeholders() -> Callable[[Plan], str]:
    from syncsvc.render import md_stakeholders

    return md_stakeholders.section


def _rollback() -> Callable[[Plan], str]:
    from syncsvc.render import md_rollback

    return md_rollback.section


_SECTIONS: dict[str, Callable[[], Callable[[Plan], str]]] = {
    "assess-risks": _risks,
    "map-stakeholders": _stakeholders,
    "generate-timeline": lambda: timeline_section,
    "build-rollback-plan": _rollback,
}
