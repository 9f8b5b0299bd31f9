"""Renderers: Markdown, JSON, CSV and XLSX views of a `Plan`."""
