"""Render a class comparison (trainer/aggregate.py) as PDF, HTML, JSON or a CSV gradebook.

It reuses the single-report machinery: the template environment (autoescaped), the
stylesheet, the bundled fonts, the asset-only URL fetcher and the PDF writer. Long lists
are laid out as blocks, not tables, which WeasyPrint paginates much faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from diligence.assessment.interface import EvidenceItem
from diligence.content.models import CaseStudy, Scenario
from diligence.dates import display_date, iso_utc
from diligence.report.formats import CLASS_FORMATS, Format, Rendered, names
from diligence.report.model import GENERATOR
from diligence.trainer.aggregate import ClassSummary
from diligence.trainer.class_charts import (
    answer_bar,
    flag_bar,
    section_strip,
    verdict_chart,
)
from diligence.trainer.class_json import render_json
from diligence.trainer.comparison import most_extra, most_missed
from diligence.trainer.questions import shorten

DISCUSSED = 8
"""How many of the most disputed questions the report discusses."""
ON_THE_COVER = 3
"""How many of them the cover names."""
BRIEF = 300
"""Characters of a passage's summary quoted under a discussion question."""


@dataclass(frozen=True)
class Quoted:
    """A case passage as the class report quotes it, marked when it is hindsight."""

    item: EvidenceItem
    after_decision: bool
    brief: str
    """The summary, shortened for the discussion pages."""


def render_html(summary: ClassSummary, generated: datetime, medium: str = "html") -> str:
    import markupsafe

    from diligence.report.html import DocumentMeta
    from diligence.report.templates import environment

    scenario = _scenario(summary)
    title = f"Class comparison: {scenario.title if scenario else summary.checklist.title}"
    doc = DocumentMeta(
        lang="en",
        title=title,
        author="",
        description=f"{len(summary.submissions)} submissions compared with the reference answers",
        keywords=(
            "due diligence",
            "class comparison",
            summary.checklist.id,
            summary.case_id or summary.checklist.id,
        ),
        generator=GENERATOR,
        created=iso_utc(generated),
    )

    def markup(svg: str) -> markupsafe.Markup:
        return markupsafe.Markup(svg)

    discussion = summary.discussion(DISCUSSED)
    ref = summary.reference_result
    verdict_args = (
        summary.verdicts,
        summary.verdicts_incomplete,
        ref.verdict if ref else None,
        summary.checklist.scoring.label,  # the verdicts as the checklist names them
    )
    return (
        environment()
        .get_template("class.html.j2")
        .render(
            doc=doc,
            s=summary,
            title=title,
            scenario=scenario,
            medium=medium,
            generated=display_date(generated),
            bars={q.id: markup(answer_bar(q)) for q in summary.questions},
            flag_bars={f.id: markup(flag_bar(f)) for f in summary.flags},
            verdicts=markup(verdict_chart(*verdict_args)),
            cover_verdicts=markup(verdict_chart(*verdict_args, width=560, scale=1.25)),
            strip=markup(section_strip(summary.sections)),
            missed=most_missed(summary.flags),
            extra=most_extra(summary.flags),
            sections=_sections(summary),
            discussion=discussion,
            disputed=discussion[:ON_THE_COVER],
            passages=_passages(summary),
            counted=len(summary.counted),
            apart=len(summary.submissions) - len(summary.counted),
        )
    )


def render_pdf(summary: ClassSummary, generated: datetime) -> Rendered:
    from diligence.report.pdf import write_pdf

    return write_pdf(render_html(summary, generated, medium="pdf"), created=generated)


class ClassJsonFormat(Format[ClassSummary]):
    def render(self, subject: ClassSummary) -> Rendered:
        return render_json(subject)


class ClassHtmlFormat(Format[ClassSummary]):
    def __init__(self, generated: datetime) -> None:
        self.generated = generated

    def render(self, subject: ClassSummary) -> Rendered:
        return Rendered(render_html(subject, self.generated).encode("utf-8"))


class ClassPdfFormat(Format[ClassSummary]):
    def __init__(self, generated: datetime) -> None:
        self.generated = generated

    def render(self, subject: ClassSummary) -> Rendered:
        return render_pdf(subject, self.generated)


class ClassCsvFormat(Format[ClassSummary]):
    def render(self, subject: ClassSummary) -> Rendered:
        from diligence.trainer.gradebook import gradebook_csv

        return Rendered(gradebook_csv(subject).encode("utf-8"))


def class_format(name: str, *, generated: datetime) -> Format[ClassSummary]:
    """The class report format of that name (`formats.CLASS_FORMATS`)."""
    if name == "json":
        return ClassJsonFormat()
    if name == "csv":
        return ClassCsvFormat()
    if name == "html":
        return ClassHtmlFormat(generated)
    if name == "pdf":
        return ClassPdfFormat(generated)
    raise ValueError(f"no class report format {name!r}; known: {', '.join(names(CLASS_FORMATS))}")


def _sections(summary: ClassSummary) -> list[tuple[Any, list[Any]]]:
    """The checklist's sections with the questions of each the class answered."""
    grouped = [
        (s, [q for q in summary.questions if q.section == s.id]) for s in summary.checklist.sections
    ]
    return [(section, questions) for section, questions in grouped if questions]


def _scenario(summary: ClassSummary) -> Scenario | None:
    if summary.reference is not None and summary.reference.scenario is not None:
        return summary.reference.scenario
    first = summary.submissions[0].assessment if summary.submissions else None
    return first.scenario if first else None


def _case(summary: ClassSummary) -> CaseStudy | None:
    first = summary.submissions[0].assessment if summary.submissions else None
    return first.case if first else None


def _passages(summary: ClassSummary) -> dict[str, Quoted]:
    """Every passage the report may quote, each marked when it postdates the decision
    (`Passage.hindsight_for`): the discussion questions' own, the class's and the
    reference's citations."""
    case = _case(summary)
    if case is None:
        return {}
    scenario = _scenario(summary)
    as_of = scenario.as_of if scenario else None
    passages = case.passages()
    wanted: set[str] = {p.id for p in summary.passages}
    for question in summary.discussion(DISCUSSED):
        wanted |= set(question.cites) | set(question.reference_cites)
    quoted = {}
    for passage_id in sorted(wanted):
        if passage_id in passages:
            chapter, passage = passages[passage_id]
            item = EvidenceItem(passage, chapter, case.source_line(chapter, passage))
            brief = shorten(passage.summary, BRIEF)
            quoted[passage_id] = Quoted(item, passage.hindsight_for(as_of), brief)
    return quoted
