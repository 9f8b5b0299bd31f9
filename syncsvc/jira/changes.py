"""Pure diff of the plan against the state and Jira: the changes a push would make, as data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from syncsvc.jira.mapping import JiraMapping
from syncsvc.model import Plan
from syncsvc.state import IssueRecord

EPIC_ID = "#epic"  # the state's task id for the plan's epic; never a valid task slug
Values = dict[str, Any]
Link = tuple[str, str]  # (blocker task id, blocked task id)


@dataclass(frozen=True)
class Desired:
    """What one task's issue should look like: its issue type and the managed field values."""

    task_id: str
    issue_type: str
    values: Values

    @property
    def hash(self) -> str:
        return values_hash(self.values)


@dataclass(frozen=True)
class RemoteIssue:
    """An issue found in Jira with the plan's label and a `syncsvc` property naming its task."""

    task_id: str
    key: str
    id: str
    labels: frozenset[str]
    values: Values
    prop: Mapping[str, Any] = field(default_factory=dict)  # its `syncsvc` property as read


@dataclass(frozen=True)
class Create:
    task_id: str
    issue_type: str
    values: Values

    def sentence(self) -> str:
        what = "epic" if self.task_id == EPIC_ID else self.task_id
        return f'create {self.issue_type} "{self.values["summary"]}" ({what})'


@dataclass(frozen=True)
class Update:
    """Set the changed fields of one issue; labels are added/removed, never replaced."""

    task_id: str
    key: str
    issue_id: str
    old: Values
    new: Values
    add_labels: tuple[str, ...] = ()
    remove_labels: tuple[str, ...] = ()

    def changed(self) -> list[str]:
        return [k for k in self.new if k != "critical" and self.old.get(k) != self.new[k]]

    def sentence(self) -> str:
        parts = []
        for k in self.changed():
            if k == "description":
                parts.append("description (changed)")
            else:
                parts.append(f"{k} {_show(self.old.get(k))} → {_show(self.new[k])}")
        parts += [f"label +{x}" for x in self.add_labels]
        parts += [f"label -{x}" for x in self.remove_labels]
        return f"update {self.key}: " + "; ".join(parts)


@dataclass(frozen=True)
class MarkRemoved:
    task_id: str
    key: str
    label: str

    def sentence(self) -> str:
        return f"label {self.key} {self.label} (task {self.task_id} left the spec)"


@dataclass(frozen=True)
class AddLink:
    blocker: str
    blocked: str

    def sentence(self) -> str:
        return f"link: {self.blocker} blocks {self.blocked}"


@dataclass(frozen=True)
class RemoveLink:
    blocker: str
    blocked: str
    link_id: str

    def sentence(self) -> str:
        return f"unlink: {self.blocker} blocks {self.blocked}"


@dataclass
class Changes:
    """Everything a push would do, in the order it is applied."""

    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    removals: list[MarkRemoved] = field(default_factory=list)
    link_adds: list[AddLink] = field(default_factory=list)
    link_removes: list[RemoveLink] = field(default_factory=list)
    adopt: list[IssueRecord] = field(default_factory=list)  # rebuilt from Jira, no write needed
    adopt_links: list[Link] = field(default_factory=list)  # in Jira and wanted: record as ours
    drop_links: list[Link] = field(default_factory=list)  # ours, unwanted, already gone
    forget: list[str] = field(default_factory=list)  # issues a person deleted
    unchanged: int = 0

    def sentences(self) -> list[str]:
        items: list[Any] = [*self.creates, *self.updates, *self.removals, *self.link_adds, *self.link_removes]
        return [c.sentence() for c in items]

    def writes(self) -> int:
        return (
            len(self.creates)
            + len(self.updates)
            + len(self.removals)
            + len(self.link_adds)
            + len(self.link_removes)
        )


def _show(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, str) and (" " in v or not v):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def values_hash(values: Values) -> str:
    """A stable hash of the managed field values."""
    blob = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def desired_issues(
    plan: Plan,
    mapping: JiraMapping,
    *,
    default_issue_type: str,
    assignees: Mapping[str, str],
    epic_key: str | None,
    with_start: bool,
) -> dict[str, Desired]:
    """The issue each task of the plan should have (values are site-independent)."""
    out: dict[str, Desired] = {}
    for t in plan.tasks:
        summary, description = mapping.task_text(plan, t)
        values: Values = {
            "summary": summary,
            "description": description,
            "priority": mapping.priority(t.risk),
            "duedate": t.planned_finish.isoformat(),
            "assignee": assignees.get(t.owner) if t.owner else None,
            "epic": epic_key,
            "critical": t.critical,
        }
        if with_start:
            values["start"] = t.planned_start.isoformat()
        out[t.id] = Desired(t.id, mapping.issue_type(t.kind, default_issue_type), values)
    return out


def desired_epic(plan: Plan, mapping: JiraMapping, issue_type: str) -> Desired:
    summary, description = mapping.epic_text(plan)
    return Desired(EPIC_ID, issue_type, {"summary": summary, "description": description})


def desired_links(plan: Plan) -> set[Link]:
    """`depends_on = ["a"]` on task b: a blocks b."""
    return {(a, t.id) for t in plan.tasks for a in t.depends_on}


def diff_issue(
    d: Desired, rec: IssueRecord | None, remote: RemoteIssue | None, labels: Mapping[str, str]
) -> Update | None:
    """The update that brings one existing issue to `d`, or None when nothing changed.

    With a state record, compare against what syncsvc last pushed (a person's edit in Jira is
    kept until the plan changes); without one (state rebuilt from Jira), against Jira itself.
    """
    critical, removed = labels["critical"], labels["removed"]
    key = rec.issue_key if rec else remote.key if remote else ""
    issue_id = rec.issue_id if rec else remote.id if remote else ""
    if rec is not None and rec.fields is not None and rec.fields_hash:
        old = dict(rec.fields)
        has = {critical} if old.get("critical") else set()
        if rec.removed:
            has.add(removed)
    elif remote is not None:
        old = dict(remote.values)
        has = set(remote.labels)
        old["critical"] = critical in has
        if remote.prop.get("hash") == d.hash:  # the values syncsvc last pushed (kept in the
            old = dict(d.values)  # issue's property) are the plan's: a difference is an edit
    else:
        old, has = {}, set()
    want_critical = bool(d.values.get("critical"))
    add = tuple(x for x in [critical] if want_critical and x not in has)
    if remote is not None:  # a person stripped a mark syncsvc finds its issues by: put it back
        add += tuple(
            x
            for x in (labels.get("base"), labels.get("plan"), labels.get("epic"))
            if x and x not in remote.labels
        )
    rem = tuple(x for x in [critical] if not want_critical and x in has)
    if removed in has:
        rem += (removed,)
    new = {k: v for k, v in d.values.items() if old.get(k) != v}
    if not new and not add and not rem:
        return None
    return Update(d.task_id, key, issue_id, {k: old.get(k) for k in new}, new, add, rem)


def diff(
    desired: Mapping[str, Desired],
    records: Mapping[str, IssueRecord],
    remote: Mapping[str, RemoteIssue],
    remote_links: Mapping[tuple[str, str], str],
    made_links: set[Link],
    want_links: set[Link],
    labels: Mapping[str, str],
) -> Changes:
    """Compare the plan with the state and Jira; `remote_links` maps (blocker key, blocked key)
    to the link id of every Blocks link seen on the plan's issues."""
    ch = Changes()
    keys: dict[str, str] = {}
    for tid, d in desired.items():
        rec, rem = records.get(tid), remote.get(tid)
        if rec is not None and rem is None:
            ch.forget.append(tid)  # a person deleted it: make it again
            rec = None
        if rec is None and rem is None:
            ch.creates.append(Create(tid, d.issue_type, d.values))
            continue
        if rec is None and rem is not None:
            ch.adopt.append(IssueRecord(tid, rem.key, rem.id))
        elif rec is not None and rem is not None and rec.issue_key != rem.key:
            rec = replace(rec, issue_key=rem.key)  # moved to another project: a new key
            ch.adopt.append(rec)
        up = diff_issue(d, rec, rem, labels)
        key = rec.issue_key if rec else rem.key if rem else ""
        keys[tid] = key
        if up is None:
            ch.unchanged += 1
            if rec is None and rem is not None:  # adopted and already right: remember it
                ch.adopt[-1] = IssueRecord(tid, rem.key, rem.id, d.hash, d.values)
        else:
            ch.updates.append(up)
    gone = (set(records) | set(remote)) - set(desired)
    for tid in sorted(gone):
        rec, rem = records.get(tid), remote.get(tid)
        if rem is None:
            if rec is not None and tid != EPIC_ID:
                ch.forget.append(tid)
            continue
        if tid == EPIC_ID:
            continue
        keys[tid] = rem.key
        if labels["removed"] not in rem.labels:
            ch.removals.append(MarkRemoved(tid, rem.key, labels["removed"]))
        if rec is None:
            ch.adopt.append(IssueRecord(tid, rem.key, rem.id, removed=True))
    _diff_links(ch, keys, remote_links, made_links, want_links)
    return ch


def _diff_links(
    ch: Changes,
    keys: Mapping[str, str],
    remote_links: Mapping[tuple[str, str], str],
    made_links: set[Link],
    want_links: set[Link],
) -> None:
    for a, b in sorted(want_links):
        ka, kb = keys.get(a), keys.get(b)
        if ka and kb and (ka, kb) in remote_links:
            if (a, b) not in made_links:
                ch.adopt_links.append((a, b))
        else:
            ch.link_adds.append(AddLink(a, b))
    for a, b in sorted(made_links - want_links):
        ka, kb = keys.get(a), keys.get(b)
        link_id = remote_links.get((ka, kb)) if ka and kb else None
        if link_id:
            ch.link_removes.append(RemoveLink(a, b, link_id))
        else:
            ch.drop_links.append((a, b))
