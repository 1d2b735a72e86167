"""The section-risk chart: horizontal bars 0-100, coloured by risk level, as inline SVG.

Generated in Python so it needs no JavaScript, no image file and no fetch: the same markup
goes into the PDF (WeasyPrint draws SVG) and the self-contained HTML. Every piece of text is
escaped; the result is safe to insert into a template as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from diligence.report.model import SectionReport
from diligence.report.palette import LEVEL_COLOURS

_WIDTH = 660
_LABEL = 290  # width of the label column
_BAR = 300  # width of the 0-100 scale
_ROW = 26
_TOP = 22
_FONT = "'DD Sans', 'Noto Sans', 'Helvetica Neue', Arial, sans-serif"
_MAX_LABEL = 48


def section_chart(sections: Sequence[SectionReport], title: str = "Section risk") -> str:
    """An SVG chart of each section's risk score, one bar per section."""
    height = _TOP + _ROW * len(sections) + 8
    x0 = _LABEL
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
        f'font-family="{escape(_FONT)}" aria-label="{escape(_summary(sections, title))}">',
        f"<title>{escape(_summary(sections, title))}</title>",
    ]
    # The scale: grid lines at every quarter, labelled at the top.
    for tick in (0, 25, 50, 75, 100):
        x = x0 + _BAR * tick / 100
        parts.append(
            f'<line x1="{x:g}" y1="{_TOP - 4}" x2="{x:g}" y2="{height - 6}" '
            f'stroke="#d5dbe1" stroke-width="{1 if tick in (0, 100) else 0.6}"/>'
        )
        parts.append(
            f'<text x="{x:g}" y="{_TOP - 9}" font-size="10" fill="#6b7785" '
            f'text-anchor="middle">{tick}</text>'
        )
    for i, section in enumerate(sections):
        y = _TOP + i * _ROW
        mid = y + _ROW / 2 + 4
        label = section.title
        if len(label) > _MAX_LABEL:
            label = label[: _MAX_LABEL - 1].rstrip() + "…"
        parts.append(
            f'<text x="{x0 - 10}" y="{mid:g}" font-size="11.5" fill="#1f2d3d" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        if section.score is None or section.level is None:
            parts.append(
                f'<text x="{x0 + 6}" y="{mid:g}" font-size="10.5" fill="#6b7785" '
                f'font-style="italic">not assessed</text>'
            )
            continue
        colour = LEVEL_COLOURS.get(section.level, LEVEL_COLOURS["none"])
        width = max(_BAR * section.score / 100, 2)
        parts.append(
            f'<rect x="{x0}" y="{y + 5}" width="{width:g}" height="{_ROW - 10}" rx="2" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{x0 + width + 6:g}" y="{mid:g}" font-size="11" fill="#1f2d3d">'
            f'<tspan font-weight="bold">{section.score}</tspan>'
            f'<tspan fill="{colour}"> {escape(section.level)}</tspan></text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _summary(sections: Sequence[SectionReport], title: str) -> str:
    """The chart in words, for screen readers and the tagged PDF."""
    described = [
        f"{s.title} {s.score} ({s.level})" if s.score is not None else f"{s.title} not assessed"
        for s in sections
    ]
    return f"{title}, 0 to 100: " + "; ".join(described)
