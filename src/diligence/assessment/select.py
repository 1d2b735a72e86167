"""Which checklist, case and scenario an assessment is for: given, the only fit, or picked."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from diligence.content.library import Library
from diligence.content.models import CaseStudy, Checklist, Scenario
from diligence.errors import UsageError

Pick = Callable[[str, Sequence[tuple[str, str]]], str]
"""Ask the user to pick one (value, label) and return its value (`SessionPrompter.choose`)."""


def select(
    library: Library,
    *,
    checklist_id: str | None,
    case_id: str | None,
    scenario_id: str | None,
    pick: Pick | None,
) -> tuple[Checklist, CaseStudy | None, Scenario | None]:
    """The checklist, case and scenario: the ids given, else the only fit, else picked
    (`pick` is None where nobody can be asked: then a choice is a usage error). A
    checklist that stands without a case (`stands_alone`) is answered with none."""
    checklist = library.checklist(checklist_id) if checklist_id else None
    if checklist is None and not (case_id or scenario_id) and not library.cases:
        alone = [c.model for c in library.checklists.values() if stands_alone(library, c.model)]
        options = [(c.id, f"{c.title} v{c.version} ({c.id})") for c in alone]
        checklist = library.checklist(_one(options, "Which checklist?", "--checklist", pick))
    if checklist is not None and not (case_id or scenario_id) and stands_alone(library, checklist):
        return checklist, None, None
    case = _select_case(library, case_id, scenario_id, checklist, pick)
    scenarios = [s for s in case.scenarios if checklist is None or s.checklist == checklist.id]
    scenario = None
    if scenario_id:
        scenario = library.scenario(case.id, scenario_id)
        if checklist is not None and scenario.checklist != checklist.id:
            raise UsageError(
                f"scenario {scenario.id} is assessed with checklist '{scenario.checklist}', "
                f"not '{checklist.id}'"
            )
    elif scenarios:
        options = [(s.id, f"{s.title} · as of {s.as_of} ({s.id})") for s in scenarios]
        scenario = case.scenario(_one(options, "Which scenario?", "--scenario", pick))
    if checklist is None:
        checklist = _select_checklist(library, case, scenario, pick)
    return checklist, case, scenario


def stands_alone(library: Library, checklist: Checklist) -> bool:
    """A checklist answered without a case: it names none, and no scenario uses it."""
    if checklist.case is not None:
        return False
    return not any(
        s.checklist == checklist.id for c in library.cases.values() for s in c.model.scenarios
    )


def _select_checklist(
    library: Library, case: CaseStudy, scenario: Scenario | None, pick: Pick | None
) -> Checklist:
    if scenario is not None:
        return library.checklist(scenario.checklist)
    options = [
        (c.model.id, f"{c.model.title} v{c.model.version} ({c.model.id})")
        for c in library.checklists.values()
        if c.model.case in (None, case.id)
    ]
    return library.checklist(_one(options, "Which checklist?", "--checklist", pick))


def _select_case(
    library: Library,
    case_id: str | None,
    scenario_id: str | None,
    checklist: Checklist | None,
    pick: Pick | None,
) -> CaseStudy:
    if case_id:
        return library.case(case_id)
    cases = [c.model for c in library.cases.values()]
    if scenario_id:
        known = [s.id for c in cases for s in c.scenarios]
        cases = [c for c in cases if c.scenario(scenario_id)]
        if not cases:
            raise UsageError(
                f"no case study has a scenario '{scenario_id}'; available: "
                f"{', '.join(known) or 'none'}"
            )
    elif checklist is not None:
        cases = [
            c
            for c in cases
            if c.id == checklist.case or any(s.checklist == checklist.id for s in c.scenarios)
        ]
    options = [(c.id, f"{c.title} ({c.id})") for c in cases]
    return library.case(_one(options, "Which case study?", "--case", pick))


def _one(options: list[tuple[str, str]], message: str, flag: str, pick: Pick | None) -> str:
    if len(options) == 1:
        return options[0][0]
    if not options:
        raise UsageError(f"nothing fits for {flag}; see 'diligence list'")
    if pick is None:
        raise UsageError(f"choose with {flag}: {', '.join(value for value, _ in options)}")
    return pick(message, options)
