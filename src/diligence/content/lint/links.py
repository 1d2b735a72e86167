"""The links between files: a scenario names the checklist it is assessed with, and a
checklist that cites a case's passages belongs to that case. Each broken link is one
error saying how to mend it."""

from __future__ import annotations

from diligence.content.library import Library, Loaded
from diligence.content.models import CaseStudy, Checklist
from diligence.content.suggest import did_you_mean
from diligence.content.yamlio import Document
from diligence.errors import Problem


def not_loaded(what: str, wanted: str, available: list[str]) -> str:
    """ "<what> 'x', which is not loaded; available: ...; did you mean ...?": the one
    wording of a link to a file that is not there."""
    listed = ", ".join(available) or "none"
    hint = did_you_mean(wanted, available)
    return f"{what} '{wanted}', which is not loaded; available: {listed}{hint}"


def lint_scenario_links(loaded: Loaded[CaseStudy], library: Library) -> list[Problem]:
    """Every scenario's checklist is loaded and fits the case: a checklist that cites
    another case's passages cannot assess this case's scenarios."""
    case, doc = loaded.model, loaded.doc
    problems: list[Problem] = []
    for i, scenario in enumerate(case.scenarios):
        loc = ("scenarios", i, "checklist")
        found = library.checklists.get(scenario.checklist)
        if found is None:
            if not library.failed_to_load(scenario.checklist):
                problems.append(
                    doc.problem(
                        loc,
                        not_loaded(
                            f"scenario {scenario.id} is assessed with checklist",
                            scenario.checklist,
                            list(library.checklists),
                        ),
                    )
                )
            continue
        checklist = found.model
        if checklist.case is not None and checklist.case != case.id:
            problems.append(
                doc.problem(
                    loc,
                    f"scenario {scenario.id} of case '{case.id}' is assessed with checklist "
                    f"'{checklist.id}', whose questions cite case '{checklist.case}'; name a "
                    f"checklist of case '{case.id}', or one that names no case",
                )
            )
    return problems


def lint_checklist_case(doc: Document, checklist: Checklist) -> list[Problem]:
    """A checklist whose questions or red flags cite passages names the case they are
    passages of: without it, nothing says which case's passages the ids are."""
    if checklist.case is not None:
        return []
    citing = [q.id for _, q in checklist.questions() if q.cites]
    citing += [r.id for r in checklist.red_flags if r.cites]
    if not citing:
        return []
    shown = ", ".join(citing[:3]) + (", ..." if len(citing) > 3 else "")
    return [
        doc.problem(
            ("id",),
            f"checklist {checklist.id} cites case passages ({shown}) but names no case; add "
            "'case: <id>' naming the case they come from, or remove the 'cites'",
        )
    ]
