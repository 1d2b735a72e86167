"""The report model: everything a renderer needs, resolved once, as frozen plain data.

`build_report` turns an assessment and its score into a `Report`: citations resolved to their
passage, chapter and source line; framework references resolved to full names; the
bibliography of every source the report cites; the timeline, the scenario briefing and the
scoring policy in words. Renderers (PDF, HTML, Markdown, JSON) only lay this out; none of
them looks anything up. The model holds strings, numbers and tuples only, so the JSON form
is `dataclasses.asdict` and two builds from the same input are equal.

Teaching notes are included only when `trainer=True`, so a student's report (and its JSON)
never carries them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from diligence import __version__
from diligence.assessment.load import Assessment
from diligence.content.models import (
    CaseStudy,
    Chapter,
    Checklist,
    FrameworkRegistry,
    Passage,
    RiskLevel,
    Scenario,
    Severity,
    Verdict,
    after_date,
)
from diligence.scoring import QuestionResult, ScoreResult

REPORT_FORMAT = 1
"""The version of the report model's JSON form; raised when a key changes meaning."""

GENERATOR = f"diligence {__version__}"

Status = Literal["answered", "unknown", "unanswered", "inactive"]


@dataclass(frozen=True)
class Citation:
    """One case passage as the report cites it."""

    passage: str
    title: str
    chapter: str
    """The chapter's title."""
    source: str
    """Where it comes from, e.g. "Malicious Life S3E227, 'Is NSO Evil? Part 1', chapter
    'Casa Blanca'", or the bibliography citation of a public-record passage."""
    sources: tuple[str, ...]
    """The bibliography ids behind `source` (the episode id for episode passages)."""
    in_episode: bool
    """From one of the episode's chapters (else from the public record)."""
    summary: str
    quote: str | None
    speaker: str | None
    date: str | None
    certainty: str
    """confirmed | reported."""
    after_decision: bool
    """Dated, or made public, after the scenario's decision date: hindsight, not known at
    the time (`Passage.hindsight_for`)."""


@dataclass(frozen=True)
class FrameworkReference:
    """A framework reference such as 'UNGP 19', resolved to full names."""

    reference: str
    framework: str
    """The framework's full title, or the reference itself when it does not resolve."""
    provision: str | None
    citation: str | None
    certainty: str


@dataclass(frozen=True)
class Finding:
    """One question with its answer, the assessor's rationale, risk, frameworks and evidence."""

    question: str
    section: str
    text: str
    status: Status
    answer: str
    note: str | None
    """The assessor's rationale: plain text, line breaks kept."""
    risk: str | None
    """none | low | medium | high | critical; None when not scored (text, unanswered)."""
    risk_score: int | None
    required: bool
    frameworks: tuple[FrameworkReference, ...]
    evidence: tuple[Citation, ...]
    evidence_from: Literal["answer", "question", "none"]
    """Whose citations `evidence` holds: the assessor's, else the checklist's defaults."""
    conditions: tuple[str, ...]
    """Conditions or mitigations this answer calls for."""
    red_flags: tuple[str, ...]
    """Ids of the red flags this answer helped raise."""
    teaching_note: str | None


@dataclass(frozen=True)
class SectionReport:
    id: str
    title: str
    intro: str | None
    score: int | None
    level: str | None
    weight: float
    answered: int
    relevant: int
    unknowns: int
    findings: tuple[Finding, ...]
    """The answered, relevant questions, in checklist order."""


@dataclass(frozen=True)
class RedFlagReport:
    id: str
    title: str
    severity: str
    message: str
    verdict: str
    verdict_label: str
    answers: tuple[str, ...]
    evidence: tuple[Citation, ...]
    frameworks: tuple[FrameworkReference, ...]
    mitigation: str | None


@dataclass(frozen=True)
class ReasonReport:
    kind: Literal["threshold", "red_flag"]
    """From the overall risk's threshold, or from a red flag (whose text names its answers)."""
    verdict: str
    verdict_label: str
    text: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class ConditionReport:
    text: str
    source: str
    """The question or red-flag id it comes from."""
    source_kind: Literal["question", "red_flag"]
    risk: str


@dataclass(frozen=True)
class TimelineEntry:
    id: str
    date: str
    event: str
    passages: tuple[str, ...]
    sources: tuple[str, ...]
    certainty: str
    after_decision: bool


@dataclass(frozen=True)
class Source:
    """A bibliography entry: the episode, or a document of the public record."""

    id: str
    kind: Literal["episode", "document"]
    citation: str
    date: str | None
    certainty: str


@dataclass(frozen=True)
class Briefing:
    """The scenario as the assessor was briefed."""

    id: str
    title: str
    as_of: str
    decision: str
    briefing: str
    passages: tuple[Citation, ...]
    teaching_notes: tuple[str, ...]
    """Only in trainer reports."""


@dataclass(frozen=True)
class Band:
    """A range of a 0-100 score and what it means."""

    low: int
    high: int
    label: str


@dataclass(frozen=True)
class LevelScore:
    level: str
    score: int


@dataclass(frozen=True)
class SeverityVerdict:
    severity: str
    verdict: str


@dataclass(frozen=True)
class SectionWeight:
    section: str
    weight: float


@dataclass(frozen=True)
class LevelCount:
    level: str
    questions: int


@dataclass(frozen=True)
class ScoringMethod:
    """The checklist's scoring policy, in numbers the appendix explains."""

    risk_scores: tuple[LevelScore, ...]
    """Each risk level and the score it counts as."""
    level_bands: tuple[Band, ...]
    """Which score range each section or overall level covers."""
    verdict_bands: tuple[Band, ...]
    """The overall score ranges of each verdict (the checklist's thresholds)."""
    severity_verdicts: tuple[SeverityVerdict, ...]
    """Each red-flag severity and the verdict it forces at least."""
    section_weights: tuple[SectionWeight, ...]
    unknown_risks: tuple[LevelCount, ...]
    """How many questions give "unknown" each risk level."""
    red_flag_rules: int


@dataclass(frozen=True)
class AnswersInfo:
    """The answers file the report was rendered from (embedded in the PDF)."""

    name: str
    sha256: str
    size: int
    status: str
    created: str | None
    updated: str | None


@dataclass(frozen=True)
class Report:
    format: int
    generator: str
    generated: str
    """When the report was rendered (ISO 8601, UTC); from SOURCE_DATE_EPOCH when set."""
    generated_display: str
    trainer: bool
    title: str
    assessor: str
    checklist_id: str
    checklist_version: str
    checklist_title: str
    checklist_description: str
    case_id: str
    case_title: str
    case_summary: str
    episode: str
    """The full citation of the episode the case is built from."""
    scenario: Briefing | None
    answers: AnswersInfo
    verdict: str
    verdict_label: str
    overall: int
    overall_level: str
    complete: bool
    missing: tuple[str, ...]
    reasons: tuple[ReasonReport, ...]
    red_flags: tuple[RedFlagReport, ...]
    """In the order the checklist raises them."""
    top_red_flags: tuple[str, ...]
    """Ids of the most severe red flags, for the executive summary."""
    sections: tuple[SectionReport, ...]
    unknowns: tuple[str, ...]
    """Ids of the questions answered "unknown"."""
    conditions: tuple[ConditionReport, ...]
    unanswered: tuple[Finding, ...]
    """Relevant questions without an answer."""
    inactive: tuple[Finding, ...]
    """Answered questions that are no longer relevant (kept, not scored)."""
    not_applicable: int
    """Questions neither relevant nor answered."""
    timeline: tuple[TimelineEntry, ...]
    bibliography: tuple[Source, ...]
    scoring: ScoringMethod

    def finding(self, question_id: str) -> Finding | None:
        every = [f for s in self.sections for f in s.findings] + [
            *self.unanswered,
            *self.inactive,
        ]
        return next((f for f in every if f.question == question_id), None)

    def first_citations(self, chapter: Literal["findings", "red_flags"]) -> dict[str, str]:
        """Passage id -> the question (or red flag) that cites it first in that chapter.

        Renderers summarise a passage in full there and refer back to it afterwards, so a
        passage cited by ten questions is not printed ten times.
        """
        owners: list[tuple[str, tuple[Citation, ...]]]
        if chapter == "findings":
            owners = [(f.question, f.evidence) for s in self.sections for f in s.findings]
        else:
            owners = [(f.id, f.evidence) for f in self.red_flags]
        first: dict[str, str] = {}
        for owner, citations in owners:
            for c in citations:
                first.setdefault(c.passage, owner)
        return first

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (docs/report-json.md): plain dicts, lists and scalars."""
        plain: dict[str, Any] = _plain(asdict(self))
        return plain


TOP_RED_FLAGS = 5


def build_report(
    assessment: Assessment,
    result: ScoreResult,
    frameworks: FrameworkRegistry,
    *,
    answers_bytes: bytes,
    generated: datetime,
    trainer: bool = False,
) -> Report:
    """Gather everything a renderer needs. Pure: same input, equal output.

    `answers_bytes` are the exact bytes of the answers file (hashed and embedded);
    `generated` is the report's date (from SOURCE_DATE_EPOCH for reproducible builds).
    """
    checklist, case, scenario = assessment.checklist, assessment.case, assessment.scenario
    answers = assessment.answers
    resolver = _Resolver(case, scenario, frameworks)
    flags_by_question: dict[str, list[str]] = {}
    for flag in result.red_flags:
        for question_id in flag.answers:
            flags_by_question.setdefault(question_id, []).append(flag.id)
    conditions_by_question: dict[str, list[str]] = {}
    for condition in result.conditions:
        conditions_by_question.setdefault(condition.source, []).append(condition.text)

    def finding(q: QuestionResult) -> Finding:
        question = checklist.question(q.id)
        assert question is not None
        cites = q.cites or tuple(question.cites)
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
            frameworks=resolver.frameworks(question.frameworks),
            evidence=resolver.citations(cites),
            evidence_from="answer" if q.cites else "question" if question.cites else "none",
            conditions=tuple(conditions_by_question.get(q.id, ())),
            red_flags=tuple(flags_by_question.get(q.id, ())),
            teaching_note=question.teaching_note if trainer else None,
        )

    by_id = {q.id: q for q in result.questions}
    sections = tuple(
        SectionReport(
            id=s.id,
            title=s.title,
            intro=checklist_section.intro,
            score=s.score,
            level=s.level.value if s.level else None,
            weight=s.weight,
            answered=s.answered,
            relevant=s.relevant,
            unknowns=s.unknowns,
            findings=tuple(
                finding(by_id[qid])
                for qid in s.questions
                if by_id[qid].relevant and by_id[qid].answered
            ),
        )
        for s, checklist_section in zip(result.sections, checklist.sections, strict=True)
    )
    red_flags = tuple(
        RedFlagReport(
            id=f.id,
            title=f.title,
            severity=f.severity.value,
            message=f.message,
            verdict=f.verdict.value,
            verdict_label=f.verdict.label,
            answers=f.answers,
            evidence=resolver.citations(f.cites),
            frameworks=resolver.frameworks(f.frameworks),
            mitigation=f.mitigation,
        )
        for f in result.red_flags
    )
    ranked = sorted(enumerate(result.red_flags), key=lambda pair: (-pair[1].severity.rank, pair[0]))
    flag_ids = {f.id for f in result.red_flags}
    briefing = None
    if scenario is not None:
        briefing = Briefing(
            id=scenario.id,
            title=scenario.title,
            as_of=scenario.as_of,
            decision=scenario.decision.strip(),
            briefing=scenario.briefing.strip(),
            passages=resolver.citations(scenario.passages),
            teaching_notes=tuple(scenario.teaching_notes) if trainer else (),
        )
    timeline = tuple(
        TimelineEntry(
            id=e.id,
            date=e.date,
            event=e.event.strip(),
            passages=tuple(e.passages),
            sources=tuple(e.sources),
            certainty=e.certainty,
            after_decision=resolver.after_decision(e.date),
        )
        for e in sorted(case.timeline, key=lambda e: e.date)
    )
    # Timeline events cite passages and documents too; they belong in the bibliography.
    resolver.citations(p for e in case.timeline for p in e.passages)
    resolver.cite_sources(s for e in case.timeline for s in e.sources)
    unanswered = tuple(finding(q) for q in result.questions if q.relevant and not q.answered)
    inactive = tuple(finding(q) for q in result.questions if q.inactive)
    bibliography = resolver.bibliography()  # last: after every citation was resolved
    title_subject = scenario.title if scenario else case.title
    return Report(
        format=REPORT_FORMAT,
        generator=GENERATOR,
        generated=generated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        generated_display=_display_date(generated.astimezone(UTC)),
        trainer=trainer,
        title=f"{checklist.title}: {title_subject}",
        assessor=answers.assessor.strip(),
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_title=checklist.title,
        checklist_description=checklist.description.strip(),
        case_id=case.id,
        case_title=case.title,
        case_summary=case.summary.strip(),
        episode=case.source.citation.strip(),
        scenario=briefing,
        answers=AnswersInfo(
            name=assessment.path.name,
            sha256=hashlib.sha256(answers_bytes).hexdigest(),
            size=len(answers_bytes),
            status=answers.status,
            created=_iso(answers.created),
            updated=_iso(answers.updated),
        ),
        verdict=result.verdict.value,
        verdict_label=result.verdict.label,
        overall=result.overall,
        overall_level=result.overall_level.value,
        complete=result.complete,
        missing=result.missing,
        reasons=tuple(
            ReasonReport(
                "red_flag" if r.text.startswith("red flag ") else "threshold",
                r.verdict.value,
                r.verdict.label,
                r.text,
                r.answers,
            )
            for r in result.reasons
        ),
        red_flags=red_flags,
        top_red_flags=tuple(f.id for _, f in ranked[:TOP_RED_FLAGS]),
        sections=sections,
        unknowns=tuple(q.id for q in result.unknowns),
        conditions=tuple(
            ConditionReport(
                text=c.text,
                source=c.source,
                source_kind="red_flag" if c.source in flag_ids else "question",
                risk=c.risk.value,
            )
            for c in result.conditions
        ),
        unanswered=unanswered,
        inactive=inactive,
        not_applicable=sum(1 for q in result.questions if not q.relevant and not q.answered),
        timeline=timeline,
        bibliography=bibliography,
        scoring=_scoring_method(checklist),
    )


def _status(q: QuestionResult) -> Status:
    if q.inactive:
        return "inactive"
    if not q.answered:
        return "unanswered"
    return "unknown" if q.unknown else "answered"


class _Resolver:
    """Resolves passage and framework ids, remembering every source it cited."""

    def __init__(
        self, case: CaseStudy, scenario: Scenario | None, frameworks: FrameworkRegistry
    ) -> None:
        self.case = case
        self.as_of = scenario.as_of if scenario else None
        self.registry = frameworks
        self.passages: Mapping[str, tuple[Chapter, Passage]] = case.passages()
        self.cited_sources: set[str] = set()
        self._cache: dict[str, Citation] = {}

    def after_decision(self, date: str | None) -> bool:
        return date is not None and self.as_of is not None and after_date(date, self.as_of)

    def citations(self, ids: Iterable[str]) -> tuple[Citation, ...]:
        found = []
        for passage_id in dict.fromkeys(ids):
            citation = self._citation(passage_id)
            if citation is not None:
                found.append(citation)
        return tuple(found)

    def cite_sources(self, ids: Iterable[str]) -> None:
        self.cited_sources.update(ids)

    def _citation(self, passage_id: str) -> Citation | None:
        if passage_id in self._cache:
            return self._cache[passage_id]
        if passage_id not in self.passages:
            return None  # the lint reports unknown ids; a report shows what resolves
        chapter, passage = self.passages[passage_id]
        source = self.case.source_line(chapter, passage)
        sources: tuple[str, ...] = tuple(passage.sources)
        if chapter.in_episode:
            sources = (self.case.source.id, *sources)
        self.cited_sources.update(sources)
        citation = Citation(
            passage=passage.id,
            title=passage.title,
            chapter=chapter.title,
            source=source,
            sources=sources,
            in_episode=chapter.in_episode,
            summary=passage.summary.strip(),
            quote=passage.quote.text.strip() if passage.quote else None,
            speaker=passage.quote.speaker if passage.quote else None,
            date=passage.date,
            certainty=passage.certainty,
            after_decision=passage.hindsight_for(self.as_of),
        )
        self._cache[passage_id] = citation
        return citation

    def frameworks(self, references: Iterable[str]) -> tuple[FrameworkReference, ...]:
        resolved = []
        for reference in dict.fromkeys(references):
            found = self.registry.resolve(reference)
            if found is None:
                resolved.append(FrameworkReference(reference, reference, None, None, "reported"))
                continue
            framework, provision = found
            resolved.append(
                FrameworkReference(
                    reference=reference,
                    framework=framework.title,
                    provision=provision.title.strip() if provision else None,
                    citation=framework.citation.strip(),
                    certainty=framework.certainty,
                )
            )
        return tuple(resolved)

    def bibliography(self) -> tuple[Source, ...]:
        episode = self.case.source
        entries = []
        if episode.id in self.cited_sources:
            entries.append(
                Source(episode.id, "episode", episode.citation.strip(), None, "confirmed")
            )
        documents = [b for b in self.case.bibliography if b.id in self.cited_sources]
        for b in sorted(documents, key=lambda b: (b.date or "9999", b.id)):
            entries.append(Source(b.id, "document", b.citation.strip(), b.date, b.certainty))
        return tuple(entries)


def _scoring_method(checklist: Checklist) -> ScoringMethod:
    policy = checklist.scoring
    levels = list(RiskLevel)
    bands: list[Band] = []
    for level in levels:
        scores = [s for s in range(101) if RiskLevel.from_score(s) is level]
        if scores:
            bands.append(Band(min(scores), max(scores), level.value))
    cuts = [0, policy.proceed_below, policy.conditions_below, policy.escalate_below, 101]
    verdict_bands = tuple(
        Band(low, high - 1, verdict.label)
        for low, high, verdict in zip(cuts[:-1], cuts[1:], list(Verdict), strict=True)
        if high > low
    )
    unknown_counts: dict[RiskLevel, int] = {}
    for _, question in checklist.questions():
        if question.is_choice:
            unknown_counts[question.unknown_risk] = unknown_counts.get(question.unknown_risk, 0) + 1
    severities = [
        SeverityVerdict(
            s.value,
            Verdict.decline.label
            if s is Severity.critical
            else policy.severity_verdicts.get(s, Verdict.proceed).label,
        )
        for s in Severity
    ]
    return ScoringMethod(
        risk_scores=tuple(LevelScore(level.value, level.score) for level in levels),
        level_bands=tuple(bands),
        verdict_bands=verdict_bands,
        severity_verdicts=tuple(severities),
        section_weights=tuple(SectionWeight(s.title, s.weight) for s in checklist.sections),
        unknown_risks=tuple(
            LevelCount(level.value, unknown_counts[level])
            for level in levels
            if level in unknown_counts
        ),
        red_flag_rules=len(checklist.red_flags),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _display_date(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"
