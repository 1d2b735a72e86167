"""The trainer walkthrough: the pure loop with a scripted view, and the key reader."""

from __future__ import annotations

import io

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from diligence.assessment.engine import Flow
from diligence.content.library import load_library
from diligence.trainer.walkthrough import Ending, Key, Slide, ending, slide, walk
from diligence.tui.walkthrough import read_key, render_ending, render_slide

from conftest import Keyboard

LIBRARY = load_library()


def reference_flow(scenario: str = "mexico-2011") -> Flow:
    reference = LIBRARY.reference_for("pegasus", scenario)
    assert reference is not None
    case = LIBRARY.case("pegasus")
    return Flow(
        LIBRARY.checklist(reference.model.checklist.id),
        reference.model,
        case=case,
        scenario=case.scenario(scenario),
        frameworks=LIBRARY.frameworks,
    )


class ScriptedView:
    def __init__(self, keys: list[Key], section: str | None = None) -> None:
        self.keys = keys
        self.section = section
        self.shown: list[str] = []
        self.ending: Ending | None = None
        self.read_at_end: list[bool] = []
        self.picked_at: list[str | None] = []

    def show(self, slide: Slide) -> None:
        self.shown.append(slide.step.question.id)

    def show_ending(self, ending: Ending) -> None:
        self.ending = ending
        self.shown.append("END")

    def read_key(self, *, at_end: bool = False) -> Key:
        self.read_at_end.append(at_end)
        return self.keys.pop(0)

    def pick_section(self, flow: Flow) -> str | None:
        self.picked_at.append(flow.current)
        return self.section


def test_enter_walks_every_relevant_question_then_the_verdict() -> None:
    flow = reference_flow()
    relevant = flow.relevant_ids()
    view = ScriptedView(["next"] * (len(relevant) + 1))
    walk(flow, view)
    assert view.shown == [*relevant, "END"]
    assert view.read_at_end == [False] * len(relevant) + [True]
    assert view.ending is not None
    assert view.ending.result.verdict.value == "escalate"
    assert view.ending.teaching_notes


def test_back_jump_and_quit() -> None:
    flow = reference_flow()
    relevant = flow.relevant_ids()
    first_contract = next(q for q in relevant if q.startswith("CON"))
    view = ScriptedView(["next", "back", "jump", "quit"], section="contract")
    walk(flow, view)
    assert view.shown == [relevant[0], relevant[1], relevant[0], first_contract]
    assert view.picked_at == [relevant[0]], "the jump is asked from where the walk is"
    assert flow.answers.answers == reference_flow().answers.answers, "nothing is changed"


def test_slide_shows_reference_answer_rationale_evidence_and_teaching_note() -> None:
    flow = reference_flow("saudi-2018")
    flow.goto(flow.relevant_ids()[0])
    shown = slide(flow)
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(render_slide(shown))
    text = console.export_text()
    assert "Reference answer: " + shown.reference in text
    assert shown.rationale and shown.rationale.split()[0] in text
    assert "Teaching note" in text and "As the record shows" in text
    assert shown.cited and shown.cited[0].passage.id in text


def test_ending_lists_the_chain_of_reasons() -> None:
    flow = reference_flow("private-inquiry")
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(render_ending(ending(flow)))
    text = console.export_text()
    assert "Decline" in text and "red flag RF1 (critical)" in text
    assert "For discussion" in text


def test_keys_read_from_a_pipe() -> None:
    for typed, expected in [
        (Keyboard.ENTER, "next"),
        ("b", "back"),
        ("j", "jump"),
        ("q", "quit"),
        (Keyboard.CTRL_C, "quit"),
    ]:
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text(typed)
            assert read_key("legend") == expected


def test_slides_and_the_trainer_edition_show_only_the_notes_that_fit_the_scenario() -> None:
    """user-trial #8: the saudi-2018 walkthrough showed ID2's note about Mexico's CISEN."""
    from diligence.assessment.load import load_assessment
    from diligence.report.render import build

    from reporting import GENERATED

    for scenario, fits, other in [
        ("saudi-2018", "Kingdom of Saudi Arabia", "CISEN"),
        ("mexico-2017", "CISEN", "Kingdom of Saudi Arabia"),
    ]:
        flow = reference_flow(scenario)
        flow.goto("ID2")
        notes = " ".join(slide(flow).teaching_notes)
        assert "Omri Lavie" in notes, "the general note, in every scenario"
        assert fits in notes and other not in notes, scenario
        reference = LIBRARY.reference_for("pegasus", scenario)
        assert reference is not None
        assessment = load_assessment(reference.path, LIBRARY)
        report, _ = build(
            assessment, reference.path.read_bytes(), LIBRARY, generated=GENERATED, trainer=True
        )
        finding = next(f for s in report.sections for f in s.findings if f.question == "ID2")
        assert finding.teaching_note and fits in finding.teaching_note
        assert other not in finding.teaching_note
