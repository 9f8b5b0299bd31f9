"""The "## Rollback plan" section of the Markdown plan: switch, triggers, steps, checks, 2am test."""

from __future__ import annotations

from syncsvc.model import Finding, Plan, Rollback, Trigger
from syncsvc.rendering.labels import DEPLOYMENT_LABELS, MECHANISM_LABELS
from syncsvc.rendering.text import md, table

ROLLBACK_KINDS = ("two_am_test", "rollback")
# Operators come from a closed set (the spec and catalog refuse others): safe to print as is.
_OPERATORS = frozenset({">", ">=", "<", "<=", "==", "!="})


def section(plan: Plan) -> str:
    """The rollback plan as a PM would hand it to the on-call engineer."""
    rb = plan.rollback
    if rb is None:
        return "## Rollback plan\n\nNo rollback plan was built for this spec.\n"
    if rb.mechanism == "undetermined" and not rb.steps:
        return (
            "## Rollback plan\n\nNot built: syncsvc did not recognise the kind of change, "
            "so it cannot say how to undo it. Name the change (`change_types`, or a "
            "description of what changes), or write the triggers and the deployment in the "
            "spec.\n\n### 2am test\n\n" + _two_am(plan.findings, _minutes(rb)) + "\n"
        )
    label = DEPLOYMENT_LABELS.get(rb.deployment, rb.deployment)
    who = md(rb.decision_maker) if rb.decision_maker else "**not named** (see the 2am test below)"
    head = [
        f"- **Mechanism:** {md(MECHANISM_LABELS.get(rb.mechanism, rb.mechanism))}"
        + (f", with the {md(_no_article(rb.switch))}" if rb.switch else ""),
        *([f"- **Deployment:** {md(label)}"] if rb.mechanism != "undetermined" else []),
        f"- **Decision maker:** {who}. One person decides when a trigger fires; no meeting, no vote.",
        f"- **Time to roll back:** {_minutes(rb)} minutes at most, "
        f"{len(rb.steps)} step{'s' if len(rb.steps) != 1 else ''}.",
    ]
    if rb.point_of_no_return:
        head.append(f"- **Point of no return:** {md(rb.point_of_no_return)}")
    parts = ["## Rollback plan", "\n".join(head)]
    if rb.limits:
        parts += ["**What this rollback cannot undo:**", "\n".join(f"- {md(x)}" for x in rb.limits)]
    parts += [
        "### Triggers",
        "Roll back when any trigger in force fires. A phase row replaces the all-phases row of the "
        "same metric while that phase runs.",
        _triggers(plan, rb.triggers) if rb.triggers else "_No triggers._",
        *([_sources(rb.triggers)] if any(t.source for t in rb.triggers) else []),
        "### Steps",
        _steps(rb) if rb.steps else "_No steps._",
        "### Verification",
        "\n".join(f"- [ ] {md(v)}" for v in rb.verification) or "_No checks._",
    ]
    if rb.communication:
        parts += ["### Communication", "\n".join(f"- {md(c)}" for c in rb.communication)]
    if rb.assumptions:
        parts += ["### Assumptions to confirm before launch", "\n".join(f"- {md(a)}" for a in rb.assumptions)]
    parts += ["### 2am test", _two_am(plan.findings, _minutes(rb))]
    return "\n\n".join(parts) + "\n"


def condition(t: Trigger) -> str:
    """`> 2%`, `> 30% over baseline`, `> 20`: operator, number and unit, escaped for Markdown."""
    unit = t.unit.strip()
    op = t.operator if t.operator in _OPERATORS else md(t.operator)
    number = f"{t.threshold:g}"
    if unit.startswith("%"):
        return f"{op} {number}{md(unit)}"
    if unit in ("", "count"):
        return f"{op} {number}"
    return f"{op} {number} {md(unit)}"


def _triggers(plan: Plan, triggers: list[Trigger]) -> str:
    exposure = {p.name: p.exposure_percent for p in plan.phases}
    rows = []
    for t in triggers:
        if t.phase is None:
            phase = "All phases"
        elif t.phase in exposure:
            phase = f"{md(t.phase)} ({exposure[t.phase]:g}%)"
        else:
            phase = md(t.phase)
        rows.append([phase, md(t.metric), condition(t), f"{t.window_minutes} min"])
    return table(["Phase", "Metric", "Condition", "Window"], rows)


def _no_article(text: str) -> str:
    # "with the the application's endpoint": the sentence brings its own article
    return text[4:] if text.lower().startswith("the ") else text


def _sources(triggers: list[Trigger]) -> str:
    seen: dict[str, str] = {}
    for t in triggers:
        if t.source and t.metric not in seen:
            seen[t.metric] = t.source
    return (
        "Where each number comes from: " + "; ".join(f"{md(m)}: {md(src)}" for m, src in seen.items()) + "."
    )


def _steps(rb: Rollback) -> str:
    rows = [
        [
            str(s.order),
            md(s.actor) or "**none**",
            md(s.action),
            md(s.expected_result) or "**none**",
            str(s.max_minutes),
        ]
        for s in rb.steps
    ]
    return table(["#", "Actor", "Action", "Expected result", "Max min"], rows)


def _two_am(findings: list[Finding], minutes: int) -> str:
    mine = [f for f in findings if f.kind in ROLLBACK_KINDS]
    if not mine:
        return (
            "Passes: one decision maker; every trigger has a number and a window; every step "
            "has an actor, an exact action and an expected result; no vague words; the "
            f"rollback is done within {minutes} minutes."
        )
    intro = (
        f"{len(mine)} finding{'s' if len(mine) != 1 else ''} to fix before launch: an "
        "on-call engineer woken at 2am must be able to run this plan without asking anyone."
    )
    return intro + "\n\n" + "\n".join(f"- {md(f.message)}" for f in mine)


def _minutes(rb: Rollback) -> int:
    return rb.estimated_minutes or sum(s.max_minutes for s in rb.steps)
