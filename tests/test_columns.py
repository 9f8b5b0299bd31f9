"""The column registry: each output's timeline columns come from it and agree with the model."""

from __future__ import annotations

import tomllib

from pydantic import BaseModel

from syncsvc.columns import RISK_COLUMNS, TABLES, TASK_COLUMNS, Table, column, columns, sheet_columns
from syncsvc.exporting.csvs import RISK_HEADERS, TIMELINE_HEADERS
from syncsvc.grid.mapping import KNOWN_COLUMNS, load_mapping, mapping_path
from syncsvc.jira.mapping import TASK_FIELDS
from syncsvc.model import PlannedTask, Risk
from syncsvc.status import TaskForecast


def test_every_column_reads_a_field_that_exists() -> None:
    status_fields = set(TaskForecast.model_fields)  # a status column reads the task's forecast
    models: dict[Table, type[BaseModel]] = {"timeline": PlannedTask, "risks": Risk}
    for name, model in models.items():
        cols = TABLES[name]
        readable = set(model.model_fields) | {
            n for n in dir(model) if isinstance(getattr(model, n), property)
        }
        for c in cols:
            assert (c.attr or c.key) in (readable if c.of == "row" else status_fields), c.key
        assert len({c.key for c in cols}) == len(cols), name
        assert len(sheet_columns(name)) == len(columns(name, "sheets")), name


def test_outputs_take_their_columns_from_the_registry() -> None:
    assert TIMELINE_HEADERS[:3] == ("id", "name", "phase") and TIMELINE_HEADERS[-1] == "source"
    assert list(TIMELINE_HEADERS) == [c.key for c in TASK_COLUMNS if "csv" in c.outputs]
    assert {c.key for c in columns("timeline", "jira")} | {"plan_id", "feature_name"} == TASK_FIELDS
    assert "late_start" not in TASK_FIELDS and "source" not in TASK_FIELDS
    assert KNOWN_COLUMNS["timeline"] == set(sheet_columns("timeline"))
    assert {"start", "finish", "jira_key", "slip_days"} <= KNOWN_COLUMNS["timeline"]
    assert list(RISK_HEADERS) == [c.key for c in RISK_COLUMNS]
    assert KNOWN_COLUMNS["risks"] == set(RISK_HEADERS) - {"owner_role"}


def test_bundled_sheets_headers_are_the_registry_headers() -> None:
    # the bundled mapping spells the headers out for users to edit; they must not drift
    data = tomllib.loads(mapping_path().read_text(encoding="utf-8"))
    for table in TABLES:
        for col in data[table]["columns"]:
            assert col["header"] == sheet_columns(table)[col["key"]].header, (table, col["key"])
    assert [c.header for c in load_mapping().timeline.columns][7:9] == ["Start", "Finish"]
    assert column("timeline", "estimate_days").header == "Estimate (d)"
    assert column("timeline", "total_float").label == "Float"
