"""Load an answers file together with the checklist, case and scenario it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diligence.content.library import Library, Loaded, display_path
from diligence.content.lint import lint_answers
from diligence.content.loader import validate_document
from diligence.content.models import AnswersFile, CaseStudy, Checklist, Scenario
from diligence.content.yamlio import Document, decode_text, parse_yaml, read_bytes
from diligence.errors import AnswersError


@dataclass(frozen=True)
class Assessment:
    """A validated answers file and everything it refers to."""

    path: Path
    doc: Document
    answers: AnswersFile
    checklist: Checklist
    case: CaseStudy
    scenario: Scenario | None

    @property
    def display(self) -> str:
        return self.doc.path


def load_assessment(path: Path, library: Library) -> Assessment:
    """Load and check an answers file; every problem is reported as `path:line: message`."""
    display = display_path(path)
    return assessment_from_bytes(read_bytes(path, display, AnswersError), path, display, library)


def assessment_from_bytes(data: bytes, path: Path, display: str, library: Library) -> Assessment:
    """Check an answers file given its exact bytes (a report hashes and embeds the same)."""
    doc = parse_yaml(decode_text(data, display, AnswersError), display)
    if doc.data is None:
        raise AnswersError.at(display, 1, "is empty; expected an answers file")
    if not isinstance(doc.data, dict):
        raise AnswersError.at(display, 1, "is not an answers file (expected a mapping of keys)")
    answers = validate_document(doc, AnswersFile, AnswersError)
    problems = lint_answers(Loaded(path, doc, answers), library)
    if problems:
        raise AnswersError(problems)
    case = library.case(answers.case)
    scenario = case.scenario(answers.scenario) if answers.scenario else None
    return Assessment(
        path=path,
        doc=doc,
        answers=answers,
        checklist=library.checklist(answers.checklist.id),
        case=case,
        scenario=scenario,
    )
