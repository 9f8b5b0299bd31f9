"""The offline bundle: plan.md, plan.json, three CSVs and dashboard.xlsx, written all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from syncsvc.errors import InputError
from syncsvc.export.csvs import raci_csv, risks_csv, timeline_csv
from syncsvc.export.xlsx import dashboard_xlsx
from syncsvc.model import Plan, to_json_text
from syncsvc.rendering.markdown import render_md

# The bundle's files, in the order they are listed; the names are fixed (no user text in them).
BUNDLE_FILES = ("plan.md", "plan.json", "risks.csv", "raci.csv", "timeline.csv", "dashboard.xlsx")


def export_bundle(plan: Plan, out: Path, *, catalog_dir: Path | None = None) -> list[Path]:
    """Write the bundle into the folder `out` (created if missing) and return the file paths.

    Everything is rendered first, then written into a temporary folder beside `out` and moved
    in only when every file is complete: a failure leaves `out` as it was. Files of other names
    in `out` are left alone; the bundle's own files are replaced.
    """
    target = check_out_dir(out)
    contents = render_bundle(plan, catalog_dir=catalog_dir)
    return _write_all(target, contents)


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


def render_bundle(plan: Plan, *, catalog_dir: Path | None = None) -> dict[str, bytes]:
    """File name → bytes for every file of the bundle (pure: touches no disk but the catalog)."""
    texts: dict[str, Callable[[], str]] = {
        "plan.md": lambda: render_md(plan),
        "plan.json": lambda: to_json_text(plan) + "\n",
        "risks.csv": lambda: risks_csv(plan),
        "raci.csv": lambda: raci_csv(plan),
        "timeline.csv": lambda: timeline_csv(plan),
    }
    # The CSVs start with a byte-order mark: Excel reads a CSV without one in the machine's
    # code page (cp1252 in the west), and "Tomás" would show as "TomÃ¡s".
    out = {
        name: make().encode("utf-8-sig" if name.endswith(".csv") else "utf-8") for name, make in texts.items()
    }
    out["dashboard.xlsx"] = dashboard_xlsx(plan, catalog_dir=catalog_dir)
    return {name: out[name] for name in BUNDLE_FILES}


def _write_all(target: Path, contents: dict[str, bytes]) -> list[Path]:
    created = _make_dir(target)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.export-", dir=target.parent))
    except OSError as e:
        _undo_dir(created)
        raise InputError(f"--out: cannot write beside {str(target)!r} ({e.strerror})") from None
    try:
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        for name in contents:  # every file is complete: now move them in, one rename each
            os.replace(staging / name, target / name)
    except OSError as e:
        _undo_dir(created)
        raise InputError(f"--out: cannot write into {str(target)!r} ({e.strerror})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in contents]


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
