"""A `CaseReading` for the terminal (`diligence case` without -o): rich renderables, as
the assessment's briefing and evidence panels show the same things."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from diligence.report.model import Citation
from diligence.report.reading import CaseReading


def case_renderable(reading: CaseReading) -> RenderableType:
    """The whole reading, top to bottom: what it is, briefing, timeline, passages, actors,
    sources."""
    parts: list[RenderableType] = [_heading(reading)]
    if reading.scenario:
        s = reading.scenario
        parts.append(
            Panel(
                Group(
                    Text.assemble(("Decision: ", "bold"), s.decision),
                    Text(""),
                    Text(s.briefing),
                    Text(""),
                    Text(f"Rests on: {', '.join(c.passage for c in s.passages)}", style="dim"),
                ),
                title=f"[bold]Briefing: {escape(s.title)}[/]",
                subtitle=f"{escape(s.id)} · as of {s.as_of}",
                title_align="left",
                subtitle_align="left",
                padding=(1, 2),
            )
        )
    elif reading.summary:
        parts.append(Text(reading.summary))
    parts += _timeline(reading)
    parts.append(Rule("Passages", style="cyan"))
    for chapter in reading.chapters:
        record = " (public record)" if not chapter.sourced else ""
        parts.append(Text(f"\n{chapter.title}{record}", style="bold cyan"))
        parts += [_passage(c) for c in chapter.passages]
    parts += _actors(reading)
    parts.append(Rule("Sources", style="cyan"))
    for source in reading.bibliography:
        parts.append(Text.assemble((f"{source.id}  ", "bold"), source.citation))
    return Group(*parts)


def _heading(reading: CaseReading) -> RenderableType:
    title = Text(reading.title, style="bold")
    if reading.scenario:
        note = (
            f"Cut at the decision date, {reading.scenario.as_of}: only what was known then. "
            f"{reading.later} passage{'s' if reading.later != 1 else ''} left out; later "
            "timeline events keep only their date."
        )
        return Group(title, Text(note, style="green"), Text(""))
    note = (
        "The whole case, including everything up to the present: a trainer's reading. "
        "Give --scenario ID for what a student may read at a decision."
    )
    return Group(Text(note, style="yellow"), title, Text(""))


def _timeline(reading: CaseReading) -> list[RenderableType]:
    events = Table.grid(padding=(0, 2))
    events.add_column(style="bold", no_wrap=True)
    events.add_column()
    marked = False
    for e in reading.timeline:
        if e.after_decision and not marked and reading.as_of:
            events.add_row(reading.as_of, Text("── the decision ──", style="bold green"))
            marked = True
        if e.event:
            line = Text(e.event)
            if e.certainty == "reported":
                line.append(" (reported)", style="dim")
            events.add_row(e.date, line)
    if reading.as_of and not marked:
        events.add_row(reading.as_of, Text("── the decision ──", style="bold green"))
    parts: list[RenderableType] = [Rule("Timeline", style="cyan"), events]
    untold = [e.date for e in reading.timeline if not e.event]
    if untold:
        parts.append(
            Text(
                f"later: {len(untold)} event{'s' if len(untold) != 1 else ''} after the "
                f"decision date, not described here ({', '.join(untold)})",
                style="dim",
            )
        )
    return parts


def _passage(c: Citation) -> RenderableType:
    head = Text.assemble((c.passage, "bold"), " · ", c.title)
    if c.date:
        head.append(f" · {c.date}", style="dim")
    if c.certainty == "reported":
        head.append(" (reported)", style="dim")
    body: list[RenderableType] = [head, Text(c.summary)]
    if c.quote:
        body.append(Text(f"“{c.quote}” — {c.speaker}", style="italic"))
    source = c.source if c.chapter_source else f"{c.chapter}: {c.source}"
    body.append(Text(source, style="dim"))
    return Group(Text(""), *body)


def _actors(reading: CaseReading) -> list[RenderableType]:
    if not reading.actors:
        return []
    parts: list[RenderableType] = [Rule("Actors", style="cyan")]
    for actor in reading.actors:
        line = Text.assemble((actor.name, "bold"), f" · {actor.kind}")
        if actor.role:
            line.append(f": {actor.role}")
        if actor.passages:
            line.append(f" ({', '.join(actor.passages)})", style="dim")
        parts.append(line)
    return parts
