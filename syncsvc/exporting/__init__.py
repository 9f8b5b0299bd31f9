"""The offline bundle: plan.md, plan.json, three CSVs and dashboard.xlsx, written all or nothing."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from syncsvc.errors import InputError
from syncsvc.exporting.csvs import raci_csv, risks_csv, timeline_csv
from syncsvc.exporting.xlsx import dashboard_xlsx
from syncsvc.grid.mapping import SheetsMapping, load_mapping
from syncsvc.model import Plan, write_json
from syncsvc.rendering.markdown import write_document

# The bundle's files, in the order they are listed; the names are fixed (no user text in them).
BUNDLE_FILES = ("plan.md", "plan.json", "risks.csv", "raci.csv", "timeline.csv", "dashboard.xlsx")
_XLSX = "dashboard.xlsx"
# The order they are written in (plan.json and plan.md are written a part at a time, the
# workbook a row at a time: no file is whole in memory).
_WRITE_ORDER = ("plan.json", "plan.md", "risks.csv", "raci.csv", "timeline.csv", _XLSX)
_CSVS: dict[str, Callable[[Plan], str]] = {
    "risks.csv": risks_csv,
    "raci.csv": raci_csv,
    "timeline.csv": timeline_csv,
}


def export_bundle(
    plan: Plan,
    out: Path,
    *,
    catalog_dir: Path | None = None,
) -> list[Path]:
    """Write the bundle into the folder `out` (created if missing) and return the file paths.

    Each file is rendered straight into a temporary folder beside `out` (one file in memory at
    a time, not the whole bundle) and moved in only when every file is complete: a failure
    leaves `out` as it was. Files of other names in `out` are left alone; the bundle's own
    files are replaced.
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
        _write_files(plan, mapping, staging)
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


def _write_files(plan: Plan, mapping: SheetsMapping, staging: Path) -> None:
    """Every file of the bundle into `staging`, one after another, in this process.

    (Writing the workbook and running the Monte Carlo in forked copies of the process was
    tried: with a free core it saved ~4% of the wall time at 20,000 tasks, on a busy machine
    nothing, and the export's processes together held 370 MB at their peak against 230 MB
    in order: BENCHMARKS.md, "Speed (issue 17), session 3: export".)"""
    for name in _WRITE_ORDER:
        _write(name, plan, mapping, staging)


def _write(name: str, plan: Plan, mapping: SheetsMapping, staging: Path) -> None:
    with open(staging / name, "wb") as f:
        _render(name, plan, mapping, f)


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
        write_json(plan, f)
        f.write(b"\n")
    elif name == "plan.md":
        write_document(plan, f)
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
