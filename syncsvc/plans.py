"""From a spec (a file, or the five quick inputs) to a plan, and a plan to text.

What every front end starts from: the commands, the MCP server, tracking, diff and export (the
CLI imports it inside its commands). The config and the Markdown renderer load only when used:
a plan without --config, or as JSON, does not pay for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncsvc.catalog import Catalog, load_catalog
from syncsvc.errors import InputError, SpecError
from syncsvc.inputs import flag, missing_inputs, spec_of_inputs
from syncsvc.model import Plan, to_json_bytes, to_json_pieces, to_json_text
from syncsvc.planning.build import build_plan
from syncsvc.spec import FIRST_DATE, LAST_START, Spec
from syncsvc.specload import load_spec, with_calendar

if TYPE_CHECKING:
    from syncsvc.config import Config


def load_plan(
    spec: Path | None,
    config: Path | None,
    quick: dict[str, Any],
    *,
    calendar: dict[str, Any] | None = None,
    with_confidence: bool = True,
    with_raci: bool = True,
    change_types: list[str] | None = None,
) -> Plan:
    """The plan for a spec file, or for the five quick inputs when no file is given.

    `calendar` holds `--start-date`, `--holidays` and `--country` (None when not given): they
    set (or, for holidays, add to) the spec's `start_date`, `holidays` and `holidays_country`;
    `change_types` (from --change-type) replaces the spec's. `with_confidence` and `with_raci`:
    see `build_plan`."""

    today = dt.date.today()
    given = {k: v for k, v in quick.items() if v is not None}
    if spec is not None:
        if given:
            raise InputError(
                f"give either a spec file or the quick inputs, not both "
                f"(got {spec} and {flag(next(iter(given)))})"
            )
        parsed = load_spec(spec, today=today)
    else:
        missing = missing_inputs(quick)
        if missing:
            raise InputError(
                "no spec file given, and the quick inputs are incomplete: missing "
                + ", ".join(map(flag, missing)),
                hint="pass a spec file (syncsvc create-rollout-plan examples/"
                "notifications-center.toml) or all five quick inputs",
            )
        parsed = spec_of_inputs(quick, today=today)
    parsed = adjusted(parsed, change_types=change_types, calendar=calendar)
    catalog_dir = None
    if config is not None:  # the config (and its models) only when one is given
        from syncsvc.config import load_config

        catalog_dir = load_config(config).catalog_dir()
    return plan_of(parsed, load_catalog(catalog_dir), with_confidence=with_confidence, with_raci=with_raci)


def adjusted(
    spec: Spec,
    *,
    change_types: list[str] | None = None,
    calendar: dict[str, Any] | None = None,
    names: tuple[str, str, str] = ("--start-date", "--holidays", "--country"),
) -> Spec:
    """The spec with the options given beside it: `calendar` (start_date, holidays, country;
    None when not given) sets, or for holidays adds to, the spec's; `change_types` replaces the
    spec's. `names` are what errors call the three calendar inputs."""
    if calendar and any(v is not None for v in calendar.values()):
        spec = with_calendar(spec, **calendar, names=names)
    if change_types:
        spec = spec.model_copy(update={"change_types": list(dict.fromkeys(change_types))})
    return spec


def plan_of(spec: Spec, catalog: Catalog, *, with_confidence: bool = True, with_raci: bool = True) -> Plan:
    """`build_plan`, with a schedule that runs off the calendar (past 9999-12-31, through a wall
    of holidays) as a spec error naming the keys, not a traceback."""

    try:
        return build_plan(spec, catalog, with_confidence=with_confidence, with_raci=with_raci)
    except OverflowError:
        raise SpecError(
            f"{spec.label}: start_date, holidays, estimates: the schedule runs "
            "past the last date of the calendar (9999-12-31)",
            hint="check start_date, the tasks' estimates and the holidays",
        ) from None


def spec_and_plan(spec: Path, cfg: Config) -> tuple[Spec, Plan]:
    """The checked spec of a file and its plan, with the config's catalog folder (if any):
    what the commands that talk to Jira and Sheets start from."""

    parsed = load_spec(spec, today=dt.date.today())
    require_identity(parsed)
    return parsed, plan_of(parsed, load_catalog(cfg.catalog_dir()))


def require_identity(parsed: Spec) -> None:
    """The remote commands need `plan_id` and `start_date` in the file (CONTRACT §3): they name
    the plan in Jira and Sheets and pin its dates, so a rename or a new day cannot fork it."""

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


def render(plan: Plan, *, part: str = "create-rollout-plan", format: str = "md") -> str:
    """The plan (or one part of it: "assess-risks", "generate-timeline", ...) as Markdown
    (`format="md"`) or as the JSON text of CONTRACT §4 (`format="json"`)."""
    if format not in ("md", "json"):
        raise InputError(f"format: must be 'md' or 'json' (got {format!r})")
    if format == "json":
        return to_json_text(plan, part)
    from syncsvc.rendering.markdown import render_md

    return render_md(plan, part)


def render_bytes(plan: Plan, *, part: str = "create-rollout-plan", format: str = "md") -> bytes:
    """`render(plan, part=part, format=format)` as UTF-8, for a file: a part's JSON is written
    straight to bytes (megabytes for a large plan), without a text object in between."""
    if format == "json":
        return to_json_bytes(plan, part)
    return render(plan, part=part, format=format).encode()


def render_pieces(plan: Plan, *, part: str = "create-rollout-plan", format: str = "md") -> Iterator[bytes]:
    """`render_bytes(plan, part=part, format=format)` in pieces, for `write_output`: a part's
    JSON with its tasks a slice at a time (see `model.to_json_pieces`)."""
    if format == "json" and part != "create-rollout-plan":
        yield from to_json_pieces(plan, part)
    else:
        yield render_bytes(plan, part=part, format=format)


def parse_as_of(value: str | None) -> dt.date:
    """`--as-of` as a date (default today); a bad value is a usage error (exit 2)."""

    if value is None:
        return dt.date.today()

    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: {value!r} is not a date; use YYYY-MM-DD") from None
    if not FIRST_DATE <= date <= LAST_START:  # the forecast needs calendar room after it
        raise InputError(
            f"--as-of: {value} is outside the dates syncsvc plans ({FIRST_DATE} to {LAST_START})"
        )
    return date
