"""The answers file: what an assessor answered, noted and cited, question by question."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AllowInfNan,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    StringConstraints,
)

from diligence.content.models.base import Id, StrictModel
from diligence.dates import in_calendar

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

Moment = Annotated[datetime, AfterValidator(in_calendar)]
"""A time an answers file records: any ISO 8601 moment whose UTC time a report can print."""

NOTE_LIMIT = 20_000
"""The longest note (an assessor's rationale), in characters."""
TEXT_ANSWER_LIMIT = 20_000
"""The longest free-text answer, in characters (about six pages of a report)."""
NAME_LIMIT = 200
"""The longest assessor's name, in characters."""


class ChecklistRef(StrictModel):
    id: Id
    version: str
    questions: list[Id] = []
    """The question ids of that version, so a later version can name what it added or removed."""


class Answer(StrictModel):
    """One answer, with the assessor's note and the passages it relies on."""

    value: (
        Annotated[str, StringConstraints(max_length=TEXT_ANSWER_LIMIT)]
        | list[Annotated[str, StringConstraints(max_length=200)]]
        | Number
        | None
    ) = None
    note: Annotated[str, StringConstraints(max_length=NOTE_LIMIT)] | None = None
    cites: list[Id] = []
    inactive: bool = False
    """Kept, but its question is no longer relevant given the other answers."""
    answered_at: Moment | None = None


class AnswersFile(StrictModel):
    """The assessor's answers: written atomically after every answer."""

    format: Literal[1] = ANSWERS_FORMAT
    checklist: ChecklistRef
    case: Id | None = None
    """None for a checklist that stands without a case (a self-assessment)."""
    scenario: Id | None = None
    assessor: Annotated[str, StringConstraints(max_length=NAME_LIMIT)] = ""
    created: Moment | None = None
    updated: Moment | None = None
    status: Literal["in_progress", "complete"] = "in_progress"
    answers: dict[Id, Answer] = {}
    _comments: list[str] = PrivateAttr(default_factory=list)
    """The file's own comments (`# ...`), kept when it is written again: not data, but
    what someone typed."""
