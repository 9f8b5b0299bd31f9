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

from syncsvc.version import __version__

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
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
