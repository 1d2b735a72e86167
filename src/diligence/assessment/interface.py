"""The ports of the assessment: what a front end sends, what it is shown, what it must do.

A front end (the terminal in `diligence.tui`, a browser later) drives the engine through
these types only. It sends actions (`Reply`, `Back`, ...), is shown a `Step` per question
and a `Review` at the end, and implements `Prompter` for `drive`, or `SessionPrompter`
when it also starts sessions (briefing, choosing a scenario, asking a name). All of it is
plain data over the content models: no terminal, no files.
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
    RiskLevel,
    Scenario,
    Section,
)

# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Reply:
    """Answer the current question with this value."""

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


Action = Reply | Skip | Note | Back | Jump | Quit
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
    rows: tuple[ReviewRow, ...]
    missing: tuple[str, ...]


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
