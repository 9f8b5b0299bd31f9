"""The column registry: each output's timeline columns come from it and agree with the model."""

from __future__ import annotations

import tomllib

from syncsvc.columns import TASK_COLUMNS, sheet_columns, task_column, task_columns
from syncsvc.export.csvs import TIMELINE_HEADERS
from syncsvc.grid.mapping import KNOWN_COLUMNS, load_mapping, mapping_path
from syncsvc.jira.mapping import TASK_FIELDS
from syncsvc.model import PlannedTask
from syncsvc.sheets.status import TaskStatus


def test_every_column_reads_a_field_that_exists() -> None:
    task_fields = set(PlannedTask.model_fields)
    status_fields = set(TaskStatus.__dataclass_fields__)
    for c in TASK_COLUMNS:
        assert (c.attr or c.key) in (task_fields if c.of == "task" else status_fields), c.key
    assert len({c.key for c in TASK_COLUMNS}) == len(TASK_COLUMNS)
    assert len(sheet_columns()) == len(task_columns("sheets"))


def test_outputs_take_their_columns_from_the_registry() -> None:
    assert TIMELINE_HEADERS[:3] == ("id", "name", "phase") and TIMELINE_HEADERS[-1] == "source"
    assert list(TIMELINE_HEADERS) == [c.key for c in TASK_COLUMNS if "csv" in c.outputs]
    assert {c.key for c in task_columns("jira")} | {"plan_id", "feature_name"} == TASK_FIELDS
    assert "late_start" not in TASK_FIELDS and "source" not in TASK_FIELDS
    assert KNOWN_COLUMNS["timeline"] == set(sheet_columns())
    assert {"start", "finish", "jira_key", "slip_days"} <= KNOWN_COLUMNS["timeline"]


def test_bundled_sheets_headers_are_the_registry_headers() -> None:
    # the bundled mapping spells the headers out for users to edit; they must not drift
    data = tomllib.loads(mapping_path().read_text(encoding="utf-8"))
    for col in data["timeline"]["columns"]:
        assert col["header"] == sheet_columns()[col["key"]].header, col["key"]
    assert [c.header for c in load_mapping().timeline.columns][7:9] == ["Start", "Finish"]
    assert task_column("estimate_days").header == "Estimate (d)"
    assert task_column("total_float").label == "Float"
