"""Class comparison: many students' answers for one scenario, against the reference answers.

Pure: it reads files and scores them, but prints nothing. Broken files, files for another
checklist or scenario, and incomplete files are reported with a one-line reason; the rest
of the class goes on. With `anonymize`, everything a renderer reads names students only
as "Student N" (numbers from `anonymity.class_numbers`) and their own text is cleared of
the class's names; the real paths stay in `path`/`display` for the trainer's console and
key file.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from diligence.assessment.load import (
    Assessment,
    assessment_from_bytes,
    load_reference,
)
from diligence.content.library import Library
from diligence.content.models import Checklist, Verdict
from diligence.content.yamlio import read_bytes
from diligence.errors import AnswersError, ContentError, DiligenceError, Problem, UsageError
from diligence.files import display_path
from diligence.scoring import ScoreResult, score
from diligence.trainer.anonymity import Redactor, class_numbers, student_label
from diligence.trainer.comparison import (
    FlagStats,
    PassageUse,
    SectionSpread,
    flag_stats,
    passage_use,
    section_spreads,
)
from diligence.trainer.questions import QuestionStats, Student, agreement, question_stats

__all__ = ["ClassSummary", "QuestionStats", "Rejected", "Submission", "collect"]


@dataclass(frozen=True)
class Submission:
    """One student's answers, scored, with agreement against the reference."""

    path: Path
    display: str
    number: int
    """The student's number in the class (`anonymity.class_numbers`)."""
    student: str
    """The assessor's name, or "Student N" when anonymised."""
    assessment: Assessment
    result: ScoreResult
    agreement: float | None
    """Share of the reference's answered questions this student answered the same way."""

    @property
    def complete(self) -> bool:
        return self.result.complete

    @property
    def assessor(self) -> str:
        """The name in the file, whatever the report shows."""
        return self.assessment.answers.assessor.strip()

    @property
    def red_flags(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.result.red_flags)

    @property
    def without_rationale(self) -> int:
        """Answered choice questions that apply, with no note giving a reason."""
        checklist = self.assessment.checklist
        return sum(
            1
            for q in self.result.questions
            if q.relevant and q.answered and not q.note and _is_choice(checklist, q.id)
        )

    @property
    def citations(self) -> int:
        """Passages cited, counted once per answer, over the answers that apply."""
        return sum(len(set(q.cites)) for q in self.result.questions if q.relevant)


@dataclass(frozen=True)
class Rejected:
    """A file set aside, or included but incomplete, with why."""

    display: str
    reason: str
    line: int = 0
    label: str | None = None
    """"Student N" when anonymised: then `message` names no file."""

    @property
    def message(self) -> str:
        """The usual one-line form, `path:line: reason`; anonymised, `Student 7: line 126:
        reason`."""
        if self.label is None:
            return str(Problem(self.display, self.line, self.reason))
        where = f"line {self.line}: " if self.line else ""
        return f"{self.label}: {where}{' '.join(self.reason.split())}"

    @property
    def for_trainer(self) -> str:
        """The form for the trainer's console: the file, and its number when anonymised."""
        real = str(Problem(self.display, self.line, self.reason))
        return f"{real} (shown as {self.label})" if self.label else real


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
    """Counted students per verdict (the complete files, see `provisional`)."""
    questions: tuple[QuestionStats, ...]
    """Choice questions that applied to at least one student."""
    anonymized: bool = False
    verdicts_incomplete: tuple[tuple[Verdict, int], ...] = ()
    """Incomplete files per (provisional) verdict, counted apart."""
    flags: tuple[FlagStats, ...] = ()
    sections: tuple[SectionSpread, ...] = ()
    passages: tuple[PassageUse, ...] = ()
    numbers: tuple[tuple[str, int], ...] = ()
    """Every input file (display path) with its student number, set-aside files too."""

    @property
    def provisional(self) -> bool:
        """No file is complete, so the figures count incomplete files: provisional."""
        return not any(s.complete for s in self.submissions)

    @property
    def counted(self) -> tuple[Submission, ...]:
        """The submissions the figures count: the complete ones (every one when none is)."""
        return tuple(s for s in self.submissions if s.complete or self.provisional)

    def discussion(self, limit: int = 8) -> tuple[QuestionStats, ...]:
        """The questions the class disagreed on most: prompts for discussion. A question
        counts once at least a quarter of the class (and two students) answered it."""
        enough = max(2, len(self.counted) / 4)
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
    loaded, failed, numbers = _load(paths, library, progress, anonymize)
    members, strangers, (checklist_id, case_id, scenario_id) = _the_class(loaded)
    checklist = library.checklist(checklist_id)
    reference_file = (
        library.reference_for(case_id, scenario_id) if case_id and scenario_id else None
    )
    reference = load_reference(reference_file, library)[0] if reference_file else None
    reference_result = score(checklist, reference.answers) if reference else None
    redact = _redactor(loaded, library) if anonymize else str
    label = (lambda path: student_label(numbers[path])) if anonymize else (lambda _: None)
    rejected = [
        Rejected(display_path(p), redact(r.reason), r.line, label(p)) for p, r in failed + strangers
    ]
    submissions = sorted(
        (_submission(a, numbers[a.path], reference_result, anonymize) for a in members),
        key=lambda s: s.number if anonymize else 0,
    )
    provisional = not any(s.complete for s in submissions)
    students = [Student(s.student, s.result, s.complete or provisional) for s in submissions]
    verdicts = Counter(s.result.verdict for s in students if s.counted)
    apart = Counter(s.result.verdict for s in students if not s.counted)
    case = library.case(case_id) if case_id else None
    return ClassSummary(
        checklist=checklist,
        case_id=case_id,
        scenario_id=scenario_id,
        reference=reference,
        reference_result=reference_result,
        submissions=tuple(submissions),
        rejected=tuple(rejected),
        incomplete=tuple(_incomplete(s, anonymize) for s in submissions if not s.complete),
        verdicts=tuple((v, verdicts.get(v, 0)) for v in Verdict),
        verdicts_incomplete=tuple((v, apart.get(v, 0)) for v in Verdict),
        questions=tuple(question_stats(checklist, students, reference_result, redact)),
        anonymized=anonymize,
        flags=flag_stats(checklist, students, reference_result),
        sections=section_spreads(checklist, students, reference_result),
        passages=passage_use(
            students,
            reference_result,
            {p.id: p for _, p in case.passages().values()} if case else {},
            reference.scenario.as_of if reference and reference.scenario else None,
        ),
        numbers=tuple((display_path(p), n) for p, n in numbers.items()),
    )


def _load(
    paths: Iterable[Path],
    library: Library,
    progress: Callable[[int], None] | None,
    anonymize: bool = False,
) -> tuple[list[Assessment], list[tuple[Path, Rejected]], dict[Path, int]]:
    """Every file that loads and checks, why the others do not, and every file's student
    number; at least one must load. A file with the same bytes as an earlier one (a copy,
    a hard link) is set aside: one student counts once (anonymised, without naming the
    other file, whose name may be a student's)."""
    loaded: list[Assessment] = []
    failed: list[tuple[Path, Rejected]] = []
    contents: list[tuple[Path, bytes]] = []
    seen: dict[str, str] = {}
    for path in paths:
        display = display_path(path)
        data = b""
        try:
            data = read_bytes(path, display, AnswersError)
            first = seen.setdefault(hashlib.sha256(data).hexdigest(), display)
            if first != display:
                other = "another file of the class" if anonymize else first
                raise AnswersError.at(display, 0, f"the same file as {other} (a copy?)")
            loaded.append(assessment_from_bytes(data, path, display, library))
        except DiligenceError as exc:
            failed.append((path, _rejected(exc, display)))
        contents.append((path, data or display.encode()))
        if progress:
            progress(1)
    if not loaded:
        raise UsageError(
            "no valid answers files among the inputs: "
            + "; ".join(r.message for _, r in failed[:5])
        )
    return loaded, failed, class_numbers(contents)


def _the_class(
    loaded: list[Assessment],
) -> tuple[list[Assessment], list[tuple[Path, Rejected]], tuple[str, str | None, str | None]]:
    """The class is the most common (checklist, case, scenario); other files are set aside."""
    majority = Counter(_class_key(a) for a in loaded).most_common(1)[0][0]
    members, strangers = [], []
    for assessment in loaded:
        if _class_key(assessment) == majority:
            members.append(assessment)
            continue
        checklist_id, _, scenario_id = _class_key(assessment)
        reason = (
            f"is for {checklist_id} / scenario {scenario_id or '-'}, "
            f"not {majority[0]} / {majority[2]}"
        )
        strangers.append((assessment.path, Rejected(assessment.display, reason)))
    return members, strangers, majority


def _submission(
    assessment: Assessment, number: int, reference: ScoreResult | None, anonymize: bool
) -> Submission:
    result = score(assessment.checklist, assessment.answers)
    name = assessment.answers.assessor.strip() or Path(assessment.display).stem
    return Submission(
        path=assessment.path,
        display=assessment.display,
        number=number,
        student=student_label(number) if anonymize else name,
        assessment=assessment,
        result=result,
        agreement=agreement(assessment.checklist, result, reference),
    )


def _incomplete(submission: Submission, anonymize: bool) -> Rejected:
    missing = submission.result.missing
    return Rejected(
        submission.display,
        f"incomplete: {len(missing)} required question(s) "
        f"unanswered ({', '.join(missing[:6])}{', ...' if len(missing) > 6 else ''})",
        label=submission.student if anonymize else None,
    )


def _redactor(loaded: list[Assessment], library: Library) -> Redactor:
    """Clears every class member's name, and the name-like words of their files' names,
    from text."""
    common = {w for a in loaded for w in (a.answers.scenario or "", a.answers.case) if w}
    common |= {w for c in library.checklists for w in c.split("-")}
    common = {part for word in common for part in word.split("-")}
    return Redactor(
        (a.answers.assessor for a in loaded),
        [a.path for a in loaded],
        common,
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


def _is_choice(checklist: Checklist, question_id: str) -> bool:
    question = checklist.question(question_id)
    return question is not None and question.is_choice
