"""Turn answers into section risks, red flags, unknowns, conditions and a verdict.

Everything here is driven by the checklist data (risk per option, weights, red-flag rules,
the scoring policy); nothing about a particular case is written in Python. Every result
carries the answers behind it, so a verdict can be traced back by reading the output.

The rules, in order:
- an answered choice question's risk is its option's risk (0/25/50/75/100); "unknown" takes
  the question's `unknown_risk`; a multi-choice answer takes the riskiest option chosen;
- a section's risk is the weighted mean of its answered, relevant questions' risks;
- the overall risk is the weighted mean of the section risks;
- the verdict is the worst of: the overall risk against the policy's thresholds, and each
  raised red flag (its `verdict_at_least`, else by severity; critical is always decline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from diligence.content.conditions import Context, answer_risk, holds, is_unknown, relevance
from diligence.content.models import (
    AnswersFile,
    AnswerValue,
    Checklist,
    Condition,
    Question,
    RiskLevel,
    ScoringPolicy,
    Severity,
    Verdict,
    has_value,
)
from diligence.content.rules import answer_text


@dataclass(frozen=True)
class QuestionResult:
    """One question as scored: its answer, risk, and whether it counted."""

    id: str
    section: str
    text: str
    value: AnswerValue | None
    answer: str
    """The answer as a reader sees it: option labels, or the free text."""
    risk: RiskLevel | None
    note: str | None
    cites: tuple[str, ...]
    relevant: bool
    required: bool

    @property
    def answered(self) -> bool:
        return has_value(self.value)

    @property
    def unknown(self) -> bool:
        return self.relevant and is_unknown(self.value)

    @property
    def inactive(self) -> bool:
        """Answered, but the question is no longer relevant given other answers."""
        return self.answered and not self.relevant


@dataclass(frozen=True)
class SectionResult:
    id: str
    title: str
    score: int | None
    """0-100, or None when no question of the section was answered."""
    level: RiskLevel | None
    weight: float
    answered: int
    relevant: int
    unknowns: int
    questions: tuple[str, ...]


@dataclass(frozen=True)
class RedFlag:
    id: str
    title: str
    severity: Severity
    message: str
    verdict: Verdict
    answers: tuple[str, ...]
    """The questions whose answers raised it."""
    cites: tuple[str, ...]
    frameworks: tuple[str, ...]
    mitigation: str | None


@dataclass(frozen=True)
class Mitigation:
    """A condition or mitigation that a risky answer or a red flag calls for."""

    text: str
    source: str
    """The question id or red-flag id it comes from."""
    risk: RiskLevel
    source_kind: Literal["question", "red_flag"]
    """What `source` names: a question or a red flag (their ids may look alike)."""


@dataclass(frozen=True)
class Reason:
    """One link in the verdict's chain of reasons."""

    verdict: Verdict
    text: str
    answers: tuple[str, ...] = ()
    kind: Literal["threshold", "red_flag"] = "threshold"
    """From the overall risk against the thresholds, or from a raised red flag."""
    flag: str | None = None
    """The red flag's id, for a red-flag reason."""


@dataclass(frozen=True)
class ScoreResult:
    checklist: str
    version: str
    verdict: Verdict
    overall: int
    overall_level: RiskLevel
    sections: tuple[SectionResult, ...]
    red_flags: tuple[RedFlag, ...]
    unknowns: tuple[QuestionResult, ...]
    conditions: tuple[Mitigation, ...]
    reasons: tuple[Reason, ...]
    questions: tuple[QuestionResult, ...]
    complete: bool
    missing: tuple[str, ...]
    """Required, relevant questions without an answer."""
    inactive: tuple[str, ...] = field(default=())

    def question(self, question_id: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def to_json(self) -> dict[str, Any]:
        """The documented machine form (see `diligence score --help`)."""
        return {
            "checklist": {"id": self.checklist, "version": self.version},
            "verdict": self.verdict.value,
            "verdict_label": self.verdict.label,
            "overall": {"score": self.overall, "level": self.overall_level.value},
            "complete": self.complete,
            "missing": list(self.missing),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "score": s.score,
                    "level": s.level.value if s.level else None,
                    "answered": s.answered,
                    "relevant": s.relevant,
                    "unknowns": s.unknowns,
                }
                for s in self.sections
            ],
            "red_flags": [
                {**asdict(f), "severity": f.severity.value, "verdict": f.verdict.value}
                for f in self.red_flags
            ],
            "unknowns": [
                {"question": q.id, "section": q.section, "text": q.text} for q in self.unknowns
            ],
            "conditions": [
                {"text": c.text, "source": c.source, "risk": c.risk.value} for c in self.conditions
            ],
            "reasons": [
                {"verdict": r.verdict.value, "text": r.text, "answers": list(r.answers)}
                for r in self.reasons
            ],
            "inactive": list(self.inactive),
        }


def score(checklist: Checklist, answers: AnswersFile) -> ScoreResult:
    """Score one answers file against its checklist. Pure and deterministic."""
    raw = {k: a.value for k, a in answers.answers.items() if has_value(a.value)}
    relevant, active = relevance(checklist, raw)
    questions = tuple(
        _question_result(section.id, q, answers, relevant[q.id])
        for section, q in checklist.questions()
    )
    by_id = {q.id: q for q in questions}
    sections = tuple(_section_result(checklist, s.id, by_id) for s in checklist.sections)
    overall = _weighted([(s.score, s.weight) for s in sections])
    overall_score = round(overall) if overall is not None else 0
    flags = _red_flags(checklist, active)
    conditions = _conditions(checklist, questions, flags)
    reasons = _reasons(checklist, overall_score, flags, questions)
    verdict = max((r.verdict for r in reasons), key=lambda v: v.rank)
    missing = tuple(q.id for q in questions if q.required and q.relevant and not q.answered)
    return ScoreResult(
        checklist=checklist.id,
        version=checklist.version,
        verdict=verdict,
        overall=overall_score,
        overall_level=RiskLevel.from_score(overall_score),
        sections=sections,
        red_flags=flags,
        unknowns=tuple(q for q in questions if q.unknown),
        conditions=conditions,
        reasons=reasons,
        questions=questions,
        complete=not missing,
        missing=missing,
        inactive=tuple(q.id for q in questions if q.inactive),
    )


def _question_result(
    section_id: str, question: Question, answers: AnswersFile, relevant: bool
) -> QuestionResult:
    answer = answers.answers.get(question.id)
    value = answer.value if answer else None
    return QuestionResult(
        id=question.id,
        section=section_id,
        text=question.text,
        value=value,
        answer=answer_text(question, value),
        risk=answer_risk(question, value) if relevant else None,
        note=answer.note if answer else None,
        cites=tuple(answer.cites) if answer else (),
        relevant=relevant,
        required=question.required,
    )


def _section_result(
    checklist: Checklist, section_id: str, by_id: Mapping[str, QuestionResult]
) -> SectionResult:
    section = next(s for s in checklist.sections if s.id == section_id)
    results = [by_id[q.id] for q in section.questions]
    weights = {q.id: q.weight for q in section.questions}
    scored = [(r.risk.score, weights[r.id]) for r in results if r.risk is not None]
    mean = _weighted(scored)
    score_value = round(mean) if mean is not None else None
    return SectionResult(
        id=section.id,
        title=section.title,
        score=score_value,
        level=RiskLevel.from_score(score_value) if score_value is not None else None,
        weight=section.weight,
        answered=sum(1 for r in results if r.relevant and r.answered),
        relevant=sum(1 for r in results if r.relevant),
        unknowns=sum(1 for r in results if r.unknown),
        questions=tuple(r.id for r in results),
    )


def _weighted(pairs: Sequence[tuple[int | None, float]]) -> float | None:
    counted = [(v, w) for v, w in pairs if v is not None and w > 0]
    total = sum(w for _, w in counted)
    if not counted or total == 0:
        return None
    return sum(v * w for v, w in counted) / total


def _red_flags(checklist: Checklist, active: Mapping[str, AnswerValue]) -> tuple[RedFlag, ...]:
    raised: dict[str, RedFlag] = {}
    for rule in checklist.red_flags:
        ctx = Context(checklist, active, frozenset(raised))
        if holds(rule.when, ctx):
            raised[rule.id] = RedFlag(
                id=rule.id,
                title=rule.title,
                severity=rule.severity,
                message=rule.message,
                verdict=flag_verdict(checklist.scoring, rule.severity, rule.verdict_at_least),
                answers=tuple(_evidence(rule.when, ctx, raised)),
                cites=tuple(rule.cites),
                frameworks=tuple(rule.frameworks),
                mitigation=rule.mitigation,
            )
    return tuple(raised.values())


def flag_verdict(
    policy: ScoringPolicy, severity: Severity, at_least: Verdict | None = None
) -> Verdict:
    """The verdict a raised red flag forces: by its severity under the policy, or the
    rule's own `verdict_at_least` when that is worse; a critical flag always declines.
    The one statement of that rule: scoring applies it, the report's appendix shows it."""
    by_severity = policy.severity_verdicts.get(severity, Verdict.proceed)
    if severity is Severity.critical:
        return Verdict.decline
    if at_least and at_least.rank > by_severity.rank:
        return at_least
    return by_severity


def _evidence(condition: Condition, ctx: Context, raised: Mapping[str, RedFlag]) -> list[str]:
    """The answered questions a condition read, in checklist order, without repeats."""
    found: list[str] = [q for q in condition.questions() if q in ctx.values]
    for flag_id in condition.flags():
        if flag_id in raised:
            found += raised[flag_id].answers
    if _counts_unknowns(condition):
        scoped = _unknown_scopes(condition)
        for section, question in ctx.checklist.questions():
            in_scope = scoped is None or section.id in scoped
            if in_scope and is_unknown(ctx.values.get(question.id)):
                found.append(question.id)
    order = {q.id: i for i, (_, q) in enumerate(ctx.checklist.questions())}
    return sorted(dict.fromkeys(found), key=lambda q: order.get(q, 0))


def _counts_unknowns(condition: Condition) -> bool:
    return any(node.unknowns_at_least is not None for node in condition.walk())


def _unknown_scopes(condition: Condition) -> set[str] | None:
    """The sections unknowns were counted in, or None when counted everywhere."""
    scopes: set[str] = set()
    for node in condition.walk():
        if node.unknowns_at_least is not None:
            if node.sections is None:
                return None
            scopes |= set(node.sections)
    return scopes


def _conditions(
    checklist: Checklist, questions: tuple[QuestionResult, ...], flags: tuple[RedFlag, ...]
) -> tuple[Mitigation, ...]:
    found: dict[str, Mitigation] = {}
    for result in questions:
        if result.risk is None or result.risk.score < RiskLevel.medium.score:
            continue
        question = checklist.question(result.id)
        assert question is not None
        for text in _mitigations_for(question, result.value):
            found.setdefault(text, Mitigation(text, result.id, result.risk, "question"))
    for flag in flags:
        if flag.mitigation:
            risk = RiskLevel.critical if flag.severity is Severity.critical else RiskLevel.high
            found.setdefault(
                flag.mitigation, Mitigation(flag.mitigation, flag.id, risk, "red_flag")
            )
    return tuple(sorted(found.values(), key=lambda m: -m.risk.score))


def _mitigations_for(question: Question, value: AnswerValue | None) -> list[str]:
    if is_unknown(value):
        return [question.unknown_mitigation] if question.unknown_mitigation else []
    values = value if isinstance(value, list) else [value]
    texts = []
    for v in values:
        option = question.option(v) if isinstance(v, str) else None
        if option and option.mitigation and option.risk.score >= RiskLevel.medium.score:
            texts.append(option.mitigation)
    return texts


def _reasons(
    checklist: Checklist,
    overall: int,
    flags: tuple[RedFlag, ...],
    questions: tuple[QuestionResult, ...],
) -> tuple[Reason, ...]:
    policy = checklist.scoring
    bands = [
        (policy.proceed_below, Verdict.proceed),
        (policy.conditions_below, Verdict.proceed_with_conditions),
        (policy.escalate_below, Verdict.escalate),
    ]
    threshold = next((v for bound, v in bands if overall < bound), Verdict.decline)
    riskiest = sorted(
        (q for q in questions if q.risk is not None and q.risk.score >= RiskLevel.high.score),
        key=lambda q: -q.risk.score if q.risk else 0,
    )
    reasons = [
        Reason(
            threshold,
            f"overall risk {overall}/100 ({RiskLevel.from_score(overall).value}) gives "
            f"'{threshold.label.lower()}' under the checklist's thresholds "
            f"({policy.proceed_below}/{policy.conditions_below}/{policy.escalate_below})",
            tuple(q.id for q in riskiest[:5]),
        )
    ]
    for flag in flags:
        from_answers = (
            f", from answer{'s' if len(flag.answers) != 1 else ''} " + ", ".join(flag.answers)
            if flag.answers
            else ""
        )
        reasons.append(
            Reason(
                flag.verdict,
                f"red flag {flag.id} ({flag.severity.value}): {flag.message.rstrip('.')}"
                f"{from_answers}",
                flag.answers,
                kind="red_flag",
                flag=flag.id,
            )
        )
    # Worst first; at equal verdicts the red flags come before the threshold, being specific.
    return tuple(sorted(reasons, key=lambda r: (-r.verdict.rank, r.kind == "threshold")))
