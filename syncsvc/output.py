"""Writing a command's output: to stdout, or to a file written whole (never half-written).

Library code, not CLI code: anything that prints a plan or a report (the commands, a script
using syncsvc) writes through here, with terminal control characters neutralised.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from syncsvc.errors import InputError
from syncsvc.logs import CONTROL_CHARS


def write_output(text: str | bytes | Iterable[bytes], output: Path | None) -> None:
    """Print to stdout, or write the file whole (temp file + rename: never half-written).
    `text`: a text, its UTF-8 bytes, or those bytes in pieces (each of whole characters: a
    large plan's JSON need never be whole in memory).

    Only a regular file is written: a device, a FIFO or a symbolic link at `output` is refused
    (replacing `/dev/null` or a link with a plain file would break what was there). An existing
    file keeps its permissions. A full disk or a closed stdout is an error, not a traceback.
    """

    if output is None:
        try:
            _print(text)
        except OSError as e:
            raise InputError(f"cannot write to stdout ({e.strerror or e})") from None
        return
    target = output.expanduser()
    mode = _existing_mode(target, output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--output: the folder {str(folder)!r} does not exist")

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            for data in _utf8_pieces(text):
                f.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(
            f"--output: cannot write {str(output)!r} ({e.strerror or e})",
            hint="free some space" if e.errno == 28 else None,
        ) from None
    except BaseException:  # the text failed to come: no file, no temp file
        Path(tmp).unlink(missing_ok=True)
        raise


def _print(text: str | bytes | Iterable[bytes]) -> None:
    """Print `text` (bytes: UTF-8 text) to stdout, its control characters replaced, with a
    newline at the end."""
    utf8_stdout = _utf8_stdout()
    if isinstance(text, str) or utf8_stdout is None:
        if not isinstance(text, str):  # bytes: UTF-8 text
            text = b"".join([text] if isinstance(text, bytes) else text).decode()
        sys.stdout.write(strip_controls(text if text.endswith("\n") else text + "\n"))
        sys.stdout.flush()
        return
    # a plan's JSON (megabytes) as it is: not decoded, scanned and encoded again
    sys.stdout.flush()  # what was printed before comes first
    for data in _utf8_pieces(text):
        utf8_stdout.write(data)
    utf8_stdout.flush()


def _utf8_pieces(text: str | bytes | Iterable[bytes]) -> Iterator[bytes]:
    """`strip_controls(text)` as UTF-8 in pieces, with a newline at the end."""
    last = b""
    for piece in [text] if isinstance(text, str | bytes) else text:
        data = _utf8_without_controls(piece)
        if data:
            yield data
            last = data
    if not last.endswith(b"\n"):
        yield b"\n"


def _utf8_stdout() -> BinaryIO | None:
    """The byte stream under `sys.stdout` when text printed reaches it as UTF-8, unchanged (a
    UTF-8 stream, newlines not translated); None otherwise (the text is printed as text)."""
    buffer = getattr(sys.stdout, "buffer", None)
    encoding = getattr(sys.stdout, "encoding", None)
    if buffer is None or not isinstance(encoding, str) or os.linesep != "\n":
        return None
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return None
    return buffer if utf8 else None


def _existing_mode(target: Path, output: Path) -> int | None:
    """The permission bits of the regular file at `target`, None when there is none; anything
    else there (a folder, a device, a FIFO, a link) is refused."""

    try:
        st = target.lstat()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise InputError(f"--output: cannot use {str(output)!r} ({e.strerror})") from None
    if stat.S_ISREG(st.st_mode):
        return stat.S_IMODE(st.st_mode)
    what = (
        "a folder; give a file name"
        if stat.S_ISDIR(st.st_mode)
        else "a symbolic link; give the file it points to"
        if stat.S_ISLNK(st.st_mode)
        else "not a regular file (a device, FIFO or socket); syncsvc writes only files"
    )
    raise InputError(f"--output {str(output)!r} is {what}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def strip_controls(text: str) -> str:
    """`text` with terminal control characters (C0 and C1 but tab and newline) replaced by
    U+FFFD: text from Jira or a catalog shown on a terminal must not drive it (the spec loader
    refuses them in spec text; this covers every other source)."""

    return CONTROL_CHARS.sub("\ufffd", text)


# Every byte but those a control character's UTF-8 can start with: C0 and DEL are one byte;
# C1 (U+0080 to U+009F) is 0xC2 followed by 0x80-0x9F (0xC2 also starts U+00A0 to U+00BF).
_NOT_CONTROL_START = bytes(b for b in range(256) if not (b <= 0x08 or 0x0B <= b <= 0x1F or b in (0x7F, 0xC2)))


def _utf8_without_controls(text: str | bytes) -> bytes:
    """`strip_controls(text)` as UTF-8 (bytes: UTF-8 text). A plan's text is megabytes: deleting
    the bytes no control character starts with, and finding none left, is several times faster
    than the pattern."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if _may_hold_controls(data):  # the pattern decides
        return strip_controls(data.decode("utf-8")).encode("utf-8")
    return data


_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def _may_hold_controls(data: bytes) -> bool:
    starts = data.translate(None, _NOT_CONTROL_START)
    if not starts:
        return False
    if starts.count(0xC2) < len(starts):  # a C0 or DEL byte
        return True
    # only 0xC2 bytes: a C1 control, or just U+00A0 to U+00BF ("·", "°", a no-break space)
    return _C1_UTF8.search(data) is not None
