"""Risk templates (mappings/risks.toml). Placeholder shape; the risks work replaces it."""

from __future__ import annotations

from pydantic import Field

from syncsvc.catalog.base import CatalogModel


class RiskCatalog(CatalogModel):
    risks: list[dict[str, object]] = Field(default_factory=list)
