"""The report as Markdown that reads well on a Git forge: tables for the sections,
blockquotes for quotations.

Written in Python rather than a template: autoescaping is for HTML, and Markdown needs its
own escaping (`markdown_text.text`, which every piece of text from a file or a user goes
through).

One method per chapter, named like the chapter's HTML partial (templates/report/), and
walked in the order `chapters.contents` gives, so both formats have the same chapters.
"""

from __future__ import annotations

from collections.abc import Callable

from diligence.report import HASH_LABEL
from diligence.report.chapters import Chapter, contents
from diligence.report.formats import Rendered, ReportFormat
from diligence.report.markdown_scoring import scoring_appendix
from diligence.report.markdown_text import (
    bar,
    cell,
    evidence,
    frameworks,
    indent,
    plural,
    text,
)
from diligence.report.model import Citation, Finding, RedFlagReport, Report, SectionReport


def render_markdown(report: Report) -> str:
    """The report as one Markdown document."""
    return _Markdown(report).render()


class _Markdown:
    def __init__(self, report: Report) -> None:
        self.r = report
        self.contents = contents(report)
        self.lines: list[str] = []
        self.flagged = bool(report.scoring.red_flag_rules or report.red_flags)
        """Whether the checklist defines red flags (else nothing is said of them)."""
        self.outcome_noun = "gap list" if report.outcome == "gaps" else "verdict"

    def add(self, line: str) -> None:
        self.lines.append(line)

    def render(self) -> str:
        self.cover()
        for chapter in self.contents.chapters:
            _CHAPTERS[chapter.key](self, chapter)
        return "\n".join(self.lines).rstrip() + "\n"

    def heading(self, chapter: Chapter) -> None:
        self.add(f"## {chapter.heading}")
        self.add("")

    # ---------------------------------------------------------------- cover

    def cover(self) -> None:
        r, add = self.r, self.add
        add(f"# {text(r.title)}")
        add("")
        edition = " · trainer edition" if r.trainer else ""
        fiction = " · fictional case" if r.fictional else ""
        kind = "Self-assessment" if r.kind == "self-assessment" else "Due-diligence report"
        add(f"**{kind}**{fiction}{edition} · {text(r.generated_display)}")
        add("")
        if not r.complete:
            add(
                f"**Draft: incomplete assessment.** "
                f"{plural(len(r.missing), 'required question')} unanswered "
                f"({', '.join(r.missing)}); the {self.outcome_noun} scores what is there."
            )
            add("")
        if r.outcome == "gaps":
            add(f"> **Outcome: {plural(len(r.gaps), 'gap')} to close**\\")
        else:
            add(f"> **Verdict: {text(r.verdict_label)}**\\")
        flags = f"{plural(len(r.red_flags), 'red flag')} · " if self.flagged else ""
        add(
            f"> Overall risk {r.overall}/100 ({r.overall_level}) · "
            f"{flags}{plural(len(r.unknowns), 'unknown')}"
        )
        add("")
        self.facts()

    def facts(self) -> None:
        r, add = self.r, self.add
        add("| | |")
        add("| --- | --- |")
        if r.case_title:
            add(f"| Case | {cell(r.case_title)}: {cell(r.origin)} |")
        if r.scenario:
            add(
                f"| Scenario | {cell(r.scenario.title)} ({r.scenario.id}, decision as of "
                f"{r.scenario.as_of}) |"
            )
            add(f"| Decision | {cell(r.scenario.decision)} |")
        version = f"{r.checklist_id}, version {r.checklist_version}"
        add(f"| Checklist | {cell(r.checklist_title)} ({version}) |")
        add(f"| Assessor | {cell(r.assessor) or 'not named'} |")
        add(f"| Date | {r.generated_display} |")
        add(f"| Answers | {cell(r.answers.name)} ({r.answers.status.replace('_', ' ')}) |")
        add(f"| Answers SHA-256 | `{r.answers.sha256}` |")
        add("")

    # ---------------------------------------------------------------- 1 summary

    def summary(self, chapter: Chapter) -> None:
        r, add = self.r, self.add
        self.heading(chapter)
        if r.outcome == "gaps":
            gaps = self.contents["gaps"].number
            add(f"This self-assessment states no verdict: chapter {gaps} lists the gaps to close.")
        else:
            add("### Why this verdict")
            add("")
            for i, reason in enumerate(r.reasons, 1):
                answers = f" (answers: {', '.join(reason.answers)})" if reason.answers else ""
                add(f"{i}. **{text(reason.verdict_label)}**: {text(reason.text)}{answers}")
        add("")
        if self.flagged:
            self.top_red_flags()
        self.section_risk()
        add("### Unknowns")
        add("")
        if r.unknowns:
            add(
                f"{plural(len(r.unknowns), 'question')} answered *unknown*; each is a finding "
                "in itself:"
            )
            add("")
            for qid in r.unknowns:
                finding = r.finding(qid)
                add(f"- **{qid}** {text(finding.text if finding else '')}")
        else:
            add("No question was answered *unknown*.")
        add("")

    def top_red_flags(self) -> None:
        r, add = self.r, self.add
        add("### Top red flags")
        add("")
        flags = {f.id: f for f in r.red_flags}
        for flag_id in r.top_red_flags:
            flag = flags[flag_id]
            answers = f" Answers: {', '.join(flag.answers)}." if flag.answers else ""
            add(
                f"- **{flag.id} {text(flag.title)}** ({flag.severity}): "
                f"{text(flag.message)}{answers}"
            )
        if len(r.red_flags) > len(r.top_red_flags):
            more = len(r.red_flags) - len(r.top_red_flags)
            add(f"- and {more} more in chapter {self.contents['red-flags'].number}")
        if not r.top_red_flags:
            add("No red flag was raised.")
        add("")

    def section_risk(self) -> None:
        r, add = self.r, self.add
        add("### Section risk")
        add("")
        add("| Section | Risk | | Level | Answered | Unknowns |")
        add("| --- | ---: | --- | --- | ---: | ---: |")
        for s in r.sections:
            score = "–" if s.score is None else str(s.score)
            add(
                f"| {cell(s.title)} | {score} | {bar(s.score)} | {s.level or 'not assessed'} | "
                f"{s.answered}/{s.relevant} | {s.unknowns} |"
            )
        add(f"| **Overall** | **{r.overall}** | {bar(r.overall)} | **{r.overall_level}** | | |")
        add("")

    # ---------------------------------------------------------------- 2 red flags

    def red_flags(self, chapter: Chapter) -> None:
        r, add = self.r, self.add
        self.heading(chapter)
        if not r.red_flags:
            add(
                f"No red flag was raised: none of the checklist's {r.scoring.red_flag_rules} "
                "red-flag rules was met by the answers."
            )
            add("")
        for flag in r.red_flags:
            self.red_flag(flag)

    def red_flag(self, flag: RedFlagReport) -> None:
        add = self.add
        add(f"### {flag.id} {text(flag.title)} ({flag.severity})")
        add("")
        add(text(flag.message))
        add("")
        add(f"- **Forces at least:** {text(flag.verdict_label)}")
        if flag.answers:
            raised = []
            for q in flag.answers:
                finding = self.r.finding(q)
                raised.append(f"{q} ({text(finding.answer)})" if finding else q)
            add(f"- **Raised by:** {', '.join(raised)}")
        if flag.mitigation:
            add(f"- **Mitigation:** {text(flag.mitigation)}")
        frameworks(self.add, flag.frameworks)
        self.add("")
        self.evidence_block("**Evidence:**", flag.evidence)

    def evidence_block(self, label: str, citations: tuple[Citation, ...]) -> None:
        """The passages a red flag, a finding or the briefing rests on, under `label`."""
        if citations:
            self.add(label)
            self.add("")
            evidence(self.add, citations)

    # ---------------------------------------------------------------- 3 findings

    def findings(self, chapter: Chapter) -> None:
        self.heading(chapter)
        for numbered in self.contents.sections:
            self.section(numbered.number, numbered.section)

    def section(self, number: str, s: SectionReport) -> None:
        add = self.add
        add(f"### {number} {text(s.title)}")
        add("")
        risk = f"Section risk {s.score}/100 ({s.level})" if s.score is not None else "Not assessed"
        unknowns = f" · {plural(s.unknowns, 'unknown')}" if s.unknowns else ""
        add(f"{risk} · {s.answered} of {s.relevant} relevant questions answered{unknowns}")
        add("")
        if s.intro:
            add(f"*{text(s.intro)}*")
            add("")
        if not s.findings:
            add(
                "No question of this section was answered."
                if s.relevant
                else "Not applicable given the other answers."
            )
            add("")
        for f in s.findings:
            self.finding(f)

    def finding(self, f: Finding) -> None:
        add = self.add
        add(f"#### {f.question} {text(f.text)}")
        add("")
        risk = f"{f.risk} risk" if f.risk else "not scored"
        unknown = " (unknown)" if f.status == "unknown" else ""
        add(f"- **Answer:** {text(f.answer)}{unknown} · {risk}")
        for condition in f.conditions:
            add(f"- **Calls for:** {text(condition)}")
        if f.red_flags:
            add(f"- **Raises:** {', '.join(f.red_flags)}")
        frameworks(add, f.frameworks)
        add("")
        if f.note:
            add("**Rationale:**")
            add("")
            add(text(f.note))
            add("")
        whose = "cited by the assessor" if f.evidence_from == "answer" else "cited by the checklist"
        self.evidence_block(f"**Evidence** ({whose}):", f.evidence)
        if f.teaching_note:
            add(f"**Teaching note.** {text(f.teaching_note)}")
            add("")

    # ---------------------------------------------------------------- 4 conditions

    def conditions(self, chapter: Chapter) -> None:
        r, add = self.r, self.add
        self.heading(chapter)
        if r.conditions:
            for i, c in enumerate(r.conditions, 1):
                source = "red flag" if c.source_kind == "red_flag" else "answer"
                add(f"{i}. **{c.risk}**: {text(c.text)} *(from {source} {c.source})*")
        else:
            add("No answer or red flag calls for a condition.")
        add("")
        if r.scenario and r.scenario.teaching_notes:
            add("### Teaching notes for the debrief")
            add("")
            for note in r.scenario.teaching_notes:
                add(f"- {indent(text(note), '  ').lstrip()}")
            add("")

    def gaps(self, chapter: Chapter) -> None:
        add = self.add
        self.heading(chapter)
        for i, g in enumerate(self.r.gaps, 1):
            add(f"{i}. **{g.risk}**: **{g.question}** {text(g.text)} Answer: {text(g.answer)}")
            for action in g.actions:
                add(f"   - {text(action)}")
        if not self.r.gaps:
            add("No gap was found: no answer reaches the gap level, and none is unknown.")
        add("")

    # ---------------------------------------------------------------- 5 open questions

    def open(self, chapter: Chapter) -> None:
        r, add = self.r, self.add
        self.heading(chapter)
        add("### Unanswered questions")
        add("")
        for f in r.unanswered:
            kind = "required" if f.required else "optional"
            add(f"- **{f.question}** {text(f.text)} *({kind})*")
        if not r.unanswered:
            add("Every relevant question was answered.")
        add("")
        add("### Inactive answers")
        add("")
        for f in r.inactive:
            note = f" — {cell(f.note)}" if f.note else ""
            add(f"- **{f.question}** {text(f.text)} Kept answer: **{text(f.answer)}**{note}")
        if not r.inactive:
            add("No inactive answers.")
        add("")

    # ---------------------------------------------------------------- appendices

    def briefing(self, chapter: Chapter) -> None:
        add, scenario = self.add, self.r.scenario
        assert scenario is not None  # the chapter exists only with a scenario
        self.heading(chapter)
        add(f"**{text(scenario.title)}** (scenario {scenario.id}, as of {scenario.as_of})")
        add("")
        add(f"**Decision:** {text(scenario.decision)}")
        add("")
        add(text(scenario.briefing))
        add("")
        self.evidence_block("**Passages in the briefing:**", scenario.passages)

    def timeline(self, chapter: Chapter) -> None:
        r, add = self.r, self.add
        self.heading(chapter)
        add("| Date | Event | Sources |")
        add("| --- | --- | --- |")
        marked = False
        for e in r.timeline:
            if r.scenario and e.after_decision and not marked:
                add(
                    f"| **{r.scenario.as_of}** | **Decision date**; later events were not known | |"
                )
                marked = True
            event = cell(e.event) + (" *(reported)*" if e.certainty == "reported" else "")
            if e.after_decision and e.certainty != "reported":
                event = f"*{event}*"
            add(f"| {e.date} | {event} | {cell(', '.join(e.passages + e.sources))} |")
        add("")

    def bibliography_entries(self) -> None:
        for entry in self.r.bibliography:
            self.add(f"- **{entry.id}** ({entry.kind_name}): {text(entry.citation)}")
        self.add("")

    def glossary(self, chapter: Chapter) -> None:
        """The student edition's frameworks in full, once, and the sources it cites."""
        self.heading(chapter)
        for g in self.r.glossary:
            named = "; ".join(p.reference for p in g.provisions)
            self.add(f"- **{text(g.cite_as)}**: {text(g.title)} ({text(named)})")
        self.add("")
        self.bibliography_entries()

    def bibliography(self, chapter: Chapter) -> None:
        self.heading(chapter)
        self.bibliography_entries()

    def scoring(self, chapter: Chapter) -> None:
        self.heading(chapter)
        scoring_appendix(self.add, self.r)

    def integrity(self, chapter: Chapter) -> None:
        r, add = self.r, self.add
        self.heading(chapter)
        add(
            f"Rendered on {r.generated_display} by {r.generator} from the answers file "
            f"**{cell(r.answers.name)}** ({r.answers.size} bytes). {HASH_LABEL}:"
        )
        add("")
        add(f"`{r.answers.sha256}`")


_CHAPTERS: dict[str, Callable[[_Markdown, Chapter], None]] = {
    "summary": _Markdown.summary,
    "red-flags": _Markdown.red_flags,
    "findings": _Markdown.findings,
    "conditions": _Markdown.conditions,
    "gaps": _Markdown.gaps,
    "open": _Markdown.open,
    "briefing": _Markdown.briefing,
    "timeline": _Markdown.timeline,
    "bibliography": _Markdown.bibliography,
    "glossary": _Markdown.glossary,
    "scoring": _Markdown.scoring,
    "integrity": _Markdown.integrity,
}
"""Each chapter's writer, by the chapter's key (as `chapters.py` names them)."""


class MarkdownFormat(ReportFormat):
    def render(self, subject: Report) -> Rendered:
        return Rendered(render_markdown(subject).encode("utf-8"))
