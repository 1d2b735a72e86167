"""What a report cites, resolved once: case passages, framework references, bibliography.

A `Citations` serves one report. Every passage it resolves records its sources, so the
bibliography it gives at the end holds exactly the sources the report relies on, and
every framework reference it resolves goes into the glossary. Unless it may show
hindsight (a trainer's report), it leaves out every passage dated or made public after
the scenario's decision: a student's report shows what the assessment could show.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping

from diligence.content.models import (
    CaseStudy,
    Chapter,
    FrameworkRegistry,
    Passage,
    Scenario,
    after_date,
)
from diligence.report.model import (
    Citation,
    FrameworkReference,
    FrameworkUse,
    ProvisionUse,
    Source,
)

GIST_LENGTH = 180
"""At most this many characters of a passage's summary in a one-line citation."""


class Citations:
    """Resolves passage and framework ids for one report, remembering every source and
    framework cited, so the bibliography and glossary hold exactly what the report uses."""

    def __init__(
        self,
        case: CaseStudy | None,
        scenario: Scenario | None,
        frameworks: FrameworkRegistry,
        *,
        hindsight: bool = False,
    ) -> None:
        self.case = case
        self.as_of = scenario.as_of if scenario else None
        self.hindsight = hindsight
        """Whether later material may be shown (marked): a trainer's report."""
        self.registry = frameworks
        self.passages: Mapping[str, tuple[Chapter, Passage]] = case.passages() if case else {}
        self.cited_sources: set[str] = set()
        self._cache: dict[str, Citation] = {}
        self._used: dict[str, FrameworkReference] = {}

    def after_decision(self, date: str | None) -> bool:
        """Whether a date is after the scenario's decision: hindsight."""
        return date is not None and self.as_of is not None and after_date(date, self.as_of)

    def citations(self, ids: Iterable[str]) -> tuple[Citation, ...]:
        """The passages of these ids, each once, in order; unknown ids are left out (the
        lint reports them), and so is hindsight unless this report may show it."""
        found = []
        for passage_id in dict.fromkeys(ids):
            if not self.shown(passage_id):
                continue
            citation = self._citation(passage_id)
            if citation is not None:
                found.append(citation)
        return tuple(found)

    def shown(self, passage_id: str) -> bool:
        """Whether this report may show a passage: one that exists and, unless later
        material is allowed, was known at the decision."""
        found = self.passages.get(passage_id)
        return found is not None and (self.hindsight or not found[1].hindsight_for(self.as_of))

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
            gist=gist(passage.summary),
            source_short=self._short_source(chapter, passage),
        )
        self._cache[passage_id] = citation
        return citation

    def _short_source(self, chapter: Chapter, passage: Passage) -> str:
        """Where a passage comes from, briefly: the chapter's source by its short name, or
        the ids of the entries a passage of an unsourced chapter names."""
        entry = self.case.entry(chapter.source) if self.case else None
        if entry is not None:
            return f"{(entry.short or entry.id).strip()}, chapter '{chapter.title}'"
        return ", ".join(passage.sources) or chapter.title

    def frameworks(self, references: Iterable[str]) -> tuple[FrameworkReference, ...]:
        """Framework references with their full names; one that does not resolve stays as
        it was written, marked reported."""
        resolved = []
        for reference in dict.fromkeys(references):
            if reference not in self._used:
                self._used[reference] = self._framework(reference)
            resolved.append(self._used[reference])
        return tuple(resolved)

    def _framework(self, reference: str) -> FrameworkReference:
        found = self.registry.resolve(reference)
        if found is None:
            return FrameworkReference(reference, reference, None, None, "reported")
        framework, provision = found
        return FrameworkReference(
            reference=reference,
            framework=framework.title,
            provision=provision.title.strip() if provision else None,
            citation=framework.citation.strip(),
            certainty=framework.certainty,
            cite_as=framework.cite_as,
        )

    def glossary(self) -> tuple[FrameworkUse, ...]:
        """Every framework referred to so far, in the registry's order, with the
        provisions named; ask for it after everything else is resolved."""
        by_name: dict[str, list[FrameworkReference]] = {}
        for ref in self._used.values():
            by_name.setdefault(ref.cite_as or ref.reference, []).append(ref)
        order = {f.cite_as: i for i, f in enumerate(self.registry.frameworks)}
        entries = []
        for name, refs in sorted(by_name.items(), key=lambda kv: (order.get(kv[0], 999), kv[0])):
            first = refs[0]
            provisions = sorted(
                (ProvisionUse(r.reference, short_title(r.provision)) for r in refs),
                key=lambda p: _natural(p.reference),
            )
            entries.append(
                FrameworkUse(
                    name, first.framework, first.citation, first.certainty, tuple(provisions)
                )
            )
        return tuple(entries)

    def bibliography(self, only: Collection[str] | None = None) -> tuple[Source, ...]:
        """Every source cited so far (or, given `only`, those of them the report shows):
        the ones chapters follow first (an episode, a book), then the others by date. Ask
        for it after everything else is resolved."""
        if self.case is None:
            return ()
        cited = self.cited_sources if only is None else self.cited_sources & set(only)
        primary = [b for b in self.case.primary_sources() if b.id in cited]
        others = [b for b in self.case.bibliography if b.id in cited and b not in primary]
        ordered = primary + sorted(others, key=lambda b: (b.date or "9999", b.id))
        return tuple(
            Source(b.id, b.kind.value, b.kind.noun, b.citation.strip(), b.date, b.certainty)
            for b in ordered
        )


ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "art", "e.g", "i.e", "vs", "u.s"}
"""Words whose full stop ends no sentence."""


def gist(summary: str) -> str:
    """A summary's first sentence, cut at a word (with an ellipsis) when it is long."""
    flat = " ".join(summary.split())
    first = flat
    for end in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"“'‘(])", flat):
        before = flat[: end.start()].rsplit(" ", 1)[-1].rstrip(".!?").casefold()
        if before in ABBREVIATIONS or len(before) == 1:  # "Mr. X", an initial "L."
            continue
        first = flat[: end.start()]
        break
    if len(first) <= GIST_LENGTH:
        return first
    cut = first[:GIST_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def short_title(title: str | None, length: int = 70) -> str | None:
    """A provision's title up to its first colon or semicolon, cut at a word when long:
    what a glossary needs to tell provisions apart."""
    if title is None:
        return None
    flat = " ".join(title.split())
    head = re.split(r"[:;]\s", flat, maxsplit=1)[0]
    if len(head) <= length:
        return head
    return head[:length].rsplit(" ", 1)[0].rstrip(",") + "…"


def _natural(reference: str) -> list[object]:
    """Sort key putting 'UNGP 9' before 'UNGP 19'."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", reference)]
