"""`case_studies/<id>/case.yaml`: the case, its citable passages, timeline and scenarios."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from diligence.content.models.base import Id, IsoDate, StrictModel, Text, after_date


class SourceKind(StrEnum):
    """What kind of work a bibliography entry is; every sentence about a source is built
    from it, so a case built from a book, a report or invented material reads right."""

    episode = "episode"
    report = "report"
    article = "article"
    book = "book"
    court_filing = "court-filing"
    dataset = "dataset"
    official = "official"
    document = "document"
    fictional = "fictional"

    @property
    def noun(self) -> str:
        """How text names a source of this kind: "the podcast episode ..."."""
        return _SOURCE_NOUNS[self]


_SOURCE_NOUNS = {
    SourceKind.episode: "podcast episode",
    SourceKind.report: "report",
    SourceKind.article: "article",
    SourceKind.book: "book",
    SourceKind.court_filing: "court filing",
    SourceKind.dataset: "dataset",
    SourceKind.official: "official document",
    SourceKind.document: "document",
    SourceKind.fictional: "fictional teaching material",
}


class BibEntry(StrictModel):
    """A source the case relies on: an episode, a report, an article, a book, a court
    filing, a dataset, an official document, or teaching material invented for the case."""

    id: Id
    kind: SourceKind = SourceKind.document
    citation: Text
    short: Text | None = None
    """How evidence names it before a chapter title, e.g. "Malicious Life S3E227, 'Is NSO
    Evil? Part 1'" (default: the citation)."""
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
    """Bibliography entries it relies on, beyond its chapter's source; required in a
    chapter that names no source."""
    certainty: Literal["confirmed", "reported"] = "confirmed"
    tags: list[Annotated[str, StringConstraints(min_length=1, max_length=60)]] = []
    """Free labels for the author's own use (grouping, searching); nothing reads them."""

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
    """A group of passages: a chapter of one source (an episode's, a book's), or passages
    that each name their own sources (the public record)."""

    id: Id
    title: Text
    source: Id | None = None
    """The bibliography entry this chapter follows; its passages come from it."""
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
    checklist: Id
    """The checklist the scenario is assessed with."""
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
    bibliography: list[BibEntry] = Field(min_length=1)
    """Every source of the case, of any kind; chapters and passages cite them by id."""
    chapters: list[Chapter] = Field(min_length=1)
    timeline: list[TimelineEvent] = []
    actors: list[Actor] = []
    scenarios: list[Scenario] = []

    def passages(self) -> dict[str, tuple[Chapter, Passage]]:
        """Every passage by id, with its chapter."""
        return {p.id: (c, p) for c in self.chapters for p in c.passages}

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def entry(self, source_id: str | None) -> BibEntry | None:
        """The bibliography entry of an id, if the case defines it."""
        return next((b for b in self.bibliography if b.id == source_id), None)

    def passage_sources(self, chapter: Chapter, passage: Passage) -> tuple[str, ...]:
        """The bibliography ids a passage rests on: its chapter's source, then its own."""
        own = tuple(passage.sources)
        return (chapter.source, *own) if chapter.source else own

    def source_line(self, chapter: Chapter, passage: Passage) -> str:
        """Where a passage comes from, as evidence cites it: the chapter's source and the
        chapter, e.g. "Malicious Life S3E227, 'Is NSO Evil? Part 1', chapter 'Casa
        Blanca'", or the bibliography entries a passage of an unsourced chapter names."""
        entry = self.entry(chapter.source)
        if entry is not None:
            return f"{(entry.short or entry.citation).strip()}, chapter '{chapter.title}'"
        bib = {b.id: b.citation.strip() for b in self.bibliography}
        return "; ".join(bib.get(s, s) for s in passage.sources) or chapter.title

    def primary_sources(self) -> list[BibEntry]:
        """The sources chapters follow, in chapter order: what the case is built on."""
        ids = dict.fromkeys(c.source for c in self.chapters if c.source)
        return [e for i in ids if (e := self.entry(i)) is not None]

    @property
    def fictional(self) -> bool:
        """A case built on teaching material invented for it (a source of kind fictional)."""
        return any(b.kind is SourceKind.fictional for b in self.bibliography)

    def origin(self) -> str:
        """One sentence on what the case is built from, from the kinds of its sources:
        what a report's cover and the terminal's briefing say about it."""
        primary = self.primary_sources()
        if self.fictional:
            invented = [b for b in self.bibliography if b.kind is SourceKind.fictional]
            names = "; ".join(b.citation.strip().rstrip(".") for b in invented)
            return (
                f"A fictional case, written for teaching ({names}): the people, "
                "organisations and events it describes are invented."
            )
        named = [f"the {b.kind.noun} {b.citation.strip().rstrip('.')}" for b in primary]
        others = len(self.bibliography) > len(primary)
        if not named:
            return "Teaching material built on the public record."
        record = " and the public record" if others else ""
        return f"Teaching material built on {'; '.join(named)}{record}."
