"""A class's answers to each question against the reference, with the reasons given.

Pure, and UI-neutral: counts, shares, and each answer's rationales and citations as data,
for the class report, its JSON and the browser's trainer view alike. Complete files are
counted; incomplete ones are counted apart (`incomplete`), except in a class where no file
is complete, where every file counts and the figures are provisional.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from diligence.content.models import AnswerValue, Checklist, Question, has_value
from diligence.content.rules import answer_text
from diligence.scoring import QuestionResult, ScoreResult

Key = str | tuple[str, ...]
"""An answer in a form where equal answers compare equal (multi-choice order ignored)."""


@dataclass(frozen=True)
class Rationale:
    """What one student wrote for an answer, and the passages they cited."""

    student: str
    """The student's label: the assessor's name, or "Student N" when anonymised."""
    text: str | None
    cites: tuple[str, ...]
    complete: bool


@dataclass(frozen=True)
class AnswerCount:
    """One answer (for a multiple-choice question: one ticked option) and how many gave it."""

    value: str
    label: str
    count: int
    """Among the counted files (the complete ones)."""
    is_reference: bool
    incomplete: int = 0
    """Among the incomplete files, counted apart."""


@dataclass(frozen=True)
class AnswerGroup:
    """The students who gave one whole answer, with what they wrote and cited."""

    value: str
    label: str
    count: int
    incomplete: int
    is_reference: bool
    rationales: tuple[Rationale, ...]
    """Every student's note and citations for this answer, complete files first."""
    cited: tuple[tuple[str, int], ...]
    """The passages these students cited, most cited first, with how many cited each."""

    def excerpts(self, limit: int = 3, length: int = 240) -> tuple[Rationale, ...]:
        """A few rationales to read out, shortened: complete files first, then those that
        cite passages, then those that say most; notes that say nothing are left out."""
        ranked = sorted(
            (r for r in self.rationales if r.text and r.text.strip()),
            key=lambda r: (not r.complete, not r.cites, -len(r.text or "")),
        )
        return tuple(
            Rationale(r.student, shorten(r.text or "", length), r.cites, r.complete)
            for r in ranked[:limit]
        )


@dataclass(frozen=True)
class QuestionStats:
    id: str
    section: str
    text: str
    answered: int
    """Counted files that answered it."""
    counts: tuple[AnswerCount, ...]
    reference: str | None
    """The reference answer as a reader sees it, if the reference answers this question."""
    agreement: float | None
    """Share of the counted students who answered it that gave the reference answer."""
    disagreement: float
    """1 minus the share of the most common answer: 0 when everyone agrees."""
    cites: tuple[str, ...]
    multi: bool = False
    """Multiple choice: `counts` are ticks per option, so they can add up to more than
    `answered`; agreement and `groups` are about whole answers."""
    answered_incomplete: int = 0
    groups: tuple[AnswerGroup, ...] = ()
    reference_note: str | None = None
    reference_cites: tuple[str, ...] = ()

    def top_groups(self, limit: int = 5) -> tuple[AnswerGroup, ...]:
        """The answers to discuss: every answer given, in the question's order; for
        multiple choice, the `limit` combinations given most."""
        if not self.multi:
            return self.groups
        return tuple(sorted(self.groups, key=lambda g: -(g.count + g.incomplete))[:limit])


@dataclass(frozen=True)
class Student:
    """What question statistics need of a submission."""

    label: str
    result: ScoreResult
    counted: bool
    """Counted with the class, or (an incomplete file) apart."""


def normal(value: AnswerValue | None) -> Key | None:
    """An answer in a comparable form; None when unanswered."""
    if not has_value(value):
        return None
    if isinstance(value, list):
        return tuple(sorted(value))
    return value if isinstance(value, str) else f"{value:g}"  # a number compares as text


def agreement(
    checklist: Checklist, result: ScoreResult, reference: ScoreResult | None
) -> float | None:
    """The share of the reference's answered choice questions this student answered alike
    (free text is never compared)."""
    if reference is None:
        return None
    compared = agreed = 0
    for ref in reference.questions:
        question = checklist.question(ref.id)
        if not (ref.relevant and ref.answered) or question is None or not question.is_choice:
            continue
        compared += 1
        student = result.question(ref.id)
        if student is not None and student.relevant and normal(student.value) == normal(ref.value):
            agreed += 1
    return agreed / compared if compared else None


def question_stats(
    checklist: Checklist,
    students: Sequence[Student],
    reference: ScoreResult | None,
    redact: Callable[[str], str] = str,
) -> Iterable[QuestionStats]:
    """Each choice question that applied to at least one student, in checklist order."""
    for section, question in checklist.questions():
        if not question.is_choice:
            continue
        answers = [(s, q) for s in students if (q := s.result.question(question.id)) is not None]
        if not any(q.relevant for _, q in answers):
            continue  # applied to nobody: nothing to discuss
        ref_q = reference.question(question.id) if reference else None
        yield _stats(section.id, question, answers, ref_q, redact)


def _stats(
    section_id: str,
    question: Question,
    answers: list[tuple[Student, QuestionResult]],
    ref_q: QuestionResult | None,
    redact: Callable[[str], str],
) -> QuestionStats:
    given = [(s, q, key) for s, q in answers if q.relevant and (key := normal(q.value)) is not None]
    counted = [key for s, _, key in given if s.counted]
    apart = [key for s, _, key in given if not s.counted]
    ref_value = normal(ref_q.value) if ref_q and ref_q.relevant else None
    exact = Counter(counted)
    answered = len(counted)
    top = max(exact.values()) if exact else 0
    return QuestionStats(
        id=question.id,
        section=section_id,
        text=question.text,
        answered=answered,
        answered_incomplete=len(apart),
        counts=_counts(question, counted, apart, ref_value),
        reference=answer_text(question, ref_q.value) if ref_q and ref_value else None,
        agreement=(exact.get(ref_value, 0) / answered) if ref_value and answered else None,
        disagreement=1 - top / answered if answered else 0.0,
        multi=question.type == "multi",
        cites=tuple(question.cites),
        groups=_groups(question, given, ref_value, redact),
        reference_note=ref_q.note if ref_q and ref_value else None,
        reference_cites=ref_q.cites if ref_q and ref_value else (),
    )


def _counts(
    question: Question, counted: list[Key], apart: list[Key], ref_value: Key | None
) -> tuple[AnswerCount, ...]:
    """Whole answers per answer; for multiple choice, ticks per option (a list of
    combinations would be unreadable)."""
    multi = question.type == "multi"

    def ticks(keys: list[Key]) -> Counter[Key]:
        if not multi:
            return Counter(keys)
        return Counter(v for key in keys for v in (key if isinstance(key, tuple) else (key,)))

    here, there = ticks(counted), ticks(apart)
    ref_set = set(ref_value) if multi and isinstance(ref_value, tuple) else {ref_value}
    return tuple(
        AnswerCount(
            value=key_text(k),
            label=_label(question, k),
            count=here.get(k, 0),
            incomplete=there.get(k, 0),
            is_reference=ref_value is not None and k in ref_set,
        )
        for k in _ordered(question, set(here) | set(there))
    )


def _groups(
    question: Question,
    given: list[tuple[Student, QuestionResult, Key]],
    ref_value: Key | None,
    redact: Callable[[str], str],
) -> tuple[AnswerGroup, ...]:
    by_key: dict[Key, list[tuple[Student, QuestionResult]]] = {}
    for student, result, key in given:
        by_key.setdefault(key, []).append((student, result))
    groups = []
    for key in _ordered(question, set(by_key)):
        members = sorted(by_key[key], key=lambda m: not m[0].counted)
        cited = Counter(c for _, r in members for c in dict.fromkeys(r.cites))
        groups.append(
            AnswerGroup(
                value=key_text(key),
                label=_label(question, key),
                count=sum(1 for s, _ in members if s.counted),
                incomplete=sum(1 for s, _ in members if not s.counted),
                is_reference=key == ref_value,
                rationales=tuple(
                    Rationale(s.label, redact(r.note) if r.note else None, r.cites, s.counted)
                    for s, r in members
                ),
                cited=tuple(sorted(cited.items(), key=lambda item: (-item[1], item[0]))),
            )
        )
    return tuple(groups)


def _ordered(question: Question, keys: set[Key]) -> list[Key]:
    """Answers in the order the question offers them, "unknown" last, combinations after."""
    order = [o.value for o in question.choice_list] + ["unknown"]

    def place(key: Key) -> tuple[int, str]:
        if isinstance(key, str) and key in order:
            return order.index(key), key
        return len(order), key_text(key)

    return sorted(keys, key=place)


def _label(question: Question, key: Key) -> str:
    return answer_text(question, list(key) if isinstance(key, tuple) else key)


def shorten(text: str, length: int) -> str:
    """Text on one line, cut at a word before `length` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1].rsplit(" ", 1)[0] if " " in flat[: length - 1] else flat[: length - 1]
    return cut.rstrip(" ,;:.") + "…"


def key_text(key: Key | None) -> str:
    if isinstance(key, tuple):
        return "+".join(key)
    return key or ""
