"""The offline bundle: plan.md, plan.json, three CSVs and dashboard.xlsx, written all or nothing."""

from __future__ import annotations

import gc
import io
import os
import pickle
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from syncsvc.errors import InputError
from syncsvc.export.csvs import raci_csv, risks_csv, timeline_csv
from syncsvc.export.xlsx import dashboard_xlsx
from syncsvc.grid.mapping import SheetsMapping, load_mapping
from syncsvc.model import Confidence, Plan, to_json_bytes
from syncsvc.planning.confidence import Deferred, RangeRunner, confidence_range
from syncsvc.rendering.markdown import render_md

# The bundle's files, in the order they are listed; the names are fixed (no user text in them).
BUNDLE_FILES = ("plan.md", "plan.json", "risks.csv", "raci.csv", "timeline.csv", "dashboard.xlsx")
_XLSX = "dashboard.xlsx"
# The order they are written in: plan.json (one 19 MB bytes object at 20,000 tasks) first, while
# the process is smallest; the Markdown's text leaves memory the allocator keeps.
_WRITE_ORDER = ("plan.json", "plan.md", "risks.csv", "raci.csv", "timeline.csv", _XLSX)
_CSVS: dict[str, Callable[[Plan], str]] = {
    "risks.csv": risks_csv,
    "raci.csv": raci_csv,
    "timeline.csv": timeline_csv,
}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration, then as it was before.

    Planning and writing the bundle of a 20,000-task plan allocates millions of objects
    (models, rows, cells) and frees them by reference counting; meanwhile the collector's
    passes, started by the allocations alone, walk the whole live heap again and again and
    find next to nothing to collect (~20% of the export's CPU time at 20,000 tasks, the same
    peak memory without them)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def range_aside() -> Iterator[RangeRunner | None]:
    """A runner of the Monte Carlo in a forked copy of the process, made now, before the plan
    is built (None where no copy can be made: see `_can_fork`). Its matrices (~50 MB on a
    large plan) then never sit in the process that holds the plan; without it they come on top
    of the plan and set the export's peak memory."""
    aside = None
    if _can_fork():
        with suppress(OSError):  # no copy to be had (a process limit)
            aside = _RangeAside()
    try:
        yield aside
    finally:
        if aside is not None:
            aside.close()


def _can_fork() -> bool:
    # not in a process with other threads: a lock one of them holds would stay held in the copy
    return hasattr(os, "fork") and threading.active_count() == 1


def export_bundle(
    plan: Plan,
    out: Path,
    *,
    catalog_dir: Path | None = None,
    pending: Deferred | None = None,
    runner: RangeRunner | None = None,
) -> list[Path]:
    """Write the bundle into the folder `out` (created if missing) and return the file paths.

    Each file is rendered straight into a temporary folder beside `out` (one file in memory at
    a time, not the whole bundle) and moved in only when every file is complete: a failure
    leaves `out` as it was. Files of other names in `out` are left alone; the bundle's own
    files are replaced. `pending`: the plan's Monte Carlo, not run yet (`plan` was built inside
    `confidence_deferred`); it runs here (by `runner` when given, see `range_aside`), while the
    workbook is written beside it.
    """
    target = check_out_dir(out)
    mapping = load_mapping(catalog_dir)  # read before anything is written
    created = _make_dir(target)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.export-", dir=target.parent))
    except OSError as e:
        _undo_dir(created)
        raise InputError(f"--out: cannot write beside {str(target)!r} ({e.strerror})") from None
    try:
        _write_files(plan, mapping, staging, pending, runner)
        for name in BUNDLE_FILES:  # every file is complete: now move them in, one rename each
            os.replace(staging / name, target / name)
    except OSError as e:
        _undo_dir(created)
        raise InputError(f"--out: cannot write into {str(target)!r} ({e.strerror})") from None
    except BaseException:
        _undo_dir(created)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in BUNDLE_FILES]


def _write_files(
    plan: Plan, mapping: SheetsMapping, staging: Path, pending: Deferred | None, runner: RangeRunner | None
) -> None:
    """Every file of the bundle into `staging`.

    With a pending Monte Carlo, a forked copy of this process writes the workbook (~half the
    export's time on a large plan) while this one runs the Monte Carlo and writes the other
    files; the copy needs the confidence range only for the Dashboard, which it writes last,
    once this process has handed it over. If the copy fails for any reason, the workbook is
    written here again, in order (and its error, if any, raised here). Without `os.fork`, when
    no copy can be made, in a process with other threads (a lock one of them holds would stay
    held in the copy) or with nothing pending, the files are written one after another."""
    aside = None
    if pending is not None and _can_fork():
        with suppress(OSError):  # no copy to be had (a process limit): in order, then
            aside = _WorkbookAside(plan, mapping, staging)
    if pending is None or aside is None:
        if pending is not None:
            plan = _completed(plan, _confidence(pending, runner))
        for name in _WRITE_ORDER:
            _write(name, plan, mapping, staging)
        return
    try:
        plan = _completed(plan, _confidence(pending, runner))
        aside.hand_over(plan.confidence)
        for name in _WRITE_ORDER:
            if name != _XLSX:
                _write(name, plan, mapping, staging)
    except BaseException:
        aside.stop()
        raise
    if not aside.done():
        _write(_XLSX, plan, mapping, staging)


def _confidence(pending: Deferred, runner: RangeRunner | None) -> Confidence | None:
    """The pending range, by `runner` when given; here when it fails (and any error raised here)."""
    if runner is not None:
        with suppress(_AsideFailed):
            return pending.run(runner)
    return pending.run()


class _AsideFailed(Exception):
    """A forked copy did not finish its part (the work is done again in the process)."""


class _RangeAside:
    """`confidence_range` run by a forked copy of the process: it waits for the inputs on one
    pipe and sends the range back on another. Any failure of the copy (or of the pipes) is an
    `_AsideFailed`."""

    def __init__(self) -> None:
        to_copy, self._to = os.pipe()
        self._from, to_parent = os.pipe()
        try:
            self._pid = os.fork()
        except OSError:
            for fd in (to_copy, self._to, self._from, to_parent):
                os.close(fd)
            raise
        if self._pid == 0:  # the copy: one range, then leave without unwinding
            code = 1
            try:
                os.close(self._to)
                os.close(self._from)
                with os.fdopen(to_copy, "rb") as f:
                    args, kwargs = pickle.load(f)
                done = confidence_range(*args, **kwargs)
                with os.fdopen(to_parent, "wb") as f:
                    pickle.dump(done, f)
                code = 0
            finally:
                os._exit(code)
        os.close(to_copy)
        os.close(to_parent)
        self._open = [self._to, self._from]

    def __call__(self, *args: object, **kwargs: object) -> Confidence:
        try:
            with os.fdopen(self._to, "wb") as f:  # closed: the inputs are complete
                self._open.remove(self._to)
                pickle.dump((args, kwargs), f)
            with os.fdopen(self._from, "rb") as f:
                self._open.remove(self._from)
                data = f.read()
        except OSError as e:  # the copy is gone (a broken pipe)
            raise _AsideFailed from e
        if not self._reaped() or not data:
            raise _AsideFailed
        done = pickle.loads(data)
        assert isinstance(done, Confidence)
        return done

    def close(self) -> None:
        """Stop the copy if it is still there (the export failed or was interrupted before the
        range was asked for: it may be mid-simulation) and wait for it."""
        if self._pid != -1:
            os.kill(self._pid, signal.SIGKILL)
        self._reaped()

    def _reaped(self) -> bool:
        for fd in self._open:
            os.close(fd)
        self._open = []
        if self._pid == -1:
            return False
        _, status = os.waitpid(self._pid, 0)
        self._pid = -1
        return os.waitstatus_to_exitcode(status) == 0


def _write(name: str, plan: Plan, mapping: SheetsMapping, staging: Path) -> None:
    with open(staging / name, "wb") as f:
        _render(name, plan, mapping, f)


def _completed(plan: Plan, confidence: Confidence | None) -> Plan:
    return plan if confidence is None else plan.model_copy(update={"confidence": confidence})


class _WorkbookAside:
    """The workbook written by a forked copy of this process, from a plan whose confidence
    range comes later: through a file beside it, announced by one byte on a pipe."""

    def __init__(self, plan: Plan, mapping: SheetsMapping, staging: Path) -> None:
        self._range = staging / ".confidence"
        read, write = os.pipe()
        self._write: int | None = write
        try:
            self._pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self._pid == 0:  # the copy: write the workbook, then leave without unwinding
            code = 1
            try:
                os.close(write)
                with open(staging / _XLSX, "wb") as f:
                    dashboard_xlsx(plan, f, mapping, complete=lambda: self._received(plan, read))
                code = 0
            finally:
                os._exit(code)
        os.close(read)

    def _received(self, plan: Plan, read: int) -> Plan:
        with os.fdopen(read, "rb") as f:
            if f.read(1) != b"1":
                raise RuntimeError("the export stopped before the confidence range was ready")
        return _completed(plan, pickle.loads(self._range.read_bytes()))

    def hand_over(self, confidence: Confidence | None) -> None:
        self._range.write_bytes(pickle.dumps(confidence))
        assert self._write is not None
        with suppress(BrokenPipeError):  # the copy stopped already: `done()` says so
            os.write(self._write, b"1")
        self._close()

    def done(self) -> bool:
        """Wait for the copy; whether it wrote the whole workbook."""
        self._close()
        _, status = os.waitpid(self._pid, 0)
        return os.waitstatus_to_exitcode(status) == 0

    def stop(self) -> None:
        self._close()
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)

    def _close(self) -> None:
        if self._write is not None:
            os.close(self._write)
            self._write = None


def render_bundle(plan: Plan, *, catalog_dir: Path | None = None) -> dict[str, bytes]:
    """File name → bytes for every file of the bundle (pure: touches no disk but the catalog)."""
    mapping = load_mapping(catalog_dir)
    out = {}
    for name in BUNDLE_FILES:
        buf = io.BytesIO()
        _render(name, plan, mapping, buf)
        out[name] = buf.getvalue()
    return out


def _render(name: str, plan: Plan, mapping: SheetsMapping, f: BinaryIO) -> None:
    """Write the bundle's file `name` into `f`."""
    if name == _XLSX:
        dashboard_xlsx(plan, f, mapping)
    elif name == "plan.json":
        f.write(to_json_bytes(plan))
        f.write(b"\n")
    elif name == "plan.md":
        f.write(render_md(plan).encode("utf-8"))
    else:
        # The CSVs start with a byte-order mark: Excel reads a CSV without one in the machine's
        # code page (cp1252 in the west), and "Tomás" would show as "TomÃ¡s".
        f.write(_CSVS[name](plan).encode("utf-8-sig"))


def check_out_dir(out: Path) -> Path:
    """`out` resolved, or an InputError when it cannot be the bundle's folder."""
    raw = str(out)
    if "\x00" in raw:
        raise InputError("--out: the path contains a NUL byte")
    if not raw.strip():
        raise InputError("--out: the path is empty", hint="give a folder, e.g. --out out/")
    target = Path(os.path.abspath(out.expanduser())).resolve()
    if target.exists() and not target.is_dir():
        raise InputError(
            f"--out {raw!r} is a file, not a folder", hint="give a folder (it is created if missing)"
        )
    return target


def _make_dir(target: Path) -> list[Path]:
    """Create `target` and any missing parents; the folders created, deepest first."""
    missing = []
    p = target
    while not p.exists():
        missing.append(p)
        p = p.parent
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"--out: cannot create the folder {str(target)!r} ({e.strerror})") from None
    return missing


def _undo_dir(created: list[Path]) -> None:
    for p in created:
        try:
            p.rmdir()
        except OSError:
            break
