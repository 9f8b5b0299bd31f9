"""`pull`, `sync` and `baseline`: the commands that keep a pushed plan tracked against Jira."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from syncsvc.cli.options import (
    AsOfOpt,
    DryRunOpt,
    FailOnSlipOpt,
    Format,
    FormatOpt,
    LogFormat,
    LogFormatOpt,
    OutputOpt,
    RemoteConfigOpt,
    SpecFileArg,
    SpecFilesArg,
    VerboseOpt,
    run,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from syncsvc.config import Config
    from syncsvc.model import Plan
    from syncsvc.sync import PlanRun


def pull_command(
    spec: SpecFileArg,
    config: RemoteConfigOpt,
    as_of: AsOfOpt = None,
    format: FormatOpt = Format.md,
    output: OutputOpt = None,
    fail_on_slip: FailOnSlipOpt = False,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """Read status back from Jira, forecast the schedule and report critical-path slippage.

    Example: syncsvc pull examples/notifications-center.toml --config syncsvc.toml --fail-on-slip
    """

    def body() -> int:
        from syncsvc.jira.pull import pull_status
        from syncsvc.output import write_output
        from syncsvc.plans import parse_as_of
        from syncsvc.render.status_md import render_status_md
        from syncsvc.state import State

        date = parse_as_of(as_of)
        cfg, plan, _, _ = _load(spec, config)
        date = _team_today(cfg) if as_of is None else date
        _require_state(cfg)
        with State.open(cfg.state_path()) as state:
            result = pull_status(plan, cfg, as_of=date, state=state)
        st = result.status
        if format is Format.json:
            import pydantic_core

            text = pydantic_core.to_json(st.model_dump(mode="json", by_alias=True), indent=2).decode()
        else:
            text = render_status_md(st, {t.id: t.name for t in plan.tasks})
        write_output(text, output)
        return 3 if fail_on_slip and st.state == "slipping" else 0

    run(body, verbose=verbose, log_format=log_format.value)


def sync_command(
    specs: SpecFilesArg,
    config: RemoteConfigOpt,
    as_of: AsOfOpt = None,
    dry_run: DryRunOpt = False,
    fail_on_slip: FailOnSlipOpt = False,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """For cron: pull, then push, then publish each spec's plan. Quiet on success unless -v.

    One lock per state file: exit 75 at once when another sync holds it. A failing plan does
    not stop the others; each failure is named and the run exits 1 (2 for a bad spec).

    Example: syncsvc sync specs/*.toml --config syncsvc.toml --fail-on-slip --log-format json
    """

    def body() -> int:
        import logging

        from syncsvc.config import load_config
        from syncsvc.errors import InputError
        from syncsvc.logs import error_lines
        from syncsvc.plans import parse_as_of
        from syncsvc.sync import run_sync

        date = parse_as_of(as_of)
        cfg = load_config(config)
        cfg.require_jira(config.name)
        date = _team_today(cfg) if as_of is None else date
        report = run_sync(specs, cfg, as_of=date, dry_run=dry_run, load=lambda p: _load(p, config, cfg)[1:])
        for r in report.runs:
            if r.ok and (verbose or dry_run):
                typer.echo(f"{r.plan_id}: " + "; ".join(r.steps))
        for line in sync_outcome_lines(report.runs):  # cron's log says why it exits 1 or 3
            for out in error_lines(
                line,
                None,
                log_format=log_format.value,
                exit_code=3 if fail_on_slip else 0,
                prefix="Slipping",
                level="warning",
            ):
                typer.echo(out, err=True)
        for r in report.failed:
            message, _, hint = (r.error or "").partition("\n  hint: ")
            for out in error_lines(
                f"{r.plan_id or r.spec}: {message}",
                hint or None,
                log_format=log_format.value,
                exit_code=r.error_code,
            ):
                typer.echo(out, err=True)
        if report.failed:
            logging.getLogger("syncsvc.sync").info(
                "%d of %d plans failed", len(report.failed), len(report.runs)
            )
            bad_input = any(r.error_code == InputError.exit_code for r in report.failed)
            return 2 if bad_input else 1
        return report.exit_code(fail_on_slip=fail_on_slip)

    run(body, verbose=verbose, log_format=log_format.value)


def sync_outcome_lines(runs: Sequence[PlanRun]) -> list[str]:
    """One line per slipping plan: what, by how much, and the chain of late critical tasks."""
    out = []
    for r in runs:
        if r.ok and r.state == "slipping":
            chain = " → ".join(r.chain) or "(no single task late)"
            out.append(
                f"{r.plan_id}: {r.slip_days:+d} working day(s), forecast finish "
                f"{r.forecast_finish}; late critical chain: {chain}"
            )
    return out


def baseline_command(
    spec: SpecFileArg,
    config: RemoteConfigOpt,
    note: str = typer.Option(..., "--note", help="Why a new baseline (e.g. the scope change)."),
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """Record a new baseline of the plan on purpose (a scope change); older ones are kept.

    Example: syncsvc baseline examples/notifications-center.toml -c syncsvc.toml --note "v2 scope"
    """

    def body() -> None:
        from syncsvc.model import to_json
        from syncsvc.state import State

        cfg, plan, _, _ = _load(spec, config)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with State.open(cfg.state_path()) as state:
            n = len(state.baselines(plan.plan_id))
            bid = state.add_baseline(plan.plan_id, to_json(plan), recorded_at=now, note=note)
        typer.echo(
            f"{plan.plan_id}: baseline #{bid} recorded ({n} earlier kept); finish "
            f"{plan.finish_date.isoformat()}, critical path " + " → ".join(plan.critical_path)
        )

    run(body, verbose=verbose, log_format=log_format.value)


def _load(
    spec: Path, config: Path, cfg: Config | None = None
) -> tuple[Config, Plan, dict[str, str], str | None]:
    """Config, plan, Jira assignees by member name, and the spec's Jira project override."""
    from syncsvc.config import load_config
    from syncsvc.plans import spec_and_plan

    cfg = cfg or load_config(config)
    parsed, plan = spec_and_plan(spec, cfg)
    return cfg, plan, {m.name: m.jira for m in parsed.team if m.jira}, parsed.jira_project


def _team_today(cfg: Config) -> dt.date:
    """Today in the team's time zone ([jira] timezone), the default status date: a cron run at
    01:00 UTC is still yesterday in San Francisco."""
    zone = cfg.jira.zone() if cfg.jira is not None else None
    return dt.datetime.now(zone).date() if zone is not None else dt.date.today()


def _require_state(cfg: Config) -> None:
    from syncsvc.errors import ConfigError

    if not cfg.state_path().exists():
        raise ConfigError(
            f"no state file at {cfg.state_path()}: nothing was pushed yet",
            hint="run `syncsvc push` first (it records the baseline)",
        )
