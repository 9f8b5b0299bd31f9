"""The Mermaid gantt of a plan: labels safe for the gantt grammar, and a summary for big plans.

Mermaid's gantt lexer reads a task line's first word before it reads a task title: a title that
starts with `call`, `click`, `gantt`, `href`, `title`, `section`, `excludes`, a date… is taken as
that statement (a parse error, or a chart silently changed); `%` starts a comment, `:` ends the
title, `#` and `;` end the task data and `#word;` is read as an HTML entity. `label` rewrites a
title so that none of this can happen and the reader still sees the same words.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from syncsvc.model import Plan, PlannedTask

FULL_CHART_MAX_TASKS = 60  # above this the chart shows phases, milestones and the critical path
MAX_TEXT = 45_000  # Mermaid refuses a diagram of more than 50,000 characters (maxTextSize)
MAX_LABEL = 80
MAX_SUMMARY_BARS = 40  # critical-path bars of the summary before runs are merged per phase
_ONE = dt.timedelta(days=1)

# Words the gantt lexer matches at the start of a line (case-insensitive, before a task title),
# matched here as prefixes, so "Clicker" is guarded too: harmless, and no word is missed.
_KEYWORD = re.compile(
    r"(gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|"
    r"todaymarker|weekday|weekend|title|accdescr|acctitle|accdescription|section|call|click|"
    r"href|vert|\d{4}-\d\d-\d\d)",
    re.I,
)
# The text stays readable: each character the grammar uses becomes a look-alike or a word.
_REPLACE = str.maketrans(
    {
        ":": "\u2236",
        "#": "\u266f",
        ";": ",",
        "%": " percent",
        "<": "\u2039",
        ">": "\u203a",
        "{": "(",
        "}": ")",
        "`": "'",
    }
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
# A zero-width space before a keyword: the lexer no longer sees the word at the line's start,
# and the chart shows the title unchanged.
GUARD = "\u200b"


def label(text: object, *, limit: int = MAX_LABEL) -> str:
    """User text as a gantt task, section or chart title that Mermaid reads as plain text."""
    return _label(str(text), limit)


@functools.lru_cache(maxsize=4096)
def _label(text: str, limit: int) -> str:
    # ~6 us a title (the translation table most of it), and a warm server charts the same task
    # names again and again: each (title, limit) is worked out once
    s = _CONTROL.sub(" ", text).translate(_REPLACE)
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    if not s:
        return "task"
    return GUARD + s if _KEYWORD.match(s) else s


def gantt(plan: Plan) -> str:
    """The Markdown for the plan's chart: every task up to 60 tasks, else the summary chart."""
    if len(plan.tasks) <= FULL_CHART_MAX_TASKS:
        return _block(_full(plan))
    note = (
        f"The plan has {len(plan.tasks):,} tasks, too many for one readable chart: this one "
        "shows one bar per phase, the critical path and the milestones. The full chart is "
        "the Timeline sheet of `dashboard.xlsx` (`syncsvc export`)."
    )
    return note + "\n\n" + _block(summary_lines(plan))


def _block(lines: list[str]) -> str:
    return "\n".join(["```mermaid", *lines, "```"])


def _head(plan: Plan, title: str) -> list[str]:
    return [
        "gantt",
        f"    title {label(title, limit=120)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %b %d",
        "    excludes " + ", ".join(["weekends", *(d.isoformat() for d in plan.holidays)]),
    ]


def _bar(name: str, tags: list[str], tid: str, start: dt.date, finish: dt.date) -> str:
    # Mermaid's end date is exclusive: the bar runs to the end of the inclusive finish day.
    return f"    {label(name)} :{', '.join([*tags, tid])}, {start.isoformat()}, {(finish + _ONE).isoformat()}"


def _milestone(name: str, tags: list[str], tid: str, on: dt.date) -> str:
    return f"    {label(name)} :{', '.join([*tags, 'milestone', tid])}, {on.isoformat()}, 0d"


def milestone_point(t: PlannedTask) -> dt.date:
    """Where a milestone is drawn: at the end of its finish day (its predecessor's end), or at
    the start of the start date when nothing precedes it (CONTRACT §2)."""
    return t.planned_start + _ONE if t.depends_on else t.planned_start


def _is_milestone(t: PlannedTask) -> bool:
    return t.kind == "milestone" or t.duration_days == 0


def _task_line(t: PlannedTask, tid: str) -> str:
    tags = ["crit"] if t.critical else []
    if _is_milestone(t):
        return _milestone(t.name, tags, tid, milestone_point(t))
    return _bar(t.name, tags, tid, t.planned_start, t.planned_finish)


def _deadline(plan: Plan) -> list[str]:
    return [
        "    section Deadline",
        _milestone(f"Deadline {plan.deadline.isoformat()}", ["crit"], "deadline", plan.deadline + _ONE),
    ]


def _full(plan: Plan) -> list[str]:
    lines = _head(plan, plan.feature_name)
    by_phase: dict[str, list[int]] = {}
    for i, t in enumerate(plan.tasks):
        by_phase.setdefault(t.phase, []).append(i)
    for phase, idxs in by_phase.items():
        lines.append(f"    section {label(phase)}")
        lines += [_task_line(plan.tasks[i], f"t{i}") for i in idxs]
    return lines + _deadline(plan)


def summary_lines(plan: Plan) -> list[str]:
    """The summary gantt: a bar per phase, the critical path, milestones, the deadline; kept
    under Mermaid's text limit whatever the plan's size."""
    lines = _head(plan, f"{plan.feature_name} (summary)")
    lines.append("    section Phases")
    phases: dict[str, list[PlannedTask]] = {}
    for t in plan.tasks:
        phases.setdefault(t.phase, []).append(t)
    for n, (phase, tasks) in enumerate(phases.items()):
        start = min(t.planned_start for t in tasks)
        finish = max(t.planned_finish for t in tasks)
        lines.append(
            _bar(
                f"{phase} ({len(tasks)} task{'s' * (len(tasks) != 1)})",
                [],
                f"p{n}",
                start,
                max(start, finish),
            )
        )
    by_id = {t.id: t for t in plan.tasks}
    path = [by_id[i] for i in plan.critical_path if i in by_id]
    if path:
        lines.append("    section Critical path")
        for n, run in enumerate(_runs(path)):
            first, last = run[0], run[-1]
            if len(run) == 1:
                lines.append(_task_line(first, f"c{n}"))
                continue
            name = f"{first.phase}: {first.name} … {last.name} ({len(run)} tasks)"
            lines.append(
                _bar(
                    name,
                    ["crit"],
                    f"c{n}",
                    first.planned_start,
                    max(first.planned_start, last.planned_finish),
                )
            )
    milestones = [t for t in plan.tasks if _is_milestone(t)]
    tail = _deadline(plan)
    budget = MAX_TEXT - sum(len(x) + 1 for x in [*lines, *tail]) - 200
    if milestones:
        kept = ["    section Milestones"]
        for n, t in enumerate(milestones):
            line = _task_line(t, f"m{n}")
            budget -= len(line) + 1
            if budget < 0:
                break
            kept.append(line)
        if budget < 0:  # say so in the chart rather than drop milestones silently
            kept.append(
                _milestone(
                    f"… {len(milestones) - len(kept) + 1} more milestones in dashboard.xlsx",
                    [],
                    "mmore",
                    milestone_point(t),
                )
            )
        lines += kept
    return lines + tail


def _runs(path: list[PlannedTask]) -> list[list[PlannedTask]]:
    """The critical path as bars: one per task, or, when that is too many, one per run of
    consecutive tasks in the same phase (milestones always stand alone)."""
    if len(path) <= MAX_SUMMARY_BARS:
        return [[t] for t in path]
    runs: list[list[PlannedTask]] = []
    for t in path:
        if (
            runs
            and not _is_milestone(t)
            and not _is_milestone(runs[-1][-1])
            and runs[-1][-1].phase == t.phase
        ):
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs
