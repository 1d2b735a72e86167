"""The walkthrough in a terminal: rich slides that fit the screen, single keys.

Each slide keeps the question and the reference answer at the top of every page; the
rationale, frameworks, evidence and teaching notes page below them (tui/pager.py), so an
80x24 projector never scrolls the question away. Keys: Enter (→, n) next question,
Space (PgDn, ↓) more, then on; PgUp (↑) back a page; b (←) previous question; j jump to a
section; q quit. Nothing else needs typing.
"""

from __future__ import annotations

from typing import Any, Literal

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import Layout
from prompt_toolkit.layout.containers import Window
from prompt_toolkit.layout.controls import FormattedTextControl
from questionary import Choice, Separator
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from diligence.assessment.engine import Flow
from diligence.assessment.interface import Evidence
from diligence.content.conditions import Cause
from diligence.content.models import CaseStudy, Scenario
from diligence.scoring import Reason, ScoreResult
from diligence.trainer.walkthrough import Ending, Key, Slide
from diligence.tui.pager import Line, Screen, layout, segments
from diligence.tui.panels import RISK_STYLES, clip, evidence_parts

Press = Key | Literal["more", "less"]
"""A key as read: the walk's keys, and paging within a slide."""

CAUSES_SHOWN = 4
"""How many of a reason's answers the verdict screen names before "and N more"."""


class RichView:
    """Shows slides on a rich console, a page at a time, and reads one key at a time."""

    def __init__(self, console: Console, *, clear: bool = True) -> None:
        self.console = console
        self.clear = clear
        self._pages: list[list[Line]] = []
        self._page = 0

    def show_briefing(self, case: CaseStudy, scenario: Scenario | None) -> bool:
        """The scenario's briefing before the first question; False when the trainer quits."""
        self._present(briefing_screen(case, scenario))
        return self._keys("Enter start", at_end=False) != "quit"

    def show(self, slide: Slide) -> None:
        self._present(slide_screen(slide))

    def show_ending(self, ending: Ending) -> None:
        self._present(ending_screen(ending))

    def read_key(self, *, at_end: bool = False) -> Key:
        key = self._keys("Enter end" if at_end else "Enter next", at_end=at_end)
        return "quit" if at_end and key == "next" else key

    def pick_section(self, flow: Flow) -> str | None:
        choices: list[Any] = [
            Choice(s.title, value=s.id)
            if s.relevant
            else Choice(s.title, value=s.id, disabled="does not apply")
            for s in flow.section_statuses()
        ]
        choices += [Separator(), Choice("Cancel", value="")]
        picked = questionary.select("Jump to section", choices=choices).unsafe_ask()
        return str(picked) if picked else None

    def _present(self, screen: Screen) -> None:
        width, height = self.console.size
        self._pages = layout(self.console, screen, width, height)
        self._page = 0
        self._draw()

    def _draw(self) -> None:
        if self.clear:
            self.console.clear()
        self.console.print(segments(self._pages[self._page]), end="")

    def _keys(self, enter: str, *, at_end: bool) -> Key:
        """Page on Space and PgUp; return any other key."""
        while True:
            key = read_key(self._legend(enter, at_end))
            last = self._page == len(self._pages) - 1
            if key == "more" and not last:
                self._page += 1
            elif key == "less" and self._page > 0:
                self._page -= 1
            elif key == "more":
                return "next"
            elif key != "less":
                return key
            self._draw()

    def _legend(self, enter: str, at_end: bool) -> str:
        pages = len(self._pages)
        more = f"Space more {self._page + 1}/{pages} · " if pages > 1 else ""
        moves = "b back · j jump · q quit" if not enter.endswith("start") else "q quit"
        if at_end:
            moves = "b back · j jump"
        return f"{enter} · {more}{moves}"


def read_key(legend: str) -> Press:
    """Wait for one of the walkthrough's keys; Ctrl-C and Ctrl-D mean quit."""
    bindings = KeyBindings()
    keys: dict[str, Press] = {
        "enter": "next",
        "right": "next",
        "n": "next",
        " ": "more",
        "pagedown": "more",
        "down": "more",
        "pageup": "less",
        "up": "less",
        "b": "back",
        "left": "back",
        "j": "jump",
        "q": "quit",
        "c-c": "quit",
        "c-d": "quit",
    }
    for name, result in keys.items():

        def done(event: KeyPressEvent, result: Press = result) -> None:
            event.app.exit(result=result)

        bindings.add(name)(done)
    app: Application[Press] = Application(
        layout=Layout(Window(FormattedTextControl(f"  {legend}"), height=1)),
        key_bindings=bindings,
        full_screen=False,
    )
    return app.run()


# --------------------------------------------------------------------------- screens


def slide_screen(slide: Slide) -> Screen:
    """The question and the reference answer on top; rationale, frameworks, evidence and
    teaching notes below, paged. Where the rationale would leave the body too little room
    it moves below too."""
    step = slide.step
    where = Table.grid(expand=True)
    where.add_column()
    where.add_column(justify="right", no_wrap=True)
    where.add_row(
        Text(step.section.title, style="bold magenta", no_wrap=True, overflow="ellipsis"),
        Text(f" question {step.number} of {step.total} · {slide.shown} shown", style="cyan"),
    )
    question = Text.assemble((f"{step.question.id}  ", "bold cyan"), (step.question.text, "bold"))
    answer = Text.assemble(("Reference answer: ", "bold"), (slide.reference, "bold"))
    if slide.risk:
        answer.append(f"   risk {slide.risk.value}", style=RISK_STYLES.get(slide.risk, ""))
    why = slide.rationale.strip() if slide.rationale else ""
    rationale = [Text(""), Text(why)] if why else []
    boxed = Panel(Group(answer, *rationale), border_style="green")
    parts: list[RenderableType] = []
    if step.section.intro and step.question.id == step.section.questions[0].id:
        parts.append(_spaced(Text(step.section.intro.strip(), style="italic dim")))
    if step.frameworks:
        parts.append(_spaced(Text("Frameworks: " + "; ".join(step.frameworks), style="dim")))
    parts += [_spaced(p) for p in evidence_parts(Evidence(slide.cited))]
    if slide.teaching_notes:
        note = Text("\n\n".join(slide.teaching_notes))
        parts.append(_spaced(Panel(note, title="Teaching note", title_align="left",
                                   border_style="magenta")))  # fmt: skip
    demoted = [Panel(Text(why), title="Why", title_align="left")]
    return Screen(
        head=[where, question, boxed],
        parts=parts,
        fallback_head=[where, question, Panel(answer, border_style="green")] if rationale else None,
        demoted=demoted if rationale else (),
    )


def briefing_screen(case: CaseStudy, scenario: Scenario | None) -> Screen:
    """The scenario's title, date and decision on top; the briefing, a paragraph a part."""
    if scenario is None:
        return Screen(head=[Text(case.title, style="bold magenta")], parts=[Text(case.summary)])
    head: list[RenderableType] = [
        Text.assemble((scenario.title, "bold magenta"), (f"  ·  as of {scenario.as_of}", "dim")),
        Panel(Text(scenario.decision.strip()), title="The decision", title_align="left"),
    ]
    paragraphs = [p.strip() for p in scenario.briefing.split("\n\n") if p.strip()]
    return Screen(head=head, parts=[_spaced(Text(p)) for p in paragraphs])


def ending_screen(ending: Ending) -> Screen:
    """The reference verdict on top; its reasons, each with the answers that caused it,
    and the discussion questions below."""
    result = ending.result
    verdict = Text.assemble(
        ("Reference verdict: ", "bold"),
        (result.verdict_label, "bold"),
        (f"   overall risk {result.overall}/100", "dim"),
    )
    head: list[RenderableType] = [
        Text(ending.scenario_title, style="bold magenta"),
        Panel(verdict, border_style="green"),
    ]
    parts: list[RenderableType] = [Text("Why", style="bold")]
    parts += [_reason(i, reason, result) for i, reason in enumerate(result.reasons, 1)]
    if ending.teaching_notes:
        parts.append(_spaced(Text("For discussion", style="bold magenta")))
        parts += [_hanging("•", Text(note)) for note in ending.teaching_notes]
    return Screen(head=head, parts=parts)


def _reason(number: int, reason: Reason, result: ScoreResult) -> RenderableType:
    """One reason: what it says (a red flag by its title), then the answers behind it by
    question and answer, at most `CAUSES_SHOWN` of them."""
    flag = next((f for f in result.red_flags if f.id == reason.flag), None)
    if flag is not None:
        said = f"red flag {flag.id} ({flag.severity.value}), {flag.title}"
    else:
        said = reason.text
    lines: list[RenderableType] = [
        Text.assemble((f"{result.label(reason.verdict)}: ", "bold"), said)
    ]
    if flag is not None:
        causes = [c for cause in flag.causes if cause.kind != "flag" for c in _cause(cause, result)]
        built_on = [cause.flag for cause in flag.causes if cause.kind == "flag" and cause.flag]
        if built_on:
            causes.append(f"red flag{'s' if len(built_on) > 1 else ''} {', '.join(built_on)}")
        if not causes:  # a rule that holds on no answer in particular
            causes = [_answered(q, result) for q in reason.answers]
    else:
        causes = [_answered(q, result) for q in reason.answers]
    if causes:
        more = len(causes) - CAUSES_SHOWN
        tail = f"; and {more} more" if more > 0 else ""
        label = "because of" if flag is not None else "riskiest answers"
        shown = "; ".join(causes[:CAUSES_SHOWN])
        lines.append(Text(f"{label}: {shown}{tail}", style="dim"))
    return _hanging(f"{number}.", Group(*lines))


def _cause(cause: Cause, result: ScoreResult) -> list[str]:
    """A red flag's own cause as the class reads it: each answer by question and answer,
    counted unknowns as one count."""
    if cause.kind == "unknowns":
        ids = cause.questions
        named = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        return [f"{len(ids)} answers unknown ({named})"]
    return [_answered(q, result) for q in cause.questions]


def _answered(question_id: str, result: ScoreResult) -> str:
    answered = result.question(question_id)
    return f"{question_id} {clip(answered.answer, 40)}" if answered else question_id


def _hanging(mark: str, body: RenderableType) -> RenderableType:
    """A numbered or bulleted item whose lines wrap under its text, not under the mark."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, body)
    return grid


def _spaced(renderable: RenderableType) -> RenderableType:
    """A body part with a blank line above it."""
    return Padding(renderable, (1, 0, 0, 0))
