"""A checklist that stands without a case: answered, scored and reported as a programme
self-assessment, with no case chapters, no sale wording and the gaps as its result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diligence.content.yamlio import dump_yaml

from conftest import run_cli

ANSWERS = {
    "format": 1,
    "checklist": {"id": "my-icp", "version": "1.0"},
    "assessor": "Compliance officer",
    "status": "complete",
    "answers": {
        "O1": {"value": 1, "note": "One person, part time."},
        "O2": {"value": "not_applicable", "note": "Nothing is outsourced."},
        "O3": {"value": "2023-05", "note": "The last review record."},
    },
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run_cli("--no-builtin", "new", "checklist", "my-icp", "--self-assessment").code == 0
    (tmp_path / "icp.yaml").write_text(dump_yaml(ANSWERS))
    return tmp_path


def cli(*argv: str | Path) -> tuple[int, str, str]:
    result = run_cli("--no-builtin", "--content", ".", *argv)
    return result.code, result.out, result.err


@pytest.mark.usefixtures("folder")
def test_answers_without_a_case_validate_and_score_as_gaps() -> None:
    assert cli("validate", "icp.yaml")[:1] == (0,)
    code, out, err = cli("score", "icp.yaml")
    assert code == 0, err
    assert "Gaps to close: 1" in out and "O1 [medium]" in out
    assert "Verdict" not in out
    code, out, _ = cli("score", "icp.yaml", "--json")
    data = json.loads(out)
    assert data["verdict"] is None and data["outcome"] == "gaps"
    assert data["not_applicable"] == ["O2"]
    assert [g["question"] for g in data["gaps"]] == ["O1"]


@pytest.mark.usefixtures("folder")
def test_a_self_assessment_report_has_no_case_chapters_and_no_sale() -> None:
    code, out, err = cli("report", "icp.yaml", "-o", "icp.md", "--full")
    assert code == 0, err
    assert "1 gap to close" in out
    text = Path("icp.md").read_text()
    assert text.startswith("# Self-assessment of a compliance programme\n")
    assert "**Self-assessment**" in text and "> **Outcome: 1 gap to close**" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1 Executive summary",
        "## 2 Findings by section",
        "## 3 Gaps to close",
        "## 4 Unanswered and inactive questions",
        "## Appendix A: How the scoring works",
        "## Appendix B: Integrity",
    ]
    for word in ("case", "sale", "red flag", "Verdict", "episode"):
        assert word not in text, word
    assert "- **Answer:** Not applicable · not scored" in text
    assert "**O1** How many people work on compliance" in text


@pytest.mark.usefixtures("folder")
def test_a_self_assessment_in_the_student_edition_has_its_gaps_and_no_case() -> None:
    code, _, err = cli("report", "icp.yaml", "-o", "icp.md")
    assert code == 0, err
    text = Path("icp.md").read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert "## 2 Gaps to close" in headings, headings
    for word in ("case", "sale", "red flag", "Verdict", "episode"):
        assert word not in text, word


@pytest.mark.usefixtures("folder")
def test_a_self_assessment_is_assessed_without_a_case() -> None:
    code, out, err = cli("assess", "--checklist", "my-icp", "--answers", "icp.yaml", "--no-input")
    assert code == 0, err
    assert "Gaps to close: 1" in out
    saved = Path("answers").glob("*.yaml")
    assert "case:" not in next(saved).read_text()


@pytest.mark.pdf
@pytest.mark.usefixtures("folder")
def test_a_self_assessment_pdf_reads_as_one_and_verifies() -> None:
    import pypdfium2

    code, _, err = cli("report", "icp.yaml", "-o", "icp.pdf")
    assert code == 0, err
    pdf = pypdfium2.PdfDocument("icp.pdf")
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "SELF-ASSESSMENT" in text.upper() and "1 gap to close" in text
    for word in ("About the case", "sale", "Red flags", "Bibliography", "timeline"):
        assert word not in text, word
    assert cli("verify", "icp.pdf")[0] == 0
