"""Show long text a screen at a time, and make questionary's lists wrap instead of cutting.

A briefing, a question's evidence or the whole case can be many times the height of a
laptop terminal. `page` shows them a screenful at a time with one short menu (next,
previous, done), so what comes after (the question and its menu) is printed on a screen
that still shows it. `wrapping` makes a questionary list wrap long entries under their
own text instead of cutting them at the terminal's edge.
"""

from __future__ import annotations

from typing import Any

import questionary
from prompt_toolkit.filters import Always
from prompt_toolkit.layout.containers import Window
from questionary import Choice
from rich.console import Console, RenderableType
from rich.segment import Segment, Segments

from diligence.tui.asking import ask_question

MENU_LINES = 5
"""What the pager's own menu takes at the bottom of each screen (prompt, entries, gap)."""


def wrapping(question: questionary.Question, indent: int) -> questionary.Question:
    """Let a select or checkbox wrap long entries, continuing `indent` columns in (under
    the entry's text, past the pointer and its key or tick box)."""
    from questionary.prompts.common import InquirerControl

    for window in question.application.layout.find_all_windows():
        if isinstance(window, Window) and isinstance(window.content, InquirerControl):
            window.wrap_lines = Always()
            window.get_line_prefix = lambda _line, wrap: " " * indent if wrap else ""
    return question


def lines_of(console: Console, renderable: RenderableType) -> list[list[Segment]]:
    """The renderable as the console would print it, line by line."""
    return console.render_lines(renderable, console.options, pad=False, new_lines=False)


def page(console: Console, renderable: RenderableType, *, what: str, reserve: int = 0) -> None:
    """Print `renderable`; when it is taller than the screen (less `reserve` lines kept
    for what follows), a screenful at a time, with a menu to go on, back or stop."""
    lines = lines_of(console, renderable)
    height = max(console.height - MENU_LINES - reserve, 6)
    if len(lines) <= height + MENU_LINES:
        _print(console, lines)
        return
    pages = [lines[i : i + height] for i in range(0, len(lines), height)]
    at = 0
    while True:
        _print(console, pages[at])
        last = at == len(pages) - 1
        choices: list[Any] = []
        if not last:
            choices.append(Choice("Next page", value="next", shortcut_key="n"))
        if at > 0:
            choices.append(Choice("Previous page", value="back", shortcut_key="p"))
        choices.append(Choice(f"Done with the {what}", value="done", shortcut_key="q"))
        picked = _ask_page(f"{what.capitalize()}, page {at + 1} of {len(pages)}", choices)
        if picked == "done":
            return
        at += 1 if picked == "next" else -1


def _ask_page(message: str, choices: list[Any]) -> str:
    picked: str = ask_question(
        questionary.select(
            message,
            choices=choices,
            use_shortcuts=True,
            use_jk_keys=False,
            instruction="(a key, or ↑↓ then Enter)",
        )
    )
    return picked


def _print(console: Console, lines: list[list[Segment]]) -> None:
    flat: list[Segment] = []
    for line in lines:
        flat += [*line, Segment.line()]
    console.print(Segments(flat), end="")
