"""`diligence class` on a generated class of the real mexico-2011 scenario."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from diligence.assessment.load import load_assessment
from diligence.content.library import load_library
from diligence.content.models import UNKNOWN
from diligence.scoring import score

from classgen import write_class
from conftest import ROOT, run_cli

REFERENCE = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2011.yaml"


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    write_class(REFERENCE, folder, 30, broken=3)
    return folder


def _value(answer: dict[str, object] | None) -> object:
    value = answer.get("value") if answer else None
    return tuple(sorted(value)) if isinstance(value, list) else value


def test_json_numbers_match_an_independent_count(klass: Path, tmp_path: Path) -> None:
    folder = klass
    out = tmp_path / "class.json"
    result = run_cli("class", folder, "-o", out)
    assert result.code == 0, result.err
    data = json.loads(out.read_text())
    assert data["submissions"] == 30
    assert sorted(Path(r["file"]).name for r in data["rejected"]) == [
        "broken-empty.yaml",
        "broken-question.yaml",
        "broken-syntax.yaml",
    ]
    assert "broken-question.yaml:" in result.err and "NOPE9" in result.err
    assert f"set aside: {folder / 'broken-syntax.yaml'}:2: invalid YAML" in result.err
    # Recompute every student's verdict, and each question's distribution, independently.
    library = load_library()
    checklist = library.checklist("customer-vetting")
    reference = load_assessment(REFERENCE, library)
    ref_result = score(checklist, reference.answers)
    verdicts: Counter[str] = Counter()
    per_question: dict[str, Counter[object]] = {q.id: Counter() for _, q in checklist.questions()}
    for number in range(1, 31):
        assessment = load_assessment(folder / f"student-{number:02d}.yaml", library)
        result_n = score(checklist, assessment.answers)
        verdicts[result_n.verdict.value] += 1
        for q in result_n.questions:
            if q.relevant and q.answered:
                per_question[q.id][_value({"value": q.value})] += 1
    assert {k: v for k, v in data["verdicts"].items() if v} == dict(verdicts)
    assert data["reference_verdict"] == ref_result.verdict.value == "escalate"
    for question in data["questions"]:
        expected = per_question[question["id"]]
        assert question["answered"] == sum(expected.values()), question["id"]
        ref = ref_result.question(question["id"])
        ref_value = _value({"value": ref.value}) if ref and ref.relevant else None
        if ref_value is not None and question["answered"]:
            share = expected.get(ref_value, 0) / question["answered"]
            assert question["agreement"] == pytest.approx(share, abs=1e-4), question["id"]
        if checklist.question(question["id"]).type != "multi":  # type: ignore[union-attr]
            assert question["answers"] == {
                ("+".join(k) if isinstance(k, tuple) else k): v for k, v in expected.items()
            }, question["id"]


@pytest.mark.pdf
def test_pdf_anonymised_names_no_student(klass: Path, tmp_path: Path) -> None:
    folder = klass
    out = tmp_path / "class.pdf"
    result = run_cli("class", folder, "-o", out, "--anonymize")
    assert result.code == 0, result.err
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Student Name" not in text
    assert "Student 1" in text and "Student 30" in text
    assert "Where the class disagreed most" in text
    assert "Escalate to the ethics committee" in text
    assert "broken-syntax.yaml" in text  # set-aside files are named in the report
    named = tmp_path / "named.pdf"
    assert run_cli("class", folder, "-o", named).code == 0
    named_text = "\n".join(page.extract_text() for page in PdfReader(named).pages)
    assert "Student Name 07" in named_text


@pytest.mark.pdf
@pytest.mark.timeout(300)
def test_render_each_keeps_going_past_a_broken_file(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    write_class(REFERENCE, folder, 3, broken=1)
    each = tmp_path / "each"
    result = run_cli("class", folder, "-o", tmp_path / "c.html", "--render-each", each,
                     "--jobs", "2")  # fmt: skip
    assert result.code == 0, result.err
    assert sorted(p.name for p in each.iterdir()) == [
        "student-01.pdf",
        "student-02.pdf",
        "student-03.pdf",
    ]
    assert "set aside:" in result.err and "broken-syntax.yaml" in result.err
    assert f"{each}: 3 student reports" in result.out
    html = (tmp_path / "c.html").read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_no_valid_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("answers: [\n")
    result = run_cli("class", tmp_path, "-o", tmp_path / "c.json")
    assert result.code == 2
    assert "no valid answers files" in result.err


def test_unknown_counts_as_an_answer(tmp_path: Path) -> None:
    folder = tmp_path / "u"
    write_class(REFERENCE, folder, 2, broken=0, keep=0.0, seed=3)
    data = json.loads(
        run_cli("class", folder, "-o", tmp_path / "u.json").out
        and (tmp_path / "u.json").read_text()
    )
    assert any(UNKNOWN in q["answers"] for q in data["questions"])
