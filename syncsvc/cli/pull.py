"""`syncsvc pull`: status back from Jira, the forecast and the critical-path slippage report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncsvc.cli.options import (
    AsOfOpt,
    FailOnSlipOpt,
    Format,
    FormatOpt,
    LogFormat,
    LogFormatOpt,
    OutputOpt,
    RemoteConfigOpt,
    SpecFileArg,
    VerboseOpt,
    run,
)

if TYPE_CHECKING:
    from syncsvc.jira.pull import PullResult
    from syncsvc.results import Result


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

    def body() -> Result[PullResult]:
        from syncsvc.api import pull
        from syncsvc.output import write_output
        from syncsvc.rendering.reports import status_json
        from syncsvc.rendering.status_md import render_status_md

        result = pull(spec, config=config, as_of=as_of)
        st, plan = result.report.status, result.plan
        names = {t.id: t.name for t in plan.tasks} if plan else {}
        write_output(status_json(st) if format is Format.json else render_status_md(st, names), output)
        return result

    run(body, verbose=verbose, log_format=log_format.value, fail_on_slip=fail_on_slip)
