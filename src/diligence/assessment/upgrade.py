"""Bring an answers file up to its checklist's current version, dropping nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from diligence.assessment.answers import checklist_ref
from diligence.content.models import AnswersFile, Checklist
from diligence.content.rules import length_problem, value_problem


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
            shown = answer.value if isinstance(answer.value, str) else ", ".join(answer.value or [])
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
