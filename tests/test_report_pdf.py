"""The PDF report: content, navigation, metadata, attachments, pages that are not blank."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from conftest import ROOT, SAMPLE, run_cli
from reporting import EPOCH, REFERENCE, flat, font_names, page_texts, reader

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "early.pdf"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        result = run_cli("report", REFERENCE, "-o", out, "--full", "--content", SAMPLE)
    assert result.code == 0, result.err
    assert "warning" not in result.err
    assert re.match(r"wrote .*early\.pdf \(\d+ pages\): Escalate to the board", result.out)
    return out


@pytest.fixture(scope="module")
def texts(pdf: Path) -> list[str]:
    return page_texts(pdf)


def test_cover_names_verdict_checklist_case_scenario_assessor_and_date(texts: list[str]) -> None:
    cover = flat(texts[0])
    assert "DUE-DILIGENCE REPORT" in cover
    assert "An early decision" in cover
    assert "Escalate to the board" in cover
    assert "overall risk of 55/100" in cover
    assert "Sample vetting (sample-vetting, version 1.0)" in cover
    assert "A sample case" in cover
    assert "Assessor Reference" in cover
    assert "Date 2 January 2026" in cover  # from SOURCE_DATE_EPOCH


def test_every_page_says_page_x_of_y(texts: list[str]) -> None:
    total = len(texts)
    assert total > 5
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {total}" in text


def test_chapters_appear_in_order(texts: list[str]) -> None:
    headings = [
        "1 Executive summary",
        "Why this verdict",
        "Section risk",
        "2 Red flags",
        "3 Findings by section",
        "3.1 Who is buying",
        "3.2 Contract terms",
        "4 What the ethics committee should require",
        "5 Unanswered and inactive questions",
        "Appendix A: Scenario briefing",
        "Appendix B: Case timeline",
        "Appendix C: Bibliography",
        "Appendix D: How the scoring works",
        "Appendix E: Integrity",
    ]
    after_contents = flat(" ".join(texts[2:]))
    at = 0
    for heading in headings:  # each one found after the one before
        found = after_contents.find(heading, at)
        assert found >= 0, f"{heading!r} missing or out of order"
        at = found + len(heading)


def test_contents_page_numbers_point_at_the_chapters(texts: list[str]) -> None:
    contents = texts[1]
    for title, marker in [
        ("Executive summary", "1 Executive summary"),
        ("Findings by section", "3 Findings by section"),
        ("Appendix E: Integrity", "Appendix E: Integrity"),
    ]:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, f"{title} not in the contents"
        page = int(match.group(1))
        assert marker in texts[page - 1].splitlines()[0:3] or marker in texts[page - 1]


def test_findings_cite_passages_with_id_chapter_and_source(texts: list[str]) -> None:
    body = flat(" ".join(texts))
    assert "W1 Is the buyer a government agency?" in body
    assert "p-one · The first passage · 2010" in body
    assert "Something happened in the first chapter." in body
    assert "“It was a sample.” — A Speaker" in body
    assert "Sample S1E1, 'The sample episode', chapter 'Chapter one'" in body
    # A public-record passage names its chapter and its bibliography citation.
    assert "A sample report on the sample topic" not in body  # 2020: after the decision
    # Checklist citations later than the decision date are marked as hindsight.
    assert "AFTER THE DECISION DATE" not in body  # a student report shows none


def test_findings_show_answers_rationale_risk_and_full_framework_names(texts: list[str]) -> None:
    body = flat(" ".join(texts))
    assert "Yes LOW RISK" in body
    assert "The buyer is a ministry." in body
    assert "SAMPLE-UNGP 17 Sample Guiding Principles · Human-rights due diligence" in body
    assert "A private broker HIGH RISK" in body
    assert "Contract only with the end-user agency." in body  # the condition W2 calls for


def test_unanswered_questions_listed_apart(texts: list[str]) -> None:
    chapter = flat(next(t for t in texts[2:] if "5 Unanswered and inactive questions" in t))
    assert "T2 Describe the end-use statement. OPTIONAL" in chapter
    assert "No inactive answers." in chapter


def test_bibliography_lists_the_episode_and_documents_cited(texts: list[str]) -> None:
    page = flat(next(t for t in texts[2:] if "Appendix C: Bibliography" in t))
    assert 'Sample Show, Season 1 / Episode 1, "The sample episode"' in page
    assert "A sample report on the sample topic" not in page  # only what was known then


def test_scoring_appendix_is_derived_from_the_policy(texts: list[str]) -> None:
    start = next(i for i, t in enumerate(texts) if i > 1 and "How the scoring works" in t)
    page = flat(" ".join(texts[start:]))
    assert "0 to 24 Proceed" in page
    assert "25 to 49 Proceed with conditions" in page
    assert "75 to 100 Decline" in page


def test_last_page_prints_the_answers_hash(texts: list[str]) -> None:
    digest = hashlib.sha256(REFERENCE.read_bytes()).hexdigest()
    assert "SHA-256 of the answers file" in texts[-1]
    assert digest in texts[-1]


def test_metadata_language_tags_and_pdf_ua(pdf: Path) -> None:
    r = reader(pdf)
    info: Any = r.metadata
    assert info is not None
    assert info["/Title"] == "Sample vetting: An early decision"
    assert info["/Author"] == "Reference"
    assert "Verdict: Escalate to the board" in info["/Subject"]
    assert "due diligence" in info["/Keywords"] and "sample-vetting" in info["/Keywords"]
    assert info["/CreationDate"] == "D:20260102000000Z"
    root: Any = r.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def test_bookmarks_follow_the_headings(pdf: Path) -> None:
    outline = reader(pdf).outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top[:3] == ["1 Executive summary", "2 Red flags", "3 Findings by section"]
    assert top[-1] == "Appendix E: Integrity"
    nested = [
        child.title
        for item in outline
        if isinstance(item, list)
        for child in item
        if not isinstance(child, list)
    ]
    assert "3.1 Who is buying" in nested
    assert "RF2 Unknowns after a red flag" in nested


def test_only_our_two_attachments_with_the_exact_answers(pdf: Path) -> None:
    attachments = reader(pdf).attachments
    assert sorted(attachments) == ["answers.yaml", "score.json"]
    assert attachments["answers.yaml"] == [REFERENCE.read_bytes()]
    summary = json.loads(attachments["score.json"][0])
    assert summary["verdict"] == "escalate"
    assert summary["overall"] == 55
    assert summary["red_flags"] == ["RF2"]
    assert summary["answers"]["sha256"] == hashlib.sha256(REFERENCE.read_bytes()).hexdigest()


def test_pages_are_not_blank(pdf: Path) -> None:
    document = pypdfium2.PdfDocument(str(pdf))
    for index in (0, 2, len(document) - 1):
        image = document[index].render(scale=0.5).to_pil().convert("L")
        histogram = image.histogram()
        dark = sum(histogram[:200])  # pixels visibly darker than the white page
        assert dark / (image.width * image.height) > 0.01, f"page {index + 1} looks blank"
    # The verdict badge on the cover is coloured (escalate is orange, not grey).
    cover = document[0].render(scale=0.5).to_pil().convert("RGB")
    colours = cover.getcolors(maxcolors=1_000_000) or []
    assert any(r > 150 and g < 120 and b < 80 for _, (r, g, b) in colours)


def test_bundled_fonts_only(pdf: Path) -> None:
    names = font_names(pdf)
    assert names, "no fonts found"
    assert all(n.startswith("DD-") for n in names), names


def test_trainer_edition_adds_teaching_notes(tmp_path: Path, texts: list[str]) -> None:
    plain = flat(" ".join(texts))
    assert "In the sample, it was." not in plain
    assert "What would you ask first?" not in plain
    out = tmp_path / "trainer.pdf"
    result = run_cli("report", REFERENCE, "-o", out, "--full", "--trainer", "--content", SAMPLE)
    assert result.code == 0, result.err
    trainer = flat(" ".join(page_texts(out)))
    assert "TEACHING NOTE In the sample, it was." in trainer
    assert "What would you ask first?" in trainer
    assert "Trainer edition." in trainer


def test_same_input_and_epoch_give_identical_bytes_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.pdf"
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "diligence",
                "--content",
                str(SAMPLE),
                "report",
                str(REFERENCE),
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_without_epoch_the_date_is_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "today.pdf"
    assert run_cli("report", REFERENCE, "-o", out, "--full", "--content", SAMPLE).code == 0
    metadata: Any = reader(out).metadata
    created = str(metadata["/CreationDate"])
    now = datetime.now(UTC)
    assert created[2:10] in {f"{now:%Y%m%d}", f"{now - timedelta(days=1):%Y%m%d}"}


def test_tagged_headings_never_skip_a_level_and_the_chart_has_alt_text(pdf: Path) -> None:
    trailer: Any = reader(pdf).trailer
    root = trailer["/Root"]["/StructTreeRoot"].get_object()
    headings: list[int] = []
    alts: list[str] = []

    def walk(node: object) -> None:
        node = getattr(node, "get_object", lambda: node)()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            kind = str(node.get("/S", ""))
            if re.fullmatch(r"/H[1-6]", kind):
                headings.append(int(kind[2]))
            if kind == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(root)
    assert headings[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings)), headings
    assert alts and alts[0].startswith("Section risk, 0 to 100: Who is buying 35 (low)")


def test_a_long_unbroken_token_wraps_inside_the_page(tmp_path: Path) -> None:
    """Fault probe weak 11: a 300-character token in a note ran off the page, clipped."""
    token = "START" + "x" * 300 + "END"
    answers = tmp_path / "long.yaml"
    answers.write_text(
        REFERENCE.read_text()
        .replace("note: The buyer is a ministry.", f"note: {token}")
        .replace("assessor: Reference", f"assessor: N{'n' * 150}END")
    )
    out = tmp_path / "long.pdf"
    result = run_cli("--content", SAMPLE, "report", answers, "-o", out)
    assert result.code == 0, result.err
    document = pypdfium2.PdfDocument(out)
    ends = 0
    for page in document:
        width = page.get_width()
        text = page.get_textpage()
        for found in re.finditer("END", text.get_text_range()):
            left, _, right, _ = text.get_charbox(found.end() - 1)
            assert left > 0 and right < width - 20, f"END at x={right} of {width}"
            ends += 1
    assert ends >= 2
