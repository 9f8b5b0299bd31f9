"""The fast JSON writer gives `json.dumps(indent=2, ensure_ascii=False)`'s text, byte for byte."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, generated_spec

from syncsvc.exporting import render_bundle
from syncsvc.model import PART_KEYS, Confidence, Plan, _part_fields, to_json, to_json_bytes, to_json_text
from syncsvc.plans import render, render_bytes, render_pieces
from syncsvc.rendering.jsontext import (
    _MAY_DIFFER,
    _may_differ,
    json_pieces,
    json_text,
    model_json_text,
    write_model_json,
)

PARTS = [None, "create-rollout-plan", *PART_KEYS]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _stdlib(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


@pytest.fixture(scope="module")
def generated_plan() -> Plan:
    import tomllib

    from conftest import TODAY

    from syncsvc.catalog import load_catalog
    from syncsvc.planning.build import build_plan
    from syncsvc.specload import check_spec

    text = generated_spec(1000)
    return build_plan(
        check_spec(tomllib.loads(text), label="g.toml", today=TODAY, source=text), load_catalog()
    )


def _check_plan(plan: Plan) -> None:
    for part in PARTS:
        want = _stdlib(to_json(plan, part))
        assert to_json_text(plan, part) == want, part
        assert to_json_bytes(plan, part) == want.encode(), part
        if part is not None:
            assert render(plan, part=part, format="json") == want, part
            for fmt in ("json", "md"):
                assert (
                    render_bytes(plan, part=part, format=fmt) == render(plan, part=part, format=fmt).encode()
                )
    bundle = render_bundle(plan)
    assert bundle["plan.json"] == (_stdlib(to_json(plan)) + "\n").encode()
    # the bundle writes the Markdown a section at a time: the same bytes as the whole text
    assert bundle["plan.md"] == render(plan, format="md").encode()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_bundled_examples_same_text(path: Path, plan_of: Callable[..., Plan]) -> None:
    _check_plan(plan_of(path.read_text(encoding="utf-8")))


def test_generated_1k_task_plan_same_text(generated_plan: Plan) -> None:
    assert len(generated_plan.tasks) > 1000 and generated_plan.confidence is not None
    _check_plan(generated_plan)


def test_quick_mode_plan_same_text(plan_of: Callable[..., Plan]) -> None:
    from conftest import MINIMAL

    _check_plan(plan_of(MINIMAL.replace('description = "', "description = \"Tomás's café — 北京 ")))


def test_tiny_floats_are_written_as_python_writes_them(plan_of: Callable[..., Plan]) -> None:
    # pydantic-core writes 5e-05 as 0.00005 and 1e-07 as 1e-7; Python as 5e-05 and 1e-07
    plan = plan_of(EXAMPLES[0].read_text(encoding="utf-8"))
    assert plan.confidence is not None
    crit = {tid: v for tid, v in zip(plan.confidence.criticality, (5e-05, 1e-07, 0.25, 1e-4), strict=False)}
    tiny = plan.model_copy(
        update={
            "confidence": Confidence.model_validate({**plan.confidence.model_dump(), "criticality": crit})
        }
    )
    text = to_json_text(tiny)
    assert "5e-05" in text and "1e-07" in text
    _check_plan(tiny)


def _variant(plan: Plan, case: str) -> Plan:
    """The plan with a text that may differ from the standard library's where `case` says."""
    if case == "tiny float in a task":
        tasks = list(plan.tasks)
        tasks[700] = tasks[700].model_copy(update={"name": "warm-up takes 0.00001 s"})
        return plan.model_copy(update={"tasks": tasks})
    if case == "tiny float after":
        return plan.model_copy(update={"changelog": ["rounding fixed below 1e-05"]})
    if case == "tiny float outside the tasks":
        return plan.model_copy(update={"critical_path": [*plan.critical_path, "1e-05"]})
    if case == "no RACI":
        return plan.model_copy(update={"raci": []})
    if case == "no tasks":
        return plan.model_copy(update={"tasks": [], "critical_path": []})
    return plan


@pytest.mark.parametrize("case", ["plain", "tiny float in a task", "tiny float after", "no RACI", "no tasks"])
@pytest.mark.parametrize("slice_size", [1, 7, 1000, 5000])
def test_plan_json_written_in_slices_is_the_whole_text(
    generated_plan: Plan, case: str, slice_size: int
) -> None:
    # the export writes plan.json a slice of tasks and RACI rows at a time; a text that may
    # differ from the standard library's (here in the middle of the tasks, or after them) is
    # rewritten whole from where the file was, leaving what came before it
    plan = _variant(generated_plan, case)
    buf = io.BytesIO(b"kept")
    buf.seek(0, io.SEEK_END)
    write_model_json(
        buf, plan, streamed=("tasks", "raci"), slice_size=slice_size, by_alias=True, exclude={"quick_mode"}
    )
    assert buf.getvalue() == b"kept" + _stdlib(to_json(plan)).encode()
    assert buf.getvalue()[4:] == to_json_bytes(plan)


@pytest.mark.parametrize(
    "case", ["plain", "tiny float in a task", "tiny float outside the tasks", "no tasks"]
)
@pytest.mark.parametrize("slice_size", [1, 7, 1000, 5000])
def test_a_parts_json_in_pieces_is_the_whole_text(generated_plan: Plan, case: str, slice_size: int) -> None:
    # generate-timeline prints its JSON a slice of tasks at a time; a slice (or the text
    # around the tasks) that may differ from the standard library's text is written by it
    plan = _variant(generated_plan, case)
    part = "generate-timeline"
    data = _part_fields(plan, part)
    pieces = list(
        json_pieces(data, streamed="tasks", plain=lambda: to_json(plan, part), slice_size=slice_size)
    )
    assert b"".join(pieces) == _stdlib(to_json(plan, part)).encode()
    assert b"".join(render_pieces(plan, part=part, format="json")) == to_json_bytes(plan, part)
    if case == "plain":
        assert len(pieces) == 3 + -(-len(plan.tasks) // slice_size)  # the text is never whole


@pytest.mark.parametrize(
    "data",
    [
        {"a": [], "b": {}, "c": [1, {"x": None, "y": True, "z": False}]},
        {"text": 'Tomás "quoted" \\ back\nslash\t\x01\x1f\x7f\u2028 北京 🎉', "ключ": "значение"},
        [0.1, 2.5, 100.0, -0.0, 1e16, 1e15, 0.30000000000000004, 5e-324, 1.7976931348623157e308],
        [0.0001, 0.00009999, 5e-05, 1e-05, 1e-07, -3e-12],
        {"looks like a float": "0.00001 and 1e-5"},
        [],
        {},
        "",
        12345678901234567890,
    ],
)
def test_json_text_matches_json_dumps(data: Any) -> None:
    assert json_text(data) == _stdlib(data)


def test_model_json_text_falls_back_for_tiny_floats() -> None:
    c = Confidence.model_validate(
        {
            "p50": "2027-01-04",
            "p80": "2027-01-05",
            "p95": "2027-01-06",
            "deadline_probability": 0.00002,
            "samples": 50000,
            "seed": 1,
            "criticality": {"t1": 1e-06, "t2": 0.5},
        }
    )
    assert model_json_text(c) == _stdlib(c.model_dump(mode="json"))


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b"e-",
        b"1e-",
        b"code-review",
        b"x" * 10 + b"0.0000",
        b"a 0.000 b",
        b'"t": 5e-05',
        b"the-" * 1500 + b"7e-8",  # past the one-by-one limit: the regular expression decides
        b"the-" * 1500,
        b"the-" * 999 + b"2e-3",
        b"ee-e-9e-",
    ],
)
def test_may_differ_agrees_with_the_pattern(text: bytes) -> None:
    assert _may_differ(text) is (_MAY_DIFFER.search(text) is not None)


def test_a_part_whose_text_needs_the_standard_library_gets_its_text(plan_of: Callable[..., Plan]) -> None:
    # a task name that looks like a tiny float sends the parts' text (written from the models)
    # to the standard library, which writes the plain dump
    text = EXAMPLES[0].read_text(encoding="utf-8")
    plan = plan_of(text.replace('name = "Backend API"', 'name = "Backend API 0.00001 1e-7"'))
    assert any("0.00001" in t.name for t in plan.tasks)
    _check_plan(plan)
