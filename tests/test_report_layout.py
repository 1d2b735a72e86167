"""The layout of every shipped reference report, in both editions, read back with pypdfium2.

The rules (user-trial #3 and #11): the student edition of a complete assessment is at most
12 pages; no page is under a quarter full except the last of a chapter; no heading is
alone at a page's foot; the running header names the chapter the page starts in; the
contents say "Appendix A", not "A Appendix A"; nothing runs past the right margin.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from diligence.content.library import load_library
from diligence.report.chapters import contents
from diligence.report.model import Report
from diligence.report.render import render_answers
from pdf_layout import Page, flat, pages

from reporting import GENERATED

pytestmark = pytest.mark.pdf

LIBRARY = load_library()
CASE = LIBRARY.case("pegasus")
SCENARIOS = [s.id for s in CASE.scenarios]
STUDENT_PAGES = 12


@dataclass(frozen=True)
class Rendered:
    report: Report
    pages: list[Page]


_RENDERED: dict[tuple[str, str], Rendered] = {}


def rendered(scenario: str, edition: str) -> Rendered:
    """Each reference rendered once per test session (a render takes seconds)."""
    key = (scenario, edition)
    if key not in _RENDERED:
        reference = LIBRARY.reference_for("pegasus", scenario)
        assert reference is not None
        done = render_answers(
            reference.path,
            LIBRARY,
            "pdf",
            generated=GENERATED,
            edition=edition,  # type: ignore[arg-type]
        )
        _RENDERED[key] = Rendered(done.report, pages(done.output.data))
    return _RENDERED[key]


def chapter_headings(report: Report) -> list[str]:
    """The headings a running header can name: the full memo's contents page too."""
    listed = [flat(c.heading) for c in contents(report).chapters]
    return listed if report.edition == "student" else ["Contents", *listed]


def headings(report: Report) -> list[str]:
    """Every heading a page must not end on: chapters, sections, red flags."""
    found = chapter_headings(report)
    found += [flat(f"{n.number} {n.section.title}") for n in contents(report).sections]
    found += [flat(f"{f.id} {f.title}") for f in report.red_flags]
    return found


def heading_at_foot(page: Page, every_heading: list[str]) -> bool:
    """Whether the page's last lines are exactly a heading (wrapped over up to 3 lines)."""
    feet = {flat(" ".join(line.text for line in page.lines[-k:])) for k in (1, 2, 3)}
    return any(h in feet for h in every_heading)


def starts_with_chapter(page: Page, chapters: list[str]) -> str | None:
    first = flat(page.lines[0].text) if page.lines else ""
    return next((c for c in chapters if first.startswith(c)), None)


def chapter_at_start(all_pages: list[Page], chapters: list[str]) -> list[str | None]:
    """The chapter each page starts in: one whose heading opens it, else the last one
    whose heading appeared on an earlier page."""
    current: str | None = None
    starts: list[str | None] = []
    for page in all_pages:
        opening = starts_with_chapter(page, chapters)
        starts.append(opening or current)
        for line in page.lines:
            text = flat(line.text)
            current = next((c for c in chapters if text.startswith(c)), current)
    return starts


@pytest.mark.parametrize("edition", ["student", "full"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_layout_rules_hold_for_every_reference(scenario: str, edition: str) -> None:
    done = rendered(scenario, edition)
    all_pages, report = done.pages, done.report
    chapters = chapter_headings(report)
    starts = chapter_at_start(all_pages, chapters)
    every_heading = headings(report)
    for i, page in enumerate(all_pages):
        where = f"{scenario} {edition} page {page.number}"
        assert not page.overflow, f"{where}: text past the margin: {page.overflow[0].text!r}"
        if i == 0:
            continue  # the cover
        last_of_chapter = i == len(all_pages) - 1 or (
            starts_with_chapter(all_pages[i + 1], chapters) is not None
        )
        if not last_of_chapter:
            assert page.fill >= 0.25, f"{where}: only {page.fill:.0%} full"
        # The header's left half (the title) may reach past the middle; the chapter ends it.
        start = starts[i]
        assert start is not None and page.header.endswith(start), (
            f"{where}: header {page.header!r}, starts in {starts[i]!r}"
        )
        assert not heading_at_foot(page, every_heading), f"{where}: heading alone at the foot"
    if edition == "student":
        assert len(all_pages) <= STUDENT_PAGES, f"{scenario}: {len(all_pages)} pages"
    else:
        toc = flat(" ".join(line.text for line in all_pages[1].lines))
        assert "Appendix A: Scenario briefing" in toc and "A Appendix A" not in toc


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_student_edition_is_a_fraction_of_the_full_memo(scenario: str) -> None:
    student, full = rendered(scenario, "student"), rendered(scenario, "full")
    assert len(student.pages) * 2.5 <= len(full.pages), (len(student.pages), len(full.pages))
