"""Evaluate the declarative condition language and question relevance. Pure functions.

Two evaluations share the tests on one answer: `holds` (true or false, for skip logic)
and `explain` (for red flags), which also says *why*: the answers that make a condition
true, or false under a `not`, and which open questions leave it undecided.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

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
    open: Collection[str] = field(default_factory=frozenset)
    """Questions still to be answered (a draft): a test on one of them is undecided."""
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)
    """How each red-flag rule evaluated so far came out, for `{flag: ...}` in `explain`."""


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
    return len(_in_scope(sections, ctx, unknown=True))


def _in_scope(sections: list[str] | None, ctx: Context, *, unknown: bool) -> list[str]:
    """The questions of `sections` (None: all) whose answer is, or is not, "unknown"."""
    return [
        question.id
        for section, question in ctx.checklist.questions()
        if (sections is None or section.id in sections)
        and is_unknown(ctx.values.get(question.id)) == unknown
    ]


# --------------------------------------------------------------------------- explaining


@dataclass(frozen=True)
class Cause:
    """One reason a condition came out as it did: an answer, a red flag, or the unknowns."""

    kind: Literal["answer", "flag", "unknowns"]
    questions: tuple[str, ...]
    """For an answer, its question; for a red flag, the answers behind it; for the
    unknowns, the questions counted (answered "unknown", or not, under a `not`)."""
    flag: str | None = None
    """The red flag's id, for a red-flag cause."""
    values: tuple[str, ...] = ()
    """For an answer, the values its test turned on: of a multiple-choice answer, the
    choices that matched (`includes`, `in`, `is`); otherwise all it holds."""
    inner: tuple[Cause, ...] = ()
    """For a red flag, its own causes."""


@dataclass(frozen=True)
class Outcome:
    """A condition's value with its reasons.

    `holds` is None when open questions could still go either way (a draft); `causes`
    are then empty and `pending` names the open questions that would settle it. Otherwise
    `causes` are what make it true (or, false): change one named answer so that its test
    flips and the causes change; change an answer not named and `holds` stays.
    """

    holds: bool | None
    causes: tuple[Cause, ...] = ()
    pending: tuple[str, ...] = ()

    def questions(self) -> list[str]:
        """Every question the causes name, in the order named, without repeats."""
        return list(dict.fromkeys(q for c in self.causes for q in c.questions))


def explain(condition: Condition, ctx: Context) -> Outcome:
    """Evaluate a condition in three values (true, false, undecided) with its causes.

    For `all` that holds, every branch is a cause; for `any`, the branches that hold;
    for `not`, whatever makes the inner condition false (for a false `all`, its false
    branches; for a false `any`, all of them); for `unknowns_at_least`, the unknown
    answers; for `flag`, the answers that decided the red flag.
    """
    if condition.all is not None or condition.any is not None:
        return _combine([explain(c, ctx) for c in condition.children()], condition.all is not None)
    if condition.not_ is not None:
        inner = explain(condition.not_, ctx)
        flipped = None if inner.holds is None else not inner.holds
        return Outcome(flipped, inner.causes, inner.pending)
    if condition.flag is not None:
        return _explain_flag(condition.flag, ctx)
    if condition.unknowns_at_least is not None:
        return _explain_unknowns(condition.unknowns_at_least, condition.sections, ctx)
    assert condition.question is not None
    if condition.question in ctx.open:
        return Outcome(None, pending=(condition.question,))
    result = _holds_for_question(condition, ctx)
    values = _values_tested(condition, ctx.values.get(condition.question), result)
    return Outcome(result, (Cause("answer", (condition.question,), values=values),))


def _values_tested(
    condition: Condition, value: AnswerValue | None, result: bool
) -> tuple[str, ...]:
    """The values of an answer that decided a test on it: for a test that matched chosen
    values (`is`, `in`, `includes`), those values; else everything the answer holds."""
    if value is None:
        return ()
    values = (
        value if isinstance(value, list) else [value if isinstance(value, str) else f"{value:g}"]
    )
    if result and condition.in_ is not None:
        return tuple(v for v in values if v in condition.in_)
    if result and condition.includes is not None:
        return (condition.includes,)
    return tuple(values)


def _combine(parts: list[Outcome], every: bool) -> Outcome:
    """`all` (every=True) or `any` of the parts, in Kleene's three-valued logic."""
    decisive = not every  # a true part decides `any`, a false part decides `all`
    if any(p.holds is decisive for p in parts):
        return Outcome(decisive, _causes(p for p in parts if p.holds is decisive))
    if any(p.holds is None for p in parts):
        pending = (q for p in parts if p.holds is None for q in p.pending)
        return Outcome(None, pending=tuple(dict.fromkeys(pending)))
    return Outcome(every, _causes(parts))


def _causes(parts: Iterable[Outcome]) -> tuple[Cause, ...]:
    return tuple(dict.fromkeys(c for p in parts for c in p.causes))


def _explain_flag(flag_id: str, ctx: Context) -> Outcome:
    outcome = ctx.outcomes.get(flag_id)
    if outcome is None:  # a rule not evaluated (yet): not raised
        return Outcome(False)
    if outcome.holds is None:
        return outcome
    cause = Cause("flag", tuple(outcome.questions()), flag_id, inner=outcome.causes)
    return Outcome(outcome.holds, (cause,))


def _explain_unknowns(at_least: int, sections: list[str] | None, ctx: Context) -> Outcome:
    unknown = _in_scope(sections, ctx, unknown=True)
    if len(unknown) >= at_least:
        return Outcome(True, (Cause("unknowns", tuple(unknown)),))
    open_in_scope = [q for q in _in_scope(sections, ctx, unknown=False) if q in ctx.open]
    if len(unknown) + len(open_in_scope) >= at_least:
        return Outcome(None, pending=tuple(open_in_scope))
    known = [q for q in _in_scope(sections, ctx, unknown=False) if q not in ctx.open]
    return Outcome(False, (Cause("unknowns", tuple(known)),))


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
