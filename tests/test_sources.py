"""The general source model: a case names sources of any kind, chapters follow one of them,
and every sentence about sources is built from their kinds."""

from __future__ import annotations

from pathlib import Path

from diligence.content.models import CaseStudy, SourceKind
from diligence.content.yamlio import dump_yaml, parse_yaml

from conftest import SAMPLE, run_cli
from reporting import copy_sample, sample_library, sample_report

CASE = SAMPLE / "case_studies" / "sample" / "case.yaml"


def sample_case(**changes: object) -> dict[str, object]:
    data: dict[str, object] = parse_yaml(CASE.read_text(), "case").data
    data.update(changes)
    return data


def test_a_case_built_from_a_book_names_its_chapters_after_it() -> None:
    data = sample_case(
        bibliography=[
            {
                "id": "book",
                "kind": "book",
                "citation": "A. Author, A Book About Vetting (Press, 2019).",
                "short": "Author 2019",
            },
            {"id": "sample-report", "kind": "report", "citation": "A sample report"},
        ]
    )
    data["chapters"][0]["source"] = "book"  # type: ignore[index]
    case = CaseStudy.model_validate(data)
    chapter = case.chapters[0]
    passage = chapter.passages[0]
    assert case.source_line(chapter, passage) == "Author 2019, chapter 'Chapter one'"
    assert case.passage_sources(chapter, passage) == ("book",)
    assert case.origin() == (
        "Teaching material built on the book A. Author, A Book About Vetting (Press, 2019) "
        "and the public record."
    )
    assert "episode" not in case.origin()


def test_a_fictional_case_says_so_and_never_mentions_an_episode() -> None:
    data = sample_case(
        bibliography=[
            {
                "id": "pack",
                "kind": "fictional",
                "citation": "The Larkspur teaching pack, written for this course (2025).",
            }
        ]
    )
    for chapter in data["chapters"]:  # type: ignore[attr-defined]
        chapter["source"] = "pack"
        for passage in chapter["passages"]:
            passage.pop("sources", None)
    data["timeline"] = [{"id": "t", "date": "2010", "event": "A thing.", "passages": ["p-one"]}]
    case = CaseStudy.model_validate(data)
    assert case.fictional
    assert case.origin().startswith(
        "A fictional case, written for teaching (The Larkspur teaching pack"
    )
    assert "invented" in case.origin()
    assert SourceKind.fictional.noun == "fictional teaching material"


def test_every_kind_reads_as_a_noun() -> None:
    assert {kind.noun for kind in SourceKind} >= {"podcast episode", "court filing", "book"}


def test_a_passage_of_an_unsourced_chapter_needs_its_own_sources(tmp_path: Path) -> None:
    content = copy_sample(tmp_path / "content")
    case_file = content / "case_studies" / "sample" / "case.yaml"
    data = parse_yaml(case_file.read_text(), "case").data
    data["chapters"][0].pop("source")
    data["chapters"][1]["source"] = "sample-reprot"
    case_file.write_text(dump_yaml(data))
    result = run_cli("--content", content, "validate", case_file)
    assert result.code == 2
    assert (
        "passage p-one is in chapter one, which names no source, so it needs 'sources'"
        in result.err
    )
    assert (
        "chapter record follows source 'sample-reprot', which the bibliography does not "
        "define; did you mean 'sample-report'?" in result.err
    )


def test_the_report_cover_and_bibliography_use_the_kinds() -> None:
    report, _ = sample_report()
    assert report.origin == (
        'Teaching material built on the podcast episode Sample Show, Season 1 / Episode 1, "The '
        'sample episode" and the public record.'
    )
    assert not report.fictional
    assert sample_library().case("sample").primary_sources()[0].id == "sample-episode"
