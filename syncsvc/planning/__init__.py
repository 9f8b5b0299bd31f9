"""Planning: from a checked spec and the catalogs to a `Plan` (pure, no I/O)."""
