"""The assessment flow, pure: which question is current, what comes next, what a change skips.

No terminal, no files. `Flow` holds the checklist and an `AnswersFile` and changes the
answers in place; `drive` runs a flow through a `Prompter` and calls `save` after every
change. A trainer's walkthrough can step through a `Flow` the same way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from diligence.content.conditions import answer_risk, relevance
from diligence.content.lint import missing_required, value_problem
from diligence.content.models import (
    UNKNOWN,
    AnswersFile,
    AnswerValue,
    CaseStudy,
    Chapter,
    Checklist,
    FrameworkRegistry,
    Passage,
    Question,
    RiskLevel,
    Scenario,
    Section,
)
from diligence.content.models import Answer as SavedAnswer

if TYPE_CHECKING:
    from diligence.assessment.prompter import Prompter


def now() -> datetime:
    """The current time in UTC, to the second: what answers files record."""
    return datetime.now(UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Answer:
    """Answer the current question."""

    value: AnswerValue


@dataclass(frozen=True)
class Skip:
    """Leave an optional question blank."""


@dataclass(frozen=True)
class Note:
    """Set the note on the current question; empty text removes it."""

    text: str


@dataclass(frozen=True)
class Back:
    """Go to the previous relevant question."""


@dataclass(frozen=True)
class Jump:
    """Go to the first relevant question of a section."""

    section_id: str


@dataclass(frozen=True)
class Quit:
    """Stop here; everything is saved already."""


@dataclass(frozen=True)
class Finish:
    """Confirm the review: the assessment is complete."""


@dataclass(frozen=True)
class Change:
    """From the review: go to one question to change its answer."""

    question_id: str


Action = Answer | Skip | Note | Back | Jump | Quit
ReviewAction = Finish | Change | Quit


class PromptInterrupted(KeyboardInterrupt):
    """Ctrl-C at a prompt, carrying what the user had typed so it can be saved first."""

    def __init__(self, pending: Action | None = None) -> None:
        super().__init__()
        self.pending = pending


# --------------------------------------------------------------------------- what prompts show


@dataclass(frozen=True)
class EvidenceItem:
    """One case passage, with its chapter and where it comes from."""

    passage: Passage
    chapter: Chapter
    source: str


@dataclass(frozen=True)
class Evidence:
    """The case passages a question cites, as far as the scenario's date allows."""

    items: list[EvidenceItem]
    later: list[str] = field(default_factory=list)
    """Cited passages left out because they are dated, or were made public, after the
    scenario (hindsight)."""
    as_of: str | None = None
    from_briefing: bool = False
    """True when the question cites nothing from before the scenario's date, so the items
    are the passages the scenario's briefing rests on."""


@dataclass(frozen=True)
class SectionStatus:
    id: str
    title: str
    relevant: bool
    answered: int
    total: int


@dataclass(frozen=True)
class Step:
    """Everything a prompt needs to show one question."""

    section: Section
    question: Question
    number: int
    """The question's place among the relevant questions, from 1."""
    total: int
    answered: int
    saved: SavedAnswer | None
    can_go_back: bool
    sections: list[SectionStatus]
    evidence: Evidence
    frameworks: list[str]


@dataclass(frozen=True)
class ReviewRow:
    question_id: str
    section: str
    text: str
    value: AnswerValue | None
    shown: str
    risk: RiskLevel | None
    note: str | None
    inactive: bool
    relevant: bool
    required: bool
    done: bool
    """Answered, or left blank on purpose."""


@dataclass(frozen=True)
class Review:
    rows: list[ReviewRow]
    missing: list[str]


@dataclass(frozen=True)
class Changes:
    """What an answer changed elsewhere: answers kept aside, and answers that count again."""

    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)


def describe(question: Question | None, value: AnswerValue | None) -> str:
    """An answer as a reader sees it: option labels, not values."""
    if value is None or value == [] or value == "":
        return "—"
    if question is None or question.type == "text":
        return value if isinstance(value, str) else ", ".join(value)
    values = value if isinstance(value, list) else [value]
    labels = []
    for item in values:
        option = question.option(item)
        labels.append("Unknown" if item == UNKNOWN else option.label if option else item)
    return "; ".join(labels)


def has_value(answer: SavedAnswer | None) -> bool:
    return answer is not None and answer.value not in (None, "", [])


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
        self.order = checklist.questions()
        self.relevant: dict[str, bool] = {}
        self._refresh()
        self.mode: Literal["fill", "walk"] = "fill"
        self.current: str | None = self.first_open()
        """The question being asked, or None at the review."""

    # ---------------------------------------------------------------- state

    def _refresh(self) -> Changes:
        """Re-evaluate skip logic and mark answers of irrelevant questions inactive."""
        values = {k: a.value for k, a in self.answers.answers.items() if has_value(a)}
        self.relevant, _ = relevance(self.checklist, values)
        changes = Changes()
        for question_id, answer in self.answers.answers.items():
            inactive = not self.relevant.get(question_id, False)
            if inactive != answer.inactive and has_value(answer):
                (changes.deactivated if inactive else changes.reactivated).append(question_id)
            answer.inactive = inactive
        return changes

    def relevant_ids(self) -> list[str]:
        return [q.id for _, q in self.order if self.relevant[q.id]]

    def saved(self, question_id: str) -> SavedAnswer | None:
        return self.answers.answers.get(question_id)

    def is_done(self, question_id: str) -> bool:
        """Answered, or (optional questions) left blank on purpose."""
        answer = self.saved(question_id)
        if has_value(answer):
            return True
        skipped = answer is not None and answer.answered_at is not None
        return skipped and not self.question(question_id)[1].required

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
        if self.current is None:
            earlier = ids
        else:
            earlier = ids[: ids.index(self.current)] if self.current in ids else []
        if not earlier:
            return False
        self.current, self.mode = earlier[-1], "walk"
        return True

    def jump(self, section_id: str) -> None:
        """Go to the first relevant question of a section."""
        first = next(
            (q.id for s, q in self.order if s.id == section_id and self.relevant[q.id]), None
        )
        if first is None:
            raise ValueError(f"section {section_id} has no question that applies now")
        self.current, self.mode = first, "walk"

    def goto(self, question_id: str) -> None:
        """Go to one relevant question; afterwards, fill what is open or return to review."""
        if not self.relevant.get(question_id):
            raise ValueError(f"question {question_id} does not apply now")
        self.current, self.mode = question_id, "fill"

    def _advance(self) -> None:
        ids = self.relevant_ids()
        if self.mode == "walk" and self.current in ids:
            later = ids[ids.index(self.current) + 1 :]
            if later:
                self.current = later[0]
                return
        self.mode = "fill"
        self.current = self.first_open()

    # ---------------------------------------------------------------- changes

    def answer(self, value: AnswerValue) -> Changes:
        """Record an answer to the current question and move on."""
        question = self._current_question()
        problem = value_problem(question, value)
        if problem is None and (value == [] or (isinstance(value, str) and not value.strip())):
            problem = f"question {question.id} needs an answer"
        if problem:
            raise ValueError(problem)
        saved = self.answers.answers.setdefault(question.id, SavedAnswer())
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
        """Set the note on the current question; blank text removes it."""
        question = self._current_question()
        note = text.strip() or None
        saved = self.answers.answers.setdefault(question.id, SavedAnswer())
        saved.note = note
        if saved == SavedAnswer(inactive=saved.inactive):
            del self.answers.answers[question.id]  # nothing left in it
        self._changed()

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
        if self.current is None:
            raise ValueError("no current question: the flow is at the review")
        return self.question(self.current)

    def _changed(self) -> Changes:
        self.answers.status = "in_progress"  # complete again once the review is confirmed
        self.answers.updated = self.clock()
        return self._refresh()

    # ---------------------------------------------------------------- views

    def step(self) -> Step:
        """What the prompt for the current question shows."""
        section, question = self._current()
        ids = self.relevant_ids()
        return Step(
            section=section,
            question=question,
            number=ids.index(question.id) + 1,
            total=len(ids),
            answered=sum(1 for q in ids if self.is_done(q)),
            saved=self.saved(question.id),
            can_go_back=ids.index(question.id) > 0,
            sections=self.section_statuses(),
            evidence=self.evidence(question),
            frameworks=self.framework_lines(question),
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
        if self.case is None:
            return Evidence([])
        passages = self.case.passages()
        as_of = self.scenario.as_of if self.scenario else None
        shown, later = [], []
        for passage_id in question.cites:
            if passage_id not in passages:
                continue
            chapter, passage = passages[passage_id]
            if passage.hindsight_for(as_of):
                later.append(passage_id)
            else:
                shown.append(self.evidence_item(chapter, passage))
        from_briefing = False
        if not shown and self.scenario is not None:
            shown = [
                self.evidence_item(*passages[p]) for p in self.scenario.passages if p in passages
            ]
            from_briefing = bool(shown)
        return Evidence(shown, later, as_of, from_briefing)

    def evidence_item(self, chapter: Chapter, passage: Passage) -> EvidenceItem:
        assert self.case is not None
        return EvidenceItem(passage, chapter, self.case.source_line(chapter, passage))

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
                    shown=describe(question, value),
                    risk=answer_risk(question, value),
                    note=saved.note if saved else None,
                    inactive=not self.relevant[question.id],
                    relevant=self.relevant[question.id],
                    required=question.required,
                    done=self.is_done(question.id),
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
                        shown=describe(None, saved.value),
                        risk=None,
                        note=saved.note,
                        inactive=True,
                        relevant=False,
                        required=False,
                        done=True,
                    )
                )
        return Review(rows, missing_required(self.checklist, self.answers))


# --------------------------------------------------------------------------- driving


def drive(flow: Flow, prompter: Prompter, save: Callable[[], None]) -> bool:
    """Ask until the review is confirmed (True) or the user quits (False).

    `save` runs after every change. Ctrl-C propagates as KeyboardInterrupt, after saving
    what the user was typing when the prompter hands it over.
    """
    while True:
        if flow.current is None:
            done = prompter.review(flow.review())
            if isinstance(done, Quit):
                return False
            if isinstance(done, Change):
                flow.goto(done.question_id)
                continue
            missing = flow.finish()
            if not missing:
                save()
                return True
            prompter.notice(f"Still unanswered: {', '.join(missing)}")
            flow.goto(missing[0])
            continue
        try:
            action = prompter.ask(flow.step())
        except PromptInterrupted as interrupted:
            if interrupted.pending is not None:
                with contextlib.suppress(ValueError):  # half-typed text may not be an answer
                    apply(flow, interrupted.pending, prompter)
                    save()
            raise
        if isinstance(action, Quit):
            return False
        if apply(flow, action, prompter):
            save()


def apply(flow: Flow, action: Action, prompter: Prompter) -> bool:
    """Apply one action; True when the answers changed and need saving."""
    if isinstance(action, Back):
        if not flow.back():
            prompter.notice("This is the first question.")
        return False
    if isinstance(action, Jump):
        flow.jump(action.section_id)
        return False
    if isinstance(action, Note):
        flow.set_note(action.text)
        return True
    if isinstance(action, Answer | Skip):
        changes = flow.answer(action.value) if isinstance(action, Answer) else flow.skip()
        if changes.deactivated:
            prompter.notice(
                f"No longer applies: {', '.join(changes.deactivated)} "
                "(the answer is kept, marked inactive)"
            )
        if changes.reactivated:
            prompter.notice(
                f"Applies again: {', '.join(changes.reactivated)} (the earlier answer counts again)"
            )
        return True
    return False
