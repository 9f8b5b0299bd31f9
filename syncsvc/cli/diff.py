"""`syncsvc diff`: what changed between two versions of a spec, and which parts to revisit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from syncsvc.cli.options import ConfigOpt, Format, LogFormat, LogFormatOpt, OutputOpt, VerboseOpt, run


def diff_command(
    old: Annotated[Path, typer.Argument(help="The older spec file (TOML).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The newer spec file (TOML).", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = (Format.md),
    output: OutputOpt = None,
    config: ConfigOpt = None,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """What changed between two versions of a spec (risks, tasks, dates, critical path,
    stakeholders) and which parts of the plan to revisit. Exits 0 whether or not they differ.

    Example: syncsvc diff plan-v1.toml examples/notifications-center.toml --format json
    """

    def body() -> None:
        import json

        from syncsvc.diff import diff_specs, render_diff_md
        from syncsvc.output import write_output

        d = diff_specs(old, new, config=config)
        text = (
            json.dumps(d.to_json(), indent=2, ensure_ascii=False)
            if format is Format.json
            else render_diff_md(d)
        )
        write_output(text, output)

    run(body, verbose=verbose, log_format=log_format.value)
