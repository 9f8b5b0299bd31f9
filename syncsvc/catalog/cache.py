"""The compiled catalog cache: the validated catalogs kept on disk, so that a command does not
parse and validate ~1 MB of TOML (and build the catalog models' validators) at every start.

One file per catalog folder in the cache directory: `SYNCSVC_CACHE_DIR` when set (empty: no
cache), else `$XDG_CACHE_HOME/syncsvc`, else `~/.cache/syncsvc`. Its key is a hash of every
catalog file read (path and bytes), the catalog folder, the source of the code that validates
and holds the catalogs, and the syncsvc, Python and pydantic versions: a file edited, added or
removed, or another version, misses, and the catalogs are loaded from the TOML again and the
entry rewritten. Written atomically (a temporary file renamed over the old one); an entry that
cannot be read (another key, a truncated or corrupt file, classes that no longer unpickle) is
rebuilt, and a directory that cannot be written means no cache, silently. An entry another
user could have written (not owned by this user, or writable by group or others) is not read.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from syncsvc import version

T = TypeVar("T")

ENV = "SYNCSVC_CACHE_DIR"
# bump when what is stored changes in a way the source hash below does not see
FORMAT = b"syncsvc-catalog-cache 1\n"
log = logging.getLogger("syncsvc.catalog")

_PACKAGE = Path(__file__).resolve().parents[1]
# the code whose classes are pickled, or which decides what a catalog file validates to
_CODE = ("catalog/*.py", "model.py", "spec.py", "tomlmodel.py", "errors.py")


def cache_dir() -> Path | None:
    """Where compiled catalogs are kept; None: no cache (`SYNCSVC_CACHE_DIR` set empty)."""
    given = os.environ.get(ENV)
    if given is not None:
        return Path(given).expanduser() if given.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative value is ignored
        return Path(xdg) / "syncsvc"
    try:
        return Path.home() / ".cache" / "syncsvc"
    except RuntimeError:  # no home directory
        return None


def compiled(name: str, files: Iterable[Path], build: Callable[[], T], kind: type[T]) -> T:
    """The object `build()` makes from `files`, from the cache entry `name` when its key (the
    files' bytes, see the module's text) matches, else built and stored. `kind`: what the
    entry must hold (anything else is a miss)."""
    where = cache_dir()
    if where is None:
        return build()
    try:
        key = _key(name, files)
    except OSError:  # a catalog file that cannot be read: the load says so
        return build()
    path = where / f"{hashlib.sha256(name.encode()).hexdigest()[:20]}.catalog"
    hit = _read(path, key, kind)
    if hit is not None:
        return hit
    value = build()
    _write(path, key, value)
    return value


def _key(name: str, files: Iterable[Path]) -> bytes:
    h = hashlib.sha256(FORMAT)
    versions = (version.__version__, sys.version, _version("pydantic"), _version("pydantic_core"), name)
    h.update(repr(versions).encode())
    code = sorted(p for pattern in _CODE for p in _PACKAGE.glob(pattern))
    for p in [*code, *sorted(files)]:
        h.update(f"\0{p}\0".encode())
        h.update(p.read_bytes())
    return h.hexdigest().encode()


def _version(module: str) -> str:
    mod = sys.modules.get(module)
    if mod is None:
        mod = __import__(module)
    return str(getattr(mod, "__version__", getattr(mod, "VERSION", "")))


def _read(path: Path, key: bytes, kind: type[T]) -> T | None:
    try:
        with path.open("rb") as f:
            if not _trusted(os.fstat(f.fileno())):
                log.debug("catalog cache %s not trusted (another owner, or writable by others)", path)
                return None
            data = f.read()
    except OSError:
        return None  # not there yet (or unreadable): build it
    head = FORMAT + key + b"\n"
    if not data.startswith(head):
        return None  # another catalog, version or format: rebuild
    try:
        value = pickle.loads(memoryview(data)[len(head) :])
    except Exception as e:  # truncated, corrupt, or classes that changed: rebuild
        log.debug("catalog cache %s unreadable (%s): rebuilding it", path, e)
        return None
    return value if isinstance(value, kind) else None


def _trusted(st: os.stat_result) -> bool:
    """Unpickling runs code: read only an entry this user wrote (owned by them, writable by
    nobody else), as the cache writes them (mode 0600)."""
    if st.st_mode & 0o022:
        return False
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def _write(path: Path, key: bytes, value: object) -> None:
    try:
        data = FORMAT + key + b"\n" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".catalog")
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as e:
        log.debug("catalog cache not written (%s)", e)
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # readers see the old entry or the new one, never a part
    except OSError as e:
        log.debug("catalog cache not written (%s)", e)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
