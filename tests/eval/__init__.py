"""The PM-written evaluation set of issue 11 and its scorer."""
