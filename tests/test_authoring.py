"""docs/authoring.md is executed: its files are written and its commands run, in order,
so the tutorial cannot rot. Every output it makes is checked for the shipped case."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from diligence.content.yamlio import dump_yaml, parse_yaml

from conftest import ROOT, run_cli

TUTORIAL = ROOT / "docs" / "authoring.md"
STEP = re.compile(r"<!-- (file|append|answer|run)(?:: (.*?))? -->\n(?:```\w*\n(.*?)```\n)?", re.S)
SHIPPED_WORDS = re.compile(r"episode|podcast|pegasus|\bNSO\b|ethics committee", re.I)


def steps() -> list[tuple[str, str, str]]:
    """The tutorial's marked steps, in order: (kind, argument, the block below it)."""
    return [(m[1], (m[2] or "").strip(), m[3] or "") for m in STEP.finditer(TUTORIAL.read_text())]


def run_tutorial(folder: Path, *, pdf: bool) -> list[str]:
    """Follow the tutorial in `folder`; every command must succeed. Returns what the
    commands printed. Without `pdf`, commands that render PDFs are left out."""
    printed = []
    for kind, argument, block in steps():
        if kind == "file":
            path = folder / argument
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block)
        elif kind == "append":
            name, _, version = argument.partition(" version ")
            path = folder / name
            bumped = f'version: "{version}"'
            text = re.sub(r'^version: "[^"]*"', bumped, path.read_text(), count=1, flags=re.M)
            path.write_text(text + block)
        elif kind == "answer":
            name, question, value = argument.split()
            path = folder / name
            data = parse_yaml(path.read_text(), "answers").data
            data["answers"][question] = {"value": value, "note": "Added after the upgrade."}
            data["status"] = "complete"
            path.write_text(dump_yaml(data))
        else:
            for line in block.splitlines():
                argv = shlex.split(line)
                assert argv[0] == "diligence", line
                if not pdf and (any(a.endswith(".pdf") for a in argv) or "demo" in argv):
                    continue
                result = run_cli(*argv[1:])
                assert result.code == 0, f"{line}\n{result.err}"
                printed.append(result.out + result.err)
    return printed


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_tutorial_has_its_steps() -> None:
    kinds = [kind for kind, _, _ in steps()]
    assert kinds.count("file") == 6 and kinds.count("run") >= 8
    assert "append" in kinds and "answer" in kinds


def test_the_tutorial_works_as_written(folder: Path) -> None:
    printed = run_tutorial(folder, pdf=False)
    text = "\n".join(printed)
    assert "Verdict: TURN THE SALE DOWN" in text
    assert "X3" in text  # upgrade lists the new question
    assert "Gaps to close: 1" in text
    report = (folder / "reports/the-tender.md").read_text()
    assert "fictional case" in report and "Turn the sale down" in report
    icp = (folder / "reports/icp.md").read_text()
    assert "Gaps to close" in icp and "Bibliography" not in icp
    for output in [text, *(p.read_text() for p in (folder / "reports").glob("*.*"))]:
        assert not SHIPPED_WORDS.search(output), SHIPPED_WORDS.search(output)


@pytest.mark.pdf
def test_the_tutorial_pdfs_mention_nothing_of_the_shipped_case(folder: Path) -> None:
    import pypdfium2

    run_tutorial(folder, pdf=True)
    pdfs = sorted((folder / "reports").rglob("*.pdf"))
    assert {p.name for p in pdfs} >= {"the-tender.pdf", "class.pdf", "icp.pdf"}
    for path in pdfs:
        document = pypdfium2.PdfDocument(path)
        text = "".join(page.get_textpage().get_text_range() for page in document)
        assert not SHIPPED_WORDS.search(text), (path.name, SHIPPED_WORDS.search(text))
    assert "Self-assessment" in "".join(
        p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(folder / "reports/icp.pdf")
    )
