"""The bundled catalogs and mappings (TOML data files)."""
