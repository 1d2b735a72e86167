"""The report's chapters, in order: their numbers, titles and anchors, defined once.

The HTML (and so the PDF) and the Markdown renderers both walk `contents(report)`: each
chapter names its HTML partial (`templates/report/_<name>.html.j2`, or for the student
edition `templates/report/student/_<name>.html.j2`) and its Markdown function, so the two
formats have the same chapters, numbered the same way, and no number is written by hand
anywhere else. The conditions chapter is named for the verdict it serves.
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

STUDENT_CHAPTERS = (
    ("red-flags", "Red flags"),
    ("findings", "Findings: answers, reasons and evidence"),
    ("conditions", "Conditions and recommendations"),
    ("gaps", "Gaps to close"),
    ("open", "Unanswered and inactive questions"),
    ("glossary", "Frameworks and sources"),
    ("integrity", "Integrity"),
)
"""The student edition: the argument first, nothing it does not need."""

_SHARED = frozenset({"gaps"})
"""Chapters both editions print with the same template."""

CONDITIONS_TITLES = {
    "proceed": "Recommendations",
    "proceed_with_conditions": "Conditions of the sale",
    "escalate": "What the ethics committee should require",
    "decline": "What would have to change",
}
"""The conditions chapter's title, by verdict: conditions that fit the verdict."""

CONDITIONS_INTROS = {
    "proceed": "The sale may go ahead; the answers still call for these, most severe first.",
    "proceed_with_conditions": "The sale may go ahead only on these conditions, each to "
    "negotiate and verify, most severe first.",
    "escalate": "The decision goes to the ethics committee. These are what it should "
    "require before any sale, most severe first.",
    "decline": "The verdict is to decline. These are what would have to change before a "
    "sale could be reconsidered, most severe first.",
}
"""The conditions chapter's first sentence, by verdict."""

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
    student: bool = False
    """Of the student edition, whose partials live in templates/report/student/."""

    @property
    def heading(self) -> str:
        """As the chapter's own heading says it: "3 Findings by section", "Appendix A: ..."."""
        if self.appendix:
            return f"Appendix {self.number}: {self.title}"
        return f"{self.number} {self.title}"

    @property
    def entry(self) -> str:
        """As the table of contents says it: a chapter's title beside its number; an
        appendix's whole heading, "Appendix A: ...", with no number beside it."""
        return self.heading if self.appendix else self.title

    @property
    def partial(self) -> str:
        """The chapter's HTML template."""
        folder = "report/student" if self.student and self.key not in _SHARED else "report"
        return f"{folder}/_{self.key.replace('-', '_')}.html.j2"


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
    """The chapters and appendices of one report, numbered, for its edition: those `_has`
    keeps."""
    student = report.edition == "student"
    listed = [(k, t) for k, t in (STUDENT_CHAPTERS if student else CHAPTERS) if _has(report, k)]
    chapters = [
        Chapter(key, str(n), _title(key, title, report), student=student)
        for n, (key, title) in enumerate(listed, 1)
    ]
    appendices = [(k, t) for k, t in APPENDICES if _has(report, k)]
    if not student:
        chapters += [
            Chapter(key, chr(ord("A") + i), title, appendix=True)
            for i, (key, title) in enumerate(appendices)
        ]
    findings = next(c for c in chapters if c.key == "findings")
    sections = tuple(
        NumberedSection(f"{findings.number}.{n}", s) for n, s in enumerate(report.sections, 1)
    )
    return Contents(tuple(chapters), sections)


def _title(key: str, title: str, report: Report) -> str:
    if key == "conditions":
        return CONDITIONS_TITLES.get(report.verdict, title)
    return title
