"""Lint of a checklist's teaching notes against the scenarios that use it.

A note given for particular scenarios must name real ones. And once a question has such
notes, its general note is shown beside them in every other scenario, so it must not
name the country or people one scenario turns on (`Scenario.names`): the saudi-2018
walkthrough should not tell the class about Mexico's CISEN as if it were this customer.
A question with a general note only is left alone; the case's background names Mexico
throughout, and that is fine until an author splits the note by scenario.
"""

from __future__ import annotations

import re

from diligence.content.library import Library, Loaded
from diligence.content.models import Checklist, Question, Scenario
from diligence.content.yamlio import Loc
from diligence.errors import Problem


def lint_teaching_notes(loaded: Loaded[Checklist], library: Library) -> list[Problem]:
    """Problems with the scenario notes of every question of a checklist."""
    checklist = loaded.model
    case = library.cases.get(checklist.case) if checklist.case else None
    if case is None:
        return []  # the checklist lint reports a case that is not loaded
    scenarios = [s for s in case.model.scenarios if s.checklist == checklist.id]
    problems = []
    for i, section in enumerate(checklist.sections):
        for j, question in enumerate(section.questions):
            loc: Loc = ("sections", i, "questions", j)
            problems += _question(loaded, loc, question, scenarios)
    return problems


def _question(
    loaded: Loaded[Checklist], loc: Loc, question: Question, scenarios: list[Scenario]
) -> list[Problem]:
    doc, known = loaded.doc, {s.id for s in scenarios}
    problems = []
    for k, note in enumerate(question.scenario_notes):
        for m, scenario_id in enumerate(note.scenarios):
            if scenario_id not in known:
                problems.append(
                    doc.problem(
                        (*loc, "scenario_notes", k, "scenarios", m),
                        f"question {question.id} has a teaching note for scenario "
                        f"'{scenario_id}', which no scenario using this checklist is; "
                        f"available: {', '.join(sorted(known)) or 'none'}",
                    )
                )
    if question.scenario_notes and question.teaching_note:
        problems += _general_note(loaded, loc, question, scenarios)
    return problems


def _general_note(
    loaded: Loaded[Checklist], loc: Loc, question: Question, scenarios: list[Scenario]
) -> list[Problem]:
    """The general note names one scenario's country or people, yet is shown in others."""
    note = question.teaching_note or ""
    problems = []
    for name in sorted({n for s in scenarios for n in s.names}):
        if not re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", note, re.IGNORECASE):
            continue
        owners = [s.id for s in scenarios if name in s.names]
        others = [s.id for s in scenarios if name not in s.names]
        if not others:
            continue
        problems.append(
            loaded.doc.problem(
                (*loc, "teaching_note"),
                f"question {question.id}'s general teaching note names '{name}' (of "
                f"{', '.join(owners)}) but is shown in {', '.join(others)} too; move that "
                "part into a note under 'scenario_notes' for the scenarios it fits",
            )
        )
    return problems
