"""The questionary prompter, driven with key codes through prompt_toolkit's pipe input."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from diligence.assessment.answers import new_answers
from diligence.assessment.engine import Flow
from diligence.assessment.interface import (
    Back,
    Change,
    Finish,
    Jump,
    Note,
    PromptInterrupted,
    Quit,
    Reply,
    Skip,
)
from diligence.content.library import load_library
from diligence.content.models import UNKNOWN
from diligence.content.models import Answer as SavedAnswer
from diligence.tui.prompter import QuestionaryPrompter

from conftest import SAMPLE, Keyboard

LIBRARY = load_library([SAMPLE])
CHECKLIST = LIBRARY.checklist("sample-vetting")
CASE = LIBRARY.case("sample")

Keys = Callable[..., None]


@pytest.fixture
def keys() -> Iterator[Keys]:
    """Type keys into every prompt that follows, as a terminal would."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield lambda *typed: pipe.send_text("".join(typed))


@pytest.fixture
def screen() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def prompter(screen: io.StringIO) -> QuestionaryPrompter:
    return QuestionaryPrompter(Console(file=screen, width=100, color_system=None))


def flow_at(question_id: str | None = None, **values: str | list[str]) -> Flow:
    answers = new_answers(CHECKLIST, "sample", "early", "Tester")
    answers.answers = {k: SavedAnswer(value=v) for k, v in values.items()}
    flow = Flow(
        CHECKLIST,
        answers,
        case=CASE,
        scenario=CASE.scenario("early"),
        frameworks=LIBRARY.frameworks,
    )
    if question_id:
        flow.goto(question_id)
    return flow


def test_a_choice_by_its_number_key(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    keys("2", Keyboard.ENTER)
    assert prompter.ask(flow_at().step()) == Reply("no")
    shown = screen.getvalue()
    assert "Who is buying" in shown and "question 1 of 4" in shown and "0 of 4 done" in shown
    assert "W1  Is the buyer a government agency?" in shown


def test_a_choice_by_arrow_keys(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys(Keyboard.DOWN, Keyboard.DOWN, Keyboard.ENTER)
    assert prompter.ask(flow_at().step()) == Reply("partial")


def test_unknown_by_its_key(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("u", Keyboard.ENTER)
    assert prompter.ask(flow_at().step()) == Reply(UNKNOWN)


def test_revisiting_shows_and_preselects_the_saved_answer(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    keys(Keyboard.ENTER)
    assert prompter.ask(flow_at("W2", W1="yes", W2="broker").step()) == Reply("broker")
    assert "Your answer: A private broker" in screen.getvalue()


def test_help_then_an_answer(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    keys("h", Keyboard.ENTER, "1", Keyboard.ENTER)
    assert prompter.ask(flow_at().step()) == Reply("yes")
    shown = screen.getvalue()
    assert "Check the buyer's legal mandate." in shown
    assert "SAMPLE-UNGP 17: Human-rights due diligence" in shown


def test_case_evidence_shows_the_passage_with_its_quote(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    keys("e", Keyboard.ENTER, "q", Keyboard.ENTER)
    assert prompter.ask(flow_at().step()) == Quit()
    shown = screen.getvalue()
    assert "The first passage (p-one)" in shown
    assert "Something happened in the first chapter." in shown
    assert "“It was a sample.”  — A Speaker" in shown
    assert "2010 · Sample S1E1, 'The sample episode', chapter 'Chapter one'" in shown


def test_case_evidence_names_what_it_leaves_out_as_hindsight(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    keys("e", Keyboard.ENTER, "q", Keyboard.ENTER)
    prompter.ask(flow_at("T1", W1="yes", W2="direct").step())
    shown = " ".join(screen.getvalue().split())
    assert (
        "Left out, as dated or made public after 2011 (the time of this decision): "
        "p-two, p-record" in shown
    )
    assert "here is what the scenario's briefing rests on" in shown


def test_a_multi_line_note(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("n", Keyboard.ENTER, "Line one", Keyboard.ENTER, "Line two", Keyboard.ESC_ENTER)
    assert prompter.ask(flow_at().step()) == Note("Line one\nLine two")


def test_editing_a_note_starts_from_the_saved_one(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    flow = flow_at()
    flow.set_note("Old")
    keys("n", Keyboard.ENTER, " and new", Keyboard.ESC_ENTER)
    assert prompter.ask(flow.step()) == Note("Old and new")


def test_multiple_choice_through_checkboxes(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("a", Keyboard.ENTER, Keyboard.SPACE, Keyboard.DOWN, Keyboard.SPACE, Keyboard.ENTER)
    step = flow_at("W3", W1="yes", W2="broker").step()
    assert prompter.ask(step) == Reply(["screening", "none"])


def test_multiple_choice_keeps_earlier_ticks(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("a", Keyboard.ENTER, Keyboard.DOWN, Keyboard.SPACE, Keyboard.ENTER)
    step = flow_at("W3", W1="yes", W2="broker", W3=["screening"]).step()
    assert prompter.ask(step) == Reply(["screening", "none"])


def test_confirming_no_ticks_goes_back_to_the_menu(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    keys("a", Keyboard.ENTER, Keyboard.ENTER, "u", Keyboard.ENTER)
    assert prompter.ask(flow_at("W3", W1="yes", W2="broker").step()) == Reply(UNKNOWN)


def test_free_text_and_leaving_an_optional_question_blank(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    step = flow_at("T2", W1="yes", W2="direct", T1="no").step()
    keys("a", Keyboard.ENTER, "Signed by the agency.", Keyboard.ESC_ENTER)
    assert prompter.ask(step) == Reply("Signed by the agency.")
    keys("s", Keyboard.ENTER)
    assert prompter.ask(step) == Skip()


def test_back_is_offered_except_at_the_first_question(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    keys("b", Keyboard.ENTER)
    assert prompter.ask(flow_at("W2", W1="yes").step()) == Back()
    keys("b", Keyboard.ENTER)  # disabled at the first question: the pointer stays on "Yes"
    assert prompter.ask(flow_at().step()) == Reply("yes")


def test_jump_to_a_section(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("j", Keyboard.ENTER, Keyboard.DOWN, Keyboard.ENTER)
    assert prompter.ask(flow_at().step()) == Jump("terms")


def test_a_section_that_does_not_apply_cannot_be_jumped_to(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    # "Contract terms" is disabled, so Down lands on Cancel, which returns to the question.
    keys("j", Keyboard.ENTER, Keyboard.DOWN, Keyboard.ENTER, "q", Keyboard.ENTER)
    assert prompter.ask(flow_at("W2", W1="no").step()) == Quit()


def test_ctrl_c_at_a_question_raises_keyboard_interrupt(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    keys(Keyboard.CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        prompter.ask(flow_at().step())


def test_ctrl_c_while_typing_a_note_hands_over_what_was_typed(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    keys("n", Keyboard.ENTER, "half a thought", Keyboard.CTRL_C)
    with pytest.raises(PromptInterrupted) as caught:
        prompter.ask(flow_at().step())
    assert caught.value.pending == Note("half a thought")


def test_review_table_and_finish(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    flow = flow_at(W1="no", W2="direct")
    flow.answers.answers["W1"].note = "Private."
    keys(Keyboard.ENTER)
    assert prompter.review(flow.review()) == Finish()
    lines = screen.getvalue().splitlines()
    w1 = next(line for line in lines if "W1" in line)
    assert "No" in w1 and "critical" in w1 and "✎" in w1
    w2 = next(line for line in lines if "W2" in line)
    assert "The agency itself" in w2 and "low" in w2 and "✎" not in w2


def test_review_change_an_answer_by_typing_its_id(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    flow = flow_at(W1="yes", W2="direct", T1="no")
    keys("c", Keyboard.ENTER, "T1", Keyboard.ENTER)
    assert prompter.review(flow.review()) == Change("T1")


def test_review_marks_inactive_answers(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    flow = flow_at(W1="no", W2="direct", T1="yes")
    keys("q", Keyboard.ENTER)
    assert prompter.review(flow.review()) == Quit()
    t1 = next(line for line in screen.getvalue().splitlines() if "T1" in line)
    assert "inactive" in t1


def test_choose_and_ask_text(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys(Keyboard.DOWN, Keyboard.ENTER)
    assert prompter.choose("Which?", [("a", "First"), ("b", "Second")]) == "b"
    keys(Keyboard.ENTER, "  Ada Lovelace ", Keyboard.ENTER)  # empty is refused, then typed
    assert prompter.ask_text("Your name") == "Ada Lovelace"


def test_a_name_over_its_limit_stays_in_the_box_to_be_shortened(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    keys("N" * 250, Keyboard.ENTER, Keyboard.BACKSPACE * 60, Keyboard.ENTER)
    assert prompter.ask_text("Your name", limit=200) == "N" * 190


def test_a_note_over_its_limit_is_refused_and_ctrl_c_hands_it_over(
    keys: Keys, prompter: QuestionaryPrompter
) -> None:
    from diligence.content.models import NOTE_LIMIT

    flow = flow_at("W1")
    long_note = "x" * (NOTE_LIMIT + 5)
    keys("n", Keyboard.ENTER, long_note, Keyboard.ESC_ENTER, Keyboard.CTRL_C)
    with pytest.raises(PromptInterrupted) as interrupted:
        prompter.ask(flow.step())
    assert interrupted.value.pending == Note(long_note)


def test_a_narrow_terminal_shows_the_answers_in_full(keys: Keys) -> None:
    """Fault probe weak 12: at 40 columns the menu cut answer labels off."""
    narrow, wide = io.StringIO(), io.StringIO()
    for screen, width in ((narrow, 20), (wide, 100)):
        keys("2", Keyboard.ENTER)
        prompter = QuestionaryPrompter(Console(file=screen, width=width, color_system=None))
        assert prompter.ask(flow_at("W2").step()) is not None
    assert "A private broker" in " ".join(narrow.getvalue().split())
    assert "A private broker" not in wide.getvalue()
