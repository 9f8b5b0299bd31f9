"""A stateful fake Jira (Cloud or Server/DC) on `responses`, checked against the OpenAPI contract.

It keeps issues, labels, properties, statuses and links; shows each link from both issues' sides
as Jira does (on the blocker: `outwardIssue` = the blocked issue; on the blocked: `inwardIssue` =
the blocker); pages `search/jql` with nextPageToken (Cloud) and `search` with startAt (Server);
and can be told to answer an error, or to drop an answer after doing the work.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses
from fakes.jira_contract import contract
from fakes.jira_jql import JqlError, matches, parse_jql

LINK_TYPES = {
    "Blocks": ("is blocked by", "blocks", "10000"),
    "Relates": ("relates to", "relates to", "10003"),
}
# (name, id, category id, category key, category name): a default Jira Software workflow
STATUSES = [
    ("To Do", "1", 2, "new", "To Do"),
    ("In Progress", "3", 4, "indeterminate", "In Progress"),
    ("In Review", "10002", 4, "indeterminate", "In Progress"),
    ("Done", "10001", 3, "done", "Done"),
]
# POST endpoints that only read (bulk fetches and search)
READ_POSTS = frozenset({"issue/bulkfetch", "changelog/bulkfetch", "search/jql", "search"})
PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}
START_FIELD, EPIC_LINK, EPIC_NAME = "customfield_10015", "customfield_10014", "customfield_10011"
WRITE_METHODS = {"POST", "PUT", "DELETE"}
STUCK = base64.b64encode(b"stuck").decode()  # the next-page token of a site that pages for ever


@dataclass
class Call:
    method: str
    path: str  # after /rest/api/N/
    params: dict[str, list[str]]
    body: Any
    status: int = 0

    @property
    def write(self) -> bool:
        return self.method in WRITE_METHODS and self.path not in READ_POSTS


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    action: str  # "status" (answer without doing), "drop" (do, then lose the answer), "refuse"
    times: int
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    skip: int = 0  # let this many matching calls through first


class JiraError(Exception):
    def __init__(
        self, status: int, messages: list[str] | None = None, errors: dict[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status, self.body = status, {"errorMessages": messages or [], "errors": errors or {}}


class FakeJira:
    """One Jira site. `install(rsps)` routes every /rest/api/ call on `base` to it."""

    def __init__(
        self,
        base: str = "https://fake.atlassian.net",
        *,
        cloud: bool = True,
        email: str | None = "pm@example.com",
        token: str = "s3cret-token-value",
        projects: dict[str, list[str]] | None = None,
        users: set[str] | None = None,
        start_field: bool = True,
        bulk_reads: bool = True,
        search_lag: int = 0,
    ) -> None:
        self.base, self.cloud, self.email, self.token = base.rstrip("/"), cloud, email, token
        self.projects = projects or {"NOTIF": ["Task", "Story", "Bug", "Epic"]}
        self.users = users
        self.issues: dict[str, dict[str, Any]] = {}
        self.links: dict[str, tuple[str, str, str]] = {}  # id -> (type, inward/blocker, outward)
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.page_size = 100
        self.busy = 0.0  # seconds spent inside the fake (benchmarks subtract it)
        self._next_id, self._next_num = 10000, {p: 0 for p in self.projects}
        self._next_link = 20000
        self._next_hist = 30000
        self.fields = self._field_list(start_field)
        self.statuses: dict[str, dict[str, Any]] = {
            name: {"id": sid, "name": name, "statusCategory": {"id": cid, "key": cat, "name": cname}}
            for name, sid, cid, cat, cname in STATUSES
        }
        self.history: dict[str, list[dict[str, Any]]] = {}  # issue key -> changelog, oldest first
        self.bulk_reads = bulk_reads  # False: the bulk fetch endpoints answer 404 (older sites)
        self.moved: dict[str, str] = {}  # old key -> new key, after a move to another project
        self.stuck_pages = 0  # > 0: paged reads answer the same next-page token forever
        self.page_calls = 0  # paged reads answered while stuck (the client must stop early)
        # search lag: an issue is seen by search only `search_lag` calls after its creation
        # (unless its id is in reconcileIssues); reads by key or id see it at once, as in Cloud
        self.search_lag = search_lag
        self.born: dict[str, int] = {}  # issue id -> call number of its creation

    # -- set-up and inspection -------------------------------------------------------------

    def install(self, rsps: responses.RequestsMock) -> None:
        rx = re.compile(re.escape(self.base) + r"/rest/api/.*")
        for m in ("GET", "POST", "PUT", "DELETE"):
            rsps.add_callback(m, rx, callback=self._handle)

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        skip: int = 0,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer `status` (without doing anything) to `times` matching calls after `skip`."""
        self.faults.append(Fault(method, re.compile(path), "status", times, status, headers or {}, skip))

    def html(self, method: str, path: str, *, times: int = 1, status: int = 200) -> None:
        """Answer an HTML login page (an SSO proxy in front of the site) to matching calls."""
        self.faults.append(Fault(method, re.compile(path), "html", times, status))

    def plain(self, method: str, path: str, text: str, *, times: int = 1) -> None:
        """Answer 200 with `text` as text/plain (a proxy's "OK") to matching calls."""
        self.faults.append(
            Fault(
                method, re.compile(path), "plain", times, 200, {"Content-Type": "text/plain", "X-Body": text}
            )
        )

    def drop(self, method: str, path: str, *, times: int = 1, skip: int = 0) -> None:
        """Do the matching call, then lose its answer (a connection error for the client)."""
        self.faults.append(Fault(method, re.compile(path), "drop", times, skip=skip))

    def writes(self) -> list[Call]:
        return [c for c in self.calls if c.write]

    def reads(self) -> list[Call]:
        return [c for c in self.calls if not c.write]

    def by_task(self, plan_id: str, task_id: str) -> list[dict[str, Any]]:
        return [
            i
            for i in self.issues.values()
            if {k: (i["properties"].get("syncsvc") or {}).get(k) for k in ("plan_id", "task_id")}
            == {"plan_id": plan_id, "task_id": task_id}
        ]

    def key_of(self, plan_id: str, task_id: str) -> str:
        found = self.by_task(plan_id, task_id)
        assert len(found) == 1, f"{task_id}: {len(found)} issues"
        return str(found[0]["key"])

    def blocks(self) -> set[tuple[str, str]]:
        """Every Blocks link as (blocker key, blocked key)."""
        return {(a, b) for t, a, b in self.links.values() if t == "Blocks"}

    def link(self, blocker: str, blocked: str, type_: str = "Blocks") -> str:
        """Make a link as a person would."""
        self._next_link += 1
        self.links[str(self._next_link)] = (type_, blocker, blocked)
        return str(self._next_link)

    def delete_issue(self, key: str) -> None:
        """Delete an issue as a person would: its links go, and its children lose their
        parent (Cloud) or Epic Link (Server/DC), as in Jira."""
        del self.issues[key]
        self.links = {i: v for i, v in self.links.items() if key not in v[1:]}
        for other in self.issues.values():
            parent = other["fields"].get("parent")
            if isinstance(parent, dict) and parent.get("key") == key:
                other["fields"]["parent"] = None
            if other["fields"].get(EPIC_LINK) == key:
                other["fields"][EPIC_LINK] = None

    def move_to_project(self, key: str, project: str) -> str:
        """Move an issue to another project as a person would: a new key, the same id, fields,
        properties, links and history. The old key still resolves (GET issue, bulkfetch), as in
        Jira. Returns the new key."""
        issue = self.issues.pop(self.moved.get(key, key))
        old = issue["key"]
        if project not in self.projects:
            self.projects[project] = list(self.projects[issue["fields"]["project"]["key"]])
            self._next_num[project] = 0
        self._next_num[project] += 1
        new = f"{project}-{self._next_num[project]}"
        issue["key"], issue["fields"]["project"] = new, {"key": project}
        self.issues[new] = issue
        self.moved = {k: (new if v == old else v) for k, v in self.moved.items()}
        self.moved[old] = new
        self.links = {
            i: (t, new if a == old else a, new if b == old else b) for i, (t, a, b) in self.links.items()
        }
        if old in self.history:
            self.history[new] = self.history.pop(old)
        for other in self.issues.values():
            parent = other["fields"].get("parent")
            if isinstance(parent, dict) and parent.get("key") == old:
                other["fields"]["parent"] = {**parent, "key": new}
        return new

    def move(self, key: str, status: str, at: dt.datetime) -> None:
        """Move an issue to `status` at time `at`, as a person would (changelog recorded)."""
        issue = self._issue(key)
        old, new = issue["fields"]["status"], self.statuses[status]
        self._next_hist += 1
        self.history.setdefault(key, []).append(
            {
                "id": str(self._next_hist),
                "created": at.isoformat(timespec="milliseconds"),
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "fieldId": "status",
                        "from": old["id"],
                        "fromString": old["name"],
                        "to": new["id"],
                        "toString": new["name"],
                    }
                ],
            }
        )
        issue["fields"]["status"] = new
        done = new["statusCategory"]["key"] == "done"
        issue["fields"]["resolutiondate"] = at.isoformat(timespec="milliseconds") if done else None

    # -- dispatch --------------------------------------------------------------------------

    def _handle(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        t0 = time.perf_counter()
        try:
            return self._answer(request)
        finally:
            self.busy += time.perf_counter() - t0

    def _answer(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        url = urlsplit(request.url or "")
        params = parse_qs(url.query, keep_blank_values=True)
        raw = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
        body = json.loads(raw) if raw else None
        short = re.sub(r"^/rest/api/[^/]+/", "", url.path)
        call = Call(request.method or "", short, params, body)
        self.calls.append(call)
        if request.headers.get("Accept-Language") != "en":
            self.violations.append(f"{call.method} {short}: no Accept-Language: en")
        fault = self._fault(call)
        if fault is not None and fault.action == "status":
            call.status = fault.status
            return fault.status, fault.headers, json.dumps({"errorMessages": ["injected"]})
        if fault is not None and fault.action == "plain":
            call.status = 200
            return 200, {"Content-Type": "text/plain"}, fault.headers["X-Body"]
        if fault is not None and fault.action == "html":
            call.status = fault.status
            return (
                fault.status,
                {"Content-Type": "text/html;charset=UTF-8"},
                (
                    "<!DOCTYPE html><html><head><title>Sign in - Example SSO</title></head>"
                    "<body><form action='/login'>...</form></body></html>"
                ),
            )
        if not self._authorized(str(request.headers.get("Authorization", ""))):
            call.status = 401
            return (
                401,
                {},
                json.dumps(
                    {"errorMessages": ["Client must be authenticated to access this resource."], "errors": {}}
                ),
            )
        op, bad = contract().check_request(call.method, url.path, params, body)
        if bad:
            self.violations += bad
            call.status = 400
            return 400, {}, json.dumps({"errorMessages": bad, "errors": {}})
        try:
            status, answer = self._route(call, params, body)
        except JiraError as e:
            status, answer = e.status, e.body
        call.status = status
        if op is not None and status < 300 and answer is not None:
            self.violations += contract().check_response(op, status, answer)
        if fault is not None and fault.action == "drop":
            raise requests.ConnectionError("connection reset (injected, after processing)")
        return status, {"Content-Type": "application/json"}, "" if answer is None else json.dumps(answer)

    def _fault(self, call: Call) -> Fault | None:
        for f in self.faults:
            if f.times > 0 and f.method == call.method and f.pattern.search(call.path):
                if f.skip > 0:
                    f.skip -= 1
                    continue
                f.times -= 1
                return f
        return None

    def _authorized(self, header: str) -> bool:
        if self.email:
            want = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
            return header == f"Basic {want}"
        return header == f"Bearer {self.token}"

    def _route(self, c: Call, params: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        m, p = c.method, c.path
        if m == "GET" and p == "serverInfo":
            return 200, {
                "baseUrl": self.base,
                "deploymentType": "Cloud" if self.cloud else "Server",
                "version": "1001.0.0" if self.cloud else "9.12.0",
                "versionNumbers": [1001, 0, 0] if self.cloud else [9, 12, 0],
                "serverTitle": "Jira",
            }
        if m == "GET" and p == "field":
            return 200, self.fields
        if m == "GET" and p == "project":
            return 200, [self._project(k) for k in self.projects]
        if m == "GET" and p.startswith("project/"):
            key = p.split("/", 1)[1]
            if key not in self.projects:
                raise JiraError(404, [f"No project could be found with key '{key}'."])
            return 200, self._project(key)
        if m == "POST" and p == "issue/bulk":
            return self._bulk(body)
        if p.startswith("issue/") and "/properties/" in p and p.count("/") == 3:
            return self._property(m, p.split("/")[1], p.split("/")[3], body)
        if p.startswith("issue/") and p.count("/") == 1:
            key = p.split("/")[1]
            if m == "GET":
                return 200, self._view(self._issue(key), params)
            if m == "PUT":
                self._edit(self._issue(key), body)
                return 204, None
        if m == "POST" and p == "issueLink":
            return self._link(body)
        if m == "DELETE" and p.startswith("issueLink/"):
            if self.links.pop(p.split("/")[1], None) is None:
                raise JiraError(404, ["No issue link with id exists."])
            return 204, None
        if m == "GET" and p == "status":
            return 200, list(self.statuses.values())
        if m == "GET" and p.startswith("issue/") and p.endswith("/changelog"):
            return self._issue_changelog(p.split("/")[1], params)
        if m == "POST" and p == "issue/bulkfetch":
            if not self.cloud or not self.bulk_reads:
                raise JiraError(404, ["Not found"])
            return self._bulkfetch(body)
        if m == "POST" and p == "changelog/bulkfetch":
            if not self.cloud or not self.bulk_reads:
                raise JiraError(404, ["Not found"])
            return self._changelogs(body)
        if m == "GET" and p == "search/jql":
            if not self.cloud:
                raise JiraError(404, ["Not found"])
            return self._search(params, cloud=True)
        if m == "GET" and p == "search":
            if self.cloud:
                raise JiraError(410, ["The requested API has been removed."])
            return self._search(params, cloud=False)
        raise JiraError(404, [f"fake: no route for {m} {p}"])

    # -- issues ----------------------------------------------------------------------------

    def _field_list(self, start: bool) -> list[dict[str, Any]]:
        def sys_(fid: str, name: str, typ: str) -> dict[str, Any]:
            return {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": False,
                "clauseNames": [fid],
                "schema": {"type": typ, "system": fid},
            }

        def cust(fid: str, name: str, typ: str, custom: str) -> dict[str, Any]:
            return {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": True,
                "clauseNames": [name],
                "schema": {"type": typ, "custom": custom, "customId": int(fid[12:])},
            }

        out = [
            sys_("summary", "Summary", "string"),
            sys_("description", "Description", "string"),
            sys_("duedate", "Due date", "date"),
            sys_("labels", "Labels", "array"),
            sys_("priority", "Priority", "priority"),
            sys_("assignee", "Assignee", "user"),
            sys_("issuelinks", "Linked Issues", "array"),
            sys_("project", "Project", "project"),
            sys_("issuetype", "Issue Type", "issuetype"),
            sys_("status", "Status", "status"),
        ]
        if self.cloud:
            out.append(sys_("parent", "Parent", "issuelink"))
        else:
            out += [
                cust(EPIC_LINK, "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"),
                cust(EPIC_NAME, "Epic Name", "string", "com.pyxis.greenhopper.jira:gh-epic-label"),
            ]
        if start:
            out.append(
                cust(
                    START_FIELD,
                    "Start date",
                    "date",
                    "com.atlassian.jira.plugin.system.customfieldtypes:datepicker",
                )
            )
        return out

    def _project(self, key: str) -> dict[str, Any]:
        return {
            "id": str(10 + list(self.projects).index(key)),
            "key": key,
            "name": key.title(),
            "issueTypes": [
                {"id": str(100 + i), "name": n, "subtask": False} for i, n in enumerate(self.projects[key])
            ],
        }

    def _issue(self, key: str) -> dict[str, Any]:
        key = self.moved.get(key, key)
        for i in self.issues.values():
            if key in (i["key"], i["id"]):
                return i
        raise JiraError(404, ["Issue does not exist or you do not have permission to see it."])

    def _check_fields(self, fields: dict[str, Any], project: str, errors: dict[str, str]) -> None:
        known = {f["id"] for f in self.fields}
        for name, value in fields.items():
            if name not in known or name in ("status", "issuelinks"):
                errors[name] = (
                    f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
                )
            elif name == "summary" and (not value or "\n" in value or len(value) > 255):
                errors[name] = "Summary must be one line of at most 255 characters."
            elif name == "priority" and value is not None and value.get("name") not in PRIORITIES:
                errors[name] = f"Specify a valid priority (got {value})"
            elif name == "labels" and any(" " in x for x in value):
                errors[name] = "The label contains spaces which is invalid."
            elif name == "assignee" and value is not None:
                idk = "accountId" if self.cloud else "name"
                if set(value) != {idk} or (self.users is not None and value[idk] not in self.users):
                    errors[name] = f"User {value} does not exist."
            elif (
                name in ("duedate", START_FIELD)
                and value is not None
                and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(value))
            ):
                errors[name] = "Error parsing date string."
            elif name in ("parent", EPIC_LINK) and value is not None:
                key = value.get("key") if name == "parent" else value
                try:
                    target = self._issue(str(key))
                except JiraError:
                    errors[name] = f"Issue {key} does not exist."
                    continue
                if target["fields"]["issuetype"]["name"] != "Epic":
                    errors[name] = f"{key} is not an epic."

    def _bulk(self, body: dict[str, Any]) -> tuple[int, Any]:
        ups = body.get("issueUpdates") or []
        if len(ups) > 50:
            raise JiraError(400, ["Too many issues: at most 50."])
        created, errs = [], []
        for n, up in enumerate(ups):
            fields = dict(up.get("fields") or {})
            errors: dict[str, str] = {}
            project: Any = (fields.pop("project", None) or {}).get("key")
            itype: Any = (fields.pop("issuetype", None) or {}).get("name")
            if project not in self.projects:
                errors["project"] = "valid project is required"
            elif itype not in self.projects[project]:
                errors["issuetype"] = "The issue type selected is invalid."
            if not fields.get("summary"):
                errors["summary"] = "You must specify a summary of the issue."
            if not self.cloud and itype == "Epic" and not fields.get(EPIC_NAME):
                errors[EPIC_NAME] = "Epic Name is required."
            if not errors:
                self._check_fields(fields, project, errors)
            if errors:
                errs.append(
                    {
                        "status": 400,
                        "failedElementNumber": n,
                        "elementErrors": {"errorMessages": [], "errors": errors},
                    }
                )
                continue
            issue = self._new_issue(project, itype, fields, up.get("properties") or [])
            created.append(
                {
                    "id": issue["id"],
                    "key": issue["key"],
                    "self": f"{self.base}/rest/api/2/issue/{issue['id']}",
                }
            )
        return (201 if created else 400), {"issues": created, "errors": errs}

    def _new_issue(
        self, project: str, itype: str, fields: dict[str, Any], props: list[dict[str, Any]]
    ) -> dict[str, Any]:
        self._next_id += 1
        self._next_num[project] += 1
        stored = {
            **fields,
            "project": {"key": project},
            "issuetype": {"name": itype, "id": str(100 + self.projects[project].index(itype))},
            "status": self.statuses["To Do"],
        }
        issue: dict[str, Any] = {
            "id": str(self._next_id),
            "key": f"{project}-{self._next_num[project]}",
            "fields": {},
            "properties": {p["key"]: p["value"] for p in props},
        }
        self.issues[issue["key"]] = issue
        self.born[issue["id"]] = len(self.calls)
        self._store(issue, stored)
        return issue

    def _property(self, method: str, key: str, prop: str, body: Any) -> tuple[int, Any]:
        issue = self._issue(key)
        if method == "PUT":
            if len(json.dumps(body)) > 32768:
                raise JiraError(400, ["The property value is too long (32768 characters)."])
            new = prop not in issue["properties"]
            issue["properties"][prop] = body
            return (201 if new else 200), None
        if method == "GET":
            if prop not in issue["properties"]:
                raise JiraError(404, [f"The property with key '{prop}' does not exist."])
            return 200, {"key": prop, "value": issue["properties"][prop]}
        raise JiraError(405, ["fake: method not allowed"])

    def visible(self, issue: dict[str, Any], reconcile: set[str]) -> bool:
        """Whether search sees the issue yet (search lag; reconcileIssues ids are seen)."""
        if not self.search_lag or issue["id"] in reconcile:
            return True
        return len(self.calls) - self.born.get(issue["id"], -(10**9)) > self.search_lag

    def _store(self, issue: dict[str, Any], fields: dict[str, Any]) -> None:
        for name, value in fields.items():
            if name == "priority" and value is not None:
                value = {"name": value["name"], "id": PRIORITIES[value["name"]]}
            elif name == "assignee" and value is not None:
                value = {**value, "displayName": str(next(iter(value.values())))}
            elif name == "parent" and value is not None:
                value = {"key": value["key"], "id": self._issue(value["key"])["id"]}
            issue["fields"][name] = value

    def _edit(self, issue: dict[str, Any], body: dict[str, Any]) -> None:
        fields = body.get("fields") or {}
        update = body.get("update") or {}
        both = set(fields) & set(update)
        if both:
            raise JiraError(400, [f"Field(s) {sorted(both)} given in both fields and update."])
        errors: dict[str, str] = {}
        self._check_fields(fields, issue["fields"]["project"]["key"], errors)
        for name, ops in update.items():
            if name != "labels":
                errors[name] = "fake: only labels are updated through `update`"
            elif not all(set(op) <= {"add", "remove", "set"} for op in ops):
                errors[name] = "Bad label operation."
        if errors:
            raise JiraError(400, [], errors)
        self._store(issue, fields)
        for prop in body.get("properties") or []:
            issue["properties"][prop["key"]] = prop["value"]
        labels = list(issue["fields"].get("labels") or [])
        for op in update.get("labels", []):
            if "add" in op and op["add"] not in labels:
                labels.append(op["add"])
            if "remove" in op and op["remove"] in labels:
                labels.remove(op["remove"])
            if "set" in op:
                labels = list(op["set"])
        issue["fields"]["labels"] = labels

    def _link(self, body: dict[str, Any]) -> tuple[int, Any]:
        name = body["type"].get("name")
        if name not in LINK_TYPES:
            raise JiraError(404, [f"No issue link type with name '{name}' found."])
        a = self._issue(body["inwardIssue"]["key"])["key"]
        b = self._issue(body["outwardIssue"]["key"])["key"]
        if (name, a, b) not in self.links.values():  # a repeat answers 201 and adds nothing
            self.link(a, b, name)
        return 201, None

    # -- reading ---------------------------------------------------------------------------

    def _link_index(self) -> dict[str, list[tuple[str, tuple[str, str, str]]]]:
        index: dict[str, list[tuple[str, tuple[str, str, str]]]] = {}
        for lid, v in sorted(self.links.items()):
            index.setdefault(v[1], []).append((lid, v))
            if v[2] != v[1]:
                index.setdefault(v[2], []).append((lid, v))
        return index

    def _issuelinks(self, key: str, index: dict[str, list[Any]] | None = None) -> list[dict[str, Any]]:
        out = []
        for lid, (t, a, b) in (index if index is not None else self._link_index()).get(key, []):
            inward, outward, tid = LINK_TYPES[t]
            other, side = (b, "outwardIssue") if key == a else (a, "inwardIssue")
            o = self.issues.get(other)
            out.append(
                {
                    "id": lid,
                    "type": {"id": tid, "name": t, "inward": inward, "outward": outward},
                    side: {
                        "id": o["id"] if o else "0",
                        "key": other,
                        "fields": {"summary": o["fields"].get("summary") if o else ""},
                    },
                }
            )
        return out

    def _view(
        self, issue: dict[str, Any], params: dict[str, list[str]], index: dict[str, list[Any]] | None = None
    ) -> dict[str, Any]:
        wanted = ",".join(params.get("fields", ["id"])).split(",")
        fields = {**issue["fields"], "issuelinks": self._issuelinks(issue["key"], index)}
        shown = fields if "*all" in wanted else {k: fields.get(k) for k in wanted if k and k != "id"}
        props = [p for p in ",".join(params.get("properties", [])).split(",") if p]
        out = {
            "id": issue["id"],
            "key": issue["key"],
            "self": f"{self.base}/rest/api/2/issue/{issue['id']}",
            "fields": shown,
        }
        if props:
            out["properties"] = {p: issue["properties"][p] for p in props if p in issue["properties"]}
        return out

    def _search(self, params: dict[str, list[str]], *, cloud: bool) -> tuple[int, Any]:
        jql = params.get("jql", [""])[0]
        try:
            query = parse_jql(jql)
        except JqlError as e:
            raise JiraError(400, [str(e)]) from None
        if cloud and not query.clauses:
            raise JiraError(400, ["Unbounded JQL queries are not allowed here."])
        warnings = []
        for f, _, vals in query.clauses:
            if f == "project" and not set(vals) & set(self.projects):
                raise JiraError(400, [f"The value '{vals[0]}' does not exist for the field 'project'."])
            for v in vals if f == "key" else []:
                if v in self.issues or v in self.moved:
                    continue
                msg = f"An issue with key '{v}' does not exist for field 'key'."
                # Jira: a 400, unless the old search is asked for warnings (validateQuery=warn)
                if cloud or params.get("validateQuery", ["strict"])[0] != "warn":
                    raise JiraError(400, [msg])
                warnings.append(msg)
        reconcile = {x for v in params.get("reconcileIssues", []) for x in v.split(",")}
        hits = [
            i
            for i in sorted(self.issues.values(), key=lambda i: int(i["id"]))
            if matches(query, i) and self.visible(i, reconcile)
        ]
        if re.search(r"ORDER\s+BY\s+key\s+DESC", jql, flags=re.I):
            hits.sort(
                key=lambda i: (i["key"].rpartition("-")[0], int(i["key"].rpartition("-")[2])), reverse=True
            )
        size = min(int(params.get("maxResults", ["50"])[0]), self.page_size)
        if cloud:
            token = params.get("nextPageToken", [""])[0]
            start = int(base64.b64decode(token)) if token and token != STUCK else 0
        else:
            start = int(params.get("startAt", ["0"])[0])
        index = self._link_index()
        page = [self._view(i, params, index) for i in hits[start : start + size]]
        if "changelog" in ",".join(params.get("expand", [])).split(","):
            for view in page:
                hs = list(reversed(self.history.get(view["key"], [])))  # newest first, as Jira
                view["changelog"] = {"startAt": 0, "maxResults": len(hs), "total": len(hs), "histories": hs}
        if not cloud:
            ans: dict[str, Any] = {"startAt": start, "maxResults": size, "total": len(hits), "issues": page}
            if warnings:
                ans["warningMessages"] = warnings
            return 200, ans
        out: dict[str, Any] = {"issues": page, "isLast": start + size >= len(hits)}
        if not out["isLast"]:
            out["nextPageToken"] = base64.b64encode(str(start + size).encode()).decode()
        if self.stuck_pages:
            out = self._stuck(out)
        return 200, out

    def _stuck(self, out: dict[str, Any]) -> dict[str, Any]:
        """A broken site or proxy: the same next-page token on every page, for ever."""
        self.page_calls += 1
        if self.page_calls > self.stuck_pages:  # the old client looped here until memory ran out
            raise AssertionError(f"the client kept paging ({self.page_calls} pages)")
        return {**out, "isLast": False, "nextPageToken": STUCK}

    def _bulkfetch(self, body: dict[str, Any]) -> tuple[int, Any]:
        wanted = body["issueIdsOrKeys"]
        if len(wanted) > 100:
            raise JiraError(400, ["The number of issues requested exceeds the limit of 100."])
        by_id = {i["id"]: i for i in self.issues.values()}
        params = {
            "fields": [",".join(body.get("fields") or ["*navigable"])],
            "properties": [",".join(body.get("properties") or [])],
        }
        index = self._link_index()
        found = [self.issues.get(self.moved.get(k, k)) or by_id.get(k) for k in wanted]
        return 200, {
            "issues": [self._view(i, params, index) for i in found if i is not None],
            "issueErrors": [],
        }

    def _changelogs(self, body: dict[str, Any]) -> tuple[int, Any]:
        by_id = {i["id"]: i for i in self.issues.values()}
        size = int(body.get("maxResults", 1000))
        token = body.get("nextPageToken")
        start = int(base64.b64decode(token)) if token and token != STUCK else 0
        rows: list[tuple[str, dict[str, Any]]] = []
        for k in body["issueIdsOrKeys"]:
            issue = self.issues.get(k) or by_id.get(k)
            if issue is not None:
                rows += [(issue["id"], h) for h in self.history.get(issue["key"], [])]
        page = rows[start : start + size]
        logs: dict[str, list[dict[str, Any]]] = {}
        for iid, h in page:
            logs.setdefault(iid, []).append(h)
        out: dict[str, Any] = {
            "issueChangeLogs": [{"issueId": i, "changeHistories": hs} for i, hs in logs.items()]
        }
        if start + size < len(rows):
            out["nextPageToken"] = base64.b64encode(str(start + size).encode()).decode()
        if self.stuck_pages:
            out = self._stuck(out)
            out.pop("isLast")
        return 200, out

    def _issue_changelog(self, key_or_id: str, params: dict[str, list[str]]) -> tuple[int, Any]:
        by_id = {i["id"]: i for i in self.issues.values()}
        issue = self.issues.get(key_or_id) or by_id.get(key_or_id)
        if issue is None:
            raise JiraError(404, ["Issue does not exist or you do not have permission to see it."])
        rows = self.history.get(issue["key"], [])
        start = int(params.get("startAt", ["0"])[0])
        size = min(int(params.get("maxResults", ["50"])[0]), 2)  # small pages: paging is tested
        page = rows[start : start + size]
        return 200, {
            "startAt": start,
            "maxResults": size,
            "total": len(rows),
            "isLast": start + size >= len(rows),
            "values": page,
        }
