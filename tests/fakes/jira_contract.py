"""Check requests to (and answers of) the fake Jira against the trimmed Jira OpenAPI file."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPEC_FILE = Path(__file__).resolve().parents[1] / "contracts" / "jira-openapi.trimmed.json"
_ROOT = "urn:jira-openapi"


def _nullable(node: Any) -> Any:
    # OpenAPI 3.0 `nullable: true` is JSON Schema's type [t, "null"].
    if isinstance(node, dict):
        out = {k: _nullable(v) for k, v in node.items()}
        if out.pop("nullable", False) and "type" in out:
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    return node


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    op: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.op["operationId"])


class Contract:
    """The operations of the trimmed file; `check_request`/`check_response` list violations."""

    def __init__(self, path: Path = SPEC_FILE) -> None:
        spec = _nullable(json.loads(path.read_text(encoding="utf-8")))
        self._registry = Registry().with_resource(
            _ROOT, Resource.from_contents(spec, default_specification=DRAFT7)
        )
        self.ops: list[Operation] = []
        for template, ops in spec["paths"].items():
            rx = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template)) + "$"
            for method, op in ops.items():
                self.ops.append(Operation(method.upper(), template, re.compile(rx), op))
        # literal paths before templated ones (issue/bulk before issue/{issueIdOrKey})
        self.ops.sort(key=lambda o: o.template.count("{"))

    def find(self, method: str, path: str) -> Operation | None:
        v3 = re.sub(r"^/rest/api/(2|latest)/", "/rest/api/3/", path)
        for o in self.ops:
            if o.method == method and o.pattern.match(v3):
                return o
        return None

    def _validate(self, schema: dict[str, Any], value: Any, where: str) -> list[str]:
        v = Draft7Validator(schema, registry=self._registry)
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in v.iter_errors(value)
        ]

    def check_request(
        self, method: str, path: str, params: dict[str, list[str]], body: Any
    ) -> tuple[Operation | None, list[str]]:
        o = self.find(method, path)
        if o is None:
            return None, [f"{method} {path}: no such operation in the contract"]
        bad: list[str] = []
        known = {p["name"]: p for p in o.op.get("parameters", []) if p.get("in") == "query"}
        for name in params:
            if name not in known:
                bad.append(f"{o.id}: unknown query parameter {name!r}")
        for name, p in known.items():
            if p.get("required") and name not in params:
                bad.append(f"{o.id}: missing required query parameter {name!r}")
        rb = o.op.get("requestBody")
        if rb is not None:
            schema = rb.get("content", {}).get("application/json", {}).get("schema")
            if body is None and rb.get("required"):
                bad.append(f"{o.id}: request body required")
            elif schema is not None and body is not None:
                bad += self._validate(_anchor(schema), body, f"{o.id} request")
        elif body is not None:
            bad.append(f"{o.id}: takes no request body")
        return o, bad

    def check_response(self, o: Operation, status: int, body: Any) -> list[str]:
        resp = o.op.get("responses", {}).get(str(status))
        if resp is None:
            return [f"{o.id}: status {status} is not a documented answer"]
        schema = (resp.get("content") or {}).get("application/json", {}).get("schema")
        if schema is None or body is None:
            return []
        return self._validate(_anchor(schema), body, f"{o.id} {status} answer")


def _anchor(schema: dict[str, Any]) -> dict[str, Any]:
    # Refs inside operation schemas are "#/components/...": resolve them against the whole file.
    return {"$id": f"{_ROOT}-op", "allOf": [_rebase(schema)]}


def _rebase(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (f"{_ROOT}{v}" if k == "$ref" and isinstance(v, str) and v.startswith("#") else _rebase(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


@lru_cache(maxsize=1)
def contract() -> Contract:
    return Contract()
