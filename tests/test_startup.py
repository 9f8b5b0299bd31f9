"""Start-up: the command line does not load pydantic plugins (it uses none, and the scan for
them costs every start), unless the user asks for them; numpy starts one BLAS thread, unless
the user sets another number."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CODE = "import syncsvc.cli; from syncsvc.catalog import load_catalog; load_catalog()"


def _with_plugin(tmp_path: Path) -> Path:
    """A package on the path that declares a pydantic plugin and leaves a mark when loaded."""
    mark = tmp_path / "loaded"
    dist = tmp_path / "fakeplug-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplug\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[pydantic]\nfake = fakeplug:plugin\n", encoding="utf-8")
    (tmp_path / "fakeplug.py").write_text(
        f"open({str(mark)!r}, 'w').close()\n"
        "class _P:\n"
        "    def new_schema_validator(self, *a, **k):\n"
        "        return None, None, None\n"
        "plugin = _P()\n",
        encoding="utf-8",
    )
    return mark


@pytest.mark.parametrize(("user_value", "loaded"), [(None, False), ("", True)])
def test_cli_leaves_pydantic_plugins_alone_unless_asked(
    tmp_path: Path, user_value: str | None, loaded: bool
) -> None:
    mark = _with_plugin(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), *sys.path])
    if user_value is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = user_value
    proc = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert mark.exists() is loaded


PROBE = "import os, syncsvc.cli; print(os.environ.get('OPENBLAS_NUM_THREADS'))"


@pytest.mark.parametrize(("user_value", "seen"), [(None, "1"), ("2", "2")])
def test_cli_starts_numpy_with_one_blas_thread_unless_asked(user_value: str | None, seen: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if user_value is not None:
        env["OPENBLAS_NUM_THREADS"] = user_value
    proc = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == seen
