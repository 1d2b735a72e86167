"""Numbers, dates and "not applicable" at the terminal, and the engine's rules for them."""

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
from diligence.assessment.interface import Reply
from diligence.content.models import NOT_APPLICABLE, UNKNOWN, Checklist
from diligence.content.rules import parse_answer
from diligence.tui.prompter import QuestionaryPrompter

from conftest import Keyboard
from test_answer_types import checklist

CHECKLIST = Checklist.model_validate(checklist())
Keys = Callable[..., None]


@pytest.fixture
def keys() -> Iterator[Keys]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield lambda *typed: pipe.send_text("".join(typed))


@pytest.fixture
def screen() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def prompter(screen: io.StringIO) -> QuestionaryPrompter:
    return QuestionaryPrompter(Console(file=screen, width=100, color_system=None))


def flow_at(question_id: str) -> Flow:
    flow = Flow(CHECKLIST, new_answers(CHECKLIST, "none", None, "Tester"))
    flow.goto(question_id)
    return flow


def test_a_number_is_typed_and_checked(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("a", Keyboard.ENTER, "1.5", Keyboard.ENTER)  # refused: a whole number is asked
    keys(Keyboard.BACKSPACE * 3, "3", Keyboard.ENTER)
    assert prompter.ask(flow_at("S1").step()) == Reply(3)


def test_a_date_is_typed(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("a", Keyboard.ENTER, "2024-05", Keyboard.ENTER)
    assert prompter.ask(flow_at("S2").step()) == Reply("2024-05")


def test_unknown_is_offered_for_a_number(keys: Keys, prompter: QuestionaryPrompter) -> None:
    keys("u", Keyboard.ENTER)
    assert prompter.ask(flow_at("S1").step()) == Reply(UNKNOWN)


def test_not_applicable_asks_for_the_reason(
    keys: Keys, prompter: QuestionaryPrompter, screen: io.StringIO
) -> None:
    keys("x", Keyboard.ENTER, "Nothing is outsourced.", Keyboard.ESC_ENTER)
    reply = prompter.ask(flow_at("S3").step())
    assert reply == Reply(NOT_APPLICABLE, note="Nothing is outsourced.")
    shown = screen.getvalue()
    assert "Where compliance work is outsourced, is there:" in shown  # the group's stem
    assert "S3  a written agreement with the provider?" in shown
    assert "Case evidence" not in shown  # a checklist without a case has none to show


def test_the_engine_keeps_the_reason_of_not_applicable() -> None:
    flow = flow_at("S3")
    with pytest.raises(ValueError, match="'not applicable' needs the reason"):
        flow.answer(NOT_APPLICABLE)
    flow.answer(NOT_APPLICABLE, note="Nothing is outsourced.")
    flow.goto("S3")
    with pytest.raises(ValueError, match="needs the reason"):
        flow.set_note("")
    assert flow.saved("S3").note == "Nothing is outsourced."  # type: ignore[union-attr]


def test_parse_answer_reads_what_was_typed() -> None:
    s1, s2 = CHECKLIST.question("S1"), CHECKLIST.question("S2")
    assert s1 is not None and s2 is not None
    assert parse_answer(s1, " 12 ") == 12
    with pytest.raises(ValueError, match="type a number"):
        parse_answer(s1, "twelve")
    assert parse_answer(s2, "2024-05-31") == "2024-05-31"
    with pytest.raises(ValueError, match="takes a date"):
        parse_answer(s2, "May 2024")
