"""The Markdown of the stakeholder map: stakeholders, power-interest grid, RACI, communication."""

from __future__ import annotations

from syncsvc.model import CommItem, Plan, Stakeholder
from syncsvc.rendering.text import md, table

# Conflicts and findings the stakeholder map reports (the review overrun is the seed's flag).
CONFLICT_KINDS = ("overallocation", "cadence_gap", "review_after_launch")
FINDING_KINDS = ("raci", "stakeholder")
_QUADRANTS = (("keep satisfied", "manage closely"), ("monitor", "keep informed"))


def section(plan: Plan) -> str:
    """`## Stakeholders`, `## RACI` and `## Communication plan`, with their conflicts."""
    parts = [_stakeholders(plan), _raci(plan), _communication(plan)]
    conflicts = [c for c in plan.conflicts if c.kind in CONFLICT_KINDS]
    findings = [f for f in plan.findings if f.kind in FINDING_KINDS]
    if conflicts:
        parts.append(
            "### Stakeholder conflicts\n\n"
            + "\n".join(f"- **{md(c.kind)}**: {md(c.message)}" for c in conflicts)
        )
    if findings:
        parts.append(
            "### Stakeholder findings\n\n"
            + "\n".join(f"- **{md(f.kind)}**: {md(f.message)}" for f in findings)
        )
    return "\n\n".join(parts) + "\n"


def _stakeholders(plan: Plan) -> str:
    people = plan.stakeholders
    if not people:
        return "## Stakeholders\n\nNo stakeholders mapped."
    first = sum(s.order == "first" for s in people)
    rows = [
        [
            f"**{md(s.name)}**",
            md(s.group or "—"),
            s.order,
            s.influence,
            s.interest,
            md(s.strategy.capitalize()),
            md(s.cadence),
            md(s.channel),
        ]
        for s in people
    ]
    out = [
        "## Stakeholders",
        "",
        f"{len(people)} stakeholders: {first} first-order (the team, the PM and those named in "
        f"the spec) and {len(people) - first} second-order (groups the launch touches "
        "indirectly, added from the catalog because of what the feature is).",
        "",
        table(
            ["Stakeholder", "Group", "Order", "Influence", "Interest", "Strategy", "Cadence", "Channel"], rows
        ),
        "",
        "### Power–interest grid",
        "",
        _grid(people),
        "",
        "### Why they matter",
        "",
        *(f"- **{md(s.name)}** ({s.order}-order): {md(s.why)}" for s in people if s.why),
    ]
    return "\n".join(out)


def _grid(people: list[Stakeholder]) -> str:
    def cell(strategy: str) -> str:
        names = [md(s.name) for s in people if s.strategy == strategy]
        return f"**{strategy.capitalize()}**: " + (", ".join(names) or "—")

    return table(
        ["", "Lower interest", "High interest"],
        [
            ["**High influence**", cell(_QUADRANTS[0][0]), cell(_QUADRANTS[0][1])],
            ["**Lower influence**", cell(_QUADRANTS[1][0]), cell(_QUADRANTS[1][1])],
        ],
    )


def _raci(plan: Plan) -> str:
    if not plan.raci:
        return "## RACI\n\nNo tasks to assign."
    names = {t.id: t.name for t in plan.tasks}
    others = [r for r in plan.raci if r.accountable != plan.pm]
    rule = (
        f"**Accountable:** {md(plan.pm)} (the PM) for every task"
        + (
            ", except sign-offs owned by a stakeholder: "
            + "; ".join(
                f"{md(names.get(r.activity, r.activity))} → {md(r.accountable or 'nobody')}" for r in others
            )
            if others
            else ""
        )
        + ". Exactly one Accountable per task; R does the work, C is asked before, "
        "I is told after."
    )
    rows = (
        (
            f"{md(names.get(r.activity, r.activity))} (`{md(r.activity)}`)",
            _names(r.responsible, missing="**none**"),
            md(r.accountable or "**none**"),
            _names(r.consulted),
            _names(r.informed),
        )
        for r in plan.raci
    )
    return "\n".join(
        [
            "## RACI",
            "",
            rule,
            "",
            table(["Task", "Responsible", "Accountable", "Consulted", "Informed"], rows),
        ]
    )


def _names(names: list[str], *, missing: str = "—") -> str:
    return ", ".join(md(n) for n in names) if names else missing


# Cadences of one-off messages; every other cadence recurs (per-phase: at each gate or step).
ONE_OFF = ("once", "on rollback")


def _communication(plan: Plan) -> str:
    if not plan.communication_plan:
        return "## Communication plan\n\nNo communication planned."
    recurring = [c for c in plan.communication_plan if c.cadence not in ONE_OFF]
    once = sorted(
        (c for c in plan.communication_plan if c.cadence in ONE_OFF),
        key=lambda c: (c.date is None, c.date, c.audience),
    )
    out = [
        "## Communication plan",
        "",
        "Each audience hears at its own cadence; a few one-off messages go out before the "
        "first users are exposed, before general availability, and on a rollback. "
        "Leadership hears outcomes, decisions and asks, not activity.",
    ]
    if recurring:
        out += [
            "",
            "### Recurring updates",
            "",
            table(["Audience", "Cadence", "Channel", "When", "What they hear"], [_row(c) for c in recurring]),
        ]
    if once:
        out += [
            "",
            "### One-off messages",
            "",
            table(
                ["When", "Audience", "Channel", "What they hear"],
                [[md(c.when or "—"), f"**{md(c.audience)}**", md(c.channel), md(c.content)] for c in once],
            ),
        ]
    return "\n".join(out)


def _row(c: CommItem) -> list[str]:
    return [f"**{md(c.audience)}**", md(c.cadence), md(c.channel), md(c.when or "—"), md(c.content)]
