"""Publish a plan to Google Sheets (CONTRACT §6): diff, publish, gspread adapter (layouts: `syncsvc.grid`)."""

from __future__ import annotations

from syncsvc.sheets.publish import PublishReport, publish_plan

__all__ = ["PublishReport", "publish_plan"]
