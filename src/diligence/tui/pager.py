"""Screens that fit the terminal: a head that always stays, and a body paged below it.

A projector shows 80x24 or less. Whatever is taller than the screen scrolls the top away,
and the top is what the class must see: the question and its answer. So a `Screen` is
laid out into pages of exactly the terminal's height: each page repeats the head and shows
as many whole body parts as fit (a part taller than a page is cut across pages), leaving
one line for the keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console, RenderableType
from rich.segment import Segment, Segments

Line = list[Segment]

MIN_BODY = 4
"""Lines a page keeps for its body, however tall the head: below that, the head is cut."""


@dataclass(frozen=True)
class Screen:
    """What one screen shows: `head` on every page, `parts` paged below it."""

    head: Sequence[RenderableType]
    parts: Sequence[RenderableType] = ()
    fallback_head: Sequence[RenderableType] | None = None
    """A shorter head to use when `head` leaves less than half the screen for the
    body; what it leaves out is listed first in `demoted`."""
    demoted: Sequence[RenderableType] = field(default=())


def render(console: Console, renderables: Sequence[RenderableType], width: int) -> list[Line]:
    """The lines the renderables take at `width`, without trailing padding."""
    options = console.options.update(width=width, height=None)
    lines: list[Line] = []
    for renderable in renderables:
        lines += console.render_lines(renderable, options, pad=False, new_lines=False)
    return lines


def layout(console: Console, screen: Screen, width: int, height: int) -> list[list[Line]]:
    """The screen's pages, each at most `height - 1` lines (the last is for the keys)."""
    room = max(height - 1, 2)
    head = render(console, screen.head, width)
    parts = list(screen.parts)
    if screen.fallback_head is not None and room - len(head) < max(MIN_BODY, room // 2):
        head = render(console, screen.fallback_head, width)
        parts = [*screen.demoted, *parts]
    head = head[: max(room - MIN_BODY, 1)]  # a head taller than the screen is cut
    body_room = room - len(head)
    pages: list[list[Line]] = []
    page: list[Line] = []
    for part in parts:
        lines = render(console, [part], width)
        if page and len(page) + len(lines) > body_room:
            pages.append(page)
            page = []
        while len(lines) > body_room:  # a part taller than a page is cut across pages
            pages.append(lines[:body_room])
            lines = lines[body_room:]
        page += lines
    if page or not pages:
        pages.append(page)
    return [head + p for p in pages]


def segments(lines: Sequence[Line]) -> Segments:
    """Lines ready for `console.print(..., end="")`, each ending in a line break: the
    cursor is left at the start of the line below, where the keys are shown."""
    flat: list[Segment] = []
    for line in lines:
        flat += [*line, Segment.line()]
    return Segments(flat)
