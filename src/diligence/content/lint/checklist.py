"""Lint of a checklist: ids, choices, citations, frameworks, and conditions that read only
what comes before them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from diligence.content.library import Library, Loaded
from diligence.content.lint._common import duplicate, framework_refs, refs
from diligence.content.lint.links import lint_checklist_case, not_loaded
from diligence.content.lint.notes import lint_teaching_notes
from diligence.content.models import (
    NOT_APPLICABLE,
    UNKNOWN,
    Chapter,
    Checklist,
    Condition,
    FrameworkRegistry,
    Passage,
    Question,
    RedFlagRule,
    Section,
)
from diligence.content.suggest import did_you_mean
from diligence.content.yamlio import Loc
from diligence.errors import Problem, unique_problems

VERDICT_WORDS = re.compile(r"^\s*(Decline|Escalate|Proceed|Do not proceed)\b", re.IGNORECASE)
"""How a mitigation must not begin: the report states the verdict, and lists mitigations as
conditions that fit any verdict (user-trial #3: "Decline" as a condition of a decline)."""


def lint_checklist(
    loaded: Loaded[Checklist], library: Library, registry: FrameworkRegistry
) -> list[Problem]:
    """Ids, citations, framework references, conditions and teaching notes of one
    checklist."""
    return _ChecklistLint(loaded, library, registry).run() + lint_teaching_notes(loaded, library)


class _ChecklistLint:
    """One pass over a checklist in file order, remembering the ids seen so far: a
    condition may read only questions and red flags defined before it."""

    def __init__(
        self, loaded: Loaded[Checklist], library: Library, registry: FrameworkRegistry
    ) -> None:
        self.checklist, self.doc = loaded.model, loaded.doc
        self.library, self.registry = library, registry
        case_id = self.checklist.case
        loaded_case = library.cases.get(case_id) if case_id else None
        self.passages: Mapping[str, tuple[Chapter, Passage]] | None = (
            loaded_case.model.passages() if loaded_case else None
        )
        self.earlier: list[str] = []
        """Question ids defined so far, in order."""
        self.question_ids: dict[str, int] = {}
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        checklist = self.checklist
        missing_case = checklist.case and self.passages is None
        if missing_case and not self.library.failed_to_load(checklist.case or ""):
            self.problems.append(
                self.doc.problem(
                    ("case",),
                    not_loaded(
                        "checklist cites case", checklist.case or "", list(self.library.cases)
                    ),
                )
            )
        self.problems += lint_checklist_case(self.doc, checklist)
        section_ids: dict[str, int] = {}
        for i, section in enumerate(checklist.sections):
            sloc: Loc = ("sections", i)
            self.problems += duplicate(
                self.doc, section_ids, section.id, (*sloc, "id"), "section id"
            )
            if section.when:
                self.condition((*sloc, "when"), section.when, [], f"section {section.id}")
            for j, question in enumerate(section.questions):
                self.question((*sloc, "questions", j), question)
            self.groups(sloc, section)
        flag_ids: dict[str, int] = {}
        for i, rule in enumerate(checklist.red_flags):
            self.red_flag(("red_flags", i), rule, flag_ids, [r.id for r in checklist.red_flags[:i]])
        self.problems += [
            self.doc.problem(
                loc,
                f"a mitigation begins with '{found.group(1)}'; write the condition or action "
                "itself (e.g. 'Prove independent judicial control...'): the report states the "
                "verdict, and lists mitigations as what any sale would need",
            )
            for loc, text in _mitigations(checklist)
            if (found := VERDICT_WORDS.match(text))
        ]
        return self.problems

    def question(self, loc: Loc, question: Question) -> None:
        doc, what = self.doc, f"question {question.id}"
        self.problems += duplicate(doc, self.question_ids, question.id, (*loc, "id"), "question id")
        if question.choices and question.choices not in self.checklist.choice_lists:
            self.problems.append(
                doc.problem(
                    (*loc, "choices"),
                    f"{what} uses choice list "
                    f"'{question.choices}', which 'choice_lists' does not define",
                )
            )
        self.options(loc, question, what)
        if question.when:
            self.condition((*loc, "when"), question.when, [], what)
        if self.checklist.case and not question.cites:
            self.problems.append(
                doc.problem(
                    loc,
                    f"{what} cites no case passage; add 'cites' (the checklist names case "
                    f"'{self.checklist.case}')",
                )
            )
        self.citations_and_frameworks(loc, question.cites, question.frameworks, what)
        self.earlier.append(question.id)

    def options(self, loc: Loc, question: Question, what: str) -> None:
        values: dict[str, int] = {}
        for k, option in enumerate(question.options or []):
            vloc = (*loc, "options", k, "value")
            self.problems += duplicate(self.doc, values, option.value, vloc, f"{what} option")
            if option.value == UNKNOWN:
                self.problems.append(
                    self.doc.problem(
                        vloc,
                        f"{what}: 'unknown' is offered by every question; remove the option "
                        "and set 'unknown_risk' instead",
                    )
                )
            elif option.value == NOT_APPLICABLE:
                self.problems.append(
                    self.doc.problem(
                        vloc,
                        f"{what}: remove the option '{NOT_APPLICABLE}' and set "
                        "'not_applicable: true' on the question instead",
                    )
                )

    def groups(self, sloc: Loc, section: Section) -> None:
        """Each group a question names is defined in its section, its questions follow
        one another, and every group defined is used."""
        used: list[str] = []
        for j, question in enumerate(section.questions):
            group = question.group
            if group is None:
                continue
            qloc = (*sloc, "questions", j, "group")
            if group not in section.groups:
                self.problems.append(
                    self.doc.problem(
                        qloc,
                        f"question {question.id} is in group '{group}', which section "
                        f"{section.id} does not define in 'groups'"
                        + did_you_mean(group, section.groups),
                    )
                )
            elif used and used[-1] != group and group in used:
                self.problems.append(
                    self.doc.problem(
                        qloc,
                        f"question {question.id} is in group '{group}', but other questions "
                        "come between it and the group's earlier ones; keep a group together",
                    )
                )
            used.append(group)
        for name in section.groups:
            if name not in used:
                self.problems.append(
                    self.doc.problem(
                        (*sloc, "groups", name),
                        f"section {section.id} defines group '{name}', which no question "
                        f"names; add 'group: {name}' to its questions, or remove it",
                    )
                )

    def red_flag(
        self, loc: Loc, rule: RedFlagRule, flag_ids: dict[str, int], earlier_flags: list[str]
    ) -> None:
        what = f"red flag {rule.id}"
        self.problems += duplicate(self.doc, flag_ids, rule.id, (*loc, "id"), "red flag id")
        if rule.id in self.question_ids:
            self.problems.append(
                self.doc.problem(
                    (*loc, "id"),
                    f"red flag id '{rule.id}' is also a question id (line "
                    f"{self.question_ids[rule.id]}); conditions and reports name both by id, "
                    "so give the red flag another one",
                )
            )
        self.condition((*loc, "when"), rule.when, earlier_flags, what)
        self.citations_and_frameworks(loc, rule.cites, rule.frameworks, what)

    def citations_and_frameworks(
        self, loc: Loc, cites: list[str], frameworks: list[str], what: str
    ) -> None:
        if self.passages is not None:
            case_id = self.checklist.case
            self.problems += refs(
                self.doc, (*loc, "cites"), cites, self.passages, what, "passage", case_id
            )
        self.problems += framework_refs(
            self.doc, (*loc, "frameworks"), frameworks, self.registry, what
        )

    # ---------------------------------------------------------------- conditions

    def condition(
        self, loc: Loc, condition: Condition, earlier_flags: list[str], what: str
    ) -> None:
        """What a condition reads exists and comes earlier, and what it tests is a choice."""
        problems: list[Problem] = []
        values_checked = False
        for question_id in condition.questions():
            if question_id in self.earlier:
                if not values_checked:  # once per condition: the values of all it reads
                    problems += self.condition_values(loc, condition, what)
                    values_checked = True
                continue
            later = self.checklist.question(question_id) is not None
            problems.append(
                self.doc.problem(
                    loc,
                    f"{what}: its condition reads question {question_id}, which "
                    + (
                        "comes later; conditions may only read earlier questions"
                        if later
                        else "the checklist does not define"
                    ),
                )
            )
        for flag_id in condition.flags():
            if flag_id not in earlier_flags:
                problems.append(
                    self.doc.problem(
                        loc,
                        f"{what}: its condition reads red flag {flag_id}, "
                        "which is not defined before it",
                    )
                )
        problems += self.condition_sections(loc, condition, what)
        self.problems += unique_problems(problems)

    def condition_values(self, loc: Loc, condition: Condition, what: str) -> list[Problem]:
        problems = []
        for node in condition.walk():
            question = self.checklist.question(node.question) if node.question else None
            if question is None or question.type == "text":
                continue
            allowed = {o.value for o in question.choice_list}
            allowed |= {UNKNOWN} | ({NOT_APPLICABLE} if question.not_applicable else set())
            tested = [node.is_, node.includes, *(node.in_ or []), *(node.not_in or [])]
            if not question.is_choice:
                problems += [
                    self.doc.problem(
                        loc,
                        f"{what}: its condition tests question {node.question} for "
                        f"'{value}', but it takes a {question.type}; test it with "
                        "'risk_at_least' or 'answered' (or for 'unknown')",
                    )
                    for value in tested
                    if value is not None and value not in allowed
                ]
                continue
            problems += [
                self.doc.problem(
                    loc,
                    f"{what}: its condition tests question "
                    f"{node.question} for '{value}', which is not one of its choices "
                    f"({', '.join(sorted(allowed))})",
                )
                for value in tested
                if value is not None and value not in allowed
            ]
        return problems

    def condition_sections(self, loc: Loc, condition: Condition, what: str) -> list[Problem]:
        section_ids = {s.id for s in self.checklist.sections}
        return [
            self.doc.problem(
                loc,
                f"{what}: its condition counts unknowns in "
                f"section {section_id}, which the checklist does not define",
            )
            for node in condition.walk()
            for section_id in node.sections or []
            if section_id not in section_ids
        ]


def _mitigations(checklist: Checklist) -> Iterator[tuple[Loc, str]]:
    """Every mitigation text of a checklist, with where it is written."""
    for name, options in checklist.choice_lists.items():
        for k, option in enumerate(options):
            if option.mitigation:
                yield ("choice_lists", name, k, "mitigation"), option.mitigation
    for i, section in enumerate(checklist.sections):
        for j, question in enumerate(section.questions):
            loc: Loc = ("sections", i, "questions", j)
            for k, option in enumerate(question.options or []):
                if option.mitigation:
                    yield (*loc, "options", k, "mitigation"), option.mitigation
            for key, text in (question.mitigation or {}).items():
                yield (*loc, "mitigation", key), text
            if question.unknown_mitigation:
                yield (*loc, "unknown_mitigation"), question.unknown_mitigation
    for i, rule in enumerate(checklist.red_flags):
        if rule.mitigation:
            yield ("red_flags", i, "mitigation"), rule.mitigation
