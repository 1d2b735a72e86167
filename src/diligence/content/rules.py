"""The rules for one answer: is it valid for its question, how it reads, what is still open.

Pure functions over models, shared by the engine (which refuses an invalid answer as it is
given), the lint (which reports one in a file, with its line), scoring and the reports.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from diligence.content.conditions import answer_risk, is_not_applicable, is_unknown, relevance
from diligence.content.models import (
    NAME_LIMIT,
    NOT_APPLICABLE,
    NOTE_LIMIT,
    TEXT_ANSWER_LIMIT,
    UNKNOWN,
    Answer,
    AnswersFile,
    AnswerValue,
    Checklist,
    Question,
    RationaleRule,
    has_value,
)
from diligence.content.suggest import did_you_mean

TextField = Literal["note", "answer", "name"]
LIMITS: dict[TextField, tuple[str, int]] = {
    "note": ("a note", NOTE_LIMIT),
    "answer": ("a free-text answer", TEXT_ANSWER_LIMIT),
    "name": ("a name", NAME_LIMIT),
}
"""What each kind of typed text is called, and its limit (the models enforce the same)."""


def length_problem(field: TextField, text: str) -> str | None:
    """Why typed text is too long to be saved, e.g. "20,499 characters; a note holds at
    most 20,000"; None when it fits."""
    what, limit = LIMITS[field]
    if len(text) <= limit:
        return None
    return f"{len(text):,} characters; {what} holds at most {limit:,}"


class TooLong(ValueError):
    """Typed text over its limit, refused where it is made (the engine, a new answers
    file), carrying the text so that a front end can keep it instead of losing it."""

    def __init__(self, field: TextField, text: str, question_id: str | None = None) -> None:
        self.field = field
        self.text = text
        self.question_id = question_id
        super().__init__(length_problem(field, text) or "")


_TYPED_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and newline: the answers reader refuses them (a file holding
one could not be opened again), so typed text never carries them."""


def typed(text: str) -> str:
    """Text as typed, fit to be saved: line ends as newlines (a browser sends CR LF) and no
    other control character (a paste can bring them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TYPED_CONTROL.sub("", text)


def check_length(field: TextField, text: str, question_id: str | None = None) -> None:
    """Raise `TooLong` when typed text is over its limit."""
    if length_problem(field, text):
        raise TooLong(field, text, question_id)


AnswerStyle = Literal["report", "prompt"]
"""How an answer reads: in reports ("(not answered)"; labels joined by commas), or at a
prompt, where labels may hold commas ("—"; labels joined by semicolons)."""

_EMPTY = {"report": "(not answered)", "prompt": "—"}
_SEPARATOR = {"report": ", ", "prompt": "; "}


def answer_text(
    question: Question | None, value: AnswerValue | None, style: AnswerStyle = "report"
) -> str:
    """An answer as a reader sees it: option labels, not values; numbers with their unit;
    free text and dates as written. A question that is not in the checklist any more
    (None) shows its values as they are."""
    if not has_value(value):
        return _EMPTY[style]
    assert value is not None
    if value == NOT_APPLICABLE:
        return "Not applicable"
    if value == UNKNOWN and (question is None or question.accepts_unknown):
        return "Unknown"
    if isinstance(value, bool):  # pragma: no cover - the model refuses booleans
        return str(value)
    if isinstance(value, int | float):
        unit = f" {question.unit}" if question is not None and question.unit else ""
        return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"
    if question is None or not question.is_choice:
        return value if isinstance(value, str) else ", ".join(value)
    labels = []
    for item in value if isinstance(value, list) else [value]:
        option = question.option(item)
        labels.append(option.label if option else "Unknown" if item == UNKNOWN else item)
    return _SEPARATOR[style].join(labels)


def value_problem(question: Question, value: object) -> str | None:
    """Why a value is not a valid answer to a question, or None when it is."""
    if value is None:
        return None
    if value == NOT_APPLICABLE:
        if question.not_applicable:
            return None
        return f"question {question.id} does not allow 'not applicable'"
    if value == UNKNOWN and question.accepts_unknown:
        return None
    if question.type == "text":
        if not isinstance(value, str):
            return f"question {question.id} takes free text, not {_what(value)}"
        return None
    if question.type == "number":
        return _number_problem(question, value)
    if question.type == "date":
        if not isinstance(value, str) or not is_iso_date(value):
            return (
                f"question {question.id} takes a date written 2024, 2024-05 or 2024-05-31 "
                f"(or 'unknown'), not {_what(value)}"
            )
        return None
    return _choice_problem(question, value)


def reason_problem(question: Question, value: object, note: str | None) -> str | None:
    """Why an answer cannot stand without a note: "not applicable" always says why."""
    if value == NOT_APPLICABLE and not (note or "").strip():
        return f"question {question.id}: 'not applicable' needs the reason; give it as the note"
    return None


def parse_answer(question: Question, text: str) -> AnswerValue:
    """A value from what was typed for a number, date or text question, checked by
    `value_problem`: what a front end sends as `Reply`. Raises ValueError saying what is
    wrong."""
    typed = text.strip()
    if question.type == "number":
        try:
            number: float = float(typed.replace(",", "")) if typed else float("nan")
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"type a number, e.g. 3 or 2.5 (not '{typed}')")
        value: AnswerValue = int(number) if number.is_integer() and "." not in typed else number
    else:
        value = typed if question.type == "date" else text
    problem = value_problem(question, value)
    if problem:
        raise ValueError(problem)
    return value


def _choice_problem(question: Question, value: object) -> str | None:
    allowed = [o.value for o in question.choice_list] + [UNKNOWN]
    if question.not_applicable:
        allowed.append(NOT_APPLICABLE)
    if question.type == "multi":
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v not in allowed]
        if len(values) > 1 and (UNKNOWN in values or NOT_APPLICABLE in values):
            word = UNKNOWN if UNKNOWN in values else NOT_APPLICABLE
            return f"question {question.id}: '{word}' cannot be combined with other choices"
        clash = None if bad else _exclusive_clash(question, [str(v) for v in values])
        if clash:
            return clash
    else:
        if isinstance(value, list):
            return f"question {question.id} takes one choice, not a list"
        bad = [value] if value not in allowed else []
    if bad:
        hint = did_you_mean(str(bad[0]), allowed)
        return (
            f"question {question.id} has no choice "
            f"{', '.join(repr(b) for b in bad)}; choose from: {', '.join(allowed)}{hint}"
        )
    return None


def _number_problem(question: Question, value: object) -> str | None:
    unknown = "'unknown'" + (" or 'not_applicable'" if question.not_applicable else "")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"question {question.id} takes a number (or {unknown}), not {_what(value)}"
    if question.integer and value != int(value):
        return f"question {question.id} takes a whole number, not {value:g}"
    if question.minimum is not None and value < question.minimum:
        return f"question {question.id} takes a number of at least {question.minimum:g}"
    if question.maximum is not None and value > question.maximum:
        return f"question {question.id} takes a number of at most {question.maximum:g}"
    return None


def _what(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"'{shown}'"
    return repr(value)


def is_iso_date(text: str) -> bool:
    """A real date as precise as known: 2024, 2024-05 or 2024-05-31."""
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return False
    if [len(p) for p in parts] != [4, 2, 2][: len(parts)]:
        return False
    try:
        date(
            int(parts[0]),
            int(parts[1]) if len(parts) > 1 else 1,
            int(parts[2]) if len(parts) > 2 else 1,
        )
    except ValueError:
        return False
    return True


def missing_required(checklist: Checklist, answers: AnswersFile) -> list[str]:
    """Required, relevant questions that have no answer yet, in checklist order."""
    values = {k: a.value for k, a in answers.answers.items() if has_value(a.value)}
    relevant, _ = relevance(checklist, values)
    return [
        q.id
        for _, q in checklist.questions()
        if q.required and relevant[q.id] and q.id not in values
    ]


def _exclusive_clash(question: Question, values: list[str]) -> str | None:
    """Why a multiple-choice answer ticks an exclusive choice beside others, or None."""
    if len(values) < 2:
        return None
    for value in values:
        option = question.option(value)
        if option is not None and option.exclusive:
            return (
                f"question {question.id}: '{option.label}' cannot be ticked with other "
                "choices; untick it or the others"
            )
    return None


def needs_rationale(
    rule: RationaleRule | None, question: Question, value: AnswerValue | None
) -> bool:
    """Whether this answer to `question` calls for the assessor's reasons under `rule`
    (`Checklist.rationale_rule`). An unanswered question needs none yet."""
    if is_not_applicable(value):
        return True  # "not applicable" always says why, whatever the rule
    if rule is None or not has_value(value):
        return False
    if rule.always:
        return True
    if rule.unknown and is_unknown(value):
        return True
    if rule.risk_at_least is None:
        return False
    risk = answer_risk(question, value)
    return risk is not None and not is_unknown(value) and risk.score >= rule.risk_at_least.score


def is_settled(question: Question, answer: Answer | None, *, complete: bool = False) -> bool:
    """Whether a (relevant) question needs nothing more: answered, or optional and left
    blank, on purpose or in a file marked complete. An unsettled question keeps the rules
    that read it open (pending) instead of deciding them as if it were answered."""
    if answer is not None and has_value(answer.value):
        return True
    if question.required:
        return False
    return complete or (answer is not None and answer.answered_at is not None)
