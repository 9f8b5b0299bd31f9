"""Site-specific Jira payloads: managed values to request bodies, and issues back to values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from syncsvc.jira.adapter import SiteFields
from syncsvc.jira.changes import EPIC_ID, Create, RemoteIssue, Update, Values, values_hash

PROPERTY = "syncsvc"  # the issue property every syncsvc issue carries (CONTRACT §6)
BASE_LABEL = "syncsvc"
EPIC_LABEL = "syncsvc_epic"  # marks the plan's epic ("_" is never in a plan_id: no clash)


def plan_label(plan_id: str) -> str:
    return f"syncsvc-{plan_id}"


def jql_quote(value: str) -> str:
    """A JQL string literal (mirrors Jira's own encoder; see research §5.3)."""
    out = []
    for ch in value:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif o < 0x20 or 0x7F <= o <= 0x9F or 0xFDD0 <= o <= 0xFDEF or 0xFFFE <= o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@dataclass(frozen=True)
class Site:
    """What differs per Jira site: deployment, field ids, project, plan and labels."""

    is_cloud: bool
    fields: SiteFields
    project: str
    plan_id: str
    critical_label: str
    removed_label: str

    # -- what to read ----------------------------------------------------------------------

    def read_fields(self) -> list[str]:
        names = [
            "summary",
            "description",
            "priority",
            "duedate",
            "assignee",
            "labels",
            "issuelinks",
            "parent",
        ]
        names += [f for f in (self.fields.start, self.fields.epic_link) if f]
        return names

    def plan_jql(self, *, without_epic: bool = False, elsewhere: bool = False) -> str:
        """The plan's issues; `without_epic` leaves out the issue marked as its epic (by a
        label, never by key: a deleted issue's key in JQL is a 400 on real Jira); `elsewhere`:
        those in other projects (moved there by a person)."""
        jql = (
            f"project {'!=' if elsewhere else '='} {jql_quote(self.project)} AND labels = "
            f"{jql_quote(plan_label(self.plan_id))}"
        )
        if without_epic:
            jql += f" AND labels != {jql_quote(EPIC_LABEL)}"
        return jql + " ORDER BY key ASC"

    # -- values <-> Jira fields ------------------------------------------------------------

    def _field(self, name: str, value: Any) -> tuple[str, Any] | None:
        if name in ("summary", "description", "duedate"):
            return name, value
        if name == "priority":
            return "priority", {"name": value} if value else None
        if name == "assignee":
            if value is None:
                return "assignee", None
            return "assignee", {"accountId": value} if self.is_cloud else {"name": value}
        if name == "start":
            return (self.fields.start, value) if self.fields.start else None
        if name == "epic":
            if self.is_cloud:
                return ("parent", {"key": value}) if value else None
            return (self.fields.epic_link, value) if self.fields.epic_link and value else None
        return None  # "critical" is a label, set through labels

    def create_body(
        self, c: Create, *, epic_prop: dict[str, Any] | None = None, extra: Sequence[tuple[str, Any]] = ()
    ) -> dict[str, Any]:
        """One element of POST issue/bulk: fields, labels and the `syncsvc` property (for the
        epic: `epic_prop`, which keeps the plan's feature and baseline index), plus `extra`
        properties."""
        v = c.values
        labels = [BASE_LABEL, plan_label(self.plan_id)]
        if c.task_id == EPIC_ID:
            labels.append(EPIC_LABEL)
        if v.get("critical"):
            labels.append(self.critical_label)
        fields: dict[str, Any] = {
            "project": {"key": self.project},
            "issuetype": {"name": c.issue_type},
            "labels": labels,
        }
        for name, value in v.items():
            if name == "assignee" and value is None:
                continue  # leave the project's default assignee
            pair = self._field(name, value)
            if pair is not None:
                fields[pair[0]] = pair[1]
        prop = self.task_prop(c.task_id, values_hash(v))
        if c.task_id == EPIC_ID:
            prop = {**(epic_prop or {}), "plan_id": self.plan_id, "task_id": None, "role": "epic"}
            if self.fields.epic_name:  # Server/DC: an epic needs its Epic Name
                fields[self.fields.epic_name] = v["summary"]
        props = [{"key": PROPERTY, "value": prop}] + [{"key": k, "value": x} for k, x in extra]
        return {"fields": fields, "properties": props}

    def task_prop(self, task_id: str, values_hash: str | None) -> dict[str, Any]:
        """A task issue's `syncsvc` property: plan, task and the hash of the values syncsvc
        last pushed (a rebuilt state knows from it whether a difference is a person's edit)."""
        prop: dict[str, Any] = {"plan_id": self.plan_id, "task_id": task_id}
        if values_hash:
            prop["hash"] = values_hash
        return prop

    def update_body(self, u: Update, *, values_hash: str | None = None) -> dict[str, Any]:
        """PUT issue/{key}: the changed fields, label add/remove operations and, with
        `values_hash`, the task's `syncsvc` property with the hash of the values now pushed."""
        body: dict[str, Any] = {}
        fields: dict[str, Any] = {}
        for name in u.changed():
            pair = self._field(name, u.new[name])
            if pair is not None:
                fields[pair[0]] = pair[1]
        if fields:
            body["fields"] = fields
        ops = [{"add": x} for x in u.add_labels] + [{"remove": x} for x in u.remove_labels]
        if ops:
            body["update"] = {"labels": ops}
        if values_hash:
            body["properties"] = [{"key": PROPERTY, "value": self.task_prop(u.task_id, values_hash)}]
        return body

    def removed_body(self) -> dict[str, Any]:
        return {"update": {"labels": [{"add": self.removed_label}]}}

    # -- Jira issues -> remote snapshot ----------------------------------------------------

    def remote_issue(self, issue: dict[str, Any], *, task_id: str | None = None) -> RemoteIssue | None:
        """The issue as a RemoteIssue when its `syncsvc` property names this plan, else None;
        with `task_id` (what the state knows it holds), whatever its property says."""
        prop = (issue.get("properties") or {}).get(PROPERTY)
        if not isinstance(prop, dict):
            prop = {}
        if task_id is None:
            if prop.get("plan_id") != self.plan_id:
                return None
            if prop.get("role") == "epic":
                task_id = EPIC_ID
            elif isinstance(prop.get("task_id"), str) and prop["task_id"]:
                task_id = prop["task_id"]
            else:
                return None
        f = issue.get("fields") or {}
        labels = frozenset(f.get("labels") or [])
        who = f.get("assignee") or {}
        values: Values = {
            "summary": f.get("summary"),
            "description": f.get("description") or "",
            "priority": (f.get("priority") or {}).get("name"),
            "duedate": f.get("duedate"),
            "assignee": who.get("accountId" if self.is_cloud else "name") if who else None,
            "epic": (
                (f.get("parent") or {}).get("key")
                if self.is_cloud
                else f.get(self.fields.epic_link)
                if self.fields.epic_link
                else None
            ),
        }
        if self.fields.start:
            values["start"] = f.get(self.fields.start)
        return RemoteIssue(task_id, str(issue["key"]), str(issue.get("id", "")), labels, values, prop)


def blocks_links(issues: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Every Blocks link seen on these issues: (blocker key, blocked key) -> link id.

    On issue X, an entry with `outwardIssue` Y means X blocks Y; with `inwardIssue` Y, Y blocks X.
    """
    out: dict[tuple[str, str], str] = {}
    for issue in issues:
        x = str(issue.get("key"))
        for link in (issue.get("fields") or {}).get("issuelinks") or []:
            if (link.get("type") or {}).get("name") != "Blocks":
                continue
            if "outwardIssue" in link:
                out[(x, link["outwardIssue"]["key"])] = str(link.get("id", ""))
            elif "inwardIssue" in link:
                out[(link["inwardIssue"]["key"], x)] = str(link.get("id", ""))
    return out
