"""Cross-reference checks: every id is unique and every reference resolves, with its line."""

from __future__ import annotations

from collections.abc import Iterable

from diligence.content.conditions import relevance
from diligence.content.library import Library, Loaded
from diligence.content.models import (
    UNKNOWN,
    AnswersFile,
    CaseStudy,
    Checklist,
    Condition,
    FrameworkRegistry,
    Passage,
    Question,
    Scenario,
)
from diligence.content.yamlio import Document, Loc
from diligence.errors import Problem


def lint_library(library: Library) -> list[Problem]:
    """All cross-file checks over loaded content."""
    problems: list[Problem] = []
    registry = library.frameworks
    for framework_file in library.framework_files:
        problems += lint_frameworks(framework_file)
    for case in library.cases.values():
        problems += lint_case(case)
    for checklist in library.checklists.values():
        problems += lint_checklist(checklist, library, registry)
    for reference in library.references:
        problems += lint_answers(reference, library, require_complete=True)
    problems += _uncited_passages(library)
    return problems


def lint_frameworks(loaded: Loaded[FrameworkRegistry]) -> list[Problem]:
    doc, problems = loaded.doc, []
    seen: dict[str, int] = {}
    for i, framework in enumerate(loaded.model.frameworks):
        problems += _duplicate(doc, seen, framework.id, ("frameworks", i, "id"), "framework")
        ids: dict[str, int] = {}
        for j, provision in enumerate(framework.provisions):
            loc = ("frameworks", i, "provisions", j, "id")
            problems += _duplicate(doc, ids, provision.id, loc, f"{framework.id} provision")
    return problems


def lint_case(loaded: Loaded[CaseStudy]) -> list[Problem]:
    """Unique ids, resolving references and no hindsight in scenario briefings."""
    case, doc = loaded.model, loaded.doc
    problems: list[Problem] = []
    bib = {b.id for b in case.bibliography}
    passages = case.passages()
    seen: dict[str, int] = {}
    for i, entry in enumerate(case.bibliography):
        problems += _duplicate(doc, seen, entry.id, ("bibliography", i, "id"), "bibliography id")
    seen = {}
    for i, chapter in enumerate(case.chapters):
        problems += _duplicate(doc, seen, chapter.id, ("chapters", i, "id"), "chapter id")
    seen = {}
    for i, chapter in enumerate(case.chapters):
        for j, passage in enumerate(chapter.passages):
            loc: Loc = ("chapters", i, "passages", j)
            problems += _duplicate(doc, seen, passage.id, (*loc, "id"), "passage id")
            if not chapter.in_episode and not passage.sources:
                problems.append(
                    doc.problem(
                        loc,
                        f"passage {passage.id} is outside the episode, so it needs 'sources' "
                        "naming bibliography entries",
                    )
                )
            problems += _refs(
                doc,
                (*loc, "sources"),
                passage.sources,
                bib,
                f"passage {passage.id}",
                "bibliography entry",
                case.id,
            )
    for i, event in enumerate(case.timeline):
        what = f"timeline event {event.id}"
        problems += _refs(
            doc, ("timeline", i, "passages"), event.passages, passages, what, "passage", case.id
        )
        problems += _refs(
            doc, ("timeline", i, "sources"), event.sources, bib, what, "bibliography entry", case.id
        )
    seen = {}
    for i, event in enumerate(case.timeline):
        problems += _duplicate(doc, seen, event.id, ("timeline", i, "id"), "timeline id")
    seen = {}
    for i, actor in enumerate(case.actors):
        problems += _duplicate(doc, seen, actor.id, ("actors", i, "id"), "actor id")
    for i, actor in enumerate(case.actors):
        problems += _refs(
            doc,
            ("actors", i, "passages"),
            actor.passages,
            passages,
            f"actor {actor.id}",
            "passage",
            case.id,
        )
    seen = {}
    for i, scenario in enumerate(case.scenarios):
        problems += _duplicate(doc, seen, scenario.id, ("scenarios", i, "id"), "scenario id")
        loc = ("scenarios", i, "passages")
        problems += _refs(
            doc, loc, scenario.passages, passages, f"scenario {scenario.id}", "passage", case.id
        )
        for k, passage_id in enumerate(scenario.passages):
            if passage_id in passages:
                passage = passages[passage_id][1]
                if passage.hindsight_for(scenario.as_of):
                    problems.append(doc.problem((*loc, k), _hindsight(scenario, passage)))
    return problems


def _hindsight(scenario: Scenario, passage: Passage) -> str:
    """Why a briefing may not rely on a passage that was not known at its decision date."""
    when = f"known from {passage.known_from}" if passage.known_from else f"dated {passage.date}"
    return (
        f"scenario {scenario.id} is set at {scenario.as_of} but cites passage {passage.id}, "
        f"{when}: that is hindsight; cite it in the teaching notes instead"
    )


def lint_checklist(
    loaded: Loaded[Checklist], library: Library, registry: FrameworkRegistry
) -> list[Problem]:
    """Ids, citations, framework references and conditions of one checklist."""
    checklist, doc = loaded.model, loaded.doc
    problems: list[Problem] = []
    loaded_case = library.cases.get(checklist.case) if checklist.case else None
    case = loaded_case.model if loaded_case else None
    if checklist.case and case is None:
        problems.append(
            doc.problem(
                ("case",),
                f"checklist cites case '{checklist.case}', which is not "
                f"loaded; available: {', '.join(library.cases) or 'none'}",
            )
        )
    passages = case.passages() if case else None
    earlier: list[str] = []
    section_ids: dict[str, int] = {}
    question_ids: dict[str, int] = {}
    for i, section in enumerate(checklist.sections):
        sloc: Loc = ("sections", i)
        problems += _duplicate(doc, section_ids, section.id, (*sloc, "id"), "section id")
        if section.when:
            problems += _condition(
                doc,
                (*sloc, "when"),
                section.when,
                checklist,
                list(earlier),
                [],
                f"section {section.id}",
            )
        for j, question in enumerate(section.questions):
            qloc: Loc = (*sloc, "questions", j)
            what = f"question {question.id}"
            problems += _duplicate(doc, question_ids, question.id, (*qloc, "id"), "question id")
            if question.choices and question.choices not in checklist.choice_lists:
                problems.append(
                    doc.problem(
                        (*qloc, "choices"),
                        f"{what} uses choice list "
                        f"'{question.choices}', which 'choice_lists' does not define",
                    )
                )
            values: dict[str, int] = {}
            for k, option in enumerate(question.options or []):
                problems += _duplicate(
                    doc, values, option.value, (*qloc, "options", k, "value"), f"{what} option"
                )
                if option.value == UNKNOWN:
                    problems.append(
                        doc.problem(
                            (*qloc, "options", k, "value"),
                            f"{what}: "
                            "'unknown' is offered by every question; remove the option "
                            "and set 'unknown_risk' instead",
                        )
                    )
            if question.when:
                problems += _condition(
                    doc, (*qloc, "when"), question.when, checklist, list(earlier), [], what
                )
            if not question.cites:
                problems.append(doc.problem(qloc, f"{what} cites no case passage; add 'cites'"))
            if not question.frameworks:
                problems.append(doc.problem(qloc, f"{what} names no framework; add 'frameworks'"))
            if passages is not None:
                problems += _refs(
                    doc, (*qloc, "cites"), question.cites, passages, what, "passage", checklist.case
                )
            problems += _frameworks(doc, (*qloc, "frameworks"), question.frameworks, registry, what)
            earlier.append(question.id)
    flag_ids: dict[str, int] = {}
    for i, rule in enumerate(checklist.red_flags):
        rloc: Loc = ("red_flags", i)
        what = f"red flag {rule.id}"
        problems += _duplicate(doc, flag_ids, rule.id, (*rloc, "id"), "red flag id")
        problems += _condition(
            doc,
            (*rloc, "when"),
            rule.when,
            checklist,
            earlier,
            [r.id for r in checklist.red_flags[:i]],
            what,
        )
        if passages is not None:
            problems += _refs(
                doc, (*rloc, "cites"), rule.cites, passages, what, "passage", checklist.case
            )
        problems += _frameworks(doc, (*rloc, "frameworks"), rule.frameworks, registry, what)
    return problems


def lint_answers(
    loaded: Loaded[AnswersFile], library: Library, *, require_complete: bool = False
) -> list[Problem]:
    """An answers file against its checklist and case: ids, values, citations, completeness."""
    answers, doc = loaded.model, loaded.doc
    problems: list[Problem] = []
    ref = answers.checklist
    if ref.id not in library.checklists:
        return [
            doc.problem(
                ("checklist", "id"),
                f"answers are for checklist '{ref.id}', which "
                f"is not loaded; available: {', '.join(library.checklists) or 'none'}",
            )
        ]
    checklist = library.checklists[ref.id].model
    if ref.version != checklist.version:
        problems.append(
            doc.problem(
                ("checklist", "version"),
                f"answers were written for "
                f"{ref.id} {ref.version}, but the checklist is now {checklist.version}; "
                f"run 'diligence assess --resume {doc.path}' to bring them up to date",
            )
        )
    case = library.cases[answers.case].model if answers.case in library.cases else None
    if case is None:
        problems.append(
            doc.problem(
                ("case",),
                f"answers name case '{answers.case}', which is "
                f"not loaded; available: {', '.join(library.cases) or 'none'}",
            )
        )
    elif answers.scenario is not None:
        scenario = case.scenario(answers.scenario)
        if scenario is None:
            problems.append(
                doc.problem(
                    ("scenario",),
                    f"case '{case.id}' has no scenario "
                    f"'{answers.scenario}'; available: "
                    f"{', '.join(s.id for s in case.scenarios)}",
                )
            )
        elif scenario.checklist != ref.id:
            problems.append(
                doc.problem(
                    ("checklist", "id"),
                    f"scenario {scenario.id} is "
                    f"assessed with checklist '{scenario.checklist}', not '{ref.id}'",
                )
            )
    passages = case.passages() if case else {}
    for question_id, answer in answers.answers.items():
        loc: Loc = ("answers", question_id)
        question = checklist.question(question_id)
        if question is None and answer.inactive:
            continue  # kept from an older checklist version, for the record
        if question is None:
            problems.append(
                doc.problem(
                    loc,
                    f"checklist {ref.id} has no question "
                    f"'{question_id}'; remove the answer or check the id",
                )
            )
            continue
        problems += _answer_value(doc, (*loc, "value"), question_id, answer.value, checklist)
        if case is not None:
            problems += _refs(
                doc,
                (*loc, "cites"),
                answer.cites,
                passages,
                f"answer {question_id}",
                "passage",
                case.id,
            )
    if require_complete:
        problems += _completeness(loaded, checklist)
    return problems


def missing_required(checklist: Checklist, answers: AnswersFile) -> list[str]:
    """Required, relevant questions that have no answer yet, in checklist order."""
    values = {k: a.value for k, a in answers.answers.items() if a.value not in (None, "", [])}
    relevant, _ = relevance(checklist, values)
    return [
        q.id
        for _, q in checklist.questions()
        if q.required and relevant[q.id] and q.id not in values
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
        if answer.value not in (None, "", []) and not answer.note:
            problems.append(
                doc.problem(
                    ("answers", question_id),
                    f"reference answer {question_id} needs a 'note' giving its rationale",
                )
            )
    return problems


def _answer_value(
    doc: Document, loc: Loc, question_id: str, value: object, checklist: Checklist
) -> list[Problem]:
    question = checklist.question(question_id)
    assert question is not None
    message = value_problem(question, value)
    return [doc.problem(loc, message)] if message else []


def value_problem(question: Question, value: object) -> str | None:
    """Why a value is not a valid answer to a question, or None when it is."""
    if value is None:
        return None
    if question.type == "text":
        if not isinstance(value, str):
            return f"question {question.id} takes free text, not a list"
        return None
    allowed = [o.value for o in question.choice_list] + [UNKNOWN]
    if question.type == "multi":
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v not in allowed]
        if UNKNOWN in values and len(values) > 1:
            return f"question {question.id}: 'unknown' cannot be combined with other choices"
    else:
        if isinstance(value, list):
            return f"question {question.id} takes one choice, not a list"
        bad = [value] if value not in allowed else []
    if bad:
        return (
            f"question {question.id} has no choice "
            f"{', '.join(repr(b) for b in bad)}; choose from: {', '.join(allowed)}"
        )
    return None


def _condition(
    doc: Document,
    loc: Loc,
    condition: Condition,
    checklist: Checklist,
    earlier: list[str],
    earlier_flags: list[str],
    what: str,
) -> list[Problem]:
    problems = []
    for question_id in condition.questions():
        if question_id not in earlier:
            later = checklist.question(question_id) is not None
            problems.append(
                doc.problem(
                    loc,
                    f"{what}: its condition reads question "
                    f"{question_id}, which "
                    + (
                        "comes later; conditions may only read earlier questions"
                        if later
                        else "the checklist does not define"
                    ),
                )
            )
        else:
            problems += _condition_values(doc, loc, condition, checklist, what)
    for flag_id in condition.flags():
        if flag_id not in earlier_flags:
            problems.append(
                doc.problem(
                    loc,
                    f"{what}: its condition reads red flag {flag_id}, "
                    "which is not defined before it",
                )
            )
    section_ids = {s.id for s in checklist.sections}
    for section_id in _condition_sections(condition):
        if section_id not in section_ids:
            problems.append(
                doc.problem(
                    loc,
                    f"{what}: its condition counts unknowns in "
                    f"section {section_id}, which the checklist does not define",
                )
            )
    return _dedupe(problems)


def _condition_values(
    doc: Document, loc: Loc, condition: Condition, checklist: Checklist, what: str
) -> list[Problem]:
    problems = []
    for node in _walk(condition):
        if node.question is None:
            continue
        question = checklist.question(node.question)
        if question is None or not question.is_choice:
            continue
        allowed = {o.value for o in question.choice_list} | {UNKNOWN}
        tested = [node.is_, node.includes, *(node.in_ or []), *(node.not_in or [])]
        for value in tested:
            if value is not None and value not in allowed:
                problems.append(
                    doc.problem(
                        loc,
                        f"{what}: its condition tests question "
                        f"{node.question} for '{value}', which is not one of its choices "
                        f"({', '.join(sorted(allowed))})",
                    )
                )
    return problems


def _walk(condition: Condition) -> Iterable[Condition]:
    yield condition
    for child in (condition.all or []) + (condition.any or []):
        yield from _walk(child)
    if condition.not_:
        yield from _walk(condition.not_)


def _condition_sections(condition: Condition) -> list[str]:
    return [s for node in _walk(condition) for s in node.sections or []]


def _frameworks(
    doc: Document, loc: Loc, references: list[str], registry: FrameworkRegistry, what: str
) -> list[Problem]:
    problems = []
    for k, reference in enumerate(references):
        if registry.resolve(reference) is None:
            problems.append(
                doc.problem(
                    (*loc, k),
                    f"{what} cites framework '{reference}', which "
                    "no framework registry defines; check checklists/frameworks.yaml",
                )
            )
    return problems


def _refs(
    doc: Document,
    loc: Loc,
    ids: Iterable[str],
    known: Iterable[str] | dict[str, object],
    what: str,
    kind: str,
    case_id: str | None,
) -> list[Problem]:
    known_set = set(known)
    owner = f"case '{case_id}'" if case_id else "the file"
    return [
        doc.problem((*loc, k), f"{what} cites {kind} {ref}, which {owner} does not define")
        for k, ref in enumerate(ids)
        if ref not in known_set
    ]


def _duplicate(doc: Document, seen: dict[str, int], key: str, loc: Loc, what: str) -> list[Problem]:
    line = doc.line_of(loc)
    if key in seen:
        return [doc.problem(loc, f"{what} '{key}' is defined twice (first at line {seen[key]})")]
    seen[key] = line
    return []


def _uncited_passages(library: Library) -> list[Problem]:
    problems = []
    for loaded in library.cases.values():
        case = loaded.model
        cited = {p for s in case.scenarios for p in s.passages}
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
                            f"passage {passage.id} is cited by no question or scenario; "
                            "cite it or remove it",
                        )
                    )
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
