"""The walkthrough on a projector-sized terminal: a real pseudo-terminal at 80x24 (and
60x20), read back through a terminal emulator (pyte), every screen of saudi-2018."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable

import pexpect
import pyte
import pytest

from conftest import Keyboard

pytestmark = pytest.mark.pty

QUESTION = re.compile(r"^([A-Z]+\d+)  \S")
PAGE = re.compile(r"Space more (\d+)/(\d+)")


class Terminal:
    """A program in a pseudo-terminal, and the screen a user would see."""

    def __init__(self, columns: int, rows: int, *argv: str) -> None:
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
        env.pop("DILIGENCE_CONTENT", None)
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "diligence", *argv],
            env=env,
            dimensions=(rows, columns),
            encoding="utf-8",
            timeout=20,
        )
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def wait(self, ready: Callable[[list[str]], bool], what: str) -> list[str]:
        """Read output until the screen shows what `ready` looks for, and is quiet."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.15))
                continue
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                break
            if ready(self.lines):
                return self.lines
        raise AssertionError(f"waiting for {what}; the screen shows:\n" + "\n".join(self.lines))

    def send(self, keys: str) -> None:
        self.child.send(keys)


def legend(lines: list[str]) -> str:
    return next((line for line in reversed(lines) if line.strip()), "")


def next_page(number: int) -> Callable[[list[str]], bool]:
    return lambda lines: f"Space more {number}/" in legend(lines)


def next_screen(before: list[str]) -> Callable[[list[str]], bool]:
    """Another screen than `before`, drawn to its keys."""
    return lambda lines: (
        lines != before and (" quit" in legend(lines) or "Enter end" in legend(lines))
    )


def walk_every_screen(columns: int, rows: int) -> list[tuple[str, int, list[str]]]:
    """Page through the whole saudi-2018 walkthrough; every screen seen, as (what, page,
    lines)."""
    term = Terminal(columns, rows, "demo", "--walkthrough", "--scenario", "saudi-2018")
    seen: list[tuple[str, int, list[str]]] = []
    lines = term.wait(lambda ls: "Enter start" in legend(ls), "the briefing")
    what = "briefing"
    while True:
        page = PAGE.search(legend(lines))
        seen.append((what, int(page.group(1)) if page else 1, lines))
        if page and page.group(1) != page.group(2):
            term.send(Keyboard.SPACE)
            lines = term.wait(next_page(int(page.group(1)) + 1), "the next page")
            continue
        if what == "ending":
            term.send(Keyboard.ENTER)
            term.child.expect(pexpect.EOF)
            return seen
        before = lines
        term.send(Keyboard.ENTER)
        lines = term.wait(next_screen(before), "the next screen")
        heading = next((QUESTION.match(line) for line in lines[:4] if QUESTION.match(line)), None)
        what = heading.group(1) if heading else "ending"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_every_screen_keeps_the_question_and_the_reference_answer(size: tuple[int, int]) -> None:
    columns, rows = size
    seen = walk_every_screen(columns, rows)
    questions = [what for what, page, _ in seen if page == 1 and what not in ("briefing", "ending")]
    assert len(questions) == 46 and questions[0] == "ID1" and questions[-1] == "TRN3"
    assert len(seen) > 46 + 20, "evidence and teaching notes are paged, not scrolled away"
    for what, page, lines in seen:
        top = "\n".join(lines[:12])
        if what == "briefing":
            assert "The decision" in top, top
        elif what == "ending":
            assert "Reference verdict: Decline" in top, top
        else:
            assert any(line.startswith(f"{what}  ") for line in lines[:4]), (what, page, top)
            assert "Reference answer:" in top, (what, page, top)
            number = questions.index(what) + 1
            assert f"question {number} of 46 · {number} shown" in top, top
