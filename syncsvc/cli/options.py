"""Shared pieces of the typer commands: option types, error handling, output, plan loading.

Command modules import this, never `syncsvc.cli`, so `cli.py` can import every command module
at start-up without an import cycle. Only typer and the standard library load here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # the heavy imports wait for the command that needs them (cold start)
    pass


class Format(StrEnum):
    md = "md"
    json = "json"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


SpecArg = Annotated[
    Path | None,
    typer.Argument(
        help="The spec file (TOML). Leave out to plan from the five quick inputs instead.", show_default=False
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="Config file (for a catalog folder of your own).", show_default=False
    ),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log more (to stderr).")]
LogFormatOpt = Annotated[LogFormat, typer.Option("--log-format", help="Log line format.")]
FeatureOpt = Annotated[
    str | None,
    typer.Option("--feature-name", help="Quick input: what you are launching.", show_default=False),
]
DescriptionOpt = Annotated[
    str | None,
    typer.Option("--description", help="Quick input: the feature in a sentence.", show_default=False),
]
TeamOpt = Annotated[
    int | None, typer.Option("--team-size", help="Quick input: people available (>= 1).", show_default=False)
]
TimelineOpt = Annotated[
    str | None,
    typer.Option(
        "--timeline", help='Quick input: "6 weeks", "30 days" or a number of weeks.', show_default=False
    ),
]
ToleranceOpt = Annotated[
    str | None, typer.Option("--risk-tolerance", help="Quick input: low, medium or high.", show_default=False)
]
ChangeTypeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--change-type",
        help="The kind of change (a change-profile id such as infra-cutover or "
        "payments-billing; repeat for several, primary first). Default: detected from the name and "
        "description.",
        show_default=False,
    ),
]
StartDateOpt = Annotated[
    str | None,
    typer.Option(
        "--start-date",
        help="First working day of the plan, YYYY-MM-DD (default: the spec's, else next Monday).",
        show_default=False,
    ),
]
HolidaysOpt = Annotated[
    str | None,
    typer.Option(
        "--holidays",
        help="Non-working days: a file of YYYY-MM-DD dates, or a comma-separated "
        "list of them (added to the spec's).",
        show_default=False,
    ),
]
CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        help="Skip this country's public holidays too (ISO code like US, GB, DE-BY).",
        show_default=False,
    ),
]
SpecFileArg = Annotated[Path, typer.Argument(help="The spec file (TOML).", show_default=False)]
SpecFilesArg = Annotated[
    list[Path], typer.Argument(help="One or more spec files (TOML).", show_default=False)
]
RemoteConfigOpt = Annotated[
    Path,
    typer.Option(
        "--config", "-c", help="Config file with [jira] / [sheets] and [state].", show_default=False
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Print what would change; call no write endpoint.")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Status date YYYY-MM-DD, read as the start of that day (default: today).",
        show_default=False,
    ),
]
FailOnSlipOpt = Annotated[
    bool, typer.Option("--fail-on-slip", help="Exit 3 when the critical path is slipping.")
]


def run(fn: Callable[[], int | None], *, verbose: bool = False, log_format: str = "text") -> None:
    """Run a command body: user errors become `Error: …` on stderr and the CONTRACT exit code."""
    from syncsvc.errors import Interrupted, SyncsvcError
    from syncsvc.logs import error_lines, setup_logging

    setup_logging(verbose=verbose, log_format=log_format)

    def say(message: str, hint: str | None, code: int, prefix: str = "Error") -> typer.Exit:
        for line in error_lines(message, hint, log_format=log_format, exit_code=code, prefix=prefix):
            typer.echo(line, err=True)
        return typer.Exit(code)

    try:
        code = fn()
    except Interrupted as e:  # SIGINT/SIGTERM between batches: state committed, say what is left
        raise say(e.message, e.hint, e.exit_code, "Interrupted") from None
    except SyncsvcError as e:
        raise say(e.message, e.hint, e.exit_code) from None
    except KeyboardInterrupt:
        raise say("stopped by Ctrl-C", None, 130, "Interrupted") from None
    if code:
        raise typer.Exit(code)
