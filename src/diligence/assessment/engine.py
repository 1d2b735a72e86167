"""The assessment flow, pure: which question is current, what comes next, what a change skips.

No terminal, no files. `Flow` holds the checklist and an `AnswersFile` and changes the
answers in place; `drive` (drive.py) runs a flow through a `Prompter`. A trainer's
walkthrough steps through a `Flow` too. What the flow shows and accepts is defined in
`interface.py`, beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from diligence.assessment.citing import CaseView, search
from diligence.assessment.interface import (
    Evidence,
    EvidenceItem,
    Gaps,
    Review,
    ReviewRow,
    SectionStatus,
    Step,
)
from diligence.content.conditions import answer_risk, relevance
from diligence.content.models import Answer as SavedAnswer
from diligence.content.models import (
    AnswersFile,
    AnswerValue,
    CaseStudy,
    Chapter,
    Checklist,
    FrameworkRegistry,
    Passage,
    Question,
    Scenario,
    Section,
    has_value,
)
from diligence.content.rules import (
    answer_text,
    check_length,
    is_settled,
    missing_required,
    needs_rationale,
    reason_problem,
    typed,
    value_problem,
)
from diligence.dates import now


@dataclass(frozen=True)
class Changes:
    """What an answer changed elsewhere: answers kept aside, and answers that count again."""

    deactivated: tuple[str, ...] = ()
    reactivated: tuple[str, ...] = ()


# --------------------------------------------------------------------------- the flow


class Flow:
    """Where an assessor is in a checklist, and every change to their answers.

    Moving on after an answer has two modes. Filling (at the start, on resume, after a
    change from the review) goes to the first question still open. Walking (after Back or
    Jump) goes to the next relevant question in order, answered or not, and turns to
    filling at the end.
    """

    def __init__(
        self,
        checklist: Checklist,
        answers: AnswersFile,
        *,
        case: CaseStudy | None = None,
        scenario: Scenario | None = None,
        frameworks: FrameworkRegistry | None = None,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.checklist = checklist
        self.answers = answers
        self.case = case
        self.scenario = scenario
        self.frameworks = frameworks
        self.clock = clock
        self.view = CaseView(case, scenario) if case is not None else None
        """The case as this scenario may see it: evidence, citing, search."""
        self.order = checklist.questions()
        self.relevant: dict[str, bool] = {}
        self._refresh()
        self._mode: Literal["fill", "walk"] = "fill"
        self._at: str | None = self.first_open()

    @property
    def current(self) -> str | None:
        """The question being asked, or None at the review (or, walking, at the end)."""
        return self._at

    # ---------------------------------------------------------------- state

    def _refresh(self) -> Changes:
        """Re-evaluate skip logic and mark answers of irrelevant questions inactive."""
        values = {k: a.value for k, a in self.answers.answers.items() if has_value(a.value)}
        self.relevant, _ = relevance(self.checklist, values)
        deactivated: list[str] = []
        reactivated: list[str] = []
        for question_id, answer in self.answers.answers.items():
            inactive = not self.relevant.get(question_id, False)
            if inactive != answer.inactive and has_value(answer.value):
                (deactivated if inactive else reactivated).append(question_id)
            answer.inactive = inactive
        return Changes(tuple(deactivated), tuple(reactivated))

    def relevant_ids(self) -> list[str]:
        return [q.id for _, q in self.order if self.relevant[q.id]]

    def saved(self, question_id: str) -> SavedAnswer | None:
        return self.answers.answers.get(question_id)

    def is_done(self, question_id: str) -> bool:
        """Answered, or (optional questions) left blank on purpose."""
        return is_settled(self.question(question_id)[1], self.saved(question_id))

    def first_open(self) -> str | None:
        """The first relevant question not yet done, or None when all are."""
        return next((q for q in self.relevant_ids() if not self.is_done(q)), None)

    def question(self, question_id: str) -> tuple[Section, Question]:
        section = self.checklist.section_of(question_id)
        question = self.checklist.question(question_id)
        if section is None or question is None:
            raise KeyError(question_id)
        return section, question

    # ---------------------------------------------------------------- navigation

    def back(self) -> bool:
        """Go to the previous relevant question (from the review: the last one)."""
        ids = self.relevant_ids()
        at_review = self._at is None
        position = len(ids) if at_review else ids.index(self._at) if self._at in ids else 0
        earlier = ids[:position]
        if not earlier:
            return False
        self._at, self._mode = earlier[-1], "walk"
        return True

    def jump(self, section_id: str) -> None:
        """Go to the first relevant question of a section."""
        first = next(
            (q.id for s, q in self.order if s.id == section_id and self.relevant[q.id]), None
        )
        if first is None:
            raise ValueError(f"section {section_id} has no question that applies now")
        self._at, self._mode = first, "walk"

    def goto(self, question_id: str, *, walk: bool = False) -> None:
        """Go to one relevant question; afterwards, fill what is open or return to review
        (or, with `walk`, go on in order, as after Back or Jump: a browser's links do this)."""
        if not self.relevant.get(question_id):
            raise ValueError(f"question {question_id} does not apply now")
        self._at, self._mode = question_id, "walk" if walk else "fill"

    @property
    def walking(self) -> bool:
        """Whether moving on goes to the next question in order (after Back, Jump or a
        walking `goto`) rather than to the first one still open."""
        return self._mode == "walk"

    def walk_from_start(self) -> bool:
        """Go to the first relevant question, to go through all of them in order (as a
        trainer's walkthrough does); False when no question applies."""
        ids = self.relevant_ids()
        if not ids:
            return False
        self._at, self._mode = ids[0], "walk"
        return True

    def step_forward(self) -> None:
        """Go to the next relevant question in order, answered or not, changing nothing;
        after the last one, to the end (`current` is None)."""
        ids = self.relevant_ids()
        position = ids.index(self._at) if self._at in ids else len(ids)
        self._at = ids[position + 1] if position + 1 < len(ids) else None

    def advance(self) -> None:
        """Move on as after an answer, changing nothing (a browser's "Continue" on a
        question already done)."""
        self._advance()

    def _advance(self) -> None:
        ids = self.relevant_ids()
        if self._mode == "walk" and self._at in ids:
            later = ids[ids.index(self._at) + 1 :]
            if later:
                self._at = later[0]
                return
        self._mode = "fill"
        self._at = self.first_open()

    # ---------------------------------------------------------------- changes

    def answer(self, value: AnswerValue, note: str | None = None) -> Changes:
        """Record an answer to the current question (with its rationale, when `note` is
        given; blank removes it) and move on. An invalid one raises `ValueError` (free
        text or a note over its limit: `TooLong`, carrying the text) and changes nothing."""
        question = self._current_question()
        if question.type == "text" and isinstance(value, str):
            value = typed(value)
            check_length("answer", value, question.id)
        note = typed(note) if note is not None else None
        if note and note.strip():
            check_length("note", note.strip(), question.id)
        problem = value_problem(question, value)
        if problem is None and not has_value(value):
            problem = f"question {question.id} needs an answer"
        kept = self.saved(question.id)
        reason = note if note is not None else kept.note if kept else None
        problem = problem or reason_problem(question, value, reason)
        if problem:
            raise ValueError(problem)
        saved = self.answers.answers.setdefault(question.id, SavedAnswer())
        if note is not None:
            saved.note = note.strip() or None
        if saved.value != value or saved.answered_at is None:
            saved.value, saved.answered_at = value, self.clock()
        changes = self._changed()
        self._advance()
        return changes

    def skip(self) -> Changes:
        """Leave the current (optional) question blank and move on."""
        question = self._current_question()
        if question.required:
            raise ValueError(f"question {question.id} is required")
        saved = self.answers.answers.setdefault(question.id, SavedAnswer())
        saved.value, saved.answered_at = None, self.clock()
        changes = self._changed()
        self._advance()
        return changes

    def set_note(self, text: str) -> None:
        """Set the note on the current question; blank text removes it. A note over the
        limit raises `TooLong` and changes nothing."""
        question = self._current_question()
        note = typed(text).strip() or None
        if note:
            check_length("note", note, question.id)
        kept = self.saved(question.id)
        problem = reason_problem(question, kept.value if kept else None, note)
        if problem:
            raise ValueError(problem)
        saved = self.answers.answers.setdefault(question.id, SavedAnswer())
        saved.note = note
        if saved == SavedAnswer(inactive=saved.inactive):
            del self.answers.answers[question.id]  # nothing left in it
        self._changed()

    def cite(self, passage_ids: Iterable[str]) -> None:
        """Cite case passages in the current answer, after those it cites already.

        Raises ValueError, changing nothing, when a passage does not exist or postdates the
        scenario (`CaseView.cite_problem`)."""
        question = self._current_question()
        wanted = list(dict.fromkeys(passage_ids))
        for passage_id in wanted:
            problem = self._cite_problem(passage_id)
            if problem:
                raise ValueError(problem)
        saved = self.answers.answers.setdefault(question.id, SavedAnswer())
        added = [p for p in wanted if p not in saved.cites]
        if added:
            saved.cites = [*saved.cites, *added]
            self._changed()

    def uncite(self, passage_ids: Iterable[str]) -> None:
        """Remove passages from the current answer's citations (ids it lacks are ignored)."""
        question = self._current_question()
        saved = self.saved(question.id)
        gone = set(passage_ids)
        if saved is None or not gone & set(saved.cites):
            return
        saved.cites = [p for p in saved.cites if p not in gone]
        if saved == SavedAnswer(inactive=saved.inactive):
            del self.answers.answers[question.id]
        self._changed()

    def citable(self, query: str = "") -> tuple[EvidenceItem, ...]:
        """The passages of the whole case this assessment may cite that match `query` (id,
        title or words; empty: all), best matches first; none after the scenario's date."""
        return search(self.view.citable, query) if self.view else ()

    def _cite_problem(self, passage_id: str) -> str | None:
        if self.view is None:
            return "this assessment has no case to cite"
        return self.view.cite_problem(passage_id)

    def finish(self) -> list[str]:
        """Mark the assessment complete, or return the required questions still unanswered."""
        missing = missing_required(self.checklist, self.answers)
        if not missing:
            self.answers.status = "complete"
            self.answers.updated = self.clock()
        return missing

    def _current_question(self) -> Question:
        return self._current()[1]

    def _current(self) -> tuple[Section, Question]:
        if self._at is None:
            raise ValueError("no current question: the flow is at the review")
        return self.question(self._at)

    def _changed(self) -> Changes:
        self.answers.status = "in_progress"  # complete again once the review is confirmed
        self.answers.updated = self.clock()
        return self._refresh()

    # ---------------------------------------------------------------- views

    def step(self) -> Step:
        """What the prompt for the current question shows."""
        section, question = self._current()
        ids = self.relevant_ids()
        saved = self.saved(question.id)
        return Step(
            section=section,
            question=question,
            number=ids.index(question.id) + 1,
            total=len(ids),
            answered=sum(1 for q in ids if self.is_done(q)),
            saved=saved,
            can_go_back=ids.index(question.id) > 0,
            sections=tuple(self.section_statuses()),
            evidence=self.evidence(question),
            frameworks=tuple(self.framework_lines(question)),
            cited=self.view.items(saved.cites) if self.view and saved else (),
            citable=self.view.citable if self.view else (),
            rationale=self.checklist.rationale_rule(question),
            stem=self.checklist.stem(question),
        )

    def section_statuses(self) -> list[SectionStatus]:
        statuses = []
        for section in self.checklist.sections:
            ids = [q.id for q in section.questions if self.relevant[q.id]]
            statuses.append(
                SectionStatus(
                    id=section.id,
                    title=section.title,
                    relevant=bool(ids),
                    answered=sum(1 for q in ids if self.is_done(q)),
                    total=len(ids),
                )
            )
        return statuses

    def evidence(self, question: Question) -> Evidence:
        """The passages a question cites, leaving out the hindsight (`Passage.hindsight_for`)."""
        return self.view.evidence(question) if self.view else Evidence((), has_case=False)

    def evidence_item(self, chapter: Chapter, passage: Passage) -> EvidenceItem:
        assert self.view is not None
        return self.view.item(chapter, passage)

    def framework_lines(self, question: Question) -> list[str]:
        """The frameworks a question rests on, with provision titles where known."""
        lines = []
        for reference in question.frameworks:
            found = self.frameworks.resolve(reference) if self.frameworks else None
            if found is None:
                lines.append(reference)
            else:
                framework, provision = found
                title = provision.title if provision else framework.title
                lines.append(f"{reference}: {title}")
        return lines

    def review(self) -> Review:
        """Every answer and every open question, in checklist order; then kept old answers."""
        rows = []
        for section, question in self.order:
            saved = self.saved(question.id)
            if not self.relevant[question.id] and saved is None:
                continue
            value = saved.value if saved else None
            rows.append(
                ReviewRow(
                    question_id=question.id,
                    section=section.title,
                    text=question.text,
                    value=value,
                    shown=answer_text(question, value, "prompt"),
                    risk=answer_risk(question, value),
                    note=saved.note if saved else None,
                    inactive=not self.relevant[question.id],
                    relevant=self.relevant[question.id],
                    required=question.required,
                    done=self.is_done(question.id),
                    cites=tuple(saved.cites) if saved else (),
                    needs_rationale=needs_rationale(
                        self.checklist.rationale_rule(question), question, value
                    ),
                )
            )
        for question_id, saved in self.answers.answers.items():
            if self.checklist.question(question_id) is None:
                rows.append(
                    ReviewRow(
                        question_id=question_id,
                        section="(removed)",
                        text="no longer in the checklist",
                        value=saved.value,
                        shown=answer_text(None, saved.value, "prompt"),
                        risk=None,
                        note=saved.note,
                        inactive=True,
                        relevant=False,
                        required=False,
                        done=True,
                        cites=tuple(saved.cites),
                    )
                )
        missing = tuple(missing_required(self.checklist, self.answers))
        return Review(tuple(rows), missing, gaps(rows))


def gaps(rows: Iterable[ReviewRow]) -> Gaps:
    """What the answered, relevant rows lack as an argument: rationales and citations."""
    counted = [r for r in rows if r.relevant and has_value(r.value)]
    return Gaps(
        no_rationale=tuple(r.question_id for r in counted if not r.note),
        rationale_required=tuple(
            r.question_id for r in counted if not r.note and r.needs_rationale
        ),
        no_citation=tuple(r.question_id for r in counted if not r.cites),
    )
