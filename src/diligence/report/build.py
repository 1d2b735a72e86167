"""Build the report model from an assessment and its score, one part at a time.

Pure: the same input gives an equal `Report`. Each part of the report has its own function
here, named after the field it fills; `build_report` puts them together. Facts come from
scoring as data (a reason's kind, a condition's source kind, the severity rule), never
re-derived from text.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from diligence.content.conditions import Cause
from diligence.content.models import (
    AnswersFile,
    CaseStudy,
    Checklist,
    FrameworkRegistry,
    Question,
    RiskLevel,
    Scenario,
    Severity,
    Verdict,
)
from diligence.content.rules import answer_text, needs_rationale
from diligence.dates import display_date, in_utc
from diligence.report.citations import Citations
from diligence.report.model import (
    GENERATOR,
    REPORT_FORMAT,
    AnswersInfo,
    Band,
    Briefing,
    CauseReport,
    Citation,
    ConditionReport,
    Edition,
    Finding,
    GapReport,
    LevelCount,
    LevelScore,
    PendingReport,
    ReasonReport,
    RedFlagReport,
    Report,
    ScoringMethod,
    SectionReport,
    SectionWeight,
    SeverityVerdict,
    Status,
    TimelineEntry,
)
from diligence.scoring import QuestionResult, ScoreResult, flag_verdict

if TYPE_CHECKING:
    from diligence.assessment.load import Assessment

EvidenceFrom = Literal["answer", "question", "briefing", "none"]

TOP_RED_FLAGS = 5
"""How many red flags the executive summary lists."""


def build_report(
    assessment: Assessment,
    result: ScoreResult,
    frameworks: FrameworkRegistry,
    *,
    answers_bytes: bytes,
    generated: datetime,
    trainer: bool = False,
    edition: Edition = "full",
) -> Report:
    """Gather everything a renderer needs.

    `answers_bytes` are the exact bytes of the answers file (hashed and embedded);
    `generated` is the report's date (from SOURCE_DATE_EPOCH for reproducible builds);
    `trainer` adds the teaching notes and what became known after the decision, marked;
    `edition` is the student edition or the full memo. Longer than most functions here
    only because it names every field of the `Report`; each part has its own function.
    """
    checklist, case, scenario = assessment.checklist, assessment.case, assessment.scenario
    citations = Citations(case, scenario, frameworks, hindsight=trainer)
    findings = _Findings(checklist, result, citations, trainer, scenario)
    sections = _sections(checklist, result, findings)
    red_flags = _red_flags(checklist, result, citations)
    briefing = briefing_of(scenario, citations, trainer) if scenario else None
    timeline = timeline_of(case, citations) if case else ()
    unanswered = tuple(findings.of(q) for q in result.questions if q.relevant and not q.answered)
    inactive = tuple(findings.of(q) for q in result.questions if q.inactive)
    # Last, after every citation was resolved; the student edition lists only the sources
    # of the passages it shows, those the assessor cited.
    shown = (
        {src for sec in sections for f in sec.findings for c in f.cited for src in c.sources}
        if edition == "student"
        else None
    )
    bibliography = citations.bibliography(shown)
    return Report(
        format=REPORT_FORMAT,
        generator=GENERATOR,
        generated=in_utc(generated),
        generated_display=display_date(generated),
        trainer=trainer,
        edition=edition,
        title=_title(assessment),
        assessor=assessment.answers.assessor.strip(),
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_title=checklist.title,
        checklist_description=checklist.description.strip(),
        kind=checklist.kind,
        case_id=case.id if case else None,
        case_title=case.title if case else None,
        case_summary=case.summary.strip() if case else "",
        origin=case.origin() if case else "",
        fictional=case.fictional if case else False,
        scenario=briefing,
        answers=_answers_info(assessment.path.name, assessment.answers, answers_bytes),
        verdict=result.verdict.value,
        verdict_label=result.verdict_label,
        provisional=result.provisional,
        verdict_sentence=verdict_sentence(result),
        overall=result.overall,
        overall_level=result.overall_level.value,
        complete=result.complete,
        missing=result.missing,
        reasons=_reasons(result),
        red_flags=red_flags,
        pending=_pending(result),
        top_red_flags=_top_red_flags(result),
        sections=sections,
        unknowns=tuple(q.id for q in result.unknowns),
        conditions=_conditions(result),
        unanswered=unanswered,
        inactive=inactive,
        not_applicable=sum(1 for q in result.questions if not q.relevant and not q.answered),
        timeline=timeline,
        bibliography=bibliography,
        glossary=citations.glossary(),
        scoring=scoring_method(checklist),
        outcome=result.outcome,
        gaps=tuple(
            GapReport(g.question, g.section, g.text, g.answer, g.risk.value, g.actions)
            for g in result.gaps
        ),
    )


def _title(assessment: Assessment) -> str:
    """The checklist, then the scenario or the case it is answered for, if any."""
    title = assessment.checklist.title
    about = assessment.scenario or assessment.case
    return f"{title}: {about.title}" if about else title


# --------------------------------------------------------------------------- findings


class _Findings:
    """Makes the `Finding` of any question: its answer with what it raised and calls for."""

    def __init__(
        self,
        checklist: Checklist,
        result: ScoreResult,
        citations: Citations,
        trainer: bool,
        scenario: Scenario | None,
    ) -> None:
        self.checklist = checklist
        self.citations = citations
        self.trainer = trainer
        self.scenario = scenario
        self.scenario_id = scenario.id if scenario else None
        self.flags_by_question: dict[str, tuple[str, ...]] = {}
        for flag in result.red_flags:
            for question_id in flag.own_answers:
                found = self.flags_by_question.get(question_id, ())
                self.flags_by_question[question_id] = (*found, flag.id)
        self.conditions_by_question: dict[str, tuple[str, ...]] = {}
        for condition in result.conditions:
            if condition.source_kind == "question":
                found = self.conditions_by_question.get(condition.source, ())
                self.conditions_by_question[condition.source] = (*found, condition.text)

    def of(self, q: QuestionResult) -> Finding:
        question = self.checklist.question(q.id)
        assert question is not None
        cited = self.citations.citations(q.cites)
        evidence, whose = self._evidence(question, cited)
        return Finding(
            question=q.id,
            section=q.section,
            text=q.text,
            status=_status(q),
            answer=q.answer,
            note=q.note.strip() if q.note and q.note.strip() else None,
            risk=q.risk.value if q.risk else None,
            risk_score=q.risk.score if q.risk else None,
            required=q.required,
            frameworks=self.citations.frameworks(question.frameworks),
            evidence=evidence,
            evidence_from=whose,
            cited=cited,
            conditions=self.conditions_by_question.get(q.id, ()),
            red_flags=self.flags_by_question.get(q.id, ()),
            teaching_note="\n\n".join(question.teaching_notes_for(self.scenario_id)) or None
            if self.trainer
            else None,
            rationale_required=q.relevant
            and needs_rationale(self.checklist.rationale_rule(question), question, q.value),
        )

    def _evidence(
        self, question: Question, cited: tuple[Citation, ...]
    ) -> tuple[tuple[Citation, ...], EvidenceFrom]:
        """What a finding shows as its evidence: the assessor's citations; else what the
        assessment showed for the question (its passages as of the decision, or the
        briefing's when it has none from then)."""
        if cited:
            return cited, "answer"
        default = self.citations.citations(question.cites)
        if default:
            return default, "question"
        if question.cites and self.scenario is not None:
            briefing = self.citations.citations(self.scenario.passages)
            if briefing:
                return briefing, "briefing"
        return (), "none"


def _status(q: QuestionResult) -> Status:
    if q.inactive:
        return "inactive"
    if not q.answered:
        return "unanswered"
    return "unknown" if q.unknown else "answered"


def _sections(
    checklist: Checklist, result: ScoreResult, findings: _Findings
) -> tuple[SectionReport, ...]:
    """Each section's score, with the findings of its answered, relevant questions."""
    by_id = {q.id: q for q in result.questions}
    return tuple(
        SectionReport(
            id=s.id,
            title=s.title,
            intro=section.intro,
            score=s.score,
            level=s.level.value if s.level else None,
            weight=s.weight,
            answered=s.answered,
            relevant=s.relevant,
            unknowns=s.unknowns,
            findings=tuple(
                findings.of(by_id[qid])
                for qid in s.questions
                if by_id[qid].relevant and by_id[qid].answered
            ),
        )
        for s, section in zip(result.sections, checklist.sections, strict=True)
    )


# --------------------------------------------------------------------------- the verdict


def _red_flags(
    checklist: Checklist, result: ScoreResult, citations: Citations
) -> tuple[RedFlagReport, ...]:
    return tuple(
        RedFlagReport(
            id=f.id,
            title=f.title,
            severity=f.severity.value,
            message=f.message,
            verdict=f.verdict.value,
            verdict_label=result.label(f.verdict),
            answers=f.answers,
            evidence=citations.citations(f.cites),
            frameworks=citations.frameworks(f.frameworks),
            mitigation=f.mitigation,
            causes=_causes(checklist, f.causes),
        )
        for f in result.red_flags
    )


def _causes(checklist: Checklist, causes: tuple[Cause, ...]) -> tuple[CauseReport, ...]:
    """A red flag's causes for a reader: one entry per answer (its matching values merged,
    as labels), then the red flags it builds on, then the unknown answers."""
    values: dict[str, list[str]] = {}
    for c in causes:
        if c.kind == "answer":
            found = values.setdefault(c.questions[0], [])
            found += [v for v in c.values if v not in found]
    shown = [
        CauseReport("answer", (q,), None, _shown(checklist.question(q), vs))
        for q, vs in values.items()
    ]
    shown += [CauseReport(c.kind, c.questions, c.flag) for c in causes if c.kind == "flag"]
    unknown = list(dict.fromkeys(q for c in causes if c.kind == "unknowns" for q in c.questions))
    if unknown:
        shown.append(CauseReport("unknowns", tuple(unknown), None))
    return tuple(shown)


def _shown(question: Question | None, values: list[str]) -> str:
    if not values:
        return "not answered"
    if question is not None and question.type == "multi":
        return answer_text(question, values)
    return answer_text(question, values[0] if len(values) == 1 else values)


def _pending(result: ScoreResult) -> tuple[PendingReport, ...]:
    return tuple(
        PendingReport(
            p.id,
            p.title,
            p.severity.value,
            p.verdict.label,
            p.settle,
            f"pending: {p.settle_text()}",
        )
        for p in result.pending
    )


def verdict_sentence(result: ScoreResult) -> str:
    """The verdict and the overall risk on one scale, in one sentence: what the overall
    risk alone gives (the checklist's thresholds), and what forces more, if anything."""
    if not result.states_verdict:
        return (
            f"The overall risk is {result.overall}/100, the weighted mean of the section "
            "risks; this assessment states no verdict, only the gaps to close."
        )
    threshold = next(r for r in result.reasons if r.kind == "threshold")
    band = result.label(threshold.verdict)
    risk = f"The overall risk of {result.overall}/100, the weighted mean of the section risks,"
    draft = (
        " This is a draft: the verdict may change as it is completed." if result.provisional else ""
    )
    worse = [
        r
        for r in result.reasons
        if r.kind == "red_flag" and r.verdict.rank > threshold.verdict.rank
    ]
    if not worse:
        return f"{risk} gives {band}, and no red flag forces more.{draft}"
    deciding = [r for r in worse if r.verdict == result.verdict]
    flags = ", ".join(r.flag or "" for r in deciding)
    noun = "red flag" if len(deciding) == 1 else "red flags"
    return (
        f"{risk} alone would give {band}; {noun} {flags} force{'s' if len(deciding) == 1 else ''} "
        f"{result.verdict_label}.{draft}"
    )


def _top_red_flags(result: ScoreResult) -> tuple[str, ...]:
    """The most severe red flags, in the order raised at equal severity."""
    ranked = sorted(enumerate(result.red_flags), key=lambda pair: (-pair[1].severity.rank, pair[0]))
    return tuple(f.id for _, f in ranked[:TOP_RED_FLAGS])


def _reasons(result: ScoreResult) -> tuple[ReasonReport, ...]:
    return tuple(
        ReasonReport(r.kind, r.verdict.value, result.label(r.verdict), r.text, r.answers, r.flag)
        for r in result.reasons
    )


def _conditions(result: ScoreResult) -> tuple[ConditionReport, ...]:
    return tuple(
        ConditionReport(text=c.text, source=c.source, source_kind=c.source_kind, risk=c.risk.value)
        for c in result.conditions
    )


# --------------------------------------------------------------------------- the case


def briefing_of(scenario: Scenario, citations: Citations, trainer: bool) -> Briefing:
    return Briefing(
        id=scenario.id,
        title=scenario.title,
        as_of=scenario.as_of,
        decision=scenario.decision.strip(),
        briefing=scenario.briefing.strip(),
        passages=citations.citations(scenario.passages),
        teaching_notes=tuple(scenario.teaching_notes) if trainer else (),
    )


def timeline_of(case: CaseStudy, citations: Citations) -> tuple[TimelineEntry, ...]:
    """The case's events by date; what they cite belongs in the bibliography too. An
    event after the decision keeps only its date, unless the report may show hindsight."""
    entries = []
    for e in sorted(case.timeline, key=lambda e: e.date):
        later = citations.after_decision(e.date)
        told = citations.hindsight or not later
        if told:
            citations.citations(e.passages)
            citations.cite_sources(e.sources)
        entries.append(
            TimelineEntry(
                id=e.id,
                date=e.date,
                event=e.event.strip() if told else "",
                passages=tuple(e.passages) if told else (),
                sources=tuple(e.sources) if told else (),
                certainty=e.certainty,
                after_decision=later,
            )
        )
    return tuple(entries)


def _answers_info(name: str, answers: AnswersFile, data: bytes) -> AnswersInfo:
    return AnswersInfo(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        status=answers.status,
        created=in_utc(answers.created) if answers.created else None,
        updated=in_utc(answers.updated) if answers.updated else None,
    )


# --------------------------------------------------------------------------- the method


def scoring_method(checklist: Checklist) -> ScoringMethod:
    """The checklist's scoring policy in the numbers the report's appendix explains."""
    policy = checklist.scoring
    levels = list(RiskLevel)
    bands: list[Band] = []
    for level in levels:
        scores = [s for s in range(101) if RiskLevel.from_score(s) is level]
        if scores:
            bands.append(Band(min(scores), max(scores), level.value))
    cuts = [0, policy.proceed_below, policy.conditions_below, policy.escalate_below, 101]
    verdict_bands = tuple(
        Band(low, high - 1, policy.label(verdict))
        for low, high, verdict in zip(cuts[:-1], cuts[1:], list(Verdict), strict=True)
        if high > low
    )
    unknown_counts: dict[RiskLevel, int] = {}
    for _, question in checklist.questions():
        if question.is_choice:
            unknown_counts[question.unknown_risk] = unknown_counts.get(question.unknown_risk, 0) + 1
    return ScoringMethod(
        risk_scores=tuple(LevelScore(level.value, level.score) for level in levels),
        level_bands=tuple(bands),
        verdict_bands=verdict_bands,
        severity_verdicts=tuple(
            SeverityVerdict(s.value, policy.label(flag_verdict(policy, s))) for s in Severity
        ),
        section_weights=tuple(SectionWeight(s.title, s.weight) for s in checklist.sections),
        unknown_risks=tuple(
            LevelCount(level.value, unknown_counts[level])
            for level in levels
            if level in unknown_counts
        ),
        red_flag_rules=len(checklist.red_flags),
    )
