"""`diligence verify`: a report matches its embedded answers, or says what differs."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

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


# ------------------------------------------------------------------ forgeries (fault probe B2)

HELVETICA = {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"}


def draw_on_page(source: Path, target: Path, page: int, operators: bytes) -> Path:
    """A copy of a PDF with PDF drawing operators added on top of one page (font /Fx is
    Helvetica): what a forger does to paint over a verdict or hide a line of text."""
    writer = PdfWriter(clone_from=PdfReader(source))
    sheet: Any = writer.pages[page]
    fonts = sheet["/Resources"].setdefault(NameObject("/Font"), DictionaryObject())
    fonts.get_object()[NameObject("/Fx")] = DictionaryObject(
        {NameObject(k): NameObject(v) for k, v in HELVETICA.items()}
    )
    added = DecodedStreamObject()
    added.set_data(b"\n" + operators + b"\n")  # streams join at token boundaries
    contents = sheet.raw_get("/Contents")  # a stream in an array must be an indirect one
    if isinstance(contents, IndirectObject):
        contents = contents.get_object() if isinstance(contents.get_object(), list) else contents
    old = list(contents) if isinstance(contents, ArrayObject) else [contents]
    if isinstance(contents, StreamObject):
        old = [writer._add_object(contents)]
    sheet[NameObject("/Contents")] = ArrayObject([*old, writer._add_object(added)])
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def forged_answers(report_pdf: Path, target: Path) -> tuple[Path, str]:
    """Edited answers embedded with a consistent score.json, as the probe's forge.py did."""
    changed = REFERENCE.read_bytes().replace(b'value: "yes"', b'value: "no"')
    new_hash = hashlib.sha256(changed).hexdigest()
    summary = json.loads(PdfReader(report_pdf).attachments["score.json"][0])
    summary.update(verdict="decline", red_flags=["RF1"], overall=90)
    summary["answers"]["sha256"] = new_hash
    step = replace_attachment(report_pdf, target, "answers.yaml", changed)
    return replace_attachment(step, target, "score.json", json.dumps(summary).encode()), new_hash


def test_an_invisible_hash_line_over_swapped_answers_fails(
    report_pdf: Path, tmp_path: Path
) -> None:
    swapped, new_hash = forged_answers(report_pdf, tmp_path / "swapped.pdf")
    last = len(PdfReader(swapped).pages) - 1
    hidden = f"BT 3 Tr /Fx 6 Tf 40 40 Td (SHA-256 of the answers file {new_hash}) Tj ET"
    forged = draw_on_page(swapped, tmp_path / "forged.pdf", last, hidden.encode())
    result = run_cli("verify", forged, "--content", SAMPLE)
    assert result.code == 1, result.out
    assert "does NOT match" in result.err
    assert "page 1: the report reads" in result.err  # the verdict it shows is not theirs
    assert "Escalate" in result.err and "Decline" in result.err


def test_a_painted_over_cover_fails_and_says_what_it_reads(
    report_pdf: Path, tmp_path: Path
) -> None:
    paint = b"q 1 1 1 rg 30 600 540 200 re f 0 0 0 rg BT /Fx 28 Tf 60 700 Td (Proceed) Tj ET Q"
    forged = draw_on_page(report_pdf, tmp_path / "painted.pdf", 0, paint)
    result = run_cli("verify", forged, "--content", SAMPLE)
    assert result.code == 1
    assert "page 1: the report reads" in result.err
    assert "Proceed" in result.err


def test_a_box_painted_over_the_verdict_fails_even_without_text(
    report_pdf: Path, tmp_path: Path
) -> None:
    forged = draw_on_page(report_pdf, tmp_path / "box.pdf", 0, b"q 1 1 1 rg 30 600 540 200 re f Q")
    result = run_cli("verify", forged, "--content", SAMPLE)
    assert result.code == 1
    assert "page 1: the same text, but drawn differently" in result.err


def test_appended_and_removed_pages_fail(report_pdf: Path, tmp_path: Path) -> None:
    longer = PdfWriter(clone_from=PdfReader(report_pdf))
    for _ in range(3):
        longer.add_blank_page(595, 842)
    shorter = PdfWriter(clone_from=PdfReader(report_pdf))
    shorter.remove_page(1)
    pages = len(PdfReader(report_pdf).pages)
    for writer, count in ((longer, pages + 3), (shorter, pages - 1)):
        out = tmp_path / f"{count}.pdf"
        with out.open("wb") as handle:
            writer.write(handle)
        result = run_cli("verify", out, "--content", SAMPLE)
        assert result.code == 1
        assert f"pages: the report has {count}; a render of its embedded answers has {pages}" in (
            result.err
        )


def test_a_report_saved_again_by_another_tool_still_verifies(
    report_pdf: Path, tmp_path: Path
) -> None:
    """Other bytes, the same pages: what a reader sees is compared, not the file."""
    again = tmp_path / "again.pdf"
    with again.open("wb") as handle:
        PdfWriter(clone_from=PdfReader(report_pdf)).write(handle)
    assert again.read_bytes() != report_pdf.read_bytes()
    result = run_cli("verify", again, "--content", SAMPLE)
    assert result.code == 0, result.err


def test_a_trainer_edition_verifies_as_a_trainer_edition(tmp_path: Path) -> None:
    out = tmp_path / "trainer.pdf"
    assert run_cli("report", REFERENCE, "-o", out, "--trainer", "--content", SAMPLE).code == 0
    summary = json.loads(PdfReader(out).attachments["score.json"][0])
    assert summary["options"] == {"trainer": True}
    result = run_cli("verify", out, "--content", SAMPLE)
    assert result.code == 0, result.err


# ------------------------------------------------------------------ crafted files (B14, weak 4)


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        (b'{"answers": "x"}', "its score.json is not valid"),
        (b"[" * 30_000 + b"]" * 30_000, "its score.json is not valid"),
        (b"[" * 100_000 + b"]" * 100_000, "its embedded score.json is over 64 KB"),
        (b'{"verdict": 1e999999}', "its score.json is not valid"),
    ],
)
def test_a_crafted_summary_is_not_a_readable_report(
    report_pdf: Path, tmp_path: Path, summary: bytes, message: str
) -> None:
    crafted = replace_attachment(report_pdf, tmp_path / "c.pdf", "score.json", summary)
    result = run_cli("verify", crafted, "--content", SAMPLE)
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and message in result.err


def test_escapes_in_a_crafted_summary_never_reach_the_terminal(
    report_pdf: Path, tmp_path: Path
) -> None:
    summary = json.loads(PdfReader(report_pdf).attachments["score.json"][0])
    summary["verdict"] = "\x1b]0;PWNED-TITLE\x07\x1b[2Jproceed"
    crafted = replace_attachment(
        report_pdf, tmp_path / "e.pdf", "score.json", json.dumps(summary).encode()
    )
    result = run_cli("verify", crafted, "--content", SAMPLE)
    assert result.code == 1
    assert "verdict: the report states proceed; re-scoring gives escalate" in result.err
    assert "\x1b" not in result.err + result.out and "\x07" not in result.err + result.out


def test_embedded_answers_over_the_file_limit_are_refused(report_pdf: Path, tmp_path: Path) -> None:
    big = REFERENCE.read_bytes() + b"#" * (5 * 1024 * 1024)
    crafted = replace_attachment(report_pdf, tmp_path / "big.pdf", "answers.yaml", big)
    result = run_cli("verify", crafted, "--content", SAMPLE)
    assert (result.code, result.err) == (
        2,
        f"diligence: {crafted}: its embedded answers.yaml is over 4 MB; answers files are "
        "limited to 4 MB\n",
    )


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    result = run_cli("verify", fifo, "--content", SAMPLE)
    assert (result.code, result.err) == (
        2,
        f"diligence: {fifo}: is a named pipe (FIFO), not a file; give a report PDF\n",
    )


def test_thousands_of_extra_pages_are_counted_not_read(report_pdf: Path, tmp_path: Path) -> None:
    import time

    longer = PdfWriter(clone_from=PdfReader(report_pdf))
    for _ in range(3000):
        longer.add_blank_page(595, 842)
    out = tmp_path / "long.pdf"
    with out.open("wb") as handle:
        longer.write(handle)
    started = time.perf_counter()
    result = run_cli("verify", out, "--content", SAMPLE)
    assert result.code == 1 and "pages: the report has" in result.err
    assert time.perf_counter() - started < 30
