"""The quick inputs: the five answers a plan can start from instead of a spec file (feature_name,
description, team_size, timeline, risk_tolerance), plus the kinds of change, declared once.

`QuickInputs` is their pydantic model: names, descriptions and constraints. It feeds the CLI
options' help (`syncsvc.cli.options`), the loader (`spec_of_inputs`, used by the commands, the
MCP tools and `syncsvc.load_spec`) and the MCP tools' input schema (`input_properties`).

So that `syncsvc --help` never loads pydantic, the fields are plain data here (`FIELDS`, their
constraints written as JSON Schema) and the model class is made from them on first use
(`syncsvc.inputs.QuickInputs`, PEP 562). The checks that give the spec's error messages stay in
the spec loader: `spec_of_inputs` hands the values to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from pydantic import BaseModel

    from syncsvc.spec import Spec

    QuickInputs: type[BaseModel]  # made on first use: see `model`

MAX_TEXT = 20_000  # syncsvc.spec.MAX_TEXT (not imported: it loads pydantic)
# "6 weeks", "30 days" or a number of weeks, as syncsvc.spec.parse_timeline reads it
TIMELINE_PATTERN = r"^\s*\d{1,4}(\s*([Ww][Ee][Ee][Kk][Ss]?|[Dd][Aa][Yy][Ss]?))?\s*$"
CHANGE_TYPE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"  # syncsvc.spec.SLUG_RE


class Field(NamedTuple):
    """One input: what it means, and its value's JSON Schema (type and constraints)."""

    description: str
    schema: dict[str, Any]
    required: bool = True  # one of the five quick inputs


FIELDS: dict[str, Field] = {
    "feature_name": Field(
        'What you are launching, e.g. "In-App Notifications Center".',
        {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
    ),
    "description": Field(
        'The feature in a sentence, e.g. "Replacing email-only alerts with in-app, push and digest '
        'notifications for 150K users".',
        {"type": "string", "maxLength": MAX_TEXT},
    ),
    "team_size": Field(
        "People available to do the work (at least 1).",
        {"type": "integer", "minimum": 1, "maximum": 100_000},
    ),
    "timeline": Field(
        'Time available: "N weeks" (e.g. "6 weeks"), "N days" (working days), or a whole number of weeks.',
        {"type": "string", "pattern": TIMELINE_PATTERN},
    ),
    "risk_tolerance": Field(
        "How conservative the rollout is. low: internal, 1%, 5%, 25%, 50%, 100% with the longest "
        "monitoring; medium: internal, canary, gradual, full; high: internal, 25%, 100%.",
        {"type": "string", "enum": ["low", "medium", "high"]},
    ),
    "change_types": Field(
        "Optional: the kinds of change, primary first (change-profile ids such as infra-cutover, "
        "payments-billing, identity-access, mobile-release: the catalog's changes/ files). "
        "Default: detected from the name and description.",
        {"type": "array", "maxItems": 8, "items": {"type": "string", "pattern": CHANGE_TYPE_PATTERN}},
        required=False,
    ),
}
QUICK_INPUTS: tuple[str, ...] = tuple(name for name, f in FIELDS.items() if f.required)


def cli_help(name: str) -> str:
    """The `--help` text of the option of input `name`."""
    f = FIELDS[name]
    return f"Quick input: {f.description}" if f.required else f.description


def flag(name: str) -> str:
    """The CLI option of input `name`: `--team-size`."""
    return "--" + name.replace("_", "-")


def spec_of_inputs(inputs: Mapping[str, Any], *, today: dt.date) -> Spec:
    """A quick-mode spec from the five inputs (checked by the spec loader: its error messages)."""
    from syncsvc.specload import spec_from_inputs

    return spec_from_inputs(today=today, **{k: inputs[k] for k in QUICK_INPUTS})


def missing_inputs(inputs: Mapping[str, Any]) -> list[str]:
    """The quick inputs not given (None or absent), in their order."""
    return [k for k in QUICK_INPUTS if inputs.get(k) is None]


def input_properties() -> dict[str, Any]:
    """The JSON Schema properties of the inputs, from the model (for the MCP tools)."""
    props: dict[str, Any] = model().model_json_schema()["properties"]
    return {name: _untitled(p) for name, p in props.items()}


def _untitled(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: _untitled(v) if isinstance(v, dict) else v for k, v in schema.items() if k != "title"}


@cache
def model() -> type[BaseModel]:
    """The `QuickInputs` model class, made from `FIELDS` (pydantic is imported here)."""
    from pydantic import ConfigDict, create_model
    from pydantic import Field as PydanticField

    fields: dict[str, Any] = {}
    for name, f in FIELDS.items():
        default = (
            PydanticField(description=f.description)
            if f.required
            else PydanticField(default_factory=list, description=f.description)
        )
        fields[name] = (_annotation(f.schema), default)
    cls: type[BaseModel] = create_model(
        "QuickInputs",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__="The five quick inputs of a plan (and the kinds of change).",
        __module__=__name__,
        **fields,
    )
    return cls


def _annotation(schema: dict[str, Any]) -> Any:
    """The Python type (with pydantic constraints) of a JSON Schema of FIELDS."""
    from typing import Annotated, Literal

    from pydantic import Field as PydanticField
    from pydantic import StringConstraints

    if "enum" in schema:
        return Literal[tuple(schema["enum"])]
    kind = schema["type"]
    if kind == "string":
        return Annotated[
            str,
            StringConstraints(
                min_length=schema.get("minLength"),
                max_length=schema.get("maxLength"),
                pattern=schema.get("pattern"),
            ),
        ]
    if kind == "integer":
        return Annotated[int, PydanticField(ge=schema.get("minimum"), le=schema.get("maximum"))]
    if kind == "array":
        return Annotated[list[_annotation(schema["items"])], PydanticField(max_length=schema.get("maxItems"))]  # type: ignore[misc]
    raise ValueError(f"no Python type for {schema!r}")


def __getattr__(name: str) -> Any:
    if name == "QuickInputs":
        return model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
