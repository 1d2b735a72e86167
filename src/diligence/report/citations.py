"""What a report cites, resolved once: case passages, framework references, bibliography.

A `Citations` serves one report. Every passage it resolves records its sources, so the
bibliography it gives at the end holds exactly the sources the report relies on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from diligence.content.models import (
    CaseStudy,
    Chapter,
    FrameworkRegistry,
    Passage,
    Scenario,
    after_date,
)
from diligence.report.model import Citation, FrameworkReference, Source


class Citations:
    """Resolves passage and framework ids for one report, remembering every source cited,
    so the bibliography holds exactly what the report relies on."""

    def __init__(
        self, case: CaseStudy | None, scenario: Scenario | None, frameworks: FrameworkRegistry
    ) -> None:
        self.case = case
        self.as_of = scenario.as_of if scenario else None
        self.registry = frameworks
        self.passages: Mapping[str, tuple[Chapter, Passage]] = case.passages() if case else {}
        self.cited_sources: set[str] = set()
        self._cache: dict[str, Citation] = {}

    def after_decision(self, date: str | None) -> bool:
        """Whether a date is after the scenario's decision: hindsight."""
        return date is not None and self.as_of is not None and after_date(date, self.as_of)

    def citations(self, ids: Iterable[str]) -> tuple[Citation, ...]:
        """The passages of these ids, each once, in order; unknown ids are left out (the
        lint reports them)."""
        found = []
        for passage_id in dict.fromkeys(ids):
            citation = self._citation(passage_id)
            if citation is not None:
                found.append(citation)
        return tuple(found)

    def cite_sources(self, ids: Iterable[str]) -> None:
        """Record bibliography entries cited directly (by timeline events)."""
        self.cited_sources.update(ids)

    def _citation(self, passage_id: str) -> Citation | None:
        if passage_id in self._cache:
            return self._cache[passage_id]
        if passage_id not in self.passages:
            return None  # the lint reports unknown ids; a report shows what resolves
        chapter, passage = self.passages[passage_id]
        assert self.case is not None  # passages come from the case
        source = self.case.source_line(chapter, passage)
        sources = self.case.passage_sources(chapter, passage)
        self.cited_sources.update(sources)
        citation = Citation(
            passage=passage.id,
            title=passage.title,
            chapter=chapter.title,
            source=source,
            sources=sources,
            chapter_source=chapter.source,
            summary=passage.summary.strip(),
            quote=passage.quote.text.strip() if passage.quote else None,
            speaker=passage.quote.speaker if passage.quote else None,
            date=passage.date,
            certainty=passage.certainty,
            after_decision=passage.hindsight_for(self.as_of),
        )
        self._cache[passage_id] = citation
        return citation

    def frameworks(self, references: Iterable[str]) -> tuple[FrameworkReference, ...]:
        """Framework references with their full names; one that does not resolve stays as
        it was written, marked reported."""
        resolved = []
        for reference in dict.fromkeys(references):
            found = self.registry.resolve(reference)
            if found is None:
                resolved.append(FrameworkReference(reference, reference, None, None, "reported"))
                continue
            framework, provision = found
            resolved.append(
                FrameworkReference(
                    reference=reference,
                    framework=framework.title,
                    provision=provision.title.strip() if provision else None,
                    citation=framework.citation.strip(),
                    certainty=framework.certainty,
                )
            )
        return tuple(resolved)

    def bibliography(self) -> tuple[Source, ...]:
        """Every source cited so far: the ones chapters follow first (an episode, a book),
        then the others by date. Ask for it after everything else is resolved."""
        if self.case is None:
            return ()
        primary = [b for b in self.case.primary_sources() if b.id in self.cited_sources]
        others = [
            b for b in self.case.bibliography if b.id in self.cited_sources and b not in primary
        ]
        ordered = primary + sorted(others, key=lambda b: (b.date or "9999", b.id))
        return tuple(
            Source(b.id, b.kind.value, b.kind.noun, b.citation.strip(), b.date, b.certainty)
            for b in ordered
        )
