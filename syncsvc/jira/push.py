"""Push a plan's timeline to Jira: read the state and Jira, diff, then apply the changes."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from syncsvc.config import Config, JiraConfig
from syncsvc.jira import keep
from syncsvc.jira.adapter import (
    BULK_LIMIT,
    BulkResult,
    JiraAdapter,
    JiraConfigFailure,
    JiraFailure,
    LostResponse,
    Rejected,
    connect,
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
from syncsvc.jira.find import Finder
from syncsvc.jira.mapping import JiraMapping, load_jira_mapping
from syncsvc.jira.payload import (
    BASE_LABEL,
    EPIC_LABEL,
    PROPERTY,
    Site,
    blocks_links,
    plan_label,
)
from syncsvc.jira.reader import Prefetched, site_facts
from syncsvc.jira.report import PushReport
from syncsvc.lock import sync_lock
from syncsvc.model import Plan, to_json
from syncsvc.signals import checkpoint, deferred_signals
from syncsvc.state import Baseline, IssueRecord, State

log = logging.getLogger("syncsvc.jira")
Progress = Callable[[str, int, int], None]


def push_plan(
    plan: Plan,
    cfg: Config,
    *,
    dry_run: bool,
    progress: Progress | None = None,
    client_factory: Callable[[JiraConfig], JiraAdapter] | None = None,
    assignees: Mapping[str, str] | None = None,
    project: str | None = None,
    mapping: JiraMapping | None = None,
    adapter: JiraAdapter | None = None,
    prefetched: Prefetched | None = None,
    locked: bool = False,
) -> PushReport:
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
            client_factory = connect
        adapter = client_factory(jcfg)
    path = cfg.state_path()
    lock = contextlib.nullcontext() if locked or dry_run else sync_lock(path)
    report = PushReport(plan.plan_id, project or jcfg.project, dry_run)
    with (
        lock,
        State.open(None if dry_run and not path.exists() else path) as state,
        deferred_signals() if not dry_run else contextlib.nullcontext(),
    ):
        try:
            _Push(
                plan,
                jcfg,
                mapping,
                adapter,
                state,
                report,
                dict(assignees or {}),
                progress or (lambda *_: None),
            ).run(prefetched)
        except JiraFailure as e:
            if report.created or report.updated:  # the epic was made: say so in the report
                report.error = e.message
                return report
            raise JiraFailure(
                f"{e.message}\n  Nothing was changed in Jira.",
                hint=e.hint,
                status=e.status,
                exit_code=e.exit_code,
            ) from None
        finally:
            report.calls = adapter.calls
    return report


class _Push:
    def __init__(
        self,
        plan: Plan,
        jcfg: JiraConfig,
        mapping: JiraMapping,
        jira: JiraAdapter,
        state: State,
        report: PushReport,
        assignees: dict[str, str],
        progress: Progress,
    ) -> None:
        self.plan, self.jcfg, self.mapping, self.jira = plan, jcfg, mapping, jira
        self.state, self.report, self.assignees, self.progress = state, report, assignees, progress
        self.pid = plan.plan_id
        self.labels = {
            "critical": mapping.labels.critical,
            "removed": mapping.labels.removed,
            "base": BASE_LABEL,
            "plan": plan_label(plan.plan_id),
        }
        self.keys: dict[str, str] = {}
        self.created_ids: list[str] = []
        self.now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.epic_prop: dict[str, Any] | None = None  # the epic's `syncsvc` property in Jira
        self.epic_refused = False  # a create was refused over its parent (a dead epic?)

    # -- reading -------------------------------------------------------------------------------

    def run(self, prefetched: Prefetched | None = None) -> None:
        records, remote, issues = self._read(prefetched)
        epic_rec, epic_remote, gone = self._find_epic(records, remote, issues)
        self.epic_prop = dict(epic_remote.prop) if epic_remote is not None else None
        rebuilt = keep.check_identity(
            self.plan,
            self.state,
            epic_remote.key if epic_remote else None,
            self.epic_prop,
            lambda k: self.jira.get_property(epic_remote.key if epic_remote else "", k),
            project=self.site.project,
            dry_run=self.report.dry_run,
        )
        if rebuilt:  # a lost state: only a search finds the issues a person moved elsewhere
            self._moved_elsewhere(records, remote, issues)
        epic_key = self._epic(epic_rec, epic_remote, gone=gone)
        can_epic = self.site.is_cloud or self.site.fields.epic_link is not None
        self.desired = desired_issues(
            self.plan,
            self.mapping,
            default_issue_type=self.jcfg.issue_type,
            assignees=self.assignees,
            epic_key=epic_key if can_epic else None,
            with_start=self.site.fields.start is not None,
        )
        changes = diff(
            self.desired,
            records,
            remote,
            blocks_links(issues),
            self.state.links(self.pid),
            desired_links(self.plan),
            self.labels,
        )
        removed = self.labels["removed"]
        self.extra = [(r, kept) for r, kept in self.find.duplicates.values() if removed not in r.labels]
        self.report.changes += [
            f"restore the {PROPERTY} property of {key}: task {tid} (a person set it to {said})"
            for key, (tid, said) in sorted(self.find.restores.items())
        ]
        self.report.changes += [
            f"label {r.key} {removed} (a second issue for "
            f"{'the epic' if r.task_id == EPIC_ID else 'task ' + r.task_id}"
            f"; {kept} is kept)"
            for r, kept in self.extra
        ]
        self.report.changes += changes.sentences()
        self.report.unchanged = changes.unchanged
        if self.report.dry_run:
            return
        try:
            self._restore_properties()
            self._label_duplicates()
            self._apply(changes)
        finally:  # an interrupted first push records its baseline too (the rerun creates none)
            self._first_baseline()
        if self.epic_refused and epic_key:
            self._epic_refused(epic_key)
        self._keep(epic_key)

    def _read(
        self, prefetched: Prefetched | None
    ) -> tuple[dict[str, IssueRecord], dict[str, RemoteIssue], list[dict[str, Any]]]:
        """The state's records and the plan's issues in Jira by task (the epic included when
        it was read), found before anything is created."""
        if prefetched is None:  # site facts are cached in the state (a dry run keeps none)
            cache = None if self.report.dry_run else self.state
            site_fields = site_facts(self.jira, self.mapping.fields.start_date, cache)
        else:
            site_fields = prefetched.site_fields
        self.site = Site(
            self.jira.is_cloud,
            site_fields,
            self.report.project,
            self.pid,
            self.labels["critical"],
            self.labels["removed"],
        )
        find = self.find = Finder(self.jira, self.site, self.state, dry_run=self.report.dry_run)
        records = self.state.issues(self.pid)
        pending = self.state.pending(self.pid)
        known_epic = EPIC_ID in records  # then the search leaves it out (checked after)
        if prefetched is None:
            issues = find.search(without_epic=known_epic)
        else:
            issues = list(prefetched.issues)
            if (
                (EPIC_ID not in records and self.jcfg.epic_issue_type)
                or pending
                or any(t.id not in records for t in self.plan.tasks)
            ):
                # issues the state does not hold yet (a run killed before it recorded them,
                # another machine's push): only a search can find them; look before creating
                seen = {str(i.get("key")) for i in issues}
                issues += [i for i in find.search(without_epic=known_epic) if str(i.get("key")) not in seen]
        find.seen |= {str(i.get("key")) for i in issues} | {r.issue_key for r in records.values()}
        remote = find.remote(issues, records)
        find.look_for_missing({t: r for t, r in records.items() if t != EPIC_ID}, remote, issues)
        if pending:
            find.find_pending(pending, records, remote, issues)
        return records, remote, issues

    def _moved_elsewhere(
        self, records: dict[str, IssueRecord], remote: dict[str, RemoteIssue], issues: list[dict[str, Any]]
    ) -> None:
        """Add the plan's issues in other projects to what was read (one more search, only
        when the state is rebuilt from Jira: a live state follows moves by key)."""
        seen = {str(i.get("key")) for i in issues}
        more = [
            i for i in self.find.search(without_epic=True, elsewhere=True) if str(i.get("key")) not in seen
        ]
        issues += more
        self.find.seen |= {str(i.get("key")) for i in more}
        for tid, r in self.find.remote(more, records).items():
            if tid != EPIC_ID and tid not in remote:
                remote[tid] = r

    def _find_epic(
        self, records: dict[str, IssueRecord], remote: dict[str, RemoteIssue], issues: list[dict[str, Any]]
    ) -> tuple[IssueRecord | None, RemoteIssue | None, bool]:
        """The epic's record, its issue when it was read, and whether it is gone: alive when
        a task shows it as its parent (its key followed through a project move), else read by
        key (Jira clears the children's parent when the epic is deleted)."""
        epic_rec = records.pop(EPIC_ID, None)
        gone = False
        live = self.find.in_use(epic_rec, issues) if epic_rec and EPIC_ID not in remote else None
        if epic_rec is not None and live is not None and live != epic_rec.issue_key:
            epic_rec = replace(epic_rec, issue_key=live)  # moved to another project
            if not self.report.dry_run:
                self.state.put_issues(self.pid, [epic_rec])
        elif epic_rec is not None and EPIC_ID not in remote and live is None:
            self.find.look_for_missing({EPIC_ID: epic_rec}, remote, issues)
            gone = EPIC_ID not in remote
        return epic_rec, remote.pop(EPIC_ID, None), gone

    def _check(self) -> None:
        """Between two writes: stop here when SIGINT/SIGTERM arrived (state is committed)."""
        r = self.report
        checkpoint(
            lambda: (
                f"push of {self.pid} to Jira {r.project} stopped between batches. "
                f"Done: {r.summary()}. Left: {r.left() or 'nothing'}."
            )
        )

    def _first_baseline(self) -> None:
        """The first push that made issues records the plan as the baseline (CONTRACT §3); so
        does the rerun of one killed before it could (it may have nothing left to create)."""
        if self.state.latest_baseline(self.pid) is not None:
            return
        if not self.report.created and not self.state.issues(self.pid):
            return
        self.state.add_baseline(self.pid, to_json(self.plan), recorded_at=self.now, note="first push")
        self.report.baseline_recorded = True

    def _baselines(self) -> list[Baseline]:
        """The baselines to keep in Jira: the state's, or the one this first push records."""
        have = self.state.baselines(self.pid)
        return have or [Baseline(0, self.pid, self.now, "first push", to_json(self.plan))]

    def _epic_refused(self, key: str) -> None:
        """A create or update was refused over its parent: when the epic is gone after all,
        forget it, so the next run makes it again (never a dead parent run after run)."""
        if self.jira.get_issue(key, fields=["summary"]) is None:
            self.state.forget_issue(self.pid, EPIC_ID)
            note = (
                f"the epic {key} no longer exists in Jira; the next push creates it again "
                "and links the tasks to it"
            )
            self.report.error = f"{self.report.error}; {note}" if self.report.error else note

    def _keep(self, epic_key: str | None) -> None:
        """Keep the plan's feature and baselines on the epic (a lost state is rebuilt from
        them): writes only when they changed (a new baseline, a renamed feature)."""
        if not epic_key or not self.state.baselines(self.pid):
            return
        kept_key = f"kept:{self.pid}"
        kept = self.state.site_value(kept_key) or {}
        if self.epic_prop is None and kept.get("key") == epic_key:  # the epic was not read
            self.epic_prop = kept.get("prop")
        prop, chunks = keep.epic_property(self.plan, self.state.baselines(self.pid), self.epic_prop)
        if prop != self.epic_prop:
            try:
                for k, value in chunks:
                    self.jira.put_property(epic_key, k, value)
                self.jira.put_property(epic_key, PROPERTY, prop)
            except JiraFailure as e:
                log.warning("could not keep the baselines on the epic %s: %s", epic_key, e.message)
                return
        if kept != {"key": epic_key, "prop": prop}:
            self._kept(epic_key, prop)

    def _kept(self, epic_key: str, prop: dict[str, Any]) -> None:
        """Remember the property the epic holds now: an unchanged run then writes nothing
        without reading the epic (it is left out of the search)."""
        self.epic_prop = prop
        self.state.put_site_value(f"kept:{self.pid}", {"key": epic_key, "prop": prop})

    def _label_duplicates(self) -> None:
        """A second issue for one task (two runs at once, an older bug) is labelled removed,
        never deleted, so the plan's views and the next runs leave it out."""
        for r, _ in self.extra:
            if self._mark_removed(r.key):
                self.report.removed_labelled.append(r.key)

    def _mark_removed(self, key: str) -> bool:
        """Add the removed label to one issue; False (the item failed) when Jira refuses."""
        self._check()
        try:
            self.jira.update_issue(key, self.site.removed_body())
        except Rejected as e:
            self.report.failed.append(f"label {key} {self.labels['removed']}: {e.message}")
            return False
        return True

    def _restore_properties(self) -> None:
        for key, (tid, _) in sorted(self.find.restores.items()):
            self._check()
            try:
                rec = self.state.issues(self.pid).get(tid)
                self.jira.put_property(
                    key, PROPERTY, self.site.task_prop(tid, rec.fields_hash if rec else None)
                )
            except Rejected as e:
                self.report.failed.append(f"restore the {PROPERTY} property of {key}: {e.message}")
                continue
            self.report.updated.append(key)

    def _epic(self, rec: IssueRecord | None, remote: RemoteIssue | None, *, gone: bool) -> str | None:
        if not self.jcfg.epic_issue_type:
            return None
        d = desired_epic(self.plan, self.mapping, self.jcfg.epic_issue_type)
        if rec is not None and gone:  # a person deleted the epic: make it again
            log.warning(
                "the epic %s of plan %s is gone from Jira; creating it again", rec.issue_key, self.pid
            )
            if not self.report.dry_run:
                self.state.forget_issue(self.pid, EPIC_ID)
            rec = None
        if rec is None and remote is None:
            create = Create(EPIC_ID, d.issue_type, d.values)
            self.report.changes.append(create.sentence())
            if self.report.dry_run:
                return "(new epic)"
            prop, chunks = keep.epic_property(self.plan, self._baselines(), None)  # every chunk
            body = self.site.create_body(create, epic_prop=prop, extra=chunks)
            what = f"creating the epic of plan {self.pid}"
            res = self._create_bodies([EPIC_ID], [body], what)
            if res is None and EPIC_ID not in self.state.issues(self.pid):
                res = self._create_bodies([EPIC_ID], [body], what + " (again, after a lost answer)")
            if res is None:
                found = self.state.issues(self.pid).get(EPIC_ID)
                if found is None:
                    raise JiraFailure(
                        f"Jira at {self.jira.url}: the answer was lost twice while {what}",
                        hint="run push again later",
                    )
                self._kept(found.issue_key, prop)
                return self._adopt_epic(found.issue_key, found.issue_id, d)
            if res.errors:
                self.state.settle(self.pid, [], [EPIC_ID])  # refused: nothing was made
                self._refused_create(res.errors[0])
            _, iid, key = res.created[0]
            self._kept(key, prop)
            return self._adopt_epic(key, iid, d)
        up = diff_issue(
            d,
            rec,
            remote,
            {
                "critical": "",
                "removed": self.labels["removed"],
                "base": BASE_LABEL,
                "plan": self.labels["plan"],
                "epic": EPIC_LABEL,
            },
        )
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
        self.find.seen.add(key)
        return key

    def _create_bodies(self, tids: list[str], bodies: list[dict[str, Any]], what: str) -> BulkResult | None:
        """One bulk create with its intent recorded first; the issues it made are recorded
        with the answer. A lost answer: the keys above the floor are read (never search) and
        what was made is recorded; returns None then (the rest is created again by the
        caller)."""
        floor = self.find.floor()
        self.state.add_pending(self.pid, tids, project=self.site.project, floor=floor)
        try:
            return self.jira.bulk_create(bodies, what=what)
        except LostResponse as e:
            log.warning("%s; reading the keys above the last one known before creating again", e.message)
        except JiraFailure:  # Jira answered with an error: it made nothing
            self.state.settle(self.pid, [], tids)
            raise
        pending = self.state.pending(self.pid)
        remote: dict[str, RemoteIssue] = {}
        self.find.find_pending(
            {t: pending[t] for t in tids if t in pending}, self.state.issues(self.pid), remote, []
        )
        self.find.seen |= {r.key for r in remote.values()}
        return None

    def _refused_create(self, message: str) -> None:
        if "issuetype" in message or "project" in message:
            raise JiraConfigFailure(
                f"Jira refused to create issues in {self.site.project}: {message}"
                f"\n  {self.jira.describe_project(self.site.project)}",
                hint="fix issue_type / epic_issue_type in [jira] or the issue types in jira.toml",
            )
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
        self.report.planned = {
            "creates": len(ch.creates) + len(self.report.created),
            "updates": len(ch.updates) + len(self.report.updated),
            "removed labels": len(ch.removals),
            "links": len(ch.link_adds),
        }
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
            chunk = creates[start : start + BULK_LIMIT]
            what = f"creating issues {start + 1}-{start + len(chunk)} of {total}"
            left = self._create_chunk(chunk, what)
            if left and self._create_chunk(left, what + " (again, after a lost answer)"):
                raise JiraFailure(
                    f"Jira at {self.jira.url}: the answer was lost twice while {what}",
                    hint="run push again later",
                )
            self.progress("create", min(start + BULK_LIMIT, total), total)

    def _create_chunk(self, chunk: list[Create], what: str) -> list[Create]:
        """Create one chunk; returns the creates still to do after a lost answer (what the lost
        create made was found by key and recorded)."""
        tids = [c.task_id for c in chunk]
        res = self._create_bodies(tids, [self.site.create_body(c) for c in chunk], what)
        if res is None:
            have = self.state.issues(self.pid)
            found = [c for c in chunk if c.task_id in have]
            recs = [
                IssueRecord(
                    c.task_id,
                    have[c.task_id].issue_key,
                    have[c.task_id].issue_id,
                    values_hash(c.values),
                    c.values,
                )
                for c in found
            ]
            self.state.put_issues(self.pid, recs)
            self._made(recs)
            return [c for c in chunk if c.task_id not in have]
        recs = [
            IssueRecord(chunk[i].task_id, key, iid, values_hash(chunk[i].values), chunk[i].values)
            for i, iid, key in res.created
        ]
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
            self.find.seen.add(r.issue_key)

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
            self.state.put_issues(self.pid, [IssueRecord(u.task_id, u.key, u.issue_id, d.hash, d.values)])
            self.report.updated.append(u.key)
        for m in ch.removals:
            if not self._mark_removed(m.key):
                continue
            rec = self._record(m.task_id)
            self.state.put_issues(
                self.pid,
                [IssueRecord(m.task_id, m.key, rec.issue_id, rec.fields_hash, rec.fields, removed=True)],
            )
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
