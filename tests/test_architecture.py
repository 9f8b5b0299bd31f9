"""The layers hold: typer only in the CLI wing, the library never borrows from the CLI, the
library face is lazy and keyword-only, nothing reaches a submodule the face shadows, no import
cycle (imports inside functions count) and imports inside functions only at the seams that keep
start-up fast."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import syncsvc

PACKAGE = ROOT / "syncsvc"


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        out[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return out


def _imported(module: str, tree: ast.Module) -> set[str]:
    """Every module `module` imports, at the top or inside a function (relative ones resolved)."""
    names = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names |= {base} | {f"{base}.{a.name}" for a in node.names}
    return names


def test_typer_is_imported_only_under_syncsvc_cli() -> None:
    outside = sorted(
        m
        for m, tree in _modules().items()
        if not m.startswith("syncsvc.cli")
        and any(n == "typer" or n.startswith("typer.") for n in _imported(m, tree))
    )
    assert outside == []


def test_the_library_never_imports_the_cli() -> None:
    borrowing = sorted(
        m
        for m, tree in _modules().items()
        if not m.startswith("syncsvc.cli")
        and m != "syncsvc.__main__"  # `python -m syncsvc` is the command line
        and any(n.startswith("syncsvc.cli") for n in _imported(m, tree))
    )
    assert borrowing == []


def test_the_cli_loads_no_library_before_a_command_runs() -> None:
    """`syncsvc --help` stays fast: importing the CLI loads typer, its own modules and the plain
    quick-input table, not pydantic, the planning core or the remote adapters."""
    code = (
        "import sys, syncsvc.cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('syncsvc', 'pydantic', 'jira', 'gspread'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = eval(out)  # a list of module names
    assert [m for m in loaded if not m.startswith("syncsvc.cli")] == [
        "syncsvc",
        "syncsvc.inputs",
        "syncsvc.version",
    ]


def test_importing_syncsvc_is_cheap() -> None:
    code = (
        "import sys, syncsvc; "
        "print(sorted(m for m in ('pydantic', 'typer', 'syncsvc.api') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("name", syncsvc.__all__)
def test_every_name_of_the_library_face_resolves_and_is_documented(name: str) -> None:
    value = getattr(syncsvc, name)
    if name == "__version__":
        return
    assert inspect.getdoc(value), f"syncsvc.{name} has no docstring"
    if inspect.isfunction(value):
        params = list(inspect.signature(value).parameters.values())
        loose = [p.name for p in params[1:] if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        assert loose == [], f"syncsvc.{name}: options {loose} should be keyword-only"


def test_render_and_sync_are_the_functions_next_to_the_rendering_and_tracking_modules() -> None:
    import importlib

    importlib.import_module("syncsvc.rendering.markdown")
    importlib.import_module("syncsvc.tracking")
    from syncsvc import api

    assert syncsvc.render is api.render and syncsvc.sync is api.sync


def test_no_name_of_the_library_face_is_also_a_module_of_the_package() -> None:
    """A subpackage import sets the package's attribute of that name: `syncsvc.export` was the
    function until `syncsvc/export/` was imported (by the function itself), then the module."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir() if p.is_dir()}
    assert sorted(set(syncsvc.__all__) & modules) == []


def test_the_library_functions_stay_callable_after_their_modules_load(tmp_path: Path) -> None:
    code = (
        "import sys, syncsvc\n"
        f"for out in ({str(tmp_path / 'a')!r}, {str(tmp_path / 'b')!r}):\n"
        f"    syncsvc.export({str(ROOT / 'examples' / 'notifications-center.toml')!r}, out=out)\n"
        "print(callable(syncsvc.export), callable(syncsvc.render), callable(syncsvc.sync))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "True"]
    assert (tmp_path / "b" / "plan.json").read_bytes() == (tmp_path / "a" / "plan.json").read_bytes()


def test_no_module_global_catalog_in_the_mcp_server() -> None:
    tree = _modules()["syncsvc.mcp_server"]
    assigned = [
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name) and "CATALOG" in t.id.upper()
    ]
    assert assigned == []
    assert "catalog" in inspect.signature(__import__("syncsvc.mcp_server").mcp_server.build_server).parameters


def test_the_old_homes_of_the_commands_are_gone() -> None:
    # the commands live in syncsvc/cli/ only
    for old in (
        "cli.py",
        "clikit.py",
        "track.py",
        "jira/command.py",
        "sheets/command.py",
        "export/command.py",
    ):
        assert not (PACKAGE / old).exists(), old


# The modules that may import inside a function, and why. Everything else imports at the top.
LAZY_SEAMS = {
    # the CLI calling the library: `syncsvc --help` loads typer and the command table only
    "syncsvc.cli": "the library loads when a command runs",
    "syncsvc.inputs": "read by the CLI at --help; pydantic loads only when the model is built",
    "syncsvc.api": "the library face: each call loads only the remote it drives",
    "syncsvc.plans": "a planning command loads the config and the Markdown renderer on demand",
    # the engine opening an adapter (a remote or a heavy vendor library)
    "syncsvc.tracking": "opens the Jira and Sheets remotes it is configured for",
    "syncsvc.sheets.publish": "opens the gspread/google-auth adapter",
    "syncsvc.mcp_server": "the mcp SDK and anyio load when the server starts",
    "syncsvc.exporting.xlsx": "xlsxwriter loads when a workbook is written",
    # numpy (the Monte Carlo) loads when it runs: a planning command has switched the garbage
    # collector off by then, and importing numpy with it on costs create-rollout-plan ~30 ms
    "syncsvc.planning.confidence": "numpy and syncsvc.montecarlo load when the simulation runs",
    "syncsvc.forecast": "numpy and syncsvc.montecarlo load when the simulation runs",
    "syncsvc.publicholidays": "the holidays package (~0.1 s) loads only when a country is named",
}


def _in_seams(module: str) -> bool:
    return any(module == s or module.startswith(s + ".") for s in LAZY_SEAMS)


def _inner_imports(tree: ast.Module) -> list[str]:
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for s in ast.walk(node):
                if isinstance(s, ast.Import | ast.ImportFrom):
                    found[(s.lineno, s.col_offset)] = f"line {s.lineno}: {ast.unparse(s)}"
    return [found[k] for k in sorted(found)]


def test_imports_inside_functions_only_at_the_seams() -> None:
    outside = {
        m: inner for m, tree in _modules().items() if not _in_seams(m) and (inner := _inner_imports(tree))
    }
    assert outside == {}, "import at the module top (or add the module to LAZY_SEAMS, saying why)"


def test_every_seam_names_a_module() -> None:
    modules = _modules()
    assert [s for s in LAZY_SEAMS if s not in modules] == []


def _graph(modules: dict[str, ast.Module]) -> dict[str, set[str]]:
    """Module -> the syncsvc modules it imports (anywhere in it, TYPE_CHECKING blocks excepted)."""
    graph: dict[str, set[str]] = {}
    for m, tree in modules.items():
        typing_only = {
            id(s)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)
            for s in ast.walk(node)
        }
        imports: list[ast.stmt] = [
            s
            for s in ast.walk(tree)
            if isinstance(s, ast.Import | ast.ImportFrom) and id(s) not in typing_only
        ]
        edges = set()
        for name in _imported(m, ast.Module(body=imports, type_ignores=[])):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != m:
                edges.add(name)
        graph[m] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    assert _cycles(_graph(_modules())) == []


def test_the_cycle_check_finds_a_cycle_through_a_function() -> None:
    modules = {
        "syncsvc.a": ast.parse("from syncsvc.b import x\n"),
        "syncsvc.b": ast.parse("def f():\n    from syncsvc import a\n"),
        "syncsvc.c": ast.parse(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from syncsvc.a import y\n"
        ),
        "syncsvc": ast.parse(""),
    }
    assert _cycles(_graph(modules)) == [["syncsvc.a", "syncsvc.b"]]


def test_the_seam_check_sees_an_import_in_a_nested_function() -> None:
    tree = ast.parse("def f():\n    def g():\n        import json\n    return g\n")
    assert _inner_imports(tree) == ["line 3: import json"]
