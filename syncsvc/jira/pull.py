"""Pull: read the plan's issues by key, map their status, forecast against the baseline."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from syncsvc.config import Config, JiraConfig
from syncsvc.errors import ConfigError
from syncsvc.forecast import (
    Status,
    TaskStatus,
    baseline_from_plan,
    forecast,
    merge_baseline,
)
from syncsvc.jira.adapter import JiraAdapter, SiteFields
from syncsvc.jira.changes import EPIC_ID
from syncsvc.jira.mapping import JiraMapping, load_jira_mapping
from syncsvc.jira.payload import PROPERTY, Site
from syncsvc.jira.push import Prefetched
from syncsvc.model import Plan
from syncsvc.state import State
from syncsvc.statusmap import StatusMapping, load_status_mapping, status_transitions, task_status

log = logging.getLogger("syncsvc.jira")
STATUS_FIELDS = ("status", "resolutiondate", "updated")


@dataclass
class PullResult:
    """A forecast, and what was read to make it (a sync hands the issues on to the push)."""

    status: Status
    prefetched: Prefetched | None
    missing: list[str] = field(default_factory=list)  # tasks whose issue Jira no longer has
    calls: int = 0
    baseline_id: int = 0


def pull_status(
    plan: Plan, cfg: Config, *, as_of: dt.date, state: State,
    client_factory: Callable[[JiraConfig], JiraAdapter] | None = None,
    adapter: JiraAdapter | None = None, for_push: bool = False, tz: dt.tzinfo = dt.UTC,
    mapping: StatusMapping | None = None, jira_mapping: JiraMapping | None = None,
) -> PullResult:
    """Read every issue of the plan by key and forecast from `as_of` (CONTRACT §7).

    With `for_push`, the issues are read with every field the push compares too, so the push
    that follows in a sync reads nothing more.
    """
    jcfg = cfg.require_jira("pull")
    recorded = state.latest_baseline(plan.plan_id)
    if recorded is None:
        raise ConfigError(
            f"plan {plan.plan_id} has no baseline in {cfg.state_path()}",
            hint="run `syncsvc push` first: the first push records the baseline")
    jcfg.token()
    if adapter is None:
        if client_factory is None:
            from syncsvc.jira.adapter import connect
            client_factory = connect
        adapter = client_factory(jcfg)
    mapping = mapping or load_status_mapping(cfg.catalog_dir())
    records = {tid: r for tid, r in state.issues(plan.plan_id).items()
               if tid != EPIC_ID and not r.removed}
    adapter.server_info()
    categories = adapter.status_categories()
    fields = list(STATUS_FIELDS)
    site_fields: SiteFields | None = None
    if for_push:
        jm = jira_mapping or load_jira_mapping(cfg.catalog_dir())
        site_fields = _site_fields(adapter, state, jm.fields.start_date)
        fields += Site(adapter.is_cloud, site_fields, "", plan.plan_id, "", "").read_fields()
    keys = sorted({r.issue_key for r in records.values()}, key=_key_order)
    issues = adapter.fetch_issues(keys, fields=fields, properties=[PROPERTY])
    histories = (adapter.changelogs([str(i["id"]) for i in issues]) if adapter.is_cloud
                 else {str(i["id"]): (i.get("changelog") or {}).get("histories") or []
                       for i in issues})
    by_key = {r.issue_key: tid for tid, r in records.items()}
    statuses: dict[str, TaskStatus] = {}
    for issue in issues:
        tid = _task_of(issue, plan.plan_id, by_key)
        if tid is None:
            continue
        trans = status_transitions(histories.get(str(issue["id"]), []))
        statuses[tid] = task_status(issue, trans, mapping, categories, tz=tz)
    missing = sorted(tid for tid in records if tid not in statuses)
    for tid in missing:
        log.warning("the Jira issue of task %s (%s) was not found; counted as not started",
                    tid, records[tid].issue_key)
    baseline = merge_baseline(baseline_from_plan(Plan.model_validate(recorded.plan_json)), plan)
    status = forecast(baseline, statuses, as_of)
    prefetched = Prefetched(issues, site_fields) if site_fields is not None else None
    return PullResult(status, prefetched, missing, adapter.calls, recorded.id)


def _site_fields(adapter: JiraAdapter, state: State, start_name: str) -> SiteFields:
    """The site's field ids, read once (GET field) and then kept in the state."""
    key = f"fields:{adapter.url}:{start_name}"
    cached = state.site_value(key)
    if cached is not None:
        return SiteFields(cached.get("start"), cached.get("epic_link"), cached.get("epic_name"))
    found = adapter.site_fields(start_name)
    state.put_site_value(key, {"start": found.start, "epic_link": found.epic_link,
                               "epic_name": found.epic_name})
    return found


def _task_of(issue: dict[str, Any], plan_id: str, by_key: dict[str, str]) -> str | None:
    # the property names the task even after a project move renamed the key
    prop = (issue.get("properties") or {}).get(PROPERTY)
    if isinstance(prop, dict) and prop.get("plan_id") == plan_id and prop.get("task_id"):
        return str(prop["task_id"])
    return by_key.get(str(issue.get("key")))


def _key_order(key: str) -> tuple[str, int]:
    project, _, num = key.rpartition("-")
    return project, int(num) if num.isdigit() else 0
