"""Where a class's reasoning parts from the reference: red flags, section risks, citations.

Pure and UI-neutral, like the question statistics beside it: the class report, its JSON
and the browser's trainer view read the same numbers. Incomplete files are counted apart.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from diligence.content.models import Checklist, Passage, Severity
from diligence.scoring import ScoreResult
from diligence.trainer.questions import Student


@dataclass(frozen=True)
class FlagStats:
    """One red-flag rule: how many students raised it, and whether the reference does."""

    id: str
    title: str
    severity: Severity
    reference: bool
    raised: int
    """Counted students who raised it."""
    raised_incomplete: int
    of: int
    """Counted students."""

    @property
    def missed(self) -> int:
        """Counted students who did not raise a flag the reference raises."""
        return self.of - self.raised if self.reference else 0

    @property
    def extra(self) -> int:
        """Counted students who raised a flag the reference does not."""
        return 0 if self.reference else self.raised


@dataclass(frozen=True)
class SectionSpread:
    """One section's risk across the class, beside the reference's."""

    id: str
    title: str
    reference: int | None
    scores: tuple[int, ...]
    """Counted students' section risks (0-100), lowest first; unassessed sections left out."""
    scores_incomplete: tuple[int, ...]

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    @property
    def quartiles(self) -> tuple[float, float] | None:
        """The middle half of the class: first and third quartile."""
        if len(self.scores) < 2:
            return None
        q = statistics.quantiles(self.scores, n=4, method="inclusive")
        return q[0], q[2]


@dataclass(frozen=True)
class PassageUse:
    """One passage as the class and the reference cite it."""

    id: str
    title: str
    students: int
    """Students (counted or not) who cited it at least once."""
    citations: int
    """Answers, across the class, that cite it."""
    reference: bool
    """The reference answers cite it."""
    after_decision: bool
    """Hindsight for the scenario: dated, or made public, after the decision."""


def flag_stats(
    checklist: Checklist, students: Sequence[Student], reference: ScoreResult | None
) -> tuple[FlagStats, ...]:
    """Every red-flag rule of the checklist, in its order."""
    raised: Counter[str] = Counter()
    apart: Counter[str] = Counter()
    for student in students:
        (raised if student.counted else apart).update(f.id for f in student.result.red_flags)
    ref_flags = {f.id for f in reference.red_flags} if reference else set()
    of = sum(1 for s in students if s.counted)
    return tuple(
        FlagStats(
            id=rule.id,
            title=rule.title,
            severity=rule.severity,
            reference=rule.id in ref_flags,
            raised=raised[rule.id],
            raised_incomplete=apart[rule.id],
            of=of,
        )
        for rule in checklist.red_flags
    )


def most_missed(flags: Iterable[FlagStats], limit: int = 3) -> tuple[FlagStats, ...]:
    """The reference's flags the most students did not raise."""
    return tuple(sorted((f for f in flags if f.missed), key=lambda f: -f.missed)[:limit])


def most_extra(flags: Iterable[FlagStats], limit: int = 3) -> tuple[FlagStats, ...]:
    """The flags the reference does not raise that the most students raised."""
    return tuple(sorted((f for f in flags if f.extra), key=lambda f: -f.extra)[:limit])


def section_spreads(
    checklist: Checklist, students: Sequence[Student], reference: ScoreResult | None
) -> tuple[SectionSpread, ...]:
    ref_scores = {s.id: s.score for s in reference.sections} if reference else {}
    spreads = []
    for section in checklist.sections:
        scores: list[int] = []
        apart: list[int] = []
        for student in students:
            found = next((s for s in student.result.sections if s.id == section.id), None)
            if found is not None and found.score is not None:
                (scores if student.counted else apart).append(found.score)
        spreads.append(
            SectionSpread(
                id=section.id,
                title=section.title,
                reference=ref_scores.get(section.id),
                scores=tuple(sorted(scores)),
                scores_incomplete=tuple(sorted(apart)),
            )
        )
    return tuple(spreads)


def passage_use(
    students: Sequence[Student],
    reference: ScoreResult | None,
    passages: Mapping[str, Passage],
    as_of: str | None,
) -> tuple[PassageUse, ...]:
    """Every passage the class or the reference cites: most cited by students first, then
    the reference's passages that nobody cited."""
    students_citing: Counter[str] = Counter()
    citations: Counter[str] = Counter()
    for student in students:
        cited = [c for q in student.result.questions if q.relevant for c in q.cites]
        citations.update(cited)
        students_citing.update(set(cited))
    ref_cites = (
        {c for q in reference.questions if q.relevant and q.answered for c in q.cites}
        if reference
        else set()
    )
    used = []
    for passage_id in set(citations) | ref_cites:
        passage = passages.get(passage_id)
        if passage is None:
            continue
        used.append(
            PassageUse(
                id=passage_id,
                title=passage.title,
                students=students_citing[passage_id],
                citations=citations[passage_id],
                reference=passage_id in ref_cites,
                after_decision=passage.hindsight_for(as_of),
            )
        )
    return tuple(sorted(used, key=lambda u: (-u.students, -u.citations, u.id)))
