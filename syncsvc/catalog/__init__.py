"""The catalogs syncsvc plans from: bundled in mappings/, or a user's own folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from syncsvc.catalog.base import CatalogModel, bundled_dir, find_file, load_model
from syncsvc.catalog.cache import compiled
from syncsvc.catalog.changes import ChangeCatalog, load_changes
from syncsvc.catalog.conditions import Condition
from syncsvc.catalog.phases import PhaseCatalog
from syncsvc.catalog.risks import RiskCatalog
from syncsvc.catalog.rollback import RollbackCatalog
from syncsvc.catalog.stakeholders import StakeholderCatalog
from syncsvc.catalog.tasks import TaskCatalog
from syncsvc.catalog.textmatch import Lexicon
from syncsvc.errors import ConfigError

__all__ = ["Catalog", "bundled_dir", "load_catalog"]


@dataclass(frozen=True)
class Catalog:
    """Every catalog a plan is built from."""

    phases: PhaseCatalog
    tasks: TaskCatalog
    risks: RiskCatalog
    stakeholders: StakeholderCatalog
    rollback: RollbackCatalog
    changes: ChangeCatalog
    folder: Path | None = None

    @cached_property
    def condition_lexicon(self) -> Lexicon:
        """Every keyword a condition of these catalogs searches by the keyword rule (risk
        triggers and adjustments, the profiles' rollout and rollback variants and triggers...),
        compiled once (kept in the compiled catalog cache): a `Situation` with it looks each
        up in one pass over the text's words."""
        parts = (self.phases, self.tasks, self.risks, self.stakeholders, self.rollback, self.changes)
        return Lexicon(dict.fromkeys(kw for part in parts for kw in _condition_keywords(part)))


FILES: dict[str, tuple[str, type[CatalogModel]]] = {
    "phases": ("phases.toml", PhaseCatalog),
    "tasks": ("tasks.toml", TaskCatalog),
    "risks": ("risks.toml", RiskCatalog),
    "stakeholders": ("stakeholders.toml", StakeholderCatalog),
    "rollback": ("rollback.toml", RollbackCatalog),
}


def load_catalog(folder: Path | str | None = None) -> Catalog:
    """Load the catalogs; a file in `folder` replaces the bundled file of the same name."""
    if folder is None:
        return _bundled()
    p = Path(folder)
    if not p.is_dir():
        raise ConfigError(
            f"catalog folder {str(p)!r} does not exist or is not a folder",
            hint="fix catalog.path in the config, or remove it to use the bundled one",
        )
    # compiled once per process (quick mode and the MCP server ask on every call), again when
    # a file of the folder is added, removed or changed
    key, stamp = p.resolve(), _stamp(p)
    hit = _LOADED.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    catalog = _load(p)
    if len(_LOADED) >= 8:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = (stamp, catalog)
    return catalog


_LOADED: dict[Path, tuple[tuple[Any, ...], Catalog]] = {}


def _stamp(folder: Path) -> tuple[Any, ...]:
    """What changes when a catalog file of the folder does: names, sizes, modification times."""
    out: list[Any] = []
    for d in (folder, folder / "changes"):
        try:
            files = sorted(d.glob("*.toml"))
        except OSError:
            files = []
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue
            out.append((str(f), st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(out)


@lru_cache(maxsize=1)
def _bundled() -> Catalog:
    return _load(None)


def _load(folder: Path | None) -> Catalog:
    """The catalogs of `folder` (None: the bundled ones), from the compiled catalog cache when
    no file changed since they were last validated (see `catalog.cache`)."""
    files = [find_file(name, folder) for name, _ in FILES.values()]
    for d in _change_folders(folder):
        if d.is_dir():
            files += d.glob("*.toml")
    # one entry per catalog folder and installation (two checkouts do not take turns at one)
    name = f"{bundled_dir()}|{folder.resolve() if folder is not None else ''}"
    return compiled(name, files, lambda: _compile(folder), Catalog)


def _change_folders(folder: Path | None) -> list[Path]:
    # a folder of profiles: the user's changes/ adds files and replaces bundled ones by name
    return [bundled_dir() / "changes", *([folder / "changes"] if folder else [])]


def _compile(folder: Path | None) -> Catalog:
    parts: dict[str, Any] = {
        key: load_model(find_file(name, folder), model) for key, (name, model) in FILES.items()
    }
    changes = load_changes(_change_folders(folder))
    _check_refs(changes, parts)
    changes.lexicon  # noqa: B018  (compiled now, so that the cache keeps it)
    changes.signal_index  # noqa: B018  (the same)
    changes.guard_facets  # noqa: B018  (the same)
    catalog = Catalog(folder=folder, changes=changes, **parts)
    catalog.condition_lexicon  # noqa: B018  (the same)
    return catalog


def _condition_keywords(value: object) -> Iterator[str]:
    """The keywords of every condition in `value` (a catalog model, a list or a dict of them)
    that `WordIndex.keyword` searches: `keywords` by the keyword rule, `also` and `unless`."""
    if isinstance(value, CatalogModel):
        if isinstance(value, Condition):
            if value.keyword_rule == "keyword":
                yield from getattr(value, "keywords", None) or ()
            yield from getattr(value, "also", None) or ()
            yield from getattr(value, "unless", None) or ()
        for name in type(value).model_fields:
            yield from _condition_keywords(getattr(value, name))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _condition_keywords(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _condition_keywords(v)


def _check_refs(changes: ChangeCatalog, parts: dict[str, Any]) -> None:
    """Profiles name stakeholder templates and skeleton tasks: each must exist."""
    groups = {t.id for t in parts["stakeholders"].stakeholders}
    skeleton = {t.id for t in parts["tasks"].tasks}
    for f in changes.facets:
        unknown = [sid for sid in f.stakeholders if sid not in groups]
        if unknown:
            raise ConfigError(
                f"changes/_facets.toml: facet {f.id!r}: stakeholders: unknown stakeholder template "
                f"{unknown[0]!r}",
                hint="add it to stakeholders.toml or fix the id",
            )
    for p in changes.profiles:
        where = f"changes/{p.id}.toml"
        for sid in p.stakeholders:
            if sid not in groups:
                raise ConfigError(
                    f"{where}: stakeholders: unknown stakeholder template {sid!r}",
                    hint="add it to stakeholders.toml or fix the id",
                )
        mine = {w.id for w in p.work}
        for tid in p.uses:
            if tid not in skeleton:
                raise ConfigError(
                    f"{where}: uses: unknown task {tid!r} (tasks.toml has {', '.join(sorted(skeleton))})"
                )
        clash = mine & skeleton
        if clash:
            raise ConfigError(f"{where}: work: id {sorted(clash)[0]!r} is a task of tasks.toml")
        for w in p.work:
            for ref in [*w.depends_on, *w.before]:
                if ref not in mine and ref not in skeleton:
                    raise ConfigError(f"{where}: work '{w.id}': unknown task {ref!r}")
