"""What the command line sets before anything else of syncsvc loads (imported first)."""

from __future__ import annotations

import os

# pydantic looks through every installed package's entry points for plugins when the first
# model is built (about 15 ms of each start); syncsvc uses none. A value the user set is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
