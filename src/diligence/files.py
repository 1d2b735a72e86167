"""Files as the user sees them and as we write them: the one atomic write, the one display.

Every file diligence writes (answers after every change, reports) goes through
`write_atomically`: a temporary file in the same folder, flushed and fsynced, then
`os.replace` over the target, then the folder fsynced. A crash at any moment leaves the old
file or the new one, never half of either. Keep it the one place that writes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def write_atomically(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Write `data` to `path` whole or not at all; `OSError` leaves the old file as it was.

    The file gets `mode` less the umask (applied by `os.open`): 0o600 keeps a file of
    secrets private from its first byte.
    """
    folder = path.parent
    temp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot fsync a folder; the data is safe anyway
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)
