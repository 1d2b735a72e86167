"""The Markdown report's appendix on how the scoring works (`markdown.py` calls it)."""

from __future__ import annotations

from collections.abc import Callable

from diligence.report.markdown_text import cell, plural, text
from diligence.report.model import Report


def scoring_appendix(add: Callable[[str], None], r: Report) -> None:
    """The scoring policy in numbers, as the HTML's scoring appendix gives it."""
    s = r.scoring
    add("Each answer's risk level counts as a score; sections and the whole assessment are")
    add("weighted means on the same 0-100 scale.")
    add("")
    add("| Risk level | Counts as | A score of |")
    add("| --- | ---: | --- |")
    bands = {b.label: b for b in s.level_bands}
    for item in s.risk_scores:
        band = bands[item.level]
        span = f"{band.low}" if band.low == band.high else f"{band.low} to {band.high}"
        add(f"| {item.level} | {item.score} | {span} |")
    add("")
    unknown = ", ".join(f"{u.level} for {plural(u.questions, 'question')}" for u in s.unknown_risks)
    add(f"An *unknown* answer takes its question's unknown risk ({unknown}).")
    add("")
    add("| Section | Weight |")
    add("| --- | ---: |")
    for w in s.section_weights:
        add(f"| {cell(w.section)} | {w.weight:g} |")
    add("")
    if r.outcome == "gaps":
        add("This checklist states no verdict: every answer at its gap level or above, and")
        add("every unknown, is a gap to close.")
        add("")
        return
    add("| Overall risk | Verdict |")
    add("| --- | --- |")
    for b in s.verdict_bands:
        add(f"| {b.low} to {b.high} | {text(b.label)} |")
    add("")
    add("| Red-flag severity | Verdict at least |")
    add("| --- | --- |")
    for sv in s.severity_verdicts:
        add(f"| {sv.severity} | {text(sv.verdict)} |")
    add("")
    add("The verdict is the most severe of the threshold's and every raised red flag's.")
    add("")
