"""Pull: read the plan's issues by key, map their status, forecast against the baseline."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from syncsvc.config import Config, JiraConfig
from syncsvc.errors import ConfigError
from syncsvc.forecast import (
    Status,
    TaskStatus,
    baseline_from_plan,
    forecast,
    merge_baseline,
)
from syncsvc.jira.adapter import JiraAdapter, SiteFields, connect
from syncsvc.jira.changes import EPIC_ID
from syncsvc.jira.mapping import JiraMapping, load_jira_mapping
from syncsvc.jira.payload import PROPERTY
from syncsvc.jira.reader import Prefetched, push_fields, read_by_key, site_facts
from syncsvc.jira.statusmap import StatusMapping, load_status_mapping, status_transitions, task_status
from syncsvc.model import Plan
from syncsvc.state import State

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
    plan: Plan,
    cfg: Config,
    *,
    as_of: dt.date,
    state: State,
    client_factory: Callable[[JiraConfig], JiraAdapter] | None = None,
    adapter: JiraAdapter | None = None,
    for_push: bool = False,
    tz: dt.tzinfo | None = None,
    mapping: StatusMapping | None = None,
    jira_mapping: JiraMapping | None = None,
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
            hint="run `syncsvc push` first: the first push records the baseline",
        )
    jcfg.token()
    if adapter is None:
        if client_factory is None:
            client_factory = connect
        adapter = client_factory(jcfg)
    mapping = mapping or load_status_mapping(cfg.catalog_dir())
    records = {tid: r for tid, r in state.issues(plan.plan_id).items() if tid != EPIC_ID and not r.removed}
    tz = tz or jcfg.zone()
    # facts about the site that do not change are read once and kept in the state
    fields = list(STATUS_FIELDS)
    site_fields: SiteFields | None = None
    if for_push:
        jm = jira_mapping or load_jira_mapping(cfg.catalog_dir())
        site_fields = site_facts(adapter, jm.fields.start_date, state)
        fields += push_fields(adapter, plan.plan_id, site_fields)
    else:
        adapter.server_info(cache=state)
    issues = read_by_key(adapter, [r.issue_key for r in records.values()], fields)
    histories = (
        adapter.changelogs([str(i["id"]) for i in issues])
        if adapter.is_cloud
        else {str(i["id"]): (i.get("changelog") or {}).get("histories") or [] for i in issues}
    )
    transitions = {iid: status_transitions(h) for iid, h in histories.items()}
    categories = adapter.status_categories(cache=state)
    if any(t.to_id and t.to_id not in categories for ts in transitions.values() for t in ts):
        categories = adapter.status_categories(cache=state, refresh=True)  # a new status
    by_key = {r.issue_key: tid for tid, r in records.items()}
    statuses: dict[str, TaskStatus] = {}
    window = _believable(plan, recorded_start(recorded.plan_json), as_of)
    for issue in issues:
        tid = _task_of(issue, plan.plan_id, by_key)
        if tid is None:
            continue
        st = task_status(issue, transitions.get(str(issue["id"]), []), mapping, categories, tz=tz)
        statuses[tid] = _checked_dates(st, window, tid)
    missing = sorted(tid for tid in records if tid not in statuses)
    for tid in missing:
        log.warning(
            "the Jira issue of task %s (%s) was not found; counted as not started",
            tid,
            records[tid].issue_key,
        )
    baseline = merge_baseline(baseline_from_plan(_recorded_plan(recorded, cfg)), plan)
    status = forecast(baseline, statuses, as_of)
    prefetched = Prefetched(issues, site_fields) if site_fields is not None else None
    return PullResult(status, prefetched, missing, adapter.calls, recorded.id)


def _recorded_plan(recorded: Any, cfg: Config) -> Plan:
    """The baseline's plan. A baseline that no longer reads as a plan (damaged, rebuilt from an
    edited epic property, written by a syncsvc that knew other fields) is a clear error."""
    try:
        return Plan.model_validate(recorded.plan_json)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        where = ".".join(str(x) for x in err["loc"]) or "(top)"
        raise ConfigError(
            f"baseline #{recorded.id} of plan {recorded.plan_id} in {cfg.state_path()} cannot be "
            f"read as a plan ({where}: {err['msg']}; {e.error_count()} problem(s))",
            hint='record a new baseline: syncsvc baseline SPEC --config FILE --note "repaired"',
        ) from None


def recorded_start(plan_json: dict[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(plan_json.get("start_date")))
    except ValueError:
        return None


BELIEVABLE_YEARS = 20


def _believable(plan: Plan, recorded: dt.date | None, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The dates an actual start or finish read from Jira can fall on: from some years before
    the plan's start to the day after the status date (a time zone ahead)."""
    first = min(d for d in (plan.start_date, recorded, as_of) if d is not None)
    return (
        dt.date(max(1, first.year - BELIEVABLE_YEARS), 1, 1),
        min(as_of, dt.date.max - dt.timedelta(days=1)) + dt.timedelta(days=1),
    )


def _checked_dates(st: TaskStatus, window: tuple[dt.date, dt.date], tid: str) -> TaskStatus:
    """A status whose actual dates fall outside `window` (a year-9999 resolution date, a clock
    set wrong) loses them, with a warning: the forecast then treats the task as planned."""
    lo, hi = window
    odd = [d for d in (st.actual_start, st.actual_finish) if d is not None and not lo <= d <= hi]
    if not odd:
        return st
    log.warning(
        "the Jira issue of task %s (%s) has an actual date %s outside %s..%s; ignored",
        tid,
        st.issue_key,
        odd[0].isoformat(),
        lo.isoformat(),
        hi.isoformat(),
    )
    return replace(st, actual_start=None, actual_finish=None)


def _task_of(issue: dict[str, Any], plan_id: str, by_key: dict[str, str]) -> str | None:
    # the property names the task even after a project move renamed the key
    prop = (issue.get("properties") or {}).get(PROPERTY)
    if isinstance(prop, dict) and prop.get("plan_id") == plan_id and prop.get("task_id"):
        return str(prop["task_id"])
    return by_key.get(str(issue.get("key")))
