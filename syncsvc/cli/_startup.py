"""What the command line sets before anything else of syncsvc loads (imported first)."""

from __future__ import annotations

import os

# pydantic looks through every installed package's entry points for plugins when the first
# model is built (about 15 ms of each start); syncsvc uses none. A value the user set is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# numpy's OpenBLAS starts a pool of threads when numpy is imported (~40 ms of CPU on a 2-core
# machine, the threads spinning while they wait); syncsvc's Monte Carlo is elementwise numpy
# and uses no BLAS routine, so one thread changes no figure. A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
