"""The class report's charts, as inline SVG drawn in Python (no script, nothing fetched).

Every chart draws incomplete files apart, in a pale tone of the same colour, and the
reference in green; every one carries its numbers in words (`aria-label` and `<title>`)
for screen readers and the tagged PDF. All text is escaped: the result is safe markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from diligence.content.models import Verdict
from diligence.report.palette import LEVEL_COLOURS, VERDICT_LEVELS
from diligence.trainer.comparison import FlagStats, SectionSpread
from diligence.trainer.questions import QuestionStats

BAR_COLOURS = ("#4b6a88", "#8aa4bd", "#6d8f7a", "#b8c9a6", "#d9c48f", "#c98f6a", "#9c8fb8")
REFERENCE_COLOUR = "#2f7d4f"
UNKNOWN_COLOUR = "#d9a441"
NEUTRAL = "#4b6a88"
INCOMPLETE_OPACITY = 0.35
"""Incomplete files are drawn in the same colour at this opacity, after the complete ones."""
_FONT = "'DD Sans', 'Noto Sans', Arial, sans-serif"
_INK = "#1f2d3d"
_GRID = "#d5dbe1"


def _svg(width: float, height: float, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" font-family="{escape(_FONT)}" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>' + "".join(body) + "</svg>"
    )


def _rect(x: float, y: float, w: float, h: float, colour: str, pale: bool = False) -> str:
    opacity = f' fill-opacity="{INCOMPLETE_OPACITY}"' if pale else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{h:.1f}" '
        f'fill="{colour}"{opacity}/>'
    )


def _text(
    x: float, y: float, text: str, size: float = 10, anchor: str = "start", **extra: str
) -> str:
    more = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size:g}" fill="{_INK}" '
        f'text-anchor="{anchor}"{more}>{escape(text)}</text>'
    )


def answer_bar(question: QuestionStats, width: int = 320, height: int = 14) -> str:
    """A stacked bar of the class's answers; the reference answer in green, "unknown" in
    amber, each answer's incomplete files pale beside its complete ones."""
    total = sum(c.count + c.incomplete for c in question.counts)
    if not total or question.multi:  # ticks per option do not add up to a whole
        return ""
    parts, x = [], 0.0
    for i, count in enumerate(question.counts):
        colour = (
            REFERENCE_COLOUR
            if count.is_reference
            else UNKNOWN_COLOUR
            if count.value == "unknown"
            else BAR_COLOURS[i % len(BAR_COLOURS)]
        )
        for n, pale in ((count.count, False), (count.incomplete, True)):
            if n:
                w = n / total * width
                parts.append(_rect(x, 0, w, height, colour, pale))
                x += w
    label = f"Answers to {question.id}: " + ", ".join(
        f"{c.label} {c.count}" + (f" (and {c.incomplete} incomplete)" if c.incomplete else "")
        for c in question.counts
    )
    return _svg(width, height, label, parts)


def verdict_chart(
    verdicts: Sequence[tuple[Verdict, int]],
    incomplete: Sequence[tuple[Verdict, int]],
    reference: Verdict | None,
    name: Callable[[Verdict], str] = lambda v: v.label,
    width: int = 440,
    scale: float = 1.0,
) -> str:
    """One bar per verdict: the complete files, then the incomplete ones pale; the
    reference verdict's label marked. `scale` enlarges rows and type (the cover's)."""
    row, label_w = 17 * scale, 150 * scale
    bar_w = width - label_w - 90 * scale
    apart = dict(incomplete)
    biggest = max([n + apart.get(v, 0) for v, n in verdicts] + [1])
    parts, words = [], []
    for i, (verdict, count) in enumerate(verdicts):
        y = i * row
        extra = apart.get(verdict, 0)
        colour = LEVEL_COLOURS[VERDICT_LEVELS[verdict.value]]
        mark = " (reference)" if verdict == reference else ""
        parts.append(
            _text(
                label_w - 6,
                y + 12 * scale,
                name(verdict) + mark,
                9.5 * scale,
                "end",
                font_weight="bold" if mark else "normal",
            )
        )
        w = count / biggest * bar_w
        if count:
            parts.append(_rect(label_w, y + 3 * scale, w, row - 6 * scale, colour))
        if extra:
            pale = _rect(
                label_w + w, y + 3 * scale, extra / biggest * bar_w, row - 6 * scale, colour, True
            )
            parts.append(pale)
        shown = f"{count}" + (f" + {extra} incomplete" if extra else "")
        x = label_w + (count + extra) / biggest * bar_w + 5
        parts.append(_text(x, y + 12 * scale, shown, 9 * scale))
        words.append(f"{name(verdict)}{mark} {shown}")
    return _svg(width, row * len(verdicts), "Verdicts: " + "; ".join(words), parts)


def flag_bar(flag: FlagStats, width: int = 120, height: int = 9) -> str:
    """The share of the counted class that raised a flag, incomplete files pale after it;
    green when the reference raises it too."""
    of = max(flag.of + flag.raised_incomplete, 1)
    colour = REFERENCE_COLOUR if flag.reference else NEUTRAL
    parts = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef1f4"/>']
    w = flag.raised / of * width
    if flag.raised:
        parts.append(_rect(0, 0, w, height, colour))
    if flag.raised_incomplete:
        parts.append(_rect(w, 0, flag.raised_incomplete / of * width, height, colour, True))
    label = f"{flag.id}: raised by {flag.raised} of {flag.of}" + (
        f" and {flag.raised_incomplete} incomplete files" if flag.raised_incomplete else ""
    )
    return _svg(width, height, label, parts)


def section_strip(spreads: Sequence[SectionSpread], width: int = 640) -> str:
    """One row per section: how many students' section risk fell in each band of five
    points (complete files solid, incomplete pale above them), the middle half of the
    class as a bracket, and the reference's value as a green line."""
    label_w, axis_w, row, top = 230, width - 230 - 78, 30, 16
    height = top + row * len(spreads) + 4
    parts = []
    for tick in (0, 25, 50, 75, 100):
        x = label_w + axis_w * tick / 100
        parts.append(
            f'<line x1="{x:g}" y1="{top - 3}" x2="{x:g}" y2="{height - 2}" stroke="{_GRID}" '
            f'stroke-width="0.6"/>'
        )
        parts.append(_text(x, top - 6, str(tick), 8.5, "middle", fill_opacity="0.7"))
    words = []
    for i, spread in enumerate(spreads):
        y = top + i * row
        parts += _strip_row(spread, label_w, axis_w, y, row)
        words.append(_spread_words(spread))
    return _svg(
        width, height, "Section risk across the class, 0 to 100: " + "; ".join(words), parts
    )


def _strip_row(spread: SectionSpread, x0: float, axis_w: float, y: float, row: float) -> list[str]:
    title = spread.title if len(spread.title) <= 40 else spread.title[:39].rstrip() + "…"
    parts = [_text(x0 - 8, y + row / 2 + 4, title, 9.5, "end")]
    bins = 20
    solid = [0] * bins
    pale = [0] * bins
    for score in spread.scores:
        solid[min(score * bins // 100, bins - 1)] += 1
    for score in spread.scores_incomplete:
        pale[min(score * bins // 100, bins - 1)] += 1
    tallest = max([a + b for a, b in zip(solid, pale, strict=True)] + [1])
    step, base, full = axis_w / bins, y + row - 8, row - 11
    parts.append(
        f'<line x1="{x0:g}" y1="{base:.1f}" x2="{x0 + axis_w:g}" y2="{base:.1f}" '
        f'stroke="{_GRID}" stroke-width="0.8"/>'
    )
    for b in range(bins):
        h_solid = solid[b] / tallest * full
        if solid[b]:
            parts.append(_rect(x0 + b * step + 0.5, base - h_solid, step - 1, h_solid, NEUTRAL))
        if pale[b]:
            h = pale[b] / tallest * full
            parts.append(_rect(x0 + b * step + 0.5, base - h_solid - h, step - 1, h, NEUTRAL, True))
    quartiles = spread.quartiles
    if quartiles:
        lo, hi = (x0 + axis_w * q / 100 for q in quartiles)
        parts.append(
            f'<path d="M{lo:.1f} {base + 2:.1f} v3 H{hi:.1f} v-3" fill="none" '
            f'stroke="{_INK}" stroke-width="1"/>'
        )
    if spread.reference is not None:
        x = x0 + axis_w * spread.reference / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{y + 3:.1f}" x2="{x:.1f}" y2="{base + 6:.1f}" '
            f'stroke="{REFERENCE_COLOUR}" stroke-width="2"/>'
            f'<path d="M{x - 4:.1f} {y + 1:.1f} h8 l-4 5 z" fill="{REFERENCE_COLOUR}"/>'
        )
    median = spread.median
    note = (f"ref {spread.reference}" if spread.reference is not None else "ref -") + (
        f" · med {median:.0f}" if median is not None else ""
    )
    parts.append(_text(x0 + axis_w + 6, y + row / 2 + 4, note, 8.5))
    return parts


def _spread_words(spread: SectionSpread) -> str:
    if not spread.scores and not spread.scores_incomplete:
        return f"{spread.title}: not assessed by the class"
    words = f"{spread.title}: reference {spread.reference if spread.reference is not None else '-'}"
    if spread.scores:
        words += f", class {spread.scores[0]} to {spread.scores[-1]}, median {spread.median:.0f}"
    if spread.scores_incomplete:
        words += f", {len(spread.scores_incomplete)} incomplete files"
    return words
