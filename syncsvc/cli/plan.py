"""The five planning commands (assess-risks ... create-rollout-plan): a spec, or the quick
inputs, to one part of the plan as Markdown or JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

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
    may_skip_teardown,
    run,
)

if TYPE_CHECKING:
    from syncsvc.model import Plan


def _settle_the_kind(plan: Plan, plan_with: Callable[[list[str] | None], Plan]) -> Plan:
    """At a person's terminal, when the kind of change was read narrowly, ask which kind it is
    and plan with the answer; print the spec line that keeps the choice (stderr)."""
    from syncsvc.cli.readings import candidates, choose, chosen_kinds, interactive, spec_line

    kinds = candidates(plan) if interactive() else []
    if not kinds:
        return plan
    titles = {p.id: p.title for p in plan.change_profiles}
    kind = choose(kinds, titles)
    ordered = chosen_kinds(plan, kind)
    typer.echo(f"To keep this choice, put this line in the spec: {spec_line(ordered)}", err=True)
    return plan if kind == kinds[0] else plan_with(ordered)


def planning_command(part: str, doc: str) -> Callable[..., None]:
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
            from syncsvc.collector import collector_paused

            # a plan makes many objects and few cycles: the collector cost ~30% of the command
            with collector_paused():
                from syncsvc.model import shows_raci
                from syncsvc.output import write_output
                from syncsvc.plans import load_plan, render_pieces

                # the Monte Carlo range is only shown by the whole plan (not the timeline's JSON)
                def plan_with(kinds: list[str] | None) -> Plan:
                    return load_plan(
                        spec,
                        config,
                        quick,
                        change_types=kinds,
                        with_confidence=part == "create-rollout-plan",
                        with_raci=shows_raci(part),
                        calendar={"start_date": start_date, "holidays": holidays, "country": country},
                    )

                plan = plan_with(change_type)
                if change_type is None and format is Format.md:
                    plan = _settle_the_kind(plan, plan_with)
                write_output(render_pieces(plan, part=part, format=format), output)
            may_skip_teardown()  # written; no thread or atexit handler of the plan's

        run(body, verbose=verbose, log_format=log_format.value)

    command.__doc__ = doc
    command.__name__ = part.replace("-", "_")
    return command


EXAMPLE = "examples/notifications-center.toml"
PLANNING = {
    "assess-risks": f"""Risk matrix: likelihood x impact, one owner per risk, mitigations.

    Example: syncsvc assess-risks {EXAMPLE} --format json""",
    "map-stakeholders": f"""Stakeholders (first and second order), RACI, conflicts, communication plan.

    Example: syncsvc map-stakeholders {EXAMPLE}""",
    "generate-timeline": f"""Phases, tasks, dependencies, buffers and the critical path.

    Example: syncsvc generate-timeline {EXAMPLE} --format md -o timeline.md""",
    "build-rollback-plan": f"""Deployment type, triggers, decision maker, steps, 2am-test findings.

    Example: syncsvc build-rollback-plan {EXAMPLE}""",
    "create-rollout-plan": f"""The whole rollout plan as one document.

    Example: syncsvc create-rollout-plan {EXAMPLE} -o plan.md""",
}
