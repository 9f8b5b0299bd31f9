"""The library face: what `import syncsvc` offers (see `syncsvc/__init__.py`).

Each function is what one command does, without the command line: `load_spec`, `build_plan`
and `render` plan offline; `push`, `publish`, `pull`, `sync`, `check_state` and
`record_baseline` talk to Jira and Sheets and return a `Result` (see `syncsvc.results`), whose
`exit_code` is the command's. Options are keyword-only. Errors a user can fix raise a
`SyncsvcError` subclass (`InputError` for bad input: exit 2).

The engines (push, pull, publish, sync, state check, export: and the `jira`, `gspread`,
`xlsxwriter` libraries behind them) are imported inside the functions that use them: planning
offline never loads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncsvc import specload
from syncsvc.catalog import Catalog, load_catalog
from syncsvc.config import Config, load_config
from syncsvc.errors import ConfigError, InputError, RemoteError
from syncsvc.inputs import spec_of_inputs
from syncsvc.model import Plan, to_json
from syncsvc.plans import load_plan, parse_as_of, plan_of, render, spec_and_plan
from syncsvc.results import Result, Status
from syncsvc.spec import Spec
from syncsvc.state import State
from syncsvc.status import TrackedStatus

if TYPE_CHECKING:  # the engines load inside the functions that use them (jira, gspread)
    from syncsvc.jira.pull import PullResult
    from syncsvc.jira.report import PushReport
    from syncsvc.sheets.publish import PublishReport
    from syncsvc.statecheck import CheckResult
    from syncsvc.tracking import SyncReport

__all__ = [
    "Recorded",
    "build_plan",
    "check_state",
    "export",
    "load_spec",
    "publish",
    "pull",
    "push",
    "record_baseline",
    "render",
    "sync",
]

Progress = Callable[[str, int, int], None]


def load_spec(source: str | Path | Mapping[str, Any], *, today: dt.date | None = None) -> Spec:
    """A checked spec: from a spec file (TOML) when `source` is a path, or from the five quick
    inputs when it is a mapping (`feature_name`, `description`, `team_size`, `timeline`,
    `risk_tolerance`). `today` (default: today) fills the defaults that need a date."""

    today = today or dt.date.today()
    if isinstance(source, Mapping):
        return spec_of_inputs(source, today=today)
    return specload.load_spec(source, today=today)


def build_plan(
    spec: Spec | str | Path,
    *,
    catalog: Catalog | str | Path | None = None,
    with_confidence: bool = True,
) -> Plan:
    """The rollout plan of a spec (a `Spec`, or the path of a spec file): risks, stakeholders
    and RACI, timeline and critical path, rollout phases, rollback. `catalog` is a loaded
    `Catalog` or a catalog folder of your own (default: the bundled catalogs);
    `with_confidence=False` skips the Monte Carlo finish range (faster)."""

    parsed = spec if not isinstance(spec, str | Path) else load_spec(spec)
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    return plan_of(parsed, cat, with_confidence=with_confidence)


def export(spec: str | Path, *, out: str | Path, config: str | Path | None = None) -> list[Path]:
    """Write the offline bundle of the spec's plan into the folder `out` (created if missing):
    plan.md, plan.json, risks.csv, raci.csv, timeline.csv, dashboard.xlsx; all or nothing.
    Returns the files written."""
    from syncsvc.collector import collector_paused
    from syncsvc.exporting import check_out_dir, export_bundle

    check_out_dir(Path(out))  # a bad folder fails before the plan is built
    cfg_path = Path(config) if config is not None else None
    with collector_paused():
        plan = load_plan(Path(spec), cfg_path, {})
        catalog_dir = load_config(cfg_path).catalog_dir() if cfg_path is not None else None
        return export_bundle(plan, Path(out), catalog_dir=catalog_dir)


def push(
    spec: str | Path,
    *,
    config: str | Path,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Result[PushReport]:
    """Create and update one Jira issue per timeline task, with Blocks links (CONTRACT §5).
    `progress(stage, done, total)` is called as the work goes. A push that stops part-way
    returns status "partial" (or "error" when nothing was done) and the error saying what is
    left; running it again finishes the job without duplicates."""
    from syncsvc.jira.push import push_plan

    config = Path(config)
    cfg = load_config(config)
    jcfg = cfg.require_jira(config.name)
    jcfg.token()  # exit 2 before any call when the variable is not set
    parsed, plan = spec_and_plan(Path(spec), cfg)
    report = push_plan(
        plan,
        cfg,
        dry_run=dry_run,
        progress=progress,
        assignees=_assignees(parsed),
        project=parsed.jira_project,
    )
    error = None
    try:
        report.raise_for_status()
    except RemoteError as e:  # it names what was done and what was not
        error = e
    return Result(report.status, report, plan, error)


def publish(spec: str | Path, *, config: str | Path, dry_run: bool = False) -> Result[PublishReport]:
    """Write the plan's worksheets (risk matrix, RACI, timeline, dashboard) to the config's
    spreadsheet; with `dry_run`, say what would change and write nothing. The Timeline shows
    the Jira keys of tasks already pushed (read from the state file, never created here)."""
    from syncsvc.sheets.publish import publish_plan

    config = Path(config)
    cfg = load_config(config)
    cfg.require_sheets(config.name)
    _, plan = spec_and_plan(Path(spec), cfg)
    report = publish_plan(plan, cfg, dry_run=dry_run, status=pushed_issues(cfg, plan.plan_id))
    return Result("success", report, plan)


def pull(spec: str | Path, *, config: str | Path, as_of: dt.date | str | None = None) -> Result[PullResult]:
    """Read the plan's status back from Jira and forecast from `as_of` (default: today in the
    team's time zone). Status "slipping" when the critical path slips (`exit_code` makes it 3
    with `fail_on_slip`)."""
    from syncsvc.jira.pull import pull_status

    date = as_of if isinstance(as_of, dt.date) else parse_as_of(as_of)
    cfg, plan, _, _ = _load(Path(spec), Path(config))
    date = team_today(cfg) if as_of is None else date
    _require_state(cfg)
    with State.open(cfg.state_path()) as state:
        result = pull_status(plan, cfg, as_of=date, state=state)
    status: Status = "slipping" if result.status.state == "slipping" else "success"
    return Result(status, result, plan)


def sync(
    specs: Sequence[str | Path],
    *,
    config: str | Path,
    as_of: dt.date | str | None = None,
    dry_run: bool = False,
) -> Result[SyncReport]:
    """For cron: pull, then push, then publish each spec's plan, under one lock per state file
    (`LockHeldError`, exit 75, at once when another sync holds it). A failing plan does not stop
    the others: status "invalid" when one failed on bad input, "error" when one failed
    otherwise, "slipping" when one slips, else "success"; the report has each plan's run."""
    from syncsvc.tracking import run_sync

    date = as_of if isinstance(as_of, dt.date) else parse_as_of(as_of)
    config = Path(config)
    cfg = load_config(config)
    cfg.require_jira(config.name)
    date = team_today(cfg) if as_of is None else date
    report = run_sync(
        [Path(s) for s in specs],
        cfg,
        as_of=date,
        dry_run=dry_run,
        load=lambda p: _load(p, config, cfg)[1:],
    )
    status: Status = (
        "invalid"
        if any(r.error_code == InputError.exit_code for r in report.failed)
        else "error"
        if report.failed
        else "slipping"
        if report.slipping
        else "success"
    )
    return Result(status, report)


def check_state(spec: str | Path, *, config: str | Path) -> Result[CheckResult]:
    """Verify the state file against Jira (read only): every recorded issue exists with its
    syncsvc property and labels, and every link syncsvc made is there. Status "error" when
    Jira disagrees (each problem is in the report)."""
    from syncsvc.statecheck import check_state as check

    res = check(Path(spec), config=Path(config))
    return Result("success" if res.ok else "error", res)


@dataclass(frozen=True)
class Recorded:
    """A baseline recorded on purpose: the plan, its id and how many earlier ones are kept."""

    plan: Plan
    baseline_id: int
    earlier: int


def record_baseline(
    spec: str | Path, *, config: str | Path, note: str, now: dt.datetime | None = None
) -> Result[Recorded]:
    """Record a new baseline of the plan on purpose (a scope change); older ones are kept."""

    cfg, plan, _, _ = _load(Path(spec), Path(config))
    when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    with State.open(cfg.state_path()) as state:
        n = len(state.baselines(plan.plan_id))
        bid = state.add_baseline(plan.plan_id, to_json(plan), recorded_at=when, note=note)
    return Result("success", Recorded(plan, bid, n), plan)


def pushed_issues(cfg: Config, plan_id: str) -> TrackedStatus | None:
    """The Jira keys of the plan's pushed tasks, from the state file when there is one (never
    created here), as a status without a forecast: the Timeline shows the keys once pushed."""
    path = cfg.state_path()
    if not path.is_file():
        return None

    with State.open(path) as state:
        issues = state.issues(plan_id)

    keys = {r.task_id: r.issue_key for r in issues.values() if not r.removed}
    return TrackedStatus(issue_keys=keys) if keys else None


def team_today(cfg: Config) -> dt.date:
    """Today in the team's time zone ([jira] timezone), the default status date: a cron run at
    01:00 UTC is still yesterday in San Francisco."""
    zone = cfg.jira.zone() if cfg.jira is not None else None
    return dt.datetime.now(zone).date() if zone is not None else dt.date.today()


def _load(
    spec: Path, config: Path, cfg: Config | None = None
) -> tuple[Config, Plan, dict[str, str], str | None]:
    """Config, plan, Jira assignees by member name, and the spec's Jira project override."""

    cfg = cfg or load_config(config)
    parsed, plan = spec_and_plan(spec, cfg)
    return cfg, plan, _assignees(parsed), parsed.jira_project


def _assignees(parsed: Spec) -> dict[str, str]:
    return {m.name: m.jira for m in parsed.team if m.jira}


def _require_state(cfg: Config) -> None:
    if not cfg.state_path().exists():
        raise ConfigError(
            f"no state file at {cfg.state_path()}: nothing was pushed yet",
            hint="run `syncsvc push` first (it records the baseline)",
        )
