"""The answers file: create, load, save atomically, lock, and bring up to a new checklist version.

Every save is `diligence.files.write_atomically`: a crash at any moment leaves either the
old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from diligence.content.library import Loaded
from diligence.content.loader import validate_document
from diligence.content.models import AnswersFile, Checklist, ChecklistRef
from diligence.content.yamlio import decode_text, dump_yaml, parse_yaml, read_bytes
from diligence.dates import now
from diligence.errors import AnswersError, LockedError, OutputError, UsageError
from diligence.files import display_path, write_atomically

ANSWERS_FOLDER = "answers"


def new_answers(
    checklist: Checklist, case_id: str | None, scenario_id: str | None, assessor: str
) -> AnswersFile:
    """An empty answers file for one checklist, case and scenario."""
    stamp = now()
    return AnswersFile(
        checklist=checklist_ref(checklist),
        case=case_id,
        scenario=scenario_id,
        assessor=assessor,
        created=stamp,
        updated=stamp,
    )


def checklist_ref(checklist: Checklist) -> ChecklistRef:
    """What an answers file records of its checklist: id, version and question ids."""
    return ChecklistRef(
        id=checklist.id,
        version=checklist.version,
        questions=[q.id for _, q in checklist.questions()],
    )


def load_answers(path: Path) -> Loaded[AnswersFile]:
    """Read and validate an answers file the user names to work on; problems raise
    `AnswersError` with `path:line`, and a missing file is a usage error."""
    display = display_path(path)
    if not path.is_file():
        what = "is a folder, not an answers file" if path.is_dir() else "does not exist"
        raise UsageError(f"{display} {what}")
    return parse_answers(read_bytes(path, display, AnswersError), path, display)


def parse_answers(data: bytes, path: Path, display: str) -> Loaded[AnswersFile]:
    """An answers file from its exact bytes (a report hashes and embeds the same bytes):
    decoded, parsed and validated, every problem an `AnswersError` with `path:line`."""
    doc = parse_yaml(decode_text(data, display, AnswersError), display)
    if doc.data is None:
        raise AnswersError.at(display, 1, "is empty; expected an answers file")
    if not isinstance(doc.data, dict):
        raise AnswersError.at(display, 1, "is not an answers file (expected a mapping of keys)")
    return Loaded(path, doc, validate_document(doc, AnswersFile, AnswersError))


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
    try:
        write_atomically(path, answers_yaml(answers).encode("utf-8"))
    except OSError as exc:
        raise OutputError(_cannot_write(path, exc)) from None


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
