"""The walkthrough in a terminal: rich slides, single keys read with prompt_toolkit.

Keys: Enter (or Space, →) next, b (or ←) back, j jump to a section, q quit. Nothing else
needs typing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import Layout
from prompt_toolkit.layout.containers import Window
from prompt_toolkit.layout.controls import FormattedTextControl
from questionary import Choice, Separator
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from diligence.assessment.engine import Flow
from diligence.assessment.interface import Evidence
from diligence.content.models import CaseStudy, Scenario
from diligence.trainer.walkthrough import Ending, Key, Slide
from diligence.tui.panels import RISK_STYLES, briefing_panel, evidence_view, question_header

LEGEND = "Enter next · b back · j jump to a section · q quit"


class RichView:
    """Shows slides on a rich console and reads one key at a time."""

    def __init__(self, console: Console, *, clear: bool = True) -> None:
        self.console = console
        self.clear = clear

    def show_briefing(self, case: CaseStudy, scenario: Scenario | None) -> bool:
        """The scenario's briefing before the first question; False when the trainer quits."""
        if self.clear:
            self.console.clear()
        self.console.print(briefing_panel(case, scenario))
        return read_key("Enter start · q quit") != "quit"

    def show(self, slide: Slide) -> None:
        if self.clear:
            self.console.clear()
        self.console.print(render_slide(slide))

    def show_ending(self, ending: Ending) -> None:
        if self.clear:
            self.console.clear()
        self.console.print(render_ending(ending))

    def read_key(self, *, at_end: bool = False) -> Key:
        legend = "Enter/q end · b back · j jump to a section" if at_end else LEGEND
        key = read_key(legend)
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


def read_key(legend: str) -> Key:
    """Wait for one of the walkthrough's keys; Ctrl-C and Ctrl-D mean quit."""
    bindings = KeyBindings()
    keys: dict[str, Key] = {
        "enter": "next",
        " ": "next",
        "right": "next",
        "n": "next",
        "b": "back",
        "left": "back",
        "j": "jump",
        "q": "quit",
        "c-c": "quit",
        "c-d": "quit",
    }
    for name, result in keys.items():

        def done(event: KeyPressEvent, result: Key = result) -> None:
            event.app.exit(result=result)

        bindings.add(name)(done)
    app: Application[Key] = Application(
        layout=Layout(Window(FormattedTextControl(f"  {legend}"), height=1)),
        key_bindings=bindings,
        full_screen=False,
    )
    return app.run()


def render_slide(slide: Slide) -> RenderableType:
    """The question, the reference answer with its rationale, evidence and teaching note."""
    step = slide.step
    # The header shows position only: the reference answer has its own panel below.
    position = replace(step, saved=None, answered=step.number - 1)
    parts: list[RenderableType] = [
        Text(slide.scenario_title, style="bold magenta"),
        question_header(position),
    ]
    risk = slide.risk.value if slide.risk else None
    answer = Text.assemble(("Reference answer: ", "bold"), (slide.reference, "bold"))
    if risk:
        answer.append(f"   risk {risk}", style=RISK_STYLES.get(risk, ""))
    body: list[RenderableType] = [answer]
    if slide.rationale:
        body += [Text(""), Text(slide.rationale.strip())]
    if step.frameworks:
        body += [Text(""), Text("Frameworks: " + "; ".join(step.frameworks), style="dim")]
    parts.append(Panel(Group(*body), title="As the record shows", title_align="left"))
    parts.append(evidence_view(Evidence(slide.cited)))
    if slide.teaching_note:
        parts.append(
            Panel(
                Text(slide.teaching_note.strip()),
                title="Teaching note",
                title_align="left",
                border_style="magenta",
            )
        )
    return Group(*parts)


def render_ending(ending: Ending) -> RenderableType:
    """The reference verdict, its chain of reasons, and the discussion questions."""
    result = ending.result
    reasons = [Text(f"{i}. {reason.text}") for i, reason in enumerate(result.reasons, 1)]
    parts: list[RenderableType] = [
        Text(ending.scenario_title, style="bold magenta"),
        Panel(
            Group(
                Text(f"{result.verdict_label}  (overall risk {result.overall}/100)", style="bold"),
                Text(""),
                *reasons,
            ),
            title="Reference verdict",
            title_align="left",
        ),
    ]
    if ending.teaching_notes:
        notes = [Text(f"• {note}") for note in ending.teaching_notes]
        parts.append(
            Panel(Group(*notes), title="For discussion", title_align="left", border_style="magenta")
        )
    return Group(*parts)
