"""`python -m syncsvc`: the same as the `syncsvc` command."""

from syncsvc.cli import main

main()
