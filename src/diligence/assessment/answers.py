"""The answers file: create, load, save atomically, lock, and bring up to a new checklist version.

Every save is `diligence.files.write_atomically`: a crash at any moment leaves either the
old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from diligence.content.kinds import KINDS
from diligence.content.library import Loaded
from diligence.content.loader import validate_document
from diligence.content.models import AnswersFile, Checklist, ChecklistRef
from diligence.content.rules import check_length, typed
from diligence.content.yamlio import comments, decode_text, dump_yaml, parse_yaml, read_bytes
from diligence.dates import now
from diligence.errors import AnswersError, LockedError, OutputError, UsageError
from diligence.files import display_path, kind_of, real_target, write_atomically

ANSWERS_FOLDER = "answers"
COMMENTS_HEADER = "# Comments kept from this file (diligence rewrites it after every change):"
"""The line above the comments of a file that was written again (they move to the top)."""


def new_answers(
    checklist: Checklist, case_id: str | None, scenario_id: str | None, assessor: str
) -> AnswersFile:
    """An empty answers file for one checklist, case and scenario; a name over its limit
    raises `TooLong`. The name is one line, without control characters (`typed`)."""
    assessor = " ".join(typed(assessor).split())
    check_length("name", assessor)
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
    if not path.exists() or path.is_dir():
        what = "is a folder, not an answers file" if path.is_dir() else "does not exist"
        raise UsageError(f"{display} {what}")
    return parse_answers(read_bytes(path, display, AnswersError), path, display)


def parse_answers(data: bytes, path: Path, display: str) -> Loaded[AnswersFile]:
    """An answers file from its exact bytes (a report hashes and embeds the same bytes):
    decoded, parsed and validated, every problem an `AnswersError` with `path:line`."""
    text = decode_text(data, display, AnswersError)
    if path.suffix.lower() in (".md", ".markdown"):  # a Markdown report is no YAML at all
        raise AnswersError.at(
            display, 1, "is a Markdown file, not an answers file; give the answers file (.yaml)"
        )
    doc = parse_yaml(text, display)
    if doc.data is None:
        raise AnswersError.at(display, 1, "is empty; expected an answers file")
    if not isinstance(doc.data, dict):
        raise AnswersError.at(display, 1, "is not an answers file (expected a mapping of keys)")
    other = _other_kind(doc.data)
    if other:
        raise AnswersError.at(display, 1, other)
    model = validate_document(doc, AnswersFile, AnswersError)
    if "#" in text:
        model._comments = [c for c in comments(text) if c != COMMENTS_HEADER]
    return Loaded(path, doc, model)


def _other_kind(data: dict[Any, Any]) -> str | None:
    """What a file given as answers is instead, in one line (rather than a line per key
    that an answers file does not have)."""
    if str(data.get("generator", "")).startswith("diligence"):
        return (
            "is a report diligence wrote, not an answers file; give the answers file it was "
            "rendered from"
        )
    if "answers" in data:
        return None
    for kind in KINDS:
        if kind.name != "answers" and kind.key in data:
            return (
                f"is {kind.described}, not an answers file; give an answers file "
                "(answers/<scenario>-<name>.yaml)"
            )
    return None


def answers_yaml(answers: AnswersFile) -> str:
    """The file's text: the comments a user wrote, kept at the top; every top-level field;
    answers in checklist order, without empty fields."""
    data: dict[str, Any] = answers.model_dump(mode="json", by_alias=True, exclude_none=True)
    order = {question_id: i for i, question_id in enumerate(answers.checklist.questions)}
    in_order = sorted(answers.answers.items(), key=lambda item: order.get(item[0], len(order)))
    entries = [
        (question_id, answer.model_dump(mode="json", by_alias=True, exclude_defaults=True))
        for question_id, answer in in_order
    ]
    kept = "".join(f"{line}\n" for line in [COMMENTS_HEADER, *answers._comments])
    kept = kept if answers._comments else ""
    if not entries:
        return kept + dump_yaml(data)
    keys = list(data)
    at = keys.index("answers")
    before = {key: data[key] for key in keys[:at]}
    after = {key: data[key] for key in keys[at + 1 :]}
    text = kept + dump_yaml(before) + "answers:\n"
    text += "".join(_answer_lines(question_id, entry) for question_id, entry in entries)
    return text + (dump_yaml(after) if after else "")


_LINES: dict[tuple[str, str], str] = {}
_LINES_KEPT = 50_000


def _answer_lines(question_id: str, entry: dict[str, Any]) -> str:
    """One answer's lines under `answers:`, emitted once per content: a file is saved
    after every answer (60 students at once in `serve`), and re-emitting all 46 answers
    each time was most of a save's cost. Shifting a block two spaces keeps its meaning
    (empty lines stay empty); tests/test_answers_file.py checks it reads back exactly."""
    key = (question_id, repr(entry))
    lines = _LINES.get(key)
    if lines is None:
        block = dump_yaml({question_id: entry})
        if block.endswith("\n...\n"):  # a kept final line break ends the document: not here
            block = block[: -len("...\n")]
        lines = "".join(
            "  " + line if line != "\n" else line for line in block.splitlines(keepends=True)
        )
        if len(_LINES) >= _LINES_KEPT:
            _LINES.clear()
        _LINES[key] = lines
    return lines


def save_answers(answers: AnswersFile, path: Path) -> None:
    """Write atomically; on failure raise `OutputError`, leaving the old file as it was.

    What is written is validated as a loaded file would be, so the tool never writes a file
    it would then refuse (the engine refuses over-long text before it gets here)."""
    text = answers_yaml(answers)
    try:
        AnswersFile.model_validate(parse_yaml(text, display_path(path)).data)
    except ValidationError as exc:
        problem = exc.errors(include_url=False)[0]
        where = "/".join(map(str, problem["loc"]))
        raise OutputError(
            f"cannot save {display_path(path)}: {where}: {problem['msg']}; the previous "
            "version is unchanged"
        ) from None
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(_cannot_write(path, exc)) from None


def _cannot_write(path: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    kept = "; the previous version is unchanged" if path.exists() else ""
    return f"cannot save {display_path(path)}: {reason}{kept}"


@contextlib.contextmanager
def answers_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on an answers file for a whole session: one session per
    file, whatever name it is opened by. Raises `LockedError` when another holds it.

    Two `flock`s, which the kernel releases when a process dies, so stale locks never block:
    - on a hidden sidecar beside the file the path resolves to (`.<name>.lock`; symbolic
      links followed), which survives the atomic replace of every save;
    - on the file itself as the session finds it, which another name for the same inode
      (a hard link) meets too.
    Front ends (the terminal, the browser) take it before `open_session` and hold it until
    the session ends.
    """
    target = real_target(path)
    with contextlib.suppress(OSError):
        kind = kind_of(os.stat(target).st_mode)
        if kind:  # answers are saved to a file, never into /dev (nor a lock beside it)
            raise OutputError(f"cannot save {display_path(path)}: it is {kind}, not a file")
    lock_path = target.with_name(f".{target.name}.lock")
    fd = _acquire(lock_path, path)
    inode: int | None = None
    try:
        inode = _lock_inode(target, path)
        with contextlib.suppress(OSError):  # the PID only makes the message better
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_path.unlink()  # while still holding the lock: see `_acquire`
        os.close(fd)
        if inode is not None:
            os.close(inode)


def _lock_inode(target: Path, path: Path) -> int | None:
    """Lock the answers file's inode; None when there is no regular file yet."""
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None  # not there yet (or unreadable: loading it says why)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockedError(
            f"{display_path(path)} is open in another 'diligence assess' under another name "
            "(a link to the same file); finish or quit that one first"
        ) from None
    return fd


def _acquire(lock_path: Path, path: Path) -> int:
    while True:
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
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


def keep_aside(target: Path, question_id: str, what: str, text: str) -> str:
    """Save text the answers file cannot hold (over its limit) in a new file beside it,
    `<stem>.<question>-<what>.txt`, and return that file's name as the user sees it; raise
    `OutputError` when even that cannot be written."""
    side = unused_path(target.with_name(f"{target.stem}.{question_id}-{what}.txt"))
    try:
        write_atomically(side, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(_cannot_write(side, exc)) from None
    return display_path(side)


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
