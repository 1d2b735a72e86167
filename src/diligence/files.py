"""Files as the user sees them and as we write them: the one atomic write, the one display.

Every file diligence writes (answers after every change, reports) goes through
`write_atomically`: a temporary file in the same folder, flushed and fsynced, then
`os.replace` over the target, then the folder fsynced. A crash at any moment leaves the old
file or the new one, never half of either. Keep it the one place that writes.

What it writes is always the file a name stands for: a symbolic link is followed (the link
stays, its target gets the new content), a file that is not a regular file is never
replaced, and a read-only file is left alone. Whether an existing file may be replaced at
all is the caller's decision (a session owns its answers file; `report.render.write_output`
asks whether diligence wrote it); the browser front end calls the same function.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
from pathlib import Path


class NotAFile(OSError):
    """A path names something that is not a regular file (a folder, a device, a socket...);
    `kind` says what, in words."""

    def __init__(self, kind: str, filename: str) -> None:
        self.kind = kind
        super().__init__(errno.EINVAL, f"it is {kind}, not a file", filename)


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def real_target(path: Path) -> Path:
    """The file a path stands for: symbolic links followed, also a dangling one (the file
    it points to, which a write creates). Folders on the way are resolved too."""
    return Path(os.path.realpath(path))


def kind_of(mode: int) -> str | None:
    """What a file is when it is not a regular file, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


class TooLarge(OSError):
    """A file is larger than what may be read of it; `size` is what is known of its size."""

    def __init__(self, size: int, limit: int, filename: str) -> None:
        self.size = size
        self.limit = limit
        super().__init__(errno.EFBIG, f"it is over {limit:,} bytes", filename)


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them, or an `OSError` saying why not.

    Only regular files (or links to them) are read: a folder, a FIFO, a device or a socket
    raises `NotAFile` before anything is opened for reading, so `/dev/zero` cannot fill
    memory and a FIFO cannot hang the tool. The read itself is bounded too (`TooLarge`),
    for files whose size the system does not report (`/proc`) or that grow while read.
    """
    kind = kind_of(os.stat(path).st_mode)
    if kind:
        raise NotAFile(kind, str(path))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as stream:
        kind = kind_of(os.fstat(stream.fileno()).st_mode)  # swapped since the check?
        if kind:
            raise NotAFile(kind, str(path))
        data = stream.read(limit + 1)
        if len(data) > limit:
            size = max(os.fstat(stream.fileno()).st_size, len(data))
            raise TooLarge(size, limit, str(path))
    return data


def write_atomically(path: Path, data: bytes, *, devices: bool = False) -> Path:
    """Write `data` to the file `path` names, whole or not at all; return that file.

    - Absent or a regular file: written beside itself and renamed over; `OSError` leaves
      the old file as it was. A replaced file keeps its permission bits (and, where we may
      set them, its owner and group); a new one gets 0o666 less the umask.
    - A read-only file (no write bit, or not writable by us) is refused with
      `PermissionError`: chmod 444 keeps meaning "do not change this", even for root.
    - With `devices`, a character device or a named pipe (`-o /dev/null`, `/dev/stdout`, a
      pipe someone reads) is written to as a stream; a pipe nobody reads is refused at once.
    - Anything else (a folder, a block device, a socket; a device without `devices`) raises
      `NotAFile`: it is never replaced, which as root would break the system.
    """
    try:
        existing: os.stat_result | None = os.stat(path)  # through links, /proc's too
    except FileNotFoundError:
        existing = None
    kind = kind_of(existing.st_mode) if existing is not None else None
    if existing is not None and kind:
        if devices and (stat.S_ISCHR(existing.st_mode) or stat.S_ISFIFO(existing.st_mode)):
            _write_stream(path, data)  # by the name given: /dev/stdout is a link in /proc
            return path
        raise NotAFile(kind, str(path))
    target = real_target(path)
    if existing is not None and (not existing.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise PermissionError(
            errno.EACCES,
            "it is read-only; make it writable (chmod u+w) or choose another file",
            str(path),
        )
    _replace(target, data, existing)
    return target


def _replace(target: Path, data: bytes, existing: os.stat_result | None) -> None:
    folder = target.parent
    temp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            if existing is not None:
                _keep_ownership(stream.fileno(), existing)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(folder)


def _keep_ownership(fd: int, existing: os.stat_result) -> None:
    """The replaced file's permission bits, owner and group, as far as we may set them."""
    os.fchmod(fd, stat.S_IMODE(existing.st_mode) & 0o777)
    if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.fchown(fd, existing.st_uid, existing.st_gid)


def _write_stream(target: Path, data: bytes) -> None:
    """Write to a device or a pipe as it is: nothing to replace, nothing to fsync."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a pipe that no process has open for reading
            nobody = "it is a named pipe that nothing reads"
            raise OSError(errno.ENXIO, nobody, str(target)) from None
        raise
    try:
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)  # a reader may be slow
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot fsync a folder; the data is safe anyway
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)
