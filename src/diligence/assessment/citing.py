"""The case as an assessment may see it: a question's evidence, what the assessor may cite,
and a search over the whole case, all cut at the scenario's date.

One rule against hindsight (`Passage.hindsight_for`) decides every one of them, so a
front end never offers, and the engine never accepts, a passage the decision could not
have known. Pure: no terminal, no files.
"""

from __future__ import annotations

from collections.abc import Iterable

from diligence.assessment.interface import Evidence, EvidenceItem
from diligence.content.models import CaseStudy, Chapter, Passage, Question, Scenario


class CaseView:
    """One case seen from one scenario (or from no scenario: all of it)."""

    def __init__(self, case: CaseStudy, scenario: Scenario | None) -> None:
        self.case = case
        self.scenario = scenario
        self.as_of = scenario.as_of if scenario else None
        self.passages = case.passages()

    def item(self, chapter: Chapter, passage: Passage) -> EvidenceItem:
        return EvidenceItem(passage, chapter, self.case.source_line(chapter, passage))

    def hindsight(self, passage: Passage) -> bool:
        return passage.hindsight_for(self.as_of)

    def evidence(self, question: Question) -> Evidence:
        """The passages a question cites, without hindsight; when none is left, those the
        scenario's briefing rests on."""
        shown, later = [], []
        for passage_id in question.cites:
            if passage_id not in self.passages:
                continue
            chapter, passage = self.passages[passage_id]
            if self.hindsight(passage):
                later.append(passage_id)
            else:
                shown.append(self.item(chapter, passage))
        from_briefing = False
        if not shown and self.scenario is not None:
            shown = [
                self.item(*self.passages[p]) for p in self.scenario.passages if p in self.passages
            ]
            from_briefing = bool(shown)
        return Evidence(tuple(shown), tuple(later), self.as_of, from_briefing)

    def items(self, passage_ids: Iterable[str]) -> tuple[EvidenceItem, ...]:
        """The passages of these ids that exist, each once, in the order given."""
        return tuple(
            self.item(*self.passages[p]) for p in dict.fromkeys(passage_ids) if p in self.passages
        )

    def cite_problem(self, passage_id: str) -> str | None:
        """Why an assessment of this scenario cannot cite a passage, or None when it can."""
        if passage_id not in self.passages:
            return f"case '{self.case.id}' has no passage '{passage_id}'"
        passage = self.passages[passage_id][1]
        if self.hindsight(passage):
            return (
                f"passage {passage_id} is dated or made public after {self.as_of}, the date "
                "of this decision; an assessment can cite only what was known then"
            )
        return None

    def search(self, query: str) -> tuple[EvidenceItem, ...]:
        """The citable passages that match every word of `query` in their id, title,
        summary or quotation: an id first, then title matches, then the rest, each in the
        case's order. An empty query gives every citable passage."""
        words = query.casefold().split()
        ranked: list[tuple[int, int, EvidenceItem]] = []
        for position, (chapter, passage) in enumerate(self.passages.values()):
            if self.hindsight(passage):
                continue
            rank = _rank(passage, words)
            if rank is not None:
                ranked.append((rank, position, self.item(chapter, passage)))
        return tuple(item for _, _, item in sorted(ranked, key=lambda r: (r[0], r[1])))


def _rank(passage: Passage, words: list[str]) -> int | None:
    """How well a passage matches: 0 its id, 1 every word in its title, 2 anywhere; None
    when some word is nowhere in it."""
    if not words:
        return 2
    ident = passage.id.casefold()
    title = passage.title.casefold()
    text = " ".join(
        [
            ident,
            title,
            passage.summary.casefold(),
            passage.quote.text.casefold() if passage.quote else "",
        ]
    )
    if not all(w in text for w in words):
        return None
    if len(words) == 1 and (ident == words[0] or ident.startswith(words[0])):
        return 0
    if all(w in title for w in words):
        return 1
    return 2
