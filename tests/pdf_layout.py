"""Reading a report PDF's layout back with pypdfium2: how full each page is, what its
running header says, which chapter it starts in, and what its last line is.

The report's page is A4 with the margins of report.css: 21 mm at the top (the running
header sits above), 19 mm at the bottom (the footer sits below). Everything is measured in
PDF points from the bottom of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium

MM = 72 / 25.4
TOP_MARGIN = 21 * MM
BOTTOM_MARGIN = 19 * MM


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    bottom: float
    right: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    header: str
    """The running header's right-hand part: the chapter it names."""
    lines: tuple[Line, ...]
    """The text lines of the content area, top to bottom."""

    @property
    def fill(self) -> float:
        """How much of the content area holds text, from its top: 0 empty, 1 full."""
        if not self.lines:
            return 0.0
        area_top = self.height - TOP_MARGIN
        lowest = min(line.bottom for line in self.lines)
        return (area_top - lowest) / (area_top - BOTTOM_MARGIN)

    @property
    def overflow(self) -> list[Line]:
        """Lines that run past the right margin (18 mm)."""
        limit = self.width - 18 * MM + 1
        return [line for line in self.lines if line.right > limit]


def pages(pdf: bytes) -> list[Page]:
    document = pdfium.PdfDocument(pdf)
    found = []
    for number, page in enumerate(document, 1):
        width, height = page.get_size()
        text = page.get_textpage()
        header = text.get_text_bounded(width / 2, height - TOP_MARGIN, width, height).strip()
        found.append(Page(number, width, height, " ".join(header.split()), _lines(text, height)))
    return found


def _lines(text: pdfium.PdfTextPage, height: float) -> tuple[Line, ...]:
    """The content area's text rectangles, merged into lines by their vertical position."""
    rects = []
    for i in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(i)
        if top > height - TOP_MARGIN + 1 or bottom < BOTTOM_MARGIN - 1:
            continue
        content = text.get_text_bounded(left, bottom, right, top).strip()
        if content:
            rects.append((left, bottom, right, top, content))
    rects.sort(key=lambda r: -(r[1] + r[3]) / 2)
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for rect in rects:
        middle = (rect[1] + rect[3]) / 2
        if rows and abs((rows[-1][0][1] + rows[-1][0][3]) / 2 - middle) < 4:
            rows[-1].append(rect)
        else:
            rows.append([rect])
    lines = []
    for row in rows:
        row.sort(key=lambda r: r[0])
        lines.append(
            Line(
                " ".join(r[4] for r in row),
                max(r[3] for r in row),
                min(r[1] for r in row),
                max(r[2] for r in row),
            )
        )
    return tuple(lines)


def flat(text: str) -> str:
    return " ".join(text.split())
