"""A `CaseReading` as HTML, PDF or Markdown (`diligence case -o FILE`).

The same Jinja environment, stylesheet and WeasyPrint path as the reports: the HTML is one
self-contained file, the PDF is that HTML through `pdf.write_pdf`, the Markdown escapes
every piece of case text through `markdown_text`.
"""

from __future__ import annotations

from datetime import datetime

from diligence.dates import iso_utc
from diligence.report import markdown_text as md
from diligence.report.formats import REPORT_FORMATS, FormatSpec, Rendered
from diligence.report.html import DocumentMeta, Medium
from diligence.report.model import GENERATOR
from diligence.report.reading import CaseReading

CASE_FORMATS: tuple[FormatSpec, ...] = tuple(s for s in REPORT_FORMATS if s.name != "json")
"""The formats of a case reading: a report's, but JSON (the case file is the data)."""


def document_meta(reading: CaseReading, generated: datetime) -> DocumentMeta:
    when = f" as known on {reading.as_of}" if reading.as_of else ", the whole case"
    keywords = ["case study", "due diligence", reading.case_id]
    if reading.scenario:
        keywords.append(reading.scenario.id)
    return DocumentMeta(
        title=f"{reading.title}{when}",
        author="",
        description=f"The case {reading.case_id}{when}.",
        keywords=tuple(keywords),
        generator=GENERATOR,
        created=iso_utc(generated),
    )


def render_case_html(reading: CaseReading, generated: datetime, medium: Medium = "html") -> str:
    from diligence.report.templates import environment

    template = environment().get_template("case.html.j2")
    return template.render(c=reading, doc=document_meta(reading, generated), medium=medium)


def render_case(reading: CaseReading, fmt: str, generated: datetime) -> Rendered:
    """The reading in one of `CASE_FORMATS`."""
    if fmt == "html":
        return Rendered(render_case_html(reading, generated).encode("utf-8"))
    if fmt == "pdf":
        from diligence.report.pdf import write_pdf

        return write_pdf(render_case_html(reading, generated, "pdf"), created=generated)
    if fmt == "md":
        return Rendered(case_markdown(reading, generated).encode("utf-8"))
    raise ValueError(f"no case format {fmt!r}")


def case_markdown(reading: CaseReading, generated: datetime) -> str:
    """The reading as Markdown: the same parts as the HTML, in the same order."""
    lines: list[str] = []
    add = lines.append
    add(f"# {md.text(reading.title)}")
    add("")
    if reading.scenario:
        s = reading.scenario
        add(
            f"*Cut at the decision date, {s.as_of}: only what was known then is shown; "
            f"{md.plural(reading.later, 'passage')} of the case left out, later timeline "
            "events kept only by their date.*"
        )
        add("")
        add(f"## Briefing: {md.text(s.title)}")
        add("")
        add(f"Scenario {md.text(s.id)} · decision as of {s.as_of}")
        add("")
        add(f"**Decision:** {md.text(s.decision)}")
        add("")
        add(md.text(s.briefing))
    else:
        add("*The whole case, up to the present: it includes everything, also what no "
            "decision in a scenario could have known (a trainer's reading).*")  # fmt: skip
        add("")
        add(md.text(reading.summary))
    add("")
    _timeline(add, reading)
    add("## Passages")
    add("")
    for chapter in reading.chapters:
        record = "" if chapter.sourced else " (public record)"
        add(f"### {md.text(chapter.title)}{record}")
        add("")
        md.evidence(add, chapter.passages)
    if reading.actors:
        add("## Actors")
        add("")
        for actor in reading.actors:
            role = f": {md.text(actor.role)}" if actor.role else ""
            ids = f" ({', '.join(actor.passages)})" if actor.passages else ""
            add(f"- **{md.text(actor.name)}**, {actor.kind}{role}{ids}")
        add("")
    add("## Sources")
    add("")
    for source in reading.bibliography:
        add(f"- **{md.text(source.id)}**: {md.cell(source.citation)}")
    add("")
    add(f"Rendered on {iso_utc(generated)} by {GENERATOR} from case {reading.case_id}.")
    return "\n".join(lines) + "\n"


def _timeline(add: md.Add, reading: CaseReading) -> None:
    add("## Timeline")
    add("")
    marked = False
    for e in reading.timeline:
        if e.after_decision and not marked and reading.as_of:
            add(f"- **Decision date: {reading.as_of}**")
            marked = True
        if e.event:
            refs = " · ".join((*e.passages, *e.sources))
            add(f"- {e.date}: {md.cell(e.event)}" + (f" ({refs})" if refs else ""))
    if reading.as_of and not marked:
        add(f"- **Decision date: {reading.as_of}**")
    untold = [e.date for e in reading.timeline if not e.event]
    if untold:
        add(f"- later: {md.plural(len(untold), 'event')} after the decision date, not "
            f"described here ({', '.join(untold)})")  # fmt: skip
    add("")
