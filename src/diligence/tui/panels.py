"""Rich renderables for the terminal: briefings, question headers, help, evidence, review.

Shared by the assessment prompter and the trainer's walkthrough, so both show a question,
its evidence and its risk the same way. `RISK_STYLES` is the one map of risk level to
terminal style.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from diligence.assessment.interface import Evidence, Gaps, Review, ReviewRow, Step
from diligence.content.models import CaseStudy, RiskLevel, Scenario, has_value
from diligence.content.rules import answer_text

RISK_STYLES: dict[str, str] = {
    RiskLevel.none: "dim",
    RiskLevel.low: "green",
    RiskLevel.medium: "yellow",
    RiskLevel.high: "red",
    RiskLevel.critical: "bold red",
}
"""How the terminal shows each risk level (keys are the level names)."""


def clip(text: str, width: int) -> str:
    """Text on one line, cut to `width` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def briefing_panel(case: CaseStudy, scenario: Scenario | None) -> RenderableType:
    """The scenario: title, date, the decision and the briefing."""
    origin = Text(case.origin(), style="dim")
    if scenario is None:
        summary = Group(Text(case.summary.strip()), Text(""), origin)
        return Panel(summary, title=escape(case.title), title_align="left")
    body = Group(
        Text.assemble(("Decision: ", "bold"), scenario.decision),
        Text(""),
        Text(scenario.briefing.strip()),
        Text(""),
        origin,
    )
    return Panel(
        body,
        title=f"[bold]{escape(scenario.title)}[/]",
        subtitle=f"{escape(case.title)} · as of {scenario.as_of}",
        title_align="left",
        subtitle_align="left",
        padding=(1, 2),
    )


def question_header(step: Step) -> RenderableType:
    """Where the user is, the question, and what they answered, reasoned and cited."""
    question = step.question
    where = Table.grid(expand=True, padding=(0, 1))
    where.add_column(ratio=1)
    where.add_column(no_wrap=True)
    where.add_column(justify="right", no_wrap=True)
    where.add_row(
        Text(step.section.title, style="bold cyan"),
        ProgressBar(total=max(step.total, 1), completed=step.answered, width=20),
        Text(f"question {step.number} of {step.total} · {step.answered} done", style="cyan"),
    )
    parts: list[RenderableType] = [Text(""), where]
    if step.section.intro and question.id == step.section.questions[0].id:
        parts.append(Text(step.section.intro.strip(), style="italic"))
    if step.stem:
        parts.append(Text(step.stem, style="bold"))
    title = Text.assemble((f"{question.id}  ", "bold cyan"), (question.text, "bold"))
    if not question.required:
        title.append("  (optional)", style="dim")
    parts.append(title)
    saved = step.saved
    value = saved.value if saved else None
    if saved is not None and has_value(value):
        shown = clip(answer_text(question, value, "prompt"), 200)
        parts.append(Text.assemble(("Your answer: ", "dim"), shown))
    elif saved is not None and saved.answered_at is not None:
        parts.append(Text("Left blank.", style="dim"))
    if saved is not None and saved.note:
        parts.append(Text.assemble(("Rationale: ", "dim"), clip(saved.note, 200)))
    elif step.needs_rationale(value):
        parts.append(Text("Needs a rationale: press n to give your reasons.", style="yellow"))
    if step.cited:
        cited = ", ".join(item.passage.id for item in step.cited)
        parts.append(Text.assemble(("Cited: ", "dim"), clip(cited, 200)))
    return Group(*parts)


def help_panel(step: Step) -> RenderableType:
    """The question's help text and the frameworks it rests on."""
    parts: list[RenderableType] = [Text(step.question.help.strip())]
    if step.question.basis:
        parts += [Text(""), Text("What the source says", style="bold")]
        parts.append(Text(step.question.basis.strip()))
    if step.frameworks:
        parts += [Text(""), Text("Frameworks", style="bold")]
        parts += [Text(f"  • {line}") for line in step.frameworks]
    return Panel(Group(*parts), title=f"Help · {step.question.id}", title_align="left")


def evidence_view(evidence: Evidence) -> RenderableType:
    """One panel per cited passage: summary, quote with speaker, chapter, date and source."""
    return Padding(Group(*evidence_parts(evidence)), (1, 0, 0, 0))


def evidence_parts(evidence: Evidence) -> list[RenderableType]:
    """The evidence view's pieces, for a pager to place: notes, then a panel a passage."""
    parts: list[RenderableType] = []
    if evidence.from_briefing:
        parts.append(
            Text(
                f"This question cites no passage dated {evidence.as_of} or earlier; "
                "here is what the scenario's briefing rests on.",
                style="dim",
            )
        )
    if not evidence.items:
        parts.append(Text("This question cites no case passage.", style="dim"))
    for item in evidence.items:
        passage = item.passage
        body: list[RenderableType] = [Text(passage.summary.strip())]
        if passage.quote:
            body.append(Text(""))
            body.append(
                Text.assemble(
                    (f"“{passage.quote.text.strip()}”", "italic"), f"  — {passage.quote.speaker}"
                )
            )
        # The source line of a chapter that follows one source names the chapter already.
        facts = [] if item.chapter.source else [item.chapter.title]
        if passage.date:
            facts.append(passage.date)
        if passage.certainty == "reported":
            facts.append("reported, not confirmed")
        facts.append(item.source)
        # In the body, not the subtitle: a long source line wraps there instead of being cut.
        body += [Text(""), Text(" · ".join(facts), style="dim")]
        parts.append(
            Panel(
                Group(*body),
                title=f"[bold]{escape(passage.title)}[/] [dim]({escape(passage.id)})[/]",
                title_align="left",
            )
        )
    if evidence.later:
        parts.append(
            Text(
                f"Left out, as dated or made public after {evidence.as_of} "
                f"(the time of this decision): {', '.join(evidence.later)}",
                style="dim",
            )
        )
    return parts


def review_table(review: Review) -> RenderableType:
    """All answers: section, question, answer, risk, rationale and citations, status."""
    table = Table(
        title="Your answers",
        title_justify="left",
        caption="Why: ✎ your rationale, ! one the checklist asks for is missing; "
        "a number: the passages you cite",
        caption_justify="left",
        expand=True,
        show_lines=False,
    )
    table.add_column("Section", style="cyan", ratio=2)
    table.add_column("Question", ratio=5)
    table.add_column("Answer", ratio=3)
    table.add_column("Risk", no_wrap=True)
    table.add_column("Why", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    previous = None
    for row in review.rows:
        risk = Text("")
        if row.risk:
            risk = Text(row.risk.value, style="dim" if row.inactive else RISK_STYLES[row.risk])
        if row.inactive:
            status = Text("inactive", style="dim")
        elif not row.done:
            status = Text("open" if row.required else "open (optional)", style="bold yellow")
        elif row.value is None:
            status = Text("left blank", style="dim")
        else:
            status = Text("")
        table.add_row(
            row.section if row.section != previous else "",
            Text(f"{row.question_id}  {row.text}".strip()),
            Text(clip(row.shown, 120), style="dim" if row.inactive else ""),
            risk,
            _why(row),
            status,
        )
        previous = row.section
    return Padding(table, (1, 0, 0, 0))


def _why(row: ReviewRow) -> Text:
    """The rationale mark and the number of passages cited: "✎ 2", "! 1", "✎"."""
    why = Text()
    if row.note:
        why.append("✎")
    elif row.needs_rationale and not row.inactive:
        why.append("!", style="bold yellow")
    if row.cites:
        why.append(f" {len(row.cites)}" if row.note or row.needs_rationale else str(len(row.cites)))
    return why


def gaps_line(gaps: Gaps) -> RenderableType | None:
    """What the answers lack as an argument, counted: None when nothing is missing."""
    parts = []
    if gaps.no_rationale:
        need = len(gaps.rationale_required)
        needing = f" ({need} where the checklist asks for one: !)" if need else ""
        parts.append(f"{_count(gaps.no_rationale, 'answer')} without a rationale{needing}")
    if gaps.no_citation:
        parts.append(f"{_count(gaps.no_citation, 'answer')} citing no passage")
    if not parts:
        return None
    return Text("; ".join(parts) + ".", style="yellow")


def _count(ids: tuple[str, ...], noun: str) -> str:
    return f"{len(ids)} {noun}{'s' if len(ids) != 1 else ''}"
