"""An answers file together with the checklist, case and scenario it belongs to, checked.

Every way of opening answers against content goes through here: `load_assessment` for a
file to score or render, `assessment_from_bytes` for the exact bytes a report embeds, and
`check_answers` for an answers file an assessment continues or takes its answers from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diligence.assessment.answers import parse_answers
from diligence.assessment.upgrade import upgrade
from diligence.content.library import Library, Loaded
from diligence.content.lint import lint_answers
from diligence.content.models import AnswersFile, CaseStudy, Checklist, Scenario
from diligence.content.yamlio import Document, read_bytes
from diligence.errors import AnswersError
from diligence.files import display_path


@dataclass(frozen=True)
class Assessment:
    """A validated answers file and everything it refers to."""

    path: Path
    doc: Document
    answers: AnswersFile
    checklist: Checklist
    case: CaseStudy | None
    """None for a checklist that stands without a case."""
    scenario: Scenario | None

    @property
    def display(self) -> str:
        return self.doc.path


def check_answers(loaded: Loaded[AnswersFile], library: Library) -> None:
    """Raise `AnswersError` with every problem of an answers file against the content it
    names: its checklist, case and scenario, question ids, values and citations."""
    problems = lint_answers(loaded, library)
    if problems:
        raise AnswersError(problems)


def load_assessment(path: Path, library: Library) -> Assessment:
    """Load and check an answers file; every problem is reported as `path:line: message`."""
    display = display_path(path)
    return assessment_from_bytes(read_bytes(path, display, AnswersError), path, display, library)


def case_and_scenario(
    library: Library, answers: AnswersFile
) -> tuple[CaseStudy | None, Scenario | None]:
    """The case and scenario an answers file names (none for a self-assessment)."""
    if answers.case is None:
        return None, None
    case = library.case(answers.case)
    return case, case.scenario(answers.scenario) if answers.scenario else None


def load_reference(reference: Loaded[AnswersFile], library: Library) -> tuple[Assessment, bool]:
    """A scenario's reference answers for comparing or presenting, and whether they were
    stale: answers written for an older checklist version are brought up to date in
    memory (the file is left alone; `diligence upgrade` changes it), so a stale reference
    never stops a class or a walkthrough."""
    answers = reference.model.model_copy(deep=True)
    checklist = library.checklist(answers.checklist.id)
    stale = answers.checklist.version != checklist.version
    if stale:
        upgrade(answers, checklist)
    loaded = Loaded(reference.path, reference.doc, answers)
    check_answers(loaded, library)
    case, scenario = case_and_scenario(library, answers)
    return Assessment(reference.path, reference.doc, answers, checklist, case, scenario), stale


def assessment_from_bytes(data: bytes, path: Path, display: str, library: Library) -> Assessment:
    """Check an answers file given its exact bytes (a report hashes and embeds the same)."""
    loaded = parse_answers(data, path, display)
    check_answers(loaded, library)
    answers = loaded.model
    case, scenario = case_and_scenario(library, answers)
    return Assessment(
        path=path,
        doc=loaded.doc,
        answers=answers,
        checklist=library.checklist(answers.checklist.id),
        case=case,
        scenario=scenario,
    )
