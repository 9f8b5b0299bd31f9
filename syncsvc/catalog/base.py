"""Catalog models, where the catalog files are, and loading one into its model."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from syncsvc.errors import ConfigError
from syncsvc.tomlmodel import load_toml

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V")


class CatalogModel(BaseModel):
    """Base of every catalog model: frozen, unknown keys refused, numbers finite (a `nan`
    threshold would be written into the plan's JSON and the Sheets request as invalid JSON)."""

    # validators built at the first validation, not at import: a start that reads the catalogs
    # from the compiled cache (catalog/cache.py) builds none of them
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class Recent(Generic[V]):
    """The value last worked out for one owner (a catalog, its lexicon...) and key (a feature's
    texts): quick mode and a warm MCP server read the same feature several times in a row. It
    holds the owner, so a freed owner's id is never taken for another's, and keeps the last
    (owner, key, value) as one tuple, so a reader in another thread sees one whole entry."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: tuple[object, object, V] | None = None

    def get(self, owner: object, key: object, make: Callable[[], V]) -> V:
        last = self._last
        if last is not None and last[0] is owner and last[1] == key:
            return last[2]
        value = make()
        self._last = (owner, key, value)
        return value


def bundled_dir() -> Path:
    """The catalogs shipped with syncsvc (inside the wheel, or mappings/ in a checkout)."""
    try:
        return Path(str(resources.files("syncsvc.mappings")))
    except ModuleNotFoundError:  # running from a source checkout without installing
        return Path(__file__).resolve().parents[2] / "mappings"


def find_file(name: str, folder: Path | None) -> Path:
    """`name` in the user's catalog folder when it has one, else the bundled file."""
    if folder is not None:
        mine = folder / name
        if mine.is_file():
            return mine
    return bundled_dir() / name


MAX_CATALOG_BYTES = 8 * 1024 * 1024


def load_model(
    path: Path,
    model: type[M],
    *,
    label: str | None = None,
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> M:
    """Read, parse and validate one catalog file; errors name the file, the line, the key path
    and what is wrong (`label`: how messages name the file, `folder/file.toml` by default;
    `prepare`: applied to the parsed table first)."""

    def prepared(data: dict[str, Any]) -> dict[str, Any]:
        return _interned(prepare(data) if prepare is not None else data)

    return load_toml(
        path,
        model,
        label=label or f"{path.parent.name}/{path.name}",
        what="catalog",
        limit=MAX_CATALOG_BYTES,
        error=ConfigError,
        prepare=prepared,
    )


def _interned(value: Any) -> Any:
    """`value` (a parsed TOML table) with each text one shared object per distinct text: the
    catalogs repeat the same ids, levels and keywords thousands of times, and the compiled
    catalog cache then stores (and loads) each once (~10% of its size and load time)."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, dict):
        return {sys.intern(k): _interned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interned(v) for v in value]
    return value


# A `{name}` in a catalog text; other braces (JSON, shell, TOML examples) are text.
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_ -]*)\}")


def fill(text: str, values: Mapping[str, str] | None = None, /, **more: str) -> str:
    """`text` with each `{name}` given (in `values` or as keywords) replaced; any other brace
    stays as written."""
    given = {**(values or {}), **more}
    return _PLACEHOLDER.sub(lambda m: given.get(m.group(1), m.group(0)), text)


def check_placeholders(text: str, allowed: frozenset[str]) -> str:
    """`text` when every `{name}` in it is one of `allowed`, else a ValueError naming the first
    unknown one (a validator of catalog texts)."""
    unknown = [m for m in _PLACEHOLDER.findall(text) if m not in allowed]
    if unknown:
        raise ValueError(
            f"unknown placeholder {{{unknown[0]}}} (allowed: "
            + ", ".join(f"{{{p}}}" for p in sorted(allowed))
            + ")"
        )
    return text
