"""Publish a plan to Google Sheets (CONTRACT §6): diff, publish, gspread adapter (layouts: `syncsvc.grid`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from syncsvc.sheets.publish import PublishReport, publish_plan

__all__ = ["PublishReport", "publish_plan"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing syncsvc.sheets.command (for `syncsvc --help`) stays cheap.
    if name in __all__:
        from syncsvc.sheets import publish

        return getattr(publish, name)
    raise AttributeError(name)
