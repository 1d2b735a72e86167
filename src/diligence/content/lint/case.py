"""Lint of a case study and of the framework registry: unique ids, resolving references,
and no hindsight in a scenario's briefing."""

from __future__ import annotations

from diligence.content.library import Loaded
from diligence.content.lint._common import duplicate, refs, unique_ids
from diligence.content.models import CaseStudy, FrameworkRegistry, Passage, Scenario
from diligence.content.suggest import did_you_mean
from diligence.content.yamlio import Document, Loc
from diligence.errors import Problem


def lint_frameworks(loaded: Loaded[FrameworkRegistry]) -> list[Problem]:
    """Framework ids, and each framework's provision ids, are defined once."""
    doc, problems = loaded.doc, []
    problems += unique_ids(doc, loaded.model.frameworks, "frameworks", "framework")
    for i, framework in enumerate(loaded.model.frameworks):
        seen: dict[str, int] = {}
        for j, provision in enumerate(framework.provisions):
            loc = ("frameworks", i, "provisions", j, "id")
            problems += duplicate(doc, seen, provision.id, loc, f"{framework.id} provision")
    return problems


def lint_case(loaded: Loaded[CaseStudy]) -> list[Problem]:
    """Unique ids, resolving references and no hindsight in scenario briefings."""
    case, doc = loaded.model, loaded.doc
    problems = unique_ids(doc, case.bibliography, "bibliography", "bibliography id")
    problems += unique_ids(doc, case.chapters, "chapters", "chapter id")
    problems += _passages(doc, case)
    problems += _timeline(doc, case)
    problems += unique_ids(doc, case.timeline, "timeline", "timeline id")
    problems += unique_ids(doc, case.actors, "actors", "actor id")
    passages = case.passages()
    for i, actor in enumerate(case.actors):
        loc: Loc = ("actors", i, "passages")
        what = f"actor {actor.id}"
        problems += refs(doc, loc, actor.passages, passages, what, "passage", case.id)
    problems += _scenarios(doc, case)
    return problems


def _passages(doc: Document, case: CaseStudy) -> list[Problem]:
    """Passage ids are unique across chapters; a chapter's source and every passage's
    sources are bibliography entries; a passage in a chapter that names no source names
    its own."""
    bib = {b.id for b in case.bibliography}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, chapter in enumerate(case.chapters):
        if chapter.source is not None and chapter.source not in bib:
            problems.append(
                doc.problem(
                    ("chapters", i, "source"),
                    f"chapter {chapter.id} follows source '{chapter.source}', which the "
                    f"bibliography does not define{did_you_mean(chapter.source, bib)}",
                )
            )
        for j, passage in enumerate(chapter.passages):
            loc: Loc = ("chapters", i, "passages", j)
            problems += duplicate(doc, seen, passage.id, (*loc, "id"), "passage id")
            if chapter.source is None and not passage.sources:
                problems.append(
                    doc.problem(
                        loc,
                        f"passage {passage.id} is in chapter {chapter.id}, which names no "
                        "source, so it needs 'sources' naming bibliography entries (or give "
                        "the chapter a 'source')",
                    )
                )
            what = f"passage {passage.id}"
            sources = (*loc, "sources")
            problems += refs(
                doc, sources, passage.sources, bib, what, "bibliography entry", case.id
            )
    return problems


def _timeline(doc: Document, case: CaseStudy) -> list[Problem]:
    bib = {b.id for b in case.bibliography}
    passages = case.passages()
    problems: list[Problem] = []
    for i, event in enumerate(case.timeline):
        what = f"timeline event {event.id}"
        loc: Loc = ("timeline", i)
        problems += refs(
            doc, (*loc, "passages"), event.passages, passages, what, "passage", case.id
        )
        problems += refs(
            doc, (*loc, "sources"), event.sources, bib, what, "bibliography entry", case.id
        )
    return problems


def _scenarios(doc: Document, case: CaseStudy) -> list[Problem]:
    """Scenario ids are unique, and a briefing cites no passage that was not known at its
    decision date (`Passage.hindsight_for`)."""
    passages = case.passages()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, scenario in enumerate(case.scenarios):
        problems += duplicate(doc, seen, scenario.id, ("scenarios", i, "id"), "scenario id")
        loc: Loc = ("scenarios", i, "passages")
        what = f"scenario {scenario.id}"
        problems += refs(doc, loc, scenario.passages, passages, what, "passage", case.id)
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
