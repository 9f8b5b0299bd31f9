"""The Sheets layout mapping (`mappings/sheets.toml`): titles, columns, widths and colours."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from syncsvc.columns import sheet_columns
from syncsvc.errors import ConfigError
from syncsvc.grid.cells import Fmt
from syncsvc.tomlmodel import load_toml

MAPPING_FILE = "sheets.toml"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_WIDTH = Annotated[int, Field(ge=10, le=2000)]

# The column keys each table knows; a mapping may order, rename or drop them.
KNOWN_COLUMNS: dict[str, frozenset[str]] = {
    "risks": frozenset(sheet_columns("risks")),
    "raci": frozenset({"activity", "task"}),
    "timeline": frozenset(sheet_columns("timeline")),
    "rollback": frozenset({"order", "actor", "action", "expected_result", "max_minutes"}),
    "communication": frozenset({"audience", "cadence", "channel", "content", "when", "date"}),
}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_M):
    """One column of a table: which field, its header text and its width in pixels."""

    key: str
    header: Annotated[str, Field(min_length=1, max_length=200)]
    width: _WIDTH = 100


class Table(_M):
    columns: Annotated[tuple[Column, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Table:
        keys = [c.key for c in self.columns]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"column key {dup[0]!r} appears twice")
        return self


class RaciTable(Table):
    person_width: _WIDTH = 70


class Titles(_M):
    dashboard: str = "Dashboard"
    risks: str = "Risks"
    raci: str = "RACI"
    timeline: str = "Timeline"
    rollback: str = "Rollback"
    communication: str = "Communication"

    @model_validator(mode="after")
    def _distinct(self) -> Titles:
        values = list(self.model_dump().values())
        for v in values:
            if not v.strip() or len(v) > 80:
                raise ValueError(f"title {v!r} must be 1 to 80 characters")
        if len(set(values)) != len(values):
            raise ValueError("worksheet titles must all differ")
        return self


class Colours(_M):
    header_background: str
    header_text: str
    section_background: str
    risk_low: str
    risk_medium: str
    risk_high: str
    gantt_task: str
    gantt_critical: str
    gantt_milestone: str
    gantt_deadline: str
    state_on_track: str
    state_at_risk: str
    state_slipping: str

    @field_validator("*")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not _HEX.match(v):
            raise ValueError(f"must be a colour like #1F3864 (got {v!r})")
        return v.upper()


class Gantt(_M):
    week_width: _WIDTH = 28
    max_weeks: Annotated[int, Field(ge=1, le=520)] = 104


class Dashboard(_M):
    label_width: _WIDTH = 180
    value_width: _WIDTH = 520


class SheetsMapping(_M):
    """The whole layout mapping, validated."""

    titles: Titles = Field(default_factory=Titles)
    colours: Colours
    gantt: Gantt = Field(default_factory=Gantt)
    dashboard: Dashboard = Field(default_factory=Dashboard)
    risks: Table
    raci: RaciTable
    timeline: Table
    rollback: Table
    communication: Table

    @model_validator(mode="after")
    def _known_keys(self) -> SheetsMapping:
        for table, known in KNOWN_COLUMNS.items():
            for i, col in enumerate(getattr(self, table).columns):
                if col.key not in known:
                    raise ValueError(
                        f"{table}.columns[{i}].key: unknown column {col.key!r}; "
                        f"known: {', '.join(sorted(known))}"
                    )
        return self


def mapping_path(catalog_dir: Path | None = None) -> Path:
    """The mapping file to use: the config's catalog folder when it has one, else the bundled."""
    if catalog_dir is not None and (catalog_dir / MAPPING_FILE).is_file():
        return catalog_dir / MAPPING_FILE
    try:
        bundled = resources.files("syncsvc.mappings") / MAPPING_FILE
        if bundled.is_file():
            return Path(str(bundled))
    except ModuleNotFoundError:  # running from a source tree: mappings/ sits beside syncsvc/
        pass
    return Path(__file__).resolve().parents[2] / "mappings" / MAPPING_FILE


def load_mapping(catalog_dir: Path | None = None) -> SheetsMapping:
    """Load and check the Sheets mapping; every error names the file and the key."""
    return _load(mapping_path(catalog_dir))


@lru_cache(maxsize=8)
def _load(path: Path) -> SheetsMapping:
    return load_toml(
        path, SheetsMapping, label=path.name, what="mapping", limit=1024 * 1024, error=ConfigError
    )


def header_fmt(mapping: SheetsMapping) -> Fmt:
    c = mapping.colours
    return Fmt(bold=True, background=c.header_background, text_colour=c.header_text)


def section_fmt(mapping: SheetsMapping) -> Fmt:
    return Fmt(bold=True, background=mapping.colours.section_background)
