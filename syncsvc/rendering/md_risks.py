"""The "Risk assessment" section: register, 3x3 heat grid, top risks and risk findings."""

from __future__ import annotations

from syncsvc.columns import column
from syncsvc.model import FINDING_PART, Finding, Plan, Risk
from syncsvc.rendering.text import md, table

_LEVELS = ("low", "medium", "high")
_TOP = 3
_REGISTER_HEADERS = [
    column("risks", k).label for k in ("id", "title", "likelihood", "impact", "score", "owner", "mitigation")
]


def section(plan: Plan) -> str:
    """The risk part of the plan as Markdown, starting at its `## ` heading."""
    findings = risk_findings(plan)
    out = ["## Risk assessment", "", _intro(plan)]
    if not plan.risks:
        out += [
            "",
            "No risks: neither the spec nor the catalog names one for this feature. "
            "Add the ones the team worries about under [[risks]].",
        ]
    else:
        out += [
            "",
            "### Top risks",
            "",
            _top(plan, findings),
            "",
            "### Risk register",
            "",
            register(plan, findings),
            "",
            "### Heat grid",
            "",
            "Likelihood down, impact across; each cell lists the risks in it. Work from the "
            "top-right corner (High × High) down.",
            "",
            heat_grid(plan.risks),
        ]
    out += ["", "### Risk findings", "", _findings(findings)]
    return "\n".join(out) + "\n"


def risk_findings(plan: Plan) -> list[Finding]:
    """The plan's findings that belong to the risk assessment."""
    return [f for f in plan.findings if FINDING_PART.get(f.kind) == "assess-risks"]


def register(plan: Plan, findings: list[Finding]) -> str:
    """The risk register table, in the plan's order (R1 first)."""
    rows = [
        [
            r.id,
            md(r.title),
            r.likelihood.capitalize(),
            r.impact.capitalize(),
            str(r.score),
            owner_text(r, plan, findings),
            _mitigation_text(r, plan),
        ]
        for r in plan.risks
    ]
    return table(_REGISTER_HEADERS, rows)


def heat_grid(risks: list[Risk]) -> str:
    """3x3 grid: likelihood rows high → low, impact columns low → high, risk ids in cells."""
    rows = []
    for lk in reversed(_LEVELS):
        cells = []
        for im in _LEVELS:
            ids = [r.id for r in risks if r.likelihood == lk and r.impact == im]
            cells.append(", ".join(ids) if ids else "·")
        rows.append([f"**{lk.capitalize()}**", *cells])
    return table(["Likelihood \\ Impact", "Low", "Medium", "High"], rows)


def owner_text(r: Risk, plan: Plan, findings: list[Finding]) -> str:
    """The owner as a reader needs it: the person, the role they act in, or what is missing."""
    kinds = {f.kind for f in findings if r.id in f.subjects}
    if r.owner is None:
        return "**none: name one person**"
    if "unowned_risk" in kinds:  # with an owner written: a group word
        return f"{md(r.owner)} (**a group: name one person**)"
    if "risk_owner_fallback" in kinds and r.owner_role:
        return f"{md(r.owner)} (PM; no {md(r.owner_role)} on the team)"
    if r.owner_role and r.owner == r.owner_role and r.owner != plan.pm:
        return f"{md(r.owner)} (role)"
    if r.owner_role and r.owner_role != r.owner:
        return f"{md(r.owner)} ({md(r.owner_role)})"
    return md(r.owner)


def _intro(plan: Plan) -> str:
    if not plan.risks:
        return "Score = likelihood × impact, each Low 1 · Medium 2 · High 3."
    spec_n = sum(1 for r in plan.risks if r.source == "spec")
    cat_n = len(plan.risks) - spec_n
    hh = sum(1 for r in plan.risks if r.score == 9)
    parts = [f"{len(plan.risks)} risk{'s' if len(plan.risks) != 1 else ''}"]
    origin = []
    if spec_n:
        origin.append(f"{spec_n} from the spec")
    if cat_n:
        origin.append(
            f"{cat_n} from the catalog, matched to this feature's description, scale, team and timeline"
        )
    if spec_n and cat_n:
        text = f"{parts[0]}: " + " and ".join(origin) + ". "
    else:
        text = f"{parts[0]}, all " + origin[0].removeprefix(f"{spec_n or cat_n} ") + ". "
    text += (
        "Score = likelihood × impact, each Low 1 · Medium 2 · High 3; sorted by score, "
        "then impact, then likelihood. "
    )
    text += f"{hh} High × High risk{'s' if hh != 1 else ''}." if hh else "No High × High risks."
    if any(r.owner is not None and r.owner == r.owner_role and r.owner != plan.pm for r in plan.risks):
        text += (
            " Owners marked (role) are roles in this quick draft: replace each with the person who holds it."
        )
    return text


def _top(plan: Plan, findings: list[Finding]) -> str:
    # every High x High risk, and at least the three highest
    top = [r for i, r in enumerate(plan.risks) if r.score == 9 or i < _TOP]
    lead = (
        "Deal with the High × High risks before the build starts; the others are the next highest."
        if any(r.score == 9 for r in top)
        else "No High × High risks; these are the highest."
    )
    lines = [lead, ""]
    for n, r in enumerate(top, 1):
        line = (
            f"{n}. **{md(r.title)}** ({r.id}): {r.likelihood.capitalize()} likelihood × "
            f"{r.impact.capitalize()} impact, score {r.score}. Owner: "
            f"{owner_text(r, plan, findings)}."
        )
        if r.mitigation:
            line += f" Mitigation: {md(r.mitigation.rstrip('.'))}."
        task = _task_note(r, plan)
        if task:
            line += f" {task}"
        lines.append(line)
    return "\n".join(lines)


def _mitigation_text(r: Risk, plan: Plan) -> str:
    text = md(r.mitigation.rstrip(". ")) + "." if r.mitigation else "**none yet**"
    task = _task_note(r, plan)
    return f"{text} {task}" if task else text


def _task_note(r: Risk, plan: Plan) -> str:
    """ "Task `load-test` (3 d, starts 2027-01-12) before `integration`." when it is planned."""
    if not r.mitigation_task:
        return ""
    try:
        t = plan.task(r.mitigation_task)
    except KeyError:
        return f"Task `{md(r.mitigation_task)}`."
    after = [u.id for u in plan.tasks if t.id in u.depends_on]
    where = f" before {', '.join(f'`{md(a)}`' for a in after)}" if after else ""
    return (
        f"Task `{md(t.id)}` ({t.estimate_days} d, {t.early_start.isoformat()} → "
        f"{t.early_finish.isoformat()}){where}."
    )


def _findings(findings: list[Finding]) -> str:
    if not findings:
        return "None: every risk has one named owner and a mitigation."
    labels = {
        "unowned_risk": "No single owner",
        "suggested_task": "Suggested task",
        "risk_owner_fallback": "Owner fallback",
        "unmitigated_risk": "No mitigation",
    }
    return "\n".join(f"- **{labels.get(f.kind, md(f.kind))}**: {md(f.message)}" for f in findings)
