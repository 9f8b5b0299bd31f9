"""Finding a plan's issues in Jira before anything is created: the plan's search, reads by key
of the issues the state knows, the epic through its tasks' parent, and what a create whose
answer was lost made (read by key above the recorded floor: search lags behind new issues)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from syncsvc.jira.adapter import FETCH_LIMIT, JiraAdapter, JiraConfigFailure, JiraFailure, Rejected
from syncsvc.jira.changes import EPIC_ID, RemoteIssue
from syncsvc.jira.payload import PROPERTY, Site, jql_quote
from syncsvc.state import IssueRecord, State

log = logging.getLogger("syncsvc.jira")
SCAN_WINDOWS = 20  # key windows of 100 read after a lost create before giving up (run again)


class Finder:
    """The reads of one push; remembers every issue key met (the floor for new numbers), the
    issues whose `syncsvc` property a person edited (to put back) and second issues found for
    one task (to set aside)."""

    def __init__(self, jira: JiraAdapter, site: Site, state: State, *, dry_run: bool) -> None:
        self.jira, self.site, self.state, self.dry_run = jira, site, state, dry_run
        self.pid = site.plan_id
        self.seen: set[str] = set()
        self.restores: dict[str, tuple[str, str]] = {}  # key -> (task it holds, what it said)
        self.duplicates: dict[str, tuple[RemoteIssue, str]] = {}  # key -> (it, the key kept)

    def in_use(self, epic: IssueRecord, issues: list[dict[str, Any]]) -> str | None:
        """The epic's live key when a task's issue shows it as its parent (Cloud, by id: a
        project move keeps it) or Epic Link (Server/DC): then it exists, need not be read."""
        link = self.site.fields.epic_link
        for issue in issues:
            f = issue.get("fields")
            if not isinstance(f, dict):
                continue
            parent = f.get("parent")
            if isinstance(parent, dict) and (
                str(parent.get("id")) == epic.issue_id or parent.get("key") == epic.issue_key
            ):
                return str(parent.get("key") or epic.issue_key)
            if link and f.get(link) == epic.issue_key:
                return epic.issue_key
        return None

    def search(self, *, without_epic: bool = False, elsewhere: bool = False) -> list[dict[str, Any]]:
        """The plan's issues by its label (`without_epic`: the epic left out by its label;
        `elsewhere`: those a person moved to other projects)."""
        what = f"searching project {self.site.project} for the issues of plan {self.pid}"
        try:
            return self.jira.search(
                self.site.plan_jql(without_epic=without_epic, elsewhere=elsewhere),
                fields=self.site.read_fields(),
                properties=[PROPERTY],
                what=what,
            )
        except Rejected as e:
            if e.status != HTTPStatus.BAD_REQUEST:
                raise
            about = self.jira.describe_project(self.site.project)
            if "does not exist" in about:  # a configuration mistake: exit 2 (CONTRACT §3)
                raise JiraConfigFailure(
                    f"{e.message}\n  {about}",
                    hint="fix [jira] project in the config (or jira_project in the spec)",
                ) from None
            raise JiraFailure(
                f"{e.message}\n  {about}",
                hint="the project exists: run with -v and report the query Jira refused",
            ) from None

    def remote(
        self, issues: list[dict[str, Any]], records: Mapping[str, IssueRecord]
    ) -> dict[str, RemoteIssue]:
        """The plan's issues by task. An issue the state holds is that task's whatever its
        property now says (a person's edit is put back, never followed into a fork)."""
        by_key = {r.issue_key: t for t, r in records.items()}
        by_id = {r.issue_id: t for t, r in records.items() if r.issue_id}
        out: dict[str, RemoteIssue] = {}
        known: set[str] = set()  # tasks whose issue was found through the state
        for issue in issues:
            owner = by_id.get(str(issue.get("id"))) or by_key.get(str(issue.get("key")))
            r = self.owned(issue, owner) if owner else self.site.remote_issue(issue)
            if r is None:
                continue
            if r.task_id in out:  # two issues hold one task: the state's wins, else one not
                # labelled removed (a duplicate an earlier run set aside), else the older
                gone = self.site.removed_label
                take = (bool(owner) and r.task_id not in known) or (
                    r.task_id not in known and gone in out[r.task_id].labels and gone not in r.labels
                )
                kept, extra = (r, out[r.task_id]) if take else (out[r.task_id], r)
                log.warning(
                    "issues %s and %s both hold task %s of plan %s; keeping %s",
                    kept.key,
                    extra.key,
                    r.task_id,
                    self.pid,
                    kept.key,
                )
                self.duplicates[extra.key] = (extra, kept.key)
                if not take:
                    continue
            out[r.task_id] = r
            if owner:
                known.add(owner)
        return out

    def owned(self, issue: dict[str, Any], tid: str) -> RemoteIssue | None:
        """The issue the state says holds `tid`; a property naming something else is noted
        for repair (the epic's is rewritten whole with the plan's baselines by the push)."""
        r = self.site.remote_issue(issue)
        if r is not None and r.task_id == tid:
            return r
        prop = (issue.get("properties") or {}).get(PROPERTY)
        said = (
            f"plan {prop.get('plan_id')!r}, task {prop.get('task_id')!r}"
            if isinstance(prop, dict)
            else "nothing"
        )
        log.warning(
            "%s holds task %s of plan %s, but its %s property says %s: putting it back",
            issue.get("key"),
            tid,
            self.pid,
            PROPERTY,
            said,
        )
        if tid != EPIC_ID:
            self.restores[str(issue.get("key"))] = (tid, said)
        return self.site.remote_issue(issue, task_id=tid)

    def look_for_missing(
        self, records: dict[str, IssueRecord], remote: dict[str, RemoteIssue], issues: list[dict[str, Any]]
    ) -> None:
        """A known issue absent from the search lost its label or was deleted: read it by key
        before deciding it is gone (a wrong guess would create a duplicate)."""
        for tid, rec in sorted(records.items()):
            if tid in remote:
                continue
            issue = self.jira.get_issue(rec.issue_key, fields=self.site.read_fields(), properties=[PROPERTY])
            if issue is None:
                continue
            r = self.owned(issue, tid)
            if r is not None:
                remote[tid] = r
                issues.append(issue)

    def find_pending(
        self,
        pending: dict[str, tuple[str, int | None]],
        records: dict[str, IssueRecord],
        remote: dict[str, RemoteIssue],
        issues: list[dict[str, Any]],
    ) -> None:
        """A create was sent and its answer never recorded (a kill, a lost answer): search may
        not see issues that young, so read the keys above the recorded floor (by key: strongly
        consistent) and adopt what the create made before anything is created again."""
        want = {t for t in pending if t not in remote}
        by_project: dict[str, list[int | None]] = {}
        for t in want:
            by_project.setdefault(pending[t][0], []).append(pending[t][1])
        made: list[IssueRecord] = []
        for project, floors in sorted(by_project.items()):
            known = [f for f in floors if f is not None]
            hits: dict[str, dict[str, Any]] = {}
            if len(known) == len(floors):
                floor = min(known)
            else:  # nothing known in the project yet (a new plan's epic): the newest key
                # search sees, THEN the plan's search: an issue search missed the first time
                # is newer than that key (search shows issues in the order they were made)
                floor = self.jira.highest_number(
                    f"project = {jql_quote(project)}", what=f"reading the newest issue key of {project}"
                )
                for issue in self.search():
                    r = self.site.remote_issue(issue)
                    if r is not None and r.task_id in want:
                        hits.setdefault(r.task_id, issue)
            hits.update(self.scan(project, floor, want - hits.keys()) if want - hits.keys() else {})
            for tid, issue in hits.items():
                r = self.site.remote_issue(issue)
                if r is None:
                    continue
                remote[tid] = r
                issues.append(issue)
                made.append(IssueRecord(tid, r.key, r.id))
        if made:
            log.warning(
                "plan %s: found %d issue(s) (%s) made by a create whose answer was "
                "lost; not creating them again",
                self.pid,
                len(made),
                ", ".join(r.issue_key for r in made[:5]) + (" ..." if len(made) > 5 else ""),
            )
        if not self.dry_run:
            self.state.settle(self.pid, made, pending)
        records.update({r.task_id: r for r in made})

    def scan(self, project: str, floor: int, want: set[str]) -> dict[str, dict[str, Any]]:
        """Issues above number `floor` of `project` whose property names a task in `want`."""
        found: dict[str, dict[str, Any]] = {}
        start = floor + 1
        for _ in range(SCAN_WINDOWS):
            keys = [f"{project}-{n}" for n in range(start, start + FETCH_LIMIT)]
            got = self.jira.fetch_issues(keys, fields=self.site.read_fields(), properties=[PROPERTY])
            for issue in got:
                r = self.site.remote_issue(issue)
                if r is not None and r.task_id in want:
                    found.setdefault(r.task_id, issue)
            if not got or want <= found.keys():
                return found
            start += FETCH_LIMIT
        raise JiraFailure(
            f"a create of plan {self.pid} lost its answer, and the "
            f"{SCAN_WINDOWS * FETCH_LIMIT} issue keys of {project} above "
            f"{project}-{floor} do not show all it made",
            hint="run push again later: nothing is created until they are found",
        )

    def floor(self) -> int | None:
        """The highest issue number met in the project: every issue made later is above it."""
        prefix = f"{self.site.project}-"
        nums = [
            int(k[len(prefix) :]) for k in self.seen if k.startswith(prefix) and k[len(prefix) :].isdigit()
        ]
        return max(nums, default=None)
