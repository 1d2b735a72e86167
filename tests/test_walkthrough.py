"""The trainer walkthrough: the pure loop with a scripted view, and the key reader."""

from __future__ import annotations

import io
import re

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from diligence.assessment.engine import Flow
from diligence.content.library import load_library
from diligence.trainer.walkthrough import Ending, Key, Slide, ending, slide, walk
from diligence.tui.pager import Screen, layout, segments
from diligence.tui.walkthrough import RichView, ending_screen, read_key, slide_screen

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
        self.counts: list[int] = []

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


def pages(screen: Screen, width: int, height: int) -> list[str]:
    """Each page of a screen as the terminal shows it, in plain text."""
    console = Console(width=width, height=height, file=io.StringIO(), color_system=None)
    texts = []
    for page in layout(console, screen, width, height):
        out = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        out.print(segments(page))
        texts.append(out.export_text())
    return texts


def test_slide_shows_reference_answer_rationale_evidence_and_teaching_note() -> None:
    flow = reference_flow("saudi-2018")
    flow.goto(flow.relevant_ids()[0])
    shown = slide(flow, shown=1)
    text = "".join(pages(slide_screen(shown), 100, 200))
    assert "Reference answer: " + shown.reference in text
    assert shown.rationale and shown.rationale.split()[0] in text
    assert "Teaching note" in text and "question 1 of 46 · 1 shown" in text
    assert shown.cited and shown.cited[0].passage.id in text


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_every_screen_fits_and_keeps_the_question_and_the_answer(size: tuple[int, int]) -> None:
    """A projector at 80x24 (or 60x20): every page of every slide repeats the question and
    the reference answer at the top, and no page is taller or wider than the screen."""
    width, height = size
    flow = reference_flow("saudi-2018")
    flow.walk_from_start()
    paged = 0
    while flow.current is not None:
        current = slide(flow)
        first_words = " ".join(current.step.question.text.split()[:3])
        for text in pages(slide_screen(current), width, height):
            lines = text.rstrip("\n").split("\n")
            assert len(lines) <= height - 1, (current.step.question.id, len(lines))
            assert max(len(line.rstrip()) for line in lines) <= width
            top = " ".join(" ".join(lines[:8]).split())
            assert f"{current.step.question.id} {first_words}" in top, top
            assert "Reference answer:" in top, (current.step.question.id, top)
        paged += len(pages(slide_screen(current), width, height)) > 1
        flow.step_forward()
    assert paged > 10, "the evidence and notes page below"
    for text in pages(ending_screen(ending(flow)), width, height):
        assert len(text.rstrip("\n").split("\n")) <= height - 1
        assert "Reference verdict: Decline" in text


def test_ending_lists_reasons_with_the_answers_that_caused_them() -> None:
    flow = reference_flow("private-inquiry")
    text = " ".join("".join(pages(ending_screen(ending(flow)), 120, 400)).split())
    assert "Decline: red flag RF1 (critical)" in text
    assert "because of: ID2 Unknown" in text, "a cause is named by question and answer"
    assert "For discussion" in text
    # RF12 counts unknowns after other red flags: one count and the flags, not 30 ids.
    saudi = " ".join(
        "".join(pages(ending_screen(ending(reference_flow("saudi-2018"))), 80, 400)).split()
    )
    rf12 = saudi.split("red flag RF12 (high)")[1].split("Escalate")[0]
    assert re.search(r"because of: \d+ answers unknown \(ID8, ID10, DST4 and \d+ more\)", rf12)
    assert "red flags RF5, RF6, RF7" in rf12 and len(re.findall(r"\b[A-Z]{2,3}\d+\b", rf12)) < 12


def test_progress_counts_the_questions_shown() -> None:
    """After a jump the progress line said "38 of 46 done" though nothing was shown."""
    flow = reference_flow("saudi-2018")

    class Counting(ScriptedView):
        def show(self, slide: Slide) -> None:
            super().show(slide)
            self.counts.append(slide.shown)

    view = Counting(["next", "jump", "next", "back", "quit"], section="transparency")
    walk(flow, view)
    assert view.counts == [1, 2, 3, 4, 4], "a question seen again is not counted twice"


def test_the_terminal_view_pages_with_space_and_moves_on_at_the_end() -> None:
    flow = reference_flow("saudi-2018")
    flow.goto("DST3")
    out = io.StringIO()
    view = RichView(Console(width=80, height=24, file=out, color_system=None), clear=False)
    current = slide(flow)
    view.show(current)
    count = len(pages(slide_screen(current), 80, 24))
    assert count > 1
    keys = [Keyboard.SPACE] * (count - 1) + [Keyboard.PAGE_UP, Keyboard.SPACE, Keyboard.SPACE]
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        assert view.read_key() == "next", "Space on the last page goes on"
    assert out.getvalue().count("DST3  Are there credible") == count + 2


def test_keys_read_from_a_pipe() -> None:
    for typed, expected in [
        (Keyboard.ENTER, "next"),
        ("b", "back"),
        ("j", "jump"),
        ("q", "quit"),
        (Keyboard.CTRL_C, "quit"),
        (Keyboard.SPACE, "more"),
        (Keyboard.PAGE_DOWN, "more"),
        (Keyboard.PAGE_UP, "less"),
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
