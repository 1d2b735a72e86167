"""Class comparison: many students' answers for one scenario, against the reference answers.

Pure: it reads files and scores them, but prints nothing. Broken files, files for another
checklist or scenario, and incomplete files are reported with a one-line reason; the rest
of the class goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from diligence.assessment.load import Assessment, load_assessment, load_reference
from diligence.content.library import Library
from diligence.content.models import AnswerValue, Checklist, Verdict, has_value
from diligence.content.rules import answer_text
from diligence.errors import ContentError, DiligenceError, Problem, UsageError
from diligence.files import display_path
from diligence.scoring import ScoreResult, score


@dataclass(frozen=True)
class Submission:
    """One student's answers, scored, with agreement against the reference."""

    path: Path
    display: str
    student: str
    """The assessor's name, or "Student N" when anonymised."""
    assessment: Assessment
    result: ScoreResult
    agreement: float | None
    """Share of the reference's answered questions this student answered the same way."""

    @property
    def complete(self) -> bool:
        return self.result.complete


@dataclass(frozen=True)
class Rejected:
    """A file set aside, or included but incomplete, with why."""

    display: str
    reason: str
    line: int = 0

    @property
    def message(self) -> str:
        """The usual one-line form: `path:line: reason`."""
        return str(Problem(self.display, self.line, self.reason))


@dataclass(frozen=True)
class AnswerCount:
    value: str
    label: str
    count: int
    is_reference: bool


@dataclass(frozen=True)
class QuestionStats:
    id: str
    section: str
    text: str
    answered: int
    counts: tuple[AnswerCount, ...]
    reference: str | None
    """The reference answer as a reader sees it, if the reference answers this question."""
    agreement: float | None
    """Share of the students who answered it that gave the reference answer."""
    disagreement: float
    """1 minus the share of the most common answer: 0 when everyone agrees."""
    cites: tuple[str, ...]
    multi: bool = False
    """Multiple choice: `counts` are ticks per option, so they can add up to more than
    `answered`; agreement is still about the whole answer."""


@dataclass(frozen=True)
class ClassSummary:
    checklist: Checklist
    case_id: str | None
    scenario_id: str | None
    reference: Assessment | None
    reference_result: ScoreResult | None
    submissions: tuple[Submission, ...]
    rejected: tuple[Rejected, ...]
    incomplete: tuple[Rejected, ...]
    verdicts: tuple[tuple[Verdict, int], ...]
    questions: tuple[QuestionStats, ...]

    def discussion(self, limit: int = 8) -> tuple[QuestionStats, ...]:
        """The questions the class disagreed on most: prompts for discussion. A question
        counts once at least a quarter of the class (and two students) answered it."""
        enough = max(2, len(self.submissions) / 4)
        ranked = sorted(
            (q for q in self.questions if q.answered >= enough and q.disagreement > 0),
            key=lambda q: (-q.disagreement, q.agreement if q.agreement is not None else 1),
        )
        return tuple(ranked[:limit])


def collect(
    paths: Iterable[Path],
    library: Library,
    *,
    anonymize: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ClassSummary:
    """Load, check and score every file; compare each with the scenario's reference."""
    loaded, rejected = _load(paths, library, progress)
    members, strangers, (checklist_id, case_id, scenario_id) = _the_class(loaded)
    rejected += strangers
    checklist = library.checklist(checklist_id)
    reference_file = (
        library.reference_for(case_id, scenario_id) if case_id and scenario_id else None
    )
    reference = load_reference(reference_file, library)[0] if reference_file else None
    reference_result = score(checklist, reference.answers) if reference else None
    submissions = [
        _submission(number, assessment, checklist, reference_result, anonymize)
        for number, assessment in enumerate(members, 1)
    ]
    verdicts = Counter(s.result.verdict for s in submissions)
    return ClassSummary(
        checklist=checklist,
        case_id=case_id,
        scenario_id=scenario_id,
        reference=reference,
        reference_result=reference_result,
        submissions=tuple(submissions),
        rejected=tuple(rejected),
        incomplete=tuple(_incomplete(s) for s in submissions if not s.complete),
        verdicts=tuple((v, verdicts.get(v, 0)) for v in Verdict),
        questions=tuple(_question_stats(checklist, submissions, reference_result)),
    )


def _load(
    paths: Iterable[Path], library: Library, progress: Callable[[int], None] | None
) -> tuple[list[Assessment], list[Rejected]]:
    """Every file that loads and checks, and why the others do not; at least one must."""
    loaded: list[Assessment] = []
    rejected: list[Rejected] = []
    for path in paths:
        try:
            loaded.append(load_assessment(path, library))
        except DiligenceError as exc:
            rejected.append(_rejected(exc, display_path(path)))
        if progress:
            progress(1)
    if not loaded:
        raise UsageError(
            "no valid answers files among the inputs: "
            + "; ".join(f"{r.display}: {r.reason}" for r in rejected[:5])
        )
    return loaded, rejected


def _the_class(
    loaded: list[Assessment],
) -> tuple[list[Assessment], list[Rejected], tuple[str, str | None, str | None]]:
    """The class is the most common (checklist, case, scenario); other files are set aside."""
    majority = Counter(_class_key(a) for a in loaded).most_common(1)[0][0]
    members, strangers = [], []
    for assessment in loaded:
        if _class_key(assessment) == majority:
            members.append(assessment)
            continue
        checklist_id, _, scenario_id = _class_key(assessment)
        strangers.append(
            Rejected(
                assessment.display,
                f"is for {checklist_id} / scenario "
                f"{scenario_id or '-'}, not {majority[0]} / {majority[2]}",
            )
        )
    return members, strangers, majority


def _submission(
    number: int,
    assessment: Assessment,
    checklist: Checklist,
    reference: ScoreResult | None,
    anonymize: bool,
) -> Submission:
    result = score(checklist, assessment.answers)
    name = (
        f"Student {number}"
        if anonymize
        else (assessment.answers.assessor or Path(assessment.display).stem)
    )
    return Submission(
        path=assessment.path,
        display=assessment.display,
        student=name,
        assessment=assessment,
        result=result,
        agreement=_agreement(checklist, result, reference),
    )


def _incomplete(submission: Submission) -> Rejected:
    missing = submission.result.missing
    return Rejected(
        submission.display,
        f"incomplete: {len(missing)} required question(s) "
        f"unanswered ({', '.join(missing[:6])}{', ...' if len(missing) > 6 else ''})",
    )


def _class_key(assessment: Assessment) -> tuple[str, str | None, str | None]:
    answers = assessment.answers
    return (answers.checklist.id, answers.case, answers.scenario)


def _rejected(exc: DiligenceError, display: str) -> Rejected:
    """The first problem of a file, with its line, and how many more there were."""
    problems = exc.problems if isinstance(exc, ContentError) else []
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    if problems:
        return Rejected(display, problems[0].message + more, problems[0].line)
    return Rejected(display, str(exc))


def _normal(value: AnswerValue | None) -> str | tuple[str, ...] | None:
    """An answer in a form where equal answers compare equal (multi-choice order ignored)."""
    if not has_value(value):
        return None
    if isinstance(value, list):
        return tuple(sorted(value))
    return value if isinstance(value, str) else f"{value:g}"


def _agreement(
    checklist: Checklist, result: ScoreResult, reference: ScoreResult | None
) -> float | None:
    """The share of the reference's answered choice questions this student answered alike
    (free text is never compared)."""
    if reference is None:
        return None
    compared = agreed = 0
    for ref in reference.questions:
        question = checklist.question(ref.id)
        student = result.question(ref.id)
        if not (ref.relevant and ref.answered) or question is None or not question.is_choice:
            continue
        compared += 1
        if (
            student is not None
            and student.relevant
            and _normal(student.value) == _normal(ref.value)
        ):
            agreed += 1
    return agreed / compared if compared else None


def _question_stats(
    checklist: Checklist, submissions: list[Submission], reference: ScoreResult | None
) -> Iterable[QuestionStats]:
    for section, question in checklist.questions():
        if not question.is_choice:
            continue
        values = [
            _normal(q.value)
            for s in submissions
            if (q := s.result.question(question.id)) is not None and q.relevant and q.answered
        ]
        ref_q = reference.question(question.id) if reference else None
        ref_value = _normal(ref_q.value) if ref_q and ref_q.relevant and ref_q.answered else None
        answered = len(values)
        exact = Counter(values)
        agreement = (exact.get(ref_value, 0) / answered) if ref_value and answered else None
        top = max(exact.values()) if exact else 0
        counts: Counter[str | tuple[str, ...] | None]
        ref_set: set[str | tuple[str, ...] | None]
        if question.type == "multi":
            # Ticks per option: a list of combinations would be unreadable.
            counts = Counter(
                v for value in values for v in (value if isinstance(value, tuple) else (value,))
            )
            ref_set = set(ref_value) if isinstance(ref_value, tuple) else {ref_value}
        else:
            counts = Counter(values)
            ref_set = {ref_value}
        ordered = [o.value for o in question.choice_list] + ["unknown"]
        keys = sorted(
            counts,
            key=lambda v: (
                ordered.index(v) if isinstance(v, str) and v in ordered else len(ordered),
                str(v),
            ),
        )
        yield QuestionStats(
            id=question.id,
            section=section.id,
            text=question.text,
            answered=answered,
            counts=tuple(
                AnswerCount(
                    value=_key_text(k),
                    label=answer_text(question, list(k) if isinstance(k, tuple) else k),
                    count=counts[k],
                    is_reference=k in ref_set and ref_value is not None,
                )
                for k in keys
            ),
            reference=answer_text(question, ref_q.value) if ref_q and ref_value else None,
            agreement=agreement,
            disagreement=1 - top / answered if answered else 0.0,
            multi=question.type == "multi",
            cites=tuple(question.cites),
        )


def _key_text(key: str | tuple[str, ...] | None) -> str:
    if isinstance(key, tuple):
        return "+".join(key)
    return key or ""
