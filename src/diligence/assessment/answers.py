"""The answers file: create, load, save atomically, lock, and bring up to a new checklist version.

Every write goes to a temporary file in the same folder, is flushed and fsynced, then
replaces the old file with `os.replace`, and the folder is fsynced too. A crash at any
moment leaves either the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diligence.content.library import Loaded, display_path
from diligence.content.loader import load_as
from diligence.content.models import AnswersFile, Checklist, ChecklistRef
from diligence.content.rules import value_problem
from diligence.content.yamlio import dump_yaml
from diligence.dates import now
from diligence.errors import LockedError, OutputError, UsageError

ANSWERS_FOLDER = "answers"


def new_answers(
    checklist: Checklist, case_id: str, scenario_id: str | None, assessor: str
) -> AnswersFile:
    """An empty answers file for one checklist, case and scenario."""
    stamp = now()
    return AnswersFile(
        checklist=_ref(checklist),
        case=case_id,
        scenario=scenario_id,
        assessor=assessor,
        created=stamp,
        updated=stamp,
    )


def _ref(checklist: Checklist) -> ChecklistRef:
    return ChecklistRef(
        id=checklist.id,
        version=checklist.version,
        questions=[q.id for _, q in checklist.questions()],
    )


def load_answers(path: Path) -> Loaded[AnswersFile]:
    """Read and validate an answers file; problems raise `AnswersError` with `path:line`."""
    if not path.is_file():
        what = "is a folder, not an answers file" if path.is_dir() else "does not exist"
        raise UsageError(f"{display_path(path)} {what}")
    doc, model = load_as(path, AnswersFile, display_path(path))
    return Loaded(path, doc, model)


def answers_yaml(answers: AnswersFile) -> str:
    """The file's text: every top-level field; answers in checklist order, without empty fields."""
    data: dict[str, Any] = answers.model_dump(mode="json", by_alias=True, exclude_none=True)
    order = {question_id: i for i, question_id in enumerate(answers.checklist.questions)}
    in_order = sorted(answers.answers.items(), key=lambda item: order.get(item[0], len(order)))
    data["answers"] = {
        question_id: answer.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        for question_id, answer in in_order
    }
    return dump_yaml(data)


def save_answers(answers: AnswersFile, path: Path) -> None:
    """Write atomically; on failure raise `OutputError`, leaving the old file as it was."""
    data = answers_yaml(answers).encode("utf-8")
    folder = path.parent
    temp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    written = False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        written = True
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
        written = False
        _fsync_folder(folder)
    except OSError as exc:
        raise OutputError(_cannot_write(path, exc)) from None
    finally:
        if written:
            with contextlib.suppress(OSError):
                temp.unlink()


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot fsync a folder; the data is safe anyway
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _cannot_write(path: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    kept = "; the previous version is unchanged" if path.exists() else ""
    return f"cannot save {display_path(path)}: {reason}{kept}"


@contextlib.contextmanager
def answers_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on an answers file for a whole session.

    The lock is `flock` on a hidden sidecar file, so it survives the atomic replaces of the
    answers file; the kernel releases it when a process dies, so stale locks never block.
    """
    lock_path = path.with_name(f".{path.name}.lock")
    fd = _acquire(lock_path, path)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_path.unlink()  # while still holding the lock: see `_acquire`
        os.close(fd)


def _acquire(lock_path: Path, path: Path) -> int:
    while True:
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(_cannot_write(path, exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise LockedError(
                f"{display_path(path)} is open in another 'diligence assess'{holder}; "
                "finish or quit that one first"
            ) from None
        # A holder that just finished unlinks the lock file before releasing it, so the file
        # we locked may be gone; only a lock on the file still at `lock_path` counts.
        try:
            if os.stat(lock_path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def _read_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {text})" if text.isdigit() else ""


def default_path(name: str, assessor: str) -> Path:
    """`answers/<scenario>-<assessor>.yaml` under the current folder; accents are dropped."""
    plain = unicodedata.normalize("NFKD", assessor).encode("ascii", "ignore").decode()
    return Path(ANSWERS_FOLDER) / f"{slug(name)}-{slug(plain)}.yaml"


def slug(text: str) -> str:
    """A file-name-safe form of free text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"


def unused_path(path: Path) -> Path:
    """The path itself when free, else the first free `<stem>-2.yaml`, `<stem>-3.yaml`, ..."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


@dataclass
class VersionChange:
    """What moving an answers file to the current checklist version changed."""

    old_version: str
    new_version: str
    added: list[str] = field(default_factory=list)
    """Questions the new version has and the old one did not (when the old list is known)."""
    removed: list[str] = field(default_factory=list)
    """Questions the new version dropped whose answers are kept, marked inactive."""
    invalid: dict[str, str] = field(default_factory=dict)
    """Answers that are no longer valid choices: question id -> old value, moved to the note."""

    @property
    def changed(self) -> bool:
        return self.old_version != self.new_version or bool(
            self.added or self.removed or self.invalid
        )


def upgrade(answers: AnswersFile, checklist: Checklist) -> VersionChange:
    """Bring answers up to the checklist's current version, dropping nothing.

    Answers to removed questions stay in the file, marked inactive. A value that is no longer
    a valid choice is moved into the note, so the question is asked again.
    """
    old = answers.checklist
    current = [q.id for _, q in checklist.questions()]
    change = VersionChange(old.version, checklist.version)
    if old.questions:
        change.added = [q for q in current if q not in old.questions]
    for question_id, answer in answers.answers.items():
        question = checklist.question(question_id)
        if question is None:
            if not old.questions or question_id in old.questions:
                change.removed.append(question_id)  # else an earlier upgrade removed it
            answer.inactive = True
        elif value_problem(question, answer.value) is not None:
            shown = answer.value if isinstance(answer.value, str) else ", ".join(answer.value or [])
            change.invalid[question_id] = shown
            earlier = f"Earlier answer (checklist {old.version}): {shown}"
            answer.note = f"{answer.note}\n\n{earlier}" if answer.note else earlier
            answer.value, answer.answered_at = None, None  # open again
    answers.checklist = _ref(checklist)
    return change
