"""Push a plan's timeline to Jira: read the state and Jira, diff, then apply the changes."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

from syncsvc.config import Config, JiraConfig
from syncsvc.errors import RemoteError
from syncsvc.jira.adapter import (
    BULK_LIMIT,
    JiraAdapter,
    JiraConfigFailure,
    JiraFailure,
    LostResponse,
    Rejected,
    SiteFields,
)
from syncsvc.jira.changes import (
    EPIC_ID,
    Changes,
    Create,
    Desired,
    RemoteIssue,
    desired_epic,
    desired_issues,
    desired_links,
    diff,
    diff_issue,
    values_hash,
)
from syncsvc.jira.mapping import JiraMapping, load_jira_mapping
from syncsvc.jira.payload import BASE_LABEL, PROPERTY, Site, blocks_links, plan_label
from syncsvc.model import Plan, to_json
from syncsvc.signals import checkpoint, deferred_signals
from syncsvc.state import IssueRecord, State

log = logging.getLogger("syncsvc.jira")
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Prefetched:
    """The plan's issues (every field the push compares), already read by key during a pull."""

    issues: list[dict[str, Any]]
    site_fields: SiteFields


@dataclass
class PushReport:
    """What a push did (or, with dry_run, would do)."""

    plan_id: str
    project: str
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    linked: int = 0
    unlinked: int = 0
    removed_labelled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    error: str | None = None
    calls: int = 0
    planned: dict[str, int] = field(default_factory=dict)  # creates/updates/links to apply
    baseline_recorded: bool = False

    @property
    def status(self) -> Literal["success", "partial", "error"]:
        if not self.failed and self.error is None:
            return "success"
        done = self.created or self.updated or self.linked or self.unlinked or self.removed_labelled
        return "partial" if done else "error"

    def summary(self) -> str:
        return (f"created {len(self.created)}, updated {len(self.updated)}, unchanged "
                f"{self.unchanged}, linked {self.linked}, unlinked {self.unlinked}, labelled "
                f"removed {len(self.removed_labelled)}, failed {len(self.failed)}")

    def left(self) -> str:
        """What is planned and not done yet, e.g. "3 creates, 40 links" ('' when nothing)."""
        left = {"creates": self.planned.get("creates", 0) - len(self.created),
                "updates": self.planned.get("updates", 0) - len(self.updated),
                "removed labels": self.planned.get("removed labels", 0)
                - len(self.removed_labelled),
                "links": self.planned.get("links", 0) - self.linked}
        return ", ".join(f"{n} {k}" for k, n in left.items() if n > 0)

    def raise_for_status(self) -> None:
        """RemoteError (exit 1) naming what was done and what was not."""
        if self.status == "success":
            return
        todo = self.left()
        lines = [self.error] if self.error else []
        lines.append(f"Not done: {todo or 'the items that failed'}.")
        lines += self.failed[:10] + ([f"... and {len(self.failed) - 10} more"]
                                     if len(self.failed) > 10 else [])
        raise RemoteError(f"push of {self.plan_id} to Jira {self.project} stopped part-way. "
                          f"Done: {self.summary()}.\n  " + "\n  ".join(lines),
                          hint="fix the cause and run push again: it finishes the job without "
                          "creating duplicates")


def push_plan(plan: Plan, cfg: Config, *, dry_run: bool, progress: Progress | None = None,
              client_factory: Callable[[JiraConfig], JiraAdapter] | None = None,
              assignees: Mapping[str, str] | None = None, project: str | None = None,
              mapping: JiraMapping | None = None, adapter: JiraAdapter | None = None,
              prefetched: Prefetched | None = None) -> PushReport:
    """Create and update one Jira issue per task with Blocks links (CONTRACT §3, §5, §6).

    `adapter` and `prefetched` come from a `sync` that already read the plan's issues by key
    while pulling: the push then reads nothing more when nothing changed.
    """
    jcfg = cfg.require_jira("push")
    jcfg.token()  # a missing token is a ConfigError (exit 2) before any call
    mapping = mapping or load_jira_mapping(cfg.catalog_dir())
    if adapter is None:
        if client_factory is None:
            from syncsvc.jira.adapter import connect
            client_factory = connect
        adapter = client_factory(jcfg)
    path = cfg.state_path()
    state = State.open(None if dry_run and not path.exists() else path)
    report = PushReport(plan.plan_id, project or jcfg.project, dry_run)
    with state, deferred_signals() if not dry_run else contextlib.nullcontext():
        try:
            _Push(plan, jcfg, mapping, adapter, state, report, dict(assignees or {}),
                  progress or (lambda *_: None)).run(prefetched)
        except JiraFailure as e:
            if report.created or report.updated:  # the epic was made: say so in the report
                report.error = e.message
                return report
            raise JiraFailure(f"{e.message}\n  Nothing was changed in Jira.", hint=e.hint,
                              status=e.status, exit_code=e.exit_code) from None
        finally:
            report.calls = adapter.calls
    return report


class _Push:
    def __init__(self, plan: Plan, jcfg: JiraConfig, mapping: JiraMapping, jira: JiraAdapter,
                 state: State, report: PushReport, assignees: dict[str, str],
                 progress: Progress) -> None:
        self.plan, self.jcfg, self.mapping, self.jira = plan, jcfg, mapping, jira
        self.state, self.report, self.assignees, self.progress = state, report, assignees, progress
        self.pid = plan.plan_id
        self.labels = {"critical": mapping.labels.critical, "removed": mapping.labels.removed,
                       "base": BASE_LABEL, "plan": plan_label(plan.plan_id)}
        self.keys: dict[str, str] = {}
        self.created_ids: list[str] = []

    # -- reading -------------------------------------------------------------------------------

    def run(self, prefetched: Prefetched | None = None) -> None:
        if prefetched is None:  # site facts are cached in the state (a dry run keeps none)
            cache = None if self.report.dry_run else self.state
            self.jira.server_info(cache=cache)
            site_fields = self.jira.site_fields(self.mapping.fields.start_date, cache=cache)
        else:
            site_fields = prefetched.site_fields
        self.site = Site(self.jira.is_cloud, site_fields, self.report.project, self.pid,
                         self.labels["critical"], self.labels["removed"])
        records = self.state.issues(self.pid)
        epic_rec = records.pop(EPIC_ID, None)
        if prefetched is None:
            issues = self._search(exclude=epic_rec.issue_key if epic_rec else None)
        else:
            issues = list(prefetched.issues)
            if (epic_rec is None and self.jcfg.epic_issue_type) or any(
                    t.id not in records for t in self.plan.tasks):
                # a run killed after Jira made issues, before the state recorded them: only a
                # search finds those (reading by key cannot), so look before creating any
                seen = {str(i.get("key")) for i in issues}
                issues += [i for i in self._search(exclude=epic_rec.issue_key if epic_rec
                                                   else None) if str(i.get("key")) not in seen]
        remote = self._remote(issues)
        self._look_for_missing(records, remote, issues)
        epic_key = self._epic(epic_rec, remote.pop(EPIC_ID, None))
        can_epic = self.site.is_cloud or self.site.fields.epic_link is not None
        desired = desired_issues(
            self.plan, self.mapping, default_issue_type=self.jcfg.issue_type,
            assignees=self.assignees, epic_key=epic_key if can_epic else None,
            with_start=self.site.fields.start is not None)
        changes = diff(desired, records, remote, blocks_links(issues), self.state.links(self.pid),
                       desired_links(self.plan), self.labels)
        self.report.changes += changes.sentences()
        self.report.unchanged = changes.unchanged
        if self.report.dry_run:
            return
        try:
            self._apply(changes)
        finally:  # an interrupted first push records its baseline too (the rerun creates none)
            self._first_baseline()

    def _check(self) -> None:
        """Between two writes: stop here when SIGINT/SIGTERM arrived (state is committed)."""
        r = self.report
        checkpoint(lambda: f"push of {self.pid} to Jira {r.project} stopped between batches. "
                   f"Done: {r.summary()}. Left: {r.left() or 'nothing'}.")

    def _first_baseline(self) -> None:
        """The first push that made issues records the plan as the baseline (CONTRACT §3); so
        does the rerun of one killed before it could (it may have nothing left to create)."""
        if self.state.latest_baseline(self.pid) is not None:
            return
        if not self.report.created and not self.state.issues(self.pid):
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.state.add_baseline(self.pid, to_json(self.plan), recorded_at=now, note="first push")
        self.report.baseline_recorded = True

    def _search(self, *, exclude: str | None = None, reconcile: list[str] | None = None
                ) -> list[dict[str, Any]]:
        what = f"searching project {self.site.project} for the issues of plan {self.pid}"
        try:
            return self.jira.search(self.site.plan_jql(exclude=exclude),
                                    fields=self.site.read_fields(), properties=[PROPERTY],
                                    reconcile=reconcile or [], what=what)
        except Rejected as e:
            if e.status != HTTPStatus.BAD_REQUEST:
                raise
            raise JiraConfigFailure(
                f"{e.message}\n  {self.jira.describe_project(self.site.project)}",
                hint="fix [jira] project in the config (or jira_project in the spec)") from None

    def _remote(self, issues: list[dict[str, Any]]) -> dict[str, RemoteIssue]:
        out: dict[str, RemoteIssue] = {}
        for issue in issues:
            r = self.site.remote_issue(issue)
            if r is None:
                continue
            if r.task_id in out:  # two issues claim one task: keep the older, say so
                log.warning("issues %s and %s both hold task %s of plan %s; using %s",
                            out[r.task_id].key, r.key, r.task_id, self.pid, out[r.task_id].key)
                continue
            out[r.task_id] = r
        return out

    def _look_for_missing(self, records: dict[str, IssueRecord], remote: dict[str, RemoteIssue],
                          issues: list[dict[str, Any]]) -> None:
        """A known issue absent from the search lost its label or was deleted: read it by key
        before deciding it is gone (a wrong guess would create a duplicate)."""
        for tid, rec in sorted(records.items()):
            if tid in remote:
                continue
            issue = self.jira.get_issue(rec.issue_key, fields=self.site.read_fields(),
                                        properties=[PROPERTY])
            if issue is None:
                continue
            r = self.site.remote_issue(issue)
            if r is not None and r.task_id == tid:
                remote[tid] = r
                issues.append(issue)

    def _epic(self, rec: IssueRecord | None, remote: RemoteIssue | None) -> str | None:
        if not self.jcfg.epic_issue_type:
            return None
        d = desired_epic(self.plan, self.mapping, self.jcfg.epic_issue_type)
        if rec is None and remote is None:
            create = Create(EPIC_ID, d.issue_type, d.values)
            self.report.changes.append(create.sentence())
            if self.report.dry_run:
                return "(new epic)"
            what = f"creating the epic of plan {self.pid}"
            try:
                res = self.jira.bulk_create([self.site.create_body(create)], what=what)
            except LostResponse as e:
                log.warning("%s; looking in Jira before creating again", e.message)
                found = self._remote(self._search()).get(EPIC_ID)
                if found is not None:
                    return self._adopt_epic(found.key, found.id, d)
                res = self.jira.bulk_create([self.site.create_body(create)], what=what)
            if res.errors:
                self._refused_create(res.errors[0])
            _, iid, key = res.created[0]
            return self._adopt_epic(key, iid, d)
        up = diff_issue(d, rec, remote, {"critical": "", "removed": self.labels["removed"]})
        key = rec.issue_key if rec else remote.key if remote else ""
        if up is not None:
            self.report.changes.append(up.sentence())
            if not self.report.dry_run:
                self.jira.update_issue(key, self.site.update_body(up))
                self.report.updated.append(key)
        if not self.report.dry_run and (up is not None or rec is None):
            iid = rec.issue_id if rec else remote.id if remote else ""
            self.state.put_issues(self.pid, [IssueRecord(EPIC_ID, key, iid, d.hash, d.values)])
        return key

    def _adopt_epic(self, key: str, iid: str, d: Desired) -> str:
        self.state.put_issues(self.pid, [IssueRecord(EPIC_ID, key, iid, d.hash, d.values)])
        self.report.created.append(key)
        self.created_ids.append(iid)
        return key

    def _refused_create(self, message: str) -> None:
        if "issuetype" in message or "project" in message:
            raise JiraConfigFailure(
                f"Jira refused to create issues in {self.site.project}: {message}"
                f"\n  {self.jira.describe_project(self.site.project)}",
                hint="fix issue_type / epic_issue_type in [jira] or the issue types in jira.toml")
        raise JiraFailure(f"Jira refused to create the epic: {message}")

    # -- applying ------------------------------------------------------------------------------

    def _apply(self, ch: Changes) -> None:
        st, pid = self.state, self.pid
        for tid in ch.forget:
            st.forget_issue(pid, tid)
        st.put_issues(pid, ch.adopt)
        st.add_links(pid, ch.adopt_links)
        st.remove_links(pid, ch.drop_links)
        self.keys = {tid: r.issue_key for tid, r in st.issues(pid).items()}
        self.report.planned = {"creates": len(ch.creates) + len(self.report.created),
                               "updates": len(ch.updates) + len(self.report.updated),
                               "removed labels": len(ch.removals), "links": len(ch.link_adds)}
        try:
            self._creates(ch.creates)
            self._updates(ch)
            self._links(ch)
        except JiraFailure as e:
            r = self.report
            if e.exit_code == JiraConfigFailure.exit_code and not (r.created or r.updated):
                raise  # a refused token or permission before any change: a config mistake
            self.report.error = str(e.message)
            if e.hint:
                self.report.error += f" ({e.hint})"

    def _creates(self, creates: list[Create]) -> None:
        total = len(creates)
        for start in range(0, total, BULK_LIMIT):
            self._check()
            chunk = creates[start:start + BULK_LIMIT]
            what = f"creating issues {start + 1}-{start + len(chunk)} of {total}"
            try:
                self._create_chunk(chunk, what)
            except LostResponse as e:
                log.warning("%s; looking in Jira before creating again", e.message)
                left = self._recover(chunk)
                if left:
                    try:
                        self._create_chunk(left, what + " (again, after a lost answer)")
                    except LostResponse as e2:
                        raise JiraFailure(e2.message, hint="run push again later") from None
            self.progress("create", min(start + BULK_LIMIT, total), total)

    def _create_chunk(self, chunk: list[Create], what: str) -> None:
        res = self.jira.bulk_create([self.site.create_body(c) for c in chunk], what=what)
        recs = [IssueRecord(chunk[i].task_id, key, iid, values_hash(chunk[i].values),
                            chunk[i].values) for i, iid, key in res.created]
        self.state.put_issues(self.pid, recs)  # committed right after each bulk answer
        for r in recs:
            self.keys[r.task_id] = r.issue_key
            self.created_ids.append(r.issue_id)
            self.report.created.append(r.issue_key)
        for i, msg in sorted(res.errors.items()):
            if not recs and ("issuetype" in msg or "project" in msg):
                self._refused_create(msg)
            self.report.failed.append(f"create {chunk[i].task_id}: {msg}")

    def _recover(self, chunk: list[Create]) -> list[Create]:
        """After a lost create answer: adopt what Jira has, return what is still missing."""
        found = self._remote(self._search(reconcile=self.created_ids[-50:]))
        recs: list[IssueRecord] = []
        left: list[Create] = []
        for c in chunk:
            hit = found.get(c.task_id)
            if hit is None:
                left.append(c)
            else:
                recs.append(IssueRecord(c.task_id, hit.key, hit.id, values_hash(c.values),
                                        c.values))
        self.state.put_issues(self.pid, recs)
        for rec in recs:
            self.keys[rec.task_id] = rec.issue_key
            self.created_ids.append(rec.issue_id)
            self.report.created.append(rec.issue_key)
        return left

    def _updates(self, ch: Changes) -> None:
        for u in ch.updates:
            self._check()
            try:
                self.jira.update_issue(u.key, self.site.update_body(u))
            except Rejected as e:
                self.report.failed.append(f"update {u.key} ({u.task_id}): {e.message}")
                continue
            d_values = {**(self._record(u.task_id).fields or {}), **u.new}
            self.state.put_issues(self.pid, [IssueRecord(
                u.task_id, u.key, u.issue_id, values_hash(d_values), d_values)])
            self.report.updated.append(u.key)
        for m in ch.removals:
            self._check()
            try:
                self.jira.update_issue(m.key, self.site.removed_body())
            except Rejected as e:
                self.report.failed.append(f"label {m.key} removed: {e.message}")
                continue
            rec = self._record(m.task_id)
            self.state.put_issues(self.pid, [IssueRecord(
                m.task_id, m.key, rec.issue_id, rec.fields_hash, rec.fields, removed=True)])
            self.report.removed_labelled.append(m.key)

    def _record(self, tid: str) -> IssueRecord:
        return self.state.issues(self.pid).get(tid) or IssueRecord(tid, self.keys.get(tid, ""))

    def _links(self, ch: Changes) -> None:
        made: list[tuple[str, str]] = []
        total = len(ch.link_adds)
        try:
            for n, link in enumerate(ch.link_adds, 1):
                self._check()
                a, b = self.keys.get(link.blocker), self.keys.get(link.blocked)
                if not a or not b:
                    missing = link.blocker if not a else link.blocked
                    self.report.failed.append(f"{link.sentence()}: {missing} has no issue")
                    continue
                try:
                    self.jira.link(a, b)
                except Rejected as e:
                    self.report.failed.append(f"{link.sentence()} ({a} → {b}): {e.message}")
                    continue
                made.append((link.blocker, link.blocked))
                self.report.linked += 1
                self.progress("link", n, total)
        finally:
            self.state.add_links(self.pid, made)
        if self.report.failed:
            log.warning("not removing links: something failed above")
            return
        for rl in ch.link_removes:
            self._check()
            self.jira.unlink(rl.link_id, rl.sentence())
            self.state.remove_links(self.pid, [(rl.blocker, rl.blocked)])
            self.report.unlinked += 1
