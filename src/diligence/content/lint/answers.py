"""Lint of an answers file against the content it names: checklist, case, scenario, values,
citations; and, for reference answers, completeness."""

from __future__ import annotations

from collections.abc import Mapping

from diligence.content.conditions import is_not_applicable
from diligence.content.library import Library, Loaded
from diligence.content.lint._common import refs
from diligence.content.lint.links import not_loaded
from diligence.content.models import AnswersFile, CaseStudy, Chapter, Checklist, Passage, has_value
from diligence.content.rules import missing_required, value_problem
from diligence.content.suggest import did_you_mean
from diligence.content.yamlio import Document, Loc
from diligence.errors import Problem


def lint_answers(
    loaded: Loaded[AnswersFile], library: Library, *, require_complete: bool = False
) -> list[Problem]:
    """An answers file against its checklist and case: ids, values, citations, completeness."""
    answers, doc = loaded.model, loaded.doc
    ref = answers.checklist
    if ref.id not in library.checklists:
        if library.failed_to_load(ref.id):
            return []  # the checklist's own problem is reported, and is the cause
        message = not_loaded("answers are for checklist", ref.id, list(library.checklists))
        return [doc.problem(("checklist", "id"), message)]
    checklist = library.checklists[ref.id].model
    if is_stale(answers, checklist):
        # The one problem: the rest (removed questions, new ones unanswered) follows from
        # it, and `diligence upgrade` mends it.
        return [stale_problem(doc, answers, checklist)]
    problems: list[Problem] = []
    case = library.cases[answers.case].model if answers.case in library.cases else None
    problems += _case_and_scenario(doc, answers, case, library)
    problems += _answers(doc, answers, checklist, case)
    if require_complete or answers.status == "complete":
        problems += _reasons_for_not_applicable(doc, answers)
    if require_complete:
        problems += _completeness(loaded, checklist)
    return problems


def is_stale(answers: AnswersFile, checklist: Checklist) -> bool:
    """Written for another version of their checklist than the one loaded."""
    return answers.checklist.version != checklist.version


def stale_problem(doc: Document, answers: AnswersFile, checklist: Checklist) -> Problem:
    ref = answers.checklist
    return doc.problem(
        ("checklist", "version"),
        f"answers were written for {ref.id} {ref.version}, but the checklist is now "
        f"{checklist.version}; run 'diligence upgrade {doc.path}' to bring them up to date",
    )


def _case_and_scenario(
    doc: Document, answers: AnswersFile, case: CaseStudy | None, library: Library
) -> list[Problem]:
    """The case is loaded, has the scenario, and the scenario uses this checklist; answers
    name no case only for a checklist that stands without one."""
    checklist = library.checklists[answers.checklist.id].model
    if answers.case is None:
        return _without_case(doc, answers, checklist)
    if case is None:
        if library.failed_to_load(answers.case):
            return []
        message = not_loaded("answers name case", answers.case, list(library.cases))
        return [doc.problem(("case",), message)]
    if checklist.case is not None and checklist.case != case.id:
        return [
            doc.problem(
                ("case",),
                f"answers name case '{case.id}', but checklist {checklist.id} is for case "
                f"'{checklist.case}'; name case '{checklist.case}', or another checklist",
            )
        ]
    if answers.scenario is None:
        return []
    scenario = case.scenario(answers.scenario)
    if scenario is None:
        known = [s.id for s in case.scenarios]
        return [
            doc.problem(
                ("scenario",),
                f"case '{case.id}' has no scenario '{answers.scenario}'; available: "
                f"{', '.join(known)}{did_you_mean(answers.scenario, known)}",
            )
        ]
    if scenario.checklist != answers.checklist.id:
        return [
            doc.problem(
                ("checklist", "id"),
                f"scenario {scenario.id} is "
                f"assessed with checklist '{scenario.checklist}', not '{answers.checklist.id}'",
            )
        ]
    return []


def _without_case(doc: Document, answers: AnswersFile, checklist: Checklist) -> list[Problem]:
    if checklist.case is not None:
        return [
            doc.problem(
                ("checklist", "id"),
                f"answers name no case, but checklist {checklist.id} is for case "
                f"'{checklist.case}'; add 'case: {checklist.case}'",
            )
        ]
    if answers.scenario is not None:
        return [
            doc.problem(
                ("scenario",),
                f"answers name scenario '{answers.scenario}' but no case; add 'case: <id>' "
                "naming the case the scenario is in",
            )
        ]
    return []


def _answers(
    doc: Document, answers: AnswersFile, checklist: Checklist, case: CaseStudy | None
) -> list[Problem]:
    """Each answer is to a question of the checklist, with a valid value and real citations;
    an inactive answer to a removed question is kept for the record."""
    problems: list[Problem] = []
    passages = case.passages() if case else {}
    scenario = case.scenario(answers.scenario) if case and answers.scenario else None
    for question_id, answer in answers.answers.items():
        loc: Loc = ("answers", question_id)
        question = checklist.question(question_id)
        if question is None and answer.inactive:
            continue  # kept from an older checklist version, for the record
        if question is None:
            problems.append(
                doc.problem(
                    loc,
                    f"checklist {checklist.id} has no question '{question_id}'"
                    f"{did_you_mean(question_id, [q.id for _, q in checklist.questions()])}; "
                    "remove the answer or check the id",
                )
            )
            continue
        message = value_problem(question, answer.value)
        if message:
            problems.append(doc.problem((*loc, "value"), message))
        if case is not None:
            what = f"answer {question_id}"
            problems += refs(doc, (*loc, "cites"), answer.cites, passages, what, "passage", case.id)
        if scenario is not None:
            problems += _hindsight(doc, loc, answer.cites, passages, scenario.as_of)
    return problems


def _hindsight(
    doc: Document,
    loc: Loc,
    cites: list[str],
    passages: Mapping[str, tuple[Chapter, Passage]],
    as_of: str,
) -> list[Problem]:
    """An answer cites nothing the decision could not have known (`Passage.hindsight_for`)."""
    problems = []
    for k, passage_id in enumerate(cites):
        found = passages.get(passage_id)
        if found is not None and found[1].hindsight_for(as_of):
            known = found[1].public_date()
            problems.append(
                doc.problem(
                    (*loc, "cites", k),
                    f"answer {loc[-1]} cites passage {passage_id}, dated or made public "
                    f"{known}, after the scenario's decision ({as_of}); remove it: an "
                    "assessment rests only on what was known at the time",
                )
            )
    return problems


def _reasons_for_not_applicable(doc: Document, answers: AnswersFile) -> list[Problem]:
    """A finished file gives a reason (its note) for every "not applicable" answer."""
    return [
        doc.problem(
            ("answers", question_id, "value"),
            f"answer {question_id} is 'not applicable' but gives no reason; say why in its 'note'",
        )
        for question_id, answer in answers.answers.items()
        if is_not_applicable(answer.value) and not (answer.note or "").strip()
    ]


def _completeness(loaded: Loaded[AnswersFile], checklist: Checklist) -> list[Problem]:
    answers, doc = loaded.model, loaded.doc
    problems = []
    if answers.status != "complete":
        problems.append(doc.problem(("status",), "reference answers must have status: complete"))
    missing = missing_required(checklist, answers)
    if missing:
        problems.append(
            doc.problem(
                ("answers",),
                f"reference answers leave required questions unanswered: {', '.join(missing)}",
            )
        )
    for question_id, answer in answers.answers.items():
        if has_value(answer.value) and not answer.note:
            problems.append(
                doc.problem(
                    ("answers", question_id),
                    f"reference answer {question_id} needs a 'note' giving its rationale",
                )
            )
    return problems
