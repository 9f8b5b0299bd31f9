"""The lock one `sync` (or `push`) holds on a state: a second writer exits 75 at once."""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from syncsvc.config import check_regular
from syncsvc.errors import ConfigError, LockHeldError


@contextmanager
def sync_lock(state_path: Path) -> Iterator[None]:
    """Hold `<state>.lock` for the run; another holder means exit 75 at once (never wait)."""
    lock_path = state_path.with_name(state_path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        check_regular(lock_path, "state.path (its .lock file)")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)  # never via a link
    except OSError as e:  # a lock file of another user, a folder we may not write
        raise ConfigError(
            f"cannot open the lock file {lock_path} ({e.strerror or e})",
            hint="run syncsvc as the user who owns the state file, or point "
            "[state] path at a folder of yours",
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise LockHeldError(
                    f"another `syncsvc sync` holds the lock {lock_path} (or a `syncsvc push` "
                    "of the same state); not waiting",
                    hint="this run is skipped; the next scheduled run will catch up",
                ) from None
            raise
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
