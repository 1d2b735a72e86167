"""The ports of the assessment: what a front end sends, what it is shown, what it must do.

A front end (the terminal in `diligence.tui`, a browser later) drives the engine through
these types only. It sends actions (`Reply`, `Cite`, `Back`, ...), is shown a `Step` per
question and a `Review` at the end, and implements `Prompter` for `drive`, or
`SessionPrompter` when it also starts sessions (briefing, choosing a scenario, asking a
name). All of it is plain data over the content models: no terminal, no files.

The student's argument travels in three parts of an answer: its value, its note (the
rationale; `Step.needs_rationale` says when the checklist asks for one) and its citations
(`Cite` and `Uncite`, from `Step.evidence`, or from the whole case through
`Flow.citable`, never after the scenario's date). `Review.gaps` counts what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from diligence.content.models import (
    Answer,
    AnswerValue,
    CaseStudy,
    Chapter,
    Passage,
    Question,
    RationaleRule,
    RiskLevel,
    Scenario,
    Section,
)
from diligence.content.rules import needs_rationale

# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Reply:
    """Answer the current question with this value (and, when given, this rationale)."""

    value: AnswerValue
    note: str | None = None
    """The rationale to save with the answer; None leaves the note as it is."""


@dataclass(frozen=True)
class Skip:
    """Leave an optional question blank."""


@dataclass(frozen=True)
class Note:
    """Set the note on the current question; empty text removes it."""

    text: str


@dataclass(frozen=True)
class Cite:
    """Cite these case passages in the current answer (kept in the order first cited)."""

    passages: tuple[str, ...]


@dataclass(frozen=True)
class Uncite:
    """Remove these passages from the current answer's citations."""

    passages: tuple[str, ...]


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


Action = Reply | Skip | Note | Cite | Uncite | Back | Jump | Quit
"""What a front end may do at a question."""
ReviewAction = Finish | Change | Quit
"""What a front end may do at the review."""


class PromptInterrupted(KeyboardInterrupt):
    """Ctrl-C at a prompt, carrying what the user had typed so it can be saved first."""

    def __init__(self, pending: Action | None = None) -> None:
        super().__init__()
        self.pending = pending


# --------------------------------------------------------------------------- what is shown


@dataclass(frozen=True)
class EvidenceItem:
    """One case passage, with its chapter and where it comes from."""

    passage: Passage
    chapter: Chapter
    source: str


@dataclass(frozen=True)
class Evidence:
    """The case passages a question cites, as far as the scenario's date allows."""

    items: tuple[EvidenceItem, ...]
    later: tuple[str, ...] = ()
    """Cited passages left out because they are dated, or were made public, after the
    scenario (hindsight)."""
    as_of: str | None = None
    from_briefing: bool = False
    """True when the question cites nothing from before the scenario's date, so the items
    are the passages the scenario's briefing rests on."""
    has_case: bool = True
    """False for a checklist answered without a case: there is no evidence to offer."""


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
    saved: Answer | None
    can_go_back: bool
    sections: tuple[SectionStatus, ...]
    evidence: Evidence
    frameworks: tuple[str, ...]
    cited: tuple[EvidenceItem, ...] = ()
    """The passages the saved answer cites, in the order cited."""
    citable: tuple[EvidenceItem, ...] = ()
    """Every passage of the case the assessment may cite (none after the scenario's
    date), in the case's order; `citing.search` finds among them by id, title or word."""
    rationale: RationaleRule | None = None
    """When the checklist asks for a rationale on this question (`needs_rationale`)."""
    stem: str | None = None
    """The shared stem the question completes, when it is one of a group."""

    def needs_rationale(self, value: AnswerValue | None) -> bool:
        """Whether answering `value` calls for the assessor's reasons. A front end invites
        them; it never refuses the answer for want of them."""
        return needs_rationale(self.rationale, self.question, value)


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
    cites: tuple[str, ...] = ()
    needs_rationale: bool = False
    """The checklist asks for a rationale on this answer."""


@dataclass(frozen=True)
class Gaps:
    """What the answers lack as an argument: each a tuple of question ids, in order, of
    answered, relevant questions."""

    no_rationale: tuple[str, ...] = ()
    """Without a note."""
    rationale_required: tuple[str, ...] = ()
    """Without a note, although the checklist asks for one (a part of `no_rationale`)."""
    no_citation: tuple[str, ...] = ()
    """Citing no case passage."""

    def __bool__(self) -> bool:
        """Worth a question before finishing: a required rationale or a citation missing."""
        return bool(self.rationale_required or self.no_citation)


@dataclass(frozen=True)
class Review:
    rows: tuple[ReviewRow, ...]
    missing: tuple[str, ...]
    gaps: Gaps = Gaps()


# --------------------------------------------------------------------------- ports


class Prompter(Protocol):
    """What `drive` needs from a front end. Ctrl-C raises KeyboardInterrupt (or
    `PromptInterrupted`, carrying what was being typed)."""

    def ask(self, step: Step) -> Action:
        """What to do at one question. Help and evidence are shown without returning."""
        ...

    def review(self, review: Review) -> ReviewAction:
        """What to do with the answers as a whole."""
        ...

    def notice(self, text: str) -> None:
        """Tell the user something in passing (a change elsewhere, a failed save)."""
        ...


class SessionPrompter(Prompter, Protocol):
    """A `Prompter` that can also start a session: brief, choose, ask for a name."""

    def show_briefing(self, case: CaseStudy, scenario: Scenario | None) -> None: ...

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        """One of `options` (value, label), by value."""
        ...

    def ask_text(self, message: str, default: str = "", *, limit: int | None = None) -> str:
        """A line of text; never empty. `limit` is its longest length, for the prompt to
        check as the user types (the session checks it again)."""
        ...
