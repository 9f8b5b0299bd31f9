"""Second-order stakeholder templates (mappings/stakeholders.toml). Placeholder shape."""

from __future__ import annotations

from pydantic import Field

from syncsvc.catalog.base import CatalogModel


class StakeholderCatalog(CatalogModel):
    stakeholders: list[dict[str, object]] = Field(default_factory=list)
