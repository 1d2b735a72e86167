"""The report as HTML: one self-contained file (inline CSS and SVG, no external reference).

The same markup feeds the PDF renderer, which adds only the bundled fonts; `medium` changes
a sentence or two about the embedded attachments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from diligence.dates import iso_utc
from diligence.report.chapters import CONDITIONS_INTROS, contents
from diligence.report.formats import Rendered, ReportFormat
from diligence.report.model import Report

Medium = Literal["pdf", "html"]


@dataclass(frozen=True)
class DocumentMeta:
    """What the HTML head says about the document (and WeasyPrint puts in the PDF)."""

    title: str
    author: str
    description: str
    keywords: tuple[str, ...]
    generator: str
    created: str
    lang: str = "en"


def document_meta(report: Report) -> DocumentMeta:
    about = report.scenario.title if report.scenario else report.case_title
    subject = f"{report.checklist_title} of {about}" if about else report.checklist_title
    keywords = ["due diligence", "export control", "human rights"]
    keywords += [report.case_id] if report.case_id else []
    keywords.append(report.checklist_id)
    if report.scenario:
        keywords.append(report.scenario.id)
    return DocumentMeta(
        title=report.title,
        author=report.assessor,
        description=f"{subject}. {_outcome(report)} "
        f"(overall risk {report.overall}/100, {report.overall_level}).",
        keywords=tuple(keywords),
        generator=report.generator,
        created=iso_utc(report.generated),
    )


def _outcome(report: Report) -> str:
    if report.outcome == "gaps":
        return f"Gaps to close: {len(report.gaps)}"
    return f"Verdict: {report.verdict_label}"


def render_html(report: Report, medium: Medium = "html") -> str:
    """The report as one HTML document."""
    import markupsafe

    from diligence.report.chart import section_chart
    from diligence.report.templates import environment

    template = environment().get_template("report.html.j2")
    return template.render(
        r=report,
        doc=document_meta(report),
        medium=medium,
        contents=contents(report),
        chart=markupsafe.Markup(section_chart(report.sections)),
        flags={f.id: f for f in report.red_flags},
        first_in_findings=report.first_citations("findings"),
        first_in_flags=report.first_citations("red_flags"),
        CONDITIONS_INTRO=CONDITIONS_INTROS,
    )


class HtmlFormat(ReportFormat):
    def render(self, subject: Report) -> Rendered:
        return Rendered(render_html(subject, "html").encode("utf-8"))
