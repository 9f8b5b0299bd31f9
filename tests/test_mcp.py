"""The MCP server checked from outside: the SDK's own stdio client against `syncsvc serve-mcp`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import anyio
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError
from typer.testing import CliRunner

import syncsvc
from syncsvc.catalog import load_catalog
from syncsvc.catalog.base import bundled_dir
from syncsvc.cli import app
from syncsvc.model import PART_KEYS

TOOLS = {
    "assess_risks": "assess-risks",
    "map_stakeholders": "map-stakeholders",
    "generate_timeline": "generate-timeline",
    "build_rollback_plan": "build-rollback-plan",
    "create_rollout_plan": "create-rollout-plan",
}
SEED: dict[str, Any] = {
    "feature_name": "In-App Notifications Center",
    "description": "Replacing email-only alerts with in-app, push and digest notifications for 150K users",
    "team_size": 5,
    "timeline": "6 weeks",
    "risk_tolerance": "medium",
}
SEED_PLAN_ID = "in-app-notifications-center"
# CONTRACT §2: the exposure ladder of each tolerance (internal first, 0% of users).
LADDERS = {"low": [0, 1, 5, 25, 50, 100], "medium": [0, 5, 50, 100], "high": [0, 25, 100]}
CYCLE = """
feature_name = "Cycle"
description = "Two tasks waiting for each other"
team_size = 2
timeline = "4 weeks"
risk_tolerance = "medium"
[[tasks]]
id = "api"
name = "API"
estimate = "2d"
depends_on = ["ui"]
[[tasks]]
id = "ui"
name = "UI"
estimate = "2d"
depends_on = ["api"]
"""
DARK_MODE = """
feature_name = "Dark mode"
description = "A dark theme for the web app"
team_size = 3
timeline = "4 weeks"
risk_tolerance = "high"
plan_id = "dark-mode"
start_date = 2027-03-01
"""
# The package under test, so the server subprocess imports the same code as these tests.
PACKAGE_ROOT = str(Path(syncsvc.__file__).resolve().parents[1])
# the suite's catalog cache (conftest), not one under the server's HOME (its working folder here)
CACHE = {"SYNCSVC_CACHE_DIR": os.environ["SYNCSVC_CACHE_DIR"]}


def _server_params(cwd: Path, *extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "syncsvc", "serve-mcp", *extra],
        env={**CACHE, "PYTHONPATH": PACKAGE_ROOT, "HOME": str(cwd)},
        cwd=cwd,
    )


@asynccontextmanager
async def _session(tmp_path: Path, *extra: str) -> AsyncIterator[ClientSession]:
    work = tmp_path / "cwd"
    work.mkdir(exist_ok=True)
    with (tmp_path / "server-stderr.log").open("a", encoding="utf-8") as errlog:
        async with (
            stdio_client(_server_params(work, *extra), errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield session


def _with_server(tmp_path: Path, check: Callable[[ClientSession], Awaitable[None]], *extra: str) -> None:
    async def main() -> None:
        with anyio.fail_after(90):
            async with _session(tmp_path, *extra) as session:
                await check(session)

    try:
        anyio.run(main)
    except BaseExceptionGroup as group:  # the SDK's task groups wrap a failed assert; unwrap it
        raise _leaf(group) from None


def _leaf(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error


async def _ok(session: ClientSession, tool: str, **args: Any) -> tuple[str, dict[str, Any]]:
    result = await session.call_tool(tool, args)
    text = result.content[0].text  # type: ignore[union-attr]
    assert not result.is_error, text
    assert len(result.content) == 1 and result.content[0].type == "text"
    assert isinstance(result.structured_content, dict)
    return text, result.structured_content


async def _refused(session: ClientSession, tool: str, **args: Any) -> str:
    result = await session.call_tool(tool, args)
    assert result.is_error
    assert result.structured_content is None
    return result.content[0].text  # type: ignore[union-attr]


def test_lists_the_five_tools_the_workflow_prompt_and_the_catalogs(tmp_path: Path) -> None:
    async def check(session: ClientSession) -> None:
        tools = {t.name: t for t in (await session.list_tools()).tools}
        assert list(tools) == list(TOOLS)
        for tool in tools.values():
            props = tool.input_schema["properties"]
            assert set(props) == {
                "feature_name",
                "description",
                "team_size",
                "timeline",
                "risk_tolerance",
                "change_types",
                "spec_toml",
                "format",
                "start_date",
                "holidays",
                "country",
            }
            assert all(p.get("description") for p in props.values())
            assert props["feature_name"]["type"] == "string"
            assert props["feature_name"]["minLength"] == 1
            assert props["team_size"]["type"] == "integer"
            assert props["team_size"]["minimum"] == 1
            assert props["risk_tolerance"]["enum"] == ["low", "medium", "high"]
            assert props["format"]["enum"] == ["md", "json"]
            assert props["format"]["default"] == "md"
            assert "6 weeks" in props["timeline"]["description"]
            timeline = re.compile(props["timeline"]["pattern"])
            assert all(timeline.match(t) for t in ("6 weeks", "1 week", "30 days", "6", " 6 Weeks"))
            assert not any(timeline.match(t) for t in ("six weeks", "6 months", "", "6 weeks!"))
            assert props["spec_toml"]["type"] == "string"
            assert tool.input_schema.get("required", []) == []  # spec_toml may replace the five
            assert tool.input_schema["additionalProperties"] is False
            assert tool.description and "spec_toml" in tool.description
            assert tool.annotations is not None and tool.annotations.read_only_hint is True
            required = set(tool.output_schema["required"])  # type: ignore[index]
            part = TOOLS[tool.name]
            expected = (
                [k for p in PART_KEYS.values() for k in p]
                if part == "create-rollout-plan"
                else PART_KEYS[part]
            )
            assert required == {"schema", "plan_id", "findings", *expected}
        # the workflow prompt and the catalogs as read-only resources
        prompts = (await session.list_prompts()).prompts
        assert [p.name for p in prompts] == ["rollout_workflow"]
        got = await session.get_prompt("rollout_workflow", {"feature_name": "Dark mode"})
        text = got.messages[0].content.text  # type: ignore[union-attr]
        assert "Dark mode" in text
        steps = [text.index(f"{n}. ") for n in range(1, 7)]
        assert steps == sorted(steps)
        tools_in_order = [
            text.index(f"`{t}`")
            for t in (
                "assess_risks",
                "map_stakeholders",
                "generate_timeline",
                "build_rollback_plan",
                "create_rollout_plan",
            )
        ]
        assert tools_in_order == sorted(tools_in_order)
        resources = {str(r.uri): r for r in (await session.list_resources()).resources}
        for name in ("risks", "stakeholders", "phases", "rollback", "tasks"):
            assert f"syncsvc://catalog/{name}" in resources
        body = (await session.read_resource("syncsvc://catalog/phases")).contents[0]
        assert body.text == (bundled_dir() / "phases.toml").read_text(  # type: ignore[union-attr]
            encoding="utf-8"
        )
        with pytest.raises(MCPError, match="unknown resource"):
            await session.read_resource("syncsvc://catalog/../../etc/passwd")

    _with_server(tmp_path, check)


def test_each_tool_on_the_seed_inputs(tmp_path: Path) -> None:
    async def check(session: ClientSession) -> None:
        for tool, part in TOOLS.items():
            text, data = await _ok(session, tool, **SEED)
            assert data["schema"] == "syncsvc.plan/1"
            assert data["plan_id"] == SEED_PLAN_ID
            assert isinstance(data["findings"], list)
            keys = (
                [k for p in PART_KEYS.values() for k in p]
                if part == "create-rollout-plan"
                else PART_KEYS[part]
            )
            assert set(keys) <= set(data), f"{tool} lacks {set(keys) - set(data)}"
            first_line = text.splitlines()[0]
            assert first_line.startswith("# ") and SEED["feature_name"] in first_line
            as_json, same = await _ok(session, tool, **SEED, format="json")
            assert json.loads(as_json) == same == data
        _, full = await _ok(session, "create_rollout_plan", **SEED)
        assert full["feature_name"] == SEED["feature_name"]
        assert full["risk_tolerance"] == "medium"
        assert full["tasks"] and full["critical_path"]
        assert full["critical_path"][-1] == "rollout-full"

    _with_server(tmp_path, check)


def test_each_tolerance_gives_its_ladder_and_spec_toml_wins(tmp_path: Path) -> None:
    async def check(session: ClientSession) -> None:
        hours: dict[str, int] = {}
        for tolerance, ladder in LADDERS.items():
            args = {**SEED, "risk_tolerance": tolerance}
            _, timeline = await _ok(session, "generate_timeline", **args)
            phases = timeline["phases"]
            assert [p["exposure_percent"] for p in phases] == ladder
            assert phases[0]["name"] == "internal"
            rollout = [t["id"] for t in timeline["tasks"] if t["kind"] == "rollout"]
            assert [p["task_id"] for p in phases] == rollout  # one rollout task per phase
            for tool in ("build_rollback_plan", "create_rollout_plan"):
                _, data = await _ok(session, tool, **args)
                assert data["phases"] == phases
            md, _ = await _ok(session, "generate_timeline", **args)
            assert f"{tolerance} risk tolerance" in md
            hours[tolerance] = sum(p["monitoring_hours"] for p in phases)
        medium = (await _ok(session, "generate_timeline", **SEED))[1]["phases"]
        assert [p["name"] for p in medium] == ["internal", "canary", "gradual", "full"]
        assert hours["low"] > hours["medium"] > hours["high"]
        # a whole spec as spec_toml, which wins over the five inputs
        _, data = await _ok(session, "create_rollout_plan", spec_toml=DARK_MODE)
        assert (data["plan_id"], data["feature_name"]) == ("dark-mode", "Dark mode")
        assert data["start_date"] == "2027-03-01"
        assert [p["exposure_percent"] for p in data["phases"]] == LADDERS["high"]
        _, both = await _ok(session, "generate_timeline", **SEED, spec_toml=DARK_MODE)
        assert both["plan_id"] == "dark-mode"
        assert [p["exposure_percent"] for p in both["phases"]] == LADDERS["high"]

    _with_server(tmp_path, check)


def _cli_error(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    return result.stderr.removeprefix("Error: ").rstrip("\n")


def test_bad_input_is_a_tool_error_with_the_cli_message(tmp_path: Path) -> None:
    runner = CliRunner()
    spec_file = tmp_path / "spec_toml"  # named like the tool's label, so the messages match
    spec_file.write_text(CYCLE, encoding="utf-8")
    quick = [f"--{k.replace('_', '-')}" for k in SEED]
    cases = {
        "extreme": (
            {**SEED, "risk_tolerance": "extreme"},
            ["assess-risks", *_flags(quick, {**SEED, "risk_tolerance": "extreme"})],
        ),
        "team of 0": (
            {**SEED, "team_size": 0},
            ["generate-timeline", *_flags(quick, {**SEED, "team_size": 0})],
        ),
        "6 months": (
            {**SEED, "timeline": "6 months"},
            ["build-rollback-plan", *_flags(quick, {**SEED, "timeline": "6 months"})],
        ),
        "cycle": ({"spec_toml": CYCLE}, ["generate-timeline", str(spec_file)]),
    }
    expected = {name: _cli_error(runner, cli) for name, (_, cli) in cases.items()}
    assert "extreme" in expected["extreme"] and "team_size" in expected["team of 0"]
    assert "cycle" in expected["cycle"] and "api" in expected["cycle"]

    async def check(session: ClientSession) -> None:
        for name, (args, _) in cases.items():
            for tool in TOOLS:
                assert await _refused(session, tool, **args) == expected[name], (name, tool)
        incomplete = await _refused(session, "assess_risks", feature_name="X")
        assert "missing description, team_size, timeline, risk_tolerance" in incomplete
        assert "unknown argument 'colour'" in await _refused(
            session, "map_stakeholders", **SEED, colour="red"
        )
        assert "format" in await _refused(session, "assess_risks", **SEED, format="pdf")
        bad_toml = 'feature_name = "X"\nteam_size = = 3\n'
        assert (await _refused(session, "assess_risks", spec_toml=bad_toml)).startswith(
            "spec_toml:2: invalid TOML"
        )
        assert "empty" in await _refused(session, "assess_risks", spec_toml="  ")
        with pytest.raises(MCPError, match="unknown tool 'delete_everything'"):
            await session.call_tool("delete_everything", SEED)
        await _ok(session, "assess_risks", **SEED)  # still serving

    _with_server(tmp_path, check)
    assert list((tmp_path / "cwd").iterdir()) == []  # nothing written


def _flags(names: list[str], values: dict[str, Any]) -> list[str]:
    return [x for name, value in zip(names, values.values(), strict=True) for x in (name, str(value))]


def test_fifty_calls_in_a_row_on_one_server(tmp_path: Path) -> None:
    tolerances = list(LADDERS)

    async def check(session: ClientSession) -> None:
        for i in range(50):
            tool = list(TOOLS)[i % 5]
            tolerance = tolerances[i % 3]
            if i % 10 == 9:
                message = await _refused(session, tool, **{**SEED, "risk_tolerance": "extreme"})
                assert "risk_tolerance" in message
                continue
            _, data = await _ok(session, tool, **{**SEED, "risk_tolerance": tolerance})
            assert data["plan_id"] == SEED_PLAN_ID
            if "phases" in data:
                assert [p["exposure_percent"] for p in data["phases"]] == LADDERS[tolerance]
        assert len((await session.list_tools()).tools) == 5
        # and ten at once: each answer belongs to its own request
        answers: dict[str, list[int]] = {}

        async def one(tolerance: str, n: int) -> None:
            _, data = await _ok(session, "build_rollback_plan", **{**SEED, "risk_tolerance": tolerance})
            answers[f"{tolerance}-{n}"] = [p["exposure_percent"] for p in data["phases"]]

        async with anyio.create_task_group() as tg:
            for n in range(10):
                tg.start_soon(one, tolerances[n % 3], n)
        assert answers == {f"{tolerances[n % 3]}-{n}": LADDERS[tolerances[n % 3]] for n in range(10)}

    _with_server(tmp_path, check)
    assert list((tmp_path / "cwd").iterdir()) == []


def test_stdout_is_protocol_only_and_the_server_exits_when_stdin_closes(tmp_path: Path) -> None:
    """Raw JSON-RPC lines, so the test sees every byte on stdout and the exit itself."""
    from mcp_types.version import LATEST_HANDSHAKE_VERSION

    messages: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": LATEST_HANDSHAKE_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "assess_risks", "arguments": SEED},
        },
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "assess_risks", "arguments": {**SEED, "team_size": 0}},
        },
    ]
    work = tmp_path / "cwd"
    work.mkdir()
    # All requests at once, then stdin closes: every request is answered, then the server exits.
    proc = subprocess.run(
        [sys.executable, "-m", "syncsvc", "serve-mcp", "--verbose", "--log-format", "json"],
        input="".join(json.dumps(m) + "\n" for m in messages),
        capture_output=True,
        text=True,
        cwd=work,
        env={**CACHE, "PYTHONPATH": PACKAGE_ROOT, "HOME": str(work), "PATH": ""},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines, stderr = proc.stdout.splitlines(), proc.stderr
    replies = [json.loads(line) for line in lines]  # every stdout line is a protocol message
    assert all(r["jsonrpc"] == "2.0" for r in replies)
    by_id = {r["id"]: r for r in replies if "id" in r}
    assert set(by_id) == {1, 2, 3}
    assert by_id[2]["result"]["isError"] is False
    assert by_id[2]["result"]["structuredContent"]["plan_id"] == SEED_PLAN_ID
    assert by_id[3]["result"]["isError"] is True
    logs = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert any(entry.get("event") == "tool_call" for entry in logs)  # logs went to stderr
    assert list(work.iterdir()) == []


def test_the_cli_does_not_import_the_sdk_until_the_server_starts() -> None:
    code = "import sys, syncsvc.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'mcp'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**CACHE, "PYTHONPATH": PACKAGE_ROOT, "PATH": ""},
    ).stdout
    assert out.strip() == "[]"


def test_a_bug_in_planning_is_a_tool_error_and_the_server_keeps_serving(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """In-process through the server's own tools/call handler, with planning made to fail."""
    import mcp_types

    from syncsvc import mcp_server

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    handler = mcp_server.build_server(load_catalog()).get_request_handler("tools/call")
    assert handler is not None
    params = mcp_types.CallToolRequestParams(name="assess_risks", arguments=SEED)

    async def call() -> mcp_types.CallToolResult:
        result = await handler.handler(cast(Any, None), params)  # the context is not used
        assert isinstance(result, mcp_types.CallToolResult)
        return result

    monkeypatch.setattr(mcp_server, "plan_tool", broken)
    result = anyio.run(call)
    assert result.is_error
    assert "internal error in syncsvc (ZeroDivisionError: division by zero)" in result.content[0].text  # type: ignore[union-attr]
    assert any(r.exc_info and r.name == "syncsvc.mcp" for r in caplog.records)  # traceback logged
    monkeypatch.undo()
    result = anyio.run(call)
    assert not result.is_error and result.structured_content["plan_id"] == SEED_PLAN_ID


def test_readme_registers_the_server_with_a_valid_client_config() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## MCP server") :]
    section = section[: section.index("\n## ", 5)]
    snippet = section[section.index("```json") + len("```json") :]
    config = json.loads(snippet[: snippet.index("```")])
    server = config["mcpServers"]["syncsvc"]
    assert server["command"].endswith("syncsvc") and server["args"] == ["serve-mcp"]
    assert all(f"`{tool}`" in section for tool in TOOLS)


def test_a_config_catalog_folder_shapes_the_tools_and_the_resources(tmp_path: Path) -> None:
    from syncsvc.catalog.base import bundled_dir

    mine = tmp_path / "my-catalogs"
    mine.mkdir()
    phases = (bundled_dir() / "phases.toml").read_text(encoding="utf-8")
    mine.joinpath("phases.toml").write_text(
        phases.replace('name = "Canary (5% of users)"', 'name = "Early adopters (5%)"'), encoding="utf-8"
    )
    config = tmp_path / "syncsvc.toml"
    config.write_text(f'[catalog]\npath = "{mine.name}"\n', encoding="utf-8")

    async def check(session: ClientSession) -> None:
        md, _ = await _ok(session, "generate_timeline", **SEED)
        assert "Rollout: Early adopters (5%)" in md
        res = await session.read_resource("syncsvc://catalog/phases")
        assert "Early adopters (5%)" in res.contents[0].text  # type: ignore[union-attr]

    _with_server(tmp_path, check, "--config", str(config))


def test_a_bad_catalog_folder_exits_2_before_serving(tmp_path: Path) -> None:
    config = tmp_path / "syncsvc.toml"
    config.write_text('[catalog]\npath = "missing"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["serve-mcp", "--config", str(config)])
    assert result.exit_code == 2 and "catalog folder" in result.output


def _raw_server(tmp_path: Path, *, stdin: Any) -> subprocess.Popen[bytes]:
    work = tmp_path / "cwd"
    work.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "syncsvc", "serve-mcp"],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=work,
        env={**CACHE, "PYTHONPATH": PACKAGE_ROOT, "HOME": str(work), "PATH": ""},
    )


def test_a_malformed_line_gets_a_json_rpc_error_and_the_rest_are_served(tmp_path: Path) -> None:
    from mcp_types.version import LATEST_HANDSHAKE_VERSION

    lines = [
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": LATEST_HANDSHAKE_VERSION,
                    "capabilities": {},
                    "clientInfo": {"name": "t", "version": "0"},
                },
            }
        ),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": "bad"}),
        "this is not json",
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 3,
                "method": "tools/call",
                "params": {"name": "assess_risks", "arguments": SEED},
            }
        ),
    ]
    proc = _raw_server(tmp_path, stdin=subprocess.PIPE)
    out, err = proc.communicate(("\n".join(lines) + "\n").encode(), timeout=60)
    assert proc.returncode == 0, err
    replies = [json.loads(line) for line in out.decode().splitlines()]
    errors = {r["id"]: r["error"] for r in replies if "error" in r}
    assert errors[2]["code"] == -32600 and "params" in errors[2]["message"]
    assert errors[None]["code"] == -32700
    assert any(r.get("id") == 3 and r["result"]["isError"] is False for r in replies)


def test_in_a_terminal_it_says_what_it_waits_for_and_one_ctrl_c_stops_it(tmp_path: Path) -> None:
    import os
    import select
    import signal
    import time

    master, slave = os.openpty()
    proc = _raw_server(tmp_path, stdin=slave)
    os.close(slave)
    try:
        assert proc.stderr is not None
        ready, _, _ = select.select([proc.stderr], [], [], 30)  # said once planning is warm
        first = proc.stderr.readline().decode() if ready else "(nothing said in 30 s)"
        assert first.startswith("syncsvc serve-mcp: waiting for an MCP client on stdin"), first
        time.sleep(0.5)  # let the server reach its read of stdin
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130  # the first Ctrl-C, not a second one
        assert "Interrupted" in proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_traceback_the_tool_error_promises_is_in_the_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], log_format: str
) -> None:
    import logging

    import mcp_types

    from syncsvc import mcp_server
    from syncsvc.logs import setup_logging

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    setup_logging(verbose=False, log_format=log_format)  # as `serve-mcp` runs by default
    try:
        monkeypatch.setattr(mcp_server, "plan_tool", broken)
        handler = mcp_server.build_server(load_catalog()).get_request_handler("tools/call")
        assert handler is not None
        params = mcp_types.CallToolRequestParams(name="assess_risks", arguments=SEED)
        result = anyio.run(handler.handler, cast(Any, None), params)
        assert "the traceback is in the server's log" in result.content[0].text  # type: ignore
        err = capsys.readouterr().err
    finally:
        logging.getLogger().handlers.clear()
    if log_format == "json":
        (entry,) = [json.loads(line) for line in err.splitlines()]  # still one line
        assert entry["traceback"].startswith("Traceback (most recent call last):")
        assert "ZeroDivisionError: division by zero" in entry["traceback"]
    else:
        assert "Traceback (most recent call last):" in err
        assert "ZeroDivisionError: division by zero" in err


def test_the_tools_take_a_start_date_holidays_and_a_country(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from syncsvc.errors import SyncsvcError
    from syncsvc.mcp_server import plan_tool

    args = {
        "feature_name": "Notif",
        "description": "in-app notifications",
        "team_size": 4,
        "timeline": "8 weeks",
        "risk_tolerance": "medium",
        "format": "json",
        "start_date": "2027-11-15",
        "holidays": ["2027-11-26"],
        "country": "US",
    }
    _, data = plan_tool("generate_timeline", args, today=dt.date(2026, 11, 27))
    assert data["start_date"] == "2027-11-15"
    off = {"2027-11-25", "2027-11-26", "2027-12-24"}  # Thanksgiving (US), the given day, Xmas Eve
    assert not off & ({t["start"] for t in data["tasks"]} | {t["finish"] for t in data["tasks"]})
    try:
        plan_tool("generate_timeline", {**args, "country": "Atlantis"}, today=dt.date(2026, 11, 27))
    except SyncsvcError as e:
        assert str(e).startswith("country: ") and "Atlantis" in str(e)
    else:
        raise AssertionError("a bad country was accepted")
