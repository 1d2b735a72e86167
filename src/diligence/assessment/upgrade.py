"""Bring an answers file up to its checklist's current version, dropping nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.assessment.answers import (
    answers_lock,
    checklist_ref,
    keep_aside,
    parse_answers,
    save_answers,
    unused_path,
)
from diligence.content.conditions import relevance
from diligence.content.models import AnswersFile, Checklist, has_value
from diligence.content.rules import answer_text, length_problem, missing_required, value_problem
from diligence.content.yamlio import read_bytes
from diligence.errors import AnswersError, UsageError
from diligence.files import display_path, write_atomically

if TYPE_CHECKING:
    from diligence.content.library import Library

_COMMENT = re.compile(r"(^|\s)#")
"""A YAML comment, roughly: a hash at the start of a line or after a space."""


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
    kept_aside: dict[str, str] = field(default_factory=dict)
    """Question id -> the line about an earlier answer that its note had no room for (the
    note would go over its limit): the session keeps it in a file beside the answers."""

    @property
    def changed(self) -> bool:
        return self.old_version != self.new_version or bool(
            self.added or self.removed or self.invalid
        )


def upgrade(answers: AnswersFile, checklist: Checklist) -> VersionChange:
    """Bring answers up to the checklist's current version, dropping nothing.

    Answers to removed questions stay in the file, marked inactive. A value that is no longer
    a valid choice is moved into the note (or into `kept_aside` when the note has no room
    left), so the question is asked again.
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
            shown = answer_text(None, answer.value)
            change.invalid[question_id] = shown
            earlier = f"Earlier answer (checklist {old.version}): {shown}"
            note = f"{answer.note}\n\n{earlier}" if answer.note else earlier
            if length_problem("note", note):
                change.kept_aside[question_id] = earlier
            else:
                answer.note = note
            answer.value, answer.answered_at = None, None  # open again
    answers.checklist = checklist_ref(checklist)
    return change


def version_notices(change: VersionChange) -> list[str]:
    """What changed with the checklist version, one line each, for the assessor."""
    lines = [f"The checklist changed from version {change.old_version} to {change.new_version}."]
    if change.added:
        lines.append(f"New questions: {', '.join(change.added)}.")
    if change.removed:
        lines.append(
            f"Removed questions: {', '.join(change.removed)}; your answers to them are kept "
            "in the file, marked inactive."
        )
    for question_id, value in change.invalid.items():
        where = "a file beside the answers" if question_id in change.kept_aside else "the note"
        lines.append(
            f"{question_id}: your answer '{value}' is no longer a choice; it is kept in "
            f"{where} and the question is asked again."
        )
    return lines


def to_answer(answers: AnswersFile, checklist: Checklist, change: VersionChange) -> list[str]:
    """The questions an upgraded file should now answer, in checklist order: the new
    questions that apply (when the old version's list is known), every required one still
    open, and those whose old answer was moved to the note."""
    values = {k: a.value for k, a in answers.answers.items() if has_value(a.value)}
    relevant, _ = relevance(checklist, values)
    wanted = set(change.added) | set(missing_required(checklist, answers)) | set(change.invalid)
    return [
        q.id
        for _, q in checklist.questions()
        if q.id in wanted and relevant[q.id] and q.id not in values
    ]


@dataclass(frozen=True)
class FileUpgrade:
    """What `upgrade_file` did to one answers file."""

    checklist: str
    version: str
    """The checklist's current version."""
    change: VersionChange | None
    """None when the file was already for the current version (it is left untouched)."""
    to_answer: tuple[str, ...] = ()
    kept: int = 0
    """How many answers the file holds, after the upgrade."""
    backup: Path | None = None
    """Where the original was kept, when it held comments that rewriting drops."""
    kept_in: dict[str, str] = field(default_factory=dict)
    """Earlier answers a full note had no room for: question id -> the file beside the
    answers that keeps it."""


def upgrade_file(path: Path, library: Library) -> FileUpgrade:
    """Upgrade an answers file in place, under its lock, without asking anything.

    A file already for the current version is left as it is. A file that held comments
    is first copied to `<name>.bak` (never over an existing file), since it is rewritten
    in the answers file's own layout. A complete file with required questions now open
    goes back to in progress.
    """
    shown = display_path(path)
    if not path.is_file():
        raise UsageError(f"{shown} is not a file")
    with answers_lock(path):
        data = read_bytes(path, shown, AnswersError)
        answers = parse_answers(data, path, shown).model
        checklist = library.checklist(answers.checklist.id)
        if answers.checklist.version == checklist.version:
            return FileUpgrade(checklist.id, checklist.version, None)
        change = upgrade(answers, checklist)
        todo = tuple(to_answer(answers, checklist, change))
        if answers.status == "complete" and missing_required(checklist, answers):
            answers.status = "in_progress"
        backup = None
        if any(_COMMENT.search(line) for line in data.decode("utf-8", "replace").splitlines()):
            backup = unused_path(path.with_name(f"{path.name}.bak"))
            write_atomically(backup, data)
        kept_in = {q: keep_aside(path, q, "note", text) for q, text in change.kept_aside.items()}
        save_answers(answers, path)
    kept = sum(1 for a in answers.answers.values() if has_value(a.value))
    return FileUpgrade(checklist.id, checklist.version, change, todo, kept, backup, kept_in)
