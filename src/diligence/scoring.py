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
  raised red flag (its `verdict_at_least`, else by severity; critical is always decline);
- a red flag names only the answers that make its rule true (`conditions.explain`); a rule
  that open questions could still decide either way is pending, not raised, and a draft's
  verdict is provisional;
- "not applicable" answers carry no risk and count as answered; a number's risk comes
  from its thresholds;
- a checklist whose outcome is gaps states no verdict: its result is the list of gaps,
  every answer at the policy's `gap_at_least` or above and every unknown.

Verdicts are named as the checklist names them (`ScoreResult.label`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from diligence.content.conditions import (
    Cause,
    Context,
    Outcome,
    answer_risk,
    explain,
    is_not_applicable,
    is_unknown,
    relevance,
)
from diligence.content.models import (
    AnswersFile,
    AnswerValue,
    Checklist,
    Question,
    RiskLevel,
    ScoringPolicy,
    Severity,
    Verdict,
    has_value,
)
from diligence.content.rules import answer_text, is_settled


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
    def not_applicable(self) -> bool:
        """Answered "not applicable": no risk, but answered (the note says why)."""
        return self.relevant and is_not_applicable(self.value)

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
    """The questions whose answers raised it, in checklist order: its causes' answers,
    including those behind the red flags it builds on."""
    cites: tuple[str, ...]
    frameworks: tuple[str, ...]
    mitigation: str | None
    causes: tuple[Cause, ...] = ()
    """Why the rule holds, branch by branch: answers, red flags it builds on, unknowns."""

    @property
    def own_answers(self) -> tuple[str, ...]:
        """The answers that raise it directly (not through another red flag)."""
        return tuple(dict.fromkeys(q for c in self.causes if c.kind != "flag" for q in c.questions))


@dataclass(frozen=True)
class PendingFlag:
    """A red-flag rule that the open questions of a draft could still raise or clear."""

    id: str
    title: str
    severity: Severity
    verdict: Verdict
    """The verdict it would force, if raised."""
    settle: tuple[str, ...]
    """The open questions to answer to settle it, in checklist order."""

    def settle_text(self, shown: int = 6) -> str:
        """What settles it, as every front end says it: "answer REM5 to settle it"."""
        named = ", ".join(self.settle[:shown])
        more = f" and {len(self.settle) - shown} more" if len(self.settle) > shown else ""
        return f"answer {named}{more} to settle it"


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
class Gap:
    """What a review found wanting: an answer at the checklist's gap level or above, or
    an unknown, with what closing it calls for."""

    question: str
    section: str
    text: str
    answer: str
    risk: RiskLevel
    actions: tuple[str, ...]
    """The mitigations the answer calls for (the checklist's, per option or threshold)."""


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
    pending: tuple[PendingFlag, ...] = field(default=())
    """Red-flag rules the open questions leave undecided: neither raised nor cleared."""
    outcome: Literal["verdict", "gaps"] = "verdict"
    """What the assessment ends in (the checklist's `scoring.outcome`): with gaps, no
    verdict is stated, and `gaps` is the result."""
    gaps: tuple[Gap, ...] = field(default=())
    labels: Mapping[Verdict, str] = field(default_factory=dict)
    """What the checklist calls each verdict; see `label`."""

    def label(self, verdict: Verdict) -> str:
        """A verdict as the checklist names it, e.g. "Escalate to the board"."""
        return self.labels.get(verdict) or verdict.label

    @property
    def verdict_label(self) -> str:
        return self.label(self.verdict)

    @property
    def states_verdict(self) -> bool:
        """Whether the result is a verdict (else a list of gaps)."""
        return self.outcome == "verdict"

    @property
    def not_applicable(self) -> tuple[QuestionResult, ...]:
        return tuple(q for q in self.questions if q.not_applicable)

    @property
    def provisional(self) -> bool:
        """A draft's verdict: it scores what is there, and may change as it is completed."""
        return not self.complete

    def question(self, question_id: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def to_json(self) -> dict[str, Any]:
        """The documented machine form (see `diligence score --help`)."""
        return {
            "checklist": {"id": self.checklist, "version": self.version},
            "outcome": self.outcome,
            "verdict": self.verdict.value if self.states_verdict else None,
            "verdict_label": self.verdict_label if self.states_verdict else None,
            "provisional": self.provisional,
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
            "pending_red_flags": [
                {**asdict(f), "severity": f.severity.value, "verdict": f.verdict.value}
                for f in self.pending
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
            "not_applicable": [q.id for q in self.not_applicable],
            "gaps": [
                {
                    "question": g.question,
                    "section": g.section,
                    "text": g.text,
                    "answer": g.answer,
                    "risk": g.risk.value,
                    "actions": list(g.actions),
                }
                for g in self.gaps
            ],
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
    open_ids = frozenset(
        q.id
        for _, q in checklist.questions()
        if relevant[q.id]
        and not is_settled(q, answers.answers.get(q.id), complete=answers.status == "complete")
    )
    flags, pending = red_flags(checklist, active, open_ids)
    conditions = _conditions(checklist, questions, flags)
    reasons = _reasons(checklist, overall_score, flags, questions)
    verdict = max((r.verdict for r in reasons), key=lambda v: v.rank)
    policy = checklist.scoring
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
        pending=pending,
        outcome=policy.outcome,
        gaps=_gaps(checklist, questions) if policy.outcome == "gaps" else (),
        labels=dict(policy.labels),
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


def red_flags(
    checklist: Checklist, active: Mapping[str, AnswerValue], open_ids: Collection[str] = ()
) -> tuple[tuple[RedFlag, ...], tuple[PendingFlag, ...]]:
    """The red flags the active answers raise, in rule order, each with its causes; and
    the rules that `open_ids` (questions still to answer) leave undecided."""
    order = {q.id: i for i, (_, q) in enumerate(checklist.questions())}
    outcomes: dict[str, Outcome] = {}
    raised: dict[str, RedFlag] = {}
    pending: list[PendingFlag] = []
    for rule in checklist.red_flags:
        ctx = Context(checklist, active, frozenset(raised), frozenset(open_ids), outcomes)
        outcome = explain(rule.when, ctx)
        outcomes[rule.id] = outcome
        verdict = flag_verdict(checklist.scoring, rule.severity, rule.verdict_at_least)
        if outcome.holds is None:
            settle = sorted(outcome.pending, key=lambda q: order.get(q, 0))
            pending.append(PendingFlag(rule.id, rule.title, rule.severity, verdict, tuple(settle)))
        elif outcome.holds:
            raised[rule.id] = RedFlag(
                id=rule.id,
                title=rule.title,
                severity=rule.severity,
                message=rule.message,
                verdict=verdict,
                answers=tuple(sorted(outcome.questions(), key=lambda q: order.get(q, 0))),
                cites=tuple(rule.cites),
                frameworks=tuple(rule.frameworks),
                mitigation=rule.mitigation,
                causes=outcome.causes,
            )
    return tuple(raised.values()), tuple(pending)


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


def _gaps(checklist: Checklist, questions: tuple[QuestionResult, ...]) -> tuple[Gap, ...]:
    """Every relevant answer at the gap level or above, and every unknown: riskiest first,
    then in checklist order."""
    at_least = checklist.scoring.gap_at_least.score
    found = []
    for result in questions:
        if result.risk is None or not (result.unknown or result.risk.score >= at_least):
            continue
        question = checklist.question(result.id)
        assert question is not None
        actions = tuple(_mitigations_for(question, result.value))
        found.append(
            Gap(result.id, result.section, result.text, result.answer, result.risk, actions)
        )
    return tuple(sorted(found, key=lambda g: -g.risk.score))


def _mitigations_for(question: Question, value: AnswerValue | None) -> list[str]:
    if is_unknown(value):
        return [question.unknown_mitigation] if question.unknown_mitigation else []
    if isinstance(value, int | float):
        reached = question.threshold_for(value)
        return [reached.mitigation] if reached and reached.mitigation else []
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
            f"'{policy.label(threshold).lower()}' under the checklist's thresholds "
            f"({policy.proceed_below}/{policy.conditions_below}/{policy.escalate_below})",
            tuple(q.id for q in riskiest[:5]),
        )
    ]
    reasons += [
        Reason(
            flag.verdict,
            f"red flag {flag.id} ({flag.severity.value}): {flag.message.rstrip('.')}"
            f"{from_causes(flag.causes)}",
            flag.answers,
            kind="red_flag",
            flag=flag.id,
        )
        for flag in flags
    ]
    # Worst first; at equal verdicts the red flags come before the threshold, being specific.
    return tuple(sorted(reasons, key=lambda r: (-r.verdict.rank, r.kind == "threshold")))


def from_causes(causes: Sequence[Cause]) -> str:
    """Where a red flag comes from, as a reason says it: ", from answers DST3, REM5",
    ", from red flag RF7 and the unknown answers ID4, CON4"."""
    answers = list(dict.fromkeys(q for c in causes if c.kind == "answer" for q in c.questions))
    flags = [c.flag for c in causes if c.kind == "flag" and c.flag]
    unknowns = list(dict.fromkeys(q for c in causes if c.kind == "unknowns" for q in c.questions))
    parts = []
    if answers:
        parts.append(f"answer{'s' if len(answers) != 1 else ''} {', '.join(answers)}")
    if flags:
        parts.append(f"red flag{'s' if len(flags) != 1 else ''} {', '.join(flags)}")
    if unknowns:
        parts.append(f"the unknown answer{'s' if len(unknowns) != 1 else ''} {', '.join(unknowns)}")
    if not parts:
        return ""
    joined = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f", from {joined}"


def causes_line(causes: Sequence[Cause]) -> str:
    """A red flag's causes on one line: "DST3, REM5", "red flag RF7; unknowns ID4, CON4"."""
    answers = [q for c in causes if c.kind == "answer" for q in c.questions]
    parts = [", ".join(dict.fromkeys(answers))] if answers else []
    parts += [f"red flag {c.flag}" for c in causes if c.kind == "flag"]
    unknowns = [q for c in causes if c.kind == "unknowns" for q in c.questions]
    if unknowns:
        parts.append(f"unknowns {', '.join(dict.fromkeys(unknowns))}")
    return "; ".join(parts)
