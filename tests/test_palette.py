"""Risk colours: the chart, the badges and every stylesheet rule take them from one table."""

from __future__ import annotations

import dataclasses
import re

from diligence.report import ASSETS
from diligence.report.chart import section_chart
from diligence.report.html import render_html
from diligence.report.palette import LEVEL_COLOURS, LEVEL_INK, VERDICT_LEVELS, css_variables

from reporting import sample_report

CSS = (ASSETS / "report.css").read_text(encoding="utf-8")


def _defined(css: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", css))


def _rule(selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"no rule for {selector}"
    return match.group(1)


def test_the_stylesheet_names_risk_colours_only_by_their_properties() -> None:
    defined = _defined(css_variables())
    used = set(re.findall(r"var\(--([a-z-]+)\)", CSS))
    assert used <= set(defined), used - set(defined)
    meaning = {c for level, c in LEVEL_COLOURS.items() if level != "none"} | set(LEVEL_INK.values())
    literal = {c for c in meaning if c in CSS.lower()}
    assert not literal, f"risk colours written out in report.css: {literal}"


def test_badges_verdicts_and_chart_show_each_level_in_the_same_colour() -> None:
    defined = _defined(css_variables())
    report, _ = sample_report()
    for level, colour in LEVEL_COLOURS.items():
        assert f"var(--risk-{level})" in _rule(f".level-{level}")
        assert defined[f"risk-{level}"] == colour
        section = dataclasses.replace(report.sections[0], score=50, level=level)
        assert f'fill="{colour}"' in section_chart([section])
    for verdict, level in VERDICT_LEVELS.items():
        assert f"var(--risk-{level})" in _rule(f".badge.v-{verdict}")
        assert f"var(--risk-{level})" in _rule(f".verdict-box.v-{verdict}")


def test_the_html_report_defines_the_properties_it_uses() -> None:
    report, _ = sample_report()
    html = render_html(report)
    style = html[html.index("<style>") : html.index("</style>")]
    assert _defined(style) == _defined(css_variables())
    assert LEVEL_COLOURS["medium"] == "#98690c", "the accessible medium (4.8:1 on white)"


def _luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_level_reads_at_wcag_aa_as_badge_and_as_text() -> None:
    """White on the colour (a badge) and the colour on white (a chip) at 4.5:1 or more."""
    weak = {
        level: round(_contrast(colour, "#ffffff"), 2)
        for level, colour in {**LEVEL_COLOURS, **LEVEL_INK}.items()
        if _contrast(colour, "#ffffff") < 4.5
    }
    assert weak == {}
