"""The report model: everything a renderer needs, resolved once, as frozen plain data.

`build.build_report` turns an assessment and its score into a `Report`: citations resolved
to their passage, chapter and source line (`citations.py`); framework references resolved
to full names; the bibliography of every source the report cites; the timeline, the
scenario briefing and the scoring policy in numbers. Renderers (PDF, HTML, Markdown, JSON)
only lay this out; none of them looks anything up. The model holds strings, numbers,
tuples and UTC datetimes only, so the JSON form is `dataclasses.asdict` with dates in ISO
8601, and two builds from the same input are equal.

Teaching notes, and anything dated or made public after the scenario's decision, are
included only in a trainer's report, so a student's report (and its JSON) never carries
them: it shows exactly what the assessment could show.

One model serves both editions: the default student edition (`edition == "student"`, the
student's argument in a few pages) and the full memo (`"full"`); renderers choose the
chapters (`chapters.contents`), the model is the same.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from diligence import __version__
from diligence.dates import iso_utc

REPORT_FORMAT = 2
"""The version of the report model's JSON form; raised when a key changes meaning."""

GENERATOR = f"diligence {__version__}"

Status = Literal["answered", "unknown", "unanswered", "inactive"]
Edition = Literal["student", "full"]


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
    """The bibliography ids behind `source`: the chapter's source first, if it has one."""
    chapter_source: str | None
    """The bibliography id the passage's chapter follows (an episode's, a book's), which
    `source` then names with the chapter; None for a chapter whose passages name their own."""
    summary: str
    quote: str | None
    speaker: str | None
    date: str | None
    certainty: str
    """confirmed | reported."""
    after_decision: bool
    """Dated, or made public, after the scenario's decision date: hindsight, not known at
    the time (`Passage.hindsight_for`). Only a trainer's report holds such citations."""
    gist: str = ""
    """The summary's first sentence: the one line a short report gives."""
    source_short: str = ""
    """Where it comes from, briefly: the episode and chapter, or bibliography keys."""


@dataclass(frozen=True)
class FrameworkReference:
    """A framework reference such as 'UNGP 19', resolved to full names."""

    reference: str
    framework: str
    """The framework's full title, or the reference itself when it does not resolve."""
    provision: str | None
    citation: str | None
    certainty: str
    cite_as: str | None = None
    """The framework's short name ('UNGP'), when the reference resolves."""


@dataclass(frozen=True)
class ProvisionUse:
    reference: str
    """As the report writes it: 'UNGP 19'."""
    provision: str | None
    """The provision's title, or None for the framework as a whole."""


@dataclass(frozen=True)
class FrameworkUse:
    """A framework the report refers to, with the provisions it names: the glossary entry
    that gives its full name once."""

    cite_as: str
    title: str
    citation: str | None
    certainty: str
    provisions: tuple[ProvisionUse, ...]


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
    evidence_from: Literal["answer", "question", "briefing", "none"]
    """Whose citations `evidence` holds: the assessor's; else the checklist's for the
    question; else, when none of those was known at the decision, the briefing's: the
    passages the assessment showed for the question."""
    cited: tuple[Citation, ...]
    """The assessor's own citations (what a short report shows)."""
    conditions: tuple[str, ...]
    """Conditions or mitigations this answer calls for."""
    red_flags: tuple[str, ...]
    """Ids of the red flags this answer raises directly (not through another flag)."""
    teaching_note: str | None
    rationale_required: bool = False
    """The checklist asks for a rationale on this answer."""


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
class CauseReport:
    """One reason a red flag was raised (`scoring.RedFlag.causes`)."""

    kind: Literal["answer", "flag", "unknowns"]
    questions: tuple[str, ...]
    """The answer; the answers behind the red flag built on; or the unknown answers."""
    flag: str | None
    shown: str = ""
    """For an answer, the part of it that the rule turned on, as a reader sees it: of a
    multiple-choice answer the choices that matched ("Journalists, Lawyers")."""


@dataclass(frozen=True)
class RedFlagReport:
    id: str
    title: str
    severity: str
    message: str
    verdict: str
    verdict_label: str
    answers: tuple[str, ...]
    """Every answer that raised it, also through the red flags it builds on."""
    evidence: tuple[Citation, ...]
    frameworks: tuple[FrameworkReference, ...]
    mitigation: str | None
    causes: tuple[CauseReport, ...] = ()
    """Why it was raised, branch by branch: only the answers that make its rule true."""


@dataclass(frozen=True)
class PendingReport:
    """A red-flag rule a draft leaves undecided: neither raised nor cleared."""

    id: str
    title: str
    severity: str
    verdict_label: str
    """What it would force, if raised."""
    settle: tuple[str, ...]
    text: str
    """"pending: answer REM5 to settle it"."""


@dataclass(frozen=True)
class ReasonReport:
    kind: Literal["threshold", "red_flag"]
    """From the overall risk's threshold, or from a red flag (whose text names its answers)."""
    verdict: str
    verdict_label: str
    text: str
    answers: tuple[str, ...]
    flag: str | None = None
    """The red flag's id, for a red-flag reason."""


@dataclass(frozen=True)
class ConditionReport:
    text: str
    source: str
    """The question or red-flag id it comes from."""
    source_kind: Literal["question", "red_flag"]
    risk: str


@dataclass(frozen=True)
class GapReport:
    """What a self-assessment found wanting (`scoring.Gap`): riskiest first."""

    question: str
    section: str
    text: str
    answer: str
    risk: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEntry:
    id: str
    date: str
    event: str
    """Empty for an event after the decision in a student's report: greyed, not told."""
    passages: tuple[str, ...]
    sources: tuple[str, ...]
    certainty: str
    after_decision: bool


@dataclass(frozen=True)
class Source:
    """A bibliography entry: an episode, a report, an article, a book, a court filing, a
    dataset, an official or other document, or fictional teaching material."""

    id: str
    kind: str
    """episode | report | article | book | court-filing | dataset | official | document |
    fictional."""
    kind_name: str
    """How text names the kind, e.g. "podcast episode"."""
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
    created: datetime | None
    """When the answers file was started and last changed (UTC), as it records."""
    updated: datetime | None


@dataclass(frozen=True)
class Argument:
    """The answers as an argument: how many give reasons and cite the case."""

    answers: int
    with_rationale: int
    rationale_missing: int
    """Answers without a rationale although the checklist asks for one."""
    citing: int
    citations: int


@dataclass(frozen=True)
class Report:
    format: int
    generator: str
    generated: datetime
    """When the report was rendered (UTC); from SOURCE_DATE_EPOCH when set."""
    generated_display: str
    trainer: bool
    edition: Edition
    title: str
    assessor: str
    checklist_id: str
    checklist_version: str
    checklist_title: str
    checklist_description: str
    kind: str
    """The checklist's kind: "decision" (a case exercise) or "self-assessment"."""
    case_id: str | None
    """None for a checklist that stands without a case: no case chapters then."""
    case_title: str | None
    case_summary: str
    origin: str
    """What the case is built from, in one sentence made from its sources' kinds; a
    fictional case says it is fictional (`CaseStudy.origin`); empty without a case."""
    fictional: bool
    scenario: Briefing | None
    answers: AnswersInfo
    verdict: str
    verdict_label: str
    provisional: bool
    """A draft's verdict: it scores what is there and may change."""
    verdict_sentence: str
    """The verdict and the overall risk in one sentence, on one scale: what the risk alone
    gives, and what (if anything) forces more."""
    overall: int
    overall_level: str
    complete: bool
    missing: tuple[str, ...]
    reasons: tuple[ReasonReport, ...]
    red_flags: tuple[RedFlagReport, ...]
    """In the order the checklist raises them."""
    pending: tuple[PendingReport, ...]
    """Red-flag rules that the open questions of a draft leave undecided."""
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
    """Events after the decision are there, greyed, with their text only in a trainer's
    report."""
    bibliography: tuple[Source, ...]
    glossary: tuple[FrameworkUse, ...]
    """Every framework the report refers to, by short name, with the provisions named."""
    scoring: ScoringMethod
    outcome: str = "verdict"
    """What the assessment ends in: "verdict", or "gaps" (no verdict is stated; `gaps`
    is the result)."""
    gaps: tuple[GapReport, ...] = ()

    @property
    def outcome_label(self) -> str:
        """The verdict as the checklist names it, or how many gaps are left to close."""
        if self.outcome == "gaps":
            return f"{len(self.gaps)} gap{'s' if len(self.gaps) != 1 else ''} to close"
        return self.verdict_label

    def finding(self, question_id: str) -> Finding | None:
        """One question's finding, wherever the report lists it (a section, the unanswered
        or the inactive): how renderers look up the questions a red flag names."""
        return self._findings.get(question_id)

    @functools.cached_property
    def _findings(self) -> dict[str, Finding]:
        every = [f for s in self.sections for f in s.findings] + [
            *self.unanswered,
            *self.inactive,
        ]
        return {f.question: f for f in every}

    def argument(self) -> Argument:
        """How much of the answers is argued: rationales and citations, counted."""
        findings = [f for s in self.sections for f in s.findings]
        return Argument(
            answers=len(findings),
            with_rationale=sum(1 for f in findings if f.note),
            rationale_missing=sum(1 for f in findings if f.rationale_required and not f.note),
            citing=sum(1 for f in findings if f.cited),
            citations=sum(len(f.cited) for f in findings),
        )

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


def _plain(value: Any) -> Any:
    """JSON-ready data: tuples as lists, datetimes as ISO 8601 in UTC."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
