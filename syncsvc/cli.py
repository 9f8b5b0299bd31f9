"""The `syncsvc` command line: thin typer commands over the library (CONTRACT §3)."""

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
    from syncsvc.model import Plan

app = typer.Typer(
    name="syncsvc",
    help="Turn a feature launch spec into a rollout plan, and keep it alive in Jira and "
    "Google Sheets.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    md = "md"
    json = "json"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


SpecArg = Annotated[Path | None, typer.Argument(
    help="The spec file (TOML). Leave out to plan from the five quick inputs instead.",
    show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write to this file instead of stdout.", show_default=False)]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", "-c", help="Config file (for a catalog folder of your own).", show_default=False)]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log more (to stderr).")]
LogFormatOpt = Annotated[LogFormat, typer.Option("--log-format", help="Log line format.")]
FeatureOpt = Annotated[str | None, typer.Option(
    "--feature-name", help="Quick input: what you are launching.", show_default=False)]
DescriptionOpt = Annotated[str | None, typer.Option(
    "--description", help="Quick input: the feature in a sentence.", show_default=False)]
TeamOpt = Annotated[int | None, typer.Option(
    "--team-size", help="Quick input: people available (>= 1).", show_default=False)]
TimelineOpt = Annotated[str | None, typer.Option(
    "--timeline", help='Quick input: "6 weeks", "30 days" or a number of weeks.',
    show_default=False)]
ToleranceOpt = Annotated[str | None, typer.Option(
    "--risk-tolerance", help="Quick input: low, medium or high.", show_default=False)]


def run(fn: Callable[[], int | None], *, verbose: bool = False, log_format: str = "text") -> None:
    """Run a command body: user errors become `Error: …` on stderr and the CONTRACT exit code."""
    from syncsvc.errors import SyncsvcError
    from syncsvc.logs import setup_logging

    setup_logging(verbose=verbose, log_format=log_format)
    try:
        code = fn()
    except SyncsvcError as e:
        typer.echo(f"Error: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        raise typer.Exit(130) from None
    if code:
        raise typer.Exit(code)


def write_output(text: str, output: Path | None) -> None:
    """Print to stdout, or write the file whole (temp file + rename: never half-written)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from syncsvc.errors import InputError

    target = output.expanduser()
    if target.is_dir():
        raise InputError(f"--output {str(output)!r} is a folder; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--output: the folder {str(folder)!r} does not exist")
    import tempfile  # not at the top: it costs --help a few hundredths of a second

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"--output: cannot write {str(output)!r} ({e.strerror})") from None


def load_plan(spec: Path | None, config: Path | None, quick: dict[str, Any]) -> Plan:
    """The plan for a spec file, or for the five quick inputs when no file is given."""
    from syncsvc.catalog import load_catalog
    from syncsvc.config import load_config
    from syncsvc.errors import InputError
    from syncsvc.planning.build import build_plan
    from syncsvc.specload import load_spec, spec_from_inputs

    today = dt.date.today()
    given = {k: v for k, v in quick.items() if v is not None}
    if spec is not None:
        if given:
            raise InputError(f"give either a spec file or the quick inputs, not both "
                             f"(got {spec} and --{next(iter(given)).replace('_', '-')})")
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
    catalog_dir = load_config(config).catalog_dir() if config is not None else None
    return build_plan(parsed, load_catalog(catalog_dir))


def render(plan: Plan, part: str, fmt: Format) -> str:
    if fmt is Format.json:
        import pydantic_core

        from syncsvc.model import to_json

        # the same text as json.dumps(indent=2, ensure_ascii=False), several times faster
        return pydantic_core.to_json(to_json(plan, part), indent=2).decode()
    from syncsvc.render.markdown import render_md

    return render_md(plan, part)


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
        verbose: VerboseOpt = False,
        log_format: LogFormatOpt = LogFormat.text,
    ) -> None:
        quick = {"feature_name": feature_name, "description": description,
                 "team_size": team_size, "timeline": timeline, "risk_tolerance": risk_tolerance}

        def body() -> None:
            import gc

            gc.disable()  # a plan makes many objects and few cycles: the collector costs ~30%
            try:
                write_output(render(load_plan(spec, config, quick), part, format), output)
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


def _register_optional() -> None:
    """Commands built in their own modules; each imports its heavy library only when run."""
    import importlib

    for module, attr, name in (
        ("syncsvc.export.command", "export_command", "export"),
        ("syncsvc.diff", "diff_command", "diff"),
        ("syncsvc.jira.command", "push_command", "push"),
        ("syncsvc.sheets.command", "publish_command", "publish"),
        ("syncsvc.mcp_server", "serve_command", "serve-mcp"),
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name is not None and module.startswith(e.name):
                continue  # not built yet in this checkout
            raise
        app.command(name)(getattr(mod, attr))


_register_optional()


def main() -> None:  # pragma: no cover - entry point for `python -m syncsvc`
    app()
