"""The answers file: what an assessor answered, noted and cited, question by question."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AllowInfNan, StrictFloat, StrictInt, StringConstraints

from diligence.content.models.base import Id, StrictModel

UNKNOWN = "unknown"
"""The answer value every question but free text accepts: "I could not establish this"."""

NOT_APPLICABLE = "not_applicable"
"""The answer value of a question marked `not_applicable: true` that does not apply to
the one answering; the note gives the reason. It is left out of scoring and completeness."""

Number = StrictInt | Annotated[StrictFloat, AllowInfNan(False)]
"""A number answer: an integer or a finite decimal (never a boolean)."""

AnswerValue = str | list[str] | Number


def has_value(value: object) -> bool:
    """Whether an answer value says something: not missing, not an empty list, and not
    text that is empty or only whitespace. The one rule for "answered", everywhere."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value)
    return value is not None


ANSWERS_FORMAT: Literal[1] = 1


class ChecklistRef(StrictModel):
    id: Id
    version: str
    questions: list[Id] = []
    """The question ids of that version, so a later version can name what it added or removed."""


class Answer(StrictModel):
    """One answer, with the assessor's note and the passages it relies on."""

    value: str | list[str] | Number | None = None
    note: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    cites: list[Id] = []
    inactive: bool = False
    """Kept, but its question is no longer relevant given the other answers."""
    answered_at: datetime | None = None


class AnswersFile(StrictModel):
    """The assessor's answers: written atomically after every answer."""

    format: Literal[1] = ANSWERS_FORMAT
    checklist: ChecklistRef
    case: Id | None = None
    """None for a checklist that stands without a case (a self-assessment)."""
    scenario: Id | None = None
    assessor: Annotated[str, StringConstraints(max_length=200)] = ""
    created: datetime | None = None
    updated: datetime | None = None
    status: Literal["in_progress", "complete"] = "in_progress"
    answers: dict[Id, Answer] = {}
