"""The `syncsvc` command line: thin typer commands over the library (CONTRACT §3)."""

from __future__ import annotations

from collections.abc import Callable

import typer

from syncsvc.cli import options as clikit
from syncsvc.cli.diff import diff_command
from syncsvc.cli.export import export_command
from syncsvc.cli.options import (
    ChangeTypeOpt,
    ConfigOpt,
    CountryOpt,
    DescriptionOpt,
    FeatureOpt,
    Format,
    FormatOpt,
    HolidaysOpt,
    LogFormat,
    LogFormatOpt,
    OutputOpt,
    SpecArg,
    StartDateOpt,
    TeamOpt,
    TimelineOpt,
    ToleranceOpt,
    VerboseOpt,
    run,
)
from syncsvc.cli.publish import publish_command
from syncsvc.cli.push import push_command
from syncsvc.cli.serve import serve_command
from syncsvc.cli.state import state_app
from syncsvc.cli.track import baseline_command, pull_command, sync_command

__all__ = ["app", "clikit"]

app = typer.Typer(
    name="syncsvc",
    help="Turn a feature launch spec into a rollout plan, and keep it alive in Jira and Google Sheets.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from syncsvc import __version__

        typer.echo(f"syncsvc {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn a feature launch spec into a rollout plan, and keep it alive in Jira and Google
    Sheets."""


def _planning_command(part: str, doc: str) -> Callable[..., None]:
    def command(
        spec: SpecArg = None,
        format: FormatOpt = Format.md,
        output: OutputOpt = None,
        config: ConfigOpt = None,
        feature_name: FeatureOpt = None,
        description: DescriptionOpt = None,
        team_size: TeamOpt = None,
        timeline: TimelineOpt = None,
        risk_tolerance: ToleranceOpt = None,
        change_type: ChangeTypeOpt = None,
        start_date: StartDateOpt = None,
        holidays: HolidaysOpt = None,
        country: CountryOpt = None,
        verbose: VerboseOpt = False,
        log_format: LogFormatOpt = LogFormat.text,
    ) -> None:
        quick = {
            "feature_name": feature_name,
            "description": description,
            "team_size": team_size,
            "timeline": timeline,
            "risk_tolerance": risk_tolerance,
        }

        def body() -> None:
            import gc

            from syncsvc.output import write_output
            from syncsvc.plans import load_plan, render

            gc.disable()  # a plan makes many objects and few cycles: the collector costs ~30%
            try:
                # the Monte Carlo range is only shown by the whole plan (not the timeline's JSON)
                plan = load_plan(
                    spec,
                    config,
                    quick,
                    change_types=change_type,
                    with_confidence=part == "create-rollout-plan",
                    calendar={"start_date": start_date, "holidays": holidays, "country": country},
                )
                write_output(render(plan, part=part, format=format), output)
            finally:
                gc.enable()

        run(body, verbose=verbose, log_format=log_format.value)

    command.__doc__ = doc
    command.__name__ = part.replace("-", "_")
    return command


_EX = "examples/notifications-center.toml"
_PLANNING = {
    "assess-risks": f"""Risk matrix: likelihood x impact, one owner per risk, mitigations.

    Example: syncsvc assess-risks {_EX} --format json""",
    "map-stakeholders": f"""Stakeholders (first and second order), RACI, conflicts, communication plan.

    Example: syncsvc map-stakeholders {_EX}""",
    "generate-timeline": f"""Phases, tasks, dependencies, buffers and the critical path.

    Example: syncsvc generate-timeline {_EX} --format md -o timeline.md""",
    "build-rollback-plan": f"""Deployment type, triggers, decision maker, steps, 2am-test findings.

    Example: syncsvc build-rollback-plan {_EX}""",
    "create-rollout-plan": f"""The whole rollout plan as one document.

    Example: syncsvc create-rollout-plan {_EX} -o plan.md""",
}
for _name, _doc in _PLANNING.items():
    app.command(_name)(_planning_command(_name, _doc))
for _name, _command in (
    ("export", export_command),
    ("diff", diff_command),
    ("push", push_command),
    ("publish", publish_command),
    ("pull", pull_command),
    ("sync", sync_command),
    ("baseline", baseline_command),
    ("serve-mcp", serve_command),
):
    app.command(_name)(_command)
app.add_typer(state_app, name="state")
