"""The Jira mapping (`mappings/jira.toml`): issue types, priorities, fields, labels, templates."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator

from syncsvc.catalog.base import CatalogModel, find_file, load_model
from syncsvc.columns import ColumnDef, columns
from syncsvc.errors import ConfigError
from syncsvc.model import Plan, PlannedTask

MAPPING_FILE = "jira.toml"
EPIC_FIELDS = frozenset({"plan_id", "feature_name"})
# the {fields} a task template may use: the registry's Jira columns, and the epic's
TASK_COLUMNS = columns("timeline", "jira")
TASK_FIELDS = frozenset(c.key for c in TASK_COLUMNS) | EPIC_FIELDS
_Label = Annotated[str, Field(pattern=r"^[^\s]{1,255}$")]


def _check_template(value: str, allowed: frozenset[str]) -> str:
    """Only plain `{name}` fields from `allowed`: no attribute access, indexing or conversion."""
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as e:
        raise ValueError(f"bad template: {e}") from None
    for _, name, spec, conv in parts:
        if name is None:
            continue
        if name not in allowed or conv or (spec and "{" in spec):
            raise ValueError(f"unknown template field {{{name}}}; known: " + ", ".join(sorted(allowed)))
    return value


class IssueTypes(CatalogModel):
    task: str = ""
    review: str = ""
    milestone: str = ""
    rollout: str = ""


class Priorities(CatalogModel):
    low: str = "Low"
    medium: str = "Medium"
    high: str = "High"


class Fields(CatalogModel):
    start_date: str = "Start date"


class Labels(CatalogModel):
    critical: _Label = "syncsvc-critical"
    removed: _Label = "syncsvc-removed"


class Templates(CatalogModel):
    summary: Annotated[str, Field(min_length=1)] = "{name}"
    description: str = ""
    epic_summary: Annotated[str, Field(min_length=1)] = "{feature_name}"
    epic_description: str = ""

    @field_validator("summary", "description")
    @classmethod
    def _task(cls, v: str) -> str:
        return _check_template(v, TASK_FIELDS)

    @field_validator("epic_summary", "epic_description")
    @classmethod
    def _epic(cls, v: str) -> str:
        return _check_template(v, EPIC_FIELDS)


class JiraMapping(CatalogModel):
    """How a planned task becomes the fields of a Jira issue."""

    issue_types: IssueTypes = IssueTypes()
    priorities: Priorities = Priorities()
    fields: Fields = Fields()
    labels: Labels = Labels()
    templates: Templates = Templates()

    def issue_type(self, kind: str, default: str) -> str:
        return getattr(self.issue_types, kind, "") or default

    def priority(self, risk: str) -> str:
        return str(getattr(self.priorities, risk))

    def task_text(self, plan: Plan, task: PlannedTask) -> tuple[str, str]:
        """The summary (one line, <= 255 chars) and description of a task's issue."""
        values: dict[str, Any] = {c.key: _text(c, c.value(task)) for c in TASK_COLUMNS}
        values |= {"plan_id": plan.plan_id, "feature_name": plan.feature_name}
        return (
            _one_line(self.templates.summary.format(**values)),
            self.templates.description.format(**values).strip(),
        )

    def epic_text(self, plan: Plan) -> tuple[str, str]:
        values = {"plan_id": plan.plan_id, "feature_name": plan.feature_name}
        return (
            _one_line(self.templates.epic_summary.format(**values)),
            self.templates.epic_description.format(**values).strip(),
        )


def _text(col: ColumnDef, value: Any) -> Any:
    # what a template shows for a value: words for a flag, a list or nothing, ISO dates
    if col.kind == "flag":
        return "yes" if value else "no"
    if col.kind == "list":
        return ", ".join(value) or "none"
    if col.kind == "date":
        return value.isoformat()
    return "nobody" if value is None and col.key == "owner" else value


def _one_line(text: str) -> str:
    # Jira refuses a summary with a line break or longer than 255 characters.
    flat = " ".join(text.split())
    return flat if len(flat) <= 255 else flat[:254] + "…"


def load_jira_mapping(folder: Path | None = None) -> JiraMapping:
    """`jira.toml` from the user's catalog folder when it has one, else the bundled one."""
    path = find_file(MAPPING_FILE, folder)
    if not path.is_file():
        raise ConfigError(f"{MAPPING_FILE}: mapping file not found at {path}")
    return load_model(path, JiraMapping)
