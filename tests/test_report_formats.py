"""HTML, Markdown and JSON reports; choosing the format and the output path."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from diligence.report.model import REPORT_FORMAT

from conftest import SAMPLE, run_cli
from reporting import EPOCH, REFERENCE, sample_report


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def render(tmp_path: Path, name: str, *extra: str) -> str:
    """The sample reference rendered by the CLI, as the full memo unless `extra` says
    "--student" (the default edition, asked for by leaving --full out)."""
    out = tmp_path / name
    edition = [] if "--student" in extra else ["--full"]
    extra = tuple(e for e in extra if e != "--student")
    result = run_cli("report", REFERENCE, "-o", out, "--content", SAMPLE, *edition, *extra)
    assert result.code == 0, result.err
    return out.read_text(encoding="utf-8")


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster") and value:
                self.refs.append(value)


def test_html_is_one_self_contained_file(tmp_path: Path) -> None:
    html = render(tmp_path, "r.html")
    parser = _Refs()
    parser.feed(html)
    assert parser.refs, "expected internal links"
    assert all(ref.startswith("#") for ref in parser.refs), parser.refs
    assert not {"link", "script", "img", "iframe", "object"} & parser.tags
    assert "<svg" in html and "<style>" in html
    assert not re.search(r"url\(\s*['\"]?(?!#|data:)", html)  # no url() but data: or anchors
    assert '<html lang="en">' in html
    # Every internal link points at an element that exists.
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert {ref[1:] for ref in parser.refs} <= ids


def test_html_carries_the_same_content(tmp_path: Path) -> None:
    html = render(tmp_path, "r.html")
    for expected in (
        "Escalate to the board",
        "3.1 Who is buying",
        "p-one",
        "Sample S1E1, &#39;The sample episode&#39;, chapter &#39;Chapter one&#39;",
        "fbafbcf3c985b7c4b024bac6361fc8052d7298a55b41b972257feee32b295e27",
        "Appendix E: Integrity",
    ):
        assert expected in html, expected
    assert '<meta name="author" content="Reference">' in html


def test_markdown_reads_well_on_a_forge(tmp_path: Path) -> None:
    md = render(tmp_path, "r.md")
    assert md.startswith("# Sample vetting: An early decision\n")
    assert "> **Verdict: Escalate to the board**" in md
    assert "| Section | Risk | | Level | Answered | Unknowns |" in md
    assert re.search(r"\| Who is buying \| 35 \| █+\S* \| low \| 3/3 \| 0 \|", md)
    assert "## 3 Findings by section" in md
    assert "#### W1 Is the buyer a government agency?" in md
    assert "- **Answer:** Yes · low risk" in md
    assert "  > “It was a sample.”\\\n  > — A Speaker" in md  # quotes are blockquotes
    assert "  Source: Sample S1E1, 'The sample episode', chapter 'Chapter one'" in md
    assert "- **SAMPLE-UNGP 17**: Sample Guiding Principles: Human-rights due diligence" in md
    assert "`fbafbcf3c985b7c4b024bac6361fc8052d7298a55b41b972257feee32b295e27`" in md
    assert "## Appendix C: Bibliography" in md


def test_markdown_keeps_line_breaks_of_notes(tmp_path: Path) -> None:
    from reporting import write_answers

    answers = write_answers(
        tmp_path / "a.yaml",
        {"answers.W1": {"value": "yes", "note": "First line\nsecond line\n\nNew paragraph"}},
    )
    out = tmp_path / "a.md"
    assert run_cli("report", answers, "-o", out, "--content", SAMPLE).code == 0
    assert "First line\\\nsecond line\n\nNew paragraph" in out.read_text()


def test_markdown_shows_indented_and_numbered_lines_as_typed() -> None:
    """Fault probe weak 9: indented or tab-led lines became code blocks that showed the
    escapes (`\\(`, `&lt;`), and `1. first` showed as `\\1. first`."""
    from diligence.report.markdown_text import text

    md = text("Steps:\n    (a) <b>x</b> a_b\n\tb) tab\n1. first\n2) second")
    lines = md.splitlines()
    assert not [line for line in lines if line.startswith(("    ", "\t"))]  # no code block
    assert lines[1] == "\u00a0" * 4 + "\\(a\\) &lt;b&gt;x&lt;/b&gt; a\\_b\\"
    assert lines[2].startswith("\u00a0" * 4 + "b\\) tab")
    assert lines[3] == "1\\. first\\" and lines[4] == "2\\) second"


def test_json_is_the_documented_report_model(tmp_path: Path) -> None:
    data = json.loads(render(tmp_path, "r.json"))
    documented = Path(__file__).resolve().parents[1] / "docs" / "report-json.md"
    doc = documented.read_text()
    for key in data:
        assert f"`{key}`" in doc, f"key {key} is not documented"
    assert data["format"] == REPORT_FORMAT
    assert data["verdict"] == "escalate"
    assert data["overall"] == 55
    assert data["generated"] == "2026-01-02T00:00:00Z"
    assert [s["id"] for s in data["sections"]] == ["who", "terms"]
    w1 = data["sections"][0]["findings"][0]
    assert w1["question"] == "W1"
    assert w1["evidence"][0]["source"] == "Sample S1E1, 'The sample episode', chapter 'Chapter one'"
    assert w1["frameworks"][0]["framework"] == "Sample Guiding Principles"
    assert w1["teaching_note"] is None  # only in trainer reports
    assert [b["id"] for b in data["bibliography"]] == ["sample-episode"]  # nothing later
    assert data["scoring"]["verdict_bands"][0] == {"low": 0, "high": 24, "label": "Proceed"}


def test_json_of_the_model_round_trips() -> None:
    report, _ = sample_report(trainer=True)
    assert json.loads(json.dumps(report.to_json())) == report.to_json()
    assert (
        report.to_json()["sections"][0]["findings"][0]["teaching_note"] == "In the sample, it was."
    )


@pytest.mark.pdf
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "reports/early.pdf"),
        (("--format", "md"), "reports/early.md"),
        (("-o", "out/x.html"), "out/x.html"),
        (("-o", "x.JSON"), "x.JSON"),
        (("-o", "noext"), "noext"),
        (("-o", "folder"), "folder/early.pdf"),
    ],
)
def test_output_path_and_format(
    args: tuple[str, ...], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    result = run_cli("report", REFERENCE, "--content", SAMPLE, *args)
    assert result.code == 0, result.err
    assert result.out.startswith(f"wrote {expected}")
    written = (tmp_path / expected).read_bytes()
    kind = {".pdf": b"%PDF-", ".md": b"# ", ".html": b"<!DOCTYPE", ".json": b"{"}
    suffix = Path(expected).suffix.lower() or ".pdf"
    assert written.startswith(kind[suffix])


def test_unknown_suffix_without_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("report", REFERENCE, "-o", tmp_path / "r.docx", "--content", SAMPLE)
    assert result.code == 2
    assert "cannot tell the format from 'r.docx'" in result.err
    assert not (tmp_path / "r.docx").exists()


def test_missing_answers_file_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("report", tmp_path / "nope.yaml", "--content", SAMPLE)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "no such file" in result.err


def test_unwritable_output_is_one_line_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_cli("report", REFERENCE, "-o", blocker / "r.md", "--content", SAMPLE)
    assert result.code == 2
    assert result.err.startswith("diligence: cannot write")


def test_help_documents_formats_and_json_keys() -> None:
    result = run_cli("report", "--help")
    assert result.code == 0
    assert "--trainer" in result.out and "docs/report-json.md" in result.out


def test_html_and_markdown_have_the_same_chapters_numbered_the_same(tmp_path: Path) -> None:
    from diligence.report import TEMPLATES
    from diligence.report.chapters import contents
    from diligence.report.markdown import _CHAPTERS

    report, _ = sample_report()
    chapters = contents(report).chapters
    for chapter in chapters:
        assert (TEMPLATES / chapter.partial).is_file(), chapter.partial
        assert chapter.key in _CHAPTERS, chapter.key
    html = render(tmp_path, "r.html")
    md = render(tmp_path, "r.md")
    in_html = re.findall(r"^<h1>(.+)</h1>$", html, re.M)[2:]  # after the cover and contents
    in_md = re.findall(r"^## (.+)$", md, re.M)
    assert in_html == in_md == [c.heading for c in chapters]
    assert "## 1 Executive summary" in md and "## Appendix A: Scenario briefing" in md
    sub_html = re.findall(r"^<h2>(\d+\.\d+ .+)</h2>$", html, re.M)
    sub_md = re.findall(r"^### (\d+\.\d+ .+)$", md, re.M)
    assert sub_html == sub_md == ["3.1 Who is buying", "3.2 Contract terms"]


def test_the_student_edition_has_the_same_chapters_in_html_and_markdown(tmp_path: Path) -> None:
    from diligence.report import TEMPLATES
    from diligence.report.chapters import contents
    from diligence.report.markdown import _CHAPTERS

    report, _ = sample_report(edition="student")
    chapters = contents(report).chapters
    for chapter in chapters:
        assert (TEMPLATES / chapter.partial).is_file(), chapter.partial
        assert chapter.key in _CHAPTERS, chapter.key
    html = render(tmp_path, "s.html", "--student")
    md = render(tmp_path, "s.md", "--student")
    in_html = re.findall(r"^<h1>(.+)</h1>$", html, re.M)[1:]  # after the cover
    in_md = re.findall(r"^## (.+)$", md, re.M)
    assert in_html == in_md == [c.heading for c in chapters]
    assert "Appendix" not in md and "Executive summary" not in md
    assert "## 5 Frameworks and sources" in md
    assert "- **SAMPLE-UNGP 17**" in md  # the framework, in full once
