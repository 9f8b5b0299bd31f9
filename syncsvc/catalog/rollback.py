"""Rollback step templates and default triggers (mappings/rollback.toml). Placeholder shape."""

from __future__ import annotations

from pydantic import Field

from syncsvc.catalog.base import CatalogModel


class RollbackCatalog(CatalogModel):
    steps: dict[str, list[dict[str, object]]] = Field(default_factory=dict)
