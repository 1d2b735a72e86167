"""Cross-reference checks: every id is unique and every reference resolves, with its line.

One module per kind of file (`case`, `checklist`, `answers`); `lint_library` checks all
loaded content, `lint_loaded` one file against it.
"""

from __future__ import annotations

from pydantic import BaseModel

from diligence.content.library import Library, Loaded
from diligence.content.lint.answers import lint_answers
from diligence.content.lint.case import lint_case, lint_frameworks
from diligence.content.lint.checklist import lint_checklist
from diligence.content.lint.links import lint_scenario_links
from diligence.content.models import AnswersFile, CaseStudy, Checklist, FrameworkRegistry
from diligence.errors import Problem

__all__ = [
    "lint_answers",
    "lint_case",
    "lint_checklist",
    "lint_frameworks",
    "lint_library",
    "lint_loaded",
]


def lint_library(library: Library) -> list[Problem]:
    """All cross-file checks over loaded content."""
    problems: list[Problem] = []
    for framework_file in library.framework_files:
        problems += lint_frameworks(framework_file)
    for case in library.cases.values():
        problems += lint_case(case)
        problems += lint_scenario_links(case, library)
    registry = library.frameworks
    for checklist in library.checklists.values():
        problems += lint_checklist(checklist, library, registry)
    for reference in library.references:
        problems += lint_answers(reference, library, require_complete=True)
    problems += _uncited_passages(library)
    return problems


def lint_loaded(item: Loaded[BaseModel], library: Library) -> list[Problem]:
    """The checks of one loaded file of any kind, against `library` (reference answers,
    in a `reference/` folder, must be complete)."""
    model, path, doc = item.model, item.path, item.doc
    if isinstance(model, Checklist):
        return lint_checklist(Loaded(path, doc, model), library, library.frameworks)
    if isinstance(model, CaseStudy):
        case = Loaded(path, doc, model)
        return lint_case(case) + lint_scenario_links(case, library)
    if isinstance(model, FrameworkRegistry):
        return lint_frameworks(Loaded(path, doc, model))
    if isinstance(model, AnswersFile):
        return lint_answers(Loaded(path, doc, model), library, require_complete=item.is_reference)
    return []


def _uncited_passages(library: Library) -> list[Problem]:
    problems = []
    for loaded in library.cases.values():
        case = loaded.model
        cited = {p for s in case.scenarios for p in s.passages}
        cited |= {p for e in case.timeline for p in e.passages}
        for checklist in library.checklists.values():
            if checklist.model.case != case.id:
                continue
            cited |= {c for _, q in checklist.model.questions() for c in q.cites}
            cited |= {c for r in checklist.model.red_flags for c in r.cites}
        for i, chapter in enumerate(case.chapters):
            for j, passage in enumerate(chapter.passages):
                if passage.id not in cited:
                    problems.append(
                        loaded.doc.problem(
                            ("chapters", i, "passages", j),
                            f"passage {passage.id} is cited by no question, scenario or "
                            "timeline event; cite it or remove it",
                        )
                    )
    return problems
