"""Shared pieces of the typer commands: option types, error handling, output, plan loading.

Command modules import this, never `syncsvc.cli`, so `cli.py` can import every command module
at start-up without an import cycle. Only typer and the standard library load here.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:  # the heavy imports wait for the command that needs them (cold start)
    from syncsvc.catalog import Catalog
    from syncsvc.config import Config
    from syncsvc.model import Plan
    from syncsvc.spec import Spec


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


def write_output(text: str, output: Path | None) -> None:
    """Print to stdout, or write the file whole (temp file + rename: never half-written).

    Only a regular file is written: a device, a FIFO or a symbolic link at `output` is refused
    (replacing `/dev/null` or a link with a plain file would break what was there). An existing
    file keeps its permissions. A full disk or a closed stdout is an error, not a traceback.
    """
    from syncsvc.errors import InputError

    text = strip_controls(text if text.endswith("\n") else text + "\n")
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as e:
            raise InputError(f"cannot write to stdout ({e.strerror or e})") from None
        return
    target = output.expanduser()
    mode = _existing_mode(target, output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--output: the folder {str(folder)!r} does not exist")
    import tempfile  # not at the top: it costs --help a few hundredths of a second

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(
            f"--output: cannot write {str(output)!r} ({e.strerror or e})",
            hint="free some space" if e.errno == 28 else None,
        ) from None


def _existing_mode(target: Path, output: Path) -> int | None:
    """The permission bits of the regular file at `target`, None when there is none; anything
    else there (a folder, a device, a FIFO, a link) is refused."""
    import stat

    from syncsvc.errors import InputError

    try:
        st = target.lstat()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise InputError(f"--output: cannot use {str(output)!r} ({e.strerror})") from None
    if stat.S_ISREG(st.st_mode):
        return stat.S_IMODE(st.st_mode)
    what = (
        "a folder; give a file name"
        if stat.S_ISDIR(st.st_mode)
        else "a symbolic link; give the file it points to"
        if stat.S_ISLNK(st.st_mode)
        else "not a regular file (a device, FIFO or socket); syncsvc writes only files"
    )
    raise InputError(f"--output {str(output)!r} is {what}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def strip_controls(text: str) -> str:
    """`text` with terminal control characters (C0 and C1 but tab and newline) replaced by
    U+FFFD: text from Jira or a catalog shown on a terminal must not drive it (the spec loader
    refuses them in spec text; this covers every other source)."""
    from syncsvc.logs import CONTROL_CHARS

    return CONTROL_CHARS.sub("\ufffd", text)


def load_plan(
    spec: Path | None,
    config: Path | None,
    quick: dict[str, Any],
    *,
    calendar: dict[str, Any] | None = None,
    with_confidence: bool = True,
    change_types: list[str] | None = None,
) -> Plan:
    """The plan for a spec file, or for the five quick inputs when no file is given.

    `calendar` holds `--start-date`, `--holidays` and `--country` (None when not given): they
    set (or, for holidays, add to) the spec's `start_date`, `holidays` and `holidays_country`;
    `change_types` (from --change-type) replaces the spec's."""
    from syncsvc.catalog import load_catalog
    from syncsvc.errors import InputError
    from syncsvc.specload import load_spec, spec_from_inputs

    today = dt.date.today()
    given = {k: v for k, v in quick.items() if v is not None}
    if spec is not None:
        if given:
            raise InputError(
                f"give either a spec file or the quick inputs, not both "
                f"(got {spec} and --{next(iter(given)).replace('_', '-')})"
            )
        parsed = load_spec(spec, today=today)
    else:
        missing = [k for k, v in quick.items() if v is None]
        if missing:
            raise InputError(
                "no spec file given, and the quick inputs are incomplete: missing "
                + ", ".join("--" + k.replace("_", "-") for k in missing),
                hint="pass a spec file (syncsvc create-rollout-plan examples/"
                "notifications-center.toml) or all five quick inputs",
            )
        parsed = spec_from_inputs(today=today, **quick)
    if calendar and any(v is not None for v in calendar.values()):
        from syncsvc.specload import with_calendar

        parsed = with_calendar(parsed, **calendar)
    if change_types:
        parsed = parsed.model_copy(update={"change_types": list(dict.fromkeys(change_types))})
    catalog_dir = None
    if config is not None:  # the config (and its models) only when one is given
        from syncsvc.config import load_config

        catalog_dir = load_config(config).catalog_dir()
    return plan_of(parsed, load_catalog(catalog_dir), with_confidence=with_confidence)


def plan_of(spec: Spec, catalog: Catalog, *, with_confidence: bool = True) -> Plan:
    """`build_plan`, with a schedule that runs off the calendar (past 9999-12-31, through a wall
    of holidays) as a spec error naming the keys, not a traceback."""
    from syncsvc.errors import SpecError
    from syncsvc.planning.build import build_plan

    try:
        return build_plan(spec, catalog, with_confidence=with_confidence)
    except OverflowError:
        raise SpecError(
            f"{spec.label}: start_date, holidays, estimates: the schedule runs "
            "past the last date of the calendar (9999-12-31)",
            hint="check start_date, the tasks' estimates and the holidays",
        ) from None


def spec_and_plan(spec: Path, cfg: Config) -> tuple[Spec, Plan]:
    """The checked spec of a file and its plan, with the config's catalog folder (if any):
    what the commands that talk to Jira and Sheets start from."""
    from syncsvc.catalog import load_catalog
    from syncsvc.specload import load_spec

    parsed = load_spec(spec, today=dt.date.today())
    require_identity(parsed)
    return parsed, plan_of(parsed, load_catalog(cfg.catalog_dir()))


def require_identity(parsed: Spec) -> None:
    """The remote commands need `plan_id` and `start_date` in the file (CONTRACT §3): they name
    the plan in Jira and Sheets and pin its dates, so a rename or a new day cannot fork it."""
    from syncsvc.errors import InputError

    missing = sorted(parsed.defaulted & {"plan_id", "start_date"})
    if not missing:
        return
    lines = {"plan_id": f'plan_id = "{parsed.plan_id}"', "start_date": f"start_date = {parsed.start_date}"}
    raise InputError(
        f"{parsed.label}: {' and '.join(missing)} missing; push, publish, pull, sync and "
        "baseline need plan_id and start_date in the spec (they name the plan in Jira and "
        "Sheets and pin its dates)",
        hint="add to the spec, e.g. "
        + "; ".join(lines[k] for k in missing)
        + (" (a plan_id unique to this feature)" if "plan_id" in missing else ""),
    )


def render(plan: Plan, part: str, fmt: Format) -> str:
    if fmt is Format.json:
        import pydantic_core

        from syncsvc.model import to_json

        # the same text as json.dumps(indent=2, ensure_ascii=False), several times faster
        return pydantic_core.to_json(to_json(plan, part), indent=2).decode()
    from syncsvc.render.markdown import render_md

    return render_md(plan, part)


def parse_as_of(value: str | None) -> dt.date:
    """`--as-of` as a date (default today); a bad value is a usage error (exit 2)."""
    from syncsvc.errors import InputError

    if value is None:
        return dt.date.today()
    from syncsvc.spec import FIRST_DATE, LAST_START

    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: {value!r} is not a date; use YYYY-MM-DD") from None
    if not FIRST_DATE <= date <= LAST_START:  # the forecast needs calendar room after it
        raise InputError(
            f"--as-of: {value} is outside the dates syncsvc plans ({FIRST_DATE} to {LAST_START})"
        )
    return date
