"""Shared pieces of the typer commands: the option types, and `run` (errors and exit codes).

Command modules import this, never `syncsvc.cli`, so `cli/__init__.py` can import every command
module at start-up without an import cycle. Only typer, the standard library and the plain
quick-input table (`syncsvc.inputs`) load here: the library loads inside each command's body.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from syncsvc.inputs import cli_help, flag

if TYPE_CHECKING:  # the library loads inside the commands' bodies (cold start)
    from syncsvc.results import Result


class _Teardown:
    """Whether the running command said it may end without the interpreter's teardown."""

    skippable = False


def may_skip_teardown() -> None:
    """Say that the command has finished and holds nothing the interpreter's orderly shutdown
    is needed for (no thread, no atexit handler of its own, its files written and closed):
    `syncsvc.cli.main` may then end the process at once after a successful run. (At shutdown
    the interpreter frees every object one by one: ~85 ms of a 20,000-task timeline's 1.0 s.)"""
    _Teardown.skippable = True


def teardown_skippable() -> bool:
    return _Teardown.skippable


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


def _quick(name: str, kind: type) -> Any:
    """The option of a quick input: flag and help from `syncsvc.inputs` (declared once there)."""
    return Annotated[kind | None, typer.Option(flag(name), help=cli_help(name), show_default=False)]


FeatureOpt = _quick("feature_name", str)
DescriptionOpt = _quick("description", str)
TeamOpt = _quick("team_size", int)
TimelineOpt = _quick("timeline", str)
ToleranceOpt = _quick("risk_tolerance", str)
ChangeTypeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--change-type",
        help=cli_help("change_types") + " Repeat --change-type for several, primary first.",
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
JiraConfigOpt = Annotated[
    Path, typer.Option("--config", "-c", help="Config file with [jira].", show_default=False)
]
SheetsConfigOpt = Annotated[
    Path, typer.Option("--config", "-c", help="Config file with [sheets].", show_default=False)
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


def run(
    fn: Callable[[], Result[Any] | int | None],
    *,
    verbose: bool = False,
    log_format: str = "text",
    fail_on_slip: bool = False,
) -> None:
    """Run a command body: user errors become `Error: …` on stderr and the CONTRACT exit code.

    The body returns a `Result` (its exit code is `syncsvc.results.exit_code`'s; the error of a
    run that stopped part-way is printed like any other), an exit code, or None (0)."""
    from syncsvc.errors import Interrupted, SyncsvcError
    from syncsvc.logs import error_lines, setup_logging
    from syncsvc.results import Result, exit_code

    setup_logging(verbose=verbose, log_format=log_format)

    def say(message: str, hint: str | None, code: int, prefix: str = "Error") -> typer.Exit:
        for line in error_lines(message, hint, log_format=log_format, exit_code=code, prefix=prefix):
            typer.echo(line, err=True)
        return typer.Exit(code)

    try:
        out = fn()
    except Interrupted as e:  # SIGINT/SIGTERM between batches: state committed, say what is left
        raise say(e.message, e.hint, e.exit_code, "Interrupted") from None
    except SyncsvcError as e:
        raise say(e.message, e.hint, e.exit_code) from None
    except KeyboardInterrupt:
        raise say("stopped by Ctrl-C", None, 130, "Interrupted") from None
    code = exit_code(out, fail_on_slip=fail_on_slip) if isinstance(out, Result) else out
    if isinstance(out, Result) and out.error is not None:
        raise say(out.error.message, out.error.hint, code or out.error.exit_code)
    if code:
        raise typer.Exit(code)
