"""SIGINT/SIGTERM during push, publish and sync: a flag set by the handler, checked between batches.

The handler never interrupts a call in flight: it records the signal, the run finishes the batch it
is sending (its answer is committed to the state), and the next `checkpoint` raises `Interrupted`
(exit 130 for SIGINT, 143 for SIGTERM) naming what was done and what is left. A second signal
stops at once. Outside a `deferred_signals` block nothing changes (Ctrl-C is KeyboardInterrupt).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from syncsvc.errors import Interrupted

HANDLED = (signal.SIGINT, signal.SIGTERM)
_pending: int | None = None
_depth = 0


def exit_code(signum: int) -> int:
    """128 + the signal number: 130 for SIGINT, 143 for SIGTERM."""
    return 128 + int(signum)


def _name(signum: int) -> str:
    return signal.Signals(signum).name


def _handler(signum: int, frame: FrameType | None) -> None:
    global _pending
    if _pending is not None:  # a second signal: stop now, whatever is in flight
        _pending = None
        raise Interrupted(
            f"stopped at once by a second {_name(signum)}; the call in flight "
            "may or may not have been applied",
            hint="run the same command again: it looks in Jira and Sheets before "
            "writing, so it finishes the job without duplicates",
            exit_code=exit_code(signum),
        )
    _pending = signum


def pending() -> int | None:
    """The signal received and not yet acted on, if any."""
    return _pending


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Catch SIGINT/SIGTERM for the block (main thread only; nested blocks share one handler).
    A signal still pending when the outermost block ends without error raises `Interrupted`."""
    global _depth, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer = _depth == 0
    previous = {s: signal.getsignal(s) for s in HANDLED} if outer else {}
    if outer:
        _pending = None
        for s in HANDLED:
            signal.signal(s, _handler)
    _depth += 1
    ok = False
    try:
        yield
        ok = True
    finally:
        _depth -= 1
        if outer:
            for s, h in previous.items():
                signal.signal(s, h)
            late, _pending = _pending, None
            if ok and late is not None:
                raise Interrupted(
                    f"{_name(late)} received; the run had already finished everything, nothing is left",
                    exit_code=exit_code(late),
                )


def checkpoint(note: Callable[[], str], *, hint: str | None = None) -> None:
    """Between two batches: when a signal is pending, raise `Interrupted` with `note()` (what is
    done and what is left)."""
    global _pending
    signum = _pending
    if signum is None:
        return
    _pending = None
    raise Interrupted(
        f"{_name(signum)} received: {note()}",
        hint=hint or "run the same command again to finish the job (no duplicates)",
        exit_code=exit_code(signum),
    )
