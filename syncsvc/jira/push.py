"""Push a plan's timeline to Jira: read the state and Jira, diff, then apply the changes."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any, Literal

from syncsvc.config import Config, JiraConfig
from syncsvc.errors import InputError, RemoteError
from syncsvc.jira import keep
from syncsvc.jira.adapter import (
    BULK_LIMIT,
    FETCH_LIMIT,
    BulkResult,
    JiraAdapter,
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
from syncsvc.jira.payload import (
    BASE_LABEL,
    EPIC_LABEL,
    PROPERTY,
    Site,
    blocks_links,
    plan_label,
)
from syncsvc.model import Plan, to_json
from syncsvc.signals import checkpoint, deferred_signals
from syncsvc.state import Baseline, IssueRecord, State

log = logging.getLogger("syncsvc.jira")
Progress = Callable[[str, int, int], None]
SCAN_WINDOWS = 20  # key windows of 100 read after a lost create before giving up (run again)


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
              prefetched: Prefetched | None = None, locked: bool = False) -> PushReport:
    """Create and update one Jira issue per task with Blocks links (CONTRACT §3, §5, §6).

    `adapter` and `prefetched` come from a `sync` that already read the plan's issues by key
    while pulling: the push then reads nothing more when nothing changed. A push takes the
    sync lock (exit 75 at once when another sync or push holds it) unless `locked` says the
    caller holds it already.
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
    from syncsvc.sync import sync_lock

    lock = contextlib.nullcontext() if locked or dry_run else sync_lock(path)
    report = PushReport(plan.plan_id, project or jcfg.project, dry_run)
    with lock, State.open(None if dry_run and not path.exists() else path) as state, \
            deferred_signals() if not dry_run else contextlib.nullcontext():
        try:
            _Push(plan, jcfg, mapping, adapter, state, report, dict(assignees or {}),
                  progress or (lambda *_: None)).run(prefetched)
        except JiraFailure as e:
            if report.created or report.updated:  # the epic was made: say so in the report
                report.error = e.message
                return report
            raise JiraFailure(f"{e.message}\n  Nothing was changed in Jira.", hint=e.hint,
                              status=e.status) from None
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
        self.seen: set[str] = set()  # every issue key met: the floor for new issue numbers
        self.restores: dict[str, tuple[str, str]] = {}  # key -> (task it holds, what it said)
        self.now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.epic_prop: dict[str, Any] | None = None  # the epic's `syncsvc` property in Jira
        self.epic_refused = False  # a create was refused over its parent (a dead epic?)

    # -- reading -------------------------------------------------------------------------------

    def run(self, prefetched: Prefetched | None = None) -> None:
        if prefetched is None:
            self.jira.server_info()
            site_fields = self.jira.site_fields(self.mapping.fields.start_date)
        else:
            site_fields = prefetched.site_fields
        self.site = Site(self.jira.is_cloud, site_fields, self.report.project, self.pid,
                         self.labels["critical"], self.labels["removed"])
        records = self.state.issues(self.pid)
        pending = self.state.pending(self.pid)
        known_epic = EPIC_ID in records  # then the search leaves it out (checked below)
        if prefetched is None:
            issues = self._search(without_epic=known_epic)
        else:
            issues = list(prefetched.issues)
            if EPIC_ID not in records or pending or any(t.id not in records
                                                        for t in self.plan.tasks):
                # issues the state does not hold yet (a run killed before it recorded them,
                # another machine's push): only a search can find them; look before creating
                seen = {str(i.get("key")) for i in issues}
                issues += [i for i in self._search(without_epic=known_epic)
                           if str(i.get("key")) not in seen]
        self.seen |= {str(i.get("key")) for i in issues} | {r.issue_key for r in records.values()}
        remote = self._remote(issues, records)
        self._look_for_missing({t: r for t, r in records.items() if t != EPIC_ID}, remote, issues)
        if pending:
            self._find_pending(pending, records, remote, issues)
        epic_rec = records.pop(EPIC_ID, None)
        gone = False
        live = self._in_use(epic_rec, issues) if epic_rec and EPIC_ID not in remote else None
        if epic_rec is not None and live is not None and live != epic_rec.issue_key:
            epic_rec = replace(epic_rec, issue_key=live)  # moved to another project
            if not self.report.dry_run:
                self.state.put_issues(self.pid, [epic_rec])
        elif epic_rec is not None and EPIC_ID not in remote and live is None:
            # no task shows it as its parent (Jira clears that when the epic is deleted): read
            # it by key before deciding it is gone
            self._look_for_missing({EPIC_ID: epic_rec}, remote, issues)
            gone = EPIC_ID not in remote
        epic_remote = remote.pop(EPIC_ID, None)
        self._identity(epic_remote)
        epic_key = self._epic(epic_rec, epic_remote, gone=gone)
        can_epic = self.site.is_cloud or self.site.fields.epic_link is not None
        desired = desired_issues(
            self.plan, self.mapping, default_issue_type=self.jcfg.issue_type,
            assignees=self.assignees, epic_key=epic_key if can_epic else None,
            with_start=self.site.fields.start is not None)
        self.desired = desired
        changes = diff(desired, records, remote, blocks_links(issues), self.state.links(self.pid),
                       desired_links(self.plan), self.labels)
        self.report.changes += [f"restore the {PROPERTY} property of {key}: task {tid} (a "
                                f"person set it to {said})"
                                for key, (tid, said) in sorted(self.restores.items())]
        self.report.changes += changes.sentences()
        self.report.unchanged = changes.unchanged
        if self.report.dry_run:
            return
        try:
            self._restore_properties()
            self._apply(changes)
        finally:  # an interrupted first push records its baseline too (the rerun creates none)
            self._first_baseline()
        if self.epic_refused and epic_key:
            self._epic_refused(epic_key)
        self._keep(epic_key)

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
        self.state.add_baseline(self.pid, to_json(self.plan), recorded_at=self.now,
                                note="first push")
        self.report.baseline_recorded = True

    def _baselines(self) -> list[Baseline]:
        """The baselines to keep in Jira: the state's, or the one this first push records."""
        have = self.state.baselines(self.pid)
        return have or [Baseline(0, self.pid, self.now, "first push", to_json(self.plan))]

    def _in_use(self, epic: IssueRecord, issues: list[dict[str, Any]]) -> str | None:
        """The epic's live key when a task's issue shows it as its parent (Cloud, by id: a
        project move keeps it) or Epic Link (Server/DC): then it exists, need not be read."""
        link = self.site.fields.epic_link
        for issue in issues:
            f = issue.get("fields") or {}
            parent = f.get("parent")
            if isinstance(parent, dict) and (str(parent.get("id")) == epic.issue_id
                                             or parent.get("key") == epic.issue_key):
                return str(parent.get("key") or epic.issue_key)
            if link and f.get(link) == epic.issue_key:
                return epic.issue_key
        return None

    def _epic_refused(self, key: str) -> None:
        """A create or update was refused over its parent: when the epic is gone after all,
        forget it, so the next run makes it again (never a dead parent run after run)."""
        if self.jira.get_issue(key, fields=["summary"]) is None:
            self.state.forget_issue(self.pid, EPIC_ID)
            note = (f"the epic {key} no longer exists in Jira; the next push creates it again "
                    "and links the tasks to it")
            self.report.error = f"{self.report.error}; {note}" if self.report.error else note

    def _search(self, *, without_epic: bool = False) -> list[dict[str, Any]]:
        what = f"searching project {self.site.project} for the issues of plan {self.pid}"
        try:
            return self.jira.search(self.site.plan_jql(without_epic=without_epic),
                                    fields=self.site.read_fields(),
                                    properties=[PROPERTY], what=what)
        except Rejected as e:
            if e.status != HTTPStatus.BAD_REQUEST:
                raise
            about = self.jira.describe_project(self.site.project)
            hint = ("fix [jira] project in the config (or jira_project in the spec)"
                    if "does not exist" in about else "the project exists: run with -v and "
                    "report the query Jira refused")
            raise JiraFailure(f"{e.message}\n  {about}", hint=hint) from None

    def _remote(self, issues: list[dict[str, Any]], records: Mapping[str, IssueRecord]
                ) -> dict[str, RemoteIssue]:
        """The plan's issues by task. An issue the state holds is that task's whatever its
        property now says (a person's edit is put back, never followed into a fork)."""
        by_key = {r.issue_key: t for t, r in records.items()}
        by_id = {r.issue_id: t for t, r in records.items() if r.issue_id}
        out: dict[str, RemoteIssue] = {}
        known: set[str] = set()  # tasks whose issue was found through the state
        for issue in issues:
            owner = by_id.get(str(issue.get("id"))) or by_key.get(str(issue.get("key")))
            r = self._owned(issue, owner) if owner else self.site.remote_issue(issue)
            if r is None:
                continue
            if r.task_id in out and not (owner and r.task_id not in known):
                log.warning("issues %s and %s both hold task %s of plan %s; using %s",
                            out[r.task_id].key, r.key, r.task_id, self.pid, out[r.task_id].key)
                continue
            if r.task_id in out:
                log.warning("issues %s and %s both hold task %s of plan %s; using %s (the "
                            "state's)", out[r.task_id].key, r.key, r.task_id, self.pid, r.key)
            out[r.task_id] = r
            if owner:
                known.add(owner)
        return out

    def _owned(self, issue: dict[str, Any], tid: str) -> RemoteIssue | None:
        """The issue the state says holds `tid`; a property naming something else is noted
        for repair (the epic's is rewritten whole by `_keep`)."""
        r = self.site.remote_issue(issue)
        if r is not None and r.task_id == tid:
            return r
        prop = (issue.get("properties") or {}).get(PROPERTY)
        said = (f"plan {prop.get('plan_id')!r}, task {prop.get('task_id')!r}"
                if isinstance(prop, dict) else "nothing")
        log.warning("%s holds task %s of plan %s, but its %s property says %s: putting it back",
                    issue.get("key"), tid, self.pid, PROPERTY, said)
        if tid != EPIC_ID:
            self.restores[str(issue.get("key"))] = (tid, said)
        return self.site.remote_issue(issue, task_id=tid)

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
            r = self._owned(issue, tid)
            if r is not None:
                remote[tid] = r
                issues.append(issue)

    def _find_pending(self, pending: dict[str, tuple[str, int | None]],
                      records: dict[str, IssueRecord], remote: dict[str, RemoteIssue],
                      issues: list[dict[str, Any]]) -> None:
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
                floor = self.jira.highest_number(project)
                for issue in self._search():
                    r = self.site.remote_issue(issue)
                    if r is not None and r.task_id in want:
                        hits.setdefault(r.task_id, issue)
            hits.update(self._scan(project, floor, want - hits.keys()) if want - hits.keys()
                        else {})
            for tid, issue in hits.items():
                r = self.site.remote_issue(issue)
                if r is None:
                    continue
                remote[tid] = r
                issues.append(issue)
                made.append(IssueRecord(tid, r.key, r.id))
        if made:
            log.warning("plan %s: found %d issue(s) (%s) made by a create whose answer was "
                        "lost; not creating them again", self.pid, len(made),
                        ", ".join(r.issue_key for r in made[:5]) + (" ..." if len(made) > 5
                                                                    else ""))
        if not self.report.dry_run:
            self.state.settle(self.pid, made, pending)
        records.update({r.task_id: r for r in made})

    def _scan(self, project: str, floor: int, want: set[str]) -> dict[str, dict[str, Any]]:
        """Issues above number `floor` of `project` whose property names a task in `want`."""
        found: dict[str, dict[str, Any]] = {}
        start = floor + 1
        for _ in range(SCAN_WINDOWS):
            keys = [f"{project}-{n}" for n in range(start, start + FETCH_LIMIT)]
            got = self.jira.fetch_issues(keys, fields=self.site.read_fields(),
                                         properties=[PROPERTY])
            for issue in got:
                r = self.site.remote_issue(issue)
                if r is not None and r.task_id in want:
                    found.setdefault(r.task_id, issue)
            if not got or want <= found.keys():
                return found
            start += FETCH_LIMIT
        raise JiraFailure(f"a create of plan {self.pid} lost its answer, and the "
                          f"{SCAN_WINDOWS * FETCH_LIMIT} issue keys of {project} above "
                          f"{project}-{floor} do not show all it made",
                          hint="run push again later: nothing is created until they are found")

    def _floor(self) -> int | None:
        """The highest issue number met in the project: every issue made later is above it."""
        prefix = f"{self.site.project}-"
        nums = [int(k[len(prefix):]) for k in self.seen
                if k.startswith(prefix) and k[len(prefix):].isdigit()]
        return max(nums, default=None)

    def _identity(self, epic: RemoteIssue | None) -> None:
        """Refuse (exit 2, nothing written) a spec that is another feature than the one the
        state or the epic in Jira holds under this plan_id; rebuild lost baselines from Jira."""
        self.epic_prop = dict(epic.prop) if epic is not None else None
        baselines = self.state.baselines(self.pid)
        restored: list[Baseline] = []
        index = (self.epic_prop or {}).get("baselines")
        if not baselines and epic is not None and isinstance(index, list) and index:
            restored = keep.restore(index, lambda k: self.jira.get_property(epic.key, k),
                                    self.pid)
        names = [str(b.plan_json.get("feature_name")) for b in baselines or restored]
        in_jira = (self.epic_prop or {}).get("feature_name")
        feature = self.plan.feature_name
        if names and names[-1] != feature:
            where = (f"the state {self.state.path}" if baselines
                     else f"the epic {epic.key if epic else ''} in Jira")
            raise InputError(
                f"plan_id {self.pid!r} belongs to the feature {names[-1]!r} (its baseline in "
                f"{where}); this spec is {feature!r}. Nothing was written",
                hint="give this spec its own plan_id; if the feature was renamed, record a new "
                "baseline first: syncsvc baseline SPEC --config FILE --note \"renamed\"")
        if isinstance(in_jira, str) and in_jira != feature and in_jira not in names:
            raise InputError(
                f"plan_id {self.pid!r} in Jira {self.site.project} belongs to the feature "
                f"{in_jira!r} (epic {epic.key if epic else ''}); this spec is {feature!r}. "
                "Nothing was written",
                hint="give this spec its own plan_id (two specs share this one)")
        if restored and not self.report.dry_run:
            self.state.put_baselines(self.pid, restored)
            log.warning("plan %s: %d baseline(s) rebuilt from the epic %s (the state had none)",
                        self.pid, len(restored), epic.key if epic else "")

    def _epic_prop(self, baselines: list[Baseline]) -> tuple[dict[str, Any],
                                                            list[tuple[str, Any]]]:
        entries, chunks = keep.to_store(baselines, (self.epic_prop or {}).get("baselines") or [])
        prop = {"plan_id": self.pid, "task_id": None, "role": "epic",
                "feature_name": self.plan.feature_name, "baselines": entries}
        return prop, chunks

    def _keep(self, epic_key: str | None) -> None:
        """Keep the plan's feature and baselines on the epic (a lost state is rebuilt from
        them): writes only when they changed (a new baseline, a renamed feature)."""
        if not epic_key or not self.state.baselines(self.pid):
            return
        kept_key = f"kept:{self.pid}"
        kept = self.state.site_value(kept_key) or {}
        if self.epic_prop is None and kept.get("key") == epic_key:  # the epic was not read
            self.epic_prop = kept.get("prop")
        prop, chunks = self._epic_prop(self.state.baselines(self.pid))
        if prop != self.epic_prop:
            try:
                for k, value in chunks:
                    self.jira.put_property(epic_key, k, value)
                self.jira.put_property(epic_key, PROPERTY, prop)
            except JiraFailure as e:
                log.warning("could not keep the baselines on the epic %s: %s", epic_key,
                            e.message)
                return
            self.epic_prop = prop
        if kept != {"key": epic_key, "prop": prop}:
            self.state.put_site_value(kept_key, {"key": epic_key, "prop": prop})

    def _restore_properties(self) -> None:
        for key, (tid, _) in sorted(self.restores.items()):
            self._check()
            try:
                rec = self.state.issues(self.pid).get(tid)
                self.jira.put_property(key, PROPERTY, self.site.task_prop(
                    tid, rec.fields_hash if rec else None))
            except Rejected as e:
                self.report.failed.append(f"restore the {PROPERTY} property of {key}: "
                                          f"{e.message}")
                continue
            self.report.updated.append(key)

    def _epic(self, rec: IssueRecord | None, remote: RemoteIssue | None, *, gone: bool
              ) -> str | None:
        if not self.jcfg.epic_issue_type:
            return None
        d = desired_epic(self.plan, self.mapping, self.jcfg.epic_issue_type)
        if rec is not None and gone:  # a person deleted the epic: make it again
            log.warning("the epic %s of plan %s is gone from Jira; creating it again",
                        rec.issue_key, self.pid)
            if not self.report.dry_run:
                self.state.forget_issue(self.pid, EPIC_ID)
            rec = None
        if rec is None and remote is None:
            create = Create(EPIC_ID, d.issue_type, d.values)
            self.report.changes.append(create.sentence())
            if self.report.dry_run:
                return "(new epic)"
            prop, chunks = self._epic_prop(self._baselines())  # a new epic: every chunk
            body = self.site.create_body(create, epic_prop=prop, extra=chunks)
            what = f"creating the epic of plan {self.pid}"
            res = self._create_bodies([EPIC_ID], [body], what)
            if res is None and EPIC_ID not in self.state.issues(self.pid):
                res = self._create_bodies([EPIC_ID], [body], what + " (again, after a lost "
                                          "answer)")
            if res is None:
                found = self.state.issues(self.pid).get(EPIC_ID)
                if found is None:
                    raise JiraFailure(f"Jira at {self.jira.url}: the answer was lost twice "
                                      f"while {what}", hint="run push again later")
                self.epic_prop = prop
                return self._adopt_epic(found.issue_key, found.issue_id, d)
            if res.errors:
                self.state.settle(self.pid, [], [EPIC_ID])  # refused: nothing was made
                self._refused_create(res.errors[0])
            _, iid, key = res.created[0]
            self.epic_prop = prop
            return self._adopt_epic(key, iid, d)
        up = diff_issue(d, rec, remote, {"critical": "", "removed": self.labels["removed"],
                                         "base": BASE_LABEL, "plan": self.labels["plan"],
                                         "epic": EPIC_LABEL})
        # moved to another project: its new key (the old one still resolves, but Jira shows
        # the tasks' parent under the new one, which would look like a change on every run)
        key = remote.key if remote else rec.issue_key if rec else ""
        if up is not None:
            self.report.changes.append(up.sentence())
            if not self.report.dry_run:
                self.jira.update_issue(key, self.site.update_body(up))
                self.report.updated.append(key)
        moved = rec is not None and rec.issue_key != key
        if not self.report.dry_run and (up is not None or rec is None or moved):
            iid = rec.issue_id if rec else remote.id if remote else ""
            self.state.put_issues(self.pid, [IssueRecord(EPIC_ID, key, iid, d.hash, d.values)])
        return key

    def _adopt_epic(self, key: str, iid: str, d: Desired) -> str:
        self.state.settle(self.pid, [IssueRecord(EPIC_ID, key, iid, d.hash, d.values)], [])
        self.report.created.append(key)
        self.created_ids.append(iid)
        self.seen.add(key)
        return key

    def _create_bodies(self, tids: list[str], bodies: list[dict[str, Any]], what: str
                       ) -> BulkResult | None:
        """One bulk create with its intent recorded first; the issues it made are recorded
        with the answer. A lost answer: the keys above the floor are read (never search) and
        what was made is recorded; returns None then (the rest is created again by the
        caller)."""
        floor = self._floor()
        self.state.add_pending(self.pid, tids, project=self.site.project, floor=floor)
        try:
            return self.jira.bulk_create(bodies, what=what)
        except LostResponse as e:
            log.warning("%s; reading the keys above the last one known before creating again",
                        e.message)
        except JiraFailure:  # Jira answered with an error: it made nothing
            self.state.settle(self.pid, [], tids)
            raise
        pending = self.state.pending(self.pid)
        remote: dict[str, RemoteIssue] = {}
        self._find_pending({t: pending[t] for t in tids if t in pending},
                           self.state.issues(self.pid), remote, [])
        self.seen |= {r.key for r in remote.values()}
        return None

    def _refused_create(self, message: str) -> None:
        if "issuetype" in message or "project" in message:
            raise JiraFailure(f"Jira refused to create issues in {self.site.project}: {message}"
                              f"\n  {self.jira.describe_project(self.site.project)}",
                              hint="fix issue_type / epic_issue_type in [jira] or the issue types "
                              "in jira.toml")
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
            self.report.error = str(e.message)
            if e.hint:
                self.report.error += f" ({e.hint})"

    def _creates(self, creates: list[Create]) -> None:
        total = len(creates)
        for start in range(0, total, BULK_LIMIT):
            self._check()
            chunk = creates[start:start + BULK_LIMIT]
            what = f"creating issues {start + 1}-{start + len(chunk)} of {total}"
            left = self._create_chunk(chunk, what)
            if left and self._create_chunk(left, what + " (again, after a lost answer)"):
                raise JiraFailure(f"Jira at {self.jira.url}: the answer was lost twice while "
                                  f"{what}", hint="run push again later")
            self.progress("create", min(start + BULK_LIMIT, total), total)

    def _create_chunk(self, chunk: list[Create], what: str) -> list[Create]:
        """Create one chunk; returns the creates still to do after a lost answer (what the lost
        create made was found by key and recorded)."""
        tids = [c.task_id for c in chunk]
        res = self._create_bodies(tids, [self.site.create_body(c) for c in chunk], what)
        if res is None:
            have = self.state.issues(self.pid)
            found = [c for c in chunk if c.task_id in have]
            recs = [IssueRecord(c.task_id, have[c.task_id].issue_key, have[c.task_id].issue_id,
                                values_hash(c.values), c.values) for c in found]
            self.state.put_issues(self.pid, recs)
            self._made(recs)
            return [c for c in chunk if c.task_id not in have]
        recs = [IssueRecord(chunk[i].task_id, key, iid, values_hash(chunk[i].values),
                            chunk[i].values) for i, iid, key in res.created]
        self.state.settle(self.pid, recs, tids)  # committed right after each bulk answer
        self._made(recs)
        for i, msg in sorted(res.errors.items()):
            if not recs and ("issuetype" in msg or "project" in msg):
                self._refused_create(msg)
            self._note_parent(msg)
            self.report.failed.append(f"create {chunk[i].task_id}: {msg}")
        return []

    def _note_parent(self, message: str) -> None:
        """Jira refused a value of the epic field (`parent`, or Epic Link on Server/DC)."""
        for f in {"parent", self.site.fields.epic_link or "parent"}:
            if message.startswith(f"{f}:") or f"; {f}:" in message or f": {f}:" in message:
                self.epic_refused = True

    def _made(self, recs: list[IssueRecord]) -> None:
        for r in recs:
            self.keys[r.task_id] = r.issue_key
            self.created_ids.append(r.issue_id)
            self.report.created.append(r.issue_key)
            self.seen.add(r.issue_key)

    def _updates(self, ch: Changes) -> None:
        for u in ch.updates:
            self._check()
            d = self.desired[u.task_id]  # the issue holds the plan's values after this
            try:
                self.jira.update_issue(u.key, self.site.update_body(u, values_hash=d.hash))
            except Rejected as e:
                self.report.failed.append(f"update {u.key} ({u.task_id}): {e.message}")
                self._note_parent(e.message)
                continue
            self.state.put_issues(self.pid, [IssueRecord(
                u.task_id, u.key, u.issue_id, d.hash, d.values)])
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
