"""The report's chapters, in order: their numbers, titles and anchors, defined once.

The HTML (and so the PDF) and the Markdown renderers both walk `contents(report)`: each
chapter names its HTML partial (`templates/report/_<name>.html.j2`) and its Markdown
function, so the two formats have the same chapters, numbered the same way, and no
number is written by hand anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from diligence.report.model import Report, SectionReport

CHAPTERS = (
    ("summary", "Executive summary"),
    ("red-flags", "Red flags"),
    ("findings", "Findings by section"),
    ("conditions", "Conditions and recommendations"),
    ("gaps", "Gaps to close"),
    ("open", "Unanswered and inactive questions"),
)
"""The numbered chapters: (anchor, title). A report has the ones `_has` keeps."""

APPENDICES = (
    ("briefing", "Scenario briefing"),
    ("timeline", "Case timeline"),
    ("bibliography", "Bibliography"),
    ("scoring", "How the scoring works"),
    ("integrity", "Integrity"),
)
"""The lettered appendices; the case's only when the report has a case."""


def _has(report: Report, key: str) -> bool:
    """Whether a report has a chapter: no red-flag chapter for a checklist that defines
    none, gaps instead of conditions when the outcome is a list of gaps, no briefing
    without a scenario, no timeline or bibliography without a case."""
    if key == "red-flags":
        return bool(report.scoring.red_flag_rules or report.red_flags)
    if key in ("conditions", "gaps"):
        return (key == "gaps") == (report.outcome == "gaps")
    if key == "briefing":
        return report.scenario is not None
    if key in ("timeline", "bibliography"):
        return report.case_id is not None
    return True


@dataclass(frozen=True)
class Chapter:
    key: str
    """Its anchor in the HTML, and the name of its template and Markdown function."""
    number: str
    """1, 2, ... for chapters; A, B, ... for appendices."""
    title: str
    appendix: bool = False

    @property
    def heading(self) -> str:
        """As the chapter's own heading says it: "3 Findings by section", "Appendix A: ..."."""
        if self.appendix:
            return f"Appendix {self.number}: {self.title}"
        return f"{self.number} {self.title}"

    @property
    def entry(self) -> str:
        """As the table of contents says it, beside the number."""
        return self.heading if self.appendix else self.title

    @property
    def partial(self) -> str:
        """The chapter's HTML template."""
        return f"report/_{self.key.replace('-', '_')}.html.j2"


@dataclass(frozen=True)
class NumberedSection:
    """A checklist section as a sub-chapter of the findings: "3.1 Who is buying"."""

    number: str
    section: SectionReport


@dataclass(frozen=True)
class Contents:
    chapters: tuple[Chapter, ...]
    sections: tuple[NumberedSection, ...]
    """The sub-chapters of the findings chapter."""

    def __getitem__(self, key: str) -> Chapter:
        return next(c for c in self.chapters if c.key == key)


def contents(report: Report) -> Contents:
    """The chapters and appendices of one report, numbered."""
    numbered = [(k, t) for k, t in CHAPTERS if _has(report, k)]
    chapters = [Chapter(key, str(n), title) for n, (key, title) in enumerate(numbered, 1)]
    appendices = [(k, t) for k, t in APPENDICES if _has(report, k)]
    chapters += [
        Chapter(key, chr(ord("A") + i), title, appendix=True)
        for i, (key, title) in enumerate(appendices)
    ]
    findings = next(c for c in chapters if c.key == "findings")
    sections = tuple(
        NumberedSection(f"{findings.number}.{n}", s) for n, s in enumerate(report.sections, 1)
    )
    return Contents(tuple(chapters), sections)
