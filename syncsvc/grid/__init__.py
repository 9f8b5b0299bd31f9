"""The neutral cell grid that Sheets and XLSX both render: typed cells, the layout mapping
(`mappings/sheets.toml`) and the six worksheet layouts of a plan. Nothing here talks to a remote."""
