"""Evaluate the declarative condition language and question relevance. Pure functions."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from diligence.content.models import (
    NOT_APPLICABLE,
    UNKNOWN,
    AnswerValue,
    Checklist,
    Condition,
    Question,
    RiskLevel,
    has_value,
)


def answer_risk(question: Question, value: AnswerValue | None) -> RiskLevel | None:
    """The risk an answer carries, or None when it carries none: unanswered, "not
    applicable", free text, a date, or a number without thresholds."""
    if not has_value(value) or value == NOT_APPLICABLE:
        return None
    assert value is not None
    if is_unknown(value):
        return question.unknown_risk if question.accepts_unknown else None
    if isinstance(value, int | float):
        return question.number_risk(value) if question.type == "number" else None
    if not question.is_choice:
        return None
    values = value if isinstance(value, list) else [value]
    risks = [o.risk for v in values if (o := question.option(v)) is not None]
    return max(risks, key=lambda r: r.score) if risks else None


def is_unknown(value: AnswerValue | None) -> bool:
    return value == UNKNOWN or (isinstance(value, list) and UNKNOWN in value)


def is_not_applicable(value: AnswerValue | None) -> bool:
    """Answered "not applicable": left out of the scoring, counted as answered."""
    return value == NOT_APPLICABLE or (isinstance(value, list) and NOT_APPLICABLE in value)


@dataclass(frozen=True)
class Context:
    """What a condition can see: the active answers and the flags raised so far."""

    checklist: Checklist
    values: Mapping[str, AnswerValue]
    flags: Collection[str] = field(default_factory=frozenset)


def holds(condition: Condition, ctx: Context) -> bool:
    """Whether a condition holds.

    An unanswered question matches no `is`, `in` or `includes` test, so `not_in` holds for it.
    """
    if condition.all is not None:
        return all(holds(c, ctx) for c in condition.all)
    if condition.any is not None:
        return any(holds(c, ctx) for c in condition.any)
    if condition.not_ is not None:
        return not holds(condition.not_, ctx)
    if condition.flag is not None:
        return condition.flag in ctx.flags
    if condition.unknowns_at_least is not None:
        return _count_unknowns(condition.sections, ctx) >= condition.unknowns_at_least
    return _holds_for_question(condition, ctx)


def _holds_for_question(condition: Condition, ctx: Context) -> bool:
    """A test on one question's answer: `is`, `in`, `not_in`, `answered`, `includes` or
    `risk_at_least`."""
    assert condition.question is not None
    value = ctx.values.get(condition.question)
    if condition.answered is not None:
        return has_value(value) == condition.answered
    if value is None:
        return condition.not_in is not None
    values = value if isinstance(value, list) else [value]
    if condition.is_ is not None:
        return value == condition.is_
    if condition.in_ is not None:
        return any(v in condition.in_ for v in values)
    if condition.not_in is not None:
        return not any(v in condition.not_in for v in values)
    if condition.includes is not None:
        return condition.includes in values
    if condition.risk_at_least is not None:
        question = ctx.checklist.question(condition.question)
        risk = answer_risk(question, value) if question else None
        return risk is not None and risk.score >= condition.risk_at_least.score
    return False  # pragma: no cover - the model guarantees one test


def _count_unknowns(sections: list[str] | None, ctx: Context) -> int:
    count = 0
    for section, question in ctx.checklist.questions():
        if sections is not None and section.id not in sections:
            continue
        if is_unknown(ctx.values.get(question.id)):
            count += 1
    return count


def relevance(
    checklist: Checklist, values: Mapping[str, AnswerValue | None]
) -> tuple[dict[str, bool], dict[str, AnswerValue]]:
    """Which questions are relevant, and the answers that count (those of relevant questions).

    Conditions only read earlier questions, so one pass in order settles everything; an
    answer to an irrelevant question is left out of what later conditions see.
    """
    relevant: dict[str, bool] = {}
    active: dict[str, AnswerValue] = {}
    section_open: dict[str, bool] = {}
    for section, question in checklist.questions():
        ctx = Context(checklist, active)
        if section.id not in section_open:
            section_open[section.id] = section.when is None or holds(section.when, ctx)
        shown = section_open[section.id] and (question.when is None or holds(question.when, ctx))
        relevant[question.id] = shown
        value = values.get(question.id)
        if shown and value is not None:
            active[question.id] = value
    return relevant, active
