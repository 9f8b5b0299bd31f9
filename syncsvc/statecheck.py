"""Verify the state file's issues and links against Jira (read only): `syncsvc state check`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncsvc.config import load_config
from syncsvc.errors import ConfigError
from syncsvc.jira import keep
from syncsvc.jira.adapter import connect
from syncsvc.jira.changes import EPIC_ID
from syncsvc.jira.mapping import load_jira_mapping
from syncsvc.jira.payload import PROPERTY, blocks_links, jql_quote, plan_label
from syncsvc.specload import load_spec
from syncsvc.state import Baseline, State

READ_FIELDS = ("labels", "issuelinks", "project")


@dataclass(frozen=True)
class Record:
    """One issue the state holds for the plan."""

    task_id: str
    key: str
    issue_id: str = ""
    removed: bool = False


@dataclass
class CheckResult:
    """What the check compared and every disagreement, one sentence each."""

    plan_id: str
    issues: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not yet in Jira, the next push does it
    state_path: str = ""  # where the check looked (for the report)
    url: str = ""
    project: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _who(rec: Record) -> str:

    return "the epic" if rec.task_id == EPIC_ID else f"task {rec.task_id}"


def compare(
    plan_id: str,
    project: str,
    records: Iterable[Record],
    links: Iterable[tuple[str, str]],
    issues: Iterable[dict[str, Any]],
    *,
    removed_label: str = "syncsvc-removed",
    labelled: Iterable[dict[str, Any]] = (),
    baselines: Sequence[Baseline] = (),
) -> CheckResult:
    """The state (`records`, `links` as task-id pairs) against the issues Jira returned
    (pure). A record's issue is found by key, else by id (a project move renames the key).
    `labelled` are the issues a search found with the plan's label: one the state does not
    hold is a problem too (two pushes at once, or a run killed before it recorded it).
    `baselines` are the state's: the epic must keep them all (a lost state is rebuilt from
    them)."""
    recs = sorted(records, key=lambda r: r.task_id)
    pairs = sorted(set(links))
    res = CheckResult(plan_id, len(recs), len(pairs))
    by_key = {str(i.get("key")): i for i in issues}
    by_id = {str(i.get("id")): i for i in by_key.values()}
    found: dict[str, dict[str, Any]] = {}
    for rec in recs:
        issue = by_key.get(rec.key) or (by_id.get(rec.issue_id) if rec.issue_id else None)
        if issue is None:
            res.problems.append(
                f"{rec.key} ({_who(rec)}): not found in Jira (deleted, or not visible to this user)"
            )
            continue
        found[rec.task_id] = issue
        res.problems += _issue_problems(plan_id, project, rec, issue, removed_label)
    known = {str(i.get(k)) for i in found.values() for k in ("key", "id")}
    known |= {r.key for r in recs} | {r.issue_id for r in recs if r.issue_id}
    for issue in labelled:
        if str(issue.get("key")) in known or str(issue.get("id")) in known:
            continue
        prop = (issue.get("properties") or {}).get(PROPERTY)
        says = (
            f"its property says task {prop.get('task_id')!r}"
            if isinstance(prop, dict) and prop.get("plan_id") == plan_id
            else "no property of this plan"
        )
        res.problems.append(
            f"{issue.get('key')}: carries the label syncsvc-{plan_id} but the "
            f"state does not know it ({says}; a duplicate from two runs at "
            "once, or an issue made by hand)"
        )
    res.notes += _kept_problems(found, baselines)
    in_jira = _blocks(found.values())
    for blocker, blocked in pairs:
        a, b = found.get(blocker), found.get(blocked)
        if a is None or b is None:
            res.problems.append(
                f"link {blocker} blocks {blocked}: "
                f"{'an issue' if a is None and b is None else 'its issue'} "
                "is missing from Jira"
            )
        elif (str(a["key"]), str(b["key"])) not in in_jira:
            res.problems.append(
                f"link {a['key']} blocks {b['key']} ({blocker} blocks "
                f"{blocked}): not in Jira (removed by someone)"
            )
    return res


def _issue_problems(
    plan_id: str, project: str, rec: Record, issue: dict[str, Any], removed_label: str
) -> list[str]:

    key = str(issue.get("key"))
    where = f"{rec.key} ({_who(rec)})"
    out = []
    if key != rec.key:
        out.append(f"{where}: the issue's key is now {key} (moved)")
    f = issue.get("fields") or {}
    in_project = str((f.get("project") or {}).get("key") or key.rsplit("-", 1)[0])
    if in_project != project:
        out.append(f"{where}: in project {in_project}, not {project}")
    prop = (issue.get("properties") or {}).get(PROPERTY)
    want: dict[str, Any] = (
        {"plan_id": plan_id, "task_id": None, "role": "epic"}
        if rec.task_id == EPIC_ID
        else {"plan_id": plan_id, "task_id": rec.task_id}
    )
    if not isinstance(prop, dict):
        out.append(f"{where}: has no '{PROPERTY}' issue property")
    elif {k: prop.get(k) for k in want} != want:
        out.append(
            f"{where}: its '{PROPERTY}' property says plan {prop.get('plan_id')!r}, "
            f"task {prop.get('task_id')!r}"
        )
    labels = set(f.get("labels") or [])
    need = ["syncsvc", f"syncsvc-{plan_id}"] + ([removed_label] if rec.removed else [])
    missing = [x for x in need if x not in labels]
    if missing:
        out.append(f"{where}: label{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing")
    return out


def _kept_problems(found: dict[str, dict[str, Any]], baselines: Sequence[Baseline]) -> list[str]:
    """The state's baselines the epic does not keep yet (a note: the next push stores them)."""

    epic = found.get(EPIC_ID)
    if epic is None or not baselines:
        return []
    prop = (epic.get("properties") or {}).get(PROPERTY)
    index = prop.get("baselines") if isinstance(prop, dict) else None
    index = index if isinstance(index, list) else []
    entries, _ = keep.to_store(baselines, index)
    if entries == index:
        return []
    same = sum(1 for a, b in zip(entries, index, strict=False) if a == b)
    return [
        f"{epic.get('key')} (the epic): keeps {same} of the state's {len(entries)} "
        "baseline(s); a lost state file would lose the others (the next push stores them)"
    ]


def _blocks(issues: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:

    return set(blocks_links(list(issues)))


def render(res: CheckResult) -> str:
    """The report printed by the command."""
    state_path, url, project = res.state_path, res.url, res.project
    lines = [
        f"State check: plan {res.plan_id}, state {state_path}, Jira {url} project {project}",
        f"  checked {res.issues} issue(s) and {res.links} link(s) recorded in the state",
    ]
    if res.issues == 0:
        lines.append("  the state holds no issue for this plan: nothing was pushed yet")
    lines += [f"  note: {n}" for n in res.notes]
    if res.ok:
        lines.append("OK: Jira agrees with the state")
        return "\n".join(lines)
    lines += [f"  problem: {p}" for p in res.problems]
    lines.append(
        f"{len(res.problems)} problem(s): Jira disagrees with the state; "
        "`syncsvc push SPEC --config FILE` repairs them"
    )
    return "\n".join(lines)


def check_state(spec: Path, *, config: Path) -> CheckResult:
    """Compare the state file's issues and links for the plan of `spec` with Jira (read only):
    every recorded issue exists with its syncsvc property and labels, and every link syncsvc
    made is there. Errors of input or config raise (exit 2) before any call."""

    cfg = load_config(config)
    jcfg = cfg.require_jira(config.name)
    jcfg.token()  # exit 2 before any call when the variable is not set
    parsed = load_spec(spec, today=dt.date.today())
    plan_id = str(parsed.plan_id)
    project = parsed.jira_project or jcfg.project
    removed = load_jira_mapping(cfg.catalog_dir()).labels.removed
    path = cfg.state_path()
    if not path.is_file():
        raise ConfigError(f"no state file at {path}: nothing was pushed yet", hint="run `syncsvc push` first")
    with State.open(path) as st:
        records = [Record(r.task_id, r.issue_key, r.issue_id, r.removed) for r in st.issues(plan_id).values()]
        links = st.links(plan_id)
        baselines = st.baselines(plan_id)
    issues: list[dict[str, Any]] = []
    jira = connect(jcfg)
    jira.server_info()
    if records:
        issues = jira.fetch_issues([r.key for r in records], fields=READ_FIELDS, properties=[PROPERTY])
    labelled = jira.search(
        f"project = {jql_quote(project)} AND labels = {jql_quote(plan_label(plan_id))} ORDER BY key ASC",
        fields=READ_FIELDS,
        properties=[PROPERTY],
        what=f"searching {project} for the issues of plan {plan_id}",
    )
    res = compare(
        plan_id,
        project,
        records,
        links,
        issues,
        removed_label=removed,
        labelled=labelled,
        baselines=baselines,
    )
    res.state_path, res.url, res.project = str(path), jcfg.url, project
    return res
