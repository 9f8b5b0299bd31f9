"""`syncsvc diff`: what changed between two versions of a plan, and which parts to revisit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncsvc.diff_fields import field_changes
from syncsvc.model import Plan
from syncsvc.plans import load_plan
from syncsvc.rendering.text import md, table

DIFF_SCHEMA = "syncsvc.diff/1"

# What a kind of change means for the plan, after the seed's maintenance table ("When to update
# the rollout plan") and its common mistakes (timeline moved but not the risk matrix, scope
# changed without re-mapping stakeholders, a phase passed without updating rollback triggers).
EVENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "scope": ("Scope change", ("risk matrix", "timeline", "stakeholder map")),
    "dependency": ("New dependency discovered", ("timeline", "risk matrix")),
    "team": ("Team member leaves/joins", ("RACI matrix", "risk owners", "timeline")),
    "risk": ("Risk priorities changed", ("risk matrix", "rollback triggers")),
    "dates": ("Dates moved", ("timeline", "risk matrix", "stakeholder comms")),
    "critical": ("Critical path changed", ("timeline", "risk matrix")),
    "stakeholders": ("Stakeholders changed", ("stakeholder map", "RACI matrix", "stakeholder comms")),
    "cadence": ("Cadence changed", ("stakeholder comms",)),
    "rollout": ("Rollout approach changed", ("rollout phases", "rollback triggers", "stakeholder comms")),
    "details": ("Task details changed", ("timeline",)),
    "review": ("Findings or conflicts changed", ()),
}
# The parts of the plan in reading order, and the command that rebuilds each.
PART_COMMAND: dict[str, str] = {
    "risk matrix": "assess-risks",
    "risk owners": "assess-risks",
    "timeline": "generate-timeline",
    "stakeholder map": "map-stakeholders",
    "RACI matrix": "map-stakeholders",
    "stakeholder comms": "map-stakeholders",
    "rollout phases": "build-rollback-plan",
    "rollback triggers": "build-rollback-plan",
}
AREAS = ("plan", "dates", "risks", "tasks", "critical_path", "stakeholders", "team", "rollout", "review")


@dataclass(frozen=True)
class Change:
    """One difference: `area` (risks, tasks, ...), `kind` (added, owner, ...), the subject, the
    old and new values (JSON-ready), a sentence, and the event key it counts as (EVENTS)."""

    area: str
    kind: str
    subject: str
    old: Any
    new: Any
    message: str
    event: str


@dataclass(frozen=True)
class Revisit:
    """A part of the plan to look at again, the events behind it and what they touched."""

    part: str
    command: str
    events: tuple[str, ...]
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class PlanDiff:
    old: dict[str, Any]
    new: dict[str, Any]
    changes: tuple[Change, ...]
    revisit: tuple[Revisit, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def to_json(self) -> dict[str, Any]:
        """The `syncsvc.diff/1` object."""
        counts = {a: sum(c.area == a for c in self.changes) for a in AREAS}
        return {
            "schema": DIFF_SCHEMA,
            "old": self.old,
            "new": self.new,
            "changed": self.changed,
            "counts": counts,
            "changes": [
                {
                    "area": c.area,
                    "kind": c.kind,
                    "subject": c.subject,
                    "old": c.old,
                    "new": c.new,
                    "message": c.message,
                    "event": EVENTS[c.event][0],
                }
                for c in self.changes
            ],
            "revisit": [
                {"part": r.part, "command": r.command, "events": list(r.events), "subjects": list(r.subjects)}
                for r in self.revisit
            ],
        }


def diff_specs(old: Path, new: Path, *, config: Path | None = None) -> PlanDiff:
    """The diff of the plans of two spec files (the config's catalog folder, if any, for both)."""
    return diff_plans(load_plan(old, config, {}), load_plan(new, config, {}))


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """Every difference between two plans (matched by task id, risk title and stakeholder
    name) and the parts of the plan they mean revisiting. Pure."""
    changes = [
        *_plan_changes(old, new),
        *_date_changes(old, new),
        *_risk_changes(old, new),
        *_task_changes(old, new),
        *_critical_changes(old, new),
        *_stakeholder_changes(old, new),
        *_team_changes(old, new),
        *_rollout_changes(old, new),
        *_other_changes(old, new),
    ]
    return PlanDiff(_head(old), _head(new), tuple(changes), revisit_for(changes))


def revisit_for(changes: Iterable[Change]) -> tuple[Revisit, ...]:
    """The parts to revisit, in PART_COMMAND order, each with its events and subjects."""
    events: dict[str, dict[str, None]] = {p: {} for p in PART_COMMAND}
    subjects: dict[str, dict[str, None]] = {p: {} for p in PART_COMMAND}
    for c in changes:
        label, parts = EVENTS[c.event]
        for p in parts:
            events[p][label] = None
            subjects[p][c.subject] = None
    return tuple(
        Revisit(p, PART_COMMAND[p], tuple(events[p]), tuple(subjects[p])) for p in PART_COMMAND if events[p]
    )


def _head(plan: Plan) -> dict[str, Any]:
    return {
        "plan_id": plan.plan_id,
        "feature_name": plan.feature_name,
        "start_date": plan.start_date.isoformat(),
        "deadline": plan.deadline.isoformat(),
        "finish_date": plan.finish_date.isoformat(),
        "fits_timeline": plan.fits_timeline,
    }


def _plan_changes(old: Plan, new: Plan) -> Iterator[Change]:
    for key, event in (
        ("feature_name", "scope"),
        ("description", "scope"),
        ("timeline", "dates"),
        ("team_size", "team"),
        ("pm", "team"),
        ("risk_tolerance", "rollout"),
    ):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            yield Change("plan", key, key, a, b, f"{key.replace('_', ' ')}: {a!r} → {b!r}", event)


def _date_changes(old: Plan, new: Plan) -> Iterator[Change]:
    for key, label in (("start_date", "start"), ("deadline", "deadline"), ("finish_date", "finish")):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            days = (b - a).days
            yield Change(
                "dates",
                key,
                label,
                a.isoformat(),
                b.isoformat(),
                f"{label} moved {a.isoformat()} → {b.isoformat()} ({days:+d} calendar days)",
                "dates",
            )
    # Task dates mostly follow from other changes: one line for all of them, not one per task.
    later = {t.id: t for t in new.tasks}
    moved = {
        t.id: (later[t.id].early_finish - t.early_finish).days
        for t in old.tasks
        if t.id in later and later[t.id].early_finish != t.early_finish
    }
    if moved:
        shown = ", ".join(f"{tid} {days:+d}" for tid, days in list(moved.items())[:6])
        more = f" and {len(moved) - 6} more" if len(moved) > 6 else ""
        yield Change(
            "dates",
            "task_finish",
            "task dates",
            None,
            moved,
            f"{len(moved)} task(s) finish on another day (calendar days: {shown}{more})",
            "dates",
        )
    if old.fits_timeline != new.fits_timeline:
        now = "now fits the timeline" if new.fits_timeline else "no longer fits the timeline"
        yield Change(
            "dates",
            "fits_timeline",
            "fits timeline",
            old.fits_timeline,
            new.fits_timeline,
            f"the plan {now}",
            "dates",
        )


def _risk_changes(old: Plan, new: Plan) -> Iterator[Change]:
    def key(title: str) -> str:
        return " ".join(title.lower().split())

    a = {key(r.title): r for r in old.risks}
    b = {key(r.title): r for r in new.risks}
    for k, r in b.items():
        if k not in a:
            yield Change(
                "risks",
                "added",
                r.title,
                None,
                r.score,
                f"risk added: {r.title!r} (score {r.score}, owner {r.owner or 'none'})",
                "risk",
            )
    for k, r in a.items():
        if k not in b:
            yield Change("risks", "removed", r.title, r.score, None, f"risk removed: {r.title!r}", "risk")
    for k, r in a.items():
        n = b.get(k)
        if n is None:
            continue
        if (r.likelihood, r.impact) != (n.likelihood, n.impact):
            yield Change(
                "risks",
                "rescored",
                n.title,
                r.score,
                n.score,
                f"risk {n.title!r} re-scored {r.score} → {n.score} (likelihood "
                f"{r.likelihood} → {n.likelihood}, impact {r.impact} → {n.impact})",
                "risk",
            )
        if r.owner != n.owner:
            yield Change(
                "risks",
                "reowned",
                n.title,
                r.owner,
                n.owner,
                f"risk {n.title!r} owner {r.owner or 'none'} → {n.owner or 'none'}",
                "team",
            )


def _task_changes(old: Plan, new: Plan) -> Iterator[Change]:
    a = {t.id: t for t in old.tasks}
    b = {t.id: t for t in new.tasks}
    for tid, t in b.items():
        if tid not in a:
            yield Change(
                "tasks",
                "added",
                tid,
                None,
                t.estimate_days,
                f"task added: {tid} {t.name!r} ({t.estimate_days}d, owner {t.owner or 'none'})",
                "scope",
            )
    for tid, t in a.items():
        if tid not in b:
            yield Change(
                "tasks", "removed", tid, t.estimate_days, None, f"task removed: {tid} {t.name!r}", "scope"
            )
    for tid, t in a.items():
        n = b.get(tid)
        if n is None:
            continue
        if t.estimate_days != n.estimate_days:
            yield Change(
                "tasks",
                "estimate",
                tid,
                t.estimate_days,
                n.estimate_days,
                f"task {tid} estimate {t.estimate_days}d → {n.estimate_days}d",
                "scope",
            )
        if t.owner != n.owner:
            yield Change(
                "tasks",
                "owner",
                tid,
                t.owner,
                n.owner,
                f"task {tid} owner {t.owner or 'none'} → {n.owner or 'none'}",
                "team",
            )
        if set(t.depends_on) != set(n.depends_on):
            plus = sorted(set(n.depends_on) - set(t.depends_on))
            minus = sorted(set(t.depends_on) - set(n.depends_on))
            moved = ", ".join([*(f"+{d}" for d in plus), *(f"-{d}" for d in minus)])
            yield Change(
                "tasks",
                "depends_on",
                tid,
                t.depends_on,
                n.depends_on,
                f"task {tid} dependencies {moved}",
                "dependency" if plus else "details",
            )
        for key in ("name", "phase", "kind", "risk"):
            x, y = getattr(t, key), getattr(n, key)
            if x != y:
                yield Change(
                    "tasks",
                    key,
                    tid,
                    x,
                    y,
                    f"task {tid} {key} {x!r} → {y!r}",
                    "risk" if key == "risk" else "details",
                )


def _critical_changes(old: Plan, new: Plan) -> Iterator[Change]:
    if old.critical_path == new.critical_path:
        return
    joined = [t for t in new.critical_path if t not in old.critical_path]
    left = [t for t in old.critical_path if t not in new.critical_path]
    detail = "; ".join(
        x
        for x in (
            f"joined: {', '.join(joined)}" if joined else "",
            f"left: {', '.join(left)}" if left else "",
        )
        if x
    )
    yield Change(
        "critical_path",
        "changed",
        "critical path",
        old.critical_path,
        new.critical_path,
        f"critical path {' → '.join(old.critical_path) or '(none)'} became "
        f"{' → '.join(new.critical_path) or '(none)'}" + (f" ({detail})" if detail else ""),
        "critical",
    )


def _stakeholder_changes(old: Plan, new: Plan) -> Iterator[Change]:
    a = {s.name: s for s in old.stakeholders}
    b = {s.name: s for s in new.stakeholders}
    for name, s in b.items():
        if name not in a:
            yield Change(
                "stakeholders",
                "added",
                name,
                None,
                s.order,
                f"stakeholder added: {name} ({s.order} order, {s.cadence})",
                "stakeholders",
            )
    for name in a:
        if name not in b:
            yield Change(
                "stakeholders",
                "removed",
                name,
                a[name].order,
                None,
                f"stakeholder removed: {name}",
                "stakeholders",
            )
    for name, s in a.items():
        n = b.get(name)
        if n is None:
            continue
        if s.cadence != n.cadence:
            yield Change(
                "stakeholders",
                "cadence",
                name,
                s.cadence,
                n.cadence,
                f"stakeholder {name} cadence {s.cadence} → {n.cadence}",
                "cadence",
            )
        if (s.influence, s.interest) != (n.influence, n.interest):
            yield Change(
                "stakeholders",
                "grid",
                name,
                [s.influence, s.interest],
                [n.influence, n.interest],
                f"stakeholder {name} influence/interest {s.influence}/{s.interest} → "
                f"{n.influence}/{n.interest}",
                "stakeholders",
            )


def _people(plan: Plan) -> list[str]:
    names = [t.owner for t in plan.tasks] + [r.owner for r in plan.risks]
    for row in plan.raci:
        names += [*row.responsible, row.accountable]
    return list(dict.fromkeys(n for n in names if n))


def _team_changes(old: Plan, new: Plan) -> Iterator[Change]:
    a, b = _people(old), _people(new)
    for name in b:
        if name not in a:
            yield Change("team", "joined", name, None, name, f"{name} now owns work", "team")
    for name in a:
        if name not in b:
            yield Change("team", "left", name, name, None, f"{name} no longer owns any work", "team")


def _rollout_changes(old: Plan, new: Plan) -> Iterator[Change]:
    pa = [p.name for p in old.phases]
    pb = [p.name for p in new.phases]
    if pa != pb:
        yield Change(
            "rollout",
            "phases",
            "phases",
            pa,
            pb,
            f"rollout phases {', '.join(pa) or '(none)'} → {', '.join(pb) or '(none)'}",
            "rollout",
        )
    ra, rb = old.rollback, new.rollback
    for key in ("deployment", "decision_maker"):
        x = getattr(ra, key) if ra else None
        y = getattr(rb, key) if rb else None
        if x != y:
            yield Change(
                "rollout",
                key,
                key.replace("_", " "),
                x,
                y,
                f"rollback {key.replace('_', ' ')} {x or 'none'} → {y or 'none'}",
                "team" if key == "decision_maker" else "rollout",
            )


def _other_changes(old: Plan, new: Plan) -> Iterator[Change]:
    """Every other field of every section, walked generically (see `diff_fields`)."""

    a = old.model_dump(mode="json", by_alias=True)
    b = new.model_dump(mode="json", by_alias=True)
    for f in field_changes(a, b):
        yield Change(f.area, f.kind, f.path, f.old, f.new, f.message, f.event)


# ---- rendering ------------------------------------------------------------------------------

_AREA_TITLES = {
    "plan": "Plan",
    "dates": "Dates",
    "risks": "Risks",
    "tasks": "Tasks",
    "critical_path": "Critical path",
    "stakeholders": "Stakeholders",
    "team": "People",
    "rollout": "Rollout and rollback",
    "review": "Findings and conflicts",
}


def render_diff_md(d: PlanDiff) -> str:
    """The diff as Markdown: what to revisit first, then the changes by area."""

    o, n = d.old, d.new
    out = [
        f"# Plan changes: {md(o['feature_name'])}",
        "",
        f"`{md(o['plan_id'])}` → `{md(n['plan_id'])}` · finish {o['finish_date']} → "
        f"{n['finish_date']} · deadline {o['deadline']} → {n['deadline']}",
        "",
    ]
    if not d.changed:
        out += ["No differences: the two specs give the same plan. Nothing to revisit.", ""]
        return "\n".join(out)
    out += [
        "## Revisit",
        "",
        "After the maintenance table (when to update the rollout plan):",
        "",
        table(
            ["Part of the plan", "Because", "Re-run", "Touching"],
            [
                [
                    md(r.part),
                    md("; ".join(r.events)),
                    f"`syncsvc {r.command}`",
                    md(", ".join(r.subjects[:8]) + (" …" if len(r.subjects) > 8 else "")),
                ]
                for r in d.revisit
            ],
        ),
        "",
    ]
    for area in AREAS:
        items = [c for c in d.changes if c.area == area]
        if items:
            out += [f"## {_AREA_TITLES[area]} ({len(items)})", ""]
            out += [f"- {md(c.message)}" for c in items]
            out.append("")
    return "\n".join(out)
