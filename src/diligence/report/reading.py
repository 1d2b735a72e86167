"""The case as a student may read it (`diligence case`): pure, no rendering.

Cut at a scenario's date by the same rules the student's report follows: a passage is
shown only when `Passage.hindsight_for` allows it (through `Citations`), a later timeline
event keeps only its date (`timeline_of`), and the bibliography lists exactly the sources
of what is shown. Without a scenario it is the whole case, for a trainer.
"""

from __future__ import annotations

from dataclasses import dataclass

from diligence.content.models import CaseStudy, FrameworkRegistry, Scenario
from diligence.report.build import briefing_of, timeline_of
from diligence.report.citations import Citations
from diligence.report.model import Briefing, Citation, Source, TimelineEntry


@dataclass(frozen=True)
class ReadingChapter:
    title: str
    sourced: bool
    """It follows one source (an episode, a book); else its passages name their own."""
    passages: tuple[Citation, ...]


@dataclass(frozen=True)
class ReadingActor:
    name: str
    kind: str
    role: str | None
    """None when the reading is cut at a date: a role is undated and may tell later events."""
    passages: tuple[str, ...]
    """The actor's passages that are shown."""


@dataclass(frozen=True)
class CaseReading:
    case_id: str
    title: str
    summary: str | None
    """The case's summary, shown only in the whole case: it is undated."""
    built_on: str
    """The sources the chapters follow, as cited."""
    scenario: Briefing | None
    chapters: tuple[ReadingChapter, ...]
    later: int
    """How many passages are left out as hindsight."""
    timeline: tuple[TimelineEntry, ...]
    actors: tuple[ReadingActor, ...]
    bibliography: tuple[Source, ...]

    @property
    def as_of(self) -> str | None:
        return self.scenario.as_of if self.scenario else None


def case_reading(
    case: CaseStudy, scenario: Scenario | None, frameworks: FrameworkRegistry
) -> CaseReading:
    """What a student may read of `case` at `scenario`'s date (all of it without one)."""
    citations = Citations(case, scenario, frameworks)
    briefing = briefing_of(scenario, citations, trainer=False) if scenario else None
    chapters = []
    later = 0
    for chapter in case.chapters:
        shown = citations.citations(p.id for p in chapter.passages)
        later += len(chapter.passages) - len(shown)
        if shown:
            chapters.append(ReadingChapter(chapter.title, chapter.source is not None, shown))
    timeline = timeline_of(case, citations)
    actors = []
    for actor in case.actors:
        ids = tuple(p for p in actor.passages if citations.shown(p))
        if ids or scenario is None:
            role = None if scenario else " ".join(actor.role.split())
            actors.append(ReadingActor(actor.name, actor.kind, role, ids))
    return CaseReading(
        case_id=case.id,
        title=case.title,
        summary=None if scenario else case.summary.strip(),
        built_on="; ".join(b.citation.strip() for b in case.primary_sources()),
        scenario=briefing,
        chapters=tuple(chapters),
        later=later,
        timeline=timeline,
        actors=tuple(actors),
        bibliography=citations.bibliography(),
    )
