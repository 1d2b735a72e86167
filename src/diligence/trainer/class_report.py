"""Render a class comparison (trainer/aggregate.py) as PDF, HTML or JSON.

It reuses the single-report machinery: the template environment (autoescaped), the
stylesheet, the bundled fonts, the asset-only URL fetcher and the PDF writer. Long lists
are laid out as blocks, not tables, which WeasyPrint paginates much faster.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any

from diligence.assessment.interface import EvidenceItem
from diligence.content.models import Scenario
from diligence.dates import display_date, iso_utc
from diligence.report.formats import CLASS_FORMATS, Format, Rendered, names
from diligence.trainer.aggregate import ClassSummary, QuestionStats

BAR_COLOURS = ("#4b6a88", "#8aa4bd", "#c9d5e1", "#6d8f7a", "#b8c9a6", "#d9c48f", "#c98f6a")
REFERENCE_COLOUR = "#2f7d4f"
UNKNOWN_COLOUR = "#d9a441"


def to_json(summary: ClassSummary) -> dict[str, Any]:
    """The class's numbers (documented in `diligence class --help`)."""
    return {
        "checklist": {"id": summary.checklist.id, "version": summary.checklist.version},
        "case": summary.case_id,
        "scenario": summary.scenario_id,
        "submissions": len(summary.submissions),
        "complete": sum(1 for s in summary.submissions if s.complete),
        "rejected": [
            {"file": r.display, "line": r.line, "reason": r.reason} for r in summary.rejected
        ],
        "incomplete": [{"file": r.display, "reason": r.reason} for r in summary.incomplete],
        "reference_verdict": summary.reference_result.verdict.value
        if summary.reference_result
        else None,
        "verdicts": {v.value: n for v, n in summary.verdicts},
        "questions": [
            {
                "id": q.id,
                "section": q.section,
                "answered": q.answered,
                "answers": {c.value: c.count for c in q.counts},
                "reference": q.reference,
                "agreement": _round(q.agreement),
                "disagreement": _round(q.disagreement),
            }
            for q in summary.questions
        ],
        "discussion": [q.id for q in summary.discussion()],
        "students": [
            {
                "student": s.student,
                "file": s.display,
                "verdict": s.result.verdict.value,
                "overall": s.result.overall,
                "complete": s.complete,
                "agreement": _round(s.agreement),
            }
            for s in summary.submissions
        ],
    }


def render_json(summary: ClassSummary) -> Rendered:
    text = json.dumps(to_json(summary), indent=2, ensure_ascii=False) + "\n"
    return Rendered(text.encode("utf-8"), pages=None, warnings=())


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
        generator="diligence",
        created=iso_utc(generated),
    )
    bars = {q.id: markupsafe.Markup(answer_bar(q)) for q in summary.questions}
    sections = [
        (s, [q for q in summary.questions if q.section == s.id]) for s in summary.checklist.sections
    ]
    verdict_total = max(1, sum(n for _, n in summary.verdicts))
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
            bars=bars,
            sections=[(sec, qs) for sec, qs in sections if qs],
            discussion=summary.discussion(),
            passages=_passages(summary),
            verdict_total=verdict_total,
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


def class_format(name: str, *, generated: datetime) -> Format[ClassSummary]:
    """The class report format of that name (`formats.CLASS_FORMATS`)."""
    if name == "json":
        return ClassJsonFormat()
    if name == "html":
        return ClassHtmlFormat(generated)
    if name == "pdf":
        return ClassPdfFormat(generated)
    raise ValueError(f"no class report format {name!r}; known: {', '.join(names(CLASS_FORMATS))}")


def answer_bar(question: QuestionStats, width: int = 320, height: int = 14) -> str:
    """A stacked bar of the class's answers; the reference answer is drawn in green."""
    total = sum(c.count for c in question.counts)
    if not total or question.multi:  # ticks per option do not add up to a whole
        return ""
    parts = []
    x = 0.0
    for i, count in enumerate(question.counts):
        share = count.count / total
        w = share * width
        colour = (
            REFERENCE_COLOUR
            if count.is_reference
            else UNKNOWN_COLOUR
            if count.value == "unknown"
            else BAR_COLOURS[i % len(BAR_COLOURS)]
        )
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{max(w, 0.5):.1f}" height="{height}" '
            f'fill="{colour}"><title>{escape(count.label)}: {count.count}</title></rect>'
        )
        x += w
    label = f"Answers to {question.id}: " + ", ".join(
        f"{c.label} {c.count}" for c in question.counts
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        + "".join(parts)
        + "</svg>"
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _scenario(summary: ClassSummary) -> Scenario | None:
    if summary.reference is not None and summary.reference.scenario is not None:
        return summary.reference.scenario
    first = summary.submissions[0].assessment if summary.submissions else None
    return first.scenario if first else None


def _passages(summary: ClassSummary) -> dict[str, EvidenceItem]:
    """The case passages the discussion questions cite, with their sources."""
    first = summary.submissions[0].assessment if summary.submissions else None
    if first is None:
        return {}
    case = first.case
    if case is None:
        return {}
    passages = case.passages()
    refs = {}
    for question in summary.discussion():
        for passage_id in question.cites:
            if passage_id in passages:
                chapter, passage = passages[passage_id]
                source = case.source_line(chapter, passage)
                refs[passage_id] = EvidenceItem(passage, chapter, source)
    return refs
