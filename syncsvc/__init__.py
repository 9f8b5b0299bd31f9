"""syncsvc: turn a feature launch into a rollout plan and keep it alive in Jira and Sheets.

The library (the same functions the commands call)::

    import syncsvc

    spec = syncsvc.load_spec("examples/notifications-center.toml")
    plan = syncsvc.build_plan(spec)
    print(syncsvc.render(plan, part="assess-risks", format="md"))
    result = syncsvc.push("examples/notifications-center.toml", config="syncsvc.toml", dry_run=True)
    print(result.status, syncsvc.exit_code(result))

Names load on first use (PEP 562), so `import syncsvc` and `syncsvc --help` stay fast.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from syncsvc.api import (
        Recorded,
        build_plan,
        check_state,
        export,
        load_spec,
        publish,
        pull,
        push,
        record_baseline,
        render,
        sync,
    )
    from syncsvc.catalog import Catalog, load_catalog
    from syncsvc.errors import InputError, SyncsvcError
    from syncsvc.inputs import QuickInputs
    from syncsvc.model import Plan
    from syncsvc.results import Result, exit_code
    from syncsvc.spec import Spec

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load_spec",
    "build_plan",
    "render",
    "export",
    "push",
    "publish",
    "pull",
    "sync",
    "check_state",
    "record_baseline",
    "Recorded",
    "Result",
    "exit_code",
    "Spec",
    "Plan",
    "QuickInputs",
    "Catalog",
    "load_catalog",
    "SyncsvcError",
    "InputError",
]


# where each name of __all__ is defined, when not in syncsvc.api
_HOME = {
    "Result": "syncsvc.results",
    "exit_code": "syncsvc.results",
    "Spec": "syncsvc.spec",
    "Plan": "syncsvc.model",
    "QuickInputs": "syncsvc.inputs",
    "Catalog": "syncsvc.catalog",
    "load_catalog": "syncsvc.catalog",
    "SyncsvcError": "syncsvc.errors",
    "InputError": "syncsvc.errors",
}


def __getattr__(name: str) -> Any:
    if name not in __all__ or name.startswith("__"):
        raise AttributeError(f"module 'syncsvc' has no attribute {name!r}")
    value = getattr(import_module(_HOME.get(name, "syncsvc.api")), name)
    if name not in _SHADOWED:
        globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# `render` and `sync` are also the names of a subpackage and a module (syncsvc/render/,
# syncsvc/sync.py). Importing those sets the attribute of the same name on this package, which
# would hide the functions; these properties keep `syncsvc.render` and `syncsvc.sync` the
# functions (the submodules stay importable: `from syncsvc.render import markdown`).
_SHADOWED = ("render", "sync")


def _shadowed(name: str) -> property:
    def get(self: types.ModuleType) -> Any:
        return __getattr__(name)

    def ignore_submodule(self: types.ModuleType, value: Any) -> None:
        if not isinstance(value, types.ModuleType):
            raise AttributeError(f"syncsvc.{name} is the library function; it cannot be replaced")

    return property(get, ignore_submodule, doc=f"syncsvc.api.{name}")


class _Package(types.ModuleType):
    render = _shadowed("render")
    sync = _shadowed("sync")


sys.modules[__name__].__class__ = _Package
