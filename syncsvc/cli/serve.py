"""`syncsvc serve-mcp`: the MCP server on stdio (the `mcp` SDK loads only when it starts)."""

from __future__ import annotations

from syncsvc.cli.options import ConfigOpt, LogFormat, LogFormatOpt, VerboseOpt, run


def serve_command(
    config: ConfigOpt = None,
    verbose: VerboseOpt = False,
    log_format: LogFormatOpt = LogFormat.text,
) -> None:
    """MCP server on stdio with the five planning tools, a workflow prompt and the catalogs.

    Register it in an MCP client (Claude Desktop, an IDE) as the command `syncsvc serve-mcp`.
    Logs go to stderr; stdout carries only protocol messages. It stops when stdin closes.

    Example: syncsvc serve-mcp --verbose
    """

    def body() -> None:
        from syncsvc.catalog import load_catalog
        from syncsvc.config import load_config
        from syncsvc.mcp_server import serve

        # a bad config or catalog folder: exit 2 before serving
        folder = load_config(config).catalog_dir() if config is not None else None
        serve(load_catalog(folder))

    run(body, verbose=verbose, log_format=log_format.value)
