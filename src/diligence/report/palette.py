"""The colours that carry meaning: one per risk level, the same in the chart, the badges and
every rule of the stylesheet.

The stylesheet names them only as custom properties (`var(--risk-medium)`); the `:root`
block that defines them is generated here (`css_variables`) and inlined before the sheet,
so the SVG chart, drawn in Python, and the CSS cannot drift apart. Each colour keeps white
text on it, and itself as text on white, at a contrast of at least 4.5:1 (WCAG AA for
small text; axe-core checks the HTML report), `none` (a neutral grey) too.
"""

from __future__ import annotations

LEVEL_COLOURS = {
    "none": "#68737f",
    "low": "#2f7d4f",
    "medium": "#98690c",
    "high": "#c0551a",
    "critical": "#a3201f",
}
"""One colour per risk level: chart bars, badges, borders."""

LEVEL_INK = {
    "medium": "#7d5608",
    "high": "#b04a12",
}
"""Darker forms of the levels whose colour is too light for large text on a tinted box."""

VERDICT_LEVELS = {
    "proceed": "low",
    "proceed_with_conditions": "medium",
    "escalate": "high",
    "decline": "critical",
}
"""The risk level whose colour each verdict is shown in."""


def css_variables() -> str:
    """The `:root` block defining `--risk-<level>` and `--risk-<level>-ink`."""
    lines = [f"  --risk-{level}: {colour};" for level, colour in LEVEL_COLOURS.items()]
    lines += [f"  --risk-{level}-ink: {colour};" for level, colour in LEVEL_INK.items()]
    return ":root {\n" + "\n".join(lines) + "\n}\n"
