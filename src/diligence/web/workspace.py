"""The folder a server works in, and its one small session file.

The folder holds one answers file per student (with `--class DIR`, the class folder that
`diligence class DIR` reads; else `answers/`, where `assess` saves too) and a hidden
`.diligence-serve.json`: the signing secret, the trainer's token, the class code, the
roster (who owns which file, and their private resume token) and the trainer's switches.
It is written atomically, private to its owner (0600), after every change, so a server
killed at any moment starts again with every student, link and cookie still valid.

No path comes from a request: a student's file name is made here from a slug and checked
against a strict pattern whenever the session file is read.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints, ValidationError

from diligence.assessment.answers import default_path
from diligence.content.models.base import StrictModel
from diligence.content.yamlio import read_bytes
from diligence.dates import iso_utc, now
from diligence.errors import ContentError, OutputError
from diligence.files import display_path, write_atomically

SESSION_FILE = ".diligence-serve.json"
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Class codes avoid letters that read alike (I/1, O/0)."""
CODE_LENGTH = 6

FileName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,150}\.yaml$")]
Token = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,128}$")]
NAME_LIMIT = 200
"""The longest name a student may give: the answers file's limit on `assessor`."""


class Member(StrictModel):
    """One student: the file they own and the private token that resumes it."""

    id: Token
    name: Annotated[str, StringConstraints(max_length=NAME_LIMIT)]
    file: FileName
    resume: Token
    joined: str


class Target(StrictModel):
    """What the class assesses, once known."""

    checklist: str
    case: str
    scenario: str | None = None


class SessionState(StrictModel):
    """`.diligence-serve.json`."""

    format: int = 1
    secret: Token
    trainer_token: Token
    class_code: Annotated[str, StringConstraints(pattern=r"^[A-Z2-9]{4,12}$")]
    anonymize: bool = False
    target: Target | None = None
    members: list[Member] = []  # noqa: RUF012 (pydantic copies defaults per instance)


def _token() -> str:
    return secrets.token_urlsafe(24)


def _code() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


@dataclass
class Workspace:
    """The folder, its session state, and the one lock that guards changes to it."""

    folder: Path
    is_class: bool
    state: SessionState

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._file_locks: dict[str, threading.Lock] = {}

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, folder: Path, *, is_class: bool) -> Workspace:
        """The folder's session, read from its session file, or new (and saved at once)."""
        path = folder / SESSION_FILE
        if path.exists() or path.is_symlink():
            state = _read_state(path)
        else:
            state = SessionState(secret=_token(), trainer_token=_token(), class_code=_code())
        workspace = cls(folder, is_class, state)
        workspace.save()
        return workspace

    @property
    def path(self) -> Path:
        return self.folder / SESSION_FILE

    def save(self) -> None:
        data = self.state.model_dump_json(indent=2).encode("utf-8") + b"\n"
        try:
            write_atomically(self.path, data, mode=0o600)
        except OSError as exc:
            raise OutputError(
                f"cannot save {display_path(self.path)}: {exc.strerror or exc}"
            ) from None

    # ---------------------------------------------------------------- students

    def member(self, member_id: object) -> Member | None:
        if not isinstance(member_id, str):
            return None
        return next((m for m in self.state.members if m.id == member_id), None)

    def by_resume(self, token: str) -> Member | None:
        found = [m for m in self.state.members if secrets.compare_digest(m.resume, token)]
        return found[0] if found else None

    def file_of(self, member: Member) -> Path:
        """The member's answers file: a plain name inside the folder, never a path."""
        return self.folder / member.file

    def enrol(self, name: str, stem: str) -> Member:
        """A new member with a file of their own: the name `assess` would give it
        (`<scenario>-<name>.yaml`), numbered when taken."""
        with self._lock:
            taken = {m.file for m in self.state.members}
            base = default_path(stem, name).stem[:100].strip("-")
            candidate, number = f"{base}.yaml", 1
            while candidate in taken or (self.folder / candidate).exists():
                number += 1
                candidate = f"{base}-{number}.yaml"
            member = Member(
                id=_token(), name=name, file=candidate, resume=_token(), joined=iso_utc(now())
            )
            self.state.members.append(member)
            self.save()
            return member

    def set_anonymize(self, value: bool) -> None:
        with self._lock:
            self.state.anonymize = value
            self.save()

    def set_target(self, target: Target) -> None:
        with self._lock:
            if self.state.target is None:
                self.state.target = target
                self.save()

    @contextmanager
    def file_lock(self, member: Member) -> Iterator[None]:
        """One request at a time per student's file, within this server (the file lock
        between processes is `answers_lock`)."""
        with self._lock:
            lock = self._file_locks.setdefault(member.file, threading.Lock())
        with lock:
            yield

    def check_trainer(self, token: object) -> bool:
        return isinstance(token, str) and secrets.compare_digest(token, self.state.trainer_token)


def _read_state(path: Path) -> SessionState:
    display = display_path(path)
    raw = read_bytes(path, display, ContentError)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise ContentError.at(
            display,
            line,
            f"is not a valid session file ({exc}); move it away to start a new session",
        ) from None
    try:
        return SessionState.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ContentError.at(
            display,
            1,
            f"{where}: {first['msg']}; the session file was changed by hand, move it away "
            "to start a new session",
        ) from None
