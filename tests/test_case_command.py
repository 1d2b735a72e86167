"""`diligence case`: the case as a student may read it, cut at the scenario's date."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from rich.cells import cell_len

from diligence.commands.case import FORMATS
from diligence.content.library import load_library
from diligence.report.case_output import CASE_FORMATS
from diligence.report.formats import names
from diligence.report.reading import ReadingChapter, case_reading

from conftest import SAMPLE, run_cli

LIBRARY = load_library()
PEGASUS = LIBRARY.case("pegasus")
SAUDI = LIBRARY.scenario("pegasus", "saudi-2018")
LATER = "record-2018-abdulaziz-khashoggi"
"""Dated 2018 but known_from 2018-12: hindsight on 1 October 2018."""
EARLIER = "record-2018-hide-and-seek"
"""Citizen Lab's report of 18 September 2018: known at the decision."""


def _shown(chapters: Sequence[ReadingChapter]) -> list[str]:
    return [p.passage for ch in chapters for p in ch.passages]


def test_the_saudi_cut_leaves_out_what_was_public_only_later() -> None:
    reading = case_reading(PEGASUS, SAUDI, LIBRARY.frameworks)
    shown = _shown(reading.chapters)
    assert LATER not in shown and EARLIER in shown
    expected = [p.id for _, p in PEGASUS.passages().values() if not p.hindsight_for(SAUDI.as_of)]
    assert shown == expected
    assert reading.later == len(PEGASUS.passages()) - len(expected) > 0
    assert reading.scenario is not None and reading.scenario.id == "saudi-2018"


def test_later_timeline_events_keep_only_their_date() -> None:
    reading = case_reading(PEGASUS, SAUDI, LIBRARY.frameworks)
    later = [e for e in reading.timeline if e.after_decision]
    earlier = [e for e in reading.timeline if not e.after_decision]
    assert later and earlier
    assert all(e.event == "" and e.passages == () and e.sources == () for e in later)
    assert all(e.event for e in earlier)


def test_sources_are_those_of_what_is_shown() -> None:
    reading = case_reading(PEGASUS, SAUDI, LIBRARY.frameworks)
    ids = {s.id for s in reading.bibliography}
    assert "citizenlab-2018-hide-and-seek" in ids
    later_only = {b.id for b in PEGASUS.bibliography if b.date and b.date > "2019"}
    assert later_only and not ids & later_only
    whole = case_reading(PEGASUS, None, LIBRARY.frameworks)
    assert {s.id for s in whole.bibliography} > ids


def test_actors_in_a_cut_name_only_shown_passages_and_no_role() -> None:
    reading = case_reading(PEGASUS, SAUDI, LIBRARY.frameworks)
    shown = set(_shown(reading.chapters))
    assert reading.actors
    assert all(a.role is None and set(a.passages) <= shown for a in reading.actors)


def test_without_a_scenario_the_whole_case_and_a_first_line_saying_so() -> None:
    reading = case_reading(PEGASUS, None, LIBRARY.frameworks)
    assert LATER in _shown(reading.chapters) and reading.later == 0
    result = run_cli("case", "pegasus")
    assert result.code == 0, result.err
    assert "everything up to the present" in result.out.splitlines()[0]
    assert LATER in result.out


def test_the_terminal_cut_at_width_80() -> None:
    result = run_cli("case", "pegasus", "--scenario", "saudi-2018")
    assert result.code == 0, result.err
    assert "Cut at the decision date, 2018-10-01" in result.out
    assert "Briefing: A Gulf customer, 1 October 2018" in result.out
    assert EARLIER in result.out and LATER not in result.out
    assert max(cell_len(line) for line in result.out.splitlines()) <= 80


def test_unknown_scenario_and_case_are_one_line_naming_the_choices() -> None:
    result = run_cli("case", "pegasus", "--scenario", "nope")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1
    assert "no scenario 'nope'" in result.err and "saudi-2018" in result.err
    result = run_cli("case", "nope")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "no case study 'nope'" in result.err and "pegasus" in result.err


def test_the_command_offers_exactly_the_case_formats() -> None:
    assert list(FORMATS) == names(CASE_FORMATS)


def test_markdown_and_html_files(tmp_path: Path) -> None:
    md = tmp_path / "saudi.md"
    result = run_cli("case", "pegasus", "--scenario", "saudi-2018", "-o", md)
    assert result.code == 0, result.err
    text = md.read_text(encoding="utf-8")
    assert "## Briefing: A Gulf customer, 1 October 2018" in text
    assert EARLIER in text and LATER not in text
    html = tmp_path / "saudi.html"
    assert run_cli("case", "pegasus", "--scenario", "saudi-2018", "-o", html).code == 0
    page = html.read_text(encoding="utf-8")
    assert EARLIER in page and LATER not in page
    # Written by diligence: may be written again; a file of the user's may not.
    assert run_cli("case", "pegasus", "-o", html).code == 0
    mine = tmp_path / "mine.html"
    mine.write_text("my notes", encoding="utf-8")
    refused = run_cli("case", "pegasus", "-o", mine)
    assert refused.code == 2 and "--force" in refused.err
    assert mine.read_text(encoding="utf-8") == "my notes"


def test_format_without_output_or_json_is_refused(tmp_path: Path) -> None:
    assert run_cli("case", "pegasus", "--format", "md").code == 2
    result = run_cli("case", "pegasus", "-o", tmp_path / "case.json")
    assert result.code == 2 and "cannot tell the format" in result.err


HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def test_case_text_is_escaped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    case_file = content / "case_studies" / "sample" / "case.yaml"
    yaml_text = case_file.read_text(encoding="utf-8")
    yaml_text = yaml_text.replace("title: The first passage", f"title: '{HOSTILE}'").replace(
        "You are deciding whether to sell.", HOSTILE
    )
    case_file.write_text(yaml_text, encoding="utf-8")
    out = tmp_path / "sample.html"
    result = run_cli("case", "sample", "--scenario", "early", "-o", out, "--content", content)
    assert result.code == 0, result.err
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 2
    # The sample's p-two (2019) is after the early scenario (2011): not shown.
    assert "p-two" not in page and "p-one" in page


@pytest.mark.pdf
def test_the_pdf_holds_the_briefing_and_not_the_later_passage(tmp_path: Path) -> None:
    import pypdfium2

    out = tmp_path / "saudi.pdf"
    result = run_cli("case", "pegasus", "--scenario", "saudi-2018", "-o", out)
    assert result.code == 0, result.err
    document = pypdfium2.PdfDocument(out)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    flat = " ".join(text.split())
    assert "Briefing: A Gulf customer, 1 October 2018" in flat
    assert "Citizen Lab reported that the phone of Omar Abdulaziz" in flat
    assert EARLIER in flat and LATER not in flat
    assert f"({len(document)} pages)" in result.out
