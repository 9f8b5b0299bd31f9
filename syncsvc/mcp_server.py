"""The MCP server of `syncsvc serve-mcp`: the five planning tools, a workflow prompt and the
catalogs over MCP (stdio). `build_server(catalog)` makes it; `serve(catalog)` runs it on stdio.

The only module that imports the `mcp` SDK, and only when the server starts, so `syncsvc --help`
stays fast (the CLI imports this module only inside `serve-mcp`). Tool calls run the same pure
core as the CLI (spec → `build_plan` → render) and write nothing anywhere; a `SyncsvcError`
becomes a tool error carrying the message the CLI would print.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncsvc.catalog import Catalog, load_catalog
from syncsvc.catalog.base import bundled_dir
from syncsvc.collector import collector_paused
from syncsvc.errors import InputError, SpecError, SyncsvcError
from syncsvc.inputs import FIELDS, QUICK_INPUTS, input_properties, missing_inputs, spec_of_inputs
from syncsvc.model import PART_KEYS, shows_raci, to_json
from syncsvc.plans import adjusted, plan_of
from syncsvc.rendering.jsontext import json_text
from syncsvc.rendering.markdown import render_md
from syncsvc.specload import MAX_SPEC_BYTES, check_spec, parse_toml
from syncsvc.version import __version__

if TYPE_CHECKING:
    from mcp.server.lowlevel import Server

log = logging.getLogger("syncsvc.mcp")

# tool name -> (CLI command / JSON part, what it gives the assistant)
TOOLS: dict[str, tuple[str, str]] = {
    "assess_risks": (
        "assess-risks",
        "Risk matrix for a feature launch: each risk scored likelihood x impact (1-9), one named "
        "owner per risk, and a mitigation. Use it first: everything else is shaped by what could "
        "go wrong.",
    ),
    "map_stakeholders": (
        "map-stakeholders",
        "Stakeholders of the launch (first and second order), a RACI matrix with one Accountable "
        "per task, conflict flags, and a communication plan by audience.",
    ),
    "generate_timeline": (
        "generate-timeline",
        "Dependency-aware timeline: phases, tasks, dependencies, buffers (20% on the critical "
        "path, 30% on high-risk work), the critical path, and whether it fits the deadline.",
    ),
    "build_rollback_plan": (
        "build-rollback-plan",
        "Rollback plan: deployment type, measurable triggers, decision maker, step-by-step "
        "procedure with timings, verification, and the '2am test' findings.",
    ),
    "create_rollout_plan": (
        "create-rollout-plan",
        "The whole rollout plan in one document (risks, stakeholders and RACI, timeline, rollout "
        "phases, rollback, communication). Good for a quick first draft to share.",
    ),
}
CALENDAR_INPUTS = ("start_date", "holidays", "country")
_ARGUMENTS = (*FIELDS, *CALENDAR_INPUTS, "spec_toml", "format")
_HOW = (
    f" Give either the five inputs ({', '.join(QUICK_INPUTS)}) or a whole spec as spec_toml. "
    "Returns Markdown (or JSON with format='json') as text, and the JSON object as structured "
    "content."
)
RESOURCE_PREFIX = "syncsvc://catalog/"
_RESOURCE_NOT_FOUND = -32002  # the MCP specification's code for an unknown resource URI
_DRAIN_SECONDS = 30.0  # after stdin ends, how long requests already read may take to finish

# The seed course's six-step workflow: (title, tool, what to do and look for).
WORKFLOW: tuple[tuple[str, str | None, str], ...] = (
    (
        "Load context",
        None,
        "Read what the user has about the feature: the PRD, architecture notes, past incident "
        'reports. Settle the five inputs: feature_name, description, team_size, timeline ("6 '
        'weeks") and risk_tolerance (low, medium or high). If the user has named people, tasks, '
        "risks or rollback triggers, write them into a spec and pass it as spec_toml.",
    ),
    (
        "Risk assessment",
        "assess_risks",
        "Generate the risk matrix. Review and prioritise it, high x high first. Every top risk "
        'needs one named owner: "the team" owns nothing. Turn mitigations into tasks of the '
        "plan (a spec risk's mitigation_task).",
    ),
    (
        "Stakeholder mapping",
        "map_stakeholders",
        "Map every stakeholder, and do not forget the second-order ones (support, security, "
        "legal, sales). Check the RACI matrix (one Accountable per row), review the conflict "
        "flags with the user, and agree the communication plan by audience.",
    ),
    (
        "Timeline",
        "generate_timeline",
        "Check the phases and their tasks, the dependencies and the critical path. Buffers: 20% "
        "minimum on the critical path, 30% on high-risk work. If the plan does not fit the "
        "deadline, say which tasks overrun and what could move.",
    ),
    (
        "Rollback plan",
        "build_rollback_plan",
        "Choose the deployment type, write specific triggers (metric, threshold, time window), "
        "document the step-by-step procedure and the decision maker, and apply the 2am test: "
        "could an on-call engineer run it at 2am?",
    ),
    (
        "Full plan",
        "create_rollout_plan",
        "Generate the complete plan, review it for completeness with the user, and suggest "
        "sharing it with the stakeholders for feedback.",
    ),
)


def input_schema() -> dict[str, Any]:
    """The JSON Schema of every tool's arguments: the quick inputs (from their model, the same
    as the CLI's options), a whole spec, the calendar and the format."""

    return {
        "type": "object",
        "properties": {
            **input_properties(),
            "spec_toml": {
                "type": "string",
                "maxLength": MAX_SPEC_BYTES,
                "description": "Optional: a whole syncsvc spec as TOML text (team, tasks, risks, "
                "stakeholders, rollback). When given it wins over the five inputs, "
                "which may then be left out.",
            },
            "start_date": {
                "type": "string",
                "format": "date",
                "description": "Optional: the plan's first working day, YYYY-MM-DD (default: the "
                "spec's, else next Monday).",
            },
            "holidays": {
                "type": "array",
                "items": {"type": "string", "format": "date"},
                "maxItems": 5000,
                "description": "Optional: non-working days (YYYY-MM-DD), added to the spec's.",
            },
            "country": {
                "type": "string",
                "maxLength": 10,
                "description": "Optional: skip this "
                "country's public holidays too (ISO code like US, GB, DE-BY).",
            },
            "format": {
                "type": "string",
                "enum": ["md", "json"],
                "default": "md",
                "description": "The text content: Markdown (md) or the JSON object.",
            },
        },
        "additionalProperties": False,
    }


def output_schema(part: str) -> dict[str, Any]:
    """The JSON Schema of a tool's structured content: CONTRACT §4's keys for its part."""

    array, obj = {"type": "array"}, {"type": "object"}
    date = {"type": "string", "format": "date"}
    types = {
        "risks": array,
        "stakeholders": array,
        "raci": array,
        "conflicts": array,
        "communication_plan": array,
        "phases": array,
        "tasks": array,
        "critical_path": array,
        "rollback": obj,
        "start_date": date,
        "deadline": date,
        "finish_date": date,
        "fits_timeline": {"type": "boolean"},
    }
    keys = (
        [k for p in PART_KEYS.values() for k in p] if part == "create-rollout-plan" else list(PART_KEYS[part])
    )
    required = ["schema", "plan_id", *dict.fromkeys(keys), "findings"]
    props = {
        "schema": {"type": "string"},
        "plan_id": {"type": "string"},
        "findings": array,
        **{k: types.get(k, {}) for k in keys},
    }
    return {"type": "object", "properties": props, "required": required}


def plan_tool(
    name: str, arguments: dict[str, Any] | None, *, today: dt.date, catalog: Catalog | None = None
) -> tuple[str, Any]:
    """Run one planning tool with `catalog` (default: the bundled catalogs): (text content,
    structured content), or a `SyncsvcError`."""

    part = TOOLS[name][0]
    args = dict(arguments or {})
    unknown = sorted(set(args) - set(_ARGUMENTS))
    if unknown:
        raise InputError(
            f"{name}: unknown argument {unknown[0]!r}", hint="the arguments are " + ", ".join(_ARGUMENTS)
        )
    fmt = args.get("format") or "md"
    if fmt not in ("md", "json"):
        raise InputError(f"format: must be 'md' or 'json' (got {fmt!r})")
    spec = _spec(args, today=today)
    kinds = args.get("change_types")
    if kinds is not None and (not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds)):
        raise InputError("change_types: must be a list of change-profile ids")
    calendar = {k: args.get(k) for k in CALENDAR_INPUTS}
    if calendar["holidays"] is not None and not isinstance(calendar["holidays"], list):
        raise InputError("holidays: must be a list of dates (YYYY-MM-DD)")
    spec = adjusted(spec, change_types=kinds, calendar=calendar, names=CALENDAR_INPUTS)
    if catalog is None:
        catalog = load_catalog()
    with collector_paused(age=False):  # a plan makes many objects and next to no cycles
        plan = plan_of(
            spec, catalog, with_confidence=part == "create-rollout-plan", with_raci=shows_raci(part)
        )
        data = to_json(plan, part)
        text = render_md(plan, part) if fmt == "md" else json_text(data)
    return text, data


def _spec(args: dict[str, Any], *, today: dt.date) -> Any:

    source = args.get("spec_toml")
    if source is not None:
        if not isinstance(source, str):
            raise SpecError(f"spec_toml: must be the spec as TOML text (got {type(source).__name__})")
        if len(source.encode("utf-8", "surrogatepass")) > MAX_SPEC_BYTES:
            raise SpecError(f"spec_toml: a spec may be at most {MAX_SPEC_BYTES // 2**20} MB")
        if not source.strip():
            raise SpecError(
                "spec_toml: the text is empty",
                hint="a spec needs at least feature_name, description, team_size, "
                "timeline and risk_tolerance",
            )
        text = source.removeprefix("\ufeff")
        return check_spec(parse_toml(text, label="spec_toml"), label="spec_toml", today=today, source=text)
    missing = missing_inputs(args)
    if missing:
        raise SpecError(
            "no spec_toml given, and the quick inputs are incomplete: missing " + ", ".join(missing),
            hint=f"pass all five inputs ({', '.join(QUICK_INPUTS)}) or a whole spec as spec_toml",
        )
    return spec_of_inputs(args, today=today)


def catalog_files(folder: Path | None = None) -> dict[str, Path]:
    """The catalogs (mappings/*.toml) by resource URI: the bundled ones, each replaced by the
    file of the same name in `folder` (the config's catalog folder) when there is one."""

    files = {p.name: p for p in sorted(bundled_dir().glob("*.toml"))}
    if folder is not None:
        files.update({p.name: p for p in sorted(folder.glob("*.toml")) if p.name in files})
    return {RESOURCE_PREFIX + Path(name).stem: p for name, p in sorted(files.items())}


def workflow_prompt(feature_name: str | None = None, context: str | None = None) -> str:
    """The text of the `rollout_workflow` prompt: the seed's six steps, tool by tool."""
    about = f" for {feature_name.strip()}" if feature_name and feature_name.strip() else ""
    lines = [
        f"Help me build a rollout plan{about} with the syncsvc tools, in six steps. After "
        "each step, show me the result, point out what needs my decision, and wait for "
        "me before going on.",
        "",
    ]
    if context and context.strip():
        lines += ["Context from me:", context.strip(), ""]
    for n, (title, tool, what) in enumerate(WORKFLOW, 1):
        lines.append(f"{n}. {title}" + (f" (tool `{tool}`)" if tool else "") + f": {what}")
    lines += [
        "",
        "Call every tool with the same five inputs (or the same spec_toml), so the "
        "parts fit together. The catalogs the tools draw on are readable as resources ("
        f"{RESOURCE_PREFIX}risks, {RESOURCE_PREFIX}stakeholders, {RESOURCE_PREFIX}phases,"
        f" {RESOURCE_PREFIX}rollback, {RESOURCE_PREFIX}tasks). A plan is a living "
        "document: rerun the tools after scope, team or dependency changes.",
    ]
    return "\n".join(lines)


def build_server(catalog: Catalog) -> Server:
    """The MCP server planning with `catalog` (its folder's files are the resources): the tools,
    the `rollout_workflow` prompt and the catalogs as resources. Nothing global: two servers
    with two catalogs can live in one process."""
    import anyio.to_thread
    import mcp_types as types
    from mcp.server.lowlevel import Server
    from mcp.shared.exceptions import MCPError

    schema = input_schema()
    read_only = types.ToolAnnotations(
        read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    )
    tools = [
        types.Tool(
            name=name,
            description=desc + _HOW,
            input_schema=schema,
            output_schema=output_schema(part),
            annotations=read_only,
        )
        for name, (part, desc) in TOOLS.items()
    ]

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        if params.name not in TOOLS:
            raise MCPError(
                types.INVALID_PARAMS, f"unknown tool {params.name!r}; the tools are " + ", ".join(TOOLS)
            )
        started = time.perf_counter()
        try:
            text, data = await anyio.to_thread.run_sync(
                lambda: plan_tool(params.name, params.arguments, today=dt.date.today(), catalog=catalog)
            )
        except SyncsvcError as e:
            log.info("%s refused: %s", params.name, e.message, extra={"event": "tool_error"})
            return _tool_error(str(e))
        except Exception as e:  # a bug: its traceback goes to the log, the server keeps serving
            log.exception("%s failed", params.name, extra={"event": "tool_bug"})
            return _tool_error(
                f"internal error in syncsvc ({type(e).__name__}: {e}); this is a "
                "bug, the traceback is in the server's log (stderr)"
            )
        log.debug(
            "%s answered in %.0f ms",
            params.name,
            (time.perf_counter() - started) * 1e3,
            extra={"event": "tool_call", "plan_id": data.get("plan_id")},
        )
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)], structured_content=data
        )

    def _tool_error(message: str) -> types.CallToolResult:
        return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(
            resources=[
                types.Resource(
                    uri=uri,
                    name=f"catalog-{p.stem}",
                    title=f"Catalog: {p.stem}",
                    description=f"The bundled catalog {p.name} the planning tools draw on (read-only).",
                    mime_type="application/toml",
                )
                for uri, p in catalog_files(catalog.folder).items()
            ]
        )

    async def read_resource(ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        path = catalog_files(catalog.folder).get(str(params.uri))
        if path is None:
            raise MCPError(
                _RESOURCE_NOT_FOUND,
                f"unknown resource {params.uri!r}; the catalogs "
                f"are {RESOURCE_PREFIX}<name>, listed by resources/list",
            )
        return types.ReadResourceResult(
            contents=[
                types.TextResourceContents(
                    uri=str(params.uri), mime_type="application/toml", text=path.read_text(encoding="utf-8")
                )
            ]
        )

    prompt = types.Prompt(
        name="rollout_workflow",
        title="Rollout plan workflow",
        description="Walks through the six-step workflow: context, assess_risks, "
        "map_stakeholders, generate_timeline, build_rollback_plan, create_rollout_plan.",
        arguments=[
            types.PromptArgument(name="feature_name", required=False, description="What you are launching."),
            types.PromptArgument(
                name="context", required=False, description="PRD notes, architecture, past incidents."
            ),
        ],
    )

    async def list_prompts(ctx: Any, params: Any) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=[prompt])

    async def get_prompt(ctx: Any, params: types.GetPromptRequestParams) -> types.GetPromptResult:
        if params.name != prompt.name:
            raise MCPError(
                types.INVALID_PARAMS, f"unknown prompt {params.name!r}; the prompt is {prompt.name!r}"
            )
        args = params.arguments or {}
        text = workflow_prompt(args.get("feature_name"), args.get("context"))
        return types.GetPromptResult(
            description=prompt.description,
            messages=[types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))],
        )

    return Server(
        "syncsvc",
        version=__version__,
        title="syncsvc rollout planning",
        instructions="Rollout planning for feature launches. Start with the rollout_workflow "
        "prompt, or call create_rollout_plan for a first draft, then the single tools to go "
        "deeper. The tools only compute: they write nothing and call no remote service.",
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
        on_list_prompts=list_prompts,
        on_get_prompt=get_prompt,
    )


def serve(catalog: Catalog) -> None:
    """Serve on stdio until stdin closes: warm the planning core up first (so the first tool
    call is as fast as the rest), then answer; one Ctrl-C stops it at once (exit 130)."""
    import anyio

    _warm_up(catalog)
    if sys.stdin.isatty():  # a person ran it by hand: say what it is waiting for
        print(
            "syncsvc serve-mcp: waiting for an MCP client on stdin (JSON-RPC, one message "
            "a line). Register it in your MCP client instead of running it here; Ctrl-C "
            "stops it.",
            file=sys.stderr,
            flush=True,
        )
    signal.signal(signal.SIGINT, _stop_at_once)
    anyio.run(_serve, catalog)


async def _serve(catalog: Catalog) -> None:
    import anyio
    from mcp.server.stdio import stdio_server

    server = build_server(catalog)
    async with stdio_server() as (stdin, stdout), anyio.create_task_group() as tg:
        read_stream, write_stream = _answer_before_eof(tg, stdin, stdout)
        log.debug("serving on stdio", extra={"event": "start"})
        await server.run(read_stream, write_stream, server.create_initialization_options())
    log.debug("stdin closed; stopping", extra={"event": "stop"})


def _answer_before_eof(tg: Any, stdin: Any, stdout: Any) -> tuple[Any, Any]:
    """Streams between stdio and the server that hold stdin's end back until every request read
    has been answered (at most `_DRAIN_SECONDS`). The SDK cancels requests in flight at EOF; this
    lets `printf '<requests>' | syncsvc serve-mcp` get all its answers, then exit."""
    import anyio
    from mcp.shared.message import SessionMessage
    from mcp_types import JSONRPCError, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse

    pending: set[str | int] = set()
    in_send, in_receive = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    out_send, out_receive = anyio.create_memory_object_stream[SessionMessage](0)
    direct = out_send.clone()  # our own sender, for the answers to lines that are not messages

    async def relay_in() -> None:
        async with in_send, stdin, direct:
            async for item in stdin:
                if isinstance(item, Exception):  # not JSON-RPC: answer it here, never silence
                    await direct.send(SessionMessage(bad_message_answer(item)))
                    continue
                message = item.message if isinstance(item, SessionMessage) else None
                if isinstance(message, JSONRPCRequest):
                    pending.add(message.id)
                elif isinstance(message, JSONRPCNotification) and message.method == "notifications/cancelled":
                    pending.discard((message.params or {}).get("requestId"))  # no answer due
                await in_send.send(item)
            with anyio.move_on_after(_DRAIN_SECONDS):
                while pending:
                    await anyio.sleep(0.01)

    async def relay_out() -> None:
        async with out_receive, stdout:
            async for message in out_receive:
                if isinstance(message.message, JSONRPCResponse | JSONRPCError):
                    pending.discard(message.message.id)
                await stdout.send(message)

    tg.start_soon(relay_in)
    tg.start_soon(relay_out)
    return in_receive, out_send


def bad_message_answer(exc: Exception) -> Any:
    """The JSON-RPC error for a line that is not a valid message: -32700 for text that is not
    JSON (id null), -32600 for a request of the wrong shape (with its id when it has one)."""
    from mcp_types import INVALID_REQUEST, PARSE_ERROR, ErrorData, JSONRPCError

    errors = exc.errors() if hasattr(exc, "errors") else []
    if not errors or any(e.get("type") == "json_invalid" for e in errors):
        log.info("answered a line that is not JSON", extra={"event": "bad_message"})
        return JSONRPCError(
            jsonrpc="2.0", id=None, error=ErrorData(code=PARSE_ERROR, message="Parse error: not JSON")
        )
    raw: dict[str, Any] = next((e["input"] for e in errors if isinstance(e.get("input"), dict)), {})
    rid = raw.get("id")
    rid = rid if isinstance(rid, str) or (isinstance(rid, int) and not isinstance(rid, bool)) else None
    where = next(
        (
            ".".join(str(p) for p in e["loc"][1:])
            for e in errors
            if e["loc"] and e["loc"][0] == "JSONRPCRequest" and len(e["loc"]) > 1
        ),
        "",
    )
    detail = (
        f" ({where}: {next(e['msg'] for e in errors if e['loc'][1:2] == (where,))})"
        if where and "." not in where
        else ""
    )
    log.info("answered a malformed request%s", detail, extra={"event": "bad_message"})
    return JSONRPCError(
        jsonrpc="2.0",
        id=rid,
        error=ErrorData(
            code=INVALID_REQUEST,
            message="Invalid request: not a JSON-RPC 2.0 message of the MCP schema" + detail,
        ),
    )


def _warm_up(catalog: Catalog | None = None) -> None:
    """Import the planning core and plan once, so the first tool call is as fast as the rest."""

    try:
        plan_tool(
            "create_rollout_plan",
            {
                "feature_name": "warm-up",
                "description": "warm-up",
                "team_size": 1,
                "timeline": "2 weeks",
                "risk_tolerance": "medium",
            },
            today=dt.date.today(),
            catalog=catalog,
        )
    except SyncsvcError as e:  # e.g. a broken catalog: every call will report it as a tool error
        log.warning("planning is not ready: %s", e.message)
    except Exception:  # a bug in planning: keep its traceback, and still serve the rest
        log.exception("planning failed on the warm-up call")


def _stop_at_once(signum: int, frame: Any) -> None:
    # The SDK reads stdin in a worker thread blocked in read(): asyncio's own Ctrl-C handling
    # cancels the server and then waits for that thread (a second Ctrl-C, or Enter). The tools
    # write nothing anywhere, so there is nothing to finish: leave at once.
    sys.stdout.flush()
    print("Interrupted: stopped by Ctrl-C", file=sys.stderr, flush=True)
    os._exit(130)
