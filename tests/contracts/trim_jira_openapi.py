"""Trim Atlassian's Jira platform OpenAPI file to the operations syncsvc calls (for the fake Jira).

Usage: python tests/contracts/trim_jira_openapi.py PATH/TO/jira-platform.v3.openapi.json
Writes tests/contracts/jira-openapi.trimmed.json next to this script: the kept paths with only the
kept operations, and every component schema they reference (followed transitively).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The operations the Jira adapter calls, by operationId.
KEEP = {
    "getServerInfo",
    "getFields",
    "createIssues",
    "editIssue",
    "getIssue",
    "linkIssues",
    "deleteIssueLink",
    "searchAndReconsileIssuesUsingJql",
    "searchForIssuesUsingJql",
    "getProject",
    "getAllProjects",
    "setIssueProperty",
    "getIssueProperty",
    # pull: statuses and changelogs read in bulk
    "getStatuses",
    "bulkFetchIssues",
    "getBulkChangelogs",
    "getChangeLogs",
}
OUT = Path(__file__).with_name("jira-openapi.trimmed.json")


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for v in node.values():
            _refs(v, found)
    elif isinstance(node, list):
        for v in node:
            _refs(v, found)


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    """The kept operations and the schemas they reach."""
    paths: dict[str, Any] = {}
    for path, ops in spec["paths"].items():
        kept = {m: op for m, op in ops.items() if isinstance(op, dict) and op.get("operationId") in KEEP}
        if kept:
            for op in kept.values():
                op.pop("x-atlassian-connect-scope", None)
                op.pop("x-atlassian-oauth2-scopes", None)
                op.pop("x-experimental", None)
            paths[path] = kept
    schemas = spec["components"]["schemas"]
    need: set[str] = set()
    _refs(paths, need)
    todo = list(need)
    while todo:
        name = todo.pop()
        more: set[str] = set()
        _refs(schemas[name], more)
        for m in more - need:
            need.add(m)
            todo.append(m)
    return {
        "openapi": spec["openapi"],
        "info": {
            "title": spec["info"]["title"],
            "version": spec["info"]["version"],
            "x-trimmed": sorted(KEEP),
        },
        "paths": paths,
        "components": {"schemas": {k: schemas[k] for k in sorted(need)}},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(trim(spec), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
