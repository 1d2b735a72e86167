"""`case_studies/<id>/case.yaml`: the case, its citable passages, timeline and scenarios."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from diligence.content.models.base import Id, IsoDate, StrictModel, Text, after_date


class CriterionArea(StrEnum):
    """The eight areas of customer vetting a case passage can bear on."""

    customer_identity = "customer-identity"
    destination_risk = "destination-risk"
    licensing = "licensing"
    governance = "governance"
    contract = "contract"
    oversight = "oversight"
    remedy = "remedy"
    transparency = "transparency"


class EpisodeSource(StrictModel):
    """The podcast episode a case is built from."""

    id: Id
    show: Text
    season: int
    episode: int
    title: Text
    host: Text
    publisher: Text
    citation: Text
    short: Text
    """How evidence boxes name it, e.g. "Malicious Life S3E227"."""


class BibEntry(StrictModel):
    """A document beyond the episode that a passage or timeline event relies on."""

    id: Id
    citation: Text
    date: IsoDate | None = None
    certainty: Literal["confirmed", "reported"] = "confirmed"


class Quote(StrictModel):
    """A short verbatim quotation from the source, always attributed."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    speaker: Text


class Passage(StrictModel):
    """One citable piece of the case, summarised in our own words."""

    id: Id
    title: Text
    summary: Text
    quote: Quote | None = None
    date: IsoDate | None = None
    """When the events it describes took place or became public, if known."""
    known_from: IsoDate | None = None
    """When what the passage says became public, where that is later than `date` or `date`
    is unknown: e.g. a link between two people revealed months after the event. Before this
    date the passage is hindsight, whatever its `date`."""
    sources: list[Id] = []
    """Bibliography entries; required for passages outside the episode's chapters."""
    certainty: Literal["confirmed", "reported"] = "confirmed"
    criteria: list[CriterionArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_after_it_happened(self) -> Passage:
        if self.known_from and self.date and after_date(self.date, self.known_from):
            raise ValueError(
                f"passage {self.id} is known_from {self.known_from}, before its date {self.date}"
            )
        return self

    def public_date(self) -> str | None:
        """The date from which the passage could be known: `known_from`, else `date`."""
        return self.known_from or self.date

    def hindsight_for(self, as_of: str | None) -> bool:
        """Whether a decision taken at `as_of` could not have known this passage: the one
        rule against hindsight, for the lint, the assessment's evidence and the report."""
        known = self.public_date()
        return known is not None and as_of is not None and after_date(known, as_of)


class Chapter(StrictModel):
    """A group of passages: one of the episode's chapters, or the public record."""

    id: Id
    title: Text
    in_episode: bool = True
    passages: list[Passage] = Field(min_length=1)


class TimelineEvent(StrictModel):
    """A dated event, with the passages or documents that support it."""

    id: Id
    date: IsoDate
    event: Text
    passages: list[Id] = []
    sources: list[Id] = []
    certainty: Literal["confirmed", "reported"] = "confirmed"

    @model_validator(mode="after")
    def _supported(self) -> TimelineEvent:
        if not self.passages and not self.sources:
            raise ValueError(f"timeline event {self.id} needs 'passages' or 'sources'")
        return self


class Actor(StrictModel):
    """A person or body in the case."""

    id: Id
    name: Text
    kind: Literal["person", "company", "government", "organisation"]
    role: Text
    passages: list[Id] = []


class Scenario(StrictModel):
    """A decision a student assesses, briefed with what was known at the time."""

    id: Id
    title: Text
    checklist: Id = "customer-vetting"
    as_of: IsoDate
    """The moment of the decision; the briefing's passages must not be dated, or become
    public, later (no hindsight: `Passage.hindsight_for`)."""
    decision: Text
    briefing: Text
    passages: list[Id] = Field(min_length=1)
    teaching_notes: list[Text] = []
    names: list[Text] = []
    """The countries, bodies and people the scenario turns on, as notes name them
    ("Mexico", "CISEN"): a question's general teaching note that names those of one
    scenario, while the question has notes for particular scenarios, belongs in those."""


class CaseStudy(StrictModel):
    """`case_studies/<id>/case.yaml`."""

    id: Id
    title: Text
    summary: Text
    source: EpisodeSource
    bibliography: list[BibEntry] = []
    chapters: list[Chapter] = Field(min_length=1)
    timeline: list[TimelineEvent] = []
    actors: list[Actor] = []
    scenarios: list[Scenario] = []

    def passages(self) -> dict[str, tuple[Chapter, Passage]]:
        """Every passage by id, with its chapter."""
        return {p.id: (c, p) for c in self.chapters for p in c.passages}

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def source_line(self, chapter: Chapter, passage: Passage) -> str:
        """Where a passage comes from, as evidence cites it: the episode and chapter, e.g.
        "Malicious Life S3E227, 'Is NSO Evil? Part 1', chapter 'Casa Blanca'", or the
        bibliography entries of a passage from the public record."""
        if chapter.in_episode:
            return f"{self.source.short}, '{self.source.title}', chapter '{chapter.title}'"
        bib = {b.id: b.citation.strip() for b in self.bibliography}
        return "; ".join(bib.get(s, s) for s in passage.sources) or chapter.title
