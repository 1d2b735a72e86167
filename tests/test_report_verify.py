"""`diligence verify`: a report matches its embedded answers, or says what differs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from diligence.report.pdf import PdfFormat

from conftest import SAMPLE, run_cli
from reporting import REFERENCE, copy_sample, sample_report

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify") / "early.pdf"
    result = run_cli("report", REFERENCE, "-o", out, "--content", SAMPLE)
    assert result.code == 0, result.err
    return out


def replace_attachment(source: Path, target: Path, name: str, data: bytes) -> Path:
    """A copy of a PDF whose embedded file `name` holds other bytes (a tampered report)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    root: Any = writer.root_object
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names), 2):
        if names[i] == name:
            filespec = names[i + 1].get_object()
            old = filespec["/EF"]["/F"].get_object()
            new = StreamObject()
            new.set_data(data)
            new[NameObject("/Type")] = NameObject("/EmbeddedFile")
            new[NameObject("/Params")] = old["/Params"]
            filespec["/EF"][NameObject("/F")] = writer._add_object(new)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_an_untouched_report_verifies(report_pdf: Path) -> None:
    result = run_cli("verify", report_pdf, "--content", SAMPLE)
    assert result.code == 0, result.err
    assert "matches its embedded answers" in result.out
    assert "verdict    escalate" in result.out
    assert "overall    55/100" in result.out
    assert "red flags  RF2" in result.out


def test_modified_embedded_answers_fail(report_pdf: Path, tmp_path: Path) -> None:
    changed = REFERENCE.read_bytes().replace(b'value: "yes"', b'value: "no"')
    assert changed != REFERENCE.read_bytes()
    tampered = replace_attachment(report_pdf, tmp_path / "t.pdf", "answers.yaml", changed)
    assert PdfReader(tampered).attachments["answers.yaml"] == [changed]
    result = run_cli("verify", tampered, "--content", SAMPLE)
    assert result.code == 1
    assert "does NOT match" in result.err
    assert "hash: the report prints" in result.err
    assert "verdict: the report states escalate; re-scoring gives decline" in result.err
    assert "red flags: the report states RF2; re-scoring gives RF1" in result.err


def test_a_different_printed_hash_fails(tmp_path: Path) -> None:
    report, data = sample_report()
    forged = dataclasses.replace(
        report, answers=dataclasses.replace(report.answers, sha256="0" * 64)
    )
    out = tmp_path / "forged.pdf"
    out.write_bytes(PdfFormat(data).render(forged).data)
    result = run_cli("verify", out, "--content", SAMPLE)
    assert result.code == 1
    assert "hash: the report prints 0000000000000000…" in result.err
    assert "score.json records 0000000000000000…" in result.err


def test_an_edited_summary_fails(report_pdf: Path, tmp_path: Path) -> None:
    summary = json.loads(PdfReader(report_pdf).attachments["score.json"][0])
    summary["verdict"] = "proceed"
    summary["overall"] = 10
    tampered = replace_attachment(
        report_pdf, tmp_path / "s.pdf", "score.json", json.dumps(summary).encode()
    )
    result = run_cli("verify", tampered, "--content", SAMPLE)
    assert result.code == 1
    assert "verdict: the report states proceed; re-scoring gives escalate" in result.err
    assert "overall risk: the report states 10/100; re-scoring gives 55/100" in result.err
    assert "hash:" not in result.err


def test_changed_content_is_a_difference(report_pdf: Path, tmp_path: Path) -> None:
    content = copy_sample(tmp_path / "content")
    checklist = content / "checklists" / "sample-vetting.yaml"
    text = checklist.read_text()
    checklist.write_text(
        text.replace(
            "label: A private broker\n      risk: high", "label: A private broker\n      risk: low"
        )
    )
    assert checklist.read_text() != text
    result = run_cli("verify", report_pdf, "--content", content)
    assert result.code == 1
    assert "overall risk: the report states 55/100; re-scoring gives" in result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a PDF file"),
        (b"hello, world", "not a PDF file"),
        (b"%PDF-1.7\n%garbage that is not a PDF at all", "broken PDF"),
    ],
)
def test_broken_files_are_one_line_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    result = run_cli("verify", bad, "--content", SAMPLE)
    assert result.code == 2
    assert result.err.count("\n") == 1 and message in result.err


def test_a_pdf_that_is_not_a_report_is_exit_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    with plain.open("wb") as handle:
        writer.write(handle)
    result = run_cli("verify", plain, "--content", SAMPLE)
    assert result.code == 2
    assert "not a diligence report" in result.err


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = run_cli("verify", tmp_path / "nope.pdf", "--content", SAMPLE)
    assert result.code == 2
    assert "no such file" in result.err


def test_missing_content_is_exit_2_not_a_difference(report_pdf: Path) -> None:
    result = run_cli("verify", report_pdf)  # the sample content is not loaded
    assert result.code == 2
    assert "does NOT match" not in result.err + result.out
    (line,) = result.err.strip().splitlines()
    assert (
        "its answers are for checklist 'sample-vetting' and case 'sample', which are not loaded"
        in line
    )
    assert "--content DIR" in line
