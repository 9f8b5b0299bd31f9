"""`sync` for cron: per spec pull, push, publish; one lock; a failing plan never stops the rest."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncsvc.config import Config
from syncsvc.errors import Interrupted, SyncsvcError
from syncsvc.lock import sync_lock
from syncsvc.logs import redact
from syncsvc.signals import checkpoint, deferred_signals
from syncsvc.state import State
from syncsvc.status import Status, TrackedStatus

log = logging.getLogger("syncsvc.sync")


@dataclass
class PlanRun:
    """What one plan's sync did."""

    spec: str
    plan_id: str = ""
    state: str | None = None  # on_track | at_risk | slipping, when a forecast was made
    slip_days: int | None = None
    steps: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)  # the slipping critical tasks, in order
    forecast_finish: dt.date | None = None
    error: str | None = None
    error_code: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class SyncReport:
    runs: list[PlanRun] = field(default_factory=list)

    @property
    def failed(self) -> list[PlanRun]:
        return [r for r in self.runs if not r.ok]

    @property
    def slipping(self) -> list[PlanRun]:
        return [r for r in self.runs if r.state == "slipping"]

    def exit_code(self, *, fail_on_slip: bool) -> int:
        """1 when a plan failed (it needs a person first), else 3 on slip with the flag, else 0."""
        if self.failed:
            return 1
        return 3 if fail_on_slip and self.slipping else 0


PlanLoader = Callable[[Path], Any]


def run_sync(
    specs: Sequence[Path],
    cfg: Config,
    *,
    as_of: dt.date,
    load: PlanLoader,
    dry_run: bool,
    now: Callable[[], dt.datetime] | None = None,
    jira_factory: Callable[..., Any] | None = None,
    sheets_factory: Callable[..., Any] | None = None,
) -> SyncReport:
    """Pull, then push, then publish each spec's plan under one lock; failures are isolated."""
    clock = now or (lambda: dt.datetime.now(dt.UTC))
    report = SyncReport()
    with (
        sync_lock(cfg.state_path()),
        State.open(cfg.state_path()) as state,
        deferred_signals() if not dry_run else contextlib.nullcontext(),
    ):
        for n, spec in enumerate(specs):
            checkpoint(functools.partial(_note, report.runs, specs[n:]))
            run = PlanRun(str(spec))
            report.runs.append(run)
            try:
                _sync_one(
                    spec,
                    cfg,
                    state,
                    run,
                    as_of=as_of,
                    load=load,
                    dry_run=dry_run,
                    clock=clock,
                    jira_factory=jira_factory,
                    sheets_factory=sheets_factory,
                )
            except Interrupted as e:  # stops every plan; the note names what is done and left
                raise Interrupted(
                    f"{_note(report.runs[:-1], specs[n + 1 :])}\n  {run.plan_id or spec}: {e.message}",
                    hint=e.hint,
                    exit_code=e.exit_code,
                ) from None
            except SyncsvcError as e:
                run.error, run.error_code = str(e), e.exit_code
                # the command prints the failure once (with its hint); the log keeps it for -v
                log.info(
                    "%s: %s",
                    run.plan_id or spec,
                    e.message,
                    extra={"plan_id": run.plan_id, "event": "failed"},
                )
            except Exception as e:  # a bug: reported for this plan; the other plans still sync
                run.error, run.error_code = _bug_text(e), 1
                log.error(
                    "%s: unexpected error (a bug in syncsvc)",
                    run.plan_id or spec,
                    exc_info=True,
                    extra={"plan_id": run.plan_id, "event": "bug"},
                )
    return report


def _sync_one(
    spec: Path,
    cfg: Config,
    state: Any,
    run: PlanRun,
    *,
    as_of: dt.date,
    load: PlanLoader,
    dry_run: bool,
    clock: Callable[[], dt.datetime],
    jira_factory: Callable[..., Any] | None,
    sheets_factory: Callable[..., Any] | None,
) -> None:
    from syncsvc.jira.pull import pull_status
    from syncsvc.jira.push import push_plan

    plan, assignees, project = load(spec)
    run.plan_id = plan.plan_id
    jcfg = cfg.require_jira("sync")
    adapter = None
    prefetched = None
    pulled_status: Status | None = None
    if jira_factory is None:
        from syncsvc.jira.adapter import connect

        jira_factory = connect

    def pull(for_push: bool) -> Any:
        nonlocal adapter, pulled_status
        if adapter is None:
            jcfg.token()
            adapter = jira_factory(jcfg)
        pulled = pull_status(plan, cfg, as_of=as_of, state=state, adapter=adapter, for_push=for_push)
        pulled_status = pulled.status
        run.state, run.slip_days = pulled.status.state, pulled.status.slip_days
        run.forecast_finish = pulled.status.forecast_finish
        late = {t.id for t in pulled.status.tasks if t.slip_days > 0}
        run.chain = [t for t in pulled.status.critical_path if t in late]
        run.steps.append(
            f"pulled: {pulled.status.state}, slip {pulled.status.slip_days:+d} "
            f"working days, forecast finish {pulled.status.forecast_finish}"
        )
        return pulled.prefetched

    if state.latest_baseline(plan.plan_id) is not None:
        prefetched = pull(for_push=True)
    pushed = push_plan(
        plan,
        cfg,
        dry_run=dry_run,
        assignees=assignees,
        project=project,
        client_factory=jira_factory,
        adapter=adapter,
        prefetched=prefetched,
        locked=True,
    )
    run.steps.append(
        f"would push: {'; '.join(pushed.changes) or 'nothing'}" if dry_run else f"pushed: {pushed.summary()}"
    )
    prefetched = None  # the issues read for the push: freed before the Sheets read (memory)
    pushed.raise_for_status()
    if (
        pulled_status is None
        and not dry_run
        and not pushed.baseline_recorded
        and state.latest_baseline(plan.plan_id) is not None
    ):
        pull(for_push=False)  # a lost state: the push rebuilt the baselines from the epic
    # the one status of this run: the forecast, the trend (one point per status date: a rerun
    # after an interruption replaces that day's point) and the keys of the issues this run's
    # push just created (the pull ran before them), so the Timeline shows every key at once
    status = TrackedStatus.of(
        pulled_status,
        history=state.snapshots(plan.plan_id, last=9) if pulled_status is not None else (),
        issue_keys={tid: r.issue_key for tid, r in state.issues(plan.plan_id).items() if not r.removed},
    )
    if pulled_status is not None and not dry_run:
        # a dry run shows the dashboard a real run would, and stores nothing
        state.add_snapshot(plan.plan_id, status.snapshot_json(), run_at=clock().isoformat(timespec="seconds"))
    if cfg.sheets is not None:
        from syncsvc.sheets.publish import publish_plan  # the Sheets remote, opened when configured

        published = publish_plan(
            plan,
            cfg,
            dry_run=dry_run,
            status=status if pulled_status is not None or status.issue_keys else None,
            client_factory=sheets_factory,
        )
        run.steps.append(f"published: {_publish_summary(published)}")
    log.info("%s: %s", plan.plan_id, "; ".join(run.steps), extra={"plan_id": plan.plan_id, "event": "synced"})


def _bug_text(e: Exception) -> str:
    """One plan's unexpected error, for the cron output (the traceback is in the log)."""
    detail = redact(" ".join(str(e).split()))[:300]
    return (
        f"unexpected error {type(e).__name__}{': ' + detail if detail else ''} (a bug in "
        "syncsvc: the traceback is in the log above; please report it with that log)"
    )


def _note(finished: Sequence[PlanRun], todo: Sequence[Path]) -> str:
    """What an interrupted sync did: the plans finished (or failed) and those not started."""
    ok = [r.plan_id or r.spec for r in finished if r.ok]
    bad = [r.plan_id or r.spec for r in finished if not r.ok]
    return (
        f"sync stopped. Plans synced: {', '.join(ok) or 'none'}"
        + (f"; failed: {', '.join(bad)}" if bad else "")
        + f"; not started: {', '.join(map(str, todo)) or 'none'}."
    )


def _publish_summary(report: Any) -> str:
    summary = getattr(report, "summary", None)
    if callable(summary):
        return str(summary())
    written = len(report.created) + len(report.changed)
    return (
        f"{'would write' if report.dry_run else 'wrote'} {written} worksheet(s), "
        f"{len(report.unchanged)} unchanged, {report.calls} Sheets call(s)"
    )
