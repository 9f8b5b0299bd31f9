"""The Mermaid gantt: labels safe for the gantt grammar, milestones, the deadline marker, the
summary chart of big plans, and a render of every chart with the real Mermaid CLI when the
machine has it (`npm install -g @mermaid-js/mermaid-cli` and a Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, generated_spec
from fakes.sheets_plan import make_plan

from syncsvc.model import Plan
from syncsvc.rendering.gantt import FULL_CHART_MAX_TASKS, GUARD, gantt, label, milestone_point

# Task titles that broke or silently changed the chart: keywords the gantt lexer reads at the
# start of a line, a leading date, comment and entity characters, HTML, and plain oddities.
HOSTILE_NAMES = [
    "Call center training",
    "Click tracking events",
    "Gantt chart walkthrough",
    "Href cleanup for links",
    "2027-01-04 kickoff",
    "Title and metadata update",
    "Section 508 audit",
    "Excludes list review",
    "Includes audit",
    "% of users check",
    "1% canary",
    "dateFormat migration",
    "axisFormat fix",
    "todayMarker off",
    "tickInterval 1week",
    "weekday monday sync",
    "weekend friday deploy",
    "topAxis labels",
    "inclusiveEndDates",
    "accTitle: hidden",
    "accDescr: hidden",
    "accDescription of it",
    "%%{init: {}}%%",
    "Fish & chips #amp; fun",
    "R&D review; phase 2: go",
    "A # comment",
    "<b>bold</b> & <i>it</i>",
    "O'Brien's \"quoted\" task",
    "vert marker",
    "Line one\nline two",
    "   ",
    "é ü 数据 🚀",
]
HOSTILE_PHASES = ["Section 1: build", "title phase", "% done", "click here", "gantt"]
HOSTILE_FEATURE = "Title: 100% #1; <b>gantt</b> & more"

# Mermaid 11's gantt lexer rules that are tried before a task title, in order (INITIAL state,
# case-insensitive): a line whose text matches one of them at its start is not a task.
_BEFORE_TITLE = [
    re.compile(p, re.I)
    for p in (
        r"%%\{",
        r"accTitle\s*:\s*",
        r"accDescr\s*:\s*",
        r"accDescr\s*\{\s*",
        r"%%(?!\{)*[^\n]*",
        r"[^\}]%%*[^\n]*",
        r"%%*[^\n]*[\n]*",
        r"[\n]+",
        r"\s+",
        r"%[^\n]*",
        r'href[\s]+["]',
        r"call[\s]+",
        r"click[\s]+",
        r"gantt\b",
        r"dateFormat\s[^#\n;]+",
        r"inclusiveEndDates\b",
        r"topAxis\b",
        r"axisFormat\s[^#\n;]+",
        r"tickInterval\s[^#\n;]+",
        r"includes\s[^#\n;]+",
        r"excludes\s[^#\n;]+",
        r"todayMarker\s[^\n;]+",
        r"weekday\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        r"weekend\s+(friday|saturday)\b",
        r"\d\d\d\d-\d\d-\d\d\b",
        r"title\s[^\n]+",
        r"accDescription\s[^#\n;]+",
        r"section\s[^\n]+",
        r"vert\b",
    )
]
_TASK_TITLE = re.compile(r"[^:\n]+")


def hostile_plan() -> Plan:
    plan = make_plan(len(HOSTILE_NAMES) + 1)
    tasks = [
        t.model_copy(
            update={
                "name": HOSTILE_NAMES[i] if i < len(HOSTILE_NAMES) else t.name,
                "phase": HOSTILE_PHASES[i % len(HOSTILE_PHASES)],
            }
        )
        for i, t in enumerate(plan.tasks)
    ]
    return plan.model_copy(update={"tasks": tasks, "feature_name": HOSTILE_FEATURE})


def _block(md: str) -> list[str]:
    m = re.search(r"```mermaid\n(.*?)\n```", md, re.S)
    assert m, "a Mermaid block"
    return m.group(1).splitlines()


def _readable(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


# ---------------------------------------------------------------- the sanitizer's rules


@pytest.mark.parametrize("name", [*HOSTILE_NAMES, *HOSTILE_PHASES, HOSTILE_FEATURE])
def test_a_label_is_read_as_a_task_title_and_keeps_its_words(name: str) -> None:
    text = label(name)
    line = f"    {text} :t1, 2027-01-04, 2027-01-05"
    body = line.lstrip(" ")
    assert not any(rule.match(body) for rule in _BEFORE_TITLE), text
    title = _TASK_TITLE.match(body)
    assert title and title.group(0) == f"{text} ", "the whole label is one task title"
    assert not set(text) & set(":#;%\n\r{}<>`"), text
    assert not re.search(r"&\w+;|&#", text), "no HTML escaping inside the code block"
    # same words, same order: only the grammar's characters are swapped for look-alikes
    back = re.sub(
        r" ?percent",
        "%",
        text.replace(GUARD, "")
        .replace("\u2236", ":")
        .replace("\u266f", "#")
        .replace("\u2039", "<")
        .replace("\u203a", ">"),
    )
    words = re.findall(r"[\w'\"&]+", _readable(name))
    assert re.findall(r"[\w'\"&]+", back.replace(",", ";")) == words or not words


def test_a_label_is_never_empty_and_never_too_long() -> None:
    assert label("") == label(" \n\t") == "task"
    long = label("word " * 500)
    assert len(long) <= 80 and long.endswith("…")


def test_a_label_asked_again_is_the_same_whatever_came_between() -> None:
    # `label` remembers its answers (a warm server charts the same names): by text and limit,
    # and an object by its text
    from syncsvc.rendering.gantt import _label

    asked = [(n, limit) for limit in (80, 12) for n in HOSTILE_NAMES]
    fresh = [_label.__wrapped__(n, limit) for n, limit in asked]
    for order in (asked, asked[::-1]):
        assert [label(n, limit=limit) for n, limit in order] == [fresh[asked.index(a)] for a in order]
    assert label(1) == label("1") == "1" and label(True) == "True"


def test_milestones_sit_at_their_predecessors_end_and_the_deadline_is_marked() -> None:
    plan = make_plan(12)
    lines = _block(gantt(plan))
    for i, t in enumerate(plan.tasks):
        line = next(x for x in lines if re.search(rf"(:|, )t{i}, ", x))
        if t.kind == "milestone":
            last = max(plan.task(d).early_finish for d in t.depends_on)
            assert milestone_point(t) == last + dt.timedelta(days=1)  # the end of that day
            assert line.endswith(f"milestone, t{i}, {milestone_point(t).isoformat()}, 0d")
        else:
            end = (t.early_finish + dt.timedelta(days=1)).isoformat()
            assert line.endswith(f"t{i}, {t.early_start.isoformat()}, {end}")
    deadline = (plan.deadline + dt.timedelta(days=1)).isoformat()
    assert f"    Deadline {plan.deadline.isoformat()} :crit, milestone, deadline, {deadline}, 0d" in lines


def test_a_milestone_without_predecessors_sits_at_the_start() -> None:
    plan = make_plan(8)
    first = plan.tasks[0].model_copy(update={"depends_on": [], "kind": "milestone"})
    assert milestone_point(first) == first.early_start


@pytest.mark.parametrize("n", [FULL_CHART_MAX_TASKS + 1, 300, 1000])
def test_big_plans_get_a_summary_chart_under_mermaids_text_limit(
    plan_of: Callable[..., Plan], n: int
) -> None:
    plan = plan_of(generated_spec(n))
    md = gantt(plan)
    assert "full chart is the Timeline sheet of `dashboard.xlsx`" in md
    lines = _block(md)
    assert len("\n".join(lines)) < 50_000  # Mermaid's maxTextSize
    phases = list(dict.fromkeys(t.phase for t in plan.tasks))
    sections = [x.strip() for x in lines if x.startswith("    section ")]
    assert sections[:2] == ["section Phases", "section Critical path"]
    assert sections[-1] == "section Deadline"
    bars = lines[lines.index("    section Phases") + 1 : lines.index("    section Critical path")]
    assert [b.split(" (")[0].strip() for b in bars] == phases  # one bar per phase
    crit = lines[lines.index("    section Critical path") + 1 :]
    crit = crit[: next(i for i, x in enumerate(crit) if x.startswith("    section "))]
    names = {label(t.name) for t in plan.tasks if t.id in set(plan.critical_path)}
    shown = " ".join(crit)
    # every critical task is drawn, or the run of its phase that holds it is
    counted = sum(int(m) for m in re.findall(r"\((\d+) tasks\)", shown))
    singles = sum(1 for x in crit if not re.search(r"\(\d+ tasks\)", x))
    assert counted + singles == len(plan.critical_path)
    assert all(n in shown for n in names) or counted


def test_small_plans_draw_every_task(plan_of: Callable[..., Plan]) -> None:
    plan = plan_of((ROOT / "examples" / "notifications-center.toml").read_text(encoding="utf-8"))
    assert len(plan.tasks) <= FULL_CHART_MAX_TASKS
    lines = _block(gantt(plan))
    for t in plan.tasks:
        assert any(x.startswith(f"    {label(t.name)} :") for x in lines), t.name


# ---------------------------------------------------------------- the real parser


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


MMDC = shutil.which("mmdc")
needs_mmdc = pytest.mark.skipif(
    MMDC is None or _chromium() is None, reason="mermaid-cli (mmdc) and a Chromium are not installed"
)


def _svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [
        "".join(e.itertext()).replace(GUARD, "").strip()
        for e in root.iter()
        if e.tag.endswith("}text") or e.tag == "text"
    ]


@needs_mmdc
def test_every_chart_renders_with_mermaid_cli(plan_of: Callable[..., Plan], tmp_path: Path) -> None:
    plans = {
        f"example-{p.stem}": plan_of(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "examples").glob("*.toml"))
    }
    plans["hostile"] = hostile_plan()
    plans["tasks-300"] = plan_of(generated_spec(300))
    plans["tasks-1000"] = plan_of(generated_spec(1000))
    names = list(plans)
    doc = "\n\n".join(f"## {k}\n\n{gantt(plans[k])}" for k in names)
    (tmp_path / "in.md").write_text(doc, encoding="utf-8")
    (tmp_path / "pp.json").write_text(
        json.dumps({"executablePath": _chromium(), "args": ["--no-sandbox", "--disable-gpu"]})
    )
    assert MMDC is not None
    run = subprocess.run(
        [
            MMDC,
            "-p",
            str(tmp_path / "pp.json"),
            "-i",
            str(tmp_path / "in.md"),
            "-o",
            str(tmp_path / "out.md"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    for n, key in enumerate(names, start=1):
        texts = _svg_texts(tmp_path / f"out-{n}.svg")
        joined = "\n".join(texts)
        assert "Syntax error" not in joined and "Maximum text size" not in joined, key
        plan = plans[key]
        lines = _block(gantt(plan))
        want = [x.strip().split(" :")[0].replace(GUARD, "") for x in lines if re.match(r"^    \S.* :", x)]
        for w in want:  # every bar and milestone of the chart is drawn, its text unchanged
            assert w in texts, (key, w)
        title = lines[1].strip().removeprefix("title ").replace(GUARD, "")
        assert title in texts, (key, title)
        if key == "hostile":
            assert all(label(t).replace(GUARD, "") in texts for t in HOSTILE_NAMES)
