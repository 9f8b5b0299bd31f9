"""`syncsvc baseline`: record a new baseline of the plan on purpose (a scope change)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from syncsvc.cli.options import LogFormat, LogFormatOpt, RemoteConfigOpt, SpecFileArg, VerboseOpt, run

if TYPE_CHECKING:
    from syncsvc.api import Recorded
    from syncsvc.results import Result


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

    def body() -> Result[Recorded]:
        from syncsvc.api import record_baseline

        result = record_baseline(spec, config=config, note=note)
        rec = result.report
        plan = rec.plan
        typer.echo(
            f"{plan.plan_id}: baseline #{rec.baseline_id} recorded ({rec.earlier} earlier kept); finish "
            f"{plan.finish_date.isoformat()}, critical path " + " → ".join(plan.critical_path)
        )
        return result

    run(body, verbose=verbose, log_format=log_format.value)
